"""Navigation over one compilation: what is at an offset, where a name is defined, where it is used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planlang.lsp.convert import resolved
from planlang.model.nodes import Goal, Mechanism, PlanInfo, Task, TextPart, Unit
from planlang.model.symbols import Resolved, walk_goals, walk_tasks
from planlang.pipeline import Result
from planlang.source import Span

KIND_OF = {Unit: "unit", Goal: "goal", Task: "task", Mechanism: "mechanism", TextPart: "text", PlanInfo: "plan"}


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


class Index:
    """Lookups over a Result. Built once per compilation."""

    def __init__(self, result: Result) -> None:
        self.result = result
        sym = result.symbols
        m = result.model
        self.nodes: list[object] = []
        if m.plan is not None:
            self.nodes.append(m.plan)
        self.nodes += m.units + list(walk_goals(m.goals)) + [t for t, _ in walk_tasks(m.tasks)]
        self.nodes += m.mechanisms + m.texts
        self.headers: list[tuple[Span, object]] = []
        for n in self.nodes:
            s = sym.spans.get(id(n))
            if s is not None:
                self.headers.append((s, n))
        self.parent: dict[int, Task] = {id(t): p for t, p in walk_tasks(m.tasks) if p is not None}

    def same_file(self, span: Span, path: Path) -> bool:
        return resolved(span.file.path) == resolved(path)

    def at(self, path: Path, offset: int) -> Hit | None:
        """The reference or header under the cursor (inclusive of the end, so a cursor after a name hits)."""
        for r in self.result.symbols.refs:
            s = r.ref.span
            if s.start <= offset <= s.end and self.same_file(s, path):
                node = r.target
                kind = KIND_OF.get(type(node), r.ref.kind)
                return Hit(kind, node, s, r)
        for d in self.result.symbols.defs:
            s = d.span
            if s.start <= offset <= s.end and self.same_file(s, path):
                return Hit(KIND_OF.get(type(d.node), d.kind), d.node, s)
        for s, n in self.headers:
            if s.start <= offset <= s.end and self.same_file(s, path):
                return Hit(KIND_OF.get(type(n), ""), n, s)
        return None

    def definition(self, node: object) -> Span | None:
        return self.result.symbols.spans.get(id(node))

    def block(self, node: object) -> Span | None:
        return self.result.symbols.ranges.get(id(node))

    def references(self, node: object, include_declaration: bool = True) -> list[Span]:
        out = [r.ref.span for r in self.result.symbols.refs if r.target is node]
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
        """Declared names of a kind (units include aliases)."""
        sym = self.result.symbols
        table = {"unit": sym.units, "goal": sym.goals, "mechanism": sym.mechanisms,
                 "task": {k: v for k, v in sym.tasks.items() if getattr(v, "_explicit_id", False)}}
        return dict(table.get(kind, {}))
