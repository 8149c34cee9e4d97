"""Inlay hints: inherited owners and leaders after a task's title, normalized values after a quantity, the level
a goal's growth implies. What each hint says and where it goes is worked out once per compilation; a request
for the visible lines takes the hints anchored in them by bisection."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from planlang.lsp.convert import offset as to_offset, position
from planlang.lsp.hover import fmt_quantity, implied_line, owners_line, plan_period
from planlang.lsp.index import Index, Spans
from planlang.model.nodes import Goal
from planlang.model.symbols import walk_tasks
from planlang.progress import latest
from planlang.source import SourceFile


def inlay_hint(ls, uri: str, rng: types.Range) -> list[types.InlayHint]:
    st = ls.state(uri)
    if st is None or st.result is None:
        return []
    index = ls.index(st.result)
    src = index.file(st.path).source
    lo, hi = to_offset(src, rng.start, ls.enc), to_offset(src, rng.end, ls.enc)
    return inlay_hints(index, st.path, src, ls.enc, lo, hi)


def inlay_hints(index: Index, path: Path, src: SourceFile, enc: str, lo: int, hi: int) -> list[types.InlayHint]:
    """The hints anchored in [lo, hi] of the file, in the order: tasks in the task tree's order, then each
    node's quantities and a goal's implied level."""
    # each task's latest state, from the plan's progress files: once per compilation and state of those files
    # (they change on disk without a compilation)
    progress = latest.latest_of(index.result, index.memo("progress", dict))
    out = []
    for task, at, label, kind in index.memo(("inlay hints", str(path)), lambda: _anchored(index, path)).within(lo, hi):
        if task is not None and progress is not None and (ts := progress.state(task)) is not None:
            out.append(types.InlayHint(position=position(src, at, enc), label=latest.hint_label(ts),
                                       kind=types.InlayHintKind.Type, padding_left=True))
        if label is not None:
            out.append(types.InlayHint(position=position(src, at, enc), label=label, kind=kind, padding_left=True))
    return out


def _anchored(index: Index, path: Path) -> Spans:
    """Every hint of the file: (the task whose progress goes there too, where it goes, its label, its kind),
    found by the start of what it follows. Every task of the file has one (its progress is read per request);
    its label is None when nothing is inherited."""
    out = []
    m = index.result.model
    for t, _ in walk_tasks(m.tasks):
        head = index.definition(t)
        if head is None or not index.same_file(head, path):
            continue
        eff = t.effective_owners
        parts = []
        if not (t.lead or t.responsible) and eff.inherited_from and (eff.lead or eff.responsible):
            parts.append(owners_line(eff.lead, eff.responsible, []))
        if eff.leaders_inherited_from and eff.leaders:
            parts.append(f"责任领导：{'、'.join(eff.leaders)}")
        out.append((head, (t, head.end, " 继承：" + "；".join(parts) if parts else None, types.InlayHintKind.Parameter)))
    period = plan_period(index)
    for node in index.nodes:
        for q in [*getattr(node, "growth", []), *getattr(node, "total", []),
                  *[x.quantity for x in getattr(node, "targets", []) if x.quantity]]:
            s = index.result.symbols.spans.get(id(q))
            if s is None or not index.same_file(s, path) or q.normalized is None:
                continue
            if q.unit in ("", q.base_unit) and q.base_unit not in ("ratio",):
                continue
            out.append((s, (None, s.end, " = " + fmt_quantity(q).split(" = ")[-1], types.InlayHintKind.Type)))
        if isinstance(node, Goal):
            implied = implied_line(node, period, "")
            head = index.definition(node)
            if implied is not None and head is not None and index.same_file(head, path):
                out.append((head, (None, head.end, " " + implied, types.InlayHintKind.Type)))
    return Spans(out)
