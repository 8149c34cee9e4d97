"""Checking many plans at once: from the result cache, and in parallel across cores.

`planlang check DIR` over a province's thousands of plans does the same work again and again: most files have
not changed since the last run. For each file, the check's outcome — its diagnostics and the files it includes —
is kept in the result cache (`planlang.cache`, kind "check"), under a key made of everything the outcome depends
on: the file's bytes, every file its compilation read or looked for (path and bytes, or that it is missing), the
configuration that applies to it, the workspace root, the folder paths are shown relative to, and planlang's code.
A re-run after one plan is edited therefore compiles that plan alone; after a unit registry is edited, every plan
that includes it, directly or through another include, and no other.

Which files a compilation reads is known only after it: a first entry, keyed by the file alone, names them
(the manifest); the second, keyed by the file and the contents of the files it names, holds the outcome. A
changed include list shows as a changed file (the one that names the include), so the manifest is never stale
in a way that matters: the second key is computed from what is on disk now.

What misses is compiled in a pool of worker processes (`jobs`, default: the cores this process may use), unless
the work is too small for a pool to pay for itself (one file, or a few small ones), and the outcomes come back in
the order of the files, so every output format prints the same bytes as a serial run. Nothing here loads the
pipeline until a file misses: a warm run reads files, hashes them and unpickles diagnostics.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

# Below this many bytes of plans to compile, a pool costs more than it saves: starting two workers and sending the
# results back costs about as much as compiling 60–100 KB of plans (`bench/workspace.py --crossover`: on two
# shared cores the pool first won at three plans, 98 KB, and lost at two, 71 KB). See `_use_pool`.
POOL_MIN_BYTES = 96_000
POOL_MIN_FILES = 2


@dataclass(slots=True)
class Outcome:
    """What checking one file gave: its diagnostics and the files it includes (resolved paths), or why it could
    not be checked — an unreadable file (`io_error`, the message) or invalid configuration (`config_error`)."""

    diagnostics: list = field(default_factory=list)
    includes: tuple[str, ...] = ()
    io_error: str | None = None
    config_error: str | None = None
    cached: bool = False


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# -- keys -------------------------------------------------------------------------------------------------------

def _content(path: str) -> bytes:
    """A file's state as part of a key: its bytes, or that it is missing or unreadable."""
    try:
        with open(path, "rb") as f:
            return b"F" + f.read()
    except FileNotFoundError:
        return b"A"
    except IsADirectoryError:
        return b"D"
    except OSError as e:
        return b"E" + str(e.errno).encode()


def _digest(state: bytes) -> bytes:
    """What a key holds of a dependency's state: its hash (a run keeps thousands of them, never the texts)."""
    return hashlib.sha256(state).digest()


def _listing(folder: str) -> bytes:
    """The `.plan` files of a folder (a progress file's history is its siblings) as part of a key."""
    try:
        return "\0".join(sorted(n for n in os.listdir(folder) if n.endswith(".plan"))).encode("utf-8", "surrogatepass")
    except OSError:
        return b"A"


class _Keys:
    """The parts of a file's keys that do not depend on its includes, read once per folder for a run."""

    def __init__(self) -> None:
        self.cwd = os.getcwd()
        self._configs: dict[Path, str | None] = {}
        self._roots: dict[Path, str] = {}
        self._files: dict[str, bytes] = {}

    def config(self, folder: Path) -> str | None:
        """The configuration that applies in `folder` (where it is and what it says), None when it is invalid."""
        if folder not in self._configs:
            from planlang.config import ConfigError, load_config

            try:
                c = load_config(folder)
                self._configs[folder] = f"{c.path}\0{json.dumps(c.raw, sort_keys=True, default=repr)}"
            except ConfigError:
                self._configs[folder] = None
        return self._configs[folder]

    def root(self, folder: Path) -> str:
        if folder not in self._roots:
            from planlang.workspace import find_root

            self._roots[folder] = str(find_root(folder))
        return self._roots[folder]

    def state(self, path: str) -> bytes:
        """The digest of a file's state, read once per run (a registry is named by thousands of plans)."""
        got = self._files.get(path)
        if got is None:
            got = self._files[path] = _digest(_content(path))
        return got

    def base(self, path: Path, data: bytes) -> tuple | None:
        """The parts every key of `path` starts with; None when the configuration is invalid (never cached)."""
        folder = path.parent
        config = self.config(folder)
        if config is None:
            return None
        return ("check", str(path), data, self.cwd, config, self.root(folder))

    @staticmethod
    def manifest_key(base: tuple) -> str:
        from planlang.cache import content_key

        return content_key(*base, "manifest")

    def outcome_key(self, base: tuple, deps: list[tuple[str, str]], states: dict[str, bytes] | None = None) -> str:
        """The key of the outcome: `base` and the state of each dependency — ("f", path): a file's bytes or
        absence; ("d", folder): a folder's `.plan` names — read now, or given in `states` (by path, digests)."""
        from planlang.cache import content_key

        parts: list = [*base, "outcome"]
        for kind, p in deps:
            if states is not None and p in states:
                state = states[p]
            else:
                state = self.state(p) if kind == "f" else _digest(_listing(p))
            parts += [kind, p, state]
        return content_key(*parts)


# -- one file ---------------------------------------------------------------------------------------------------

def _dependencies(result) -> list[tuple[str, str]]:
    """Every file a compilation read or looked for, beyond the root file: what it includes (loaded or not, so a
    missing include that appears invalidates), and for a progress file its folder and sibling files."""
    from planlang.model.symbols import Include

    deps: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(kind: str, p: str) -> None:
        if (kind, p) not in seen:
            seen.add((kind, p))
            deps.append((kind, p))

    for unit in result.files:
        for item in unit.fragment.items:
            if isinstance(item, Include):
                # the path as written (read through a symbolic link, so a link pointed elsewhere is a change)
                try:
                    add("f", os.path.normpath(unit.path.parent / item.path))
                except (ValueError, OSError):
                    continue  # a name no file system takes: the diagnostic does not depend on the disk
        if unit is not result.files[0]:
            add("f", str(unit.path))
    root = result.files[0]
    if root.fragment.progress:
        from planlang.progress.history import folder_files

        add("d", str(root.path.parent))
        for p in folder_files(root.path.parent):
            if p.resolve() != root.path:
                add("f", str(p.resolve()))
    return deps


def _same_text(data: bytes, text: str) -> bool:
    """Whether a file's state (`_content`) decodes to the text a compilation read (else it changed meanwhile)."""
    from planlang.workspace import decode

    return data[:1] == b"F" and decode(data[1:], "")[0].text == text


def compute(path: Path, use_cache: bool = True) -> Outcome:
    """Compile one plan and keep its outcome in the cache (unless a file changed while it was read)."""
    from planlang.config import ConfigError
    from planlang.pipeline import compile_file

    try:
        result = compile_file(path)
    except ConfigError as e:
        return Outcome(config_error=str(e))
    except OSError as e:
        return Outcome(io_error=e.strerror or str(e))
    includes = tuple(str(u.path) for u in result.files[1:])
    out = Outcome(list(result.diagnostics), includes)
    if use_cache:
        _store(path, result, out)
    return out


def _store(path: Path, result, out: Outcome) -> None:
    from planlang.cache import Cache

    cache = Cache("check")
    if not cache.enabled:
        return
    # every file's state read once, after the compilation, and compared with the text it read: a file edited
    # meanwhile is not stored (the next run checks it again)
    states = {str(u.path): _content(str(u.path)) for u in result.files}
    if any(not _same_text(states[str(u.path)], u.source.text) for u in result.files):
        return
    deps = _dependencies(result)
    states.update((p, _content(p) if kind == "f" else _listing(p)) for kind, p in deps if p not in states)
    keys = _Keys()
    root = result.files[0].path
    base = keys.base(root, states[str(root)][1:])
    if base is None:
        return
    digests = {p: _digest(state) for p, state in states.items()}
    cache.put(keys.outcome_key(base, deps, digests), (out.diagnostics, out.includes))
    cache.put(keys.manifest_key(base), deps)


def _work(item: tuple[str, bool]) -> Outcome:
    """A worker's task: one file."""
    return compute(Path(item[0]), item[1])


# -- many files -------------------------------------------------------------------------------------------------

def _use_pool(todo: list[tuple[Path, int]], jobs: int) -> bool:
    """Whether compiling `todo` (paths and sizes) in a pool pays: more than one job allowed, at least two files,
    and enough text that the pool's start (forking the workers, each result sent back) is won back."""
    return jobs > 1 and len(todo) >= POOL_MIN_FILES and sum(n for _, n in todo) >= POOL_MIN_BYTES


def _worker_start() -> None:
    """Ctrl-C is the command's to handle (it stops the pool); a worker does not print a traceback for it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_map(items: list[tuple[str, bool]], jobs: int) -> list[Outcome]:
    import multiprocessing as mp

    import planlang.pipeline  # noqa: F401 — loaded before the fork, so the workers start with it

    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else None)
    workers = min(jobs, len(items))
    chunk = max(1, min(16, len(items) // (workers * 8)))
    with ctx.Pool(workers, initializer=_worker_start) as pool:
        return pool.map(_work, items, chunksize=chunk)


class Checker:
    """Checks files for the `check` command: from the cache when it can, the rest in parallel when it pays.
    `computed` names the files compiled (not found in the cache) by the last `run`."""

    def __init__(self, jobs: int | None = None, use_cache: bool = True) -> None:
        from planlang.cache import Cache

        self.jobs = jobs or default_jobs()
        self.cache = Cache("check") if use_cache else Cache("check", False)
        self.computed: list[Path] = []

    def lookup(self, keys: _Keys, path: Path) -> tuple[Outcome | None, int]:
        """The cached outcome of `path` (None on a miss) and its size in bytes."""
        resolved = path.resolve()
        data = _content(str(resolved))
        if data[:1] != b"F":
            return None, 0
        size = len(data) - 1
        if not self.cache.enabled:
            return None, size
        base = keys.base(resolved, data[1:])
        if base is None:
            return None, size
        deps = self.cache.get(keys.manifest_key(base))
        if not (isinstance(deps, list) and all(
                isinstance(d, tuple) and len(d) == 2 and d[0] in ("f", "d") and isinstance(d[1], str) for d in deps)):
            return None, size  # a manifest of another shape: a miss
        hit = self.cache.get(keys.outcome_key(base, deps))
        if not (isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], list)):
            return None, size
        return Outcome(hit[0], tuple(hit[1]), cached=True), size

    def run(self, files: list[Path]) -> list[Outcome]:
        """The outcome of each file, in the order given."""
        keys = _Keys()
        outcomes: list[Outcome | None] = []
        todo: list[tuple[Path, int]] = []
        for f in files:
            hit, size = self.lookup(keys, f)
            outcomes.append(hit)
            if hit is None:
                todo.append((f, size))
        self.computed = [f for f, _ in todo]
        if todo:
            if _use_pool(todo, self.jobs):
                done = iter(_pool_map([(str(f), self.cache.enabled) for f, _ in todo], self.jobs))
            else:
                done = (compute(f, self.cache.enabled) for f, _ in todo)
            outcomes = [o if o is not None else next(done) for o in outcomes]
        return outcomes  # type: ignore[return-value]
