"""The 推进情况表 round trip: export → fill (openpyxl) → import gives exactly the progress file filled in; what
import cannot take is refused cell by cell, the rest is merged, other units and earlier periods are untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, run_cli
from planlang.progress.history import read_progress_file
from planlang.progress.sheet import COLUMNS, FIRST_ROW, REPORT_COLUMNS, report_cells

FILLED = """\
# 2023-07 推进情况（由 planlang track import 从推进情况表合并）
引用 “../nanhu-2023.plan”

进展 2023-07 {
  填报单位：区发改局
  填报日期：2023-07-25
  记录 1.1 {
    状态：推进中
    完成：争资争项 1.2亿元
    进度：63%
    进展情况：“争取到专项债券资金”
    进展情况：“新储备项目 5 个”
  }
  记录 1.3 {
    状态：已完成
    说明：“用地指标已落实，7月完成供地”
  }
}

进展 2023-07 {
  填报单位：区文旅招商局
  填报日期：2023-07-24
  记录 2.1 {
    状态：推进中
    完成：社零 30.2亿元
    增长：社零 7.9%
    存在问题：「“夜经济”街区客流不及预期」
    下步打算：“举办夏季消费节”
  }
}
"""


@pytest.fixture
def ws(tmp_path) -> Path:
    for f in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / f, tmp_path / f)
    shutil.copytree(EXAMPLES / "进展", tmp_path / "进展")
    (tmp_path / "planlang.toml").touch()
    return tmp_path


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.plan"))}


def _row_of(ws, path: str) -> int:
    return next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == path)


def _fill(book: Path, text: str, tmp: Path) -> None:
    """Type a progress file's reports into the exported workbook, as a unit would."""
    src = tmp / "filled-source.plan"
    src.write_text(text, encoding="utf-8")
    wb = load_workbook(book)
    for rep in read_progress_file(src).reports:
        sheet = wb[rep.filed_by]
        sheet.cell(2, 6).value = rep.filed_on
        for rec in rep.records:
            r = _row_of(sheet, rec.task)
            for name, value in zip(REPORT_COLUMNS, report_cells(rec)):
                sheet.cell(r, COLUMNS.index(name) + 1).value = value or None
    wb.save(book)


def test_export_fill_import_gives_the_progress_file_byte_for_byte(ws, tmp_path):
    book = tmp_path / "推进情况表.xlsx"
    before = _digest(ws / "进展")
    proc = run_cli("track", "export", str(ws / "nanhu-2023.plan"), "--period", "2023-07", "-o", str(book))
    assert proc.returncode == 0, proc.stderr
    _fill(book, FILLED, tmp_path)
    proc = run_cli("track", "import", str(book))
    assert proc.returncode == 0, proc.stderr
    assert (ws / "进展" / "2023-07.plan").read_bytes() == FILLED.encode("utf-8")
    assert _digest(ws / "进展") == {**before, "2023-07.plan": hashlib.sha256(FILLED.encode()).hexdigest()}


def test_the_exported_workbook_locks_the_plan_and_offers_the_states(ws, tmp_path):
    book = tmp_path / "t.xlsx"
    run_cli("track", "export", str(ws / "nanhu-2023.plan"), "--period", "2023-07", "--unit", "区文旅招商局",
            "-o", str(book))
    wb = load_workbook(book)
    assert wb.sheetnames == ["区文旅招商局"]
    sheet = wb["区文旅招商局"]
    assert sheet.protection.sheet
    r = _row_of(sheet, "2.1")
    assert sheet.cell(r, COLUMNS.index("任务") + 1).protection.locked
    state = sheet.cell(r, COLUMNS.index("状态") + 1)
    assert not state.protection.locked and state.alignment.wrap_text
    (dv,) = sheet.data_validations.dataValidation
    assert dv.type == "list" and "未启动,推进中,已完成,滞后,暂缓,取消" in dv.formula1 and state.coordinate in dv.sqref
    # last period's report beside: June's 社零 and its state
    assert sheet.cell(r, COLUMNS.index("上期状态") + 1).value == "推进中"
    assert sheet.cell(r, COLUMNS.index("上期完成值") + 1).value == "社零 25.3亿元\n社零 6.1%"
    again = tmp_path / "again.xlsx"
    run_cli("track", "export", str(ws / "nanhu-2023.plan"), "--period", "2023-07", "--unit", "区文旅招商局",
            "-o", str(again))
    assert again.read_bytes() == book.read_bytes()


def test_import_refuses_cell_by_cell_and_keeps_the_rest(ws, tmp_path):
    book = tmp_path / "t.xlsx"
    run_cli("track", "export", str(ws / "nanhu-2023.plan"), "--period", "2023-07", "-o", str(book))
    _fill(book, FILLED, tmp_path)
    wb = load_workbook(book)
    sheet = wb["区文旅招商局"]
    col = {name: COLUMNS.index(name) + 1 for name in COLUMNS}
    r22, r23, r31, r32 = (_row_of(sheet, p) for p in ("2.2", "2.3", "3.1", "3.2"))
    sheet.cell(r22, col["任务"]).value = "改过的标题"          # a locked cell edited
    sheet.cell(r22, col["状态"]).value = "推进中"
    sheet.cell(r23, col["状态"]).value = "差不多了"            # not a state
    sheet.cell(r31, col["状态"]).value = "推进中"
    sheet.cell(r31, col["完成值"]).value = "社零 很多"          # unreadable
    sheet.cell(r32, col["完成值"]).value = "招商引资到位资金 12家"  # wrong unit
    sheet.cell(r32, col["进度"]).value = "120%"
    extra = sheet.max_row + 1
    sheet.cell(extra, 1).value = "9.9"                       # no such task
    sheet.cell(extra, col["状态"]).value = "推进中"
    wb.save(book)
    proc = run_cli("track", "import", str(book), "--plan", str(ws / "nanhu-2023.plan"))
    assert proc.returncode == 1
    refused = [line for line in proc.stderr.splitlines() if line.startswith("planlang: 拒收")]
    assert len(refused) == 6, proc.stderr
    where = "t.xlsx[区文旅招商局]"
    for cell, text in ((f"B{r22}", "锁定列“任务”被改动"), (f"I{r23}", "无法识别的状态“差不多了”"),
                       (f"J{r31}", "无法识别的数值“社零 很多”"), (f"J{r32}", "计量单位与指标不相容"),
                       (f"L{r32}", "0–100"), (f"A{extra}", "序号“9.9”不是本单位填报的任务")):
        assert any(f"{where}{cell}：" in line and text in line for line in refused), (cell, refused)
    merged = (ws / "进展" / "2023-07.plan").read_text(encoding="utf-8")
    assert merged == FILLED  # the refused rows are left out, every other row kept


def test_importing_one_unit_again_replaces_only_its_block(ws, tmp_path):
    target = ws / "进展" / "2023-07.plan"
    target.write_text(FILLED, encoding="utf-8")
    book = tmp_path / "fgj.xlsx"
    run_cli("track", "export", str(ws / "nanhu-2023.plan"), "--period", "2023-07", "--unit", "区发改局", "-o", str(book))
    wb = load_workbook(book)
    sheet = wb["区发改局"]
    r = _row_of(sheet, "1.1")
    assert sheet.cell(r, COLUMNS.index("完成值") + 1).value == "争资争项 1.2亿元"  # what is in is shown again
    sheet.cell(r, COLUMNS.index("完成值") + 1).value = "争资争项 1.3亿元"
    wb.save(book)
    proc = run_cli("track", "import", str(book))
    assert proc.returncode == 0, proc.stderr
    assert target.read_text(encoding="utf-8") == FILLED.replace("争资争项 1.2亿元", "争资争项 1.3亿元")
