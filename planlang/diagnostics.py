"""Diagnostics: what every check and the front end report.

A rule yields a Diagnostic with its code, a span and a message in Chinese and English; the engine in
`planlang.checks.engine` stamps the configured severity. Printers for people and machines live in `planlang.outputs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from planlang.source import Span


class Severity(str, Enum):
    """How bad a diagnostic is. `off` disables a rule."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"

    @property
    def rank(self) -> int:
        """Higher is worse."""
        return {"error": 3, "warning": 2, "info": 1, "off": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Message:
    """A message in both languages."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        """The message in `lang` (zh or en)."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a diagnostic (where a duplicate was first defined, say)."""

    span: Span
    message: Message


@dataclass(slots=True)
class Diagnostic:
    """One problem: a code, a severity, where, and what to say."""

    code: str
    severity: Severity
    span: Span
    message: Message
    related: list[Related] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        """Path of the file the problem is in."""
        return self.span.file.path

    def sort_key(self) -> tuple:
        """Files, then position, then code."""
        return (self.span.file.path, self.span.start, self.span.end, self.code)

    def to_json(self, lang: str = "zh") -> dict:
        """The documented JSON shape: 1-based lines and code-point columns."""
        f = self.span.file
        sl, sc = f.line_col(self.span.start)
        el, ec = f.line_col(self.span.end)
        return {
            "file": f.path,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message.get(lang),
            "range": {"start": {"line": sl, "column": sc}, "end": {"line": el, "column": ec}},
        }


def error(code: str, span: Span, zh: str, en: str, suggestions: list[str] | None = None) -> Diagnostic:
    """A diagnostic at error level with its message in both languages (the engine stamps the configured
    severity later), as the front end reports what it cannot read."""
    return Diagnostic(code, Severity.ERROR, span, Message(zh, en), suggestions=list(suggestions or []))
