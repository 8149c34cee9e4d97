"""The wording of usage errors that several commands share (a plan that cannot be read or compiled)."""

from __future__ import annotations

from pathlib import Path


def compile_failure(e: Exception, file) -> str:
    """The usage error a compilation that raised is: an invalid configuration, or a file that cannot be read."""
    from planlang.config import ConfigError

    if isinstance(e, ConfigError):
        return f"配置错误 / invalid configuration: {e}"
    return f"无法读取 / cannot read {file}: {getattr(e, 'strerror', None) or e}"


def not_a_file(p: Path) -> str | None:
    """Why `p` cannot be read as a plan file, precisely (None when it can be)."""
    import stat

    if str(p) == "":
        return "空的路径 / an empty path"
    try:
        st = p.stat()
    except FileNotFoundError:
        return f"找不到文件 / no such file: {p}"
    except OSError as e:
        return f"无法读取 / cannot read {p}: {e.strerror or e}"
    if stat.S_ISDIR(st.st_mode):
        return f"这是目录，不是文件 / a folder, not a file: {p}"
    if not stat.S_ISREG(st.st_mode):
        kind = "FIFO" if stat.S_ISFIFO(st.st_mode) else "特殊文件 / special file"
        return f"不是普通文件（{kind}）/ not a regular file ({kind}): {p}"
    return None


def overwrites_plan(plan: Path, output: Path) -> bool:
    """True when writing `output` would replace the plan itself (by name, symbolic link or hard link)."""
    from planlang.outputs.files import same_file

    return same_file(plan, output)
