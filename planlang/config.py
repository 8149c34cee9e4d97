"""Configuration: `[tool.planlang]` in pyproject.toml, or a planlang.toml, found by walking up from a file.

The formatter reads `indent` and `lang`; the checker reads `select`, `ignore`, `severity` and `rules` (see
`planlang.checks.settings`). Invalid configuration raises ConfigError with a message that names the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


class ConfigError(Exception):
    """Configuration that cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Config:
    """The `[tool.planlang]` table, and where it came from (None: defaults)."""

    indent: int = 2
    lang: str | None = None
    raw: dict = field(default_factory=dict)
    path: Path | None = None


KNOWN_KEYS = {"indent", "lang", "select", "ignore", "severity", "rules"}


def find_config(start: Path) -> tuple[Path, dict] | None:
    """The nearest planlang.toml, or pyproject.toml with a [tool.planlang] table, at or above `start`."""
    folder = (start if start.is_dir() else start.parent).resolve()
    for d in (folder, *folder.parents):
        own = d / "planlang.toml"
        if own.is_file():
            return own, _tool_table(own) or _read(own)
        py = d / "pyproject.toml"
        if py.is_file():
            table = _tool_table(py)
            if table is not None:
                return py, table
    return None


def _tool_table(path: Path):
    """`[tool.planlang]` of a TOML file (None when absent); `tool` that is not a table is an error."""
    tool = _read(path).get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool 必须是表 / tool must be a table, not {type(tool).__name__}")
    return tool.get("planlang")


def _read(path: Path) -> dict:
    try:
        return _read_cached(path, path.stat().st_mtime_ns)
    except OSError as e:
        raise ConfigError(f"{path}: 无法读取 / cannot read: {e.strerror or e}") from None


@lru_cache(maxsize=64)
def _read_cached(path: Path, mtime: int) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: TOML 格式错误 / invalid TOML: {e}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: 不是 UTF-8 文本（第 {e.start} 字节）/ not UTF-8 text (at byte {e.start})") from None


def load_config(path: Path) -> Config:
    """The configuration that applies to `path` (a file or a folder)."""
    found = find_config(path)
    if found is None:
        return Config()
    where, table = found
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.planlang] 必须是表 / must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: 未知的配置项 / unknown key(s): {', '.join(unknown)} "
                          f"(可用 / known: {', '.join(sorted(KNOWN_KEYS))})")
    indent = table.get("indent", 2)
    if not isinstance(indent, int) or isinstance(indent, bool) or not 1 <= indent <= 8:
        raise ConfigError(f"{where}: indent 必须是 1–8 的整数 / indent must be an integer from 1 to 8")
    lang = table.get("lang")
    if lang not in (None, "zh", "en"):
        raise ConfigError(f"{where}: lang 只能是 \"zh\" 或 \"en\" / lang must be \"zh\" or \"en\"")
    return Config(indent=indent, lang=lang, raw=dict(table), path=where)
