"""Indicator facts of the model (planlang.model.indicators): the one implied total that PL302, hover and the
inlay hints read."""

from __future__ import annotations

from pathlib import Path

import pytest

from planlang.model.indicators import effective_due, growth_of, implied_total
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


def test_a_task_without_deadline_takes_its_nearest_ancestors(tmp_path):
    plan = tmp_path / "due.plan"
    plan.write_text("方案 甲 “某区工作方案” { 周期：2023年 }\n单位 区发改局\n"
                    "任务 一 “推进项目” {\n  牵头：区发改局；时限：年底前\n"
                    "  任务 二 “谋划项目” {\n    任务 三 “储备项目” { }\n  }\n"
                    "  任务 四 “开工项目” { 时限：6月底前 }\n}\n", encoding="utf-8")
    model = compile_file(plan).model
    top = model.tasks[0]
    mid, own = top.children
    leaf = mid.children[0]
    assert effective_due(top, []) == (top.due, None)
    assert effective_due(leaf, [top, mid]) == (top.due, top)
    assert effective_due(own, [top]) == (own.due, None) and own.due[0].date == "2023-06-30"
