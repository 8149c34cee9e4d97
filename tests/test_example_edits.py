"""Edits of the real examples trip the right rule — the checker catches what a reviewing office would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli


@pytest.fixture
def nanhu(tmp_path) -> Path:
    """A private copy of nanhu-2023 and its registry, in a workspace of its own."""
    for f in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / f, tmp_path / f)
    (tmp_path / "planlang.toml").touch()
    return tmp_path / "nanhu-2023.plan"


def _edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the example no longer contains {old!r}"
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:at].count("\n") + 1


def _errors(path: Path) -> list[dict]:
    proc = run_cli("check", "--format", "json", str(path))
    assert proc.returncode in (0, 1), proc.stderr
    return [d for d in json.loads(proc.stdout)["diagnostics"] if d["severity"] != "info"]


def _codes(path: Path) -> set[str]:
    return {d["code"] for d in _errors(path)}


def test_unedited_copy_has_no_errors(nanhu):
    assert not [d for d in _errors(nanhu) if d["severity"] == "error"]


def test_total_that_no_longer_matches_growth_times_baseline_is_pl302(nanhu):
    _edit(nanhu, "  总量：力争突破 52亿元\n", "  基数：2022年 48.1亿元\n  总量：力争突破 52亿元\n")
    assert "PL302" not in _codes(nanhu)  # 48.1 × 1.08 ≈ 51.9亿元: consistent
    line = _edit(nanhu, "总量：力争突破 52亿元", "总量：力争突破 60亿元")
    found = [d for d in _errors(nanhu) if d["code"] == "PL302"]
    assert [d["range"]["start"]["line"] for d in found] == [line]
    assert "51.95亿元" in found[0]["message"]


def test_deadline_moved_past_the_plan_year_is_pl401(nanhu):
    anchor = "    牵头：区市场监管局\n"
    _edit(nanhu, anchor, anchor + "    时限：2023年12月31日前\n")
    assert "PL401" not in _codes(nanhu)
    line = _edit(nanhu, "时限：2023年12月31日前", "时限：2024年3月底前")
    found = [d for d in _errors(nanhu) if d["code"] == "PL401"]
    assert [d["range"]["start"]["line"] for d in found] == [line]
    assert "2024-03-31" in found[0]["message"]


def test_lead_unit_removed_from_the_working_group_is_pl204(nanhu):
    assert "PL204" not in _codes(nanhu)
    text = nanhu.read_text(encoding="utf-8")
    (members,) = [line for line in text.splitlines() if line.strip().startswith("成员：")]
    assert "、区市场监管局、" in members
    _edit(nanhu, members, members.replace("、区市场监管局、", "、"))
    found = [d for d in _errors(nanhu) if d["code"] == "PL204"]
    assert found and all("区市场监管局" in d["message"] for d in found)


def test_dependency_loop_is_pl403_listing_every_task(nanhu):
    _edit(nanhu, "任务 投资 “着力扩大有效投资” {\n", "任务 投资 “着力扩大有效投资” {\n  依赖：招商\n")
    _edit(nanhu, "任务 消费 “激发释放消费潜力” {\n", "任务 消费 “激发释放消费潜力” {\n  依赖：投资\n")
    assert "PL403" not in _codes(nanhu)
    _edit(nanhu, "任务 招商 “招商引资突破行动” {\n", "任务 招商 “招商引资突破行动” {\n  依赖：消费\n")
    (found,) = [d for d in _errors(nanhu) if d["code"] == "PL403"]
    for title in ("着力扩大有效投资", "激发释放消费潜力", "招商引资突破行动"):
        assert title in found["message"]


def test_indicator_stated_twice_with_another_value_is_pl305(nanhu):
    assert "PL305" not in _codes(nanhu)  # 招商引资到位资金 力争 45亿元 and 引资总额 确保 45亿元以上 agree
    line = _edit(nanhu, "引资总额 确保 45亿元以上", "引资总额 确保 50亿元以上")
    found = [d for d in _errors(nanhu) if d["code"] == "PL305"]
    assert [d["range"]["start"]["line"] for d in found] == [line]
