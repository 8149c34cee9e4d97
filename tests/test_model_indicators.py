"""Indicator facts of the model (planlang.model.indicators): the one implied total that PL302, hover and the
inlay hints read."""

from __future__ import annotations

from pathlib import Path

import pytest

from planlang.model.indicators import growth_of, implied_total
from planlang.pipeline import compile_file

CASE = Path(__file__).resolve().parent / "cases" / "indicators" / "pl302-annual-over-period-ok.plan"


def test_annual_rate_compounds_to_the_end_of_the_period():
    model = compile_file(CASE).model
    period = model.plan.period
    level, increment = model.goals
    assert growth_of(level, period).years == 4  # 2020 → 2024
    assert implied_total(level, period) == pytest.approx(146.41e8)
    assert implied_total(level, period, level.total[0]) == pytest.approx(146.41e8)
    # an increment (总量：增加 46.41亿元) is compared as what the growth adds to the baseline
    assert implied_total(increment, period, increment.total[0]) == pytest.approx(46.41e8)
    assert implied_total(increment, period) == pytest.approx(146.41e8)
    # without a plan period an annual rate is taken once
    assert implied_total(level, None) == pytest.approx(110e8)
