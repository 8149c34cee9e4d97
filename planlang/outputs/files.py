"""Writing files atomically: a reader never sees half a file, and a failed write leaves the old one.

What a write promises:

- the bytes go to a temporary file in the target's folder, are flushed to disk, and replace the target in one
  rename; a failure (or SIGTERM, SIGHUP, SIGINT) before the rename leaves the old file and no temporary file;
- a symbolic link is written through: its target gets the new bytes, the link stays a link;
- only regular files are replaced: a FIFO, a device, a socket or a folder is refused;
- a file without write permission is refused, also for root (who could otherwise replace anything);
- the replaced file keeps its mode and its owner and group (refused when the owner cannot be kept);
- a file with more than one hard link is refused: a rename would quietly split it from its other names.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
import threading
from pathlib import Path

_pending: set[str] = set()  # temporary files not yet renamed into place
_lock = threading.Lock()
_handled: dict[int, object] = {}  # signal → the handler that was there before ours


class WriteRefused(OSError):
    """The target is not something a write may replace; `strerror` says why (in both languages)."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EPERM, message)


def _on_signal(signum, frame) -> None:
    """Remove the temporary files of writes in progress, then die of the signal as we would have."""
    for tmp in list(_pending):
        try:
            os.unlink(tmp)
        except OSError:
            pass
    previous = _handled.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers; the temporary file is still removed on any error
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is None or sig in _handled:
            continue
        try:
            current = signal.getsignal(sig)
            if current in (signal.SIG_IGN, None):
                continue
            _handled[sig] = current
            signal.signal(sig, _on_signal)
        except (ValueError, OSError):
            continue


def real_target(path: Path) -> Path:
    """Where a write to `path` lands: symbolic links followed (a dangling one to the file it names)."""
    return Path(os.path.realpath(path))


def _check_target(target: Path, shown: Path) -> os.stat_result | None:
    """The target's status when it exists; refuses what must not be replaced."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(st.st_mode):
        raise WriteRefused(f"目标是目录，不是文件 / the target is a folder, not a file: {shown}")
    if not stat.S_ISREG(st.st_mode):
        kind = ("FIFO" if stat.S_ISFIFO(st.st_mode) else "设备 / device"
                if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "套接字 / socket"
                if stat.S_ISSOCK(st.st_mode) else "特殊文件 / special file")
        raise WriteRefused(f"目标不是普通文件（{kind}），不写入 / the target is not a regular file ({kind}): {shown}")
    writable = (st.st_mode & 0o222) != 0 if os.geteuid() == 0 else os.access(target, os.W_OK)
    if not writable:
        raise WriteRefused(f"文件是只读的，不写入 / the file is read-only: {shown}")
    if st.st_nlink > 1:
        raise WriteRefused(f"文件有 {st.st_nlink} 个硬链接，替换会把它们拆开，不写入 / the file has {st.st_nlink} "
                           f"hard links, which replacing it would split: {shown}")
    return st


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` (see the module's promises). Returns False when the file already holds exactly
    these bytes (then it is not touched, so its mtime stays). Raises OSError (WriteRefused for a refusal)."""
    path = Path(path)
    target = real_target(path)
    st = _check_target(target, path)
    if st is not None:
        try:
            if target.read_bytes() == data:
                return False
        except OSError:
            pass
    _install_handlers()
    with _lock:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        _pending.add(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if st is not None:
            if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)
                except PermissionError:
                    if st.st_uid != os.geteuid():
                        raise WriteRefused(f"无法保留文件的所有者，不写入 / cannot keep the file's owner: {path}")
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    finally:
        _pending.discard(tmp)
    return True


def same_file(a: Path, b: Path) -> bool:
    """True when writing `b` would overwrite `a` (the same file by name, link or inode)."""
    try:
        if real_target(a) == real_target(b):
            return True
        return os.path.samefile(a, b)
    except OSError:
        return False


def emit(data: bytes, target: Path | None, fail) -> None:
    """A command's output: to standard output when `target` is None, else written atomically to `target`; a
    write that fails or is refused goes to `fail` (the command's usage-error exit) with the reason."""
    import sys

    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_atomic(target, data)
    except OSError as e:
        fail(f"无法写入 / cannot write {target}: {e.strerror or e}")
