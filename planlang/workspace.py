"""Reading files: decoding (PL004), the workspace root, and includes (PL005)."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from planlang.diagnostics import Diagnostic, Message, Severity
from planlang.source import SourceFile, Span

ROOT_MARKERS = ("planlang.toml", "pyproject.toml", ".git")


def find_root(path: Path) -> Path:
    """The workspace root: the nearest folder above `path` holding planlang.toml, pyproject.toml or .git."""
    start = path if path.is_dir() else path.parent
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / m).exists() for m in ROOT_MARKERS):
            return folder
    return start


def decode(data: bytes, path: str) -> tuple[SourceFile, list[Diagnostic]]:
    """Decode UTF-8 (a BOM is accepted). Anything else is a PL004 with advice, and a best-effort text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return SourceFile(path, data.decode("utf-8")), []
    except UnicodeDecodeError as e:
        bad = e.start
    text = data.decode("utf-8", errors="replace")
    src = SourceFile(path, text)
    offset = len(data[:bad].decode("utf-8", errors="replace"))
    span = Span(src, offset, min(offset + 1, len(text)))
    if b"\x00" in data[:8192]:
        zh, en = "文件不是 UTF-8 文本（看起来是二进制文件）", "file is not UTF-8 text (it looks binary)"
    elif _looks_gb(data):
        zh = (f"文件不是 UTF-8 编码（第 {src.line_col(offset)[0]} 行起），看起来是 GBK/GB18030。"
              f"请转换为 UTF-8，例如：iconv -f GB18030 -t UTF-8 原文件 > 新文件")
        en = (f"file is not UTF-8 (from line {src.line_col(offset)[0]}); it looks like GBK/GB18030. "
              f"Convert it, e.g. iconv -f GB18030 -t UTF-8 old.plan > new.plan")
    else:
        zh = f"文件不是 UTF-8 编码（第 {src.line_col(offset)[0]} 行起），请另存为 UTF-8"
        en = f"file is not UTF-8 (from line {src.line_col(offset)[0]}); save it as UTF-8"
    return src, [Diagnostic("PL004", Severity.ERROR, span, Message(zh, en))]


def _looks_gb(data: bytes) -> bool:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk >= max(1, len(text) // 50)


def read_file(path: Path, display: str | None = None) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read and decode a file; None with no diagnostics means it could not be read (the caller reports)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None, []
    return decode(data, display or str(path))


@dataclass(slots=True)
class IncludeOutcome:
    """Where an include points, or why it cannot be followed."""

    path: Path | None
    diagnostic: Diagnostic | None = None


def resolve_include(including: Path, target: str, root: Path, span: Span, stack: list[Path]) -> IncludeOutcome:
    """Check one include: relative to the including file, inside the workspace, existing, not a cycle."""
    def err(zh: str, en: str) -> IncludeOutcome:
        return IncludeOutcome(None, Diagnostic("PL005", Severity.ERROR, span, Message(zh, en)))

    if not target.strip():
        return err("引用的文件名为空", "empty include path")
    if "\x00" in target:  # no file system takes it; os functions raise ValueError
        return err("引用的文件名含有空字符（NUL），不能用作文件名", "include path contains a NUL character")
    shown = target if len(target) <= 60 else target[:30] + "…" + target[-20:]
    # every file system question below can fail on a path the user wrote: too long a name, a symbolic link
    # that loops (Path.resolve raises RuntimeError for that one), a folder that cannot be read
    try:
        resolved = Path(os.path.normpath(including.parent / target)).resolve()
        outside = not _inside(resolved, root)
        missing = not outside and not resolved.is_file()
    except RuntimeError:
        return err(f"引用的文件“{shown}”是循环的符号链接", f"included file '{shown}' is a symbolic link loop")
    except OSError as e:
        if e.errno == errno.ENAMETOOLONG:
            return err(f"引用的文件名“{shown}”过长", f"include path '{shown}' is too long")
        if e.errno == errno.ELOOP:
            return err(f"引用的文件“{shown}”是循环的符号链接", f"included file '{shown}' is a symbolic link loop")
        return err(f"无法读取引用的文件“{shown}”", f"cannot read included file '{shown}'")
    except ValueError:
        return err(f"无法读取引用的文件“{shown}”", f"cannot read included file '{shown}'")
    if not outside and root.parent == root and resolved.parent != Path(os.path.normpath(including.parent)).resolve():
        # a plan whose root is the file system's own (a file opened with no workspace and no marker above it,
        # `file:///x.plan`): the whole disk is no workspace, so its includes stay in its own folder
        outside = True
    if outside:
        return err(f"引用的文件“{target}”在工作区之外", f"included file '{target}' is outside the workspace")
    if missing:
        return err(f"找不到引用的文件“{target}”", f"included file '{target}' not found")
    if resolved in stack:
        chain = " → ".join(p.name for p in [*stack[stack.index(resolved):], resolved])
        return err(f"循环引用：{chain}", f"include cycle: {chain}")
    return IncludeOutcome(resolved)


def unreadable_include(target: str, span: Span) -> Diagnostic:
    """PL005 for an included file that exists but could not be read (permissions, a read error)."""
    return Diagnostic("PL005", Severity.ERROR, span,
                      Message(f"无法读取引用的文件“{target}”", f"cannot read included file '{target}'"))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


@dataclass(slots=True)
class Workspace:
    """The root and the display form of paths under it."""

    root: Path
    display_base: Path = field(default_factory=Path.cwd)

    def display(self, path: Path) -> str:
        """A path as users see it in messages: relative to the current folder when below it."""
        try:
            return str(path.resolve().relative_to(self.display_base.resolve()))
        except ValueError:
            return str(path)

    def relative(self, path: Path) -> str:
        """A path relative to the workspace root, with forward slashes (for output)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.name
