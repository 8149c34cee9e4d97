"""What every rule sees."""

from __future__ import annotations

from dataclasses import dataclass

from planlang.model.build import Fragment
from planlang.model.nodes import CompiledPlan
from planlang.model.resolve import Symbols


@dataclass(slots=True)
class CheckContext:
    """The resolved plan, its symbols and the per-file fragments."""

    model: CompiledPlan
    symbols: Symbols
    fragments: list[Fragment]
