"""Syntax nodes: the shape of a `.plan` file with exact spans, before any meaning is given to it.

The parser builds these directly (an inline Lark transformer), so no generic parse tree is kept. Offsets index
the decoded text of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# White space between two atoms of a value (the grammar's WS). The formatter writes a run of it as one space,
# so the model reads it as one space too: formatting must not change what a plan says.
_GAP = re.compile(r"[ \t\u3000\r\f\v\ufeff]+")


@dataclass(slots=True)
class Atom:
    """A word or a quoted string."""

    text: str  # as written, quotes included
    start: int
    end: int
    quoted: bool = False  # (a word: the parser makes one per word, so the common case is the default)

    @property
    def value(self) -> str:
        """The content: a string without its quotes, a word as written."""
        return self.text[1:-1] if self.quoted else self.text


def spelled(atoms: list[Atom], text: str) -> str:
    """The source from the first atom to the last as the model reads it: as written — quotes, separators and
    strings' content included — except that each run of white space between two atoms is one space, as the
    formatter writes it."""
    parts = [atoms[0].text]
    for a, b in zip(atoms, atoms[1:]):
        parts.append(_GAP.sub(" ", text[a.end:b.start]))
        parts.append(b.text)
    return "".join(parts)


@dataclass(slots=True)
class Item:
    """One item of a list value: one or more atoms."""

    atoms: list[Atom]

    @property
    def start(self) -> int:
        return self.atoms[0].start

    @property
    def end(self) -> int:
        return self.atoms[-1].end

    @property
    def quoted(self) -> bool:
        """True when the item is a single quoted string."""
        return len(self.atoms) == 1 and self.atoms[0].quoted

    def value(self, text: str) -> str:
        """The item's content: a lone string unquoted, otherwise the source as written (quotes kept, each run of
        white space between two atoms read as one space)."""
        if len(self.atoms) == 1:
            return self.atoms[0].value
        return spelled(self.atoms, text)


@dataclass(slots=True)
class Field:
    """`name ： value`."""

    key: Atom
    colon_end: int
    items: list[Item]

    @property
    def start(self) -> int:
        return self.key.start

    @property
    def end(self) -> int:
        return self.items[-1].end if self.items else self.colon_end


@dataclass(slots=True)
class Block:
    """`keyword header… { body }`, or a directive `keyword header…` when `body` is None."""

    keyword: Atom
    headers: list[Atom]
    body: list["Statement"] | None
    lbrace: int = -1  # offset of the opening brace
    rbrace: int = -1  # offset of the closing brace (-1 when it was missing)

    @property
    def start(self) -> int:
        return self.keyword.start

    @property
    def end(self) -> int:
        """Where the block ends: after its `}`; for an unclosed block, where its last statement ends."""
        block = self
        # down the chain of unclosed last statements in a loop: the chain can be as deep as the nesting
        while block.body and block.rbrace < 0 and isinstance(block.body[-1], Block):
            block = block.body[-1]
        if block.body is not None and block.rbrace >= 0:
            return block.rbrace + 1
        if block.body:
            return block.body[-1].end
        if block.headers:
            return block.headers[-1].end
        return block.keyword.end


Statement = Block | Field


@dataclass(slots=True)
class Comment:
    """A `#` or `//` comment: its text without the line end."""

    text: str
    start: int
    end: int


# How deep blocks may nest (below a top-level block): deeper than any real plan. The model builder reads no
# deeper (a PL001 at the first block beyond), and the formatter touches no file that goes deeper, so no later
# stage recurses without bound and no layout's indentation grows past it.
MAX_DEPTH = 100


@dataclass(slots=True)
class SyntaxIssue:
    """A syntax error found while parsing: where, and what was expected."""

    start: int
    end: int
    kind: str  # "token", "char", "eof", "string", "unclosed", "forbidden"
    found: str
    expected: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    """A parsed file: top-level statements, comments, and syntax errors."""

    statements: list[Statement]
    comments: list[Comment]
    errors: list[SyntaxIssue]
