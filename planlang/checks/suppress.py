"""In-file suppression: `# planlang: ignore[PL105, PL203]` or a bare `# planlang: ignore` on the line of the
diagnostic, optionally followed by a reason (`# planlang: ignore[PL201] 原因：…`). A suppression that suppresses
nothing is itself reported (PL006, info)."""

from __future__ import annotations

import re

from planlang.diagnostics import Diagnostic, Message, Severity
from planlang.source import SourceFile, Span
from planlang.syntax.nodes import Comment

# A reason may follow, as ruff accepts text after `noqa`: `# planlang: ignore[PL201] 原因：由区政府统筹`.
_IGNORE = re.compile(r"^(?:#|//)\s*planlang:\s*ignore(?:\[([^\]]*)\])?(?:[\s:：，,；;—-].*)?$")


def apply_suppressions(diags: list[Diagnostic], comments: dict[str, tuple[SourceFile, list[Comment]]],
                       unused_severity: Severity) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add PL006 for suppressions that matched nothing."""
    table: dict[tuple[str, int], tuple[SourceFile, Comment, frozenset[str] | None]] = {}
    for path, (src, cs) in comments.items():
        for c in cs:
            m = _IGNORE.match(c.text.strip())
            if m:
                codes = None if m[1] is None else frozenset(x.strip() for x in m[1].split(",") if x.strip())
                table[(path, src.line_index(c.start))] = (src, c, codes)
    if not table:
        return diags
    used: set[tuple[str, int]] = set()
    kept: list[Diagnostic] = []
    for d in diags:
        key = (d.span.file.path, d.span.file.line_index(d.span.start))
        entry = table.get(key)
        if entry is not None and d.code != "PL001" and (entry[2] is None or d.code in entry[2]):
            used.add(key)
            continue
        kept.append(d)
    if unused_severity is not Severity.OFF:
        for key, (src, c, codes) in table.items():
            if key not in used:
                what = "、".join(sorted(codes)) if codes else "全部"
                kept.append(Diagnostic("PL006", unused_severity, Span(src, c.start, c.end), Message(
                    f"忽略注释未起作用：此行没有要忽略的问题（{what}）",
                    f"unused suppression: nothing to ignore on this line ({', '.join(sorted(codes)) if codes else 'all'})")))
    return kept
