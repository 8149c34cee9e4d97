"""`planlang diff`: pairs of versions built from the examples, each with the exact change list it must give;
the outputs (JSON against its committed schema, the docx 修改对照表 read back, HTML, Markdown); exit codes; and the
git diff driver in a real repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, need_program, run_cli
from strategies import mutated_example
from planlang.diff import diff_plans, for_unit
from planlang.diff.formats import text_report
from planlang.diff.report import diff_schema_json
from planlang.diff.textdiff import inline, word_diff
from planlang.pipeline import compile_file

NANHU = (EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def cut_task(text: str, title: str) -> tuple[str, str]:
    """`text` without the second-level task titled `title`, and that task's block."""
    i = text.index(f"  任务 “{title}” {{")
    j = text.index("\n  }\n", i) + len("\n  }\n")
    return text[:i] + text[j:].lstrip("\n"), text[i:j]


def versions(tmp_path: Path, old: str, new: str, new_units: str | None = None,
             registry_name: str = "nanhu-units.plan") -> tuple[Path, Path]:
    """The two versions as old/plan.plan and new/plan.plan, each beside its unit registry."""
    units = (EXAMPLES / registry_name).read_text(encoding="utf-8")
    paths = []
    for name, text, registry in (("old", old, units), ("new", new, new_units or units)):
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        (folder / registry_name).write_text(registry, encoding="utf-8")
        (folder / "plan.plan").write_text(text, encoding="utf-8")
        paths.append(folder / "plan.plan")
    return paths[0], paths[1]


def report(tmp_path: Path, old: str, new: str, new_units: str | None = None,
           registry_name: str = "nanhu-units.plan"):
    a, b = versions(tmp_path, old, new, new_units, registry_name)
    ra, rb = compile_file(a), compile_file(b)
    assert not ra.has_errors and not rb.has_errors, [d.message.zh for d in ra.diagnostics + rb.diagnostics]
    return diff_plans(ra.model, rb.model, "old.plan", "new.plan")


def changes(tmp_path: Path, old: str, new: str, registry_name: str = "nanhu-units.plan") -> list[tuple]:
    """(entity, kind, where, note) of every change."""
    rep = report(tmp_path, old, new, registry_name=registry_name)
    out = []
    for c in rep.changes:
        if c.old_location and c.new_location and c.old_location != c.new_location:
            where = f"{c.old_location}→{c.new_location}"
        else:
            where = c.new_location or c.old_location
        out.append((c.entity, c.kind, where or c.id, c.note))
    return out


# -- pairs of versions and their exact change lists ----------------------------------------------------------

def test_same_plan_no_changes(tmp_path):
    assert changes(tmp_path, NANHU, NANHU) == []


def test_owner_moved_from_lead_to_cooperate(tmp_path):
    new = edit(NANHU, "    牵头：区发改局、区财政局\n", "    牵头：区发改局\n    配合：区财政局\n")
    rep = report(tmp_path, NANHU, new)
    assert [(c.entity, c.kind, c.new_location, c.note) for c in rep.changes] == [
        ("task", "owners", "（一）3.", "区财政局由牵头改为配合")]
    (c,) = rep.changes
    assert [(r.unit, r.before, r.after) for r in c.roles] == [("区财政局", ["lead"], ["cooperate"])]
    assert (c.before, c.after) == ("区发改局、区财政局牵头", "区发改局牵头，区财政局配合")


def test_owner_added_and_removed(tmp_path):
    new = edit(NANHU, "    牵头：区市场监管局\n", "    牵头：区商务局\n    配合：区市场监管局\n") \
        if "区商务局" in (EXAMPLES / "nanhu-units.plan").read_text(encoding="utf-8") else \
        edit(NANHU, "    牵头：区市场监管局\n", "    牵头：区财政局\n    配合：区市场监管局\n")
    got = changes(tmp_path, NANHU, new)
    assert len(got) == 1 and got[0][:3] == ("task", "owners", "（二）5.")
    assert got[0][3].startswith("区市场监管局由牵头改为配合；增加区") and got[0][3].endswith("（牵头）")


def test_task_inserted_before_others_renumbers_nothing(tmp_path):
    new = edit(NANHU, "  任务 “精准谋划储备项目” {",
               "  任务 “开展项目谋划比武” {\n    说明：“组织各街道开展项目谋划比武。”\n    牵头：区发改局\n  }\n\n"
               "  任务 “精准谋划储备项目” {")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "added", "（一）1.", "增加任务“开展项目谋划比武”：区发改局牵头")]


def test_section_inserted_before_others(tmp_path):
    new = edit(NANHU, "任务 投资 “着力扩大有效投资” {",
               "任务 统筹 “统筹推进稳增长工作” {\n  牵头：区发改局\n\n  任务 “建立工作台账” {\n    说明：“逐项建立台账。”\n"
               "  }\n}\n\n任务 投资 “着力扩大有效投资” {")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "added", "（一）", "增加任务“统筹推进稳增长工作”（含1项子任务）：区发改局牵头")]


def test_task_renamed_and_moved_to_another_section(tmp_path):
    text, block = cut_task(NANHU, "大力发展夜间经济")
    block = block.replace("大力发展夜间经济", "繁荣发展夜间经济")
    new = edit(text, "  任务 “更大力度拓展外贸和引进外资” {", block + "\n  任务 “更大力度拓展外贸和引进外资” {")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "renamed", "（二）4.→（三）3.", "任务名称由“大力发展夜间经济”改为“繁荣发展夜间经济”"),
        ("task", "moved", "（二）4.→（三）3.", "由“激发释放消费潜力”移至“招商引资突破行动”下（（二）4. → （三）3.）"),
    ]


def test_task_moved_within_its_section(tmp_path):
    text, block = cut_task(NANHU, "优化提升消费环境")
    new = edit(text, "  任务 “着力活跃消费氛围” {", block + "\n  任务 “着力活跃消费氛围” {")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "moved", "（二）5.→（二）1.", "调整顺序（（二）5. → （二）1.）")]


def test_task_with_a_written_id_is_matched_by_it_whatever_its_title(tmp_path):
    new = edit(NANHU, "任务 投资 “着力扩大有效投资” {", "任务 投资 “以项目建设为抓手稳投资” {")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "renamed", "（一）", "任务名称由“着力扩大有效投资”改为“以项目建设为抓手稳投资”")]


def test_task_renamed_with_its_text_kept_is_matched_by_the_text(tmp_path):
    new = edit(NANHU, "  任务 “强化资金保障” {", "  任务 “多渠道保障发展资金” {")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "renamed", "（六）1.", "任务名称由“强化资金保障”改为“多渠道保障发展资金”")]


def test_deadline_moved(tmp_path):
    old = edit(NANHU, "    牵头：区发改局、区财政局\n", "    牵头：区发改局、区财政局\n    时限：2023年6月底前\n")
    new = edit(old, "时限：2023年6月底前", "时限：2023年9月底前")
    assert changes(tmp_path, old, new) == [
        ("task", "deadline", "（一）3.",
         "完成时限由“2023年6月底前（2023-06-30）”改为“2023年9月底前（2023-09-30）”")]


def test_deadline_written_differently_on_the_same_date_is_no_change(tmp_path):
    old = edit(NANHU, "    牵头：区发改局、区财政局\n", "    牵头：区发改局、区财政局\n    时限：2023年6月底前\n")
    new = edit(old, "时限：2023年6月底前", "时限：2023-06-30")
    assert changes(tmp_path, old, new) == []


def test_target_raised(tmp_path):
    new = edit(NANHU, "指标：争资争项 力争 1.9亿元", "指标：争资争项 力争 2.1亿元")
    new = edit(new, "  总量：力争突破 52亿元", "  总量：力争突破 55亿元")
    new = edit(new, "目标 GDP “地区生产总值” {\n  增长：力争 8%", "目标 GDP “地区生产总值” {\n  增长：力争 9%")
    rep = report(tmp_path, NANHU, new)
    assert [(c.before_value, c.after_value, c.base_unit) for c in rep.changes] == [
        (0.08, 0.09, "ratio"), (5.2e9, 5.5e9, "元"), (1.9e8, 2.1e8, "元")]
    assert changes(tmp_path, NANHU, new) == [
        ("goal", "indicator", "GDP", "增长目标由“力争 8%”改为“力争 9%”（提高）"),
        ("goal", "indicator", "社零", "总量目标由“力争突破 52亿元”改为“力争突破 55亿元”（提高）"),
        ("task", "indicator", "（一）1.", "指标“争资争项”由“力争 1.9亿元”改为“力争 2.1亿元”（提高）"),
    ]


def test_same_value_in_another_unit_is_no_change(tmp_path):
    new = edit(NANHU, "  总量：力争突破 52亿元", "  总量：力争突破 520000万元")
    assert changes(tmp_path, NANHU, new) == []


def test_task_deleted(tmp_path):
    new, _ = cut_task(NANHU, "强化人才服务保障")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "removed", "（六）4.", "删去任务“强化人才服务保障”：原区党工委组织部牵头")]


def test_description_changed_word_by_word(tmp_path):
    new = edit(NANHU, "引导金融机构支持重大项目建设", "引导金融机构加大信贷投放、支持重大项目建设")
    rep = report(tmp_path, NANHU, new)
    assert [(c.kind, c.note) for c in rep.changes] == [("description", "任务内容：增加“加大信贷投放、”")]
    assert [(e.op, e.text) for e in rep.changes[0].edits if e.op != "equal"] == [("insert", "加大信贷投放、")]


def test_goals_added_and_removed(tmp_path):
    new = edit(NANHU, "目标 高于全市 “主要经济指标高于全市平均水平”\n", "")
    new = edit(new, "\n# 二、工作任务：原文此章只有标题\n",
               "\n目标 外贸 “外贸进出口总额” {\n  增长：10%\n}\n\n# 二、工作任务：原文此章只有标题\n")
    assert changes(tmp_path, NANHU, new) == [  # in document order: the removed goal where it was
        ("goal", "removed", "高于全市", "删去目标“主要经济指标高于全市平均水平”"),
        ("goal", "added", "外贸", "增加目标“外贸进出口总额”"),
    ]


HECHENG = (EXAMPLES / "hecheng-2024.plan").read_text(encoding="utf-8")
SHARE = "  目标 生产性服务业占比 “生产性服务业占服务业比重” {\n    指标：生产性服务业占服务业比重 力争超过 35%\n  }\n"
TALENT = "  目标 人才计划入选 “市级以上各类人才计划入选” {\n    指标：市级以上各类人才计划入选 1人以上\n  }\n"


def hecheng_changes(tmp_path: Path, new: str) -> list[tuple]:
    """(entity, kind, id, note) of every change from the 鹤城 example (which has findings of its own: the edit
    must add none)."""
    a, b = versions(tmp_path, HECHENG, new, registry_name="hecheng-units.plan")
    ra, rb = compile_file(a), compile_file(b)
    assert [d.message.zh for d in rb.diagnostics] == [d.message.zh for d in ra.diagnostics]
    rep = diff_plans(ra.model, rb.model)
    assert all(c.old_location is None and c.new_location is None for c in rep.changes if c.entity == "goal")
    return [(c.entity, c.kind, c.id, c.note) for c in rep.changes]


def test_goal_moved_to_another_group(tmp_path):
    new = edit(edit(HECHENG, SHARE, ""), TALENT, TALENT + SHARE)
    assert hecheng_changes(tmp_path, new) == [
        ("goal", "moved", "生产性服务业占比", "由“产业培育加力提速”移至“创新动能持续提升”下（1.4 → 2.6）"),
    ]


def test_goal_renamed_and_moved_to_another_group_is_one_goal(tmp_path):
    renamed = SHARE.replace("目标 生产性服务业占比 “生产性服务业占服务业比重”", "目标 服务业融合 “生产性服务业占服务业的比重”")
    new = edit(edit(HECHENG, SHARE, ""), TALENT, TALENT + renamed)
    assert hecheng_changes(tmp_path, new) == [
        ("goal", "renamed", "服务业融合", "目标名称由“生产性服务业占服务业比重”改为“生产性服务业占服务业的比重”"),
        ("goal", "moved", "服务业融合", "由“产业培育加力提速”移至“创新动能持续提升”下（1.4 → 2.6）"),
    ]


def test_goal_moved_within_its_group(tmp_path):
    first = "  目标 第一产业增加值 {\n    增长：4.5%\n  }\n"
    new = edit(edit(HECHENG, first, ""), SHARE, SHARE + first)
    assert hecheng_changes(tmp_path, new) == [
        ("goal", "moved", "第一产业增加值", "调整顺序（1.1 → 1.4）"),
    ]


def test_goal_group_deleted_with_a_goal_moved_out_of_it(tmp_path):
    start = HECHENG.index("目标 产业培育 “产业培育加力提速” {")
    end = HECHENG.index("\n}\n", start) + len("\n}\n\n")
    new = edit(edit(HECHENG[:start] + HECHENG[end:], TALENT, TALENT + SHARE), "  支撑：产业培育\n", "")
    assert hecheng_changes(tmp_path, new) == [
        ("goal", "removed", "产业培育", "删去目标“产业培育加力提速”（含3项子目标）"),
        ("goal", "moved", "生产性服务业占比", "由“产业培育加力提速”移至“创新动能持续提升”下（1.4 → 1.6）"),
        ("task", "field", "产业培塑行动", "删去支撑目标产业培育"),
    ]


def test_mechanism_renamed_is_one_mechanism(tmp_path):
    new = edit(NANHU, "机制 调度 “完善调度机制”", "机制 调度通报 “完善调度通报机制”")
    rep = report(tmp_path, NANHU, new)
    assert [(c.entity, c.kind, c.id, c.old_id, c.note) for c in rep.changes] == [
        ("mechanism", "renamed", "调度通报", "调度", "机制名称由“完善调度机制”改为“完善调度通报机制”"),
    ]


def test_units_and_mechanism_members(tmp_path):
    units = (EXAMPLES / "nanhu-units.plan").read_text(encoding="utf-8") + "\n单位 区数据局 “区数据资源管理局”\n"
    new = edit(NANHU, "  成员：", "  成员：区数据局、")
    rep = report(tmp_path, NANHU, new, units)
    assert [(c.entity, c.kind, c.id, c.note) for c in rep.changes] == [
        ("unit", "added", "区数据局", "增加单位“区数据局”"),
        ("mechanism", "owners", "专班", "增加成员区数据局"),
    ]
    assert [c.note for c in for_unit(rep, "区数据局").changes] == ["增加单位“区数据局”", "增加成员区数据局"]


def test_leaders_and_owners_reported_where_written_not_on_every_task_inheriting_them(tmp_path):
    new = edit(NANHU, "  支撑：固投\n", "  支撑：固投\n  责任领导：常务副区长\n")
    new = edit(new, "  任务 “强化项目要素保障” {\n", "  任务 “强化项目要素保障” {\n    责任领导：分管副区长\n")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "leaders", "（一）", "责任领导由“（无）”改为“常务副区长”"),
        ("task", "leaders", "（一）3.", "责任领导由“（无）”改为“分管副区长”"),
    ]


def test_sub_task_moved_out_of_a_deleted_section(tmp_path):
    _, block = cut_task(NANHU, "强化资金保障")
    start = NANHU.index("任务 要素 “强化发展要素保障” {")
    end = NANHU.index("\n}\n", start) + len("\n}\n")
    new = NANHU[:start] + NANHU[end:]
    new = edit(new, "  任务 “推动区域经济高质量发展” {", block + "\n  任务 “推动区域经济高质量发展” {")
    assert changes(tmp_path, NANHU, new) == [
        ("task", "moved", "（六）1.→（五）3.", "由“强化发展要素保障”移至“增强区域发展动能”下（（六）1. → （五）3.）"),
        ("task", "removed", "（六）", "删去任务“强化发展要素保障”（含3项子任务）"),
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.plan") if not p.name.endswith("-units.plan")))
def test_every_example_against_itself_and_against_nothing(name):
    result = compile_file(EXAMPLES / name)
    again = compile_file(EXAMPLES / name)
    assert diff_plans(result.model, again.model).changes == []
    from planlang.model.nodes import CompiledPlan

    created = diff_plans(CompiledPlan(), result.model).changes
    deleted = diff_plans(result.model, CompiledPlan()).changes
    assert {c.kind for c in created} == {"added"} and {c.kind for c in deleted} == {"removed"}
    assert [c.id for c in created] == [c.id for c in deleted]
    assert sum(c.entity == "task" for c in created) == len(result.model.tasks)  # sub-tasks go with their parent


@settings(max_examples=int(os.environ.get("PLANLANG_FUZZ_EXAMPLES", "150")) // 4, deadline=None)
@given(mutated_example(max_edits=3))
def test_any_edit_of_an_example_compares_and_renders(case):
    """Whatever the edit (broken syntax included): the comparison runs, every format renders, and the edited
    version compared with a fresh compilation of itself has no changes."""
    from planlang.diff.docx import render_docx
    from planlang.diff.formats import html_report, markdown_report
    from planlang.diff.report import report_json

    name, text = case
    path = EXAMPLES / name
    old = compile_file(path).model
    new = compile_file(path, text=text).model
    rep = diff_plans(old, new)
    for out in (text_report(rep), text_report(rep, color=True), markdown_report(rep), html_report(rep),
                report_json(rep)):
        assert out.endswith("\n")
    assert render_docx(rep, __import__("datetime").date(2023, 1, 1))[:2] == b"PK"
    assert diff_plans(new, compile_file(path, text=text).model).changes == []


# -- one unit's view -------------------------------------------------------------------------------------------

def test_unit_view_lists_what_changed_for_the_unit(tmp_path):
    new = edit(NANHU, "    牵头：区发改局、区财政局\n", "    牵头：区发改局\n    配合：区财政局\n")
    new = edit(new, "  任务 “精准谋划储备项目” {",
               "  任务 “开展项目谋划比武” {\n    说明：“组织各街道开展项目谋划比武。”\n    牵头：区发改局\n  }\n\n"
               "  任务 “精准谋划储备项目” {")
    new, _ = cut_task(new, "强化人才服务保障")
    rep = report(tmp_path, NANHU, new)
    assert [c.note for c in for_unit(rep, "区财政局").changes] == ["由牵头改为配合"]
    assert [c.note for c in for_unit(rep, "区发改局").changes] == ["增加任务“开展项目谋划比武”：新增为牵头单位"]
    assert [c.note for c in for_unit(rep, "区党工委组织部").changes] == ["删去任务“强化人才服务保障”：不再是牵头单位"]
    assert for_unit(rep, "区市场监管局").changes == []


def test_unit_view_cli_accepts_an_alias_and_rejects_an_unknown_unit(tmp_path):
    new = edit(NANHU, "    牵头：区发改局、区财政局\n", "    牵头：区发改局\n    配合：区财政局\n")
    a, b = versions(tmp_path, NANHU, new)
    proc = run_cli("diff", str(a), str(b), "--unit", "区财政局")
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1:] == [
        "区财政局：由牵头改为配合 1 项", "~ 任务 （一）3. “强化项目要素保障”", "    由牵头改为配合", "共 1 处修改 / 1 change(s)"]
    assert run_cli("diff", str(a), str(b), "--unit", "区不存在局").returncode == 2
    new = edit(NANHU, "    牵头：区财政局、区税务局\n", "    牵头：区财政局\n    配合：区税务局\n")
    a, b = versions(tmp_path, NANHU, new)
    alias = run_cli("diff", str(a), str(b), "--unit", "区税务分局")
    assert alias.stdout.splitlines()[1] == "区税务局：由牵头改为配合 1 项"


# -- the command: formats, exit codes --------------------------------------------------------------------------

def _pair(tmp_path: Path) -> tuple[Path, Path]:
    new = edit(NANHU, "    牵头：区发改局、区财政局\n", "    牵头：区发改局\n    配合：区财政局\n")
    new = edit(new, "引导金融机构支持重大项目建设", "引导金融机构加大信贷投放、支持重大项目建设")
    new = edit(new, "指标：争资争项 力争 1.9亿元", "指标：争资争项 力争 2.1亿元")
    return versions(tmp_path, NANHU, new)


def test_exit_codes(tmp_path):
    a, b = _pair(tmp_path)
    same = run_cli("diff", str(a), str(a))
    assert same.returncode == 0 and "无实质修改" in same.stdout
    changed = run_cli("diff", str(a), str(b))
    assert changed.returncode == 1 and "\033[" not in changed.stdout
    assert "区财政局由牵头改为配合" in changed.stdout and "〔增：加大信贷投放、〕" in changed.stdout
    assert run_cli("diff", str(a), str(tmp_path / "missing.plan")).returncode == 2
    assert run_cli("diff", str(a)).returncode == 2
    assert run_cli("diff", "/dev/null", str(b)).returncode == 1


# -- compiling the two versions: the result cache, side by side -------------------------------------------------

def _compiled(paths: list[Path], use_cache: bool = True, parallel: bool = False, real: list | None = None):
    from planlang.cli import _fail
    from planlang.diff.load import Version, compiled_versions

    versions_ = [Version(str(p), r) for p, r in zip(paths, real or [None] * len(paths))]
    return compiled_versions(versions_, _fail, use_cache=use_cache, parallel=parallel)


def test_a_cached_compilation_gives_the_same_change_list(tmp_path, monkeypatch):
    from planlang.diff import load

    monkeypatch.setenv("PLANLANG_CACHE_DIR", str(tmp_path / "cache"))
    a, b = _pair(tmp_path)
    fresh = diff_plans(*_compiled([a, b], use_cache=False))
    assert not (tmp_path / "cache").exists()  # --no-cache: nothing read, nothing written
    first = diff_plans(*_compiled([a, b]))
    assert len(list((tmp_path / "cache" / "diff").glob("??/*"))) == 2

    def no_compiling(v):
        raise AssertionError(f"compiled again: {v.name}")

    monkeypatch.setattr(load, "_compile", no_compiling)
    cached = diff_plans(*_compiled([a, b]))
    assert fresh.changes and cached.changes == first.changes == fresh.changes
    assert cached.model_dump_json() == fresh.model_dump_json()


def test_a_cache_entry_is_not_used_when_an_included_file_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANLANG_CACHE_DIR", str(tmp_path / "cache"))
    a, b = _pair(tmp_path)
    before = diff_plans(*_compiled([a, b]))
    registry = b.parent / "nanhu-units.plan"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n单位 区数据局 “区数据资源管理局”\n", encoding="utf-8")
    after = diff_plans(*_compiled([a, b]))
    assert after.changes != before.changes
    assert [(c.entity, c.kind, c.id) for c in after.changes if c.entity == "unit"] == [("unit", "added", "区数据局")]
    assert after.changes == diff_plans(*_compiled([a, b], use_cache=False)).changes


def test_the_git_driver_old_version_is_cached_by_content_and_real_path(tmp_path, monkeypatch):
    """git passes the old version in a temporary file, a new one each time: the entry is the content's at the
    real path, so the next run (another temporary file, the same blob) reads it."""
    from planlang.diff import load

    monkeypatch.setenv("PLANLANG_CACHE_DIR", str(tmp_path / "cache"))
    a, b = _pair(tmp_path)
    blob = tmp_path / "tmp-blob-1"
    blob.write_bytes(a.read_bytes())
    first = _compiled([blob, b], real=[str(a), None])
    blob.unlink()
    again = tmp_path / "tmp-blob-2"
    again.write_bytes(a.read_bytes())
    monkeypatch.setattr(load, "_compile", lambda v: (_ for _ in ()).throw(AssertionError(v.name)))
    second = _compiled([again, b], real=[str(a), None])
    assert diff_plans(*second).changes == diff_plans(*first).changes


def test_the_two_versions_compiled_side_by_side_give_the_same_models(tmp_path):
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system: the versions are compiled one after the other")
    a, b = _pair(tmp_path)
    side_by_side = _compiled([a, b], use_cache=False, parallel=True)
    in_turn = _compiled([a, b], use_cache=False, parallel=False)
    assert [m.model_dump_json() for m in side_by_side] == [m.model_dump_json() for m in in_turn]
    assert diff_plans(*side_by_side).changes == diff_plans(*in_turn).changes


def test_a_failure_in_the_version_compiled_beside_is_the_usual_usage_error(tmp_path, monkeypatch, capsys):
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    from planlang.config import ConfigError
    from planlang.diff import load

    a, b = _pair(tmp_path)
    compile_one = load._compile

    def old_one_fails(v):
        if v.name == str(a):
            raise ConfigError("坏的配置")
        compile_one(v)

    monkeypatch.setattr(load, "_compile", old_one_fails)
    with pytest.raises(SystemExit) as stop:
        _compiled([a, b], use_cache=False, parallel=True)
    assert stop.value.code == 2
    assert "配置错误 / invalid configuration: 坏的配置" in capsys.readouterr().err
    with pytest.raises(ChildProcessError):  # the child was waited for
        os.waitpid(-1, os.WNOHANG)


def test_usage_errors(tmp_path):
    a, b = _pair(tmp_path)
    (tmp_path / "old" / "planlang.toml").write_text("indent = 99\n", encoding="utf-8")
    for extra in ([], ["--no-cache"]):
        proc = run_cli("diff", *extra, str(a), str(b))
        assert proc.returncode == 2 and "配置错误 / invalid configuration" in proc.stderr, proc.stderr
    out = tmp_path / "out.txt"
    assert run_cli("diff", str(a), str(b), "-o", str(a)).returncode == 2  # would overwrite the old version
    assert run_cli("diff", str(a), str(b), "-o", str(out)).returncode == 2
    (tmp_path / "old" / "planlang.toml").unlink()
    assert run_cli("diff", str(a), str(b), "-o", str(out)).returncode == 1 and out.is_file()


def test_git_driver_arguments(tmp_path):
    a, b = _pair(tmp_path)
    renamed = run_cli("diff", "--git", "old/plan.plan", str(a), "1" * 40, "100644", str(b), "2" * 40, "100644",
                      "new/plan.plan", "similarity index 90%\nrename from old/plan.plan\nrename to new/plan.plan\n",
                      cwd=tmp_path)
    assert renamed.returncode == 0, renamed.stderr  # changes, yet 0: git stops at a driver's non-zero exit
    assert renamed.stdout.startswith("planlang diff a/old/plan.plan → b/new/plan.plan")
    assert "区财政局由牵头改为配合" in renamed.stdout
    assert run_cli("diff", "--git", "plan.plan").stdout == "* Unmerged path plan.plan\n"
    assert run_cli("diff", "--git", "a", "b", "c").returncode == 2


def test_colour_only_when_asked(tmp_path):
    a, b = _pair(tmp_path)
    rep = diff_plans(compile_file(a).model, compile_file(b).model)
    coloured = text_report(rep, color=True)
    assert "\033[32m〔增：加大信贷投放、〕\033[0m" in coloured
    assert "\033[" not in text_report(rep, color=False)


def test_json_validates_against_the_committed_schema(tmp_path):
    a, b = _pair(tmp_path)
    out = tmp_path / "d.json"
    proc = run_cli("diff", str(a), str(b), "--format", "json", "-o", str(out))
    assert proc.returncode == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schema" / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert [c["kind"] for c in data["changes"]] == ["indicator", "owners", "description"]
    assert out.read_text(encoding="utf-8") == run_cli("diff", str(a), str(b), "--format", "json").stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_committed_schema_is_current():
    committed = (ROOT / "schema" / "diff.schema.json").read_text(encoding="utf-8")
    assert committed == diff_schema_json(), "schema/diff.schema.json is stale: run `planlang schema --diff -o schema/diff.schema.json`"
    assert run_cli("schema", "--diff").stdout == committed


def test_docx_table_read_back(tmp_path):
    import docx

    a, b = _pair(tmp_path)
    out = tmp_path / "对照表.docx"
    assert run_cli("diff", str(a), str(b), "-f", "docx", "-o", str(out)).returncode == 1
    doc = docx.Document(str(out))
    sec = doc.sections[0]
    assert [round(x.mm) for x in (sec.page_width, sec.page_height, sec.top_margin, sec.left_margin)] == [
        210, 297, 37, 28]
    assert "修改对照表" in doc.paragraphs[0].text
    (table,) = doc.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["原稿", "修改稿", "修改说明"]
    assert len(cells) == 1 + 3
    assert cells[1][:2] == ["争资争项 力争 1.9亿元", "争资争项 力争 2.1亿元"]
    assert cells[2][:2] == ["区发改局、区财政局牵头", "区发改局牵头，区财政局配合"]
    assert cells[2][2].endswith("区财政局由牵头改为配合")
    inserted = [r.text for r in table.rows[3].cells[1].paragraphs[0].runs if r.font.underline]
    assert inserted == ["加大信贷投放、"]
    second = tmp_path / "again.docx"
    run_cli("diff", str(a), str(b), "-f", "docx", "-o", str(second))
    assert second.read_bytes() == out.read_bytes()


def test_html_and_markdown(tmp_path):
    a, b = _pair(tmp_path)
    page = run_cli("diff", str(a), str(b), "-f", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and "<ins>加大信贷投放、</ins>" in page
    assert "<script" not in page and "src=" not in page and "href=" not in page  # self-contained
    md = run_cli("diff", str(a), str(b), "-f", "md").stdout
    assert "| 序号 | 原稿 | 修改稿 | 修改说明 |" in md and "**加大信贷投放、**" in md


# -- the word-level text diff ------------------------------------------------------------------------------

def test_word_diff_reads_a_rewritten_phrase_as_one_replacement():
    edits = word_diff("加快推进重点项目建设", "全力保障重大项目建设")
    assert [(e.op, e.text) for e in edits] == [
        ("delete", "加快推进重点"), ("insert", "全力保障重大"), ("equal", "项目建设")]
    assert inline(edits) == "〔删：加快推进重点〕〔增：全力保障重大〕项目建设"


def test_word_diff_keeps_numbers_whole():
    edits = word_diff("力争完成45亿元", "力争完成55.5亿元")
    assert [(e.op, e.text) for e in edits if e.op != "equal"] == [("delete", "45"), ("insert", "55.5")]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="项目建设推进加快，。、1234.%ab", max_size=40),
       st.text(alphabet="项目建设推进加快，。、1234.%ab", max_size=40))
def test_word_diff_rebuilds_both_texts(a, b):
    edits = word_diff(a, b)
    assert "".join(e.text for e in edits if e.op != "insert") == a
    assert "".join(e.text for e in edits if e.op != "delete") == b


# -- git ---------------------------------------------------------------------------------------------------

def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "NO_COLOR": "1", "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(repo.parent), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120)


def test_git_diff_driver(tmp_path):
    need_program("git", package="git", why="the git diff driver test runs git")
    repo = tmp_path / "repo"
    repo.mkdir()
    assert _git(repo, "init", "-q").returncode == 0
    shutil.copy(EXAMPLES / "nanhu-units.plan", repo / "nanhu-units.plan")
    (repo / "plan.plan").write_text(NANHU, encoding="utf-8")
    (repo / ".gitattributes").write_text("*.plan diff=planlang\n", encoding="utf-8")
    _git(repo, "add", ".")
    assert _git(repo, "commit", "-qm", "v1").returncode == 0
    new = edit(NANHU, "    牵头：区发改局、区财政局\n", "    牵头：区发改局\n    配合：区财政局\n")
    new, _ = cut_task(new, "强化人才服务保障")
    (repo / "plan.plan").write_text(new, encoding="utf-8")
    command = f"{sys.executable} -m planlang diff --git"
    _git(repo, "config", "diff.planlang.command", command)
    worktree = _git(repo, "diff")
    assert worktree.returncode == 0, worktree.stderr
    assert worktree.stdout.splitlines() == [
        "planlang diff a/plan.plan → b/plan.plan  《南湖新区打好经济增长主动仗工作方案》",
        "~ 任务 （一）3. “强化项目要素保障”",
        "    区财政局由牵头改为配合",
        "- 任务 （六）4. “强化人才服务保障”",
        "    删去任务“强化人才服务保障”：原区党工委组织部牵头",
        "共 2 处修改 / 2 change(s)",
    ]
    assert "error" not in worktree.stderr  # the include was found from the real path
    _git(repo, "commit", "-qam", "v2")
    (repo / "sub").mkdir()
    shutil.copy(repo / "plan.plan", repo / "sub" / "copy.plan")
    shutil.copy(repo / "nanhu-units.plan", repo / "sub" / "nanhu-units.plan")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "v3")
    log = _git(repo, "log", "-p", "--ext-diff", "--format=commit %s")
    assert log.returncode == 0, log.stderr
    text = log.stdout
    assert "commit v2\n\nplanlang diff a/plan.plan → b/plan.plan" in text
    assert "planlang diff /dev/null → b/sub/copy.plan" in text  # an added file: everything added
    assert "+ 任务 （一） “着力扩大有效投资”" in text
    shown = _git(repo, "show", "--ext-diff", "HEAD~1")
    assert "区财政局由牵头改为配合" in shown.stdout


_VSCODE_STUB = r"""
const Module = require("module");
const shown = [];
const vscode = {
  commands: { registerCommand: (name, fn) => { vscode.registered = { name, fn }; return { dispose() {} }; } },
  window: {
    activeTextEditor: { document: { isUntitled: false, uri: { scheme: "file", fsPath: process.argv[2] },
                                    getText: () => require("fs").readFileSync(process.argv[3], "utf8") } },
    showTextDocument: async () => {},
    showErrorMessage: (m) => { shown.push("error: " + m); },
    showInformationMessage: (m) => { shown.push("info: " + m); },
  },
  workspace: {
    getConfiguration: () => ({ get: (k) => (k === "server.pythonPath" ? process.argv[4] : "") }),
    openTextDocument: async ({ content }) => { shown.push(content); return {}; },
  },
  ViewColumn: { Beside: -2 },
};
const { register } = require(process.argv[5]);
register(vscode);
vscode.registered.fn().then(() => {
  process.stdout.write(JSON.stringify({ name: vscode.registered.name, shown }));
});
"""


def test_vscode_command_compares_the_editor_text_with_the_last_commit(tmp_path):
    """The extension's `planlang.diffWithHead`, run under node with a stand-in for the `vscode` module: the
    buffer's text (not saved) against HEAD's version, through `planlang diff --git`."""
    node = need_program("node", package="nodejs", why="the VS Code command is JavaScript")
    need_program("git", package="git", why="the command reads the last commit with git")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "plans").mkdir()
    shutil.copy(EXAMPLES / "nanhu-units.plan", repo / "plans" / "nanhu-units.plan")
    (repo / "plans" / "plan.plan").write_text(NANHU, encoding="utf-8")
    _git(repo, "add", ".")
    assert _git(repo, "commit", "-qm", "v1").returncode == 0
    buffer = tmp_path / "buffer.plan"  # what the editor holds; the file on disk is unchanged
    buffer.write_text(edit(NANHU, "指标：争资争项 力争 1.9亿元", "指标：争资争项 力争 2.1亿元"), encoding="utf-8")
    script = tmp_path / "run.js"
    script.write_text(_VSCODE_STUB, encoding="utf-8")
    module = ROOT / "editor-support" / "vscode" / "src" / "diffWithHead.js"
    proc = subprocess.run([node, str(script), str(repo / "plans" / "plan.plan"), str(buffer), sys.executable,
                           str(module)], capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["name"] == "planlang.diffWithHead"
    (text,) = out["shown"]
    assert text.splitlines() == [
        "planlang diff a/plans/plan.plan → b/plans/plan.plan  《南湖新区打好经济增长主动仗工作方案》",
        "~ 任务 （一）1. “精准谋划储备项目”",
        "    指标“争资争项”由“力争 1.9亿元”改为“力争 2.1亿元”（提高）",
        "共 1 处修改 / 1 change(s)",
    ]
    package = json.loads((ROOT / "editor-support" / "vscode" / "package.json").read_text(encoding="utf-8"))
    assert "planlang.diffWithHead" in [c["command"] for c in package["contributes"]["commands"]]
