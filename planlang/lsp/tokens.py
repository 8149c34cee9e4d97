"""Semantic tokens: of the whole document, of a range (only the statements that overlap it are walked), and as
a delta against the last answer sent for the document (one edit: the integers between the common head and the
common tail of the two encodings)."""

from __future__ import annotations

import bisect
import itertools
import re
from pathlib import Path

from lsprotocol import types

from planlang import keywords as kw
from planlang.lsp.convert import offset as to_offset
from planlang.lsp.index import Index, Spans
from planlang.lsp.kinds import BY_NAME
from planlang.model.nodes import Mechanism, Unit
from planlang.source import SourceFile
from planlang.syntax.nodes import Block

TOKEN_TYPES = ["keyword", "property", "string", "number", "comment", "namespace", "enumMember", "function",
               "event", "variable"]
TOKEN_MODIFIERS = ["declaration", "defaultLibrary"]
LEGEND = types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
_T = {t: i for i, t in enumerate(TOKEN_TYPES)}
_NAME_TOKEN = {k.name: _T[k.token] for k in BY_NAME.values() if k.token is not None}  # unit → namespace …
_NUMERIC = {kw.ValueKind.MEASURES, kw.ValueKind.BASELINE, kw.ValueKind.DEADLINES, kw.ValueKind.PERIOD,
            kw.ValueKind.DATE, kw.ValueKind.CADENCES}
_DIGIT = re.compile(r"^[\d０-９]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each

_sent: dict[str, tuple[str, list[int]]] = {}  # per document: the last answer's result id and data
_ids = itertools.count(1)


def _kind(r) -> str:
    """The kind of a reference: what it resolved to, or the kind of name its field asks for."""
    return ("unit" if r.target is not None and isinstance(r.target, Unit)
            else "mechanism" if isinstance(r.target, Mechanism) else r.ref.kind)


class _RefKinds:
    """The kind of the reference written at an offset (the last one written there)."""

    def __init__(self, refs: Spans, whole: bool) -> None:
        self.refs = refs
        self.table: dict[int, str] | None = None
        if whole:  # every reference will be asked about: one pass
            self.table = {}
            for start, _, _, r in sorted(refs.entries, key=lambda e: e[1]):
                self.table[start] = _kind(r)

    def get(self, start: int) -> str | None:
        if self.table is not None:
            return self.table.get(start)
        refs = self.refs
        i = bisect.bisect_right(refs.starts, start) - 1
        if i < 0 or refs.starts[i] != start:
            return None
        return _kind(max(refs.entries[bisect.bisect_left(refs.starts, start):i + 1], key=lambda e: e[1])[3])


def _tokens(index: Index, path: Path, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, int, int]]:
    """(start, end, type, modifiers) of the statements and comments that overlap [lo, hi], sorted."""
    tree = index.tree(path)
    whole = hi is None and lo <= 0
    ref_kind = _RefKinds(index.refs_in(path), whole).get
    toks: list[tuple[int, int, int, int]] = []
    for st in tree.walk(lo, hi):
        if isinstance(st, Block):
            toks.append((st.keyword.start, st.keyword.end, _T["keyword"], 0))
            w = kw.block_word(st.keyword.text)
            for h in st.headers:
                if h.quoted:
                    toks.append((h.start, h.end, _T["string"], 0))
                elif w is not None and w.name in _NAME_TOKEN:
                    toks.append((h.start, h.end, _NAME_TOKEN[w.name], 1))
                else:
                    toks.append((h.start, h.end, _T["variable"], 0))
            continue
        toks.append((st.key.start, st.key.end, _T["property"], 0))
        spec = kw.field_spec(st.key.text)
        for item in st.items:
            kind = ref_kind(item.start)
            if kind in _NAME_TOKEN:
                toks.append((item.start, item.end, _NAME_TOKEN[kind], 0))
                continue
            for a in item.atoms:
                if a.quoted:
                    toks.append((a.start, a.end, _T["string"], 0))
                elif spec is not None and (spec.kind in _NUMERIC or _DIGIT.match(a.text)):
                    toks.append((a.start, a.end, _T["number"], 0))
    comments = tree.doc.comments
    if whole:
        toks += [(c.start, c.end, _T["comment"], 0) for c in comments]
    else:
        starts = index.memo(("comment starts", id(comments)), lambda: [c.start for c in comments])
        first = max(0, bisect.bisect_left(starts, lo) - 1)  # a comment that starts before lo may reach into it
        last = len(comments) if hi is None else bisect.bisect_right(starts, hi)
        toks += [(c.start, c.end, _T["comment"], 0) for c in comments[first:last]]
    toks.sort()
    if not whole:  # a block that overlaps the range brings its keyword from before it
        toks = [t for t in toks if t[1] > lo and (hi is None or t[0] < hi)]
    return toks


def _encode(toks: list[tuple[int, int, int, int]], src: SourceFile, enc: str, astral: set[int]) -> list[int]:
    """The LSP encoding: each token relative to the one before. A line without characters beyond the BMP
    counts UTF-16 units as characters; any other is measured."""
    data: list[int] = []
    prev_line = prev_char = 0
    fast = enc != "utf-8"
    starts = src._line_starts  # noqa: SLF001 — read only: the line index the SourceFile keeps
    nlines = len(starts)
    find = bisect.bisect_right
    for start, end, ttype, mods in toks:
        line = find(starts, start) - 1
        if fast and (enc == "utf-32" or line not in astral):
            if line + 1 < nlines and end >= starts[line + 1]:
                continue  # a token never spans lines
            base = starts[line]
            char, echar = start - base, end - base
        else:
            line, char = src.lsp_position(start, enc)
            eline, echar = src.lsp_position(end, enc)
            if eline != line:
                continue
        if echar <= char:
            continue
        dl = line - prev_line
        dc = char - prev_char if dl == 0 else char
        data += [dl, dc, echar - char, ttype, mods]
        prev_line, prev_char = line, char
    return data


def _astral_lines(index: Index, path: Path, src: SourceFile) -> set[int]:
    return index.memo(("astral lines", id(src)), lambda: {src.line_index(m.start()) for m in _ASTRAL.finditer(src.text)})


def _full_data(ls, st) -> list[int] | None:
    index = ls.index(st.result)
    f = index.file(st.path)
    if f is None or index.tree(st.path) is None:
        return None
    return index.memo(("tokens", str(st.path), ls.enc), lambda: _encode(
        _tokens(index, st.path), f.source, ls.enc, _astral_lines(index, st.path, f.source)))


def full(ls, uri: str) -> types.SemanticTokens:
    st = ls.state(uri)
    data = _full_data(ls, st) if st is not None and st.result is not None else None
    if data is None:
        return types.SemanticTokens(data=[])
    result_id = str(next(_ids))
    _sent[uri] = (result_id, data)
    while len(_sent) > 64:  # documents closed long ago
        del _sent[next(iter(_sent))]
    return types.SemanticTokens(data=data, result_id=result_id)


def delta(ls, uri: str, previous: str) -> types.SemanticTokens | types.SemanticTokensDelta:
    """The edit from the answer `previous` to the current tokens; the whole data when that answer is not the
    last one sent for the document."""
    old = _sent.get(uri)
    answer = full(ls, uri)
    if old is None or old[0] != previous or answer.result_id is None:
        return answer
    a, b = old[1], answer.data
    n = min(len(a), len(b))
    head = _common(lambda m: a[:m] == b[:m], n)
    tail = _common(lambda m: a[len(a) - m:] == b[len(b) - m:], n - head)
    edits = []
    if head != len(a) or head != len(b):
        edits.append(types.SemanticTokensEdit(start=head, delete_count=len(a) - head - tail,
                                              data=b[head:len(b) - tail]))
    return types.SemanticTokensDelta(edits=edits, result_id=answer.result_id)


def _common(equal, n: int) -> int:
    """The largest m <= n with equal(m), for a test that holds up to some m and fails after (a common head or
    tail, found by bisection with slice comparisons, which run in C)."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if equal(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def in_range(ls, uri: str, rng: types.Range) -> types.SemanticTokens:
    st = ls.state(uri)
    if st is None or st.result is None:
        return types.SemanticTokens(data=[])
    index = ls.index(st.result)
    f = index.file(st.path)
    if f is None or index.tree(st.path) is None:
        return types.SemanticTokens(data=[])
    src = f.source
    lo, hi = sorted((to_offset(src, rng.start, ls.enc), to_offset(src, rng.end, ls.enc)))
    return types.SemanticTokens(data=_encode(_tokens(index, st.path, lo, hi), src, ls.enc,
                                             _astral_lines(index, st.path, src)))
