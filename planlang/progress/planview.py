"""The compiled plan as `planlang status` and `planlang track export` read it, kept in the result cache.

Status and export read the model and the symbol tables (units, goals, tasks, the task walk) of a compilation —
no spans, no syntax, no diagnostics. That part of a compilation is kept in the result cache (`planlang.cache`,
kind "plan-view") so a plan that has not changed is not compiled again for the next report.

The entry's key hashes the plan file's bytes, its path, the workspace root, the settings and the code; the entry
holds what the compilation read (`planlang.cache.reads_of`: every included file with a hash of its text, each
include with where it led), and a hit is used only while that still holds: an edited registry
(`引用 “units.plan”`) is a miss like an edited plan. A compilation whose includes could not all be read
(PL004, PL005) is not stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planlang.cache import Cache, content_key, decoded, reads_hold, reads_of
from planlang.model.nodes import CompiledPlan
from planlang.model.symbols import Symbols

KIND = "plan-view"


@dataclass(slots=True)
class PlanView:
    """The model and the lookups of a compilation (no spans: `symbols.spans`/`ranges`/`defs`/`refs` are empty)."""

    model: CompiledPlan
    symbols: Symbols


def view_of(result) -> PlanView:
    """The part of a compilation that status and export read."""
    s = result.symbols
    return PlanView(result.model, Symbols(units=s.units, goals=s.goals, tasks=s.tasks, mechanisms=s.mechanisms,
                                          task_list=s.task_list))


def compile_view(path: Path, settings=None, cache: Cache | None = None) -> PlanView:
    """The plan's view, from the result cache when nothing it was compiled from has changed, else compiled
    (and stored). Raises what `compile_file` raises (OSError, ConfigError)."""
    from planlang.checks.settings import settings_from
    from planlang.config import load_config
    from planlang.pipeline import compile_file
    from planlang.workspace import find_root

    path = path.resolve()
    if settings is None:
        settings = settings_from(load_config(path))
    cache = cache if cache is not None else Cache(KIND)
    data = path.read_bytes() if cache.enabled else b""
    key = content_key("plan-view", str(path), data, str(find_root(path)), repr(settings)) if cache.enabled else ""
    entry = cache.get(key) if cache.enabled else None
    if isinstance(entry, dict) and isinstance(entry.get("view"), PlanView) and reads_hold(entry.get("reads")):
        return entry["view"]
    result = compile_file(path, settings=settings)
    view = view_of(result)
    # stored only when the plan compiled is the text the key was made of (it may have changed meanwhile)
    if cache.enabled and result.files and result.files[0].source.text == decoded(data):
        reads = reads_of(result)
        if reads is not None:
            cache.put(key, {"reads": reads, "view": view})
    return view

