"""A compilation as the editor sees it: positions in the editor's current text mapped to the compilation's
text and back. While the text has syntax errors, navigation reads the last compilation without them; the two
texts differ only where the user is typing, so offsets before that region are equal and offsets after it move
by the edit's length."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from planlang.lsp.convert import position, resolved, to_range
from planlang.lsp.index import Index
from planlang.pipeline import Result
from planlang.source import SourceFile, Span
from planlang.syntax.incremental import edit_bounds
from planlang.syntax.nodes import Document


def source_of(result: Result, path: Path) -> SourceFile | None:
    for f in result.files:
        if resolved(f.path) == resolved(path):
            return f.source
    return None


def document_of(result: Result, path: Path) -> Document | None:
    for f in result.files:
        if resolved(f.path) == resolved(path):
            return f.document
    return None


def locate(ls, uri: str, pos: types.Position, good: bool = True):
    """(state, view, offset in the view's text) for an editor position of a document, or None. With `good`, a
    position outside the region being typed is answered from the last compilation without syntax errors."""
    st = ls.state(uri)
    if st is None or st.result is None:
        return None
    for view in ls.views(st, good):
        off = view.offset(pos)
        if off is not None:
            return st, view, off
    return None

@dataclass(slots=True)
class View:
    """One compilation of a document, and how its text lines up with the editor's current text."""

    result: Result
    index: Index
    path: Path
    src: SourceFile  # the compilation's text of the document
    current: SourceFile  # the editor's text
    enc: str
    start: int = 0  # the texts differ in [start, src_end) of src and [start, cur_end) of current
    src_end: int = 0
    cur_end: int = 0

    @classmethod
    def of(cls, result: Result, index: Index, path: Path, src: SourceFile, current: SourceFile, enc: str) -> "View":
        """The view of `result` (whose text of the document is `src`) from the editor's `current` text."""
        view = cls(result, index, path, src, current, enc)
        if src.text != current.text:
            view.start, view.src_end, view.cur_end = edit_bounds(src.text, current.text)
        return view

    @property
    def mapped(self) -> bool:
        """True when the compilation's text is not the editor's."""
        return self.src is not self.current and self.src.text != self.current.text

    def to_src(self, offset: int) -> int | None:
        """An offset of the editor's text in the compilation's text; None inside the region that differs."""
        if not self.mapped or offset <= self.start:
            return offset
        if offset >= self.cur_end:
            return offset - self.cur_end + self.src_end
        return None

    def to_current(self, offset: int) -> int:
        """An offset of the compilation's text in the editor's (inside the differing region: its start)."""
        if not self.mapped or offset <= self.start:
            return offset
        if offset >= self.src_end:
            return offset - self.src_end + self.cur_end
        return self.start

    def offset(self, pos: types.Position) -> int | None:
        """The compilation's offset of an editor position."""
        return self.to_src(self.current.offset_from_lsp(pos.line, pos.character, self.enc))

    def range(self, span: Span) -> types.Range:
        """An LSP range in the editor's text; spans in other files are left as they are."""
        if not self.mapped or not self.index.same_file(span, self.path):
            return to_range(span, self.enc)
        return types.Range(start=position(self.current, self.to_current(span.start), self.enc),
                           end=position(self.current, self.to_current(span.end), self.enc))
