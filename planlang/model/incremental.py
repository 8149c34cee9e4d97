"""Build a file's fragment again after an edit, re-using what unchanged top-level statements contributed.

The result equals `build(doc, source, relpath)`. A top-level unit, goal, task, mechanism or text block builds
the same nodes, references and diagnostics wherever it sits, so the part built for a statement is kept under
the statement's text and replayed — its spans moved to where the statement is now — when the same text comes
back. Everything else is built by `build` itself, on a document of just the statements not replayed; its output
is split back by statement (every contribution has a span inside its statement) and merged in source order.

A statement is not kept when its part depends on what comes before it in the file: the plan block (a second
one is an error) and includes, statements with a builder PL001 (one syntax error is reported per line, across
statements and together with the parser's), and blocks whose nodes got a generated id (goal-3, mechanism-1:
numbered through the file). The parser's own errors are added to the fragment afterwards, as `build` does.

Parts built while the caller keeps an earlier compilation whole (`keep`: an editor session keeps its last
compilation without syntax errors, see `planlang.session`) are kept apart from the parts that compilation placed,
and those are not replayed meanwhile; the first build without `keep` replays them and drops the others.

Resolution writes into the nodes the fields each node class declares `derived` (model/nodes.py): a replayed node
first gets back the builder's values of those it folds (resolution empties what it fills and sets the rest
itself). A replay moves the part's spans in place (one new object per span would be most of an edit's build). A
part therefore belongs to one live compilation at a time: the session keeps one cache per document and stops
using the previous result (its model, spans and symbols) once it has a new one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from planlang import keywords as kw
from planlang.diagnostics import Diagnostic
from planlang.model.build import add_syntax_errors, build
from planlang.model.nodes import FOLD, derived_fields
from planlang.model.symbols import Def, DueItem, Fragment, Include, Ref
from planlang.source import SourceFile, Span
from planlang.syntax.nodes import Block, Document

_KEPT_KINDS = frozenset({"unit", "goal", "task", "mechanism", "text"})
_AUTO_ID = re.compile(r"^(?:goal|mechanism|text)-\d+$")


@dataclass(slots=True)
class _Part:
    """What one top-level statement contributed, with the builder's own values of the fields resolution
    rewrites. `start` is where the statement began when its spans were last placed."""

    start: int
    items: list
    defs: list[Def]
    refs: list[Ref]
    due: dict[int, list[DueItem]]
    spans: dict[int, Span]
    ranges: dict[int, Span]
    diagnostics: list[tuple]  # (code, severity, span, message, related, suggestions) before the checks ran
    nodes: list[tuple]  # (node, {field: builder value}) for every node, nested ones included
    moving: list[Span]  # every span of the part once (the builder shares spans between tables)


@dataclass(slots=True)
class _Bucket:
    """One statement's share of a fragment while it is split and merged."""

    items: list = field(default_factory=list)
    defs: list[Def] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    due: dict[int, list[DueItem]] = field(default_factory=dict)
    spans: dict[int, Span] = field(default_factory=dict)
    ranges: dict[int, Span] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class BuildCache:
    """Parts of the latest fragments of one compilation's files, by file and statement text."""

    def __init__(self) -> None:
        self.files: dict[Path, dict[str, list[_Part]]] = {}  # from each file's latest clean document
        self.rough: dict[Path, dict[str, list[_Part]]] = {}  # from its latest document with syntax errors since
        self.reused: dict[Path, int] = {}  # statements replayed by each file's latest build

    def build(self, path: Path, doc: Document, source: SourceFile, relpath: str, keep: bool = False) -> Fragment:
        """The fragment `build(doc, source, relpath)` would give, re-using kept parts. With `keep`, the parts of
        the latest compilation the caller keeps (its last clean one) stay where they are: only parts built since
        are replayed, and what is built now is kept apart from them."""
        self.reused[path] = 0
        if keep:
            store = self.rough
        else:
            store = self.files
            self.rough.pop(path, None)
        text = source.text
        old = store.get(path, {})
        plan: list[tuple[object, _Part | None, str | None]] = []  # (statement, part to replay, key to keep)
        fresh = []
        for st in doc.statements:
            key = None
            if isinstance(st, Block) and (w := kw.block_word(st.keyword.text)) is not None and w.name in _KEPT_KINDS:
                key = text[st.start:st.end]
                parts = old.get(key)
                if parts:
                    plan.append((st, parts.pop(), key))
                    continue
            plan.append((st, None, key))
            fresh.append(st)
        sub = build(Document(fresh, doc.comments, []), source, relpath) if fresh else Fragment(source)
        buckets = _split(sub, fresh)
        frag = Fragment(source, plan=sub.plan, plan_span=sub.plan_span, progress=sub.progress)
        kept: dict[str, list[_Part]] = {}
        sub_defs = 0
        for st, part, key in plan:
            if part is not None:
                _replay(part, source, st.start, frag)
                self.reused[path] += 1
            else:
                bucket = buckets[id(st)]
                _merge(bucket, frag, sub_defs)
                sub_defs += len(bucket.defs)
                part = _capture(bucket, st.start) if key is not None else None
            if part is not None:
                kept.setdefault(key, []).append(part)
        store[path] = kept
        add_syntax_errors(frag, doc)
        return frag


def _split(sub: Fragment, statements: list) -> dict[int, _Bucket]:
    """The sub-build's contributions, by the statement whose text holds their span."""
    starts = [st.start for st in statements]
    buckets = [_Bucket() for _ in statements]

    def at(offset: int) -> _Bucket:
        return buckets[max(0, bisect.bisect_right(starts, offset) - 1)]

    for item in sub.items:
        span = item.span if isinstance(item, Include) else sub.ranges.get(id(item))
        at(span.start if span is not None else 0).items.append(item)
    for d in sub.defs:
        at(d.span.start).defs.append(d)
    for r in sub.refs:
        at(r.span.start).refs.append(r)
    for key, dues in sub.due.items():
        span = sub.ranges.get(key) or (dues[0].span if dues else None)
        at(span.start if span is not None else 0).due[key] = dues
    for key, span in sub.spans.items():
        at(span.start).spans[key] = span
    for key, span in sub.ranges.items():
        at(span.start).ranges[key] = span
    for d in sub.diagnostics:
        at(d.span.start).diagnostics.append(d)
    return {id(st): b for st, b in zip(statements, buckets)}


def _merge(bucket: _Bucket, frag: Fragment, sub_defs_before: int) -> None:
    """Append a built statement's share; an include counts the definitions before it in the whole file."""
    for item in bucket.items:
        if isinstance(item, Include) and hasattr(item, "defs_before"):
            item.defs_before = len(frag.defs) + item.defs_before - sub_defs_before
        frag.items.append(item)
    frag.defs.extend(bucket.defs)
    frag.refs.extend(bucket.refs)
    frag.due.update(bucket.due)
    frag.spans.update(bucket.spans)
    frag.ranges.update(bucket.ranges)
    frag.diagnostics.extend(bucket.diagnostics)


# -- keeping and replaying a part ------------------------------------------------------------------------------

def _fields_of(node) -> dict:
    """The builder's values of the fields resolution folds (declared FOLD on the node's class). Resolution
    replaces these lists or rewrites their items in place (a mechanism's owners), so they are kept as copies and
    a replay hands out copies again. (What it fills it empties itself; what it sets it sets on every node.)"""
    return {f: _copied(getattr(node, f)) for f in derived_fields(type(node), FOLD)}


def _copied(value):
    if type(value) is list:
        return [v.model_copy() for v in value] if value and isinstance(value[0], BaseModel) else list(value)
    return value.model_copy() if isinstance(value, BaseModel) else value


def _walk(items: list):
    stack = list(reversed(items))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(getattr(node, "children", ())))


def _capture(bucket: _Bucket, start: int) -> _Part | None:
    """The part to keep for a built statement, or None when it must be built again next time."""
    if any(d.code == "PL001" for d in bucket.diagnostics):
        return None
    nodes = []
    for node in _walk(bucket.items):
        if isinstance(node, Include) or _AUTO_ID.match(getattr(node, "id", "") or ""):
            return None
        nodes.append((node, _fields_of(node)))
    diags = [(d.code, d.severity, d.span, d.message, list(d.related), list(d.suggestions)) for d in bucket.diagnostics]
    spans = {id(s): s for s in (*(d.span for d in bucket.defs), *(r.span for r in bucket.refs),
                                *(x.span for dues in bucket.due.values() for x in dues), *bucket.spans.values(),
                                *bucket.ranges.values(), *(d.span for d in bucket.diagnostics),
                                *(r.span for d in bucket.diagnostics for r in d.related))}
    return _Part(start, list(bucket.items), list(bucket.defs), list(bucket.refs), dict(bucket.due),
                 dict(bucket.spans), dict(bucket.ranges), diags, nodes, list(spans.values()))


def _replay(part: _Part, src: SourceFile, start: int, frag: Fragment) -> None:
    """Append a kept part to `frag`: its spans moved in place into `src` where the statement now starts, its
    nodes as the builder left them."""
    delta = start - part.start
    for s in part.moving:
        s.file = src
        if delta:
            s.start += delta
            s.end += delta
    part.start = start
    for node, values in part.nodes:
        d = node.__dict__
        for k, v in values.items():
            d[k] = _copied(v)
    frag.items.extend(part.items)
    frag.defs.extend(part.defs)
    frag.refs.extend(part.refs)
    frag.due.update(part.due)
    frag.spans.update(part.spans)
    frag.ranges.update(part.ranges)
    for code, severity, s, message, related, suggestions in part.diagnostics:  # (the checks stamp severities)
        frag.diagnostics.append(Diagnostic(code, severity, s, message, list(related), list(suggestions)))
