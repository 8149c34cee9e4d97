"""The compiled plan as `planlang status` and `planlang track export` read it, kept in the result cache.

Status and export read the model and the symbol tables (units, goals, tasks, the task walk) of a compilation —
no spans, no syntax, no diagnostics. That part of a compilation is kept in the result cache (`planlang.cache`,
kind "plan-view") so a plan that has not changed is not compiled again for the next report.

The entry's key hashes the plan file's bytes, its path, the workspace root, the settings and the code; the entry
lists every included file with its resolved path and a hash of its bytes, and each include as written with
where it led. A hit is used only when every included file still has those bytes and every include still leads
to the same file: an edited registry (`引用 “units.plan”`) is a miss like an edited plan. A compilation whose
includes could not all be read (PL004, PL005) is not stored.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from planlang.cache import Cache, content_key
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


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lead(including: Path, target: str) -> str | None:
    try:
        return str(Path(os.path.normpath(Path(including).parent / target)).resolve())
    except (OSError, RuntimeError, ValueError):
        return None


def _text_digest(path: Path) -> str | None:
    text = _decoded(path.read_bytes())
    return None if text is None else _digest(text.encode("utf-8"))


def _still_valid(entry) -> bool:
    try:
        for path, digest in entry["files"]:
            if _text_digest(Path(path)) != digest:
                return False
        return all(_lead(Path(including), target) == led for including, target, led in entry["includes"])
    except (OSError, KeyError, TypeError, ValueError):
        return False


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
    if isinstance(entry, dict) and isinstance(entry.get("view"), PlanView) and _still_valid(entry):
        return entry["view"]
    result = compile_file(path, settings=settings)
    view = view_of(result)
    if cache.enabled and result.files and result.files[0].source.text == _decoded(data) and not any(
            d.code in ("PL004", "PL005") for d in result.diagnostics):
        from planlang.model.symbols import Include

        # what the compilation read (its text, not the file now: it may have changed meanwhile)
        files = [(str(f.path), _digest(f.source.text.encode("utf-8"))) for f in result.files[1:]]
        includes = [(str(f.path), item.path, _lead(f.path, item.path))
                    for f in result.files for item in f.fragment.items if isinstance(item, Include)]
        cache.put(key, {"files": files, "includes": includes, "view": view})
    return view


def _decoded(data: bytes) -> str | None:
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return None
