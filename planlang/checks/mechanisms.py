"""Mechanisms: every mechanism has an owner, cadences are real, and the plan is dispatched and assessed
(PL501–PL503)."""

from __future__ import annotations

from collections.abc import Iterator

from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Message, Severity


def mechanism_without_owner(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL501 — mechanism without owner or convener.

    What it checks: every mechanism names who runs it: a 召集人 (a unit, or a position written in quotes such as
    “区政府常务副区长” — a position is a valid owner), a 牵头 unit or mechanism, or an 办公室.

    Why it matters: a 督查 or 考核 that nobody convenes does not happen.

    Example (fails):   `机制 考核 { 类型：考核 }`
    Example (passes):  `机制 考核 { 类型：考核；牵头：区委办公室 }`

    How to fix: add `召集人：`, `牵头：` or `办公室：`.

    【中文】
    检查内容：每个机制都写明由谁来运转：召集人（一个单位，或加引号写出的职务，如“区政府常务副区长”——职务也是
    有效的责任主体）、牵头单位或牵头机制，或者办公室。

    原因：没有人召集的督查和考核，实际上不会开展。

    示例（不通过）：`机制 考核 { 类型：考核 }`
    示例（通过）：`机制 考核 { 类型：考核；牵头：区委办公室 }`

    修改方法：加上 `召集人：`、`牵头：` 或 `办公室：`。
    """
    for m in ctx.model.mechanisms:
        if m.convener or m.lead or m.office:
            continue
        span = ctx.span_of(m)
        if span is not None:
            yield Diagnostic("PL501", Severity.ERROR, span, Message(
                f"机制“{m.title}”没有召集人、牵头单位或办公室", f"mechanism '{m.title}' has no convener, lead or office"))


def invalid_cadence() -> None:
    """PL502 — invalid cadence.

    What it checks: every 频次 reads as a period — 日 周 旬 月 季(度) 半年 年, optionally with 每 — followed by
    what happens (调度, 通报, 讲评, 简报 …): `旬调度`, `月通报`, `季讲评`, `每季度`, `每月底编发工作月报`;
    English `monthly`, `quarterly report`. Reported by the front end while reading the value. A mechanism's
    报送 dates are held to the same standard: each must read as a date (`每月25日前`, `每季度末`, `年中`,
    `6月底前` …, see the language reference), never guessed.

    Why it matters: the cadence is what makes a 调度 mechanism real; `频次：经常` cannot be put in a calendar.

    Example (fails):   `频次：经常调度`
    Example (passes):  `频次：旬调度、月通报、季讲评`

    How to fix: say how often, with one of the periods above.

    【中文】
    检查内容：每个 频次 都写成一个周期——日、周、旬、月、季（度）、半年、年，前面可以加“每”——再加上要做的事（调度、
    通报、讲评、简报……）：`旬调度`、`月通报`、`季讲评`、`每季度`、`每月底编发工作月报`；英文可写 `monthly`、
    `quarterly report`。该规则在读入取值时由前端报告。

    原因：频次让调度机制真正落地；`频次：经常` 排不进日程表。

    示例（不通过）：`频次：经常调度`
    示例（通过）：`频次：旬调度、月通报、季讲评`

    修改方法：用上面的某个周期写明多久一次。
    """


def no_dispatch_or_assessment(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL503 — plan has no dispatch (调度) or no assessment (考核) mechanism.

    What it checks: a plan (a file with a `方案` block) declares at least one mechanism of kind 调度 (dispatch)
    and one of kind 考核 (assessment). One diagnostic says which are missing.

    Why it matters: a plan that is never dispatched or assessed is not followed up; these two mechanisms are
    what every provincial guideline asks for.

    Example (fails):   a plan whose only mechanism is `机制 专班 { 类型：专班 … }`
    Example (passes):  add `机制 调度 { 类型：调度；频次：旬调度、月通报 … }` and `机制 考核 { 类型：考核 … }`

    How to fix: add the missing mechanisms, with their owners and cadence.

    【中文】
    检查内容：一个方案（含 `方案` 块的文件）至少声明一个类型为 调度 的机制和一个类型为 考核 的机制。缺哪一种，
    由一条诊断说明。

    原因：从不调度、从不考核的方案，就没有人跟进落实；这两种机制也是各省指导意见普遍要求的。

    示例（不通过）：方案中唯一的机制是 `机制 专班 { 类型：专班 … }`
    示例（通过）：加上 `机制 调度 { 类型：调度；频次：旬调度、月通报 … }` 和 `机制 考核 { 类型：考核 … }`

    修改方法：补上缺少的机制，并写明它们的责任单位和频次。
    """
    span = ctx.plan_span
    if span is None:
        return
    kinds = {m.kind for m in ctx.model.mechanisms}
    missing = [(zh, en) for kind, zh, en in (("dispatch", "调度", "dispatch"), ("assessment", "考核", "assessment"))
               if kind not in kinds]
    if missing:
        yield Diagnostic("PL503", Severity.WARNING, span, Message(
            f"方案没有{'和'.join(z for z, _ in missing)}机制", f"the plan has no {' or '.join(e for _, e in missing)} mechanism"))
