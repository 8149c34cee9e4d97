"""The checker: an explicit registry of rules, and the engine that runs them.

Each rule is one function in its family's module; its docstring is its documentation (what it checks, why a
drafting office cares, an example, how to fix). Rules yield diagnostics; the engine stamps severity and drops
knock-on errors on lines that already have a syntax error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planlang.checks import frontend, ownership, references
from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: fixed code, name, default severity, one-line summaries, and its check (None: the front end)."""

    code: str
    name: str
    severity: Severity
    summary_zh: str
    summary_en: str
    check: Callable[[CheckContext], Iterable[Diagnostic]] | None
    doc_source: object

    @property
    def doc(self) -> str:
        """The rule's documentation: the docstring of the function that implements it."""
        return (getattr(self.doc_source, "__doc__", None) or "").strip()


E, W = Severity.ERROR, Severity.WARNING

RULES: tuple[Rule, ...] = (
    Rule("PL001", "syntax-error", E, "语法错误", "syntax error", None, frontend.syntax_error),
    Rule("PL002", "unknown-keyword", E, "未知关键字或字段名", "unknown keyword or field name", None,
         frontend.unknown_keyword),
    Rule("PL003", "malformed-value", E, "无法识别的值（数量、日期、类型、频次）",
         "malformed value: quantity, date, enum, cadence", None, frontend.malformed_value),
    Rule("PL004", "not-utf8", E, "文件不是 UTF-8 编码", "file is not UTF-8", None, frontend.not_utf8),
    Rule("PL005", "bad-include", E, "引用的文件不存在、循环引用或超出工作区",
         "include not found, include cycle, or include outside the workspace", None, frontend.bad_include),
    Rule("PL101", "undefined-unit", E, "未定义的单位", "undefined unit", references.undefined_unit,
         references.undefined_unit),
    Rule("PL102", "undefined-goal", E, "未定义的目标", "undefined goal", references.undefined_goal,
         references.undefined_goal),
    Rule("PL103", "undefined-task", E, "未定义的任务或机制", "undefined task or mechanism",
         references.undefined_task, references.undefined_task),
    Rule("PL104", "duplicate-id", E, "标识重复（含引用的文件）", "duplicate id (across included files too)",
         references.duplicate_id, references.duplicate_id),
    Rule("PL201", "task-without-owner", E, "任务没有牵头或责任单位", "task has no owner",
         ownership.task_without_owner, ownership.task_without_owner),
)

RULE_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def run_checks(ctx: CheckContext, front: list[Diagnostic]) -> list[Diagnostic]:
    """Run every rule; return the front end's and the rules' diagnostics, stamped and sorted."""
    found = list(front)
    for rule in RULES:
        if rule.check is None:
            continue
        for d in rule.check(ctx):
            d.severity = rule.severity
            found.append(d)
    syntax_lines = {(d.span.file.path, d.span.file.line_index(d.span.start)) for d in found if d.code == "PL001"}
    kept: list[Diagnostic] = []
    seen: set[tuple] = set()
    for d in found:
        key = (d.span.file.path, d.span.start, d.span.end, d.code, d.message.zh)
        if key in seen:
            continue
        seen.add(key)
        if d.code != "PL001" and (d.span.file.path, d.span.file.line_index(d.span.start)) in syntax_lines:
            continue  # a knock-on effect of the syntax error already reported on this line
        kept.append(d)
    kept.sort(key=Diagnostic.sort_key)
    return kept
