"""The front end: text → syntax tree with exact spans, comments kept, errors recovered."""

from planlang.syntax.nodes import Atom, Block, Comment, Document, Field, Item, Statement
from planlang.syntax.parser import parse

__all__ = ["Atom", "Block", "Comment", "Document", "Field", "Item", "Statement", "parse"]
