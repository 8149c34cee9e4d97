"""The two versions `planlang diff` compares, compiled through the one pipeline — each version at most once per
content: from the result cache when the same text was compiled before (the old version in a git diff driver or
a review loop is the same text run after run), else compiled, the two side by side when a second core is idle.

What the comparison needs of a compilation is its model and how many errors it had (the command says so); that is
what is cached and what a second process hands back. An entry is keyed by the text, the path it is compiled at,
the workspace root and the configuration (planlang.cache adds the code), and records what the compilation read
(`planlang.cache.reads_of`): an entry whose includes changed is a miss. A compilation that could not read
an include, or that of a progress file (whose history is the folder around it), is not cached.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEV_NULL = "/dev/null"
_KIND = "diff"  # the cache's kind for these entries


@dataclass
class Version:
    """One side of a comparison: the file to read, and the path its content belongs to when that is another
    (git passes the content in a temporary file; includes are resolved from the real path, where the working
    tree has them)."""

    name: str
    real: str | None = None
    # filled by `_prepare`
    path: Path | None = None  # where it is compiled (the real path when given)
    text: str | None = None  # the decoded content, when it is UTF-8 (else compile_file reads it and says PL004)
    key: str | None = None
    errors: int = 0
    model: object = None
    reads: dict | None = None
    cacheable: bool = False


def _prepare(v: Version, fail: Callable, use_cache: bool) -> None:
    """Read the version and work out its cache key (failing, in the command's words, on what cannot be read)."""
    from planlang.config import ConfigError, load_config
    from planlang.workspace import decode, find_root

    from planlang.usage import not_a_file

    shown = v.real or v.name
    source = Path(v.name)
    why = not_a_file(source) if v.real is None else None
    if why is not None:
        fail(why)
    try:
        data = source.read_bytes()
    except OSError as e:
        fail(f"无法读取 / cannot read {v.name}: {e.strerror or e}")
    src, diags = decode(data, shown)
    if diags and v.real is not None:
        fail(f"不是 UTF-8 文本 / not UTF-8 text: {v.real}")
    v.path = Path(shown)
    v.text = None if diags else src.text
    try:
        where = v.path.resolve()
        config = load_config(where)
        root = find_root(where)
    except ConfigError as e:
        fail(f"配置错误 / invalid configuration: {e}")
    except (OSError, RuntimeError):
        return  # compile_file will say what is wrong
    if v.text is None or not use_cache:
        return
    from planlang.cache import content_key

    v.key = content_key(_KIND, str(where), str(root), data, repr(sorted(config.raw.items())),
                        str(config.path) if config.path else None)


def _compile(v: Version) -> None:
    """Compile the version (raises ConfigError or OSError as compile_file does)."""
    from planlang.pipeline import compile_file

    result = compile_file(v.path, text=v.text) if v.text is not None else compile_file(v.path)
    v.model = result.model
    v.errors = sum(1 for d in result.diagnostics if d.severity.value == "error")
    if v.key is not None and not result.files[0].fragment.progress:
        from planlang.cache import reads_of

        v.reads = reads_of(result)
    v.cacheable = v.reads is not None


def _entry(v: Version) -> dict:
    return {"model": v.model, "errors": v.errors, "reads": v.reads}


def _from_cache(v: Version, cache) -> bool:
    """Fill the version from its cache entry when there is one and the files it included are unchanged."""
    from planlang.cache import reads_hold

    entry = cache.get(v.key) if v.key is not None else None
    if not isinstance(entry, dict) or not {"model", "errors", "reads"} <= entry.keys():
        return False
    if not reads_hold(entry["reads"]):
        return False
    v.model, v.errors, v.reads = entry["model"], entry["errors"], entry["reads"]
    return True


def _fail_message(e: Exception, v: Version) -> str:
    from planlang.usage import compile_failure

    return compile_failure(e, v.name)


def _free_cores() -> float:
    """About how many cores are idle: those this process may run on, less the last minute's load."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        return cores - os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores - 1


def _compile_beside(v: Version, cache) -> tuple[int, int]:
    """Start compiling `v` in a child process (fork: it shares the loaded modules); returns (pid, read end).
    The child sends back the pickled model and error count (or the message of its failure), then stores the
    cache entry while the parent goes on."""
    r, w = os.pipe()
    pid = os.fork()
    if pid:
        os.close(w)
        return pid, r
    code = 0
    try:  # the child: never returns
        os.close(r)
        try:
            _compile(v)
            payload = pickle.dumps(("ok", v.model, v.errors), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # noqa: BLE001 — the parent reports it as it would its own
            payload = pickle.dumps(("fail", _fail_message(e, v), 0))
        with os.fdopen(w, "wb") as out:
            out.write(payload)
        if v.cacheable and cache is not None:
            cache.put(v.key, _entry(v))
    except BaseException:  # noqa: BLE001 — a child that cannot report: the parent compiles it itself
        code = 1
    finally:
        os._exit(code)


def _collect(fd: int) -> tuple | None:
    """What the child sent (None if it died without sending a whole answer)."""
    chunks = []
    with os.fdopen(fd, "rb") as f:
        while chunk := f.read(1 << 20):
            chunks.append(chunk)
    try:
        return pickle.loads(b"".join(chunks)) if chunks else None
    except Exception:  # noqa: BLE001 — torn: compile it here
        return None


def _compile_or_fail(v: Version, fail: Callable) -> None:
    from planlang.config import ConfigError

    try:
        _compile(v)
    except (ConfigError, OSError) as e:
        fail(_fail_message(e, v))


def compiled_versions(versions: list[Version], fail: Callable, use_cache: bool = True,
                      parallel: bool | None = None) -> list:
    """The compiled model of each version (an empty plan for /dev/null), in order. Errors in a version are said
    on stderr (the comparison goes on with what compiled). `parallel`: compile two versions side by side
    (default: when fork is available and a core is idle beside this one)."""
    from planlang.collector import gc_paused

    with gc_paused():  # as in a compilation: unpickling a plan makes many objects and frees none (up to 5x slower)
        return _compiled_versions(versions, fail, use_cache, parallel)


def _compiled_versions(versions: list[Version], fail: Callable, use_cache: bool, parallel: bool | None) -> list:
    from planlang.model.nodes import CompiledPlan

    cache = None
    if use_cache:
        from planlang.cache import Cache

        cache = Cache(_KIND)
        if not cache.enabled:
            cache = None
    todo = []
    for v in versions:
        if v.name == DEV_NULL:
            v.model = CompiledPlan()
            continue
        _prepare(v, fail, cache is not None)
        if cache is not None and _from_cache(v, cache):
            continue
        todo.append(v)
    if parallel is None:
        parallel = hasattr(os, "fork") and _free_cores() >= 1  # a second process on a busy machine only waits
    pid = fd = None
    try:
        if parallel and len(todo) == 2:
            import planlang.pipeline  # noqa: F401 — loaded once, before the fork, for both processes

            pid, fd = _compile_beside(todo[0], cache)
        for v in todo[1:] if pid is not None else todo:
            _compile_or_fail(v, fail)
        if pid is not None:
            got, fd = _collect(fd), None
            if got is None:
                _compile_or_fail(todo[0], fail)
            elif got[0] == "fail":
                fail(got[1])
            else:
                todo[0].model, todo[0].errors = got[1], got[2]
                todo[0].cacheable = False  # the child stores its entry
        for v in todo:
            if v.cacheable and cache is not None:
                cache.put(v.key, _entry(v))
    finally:
        if pid is not None:
            if fd is not None:  # the parent failed first: the child's work is not wanted
                os.close(fd)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    for v in versions:
        if v.errors:
            sys.stderr.write(f"planlang: {v.real or v.name} 有 {v.errors} 个错误，按编译结果比较 / has {v.errors} "
                             "error(s); compared as compiled\n")
    return [v.model for v in versions]
