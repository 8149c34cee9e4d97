"""What every rule sees."""

from __future__ import annotations

from dataclasses import dataclass, field

from planlang.model.nodes import CompiledPlan, Task
from planlang.model.symbols import Fragment, Symbols
from planlang.source import Span


@dataclass(slots=True)
class CheckContext:
    """The resolved plan, its symbols, the per-file fragments, and each rule's options from configuration."""

    model: CompiledPlan
    symbols: Symbols
    fragments: list[Fragment]
    options: dict[str, dict] = field(default_factory=dict)
    memo: dict[str, object] = field(default_factory=dict)  # results shared between rules of one run
    history: list = field(default_factory=list)  # ProgressReport: earlier periods' reports (progress files)

    @property
    def tasks(self) -> list[tuple[Task, Task | None]]:
        """Every task with its parent, depth first in source order (listed once, by resolution)."""
        return self.symbols.task_list

    def span_of(self, node: object) -> Span | None:
        """The span the builder recorded for a node (its header, or the value as written)."""
        return self.symbols.spans.get(id(node))

    def option(self, code: str, name: str, default):
        """A rule option: `[tool.planlang.rules.PL302] tolerance = 0.01`."""
        return self.options.get(code, {}).get(name, default)

    @property
    def plan_span(self) -> Span | None:
        """The header of the plan block, if the plan has one."""
        for frag in self.fragments:
            if frag.plan is not None and frag.plan is self.model.plan:
                return frag.plan_span
        return None
