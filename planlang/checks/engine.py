"""The engine that runs the registered rules over a compiled plan.

Rules yield diagnostics; the engine stamps the configured severity, applies `# planlang: ignore[...]`
suppressions and drops knock-on errors on lines that already have a syntax error.
"""

from __future__ import annotations

from planlang.checks.context import CheckContext
from planlang.checks.registry import RULE_BY_CODE, RULES
from planlang.checks.settings import Settings
from planlang.checks.suppress import apply_suppressions
from planlang.diagnostics import Diagnostic, Severity
from planlang.syntax.nodes import Comment


# Never a consequence of a syntax error: PL001 itself, PL004 (the file's bytes are not UTF-8 — if anything, the
# syntax error on its line is the consequence of that) and PL005 (the include's path is the text as written, and
# whether that file exists does not depend on the rest of the line).
_NEVER_KNOCK_ON = frozenset({"PL001", "PL004", "PL005"})


def run_checks(ctx: CheckContext, front: list[Diagnostic], settings: Settings | None = None,
               comments: dict[str, tuple[object, list[Comment]]] | None = None) -> list[Diagnostic]:
    """Run every enabled rule; return the front end's and the rules' diagnostics, stamped, suppressed, sorted."""
    settings = settings or Settings()
    found: list[Diagnostic] = []
    for d in front:
        d.severity = settings.severity_of(d.code, RULE_BY_CODE[d.code].severity if d.code in RULE_BY_CODE else d.severity)
        found.append(d)
    ctx.options = settings.options
    for rule in RULES:
        if rule.check is None:
            continue
        severity = settings.severity_of(rule.code, rule.severity)
        if severity is Severity.OFF:
            continue
        for d in rule.check(ctx):
            d.severity = severity
            found.append(d)
    found = [d for d in found if d.severity is not Severity.OFF]
    syntax_lines = {(d.span.file.path, d.span.file.line_index(d.span.start)) for d in found if d.code == "PL001"}
    kept: list[Diagnostic] = []
    seen: set[tuple] = set()
    for d in found:
        key = (d.span.file.path, d.span.start, d.span.end, d.code, d.message.zh)
        if key in seen:
            continue
        seen.add(key)
        if d.code not in _NEVER_KNOCK_ON and (d.span.file.path, d.span.file.line_index(d.span.start)) in syntax_lines:
            continue  # a knock-on effect of the syntax error already reported on this line
        kept.append(d)
    if comments:
        kept = apply_suppressions(kept, comments, settings.severity_of("PL006", Severity.INFO))
    kept.sort(key=Diagnostic.sort_key)
    return kept
