"""Indicator facts read from the typed model, computed in one place and read by the checks, the language
server and the renders alike: the identity of an indicator's name, the growth a goal's baseline and rate
imply over the plan period, which tasks serve each goal (coverage), and a task's deadlines (its latest dated
one, and its effective ones: its own or its nearest ancestor's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from planlang.model.nodes import CompiledPlan, Deadline, Goal, Period, Quantity, Task
from planlang.model.symbols import walk_tasks

_LEAD_WORDS = re.compile(r"^(?:\d{4}年|全年|年度|全区|全县|全市|全镇|实现|完成|力争|确保)+")
_STRIP = re.compile(r"[\s\u3000“”「」\"'‘’《》（）()、，,。]")


@lru_cache(maxsize=8192)
def metric_key(text: str) -> str:
    """The identity of an indicator's name: quotes, spaces and leading 2023年 / 全年 / 实现 dropped."""
    return _LEAD_WORDS.sub("", _STRIP.sub("", text))


@dataclass(slots=True, frozen=True)
class Growth:
    """A goal's baseline grown by its first growth rate: `years` is 1 for a plain rate, and for an average
    annual rate (年均) the years from the baseline year to the end of the plan period (at least 1)."""

    baseline: Quantity
    rate: Quantity
    years: int

    @property
    def base(self) -> float:
        return self.baseline.normalized  # type: ignore[return-value]

    @property
    def r(self) -> float:
        """The rate as a signed ratio (下降 5% → -0.05)."""
        return self.rate.normalized * self.rate.sign  # type: ignore[operator]


def growth_of(goal: Goal, period: Period | None) -> Growth | None:
    """The goal's baseline and growth rate as compounded over the plan period; None without a baseline
    quantity or a ratio growth rate."""
    bl = goal.baseline
    if bl is None or bl.quantity is None or bl.quantity.normalized is None or not goal.growth:
        return None
    rate = goal.growth[0]
    if rate.dimension != "ratio" or rate.normalized is None:
        return None
    end_year = int(period.end[:4]) if period and period.end else None
    years = max(1, end_year - bl.year) if (rate.annual and end_year and bl.year) else 1
    return Growth(bl.quantity, rate, years)


def implied_total(goal: Goal, period: Period | None, total: Quantity | None = None) -> float | None:
    """Baseline × (1 + growth)^years, normalized; when `total` is an increment (增加 1500家), what the growth
    adds to the baseline instead. None when the goal has no baseline or no ratio growth rate."""
    g = growth_of(goal, period)
    if g is None:
        return None
    level = g.base * (1 + g.r) ** g.years
    return level - g.base if total is not None and total.change else level


@dataclass(slots=True)
class Coverage:
    """A goal and the tasks that serve it, each with how: 支撑 (the task names the goal), 上级目标 (it names a
    group above the goal) or 指标 (its 指标 states the goal's indicator, by id, title or alias)."""

    goal: Goal
    depth: int
    supports: list[tuple[Task, str]] = field(default_factory=list)
    covered: bool = False  # by itself, a group above it, or one of its sub-goals


def _goals_with_ancestors(goals: list[Goal], chain: list[Goal]) -> Iterator[tuple[Goal, list[Goal]]]:
    for g in goals:
        yield g, chain
        yield from _goals_with_ancestors(g.children, [*chain, g])


def goal_coverage(model: CompiledPlan) -> list[Coverage]:
    """Every goal, depth first in source order, with the tasks that serve it; a goal none serves (nor a group
    above it, nor a sub-goal) is uncovered. The coverage table renders it; PL301 reports what it leaves
    uncovered."""
    by_id: dict[str, Task] = {}
    for t, _ in walk_tasks(model.tasks):
        by_id.setdefault(t.id, t)
    stated: dict[str, list[Task]] = {}
    for t, _ in walk_tasks(model.tasks):
        for x in t.targets:
            if x.metric:
                stated.setdefault(metric_key(x.metric), []).append(t)
    out: list[Coverage] = []
    for g, above in _goals_with_ancestors(model.goals, []):
        found: list[tuple[Task | None, str]] = [(by_id.get(tid), "支撑") for tid in g.supported_by]
        found += [(by_id.get(tid), "上级目标") for a in above for tid in a.supported_by]
        keys = {metric_key(n) for n in (g.id, g.title, *g.aliases)} - {""}
        found += [(t, "指标") for k in sorted(keys) for t in stated.get(k, [])]
        sup: list[tuple[Task, str]] = []
        seen: set[int] = set()
        for t, how in found:
            if t is not None and id(t) not in seen:
                seen.add(id(t))
                sup.append((t, how))
        out.append(Coverage(g, len(above), sup, bool(sup)))
    # a group is covered when one of its sub-goals is
    for i in range(len(out) - 1, -1, -1):
        if not out[i].covered:
            j = i + 1
            while j < len(out) and out[j].depth > out[i].depth:
                if out[j].covered:
                    out[i].covered = True
                    break
                j += 1
    return out


def latest_deadline(task: Task) -> str | None:
    """The task's own last dated deadline (ISO), if any."""
    dates = [d.date for d in task.due if d.kind == "date" and d.date]
    return max(dates) if dates else None


def effective_due(task: Task, ancestors: list[Task]) -> tuple[list[Deadline], Task | None]:
    """A task's deadlines: its own, else those of its nearest ancestor that has any (`ancestors` from the top),
    with that ancestor (None when the task's own, or when no task above it has a deadline either)."""
    if task.due:
        return task.due, None
    for a in reversed(ancestors):
        if a.due:
            return a.due, a
    return [], None
