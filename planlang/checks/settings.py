"""The checker's settings from `[tool.planlang]`: select, ignore, severity overrides and rule options.

```toml
[tool.planlang]
select = ["PL1", "PL2", "PL404"]     # codes or prefixes; default: every rule at its default severity
ignore = ["PL105"]
[tool.planlang.severity]
PL503 = "error"
[tool.planlang.rules.PL302]
tolerance = 0.01
```
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from planlang.config import Config, ConfigError
from planlang.diagnostics import Severity

_CODE = re.compile(r"^PL\d{0,3}$")
# What the file says cannot be read: a syntax error (PL001), an unknown keyword (PL002), an unreadable value
# (PL003), not UTF-8 (PL004), a bad include (PL005). The model of such a file is incomplete, so these are always
# errors: naming one in `ignore` or `severity` is a configuration error; a prefix (`PL0`) or a `select` that
# leaves them out simply does not reach them.
READING_ERRORS = frozenset({"PL001", "PL002", "PL003", "PL004", "PL005"})
RULE_OPTIONS = {"PL302": {"tolerance": (int, float)}, "PL604": {"tolerance": (int, float)}, "PL605": {"months": (int,)}}


@dataclass(slots=True)
class Settings:
    """Which rules run, at what severity, with which options."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    options: dict[str, dict] = field(default_factory=dict)

    def severity_of(self, code: str, default: Severity) -> Severity:
        """The severity a code is reported at (OFF: not at all). Reading errors keep theirs: no selection,
        prefix or override turns them off, as no inline suppression does."""
        if code in READING_ERRORS:
            return default
        if code in self.severity:
            return self.severity[code]
        if any(code.startswith(p) for p in self.ignore):
            return Severity.OFF
        if self.select is not None:
            if not any(code.startswith(p) for p in self.select):
                return Severity.OFF
            if default is Severity.OFF:
                return Severity.WARNING  # a default-off rule that is selected is on
        return default


def settings_from(config: Config) -> Settings:
    """Read and validate the checker's keys; anything unusable is a ConfigError naming the key."""
    from planlang.checks.registry import RULE_BY_CODE

    raw = config.raw
    where = str(config.path) if config.path else "configuration"

    def codes(key: str) -> tuple[str, ...] | None:
        if key not in raw:
            return None
        value = raw[key]
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise ConfigError(f"{where}: {key} 必须是代码列表 / {key} must be a list of codes, e.g. [\"PL105\"]")
        for c in value:
            if not _CODE.match(c) or (len(c) == 5 and c not in RULE_BY_CODE) or not any(
                    r.startswith(c) for r in RULE_BY_CODE):
                raise ConfigError(f"{where}: {key} 中的未知代码 / unknown code in {key}: {c}")
            if key == "ignore" and c in READING_ERRORS:
                raise ConfigError(f"{where}: {c} 是读取错误，不能忽略 / {c} is a reading error and cannot be ignored")
        return tuple(value)

    settings = Settings(select=codes("select"), ignore=codes("ignore") or ())
    sev = raw.get("severity", {})
    if not isinstance(sev, dict):
        raise ConfigError(f"{where}: severity 必须是表 / severity must be a table")
    for code, level in sev.items():
        if code not in RULE_BY_CODE:
            raise ConfigError(f"{where}: severity 中的未知代码 / unknown code in severity: {code}")
        if code in READING_ERRORS:
            raise ConfigError(f"{where}: {code} 是读取错误，级别不能更改 / {code} is a reading error: its severity "
                              f"cannot be changed")
        try:
            settings.severity[code] = Severity(level)
        except ValueError:
            raise ConfigError(f"{where}: {code} 的级别只能是 error、warning、info 或 off / severity of {code} must be "
                              f"error, warning, info or off, not {level!r}") from None
    rules = raw.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: rules 必须是表 / rules must be a table")
    for code, opts in rules.items():
        allowed = RULE_OPTIONS.get(code)
        if allowed is None:
            raise ConfigError(f"{where}: 规则 {code} 没有选项 / rule {code} has no options")
        if not isinstance(opts, dict):
            raise ConfigError(f"{where}: rules.{code} 必须是表 / rules.{code} must be a table")
        for name, value in opts.items():
            if name not in allowed:
                raise ConfigError(f"{where}: 规则 {code} 没有选项 {name} / rule {code} has no option {name}")
            if (not isinstance(value, allowed[name]) or isinstance(value, bool) or not math.isfinite(value)
                    or value < 0):
                raise ConfigError(f"{where}: rules.{code}.{name} 必须是非负数 / must be a non-negative number")
        settings.options[code] = dict(opts)
    return settings
