"""Values and reporting schedules as real plans write them (tests/cases/values/value-forms-ok.plan,
tests/cases/mechanisms/reporting-forms-ok.plan): what the model reads, beyond the diagnostics the cases pin."""

from __future__ import annotations

from pathlib import Path

import pytest

from planlang.model import values
from planlang.model.symbols import walk_goals
from planlang.pipeline import compile_file

CASES = Path(__file__).resolve().parent / "cases"


@pytest.mark.parametrize("text, comparator, change, sign", [
    ("稳定在 95%", "approx", None, 1),
    ("控制在5.5%以内", "le", None, 1),
    ("不低于 90%", "ge", None, 1),
    ("不少于 40家", "ge", None, 1),
    ("不超过 3%", "le", None, 1),
    ("5%左右", "approx", None, 1),
    ("增加 2亿元", None, "increase", 1),
    ("新增 40家", None, "increase", 1),
    ("提高 2个百分点", None, "increase", 1),
    ("减少 1000吨", None, "decrease", -1),
    ("提高到 60%", None, None, 1),  # a level
    ("增长 8%", None, None, 1),  # a rate stays a rate
    ("下降 3%", None, None, -1),
])
def test_measure_forms(text, comparator, change, sign):
    q = values.read_quantity(text)
    assert (q.comparator, q.change, q.sign) == (comparator, change, sign)


def test_value_forms_reach_the_model():
    result = compile_file(CASES / "values" / "value-forms-ok.plan")
    goals = {g.id: g for g in walk_goals(result.model.goals)}
    # 分别 in a goal group: one value per sub-goal, in order
    assert [q.text for q in goals["gdp"].growth] == ["增长7%"]
    assert [q.normalized for q in goals["固投"].growth] == [0.075]
    assert goals["稳增长"].growth == []
    assert goals["市场主体"].total[0].change == "increase"
    rel = goals["收入"].targets
    assert [(t.metric, t.relation, t.reference, t.quantity) for t in rel] == [
        ("", "sync", "经济增长", None), ("农村居民收入增速", "gt", "全市平均水平", None)]
    task = result.model.tasks[0]
    assert [(t.metric, t.quantity.normalized) for t in task.targets[:2]] == [("社零额", 0.06), ("外贸进出口", 0.05)]


def test_reporting_schedule_reaches_the_model():
    result = compile_file(CASES / "mechanisms" / "reporting-forms-ok.plan")
    got = [(r.period, r.month, r.day, r.date, r.recipient, r.what) for r in result.model.mechanisms[0].reporting]
    assert got == [
        ("month", None, 25, None, "区督查室", "当月工作进展"),
        ("quarter", 3, 30, None, "区委办", None),  # the recipient written once after the last item
        ("quarter", 3, None, None, "区委办", None),  # an alias folded to the unit's id
        ("year", 6, None, None, "区督查室", None),
        ("year", 12, None, None, "区督查室", None),
        (None, None, None, "2024-06-30", "区委办", "半年工作总结"),
        ("week", None, 5, None, None, None),
        ("year", 12, 10, None, None, None),
    ]


@pytest.mark.parametrize("text", ["不定期", "每月第3个月", "每旬五", "每季度第5个月", "每月32日前", "尽快"])
def test_unreadable_reporting_dates_are_not_guessed(text):
    assert values.read_reporting(text, values.Year(2024)) is None


def test_adding_a_code_to_a_suppression_keeps_its_reason():
    from planlang.lsp.actions import _suppress
    from planlang.source import SourceFile

    src = SourceFile("x.plan", "任务 “t” { 时限：长期坚持 }  # planlang: ignore[PL201] 原因：由区政府统筹\n")
    edit = _suppress(src, 0, "PL404", "utf-16")
    assert edit.new_text == "# planlang: ignore[PL201, PL404] 原因：由区政府统筹"


def test_messages_never_double_quotes(tmp_path):
    path = tmp_path / "q.plan"
    path.write_text("任务 “t” {\n  “牵头”：区发改局\n}\n单位 区发改局\n任务 “u” { 牵头：区发改局；时限：“甲” “乙” }\n",
                    encoding="utf-8")
    messages = [d.message.zh for d in compile_file(path).diagnostics]
    assert any("带引号的文本“牵头”" in m for m in messages), messages
    assert not any("““" in m or "””" in m for m in messages), messages
