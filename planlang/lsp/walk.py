"""The one walker over a document's syntax tree, which every editor feature uses: statements depth first in
source order, optionally only those that overlap a range of offsets (found by bisection in each body, so a
request about a few lines reads only those lines' statements), and what follows from it — the block a
position is in, where a block ends, the keyword language the document is written in."""

from __future__ import annotations

import bisect
from typing import Iterator

from planlang import keywords as kw
from planlang.syntax.nodes import Block, Document, Field, Statement


def block_end(b: Block) -> int:
    """`Block.end` without its recursion: an unclosed block ends where its last statement does."""
    while True:
        if b.body is not None and b.rbrace >= 0:
            return b.rbrace + 1
        if b.body:
            last = b.body[-1]
            if isinstance(last, Field):
                return last.end
            b = last
            continue
        return b.headers[-1].end if b.headers else b.keyword.end


def _end(st: Statement) -> int:
    return block_end(st) if isinstance(st, Block) else st.end


def walk_statements(stmts: list[Statement]) -> Iterator[Statement]:
    """Every statement, blocks' bodies included, depth first in source order."""
    return Tree.walk_bodies(stmts, None)


class Tree:
    """One document's syntax tree with the offsets of each body's statements, computed the first time a body is
    searched. Held per compilation (the tree does not change after it)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._bodies: dict[int, tuple[list[int], list[int], list[int]]] = {}
        self._language: str | None = None

    def _body(self, stmts: list[Statement]) -> tuple[list[int], list[int], list[int]]:
        """(starts, ends, indexes of unclosed blocks) of a body's statements."""
        got = self._bodies.get(id(stmts))
        if got is None:
            got = self._bodies[id(stmts)] = (
                [st.start for st in stmts], [_end(st) for st in stmts],
                [i for i, st in enumerate(stmts) if isinstance(st, Block) and st.body is not None and st.rbrace < 0])
        return got

    @staticmethod
    def walk_bodies(stmts: list[Statement], tree: "Tree | None", lo: int = 0, hi: int | None = None
                    ) -> Iterator[Statement]:
        """The walker: depth first, in source order; with a tree, only the statements that overlap [lo, hi].
        Iterative: a plan may nest deeper than Python's recursion limit."""
        def window(body: list[Statement]):
            if tree is None or not body:
                return iter(body)
            starts, ends, _ = tree._body(body)
            first = bisect.bisect_left(ends, lo)  # ends are in source order: statements do not overlap
            last = len(body) if hi is None else bisect.bisect_right(starts, hi)
            return iter(body[first:last])

        stack = [window(stmts)]
        while stack:
            st = next(stack[-1], None)
            if st is None:
                stack.pop()
                continue
            yield st
            if isinstance(st, Block) and st.body:
                stack.append(window(st.body))

    def walk(self, lo: int = 0, hi: int | None = None) -> Iterator[Statement]:
        """The document's statements that overlap [lo, hi] (all of them by default)."""
        if lo <= 0 and hi is None:
            return self.walk_bodies(self.doc.statements, None)
        return self.walk_bodies(self.doc.statements, self, lo, hi)

    def block_kind_at(self, off: int) -> str | None:
        """The kind of the innermost block whose braces contain the offset."""
        kind = None
        stmts = self.doc.statements
        while True:
            inner = self._inner(stmts, off)
            if inner is None:
                return kind
            w = kw.block_word(inner.keyword.text)
            kind = w.name if w else kind
            stmts = inner.body

    def _inner(self, stmts: list[Statement], off: int) -> Block | None:
        """The last block of a body whose braces contain the offset. Only the last statement that starts before
        the offset can be a closed one (closed blocks end before the next statement starts); before it, only a
        block left unclosed."""
        if not stmts:
            return None
        starts, _, unclosed = self._body(stmts)
        i = bisect.bisect_left(starts, off) - 1
        if i < 0:
            return None
        st = stmts[i]
        if isinstance(st, Block) and st.body is not None and st.lbrace < off and (st.rbrace < 0 or off <= st.rbrace):
            return st
        j = bisect.bisect_left(unclosed, i) - 1
        if j >= 0:
            b = stmts[unclosed[j]]
            if b.lbrace < off:
                return b
        return None

    @property
    def language(self) -> str:
        """The keyword language the document is mostly written in."""
        if self._language is None:
            self._language = language_of_statements(self.walk())
        return self._language


def language_of_statements(statements) -> str:
    en = zh = 0
    for st in statements:
        word = st.keyword if isinstance(st, Block) else st.key
        if word.text.isascii():
            en += 1
        else:
            zh += 1
    return "en" if en > zh else "zh"


def language_of(doc: Document | None) -> str:
    """The keyword language a document is mostly written in."""
    return "zh" if doc is None else language_of_statements(walk_statements(doc.statements))
