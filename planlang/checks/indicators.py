"""Indicators: goals are covered by tasks, and their numbers agree with each other (PL301–PL305).

Quantities are compared normalized (亿元 → 元, % → ratio). "Rounding as drafting offices round": a value is
taken to be exact to the last digit shown, so 52亿元 means 51.5–52.5亿元 and 8% means 7.5%–8.5%.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Message, Related, Severity
from planlang.model.indicators import goal_coverage, growth_of, implied_total, metric_key
from planlang.model.nodes import Goal, Quantity, Target
from planlang.model.symbols import walk_goals
from planlang.source import Span

_RATE_WORDS = ("增长", "增速", "增幅", "提高", "下降", "降低", "增加", "年均")


@dataclass(slots=True)
class Statement:
    """One stated value of an indicator: a rate (growth) or a level (total, baseline, target)."""

    key: str
    label: str
    kind: str  # "rate" or "level"
    quantity: Quantity
    span: Span | None
    goal: Goal | None
    group: int = 0  # statements written together (总量：预期 175亿元，力争 177亿元) share a group


def _is_rate(target: Target) -> bool:
    q = target.quantity
    return q is not None and q.dimension in ("ratio", "points") and (
        any(w in q.text for w in _RATE_WORDS) or target.metric.endswith(_RATE_WORDS))


def _kind(t: Target) -> str:
    """A target's statement kind: a rate, an amount of change (增加 2亿元: never compared with a level), or a
    level."""
    if _is_rate(t):
        return "rate"
    return "change" if t.quantity is not None and t.quantity.change else "level"


def statements(ctx: CheckContext) -> list[Statement]:
    """Every stated indicator value in the plan, keyed by indicator identity (goal id, title and aliases);
    computed once per check run and shared by the indicator rules."""
    cached = ctx.memo.get("statements")
    if cached is None:
        cached = ctx.memo["statements"] = _statements(ctx)
    return cached


def _statements(ctx: CheckContext) -> list[Statement]:
    goal_of: dict[str, Goal] = {}
    for g in walk_goals(ctx.model.goals):
        for name in (g.id, g.title, *g.aliases):
            goal_of.setdefault(metric_key(name), g)
    out: list[Statement] = []

    def key_for(metric: str, goal: Goal | None) -> tuple[str, Goal | None]:
        k = metric_key(metric)
        g = goal_of.get(k, goal if not k else None)
        return (metric_key(g.id) if g else k), g

    for g in walk_goals(ctx.model.goals):
        gk = metric_key(g.id)
        for q in g.growth:
            out.append(Statement(gk, g.title, "rate", q, ctx.span_of(q), g, id(g.growth)))
        for q in g.total:
            out.append(Statement(gk, g.title, "change" if q.change else "level", q, ctx.span_of(q), g, id(g.total)))
        for t in g.targets:
            if t.quantity is not None:
                k, owner = key_for(t.metric, g)
                out.append(Statement(k, t.metric or g.title, _kind(t), t.quantity, ctx.span_of(t), owner))
    for task, _ in ctx.tasks:
        for t in task.targets:
            if t.quantity is not None and t.metric:
                k, owner = key_for(t.metric, None)
                out.append(Statement(k, t.metric, _kind(t), t.quantity, ctx.span_of(t), owner))
    return out


def goal_without_task(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL301 — goal supported by no task.

    What it checks: every goal is served by some task: a task names it in 支撑 (or names a goal group it
    belongs to, or one of its sub-goals), or a task's 指标 states the same indicator (the goal's own or one of
    its 指标). A goal that names its own owners (牵头 / 负责 / 汇总 / 责任领导, or its group's) is assigned, as in a
    责任分解方案, and is not reported.

    Why it matters: a goal no task works towards is a wish, not a plan; the coverage table of the report shows
    it as a gap.

    Example (fails):   `目标 固投 “固定资产投资” { 增长：9.5% }` and no task with `支撑：固投`
    Example (passes):  `任务 投资 “着力扩大有效投资” { 支撑：固投 … }`

    How to fix: add `支撑：<goal id>` to the tasks that serve the goal.

    【中文】
    检查内容：每个目标都有任务支撑：有任务在 支撑 中写到它（或写到它所属的目标组，或它的某个子目标），或者有
    任务的 指标 写的是同一项指标。

    原因：没有任何任务为之努力的目标只是愿望，算不上计划；报告中的目标覆盖表会把它标为缺口。

    示例（不通过）：`目标 固投 “固定资产投资” { 增长：9.5% }`，却没有任务写 `支撑：固投`
    示例（通过）：`任务 投资 “着力扩大有效投资” { 支撑：固投 … }`

    修改方法：在为这个目标服务的任务中加上 `支撑：<目标标识>`。
    """
    stated = {s.key for s in statements(ctx) if s.goal is not None and s.span is not None
              and not any(s.quantity is q for q in (*s.goal.growth, *s.goal.total))}
    task_metrics = {metric_key(t.metric) for task, _ in ctx.tasks for t in task.targets if t.metric}
    task_metrics.discard("")
    for c in goal_coverage(ctx.model):
        g = c.goal
        if c.covered or metric_key(g.id) in stated:  # served by a task, or its indicator stated for it
            continue
        if g.effective_owners is not None or g.leaders:
            continue  # assigned by name: the goal's owners answer for it
        if any(t.metric and metric_key(t.metric) in task_metrics for t in g.targets):
            continue
        span = ctx.span_of(g)
        if span is not None:
            yield Diagnostic("PL301", Severity.WARNING, span, Message(
                f"目标“{g.title}”没有任何任务支撑（任务中用“支撑：{g.id}”关联）",
                f"goal '{g.title}' is supported by no task (link tasks with 'supports: {g.id}')"))


def _half_unit(q: Quantity) -> float:
    """Half of the last digit shown, in normalized units: 52亿元 → 0.5亿元, 9.5% → 0.05%."""
    m = re.search(r"\d+(?:\.(\d+))?", q.text.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")))
    decimals = len(m[1]) if m and m[1] else 0
    if not q.value or q.normalized is None:
        return 0.0
    factor = q.normalized / q.value
    return 0.5 * 10 ** -decimals * factor


def _yi(x: float, q: Quantity) -> str:
    """A normalized value written back in the unit of `q` (for messages)."""
    if not q.value or q.normalized is None:
        return f"{x:g}"
    return f"{x / (q.normalized / q.value):.4g}{q.unit}"


def growth_total_mismatch(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL302 — indicator arithmetic inconsistent: baseline × (1 + growth) vs the stated total.

    What it checks: for a goal with a baseline (基数), a growth rate (增长) and a total (总量) in the same unit
    dimension, the total lies within what baseline × (1 + growth) allows — for an average annual rate (年均)
    compounded over the years from the baseline year to the end of the plan period. Every number is taken as
    rounded to the last digit shown (52亿元 is 51.5–52.5亿元, 8% is 7.5–8.5%), and the option `tolerance`
    (a ratio, default 0) widens the band further: `[tool.planlang.rules.PL302] tolerance = 0.01`.

    Why it matters: a total that contradicts its growth rate is the first thing a reviewing office finds; one of
    the two numbers is wrong.

    Example (fails):   `基数：2022年 48亿元；增长：8%；总量：55亿元`   (48 × 1.08 = 51.8亿元)
    Example (passes):  `基数：2022年 48亿元；增长：8%；总量：52亿元`

    How to fix: recompute the total from the baseline and the growth rate, or correct whichever is wrong.

    【中文】
    检查内容：目标同时写有基数、增长率和总量，且量纲相同时，总量要落在“基数 ×（1 + 增长）”所允许的范围内；写
    “年均”增长的，按从基数年份到方案周期结束的年数复利计算。每个数都按所写的最后一位有效数字取整区间理解（52亿元即
    51.5～52.5亿元，8% 即 7.5%～8.5%），选项 `tolerance`（比例，默认 0）还可再放宽：
    `[tool.planlang.rules.PL302] tolerance = 0.01`。

    原因：总量与增长率对不上，是审核部门第一眼就能看出的问题：两个数里必有一个是错的。

    示例（不通过）：`基数：2022年 48亿元；增长：8%；总量：55亿元`（48 × 1.08 = 51.8亿元）
    示例（通过）：`基数：2022年 48亿元；增长：8%；总量：52亿元`

    修改方法：按基数和增长率重新算出总量，或改正其中写错的那个数。
    """
    tol = float(ctx.option("PL302", "tolerance", 0.0))
    period = ctx.model.plan.period if ctx.model.plan else None
    for g in walk_goals(ctx.model.goals):
        growth = growth_of(g, period)
        if growth is None:
            continue
        bl, rate, years = g.baseline, growth.rate, growth.years
        r = growth.r
        dr = _half_unit(rate)
        base, db = growth.base, _half_unit(bl.quantity)
        for total in g.total:
            if total.normalized is None or total.dimension != bl.quantity.dimension:
                continue
            dt = _half_unit(total)
            # an increment (增加 1500家) is compared as what it adds: the level minus the baseline
            level = total.normalized * (total.sign if total.change else 1)
            shift = base if total.change else 0.0
            low = (base - db) * (1 + r - dr) ** years - shift - dt - tol * total.normalized
            high = (base + db) * (1 + r + dr) ** years - shift + dt + tol * total.normalized
            if total.change:  # the baseline's own rounding moves the increment both ways
                low, high = low - db, high + db
            if low <= level <= high:
                continue
            implied = implied_total(g, period, total)
            span = ctx.span_of(total) or ctx.span_of(g)
            power = f"^{years}" if years > 1 else ""
            if total.change:
                zh = (f"“{g.title}”增量 {total.text} 与基数 × 增长不符：{bl.quantity.text} × ((1 + {rate.text}){power}"
                      f" − 1) ≈ {_yi(implied, total)}")
                en = (f"'{g.title}' increment {total.text} does not match baseline × growth: {bl.quantity.text} × "
                      f"((1 + {rate.text}){power} − 1) ≈ {_yi(implied, total)}")
            else:
                zh = (f"“{g.title}”总量 {total.text} 与基数 × (1 + 增长) 不符：{bl.quantity.text} × (1 + {rate.text})"
                      f"{power} ≈ {_yi(implied, total)}")
                en = (f"'{g.title}' total {total.text} does not match baseline × (1 + growth): {bl.quantity.text} × "
                      f"(1 + {rate.text}){power} ≈ {_yi(implied, total)}")
            yield Diagnostic("PL302", Severity.ERROR, span, Message(zh, en),
                related=[Related(s, Message("基数在此", "the baseline is here")) for s in [ctx.span_of(bl)] if s])


_DIM_ZH = {"money": "金额", "money_usd": "美元金额", "ratio": "百分比", "points": "百分点", "area": "面积",
           "mass": "重量", "length": "长度", "count": "数量", "power": "功率", "energy": "电量", "multiple": "倍数"}


def _unit_zh(q: Quantity) -> str:
    dim = _dim(q.dimension)
    return f"“{q.unit}”" if dim == q.unit else f"“{q.unit}”（{dim}）"


def _dim(d: str) -> str:
    return _DIM_ZH.get(d, d.split(":", 1)[-1] if d.startswith("count:") else d)


def incompatible_units(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL303 — incompatible units of measure for the same indicator.

    What it checks: a goal's growth rate is a ratio (%) or a change in percentage points (个百分点); its baseline
    and totals are measured in one dimension (money with money — 亿元 and 万元 are compatible —, 家 with 家);
    and every statement of the same indicator elsewhere in the plan (a task's 指标 naming the goal) uses the same
    dimension as the goal's.

    Why it matters: `增长：52亿元` or a total in 家 against a baseline in 万元 cannot both be right, and no
    arithmetic can be checked across them.

    Example (fails):   `增长：52亿元`
    Example (passes):  `增长：8%；总量：52亿元`

    How to fix: put rates in 增长 and amounts in 总量, in the unit the indicator is measured in.

    【中文】
    检查内容：目标的增长写成比率（%）或百分点的变化（个百分点）；基数和总量用同一量纲计量（金额对金额——亿元与
    万元可以换算——，家对家）；方案其他地方写到同一指标时（任务的 指标 写到该目标），量纲也与目标一致。

    原因：`增长：52亿元`，或基数用万元而总量用家，不可能都对，彼此之间也无法做任何核算。

    示例（不通过）：`增长：52亿元`
    示例（通过）：`增长：8%；总量：52亿元`

    修改方法：增长率写在 增长，数额写在 总量，并使用这项指标本来的计量单位。
    """
    for g in walk_goals(ctx.model.goals):
        for q in g.growth:
            if q.dimension not in ("ratio", "points", "unknown"):
                yield Diagnostic("PL303", Severity.ERROR, ctx.span_of(q) or ctx.span_of(g), Message(
                    f"“{g.title}”的增长应为百分比或百分点，而不是{_dim(q.dimension)}（{q.text}）",
                    f"growth of '{g.title}' must be a ratio or percentage points, not {q.dimension} ({q.text})"))
    first: dict[tuple[str, str], Statement] = {}
    for s in statements(ctx):
        if s.quantity.dimension == "unknown" or s.span is None or (s.kind == "rate" and s.goal is not None
                                                                   and s.quantity in s.goal.growth):
            continue
        slot = (s.key, s.kind)
        prev = first.setdefault(slot, s)
        if prev is s or prev.quantity.dimension == s.quantity.dimension:
            continue
        yield Diagnostic("PL303", Severity.ERROR, s.span, Message(
            f"指标“{s.label}”的单位{_unit_zh(s.quantity)}与此前的{_unit_zh(prev.quantity)}不相容",
            f"indicator '{s.label}' is measured in {s.quantity.unit} ({s.quantity.dimension}), incompatible with "
            f"{prev.quantity.unit} ({prev.quantity.dimension}) stated before"),
            related=[Related(prev.span, Message("此前的表述在此", "stated before here"))])
    for g in walk_goals(ctx.model.goals):
        bl = g.baseline
        if bl is None or bl.quantity is None or bl.quantity.dimension == "unknown":
            continue
        for q in g.total:
            if q.dimension not in ("unknown", bl.quantity.dimension):
                yield Diagnostic("PL303", Severity.ERROR, ctx.span_of(q) or ctx.span_of(g), Message(
                    f"“{g.title}”的总量（{q.unit}）与基数（{bl.quantity.unit}）单位不相容",
                    f"total of '{g.title}' ({q.unit}) is incompatible with its baseline ({bl.quantity.unit})"))


def unknown_unit_of_measure(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL304 — unknown unit of measure.

    What it checks: every quantity's unit is a known unit of measure — money (元 万元 亿元 美元 万美元), %,
    个百分点, counts (家 个 项 人 人次 户 …), area (亩 公顷 平方公里 平方米), mass (吨), length (公里), power and
    energy — with an optional 万 / 亿 magnitude.

    Why it matters: a unit the checker does not know cannot be normalized, compared or summed; often it is a
    typo (亿圆) or a word that slipped into the number (52亿元左右吧).

    Example (fails):   `总量：52亿圆`
    Example (passes):  `总量：52亿元`

    How to fix: use a known unit; a count of something new can be written with 个 or 项.

    【中文】
    检查内容：每个数量的计量单位都是已知的单位——金额（元、万元、亿元、美元、万美元）、%、个百分点、计数（家、个、
    项、人、人次、户……）、面积（亩、公顷、平方公里、平方米）、质量（吨）、长度（公里）、电力和能源——前面可以带“万”“亿”。

    原因：不认识的单位无法换算、比较和汇总；这往往是笔误（亿圆），或者是夹进数字里的多余字词（52亿元左右吧）。

    示例（不通过）：`总量：52亿圆`
    示例（通过）：`总量：52亿元`

    修改方法：改用已知的单位；要数的是新的事物时，可以用“个”或“项”。
    """
    seen: set[int] = set()
    for s in statements(ctx):
        if s.quantity.dimension == "unknown" and id(s.quantity) not in seen:
            seen.add(id(s.quantity))
            if s.span is not None:
                yield Diagnostic("PL304", Severity.WARNING, s.span, Message(
                    f"未知的计量单位“{s.quantity.unit}”", f"unknown unit of measure '{s.quantity.unit}'"))
    for g in walk_goals(ctx.model.goals):
        q = g.baseline.quantity if g.baseline else None
        if q is not None and q.dimension == "unknown":
            span = ctx.span_of(g.baseline)
            if span is not None:
                yield Diagnostic("PL304", Severity.WARNING, span, Message(
                    f"未知的计量单位“{q.unit}”", f"unknown unit of measure '{q.unit}'"))


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def stated_twice(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL305 — the same indicator stated twice with different values.

    What it checks: when one indicator — the same goal (by id, title or `别名`), or the same metric name in
    tasks' 指标 — is stated more than once as a level (总量, 指标) or more than once as a rate, the normalized
    values agree (45亿元 and 450000万元 are the same). Comparators may differ. Values of different firmness
    written together in one field — `总量：预期 175亿元，力争 177亿元`, `增长：确保 8%，力争 9%` — are an expected
    (or floor) and a stretch value, not a contradiction; stated in two places, they must agree.

    Why it matters: a plan that says 引资 45亿元 in one section and 50亿元 in another will be held to one of
    them — nobody knows which.

    Example (fails):   `指标：招商引资到位资金 45亿元` in one task and `指标：招商引资到位资金 50亿元` in another
    Example (passes):  both 45亿元 (`目标 引资 “招商引资到位资金” { 别名：引资总额 … }` makes both wordings one indicator)

    How to fix: make the values agree, or if they are different indicators, name them differently.

    【中文】
    检查内容：同一项指标——同一个目标（按标识、标题或 `别名` 认定），或任务 指标 中同名的指标——不止一处写了总量
    （总量、指标），或不止一处写了增长率时，换算后的数值要一致（45亿元与 450000万元相同）。比较词（以上、左右等）可以
    不同。在同一个字段里一并写出的不同力度的数值——`总量：预期 175亿元，力争 177亿元`、`增长：确保 8%，力争 9%`——
    是预期（或底线）值和争取值，不算矛盾；但分两处写时，必须一致。

    原因：一个方案在一处写招商引资 45亿元、另一处写 50亿元，最后总要按其中一个考核——没人说得清是哪一个。

    示例（不通过）：一项任务写 `指标：招商引资到位资金 45亿元`，另一项写 `指标：招商引资到位资金 50亿元`
    示例（通过）：两处都写 45亿元（用 `目标 引资 “招商引资到位资金” { 别名：引资总额 … }` 可让两种说法指同一项指标）

    修改方法：把数值改成一致；如果确实是两项不同的指标，就给它们起不同的名称。
    """
    # per indicator slot: which groups stated each value, how many statements each group made, and the first
    # statement, plus the first one outside the first statement's group. Group 0 stands alone.
    seen: dict[tuple[str, str, str], list] = {}
    for s in statements(ctx):
        q = s.quantity
        if q.normalized is None or s.span is None or not s.key:
            continue
        value = float(f"{q.normalized * q.sign:.9g}")
        slot = seen.get((s.key, s.kind, q.dimension))
        if slot is None:
            seen[(s.key, s.kind, q.dimension)] = [{value: {s.group}}, {s.group: 1}, 1, s, None]
            continue
        values, per_group, total, first, second = slot
        mine = per_group.get(s.group, 0) if s.group else 0
        others = total - mine
        agrees = any(g != s.group or not s.group for g in values.get(value, ()))
        values.setdefault(value, set()).add(s.group)
        per_group[s.group] = per_group.get(s.group, 0) + 1
        slot[2] = total + 1
        if second is None and (s.group != first.group or not s.group):
            slot[4] = s
        if not others or agrees:
            continue
        prev = first if (first.group != s.group or not s.group) else second
        yield Diagnostic("PL305", Severity.ERROR, s.span, Message(
            f"指标“{s.label}”前后数值不一致：此处为 {q.text}，此前为 {prev.quantity.text}",
            f"indicator '{s.label}' is stated with different values: {q.text} here, {prev.quantity.text} before"),
            related=[Related(prev.span, Message("此前的表述在此", "stated before here"))])
