"""Indicator facts read from the typed model, computed in one place and read by the checks, the language
server and the renders alike: the identity of an indicator's name, and the growth a goal's baseline and rate
imply over the plan period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from planlang.model.nodes import Goal, Period, Quantity

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
