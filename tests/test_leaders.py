"""Leaders (责任领导) as a first-class role: on the plan, a section, a task and a goal; inherited down like
owners; in the compiled JSON and in every render. The plan is tests/cases/leaders/leader-sections-ok.plan, a
责任分解方案 whose sections group one leader's work (一、县长牵头的重点工作)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest

from planlang.outputs.jsonout import plan_json
from planlang.outputs.render import render
from planlang.pipeline import compile_file

CASE = Path(__file__).resolve().parent / "cases" / "leaders" / "leader-sections-ok.plan"


@pytest.fixture(scope="module")
def result():
    r = compile_file(CASE)
    assert not r.diagnostics, [d.message.zh for d in r.diagnostics]
    return r


def _tasks(result) -> dict[str, dict]:
    data = json.loads(plan_json(result.model))
    out = {}
    stack = list(data["tasks"])
    while stack:
        t = stack.pop()
        out[t["title"]] = t
        stack.extend(t["children"])
    return out


def test_leaders_are_inherited_down_and_say_from_where(result):
    tasks = _tasks(result)
    data = json.loads(plan_json(result.model))
    assert data["plan"]["leaders"] == ["县长"]
    # a leader section gives its tasks its leader
    assert tasks["谋划一批重大项目"]["leaders"] == []
    assert tasks["谋划一批重大项目"]["effective_owners"]["leaders"] == ["县长"]
    assert tasks["谋划一批重大项目"]["effective_owners"]["leaders_inherited_from"] == "县长牵头"
    assert tasks["推进老旧小区改造"]["effective_owners"]["leaders"] == ["某某副县长"]
    assert tasks["推进老旧小区改造"]["effective_owners"]["leaders_inherited_from"] == "副县长牵头"
    # a task that names its own keeps it (责任人 is an alias)
    assert tasks["新建两所小学"]["leaders"] == ["李某某同志"]
    assert tasks["新建两所小学"]["effective_owners"]["leaders_inherited_from"] is None
    # a task under no leader section answers to the plan's leader
    assert tasks["做好财政保障"]["effective_owners"] == {
        "lead": ["县财政局"], "responsible": [], "cooperate": [], "inherited_from": None,
        "leaders": ["县长"], "leaders_inherited_from": "plan",
        # no convention derived the lead (the task names it) and the plan names no 汇总
        "collect": [], "lead_convention": None, "collect_convention": None}
    # the section itself names its leader
    assert tasks["某某副县长牵头的重点工作"]["effective_owners"]["leaders"] == ["某某副县长"]


def test_goal_groups_pass_their_leader_to_their_goals(result):
    data = json.loads(plan_json(result.model))
    group = data["goals"][0]
    assert (group["leaders"], group["effective_leaders"], group["leaders_inherited_from"]) == (
        ["常务副县长"], ["常务副县长"], None)
    gdp, revenue = group["children"]
    assert (gdp["effective_leaders"], gdp["leaders_inherited_from"]) == (["常务副县长"], "发展")
    # a quoted post is one leader, kept as written
    assert (revenue["leaders"], revenue["leaders_inherited_from"]) == (["县政府分管财政的副县长"], None)


def test_leaders_are_never_unit_references(result):
    assert not any(r.ref.field == "leader" for r in result.symbols.refs)
    assert [u.id for u in result.model.units if u.tasks.lead or u.tasks.responsible] == [
        "县发改局", "县财政局", "县住建局", "县教育局"]


def test_xlsx_leader_column_and_leaders_sheet(result):
    wb = openpyxl.load_workbook(io.BytesIO(render(result, "xlsx")))
    assert wb.sheetnames == ["任务分工表", "责任清单", "领导分工", "目标指标"]
    ws = wb["任务分工表"]
    header = [c.value for c in ws[2]]
    assert header[3:6] == ["指标", "责任领导", "牵头单位"]
    rows = {r[2].value: r for r in ws.iter_rows(min_row=3) if r[2].value}
    inherited = rows["谋划一批重大项目"][4]
    assert inherited.value == "县长" and inherited.font.i and "县长牵头的重点工作" in inherited.comment.text
    own = rows["新建两所小学"][4]
    assert own.value == "李某某同志" and not own.font.i and own.comment is None
    from_plan = rows["做好财政保障"][4]
    assert from_plan.value == "县长" and from_plan.font.i and "方案" in from_plan.comment.text
    assert rows["推进老旧小区改造"][5].value == "县住建局"
    lw = wb["领导分工"]
    cells = [[c.value for c in r] for r in lw.iter_rows(min_row=3)]
    heads = [r[0] for r in cells if r[1] is None]
    assert heads == ["县长（任务 2 项，目标 0 个）", "某某副县长（任务 1 项，目标 0 个）",
                     "李某某同志（任务 1 项，目标 0 个）", "常务副县长（任务 0 项，目标 2 个）",
                     "县政府分管财政的副县长（任务 0 项，目标 1 个）"]
    rows_of = {(r[0], r[3]): r for r in cells if r[1] is not None}
    assert rows_of[("县长", "做好财政保障")][7] == "承自“方案”"
    assert rows_of[("县长", "谋划一批重大项目")][4] == "一、县长牵头的重点工作"
    assert rows_of[("常务副县长", "地区生产总值")][7] == "承自“经济发展”"
    assert rows_of[("李某某同志", "新建两所小学")][7] is None


def test_xlsx_without_leaders_has_no_leader_column():
    r = compile_file(Path(__file__).resolve().parents[1] / "examples" / "nanhu-2023.plan")
    wb = openpyxl.load_workbook(io.BytesIO(render(r, "xlsx")))
    assert "领导分工" not in wb.sheetnames and "责任领导" not in [c.value for c in wb["任务分工表"][2]]


def test_docx_and_md_owner_sentence_names_the_tasks_own_leader(result):
    texts = [p.text for p in docx.Document(io.BytesIO(render(result, "docx"))).paragraphs]
    assert "（责任领导：李某某同志；县教育局牵头）" in texts
    assert "（责任领导：某某副县长）" in texts  # the leader section's own line
    assert "（县住建局牵头）" in texts  # an inherited leader is not repeated under each task
    md = render(result, "md").decode("utf-8")
    assert "（责任领导：李某某同志；县教育局牵头）" in md
    assert "经济发展（责任领导：常务副县长）。" in md  # a goal group says its leader too


def test_html_report_has_a_leaders_section(result):
    html = render(result, "html").decode("utf-8")
    assert '<a href="#leaders">领导分工</a>' in html
    section = html.split('<section id="leaders">')[1].split("</section>")[0]
    assert "<th rowspan=\"2\">县长</th>" in section
    assert "承自“方案”" in section and "承自“一、县长牵头的重点工作”" in section
