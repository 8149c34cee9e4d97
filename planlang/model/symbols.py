"""What the builder records and resolution fills in: references and definitions with their spans, each file's
fragment, the workspace's symbols, and the walkers over the model's trees of tasks and goals.

These are the model's index, shared by the builder, resolution, the checks and the editor features; they hold
data and judge nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from planlang.diagnostics import Diagnostic
from planlang.model.nodes import Goal, Mechanism, PlanInfo, Task, Unit
from planlang.source import SourceFile, Span


# Reference kinds: what a name in a field must resolve to.
UNIT, OWNER, GOAL, TASK = "unit", "owner", "goal", "task"


@dataclass(slots=True)
class Ref:
    """A name used in a field, to be resolved: `kind` is unit, owner (unit or mechanism), goal or task."""

    kind: str
    name: str
    span: Span
    node: object
    field: str


@dataclass(slots=True)
class Def:
    """A declared name: units, goals, tasks with an explicit id, mechanisms, texts."""

    kind: str  # unit, alias, goal, task, mechanism, text
    name: str
    span: Span
    node: object


@dataclass(slots=True)
class DueItem:
    """A deadline as written, read against the plan year during resolution."""

    text: str
    note: str | None
    span: Span


@dataclass(slots=True)
class Include:
    """`引用 “x.plan”` as written."""

    path: str
    span: Span
    defs_before: int = 0  # how many of the file's definitions precede it (for include-expanded order)


@dataclass(slots=True)
class Fragment:
    """What one file contributes, in source order; includes are expanded by the workspace loader."""

    source: SourceFile
    plan: PlanInfo | None = None
    plan_span: Span | None = None
    items: list[object] = field(default_factory=list)  # Unit, Goal, Task, Mechanism, TextPart or Include
    defs: list[Def] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    due: dict[int, list[DueItem]] = field(default_factory=dict)  # id(task) -> deadlines
    spans: dict[int, Span] = field(default_factory=dict)  # id(node) -> span of its header
    ranges: dict[int, Span] = field(default_factory=dict)  # id(node) -> span of the whole block
    diagnostics: list[Diagnostic] = field(default_factory=list)
    progress: list = field(default_factory=list)  # ProgressReport: the 进展 blocks of a progress file


@dataclass(slots=True)
class Resolved:
    """A reference and what it resolved to (None when undefined)."""

    ref: Ref
    target: object | None
    canonical: str | None


@dataclass(slots=True)
class Symbols:
    """Every definition and reference of the workspace, for checks and the editor."""

    defs: list[Def] = field(default_factory=list)
    refs: list[Resolved] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)  # id or alias -> unit
    goals: dict[str, Goal] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)
    spans: dict[int, object] = field(default_factory=dict)  # id(node) -> header span
    ranges: dict[int, object] = field(default_factory=dict)  # id(node) -> whole block span
    task_list: list[tuple[Task, Task | None]] = field(default_factory=list)  # walk_tasks of the plan, once


def walk_tasks(tasks: list[Task]) -> Iterator[tuple[Task, Task | None]]:
    """Every task with its parent, depth first in source order."""
    stack: list[tuple[Task, Task | None]] = [(t, None) for t in reversed(tasks)]
    while stack:
        t, parent = stack.pop()
        yield t, parent
        stack.extend((c, t) for c in reversed(t.children))


def walk_goals(goals: list[Goal]) -> Iterator[Goal]:
    """Every goal, depth first in source order."""
    stack = list(reversed(goals))
    while stack:
        g = stack.pop()
        yield g
        stack.extend(reversed(g.children))
