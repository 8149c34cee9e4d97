"""Navigation over one compilation: what is at an offset, where a name is defined, where it is used. Built once
per compilation; each lookup table is made the first time a request needs it, so a request about one place
costs a bisection, not a walk of the whole document."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from planlang.collector import gc_paused
from planlang.lsp.convert import resolved
from planlang.lsp.kinds import KIND_OF
from planlang.lsp.walk import Tree
from planlang.model.nodes import Task
from planlang.model.symbols import Resolved, walk_goals, walk_tasks
from planlang.pipeline import Result
from planlang.source import Span


@dataclass(slots=True)
class Hit:
    """What the cursor is on: a reference to a node, or a node's own header."""

    kind: str  # unit, goal, task, mechanism, text, plan
    node: object | None
    span: Span
    ref: Resolved | None = None  # set when the cursor is on a reference

    @property
    def name(self) -> str:
        if self.ref is not None:
            return self.ref.ref.name
        return getattr(self.node, "id", "")


def _by_start(entry: tuple) -> tuple[int, int]:
    return entry[0], entry[1]


class Spans:
    """Items with spans in one file, found by offset: `at(offset)` is the first item in the original order
    whose span contains the offset (both ends included) — what a scan of the whole list would find."""

    __slots__ = ("starts", "entries", "longest")

    def __init__(self, items: list[tuple[Span, object]] | None = None, entries: list[tuple] | None = None) -> None:
        """From (span, item) pairs, or from (start, order, end, item) entries."""
        if entries is None:
            entries = [(s.start, order, s.end, item) for order, (s, item) in enumerate(items or ())]
        starts = [e[0] for e in entries]
        if any(a > b for a, b in zip(starts, starts[1:])):  # mostly written in source order already
            entries.sort(key=_by_start)
            starts = [e[0] for e in entries]
        self.starts = starts
        self.entries = entries
        self.longest = max((e[2] - e[0] for e in entries), default=0)

    def at(self, offset: int):
        i = bisect.bisect_right(self.starts, offset)
        best = None
        while i > 0:
            i -= 1
            start, order, end, item = self.entries[i]
            if start < offset - self.longest:
                break
            if end >= offset and (best is None or order < best[0]):
                best = (order, item)
        return None if best is None else best[1]

    def within(self, lo: int, hi: int) -> list:
        """The items that start in [lo, hi], in their original order."""
        a, b = bisect.bisect_left(self.starts, lo), bisect.bisect_right(self.starts, hi)
        return [e[3] for e in sorted(self.entries[a:b], key=lambda e: e[1])]


class Index:
    """Lookups over a Result. Built once per compilation."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self._lazy: dict[object, object] = {}  # what requests built: per file, per kind

    @property
    def nodes(self) -> list[object]:
        """The plan, units, goals, tasks (depth first), mechanisms and texts."""
        def build() -> list[object]:
            m = self.result.model
            out: list[object] = [m.plan] if m.plan is not None else []
            return out + m.units + list(walk_goals(m.goals)) + [t for t, _ in self._tasks()] + m.mechanisms + m.texts
        return self.memo("nodes", build)

    @property
    def headers(self) -> list[tuple[Span, object]]:
        """(header span, node) of every node that has one."""
        spans = self.result.symbols.spans
        return self.memo("headers", lambda: [(spans[id(n)], n) for n in self.nodes if id(n) in spans])

    @property
    def parent(self) -> dict[int, Task]:
        return self.memo("parent", lambda: {id(t): p for t, p in self._tasks() if p is not None})

    def _tasks(self) -> list[tuple[Task, Task | None]]:
        """Every task with its parent: the compilation's own walk, when it made one."""
        return self.result.symbols.task_list or list(walk_tasks(self.result.model.tasks))

    def memo(self, key, build):
        """What `build()` gives, built the first time a request asks for it. The cyclic collector is paused
        meanwhile, as during a compilation: a table of a big plan is tens of thousands of new tuples, and each
        collection they would set off scans the whole compilation."""
        got = self._lazy.get(key, self)
        if got is self:
            with gc_paused():
                got = self._lazy[key] = build()
        return got

    def same_file(self, span: Span, path: Path) -> bool:
        return resolved(span.file.path) == resolved(path)

    def _spans(self, what: str, path: Path) -> Spans:
        def build() -> dict[Path, Spans]:
            sym = self.result.symbols
            pairs = {"refs": ((r.ref.span, r) for r in sym.refs), "defs": ((d.span, d) for d in sym.defs),
                     "headers": ((s, (s, n)) for s, n in self.headers)}[what]
            lists: dict[int, list] = {}  # (start, order, end, item) by the file object (one file's spans share it)
            files: dict[int, object] = {}
            for order, (s, item) in enumerate(pairs):
                f = s.file
                got = lists.get(id(f))
                if got is None:
                    got = lists[id(f)] = []
                    files[id(f)] = f
                got.append((s.start, order, s.end, item))
            out: dict[Path, list] = {}
            for key, entries in lists.items():
                out.setdefault(resolved(files[key].path), []).extend(entries)
            return {p: Spans(entries=entries) for p, entries in out.items()}
        return self.memo(("spans", what), build).get(resolved(path)) or _NO_SPANS

    def at(self, path: Path, offset: int) -> Hit | None:
        """The reference or header under the cursor (inclusive of the end, so a cursor after a name hits)."""
        r = self._spans("refs", path).at(offset)
        if r is not None:
            return Hit(KIND_OF.get(type(r.target), r.ref.kind), r.target, r.ref.span, r)
        d = self._spans("defs", path).at(offset)
        if d is not None:
            return Hit(KIND_OF.get(type(d.node), d.kind), d.node, d.span)
        header = self._spans("headers", path).at(offset)
        if header is not None:
            s, n = header
            return Hit(KIND_OF.get(type(n), ""), n, s)
        return None

    def refs_in(self, path: Path) -> Spans:
        """The resolved references written in a file."""
        return self._spans("refs", path)

    def definition(self, node: object) -> Span | None:
        return self.result.symbols.spans.get(id(node))

    def block(self, node: object) -> Span | None:
        return self.result.symbols.ranges.get(id(node))

    def references(self, node: object, include_declaration: bool = True) -> list[Span]:
        def build() -> dict[int, list[Span]]:
            out: dict[int, list[Span]] = {}
            for r in self.result.symbols.refs:
                out.setdefault(id(r.target), []).append(r.ref.span)
            return out
        out = list(self.memo("references", build).get(id(node), ())) if node is not None else []
        if include_declaration:
            d = self.definition(node)
            if d is not None:
                out.insert(0, d)
        return out

    def enclosing_task(self, path: Path, offset: int) -> Task | None:
        """The innermost task whose block contains the offset."""
        best: Task | None = None
        for n in self.nodes:
            if isinstance(n, Task):
                b = self.block(n)
                if b is not None and b.start <= offset <= b.end and self.same_file(b, path):
                    if best is None or b.start >= self.block(best).start:
                        best = n
        return best

    def names(self, kind: str) -> dict[str, object]:
        """Declared names of a kind (units include aliases). Shared: callers must not change it."""
        def build() -> dict[str, object]:
            sym = self.result.symbols
            table = {"unit": sym.units, "goal": sym.goals, "mechanism": sym.mechanisms,
                     "task": {k: v for k, v in sym.tasks.items() if getattr(v, "_explicit_id", False)}}
            return dict(table.get(kind, {}))
        return self.memo(("names", kind), build)

    def task(self, task_id: str) -> Task | None:
        """The first task (in source order) with this id."""
        def build() -> dict[str, Task]:
            out: dict[str, Task] = {}
            for t, _ in walk_tasks(self.result.model.tasks):
                out.setdefault(t.id, t)
            return out
        return self.memo("tasks", build).get(task_id)

    def task_titles(self) -> dict[str, str]:
        """A task's number and title by its id (the last task of a repeated id)."""
        return self.memo("titles", lambda: {t.id: f"{t.number}{t.title}"
                                             for t, _ in walk_tasks(self.result.model.tasks)})

    def leaders(self) -> list[str]:
        """The leaders named in the plan: the plan's, then the tasks', then the goals' (each once)."""
        def build() -> list[str]:
            m = self.result.model
            out: dict[str, None] = {}
            if m.plan is not None:
                out.update(dict.fromkeys(m.plan.leaders))
            for t, _ in walk_tasks(m.tasks):
                out.update(dict.fromkeys(t.leaders))
            for g in self.result.symbols.goals.values():
                out.update(dict.fromkeys(g.leaders))
            return list(out)
        return self.memo("leaders", build)

    def file(self, path: Path):
        """The compiled file of a path (its source and syntax), or None."""
        want = resolved(path)
        return self.memo(("file", want), lambda: next(
            (f for f in self.result.files if resolved(f.path) == want), None))

    def tree(self, path: Path) -> Tree | None:
        """The syntax tree of a compiled file, with its bodies' offsets."""
        f = self.file(path)
        if f is None or f.document is None:
            return None
        return self.memo(("tree", resolved(path)), lambda: Tree(f.document))

    def diagnostics_in(self, path: Path) -> Spans:
        """The compilation's diagnostics in one file, found by offset."""
        want = resolved(path)
        return self.memo(("diagnostics", want), lambda: Spans(
            [(d.span, d) for d in self.result.diagnostics if resolved(d.span.file.path) == want]))

    def has_syntax_errors(self, path: Path) -> bool:
        want = resolved(path)
        return self.memo(("syntax errors", want), lambda: any(
            d.code == "PL001" and resolved(d.span.file.path) == want for d in self.result.diagnostics))


_NO_SPANS = Spans([])
