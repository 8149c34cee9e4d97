"""Owner lists as plans write them (tests/cases/owner-lists): what the model reads from them, beyond the
diagnostics the case files pin."""

from __future__ import annotations

from pathlib import Path

from planlang.outputs import views
from planlang.pipeline import compile_file
from planlang.syntax.format import format_text

CASES = Path(__file__).resolve().parent / "cases" / "owner-lists"


def _tasks(name: str):
    result = compile_file(CASES / name)
    return result, {t.title: t for t in result.model.tasks}


def test_etc_brackets_and_joined_units():
    result, tasks = _tasks("lists-as-written-ok.plan")
    t = tasks["扩大有效投资"]
    assert t.responsible == ["区发改局", "区财政局", "各区县政府（甲新区、乙区管委会）"]
    assert t.open_ended
    # 和 / 及 / 与 between two declared units (the second may leave out the 区 prefix) splits
    assert tasks["培育科技型企业"].lead == ["区发改局", "区科技局"]
    assert tasks["培育科技型企业"].cooperate == ["区财政局", "区统计局", "区委宣传部", "区商务局"]
    # a unit whose own name holds 和 stays one unit; 等有关单位 closes the list like 等
    assert tasks["建设健康城区"].lead == ["区卫生和健康局"]
    assert tasks["建设健康城区"].cooperate == ["区发改局"] and tasks["建设健康城区"].open_ended
    units = {u.id: u for u in result.model.units}
    assert units["区科技局"].tasks.lead == [tasks["培育科技型企业"].id]


def test_conventions_derive_the_effective_lead_and_collector():
    result, tasks = _tasks("conventions.plan")
    assert result.model.plan.conventions == ["first-leads", "first-collects"]
    t = tasks["扩大有效投资"]
    assert t.lead == [] and t.responsible == ["区发改局", "区财政局"]  # as written
    eff = t.effective_owners
    assert (eff.lead, eff.lead_convention) == (["区发改局"], "first-leads")
    assert (eff.collect, eff.collect_convention) == (["区发改局"], "first-collects")
    # a written 牵头 and 汇总 win over the conventions
    eff = tasks["培育科技型企业"].effective_owners
    assert (eff.lead, eff.lead_convention, eff.collect, eff.collect_convention) == (["区科技局"], None, ["区统计局"], None)
    goal = result.model.goals[0]
    assert goal.effective_owners.lead == ["区统计局"] and goal.effective_owners.lead_convention == "first-leads"
    units = {u.id: u for u in result.model.units}
    assert units["区统计局"].tasks.collect == [tasks["培育科技型企业"].id]
    # the 任务分工表 shows the derived lead once, and marks the 汇总 unit in the responsible cell
    rows = {r.task.title: r for r in views.leaf_rows(result.model)}
    assert rows["扩大有效投资"].owners("lead") == "区发改局（汇总）"
    assert rows["扩大有效投资"].owners("responsible") == "区财政局"
    assert rows["培育科技型企业"].owners("responsible") == "区财政局、区统计局（汇总）"
    # the document's own sentence keeps its wording
    assert views.owner_phrase(tasks["培育科技型企业"]) == "（区科技局牵头，区财政局、区统计局负责，区统计局汇总）"


def test_responsible_leads():
    text = "方案 p “x” { 约定：无牵头单位的责任单位即为牵头单位 }\n单位 甲局\n单位 乙局\n任务 “t” { 负责：甲局、乙局 }\n"
    path = CASES.parent.parent / "fixtures"  # any folder: the text is given
    result = compile_file(path / "responsible-leads.plan", text=text)
    eff = result.model.tasks[0].effective_owners
    assert (eff.lead, eff.lead_convention) == (["甲局", "乙局"], "responsible-leads")


def test_bracketed_names_format_losslessly():
    text = "任务 “t” {\n  负责：各区县政府（甲新区、乙区管委会）,区发改局(牵头, 总体)\n}\n"
    out = format_text(text)
    assert out.ok
    assert "负责：各区县政府（甲新区、乙区管委会）、区发改局(牵头, 总体)" in out.text
    assert format_text(out.text).text == out.text


def test_etc_stays_where_the_list_writes_it():
    result, tasks = _tasks("lists-as-written-ok.plan")
    t = tasks["扩大有效投资"]
    assert t.etc_after == ["区财政局"]
    assert views.owner_phrase(t) == "（区发改局、区财政局等，各区县政府（甲新区、乙区管委会）负责）"
    rows = {r.task.title: r for r in views.leaf_rows(result.model)}
    assert rows["扩大有效投资"].owners("responsible") == "区发改局、区财政局等，各区县政府（甲新区、乙区管委会）"
    assert rows["建设健康城区"].owners("cooperate") == "区发改局等"


def test_xlsx_shows_the_derived_lead_and_the_collector():
    import io

    from openpyxl import load_workbook

    from planlang.outputs.xlsx import render_xlsx

    result, _ = _tasks("conventions.plan")
    wb = load_workbook(io.BytesIO(render_xlsx(result.model)))
    division = [[c.value for c in row] for row in wb["任务分工表"].iter_rows(min_row=3)]
    row = next(r for r in division if r[2] == "扩大有效投资")
    assert row[4:6] == ["区发改局（汇总）", "区财政局"]  # 牵头单位 (by 首位牵头), 责任单位
    sheet = next(ws for ws in wb.worksheets if ws.title == "责任清单")
    roles = {(r[0], r[3]): r[1] for r in sheet.iter_rows(min_row=3, values_only=True) if r[3]}
    assert roles[("区发改局", "扩大有效投资")] == "牵头、汇总"
    assert roles[("区统计局", "培育科技型企业")] == "负责、汇总"


def test_hover_names_the_collector_and_the_convention():
    from planlang.lsp.hover import hover_text
    from planlang.lsp.index import Index

    path = CASES / "conventions.plan"
    result = compile_file(path)
    index = Index(result)
    text = path.read_text(encoding="utf-8")

    def hover(snippet: str, at: int = 1) -> str:
        hit = index.at(path.resolve(), text.index(snippet) + at)
        assert hit is not None, snippet
        return hover_text(index, hit)

    task = hover("“扩大有效投资”")
    assert "牵头按约定“首位牵头”认定：区发改局" in task and "汇总：区发改局（按约定“首位汇总”）" in task
    assert "汇总：区统计局" in hover("“培育科技型企业”")
    assert "牵头按约定“首位牵头”认定：区统计局" in hover("目标 g1", 3)
