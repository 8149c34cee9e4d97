"""The rule registry: every rule's fixed code, name, default severity, summaries and check, in one explicit list.

Each rule is one function in its family's module; its docstring is its documentation (what it checks, why a
drafting office cares, an example, how to fix), in English, then after a line `【中文】` in Chinese (检查内容 /
原因 / 示例（不通过） / 示例（通过） / 修改方法). The list is grepped, not discovered: a new rule is added here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planlang.checks import frontend, indicators, mechanisms, ownership, references, schedule, spelling
from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Severity
from planlang.progress import checks as progress_checks


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
        import inspect

        return inspect.cleandoc(getattr(self.doc_source, "__doc__", None) or "")

    @property
    def doc_en(self) -> str:
        """The English half of the documentation: everything before the line `【中文】` (all of it when the
        docstring has no Chinese half)."""
        return _halves(self.doc)[0]

    @property
    def doc_zh(self) -> str:
        """The Chinese half, under a title line `PL201 — 任务没有牵头或责任单位`; the English text when the
        docstring has no Chinese half."""
        zh = _halves(self.doc)[1]
        return f"{self.code} — {self.summary_zh}\n\n{zh}" if zh else self.doc_en

    def doc_in(self, lang: str = "zh") -> str:
        """The documentation in `lang` (zh or en)."""
        return self.doc_en if lang == "en" else self.doc_zh


ZH_MARK = "【中文】"


def _halves(doc: str) -> tuple[str, str]:
    """(English, Chinese) halves of a rule docstring: a line that is exactly `【中文】` separates them."""
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == ZH_MARK:
            return "\n".join(lines[:i]).strip(), "\n".join(lines[i + 1:]).strip()
    return doc.strip(), ""


E, W, I, OFF = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.OFF


def _front(code, name, sev, zh, en, doc) -> Rule:
    return Rule(code, name, sev, zh, en, None, doc)


def _rule(code, name, sev, zh, en, fn) -> Rule:
    return Rule(code, name, sev, zh, en, fn, fn)


RULES: tuple[Rule, ...] = (
    _front("PL001", "syntax-error", E, "语法错误", "syntax error", frontend.syntax_error),
    _front("PL002", "unknown-keyword", E, "未知关键字或字段名", "unknown keyword or field name", frontend.unknown_keyword),
    _front("PL003", "malformed-value", E, "无法识别的值（数量、日期、类型）", "malformed value: quantity, date, enum",
           frontend.malformed_value),
    _front("PL004", "not-utf8", E, "文件不是 UTF-8 编码", "file is not UTF-8", frontend.not_utf8),
    _front("PL005", "bad-include", E, "引用的文件不存在、循环引用或超出工作区",
           "include not found, include cycle, or include outside the workspace", frontend.bad_include),
    _front("PL006", "unused-suppression", I, "未起作用的忽略注释", "unused suppression comment", frontend.unused_suppression),
    _rule("PL101", "undefined-unit", E, "未定义的单位", "undefined unit", references.undefined_unit),
    _rule("PL102", "undefined-goal", E, "未定义的目标", "undefined goal", references.undefined_goal),
    _rule("PL103", "undefined-task", E, "未定义的任务或机制", "undefined task or mechanism", references.undefined_task),
    _rule("PL104", "duplicate-id", E, "标识重复（含引用的文件）", "duplicate id (across included files too)",
          references.duplicate_id),
    _rule("PL105", "unused-unit", W, "单位已声明但未使用", "unit declared but never used", references.unused_unit),
    _rule("PL106", "unit-written-two-ways", W, "同一单位在方案中有多种写法", "one unit written two ways in one plan",
          spelling.unit_written_two_ways),
    _rule("PL107", "near-identical-units", W, "两个已声明单位的名称几乎相同", "two declared units with near-identical names",
          spelling.near_identical_units),
    _rule("PL201", "task-without-owner", E, "任务没有牵头或责任单位", "task has no owner", ownership.task_without_owner),
    _rule("PL202", "collective-only", W, "任务只由集体单位负责，没有具体责任人", "task owned only by collective units",
          ownership.collective_only),
    _rule("PL203", "two-roles", W, "同一单位在一项任务中担任两个角色", "the same unit holds two roles in one task",
          ownership.two_roles),
    _rule("PL204", "lead-not-in-group", W, "牵头单位不是工作专班成员", "a lead unit is not a member of the working group",
          ownership.lead_not_in_working_group),
    _front("PL205", "unconfirmed-owner", E, "待确认的责任表述", "owner phrase to confirm", ownership.unconfirmed_owner),
    _rule("PL301", "goal-without-task", W, "目标没有任务支撑", "goal supported by no task", indicators.goal_without_task),
    _rule("PL302", "growth-total-mismatch", E, "基数 × (1 + 增长) 与总量不符",
          "indicator arithmetic inconsistent: baseline × (1 + growth) vs total", indicators.growth_total_mismatch),
    _rule("PL303", "incompatible-units", E, "同一指标的计量单位不相容", "incompatible units of measure for the same indicator",
          indicators.incompatible_units),
    _rule("PL304", "unknown-unit-of-measure", W, "未知的计量单位", "unknown unit of measure",
          indicators.unknown_unit_of_measure),
    _rule("PL305", "stated-twice", E, "同一指标前后数值不一致", "the same indicator stated twice with different values",
          indicators.stated_twice),
    _rule("PL401", "deadline-outside-period", E, "时限超出方案周期", "deadline outside the plan period",
          schedule.deadline_outside_period),
    _rule("PL402", "child-after-parent", W, "子任务时限晚于上级任务", "a sub-task's deadline is later than its parent's",
          schedule.child_after_parent),
    _rule("PL403", "dependency-cycle", E, "任务依赖形成循环", "dependency cycle between tasks", schedule.dependency_cycle),
    _rule("PL404", "task-without-deadline", OFF, "任务没有时限（默认关闭）", "task without deadline (off by default)",
          schedule.task_without_deadline),
    _rule("PL501", "mechanism-without-owner", E, "机制没有召集人或牵头单位", "mechanism without owner / convener",
          mechanisms.mechanism_without_owner),
    _front("PL502", "invalid-cadence", E, "无效的频次", "invalid cadence", mechanisms.invalid_cadence),
    _rule("PL503", "no-dispatch-or-assessment", W, "方案没有调度或考核机制", "plan has no dispatch or assessment mechanism",
          mechanisms.no_dispatch_or_assessment),
    _rule("PL601", "unknown-progress-task", E, "进展记录指向不存在的任务", "progress record for a task that does not exist",
          progress_checks.unknown_task),
    _rule("PL602", "filed-by-non-owner", W, "填报单位不是该任务的责任单位", "progress filed by a unit that does not own the task",
          progress_checks.filed_by_non_owner),
    _rule("PL603", "overdue", W, "任务已过时限仍未完成", "task past its deadline and not done (overdue)",
          progress_checks.overdue),
    _rule("PL604", "behind-schedule", W, "指标完成慢于序时进度", "indicator behind 序时进度 (the share of the period elapsed)",
          progress_checks.behind_schedule),
    _rule("PL605", "unreported", W, "责任单位本期应报未报", "an owner unit filed no report for a period it owed one",
          progress_checks.unreported_unit),
    _rule("PL606", "incompatible-reported-value", E, "填报数值的计量单位与指标不相容",
          "reported value in a unit incompatible with the indicator", progress_checks.incompatible_value),
    _rule("PL607", "reopened-without-note", W, "已完成的任务改为未完成而没有说明", "a task goes back from 已完成 without a note",
          progress_checks.reopened_without_note),
)

RULE_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
