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
