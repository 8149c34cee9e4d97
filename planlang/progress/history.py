"""The progress files of a folder, read through the one pipeline's front half (parse → build).

A progress file holds one period's reports (进展/2023-06.plan …) beside the plan it includes. A progress file
being checked sees the reports of the other files in its folder as its history (PL603, PL607); `planlang status`
compiles the plan once and reads every progress file of the folder against it.

Reading a file's reports does not depend on the plan (its include is not followed: records name tasks by id or
序号 and are resolved later, against the compiled plan), so each file's reports are kept in the result cache
(`planlang.cache`, kind "progress") under a key of the file's bytes, its path and the code: an unchanged file is
read back in a fraction of its parse; an edited one is a new key, so it is parsed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planlang.cache import Cache, content_key
from planlang.progress.model import ProgressReport
from planlang.workspace import decode

KIND = "progress"


@dataclass(slots=True)
class ProgressFile:
    """One progress file: where it is, how it is shown, its reports, and what it includes (as written: the plan
    it reports on)."""

    path: Path
    shown: str
    reports: list[ProgressReport]
    includes: tuple[str, ...] = ()

    def names(self, plan: Path) -> bool:
        """Whether the file includes `plan` (resolved against the file's folder)."""
        try:
            target = plan.resolve()
            return any((self.path.parent / i).resolve() == target for i in self.includes)
        except (OSError, RuntimeError, ValueError):
            return False


def _parse_reports(data: bytes, shown: str) -> tuple[list[ProgressReport], tuple[str, ...]]:
    from planlang.model.build import build
    from planlang.model.symbols import Include
    from planlang.syntax import parse

    src, _ = decode(data, shown)
    frag = build(parse(src.text), src, shown)
    return frag.progress, tuple(i.path for i in frag.items if isinstance(i, Include))


def _valid(value) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], list)
            and all(isinstance(r, ProgressReport) for r in value[0])
            and isinstance(value[1], tuple) and all(isinstance(i, str) for i in value[1]))


def read_progress_file(path: Path, shown: str | None = None, cache: Cache | None = None) -> ProgressFile | None:
    """One file's reports (its includes are not followed); None when it cannot be read. `cache`: where parsed
    reports are kept (default: the user's result cache; `Cache(KIND, False)` reads afresh)."""
    shown = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    cache = cache if cache is not None else Cache(KIND)
    key = content_key("progress-reports", str(path.resolve()), data) if cache.enabled else ""
    value = cache.get(key) if cache.enabled else None
    if not _valid(value):  # a miss, or an entry that is not what we store: read the file
        value = _parse_reports(data, shown)
        cache.put(key, value)
    return ProgressFile(path, shown, value[0], value[1])


def read_folder(folder: Path, shown_from: Path | None = None, cache: Cache | None = None) -> list[ProgressFile]:
    """Every progress file of a folder that holds reports, in name order; `shown_from`: show paths relative to
    it (else the file's name)."""
    out = []
    for p in folder_files(folder):
        shown = str(p.relative_to(shown_from)) if shown_from is not None and p.is_relative_to(shown_from) else p.name
        pf = read_progress_file(p, shown, cache)
        if pf is not None and pf.reports:
            out.append(pf)
    return out


def folder_files(folder: Path) -> list[Path]:
    """The `.plan` files of a progress folder, sorted by name (2023-01.plan … 2023-12.plan)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".plan" and p.is_file())


# The files read as history, by path, kept while the file's size and modification time stay the same: the
# language server checks a progress file on every edit, and its siblings rarely change meanwhile.
_CACHE: dict[Path, tuple[tuple[int, int], ProgressFile | None]] = {}


def sibling_history(path: Path) -> list[ProgressReport]:
    """The reports of the other progress files in `path`'s folder (read once while they do not change)."""
    out: list[ProgressReport] = []
    me = path.resolve()
    for p in folder_files(path.parent):
        p = p.resolve()
        if p == me:
            continue
        pf = cached_file(p)
        if pf is not None:
            out.extend(pf.reports)
    return out


def cached_file(path: Path) -> ProgressFile | None:
    """A progress file, kept in memory while its size and modification time stay the same (and in the result
    cache by content); None when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = (st.st_size, st.st_mtime_ns)
    hit = _CACHE.get(path)
    if hit is None or hit[0] != key:
        hit = _CACHE[path] = (key, read_progress_file(path, path.name))
    return hit[1]
