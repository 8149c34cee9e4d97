"""A cache of results keyed by what they were computed from, shared by the commands that can re-use work.

An entry is found by a key that hashes everything its value depends on: the text read (never a modification
time), the configuration that applies, the path it was compiled at, and the code that computed it — planlang's
version and a fingerprint of its own source files and grammar, so a changed checker or an editable install never
reads a stale entry. A hit is therefore the same result a fresh run would give; a miss costs only the run.

The cache is best effort: an entry that cannot be read, unpickled or written is a miss, never an error shown to
the user. It lives in the user's cache folder — `$PLANLANG_CACHE_DIR`, else `$XDG_CACHE_HOME/planlang/cache`,
else `~/.cache/planlang/cache` — never inside the project, so a repository cannot ship entries that would be
unpickled on a reader's machine. `PLANLANG_NO_CACHE=1` (or a command's `--no-cache`) turns it off. Entries not
used for 30 days are removed, at most once a day per kind.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

from planlang.collector import gc_paused

_FORMAT = "1"  # bump when the layout of the cache folder changes
_MAX_AGE = 30 * 24 * 3600
_PRUNE_EVERY = 24 * 3600


def cache_folder() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    if os.environ.get("PLANLANG_NO_CACHE", "") not in ("", "0"):
        return None
    own = os.environ.get("PLANLANG_CACHE_DIR")
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "planlang" / "cache"


@cache
def code_fingerprint() -> str:
    """A hash of planlang's version, the Python version and every source file and grammar of the installed
    package (names, sizes and modification times: reading the stats costs about a millisecond)."""
    from planlang import __version__

    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}|{_FORMAT}".encode())
    sources = sorted(p for p in pkg.rglob("*.py") if "__pycache__" not in p.parts)
    grammars = [g for g in (pkg / "grammar" / "planlang.lark", pkg.parent / "grammar" / "planlang.lark") if g.is_file()]
    for p in [*sources, *grammars]:
        st = p.stat()
        h.update(f"{p.name}|{st.st_size}|{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def content_key(*parts: bytes | str | None) -> str:
    """A key for the parts a value depends on (texts, paths, configuration), with the code fingerprint."""
    h = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        data = b"\0none" if part is None else part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """Entries of one kind (e.g. "progress", "check") under the cache folder; `Cache(kind, None)` is off."""

    def __init__(self, kind: str, folder: Path | None | bool = True) -> None:
        base = cache_folder() if folder is True else (None if folder is False else folder)
        self.folder = base / kind if base is not None else None
        self._pruned = False

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _entry(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def get(self, key: str) -> Any | None:
        """The value stored under `key`, or None (also when the entry is unreadable: it is then removed)."""
        if self.folder is None:
            return None
        entry = self._entry(key)
        try:
            # unpickling makes many objects and frees none: collections meanwhile find nothing (~5× slower)
            with gc_paused(), entry.open("rb") as f:
                value = pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception:  # a torn or foreign entry is a miss
            try:
                entry.unlink()
            except OSError:
                pass
            return None
        try:
            os.utime(entry)  # used: keep it from pruning
        except OSError:
            pass
        return value

    def put(self, key: str, value: Any) -> None:
        """Store `value` under `key` (atomically: readers see the old entry or the new one, never a torn one)."""
        if self.folder is None:
            return
        entry = self._entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, entry)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
            return
        self._prune()

    def _prune(self) -> None:
        """Remove entries unused for 30 days, at most once a day (a stamp file records the last pass)."""
        if self._pruned or self.folder is None:
            return
        self._pruned = True
        stamp = self.folder / ".pruned"
        now = time.time()
        try:
            if now - stamp.stat().st_mtime < _PRUNE_EVERY:
                return
        except FileNotFoundError:
            pass
        except OSError:
            return
        try:
            stamp.touch()
            for entry in self.folder.glob("??/*"):
                try:
                    if now - entry.stat().st_mtime > _MAX_AGE:
                        entry.unlink()
                except OSError:
                    pass
        except OSError:
            return


# -- what a compilation read ---------------------------------------------------------------------------------------

def reads_of(result) -> dict | None:
    """What a compilation read besides its root file, stored beside a cached result so that a later run can tell
    whether it still holds: each included file (resolved path, hash of the text compiled) and each include as
    written with the file it led to. None when the result must not be stored: an include could not be read
    (PL004, PL005), and may be there next time."""
    from planlang.model.symbols import Include

    if any(d.code in ("PL004", "PL005") for d in result.diagnostics):
        return None
    files = [(str(f.path), _text_hash(f.source.text)) for f in result.files[1:]]
    includes = [(str(f.path), item.path, _lead(f.path, item.path))
                for f in result.files for item in f.fragment.items if isinstance(item, Include)]
    return {"files": files, "includes": includes}


def reads_hold(reads) -> bool:
    """True when every file in `reads` (from `reads_of`) still has the text it had and every include still leads
    to the same file (a registry edited, or a link pointed elsewhere, is a miss)."""
    try:
        for path, digest in reads["files"]:
            text = decoded(Path(path).read_bytes())
            if text is None or _text_hash(text) != digest:
                return False
        return all(_lead(Path(including), target) == led for including, target, led in reads["includes"])
    except (OSError, KeyError, TypeError, ValueError):
        return False


def decoded(data: bytes) -> str | None:
    """A file's bytes as the pipeline reads them (UTF-8, a leading BOM dropped), None when they are not UTF-8."""
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return None


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _lead(including, target: str) -> str | None:
    """The file an include written as `target` in `including` leads to now."""
    try:
        return str(Path(os.path.normpath(Path(including).parent / target)).resolve())
    except (OSError, RuntimeError, ValueError):
        return None
