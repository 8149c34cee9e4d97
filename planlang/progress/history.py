"""The progress files of a folder, read through the one pipeline's front half (parse → build).

A progress folder holds one file per period (进展/2023-06.plan …) beside the plan they include. A progress file
being checked sees the reports of the other files in its folder as its history (PL603, PL607); `planlang status`
compiles the plan once and reads every progress file of the folder against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planlang.model.build import build
from planlang.model.symbols import Fragment
from planlang.progress.model import ProgressReport
from planlang.syntax import parse
from planlang.workspace import read_file


@dataclass(slots=True)
class ProgressFile:
    """One progress file: its fragment (records, spans, front-end diagnostics) and its reports."""

    path: Path
    fragment: Fragment

    @property
    def reports(self) -> list[ProgressReport]:
        return self.fragment.progress


def read_progress_file(path: Path, shown: str | None = None) -> ProgressFile | None:
    """Parse and build one file (its includes are not followed); None when it cannot be read."""
    src, _ = read_file(path, shown or str(path))
    if src is None:
        return None
    return ProgressFile(path, build(parse(src.text), src, shown or path.name))


def folder_files(folder: Path) -> list[Path]:
    """The `.plan` files of a progress folder, sorted by name (2023-01.plan … 2023-12.plan)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".plan" and p.is_file())


# The reports of files read as history, by path, kept while the file's size and modification time stay the same:
# the language server checks a progress file on every edit, and its siblings rarely change meanwhile.
_CACHE: dict[Path, tuple[tuple[int, int], list[ProgressReport]]] = {}


def sibling_history(path: Path) -> list[ProgressReport]:
    """The reports of the other progress files in `path`'s folder (read once while they do not change)."""
    out: list[ProgressReport] = []
    me = path.resolve()
    for p in folder_files(path.parent):
        p = p.resolve()
        if p == me:
            continue
        try:
            st = p.stat()
        except OSError:
            continue
        key = (st.st_size, st.st_mtime_ns)
        hit = _CACHE.get(p)
        if hit is None or hit[0] != key:
            pf = read_progress_file(p, p.name)
            hit = _CACHE[p] = (key, pf.reports if pf is not None else [])
        out.extend(hit[1])
    return out
