"""The 推进情况表 round trip: `planlang track export` writes a workbook with a sheet per unit listing the tasks it
reports on; `planlang track import` reads the returned workbooks back into the period's progress file.

Sheet layout (every sheet): row 1 the title; row 2 `填报单位 | <unit> | 期间 | <period> | 填报日期 | <editable>`;
row 4 the header; from row 5 one row per task. Columns 序号 … 上期完成值 come from the plan and the last
reported period and are locked (sheet protection, no password: it guards against slips, not people); the report
columns 状态 (a drop-down) … 说明 are editable and wrapped. 完成值 and 增长 hold one `指标 数值单位` per line
(`社零 25.3亿元`), typed with the unit as the plan writes its values; the text columns hold one paragraph per line.

Import refuses, with one message per cell: a row whose 序号 is not a task of the sheet's unit, a locked cell that
differs from what export wrote, a 状态 that is not one of the six, a value that cannot be read or whose unit does
not fit the indicator, a 进度 that is not 0–100. Refused rows are left out; everything else is kept. The output is
the period's progress file: the blocks of the units imported are replaced, other units' blocks and other files
(earlier periods) are untouched.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from planlang import keywords as kw
from planlang.model import values
from planlang.progress import track
from planlang.progress.build import read_percent, read_period
from planlang.progress.model import ProgressRecord, ProgressReport

PLAN_COLUMNS = ("序号", "任务", "牵头单位", "责任单位", "时限", "指标", "上期状态", "上期完成值")
REPORT_COLUMNS = ("状态", "完成值", "增长", "进度", "进展情况", "存在问题", "下步打算", "说明")
COLUMNS = PLAN_COLUMNS + REPORT_COLUMNS
HEADER_ROW, FIRST_ROW = 4, 5
_WIDTHS = (8, 36, 18, 18, 14, 28, 10, 22, 10, 24, 18, 8, 36, 30, 30, 24)
STATE_ZH = [v.zh for v in kw.PROGRESS_STATES]


def _col(name: str) -> int:
    return COLUMNS.index(name) + 1


@dataclass(slots=True)
class Row:
    """A task row of a unit's sheet: the plan columns."""

    task: object
    cells: tuple[str, ...]


def unit_rows(result, unit: str, history: list[ProgressReport], last: dict | None = None) -> list[Row]:
    """The tasks a unit reports on (effective lead, else responsible; tasks without sub-tasks), in plan order,
    with the plan columns as export writes them. `last`: each task's latest record before the period, when the
    caller has it already."""
    if last is None:
        last = track.last_state(history, track.task_index(result.symbols, result.model))
    return [_row_of(t, last) for t, _ in result.symbols.task_list
            if not t.children and unit in track.accountable(t)]


def _rows_by_unit(result, units: set[str], last: dict) -> dict[str, list[Row]]:
    """`unit_rows` for several units in one walk of the task tree."""
    out: dict[str, list[Row]] = {}
    for t, _ in result.symbols.task_list:
        if t.children:
            continue
        for unit in dict.fromkeys(track.accountable(t)):
            if unit in units:
                out.setdefault(unit, []).append(_row_of(t, last))
    return out


def _row_of(t, last: dict) -> Row:
    e = t.effective_owners
    prev = last.get(t.id)
    cells = (t.path, t.title, "、".join(e.lead), "、".join(e.responsible),
             "、".join(d.text for d in t.due), "\n".join(x.text for x in t.targets),
             _state_zh(prev.status) if prev else "",
             "\n".join(x.text for x in (*prev.reached, *prev.growth)) if prev else "")
    return Row(t, cells)


def _state_zh(state: str | None) -> str:
    v = next((s for s in kw.PROGRESS_STATES if s.name == state), None)
    return v.zh if v else ""


def reporting_units(result) -> list[str]:
    """Units that report on at least one task, in the order the plan declares them."""
    owners = {u for t, _ in result.symbols.task_list if not t.children for u in track.accountable(t)}
    return [u.id for u in result.model.units
            if u.id in owners and u.kind not in ("collective", "position", "external")]


def _sheet_title(unit: str, used: set[str]) -> str:
    bad = '[]:*?/\\'
    name = "".join("_" if c in bad else c for c in unit)[:31] or "单位"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def export_workbook(result, period: str, units: list[str], history: list[ProgressReport],
                    current: list[ProgressReport] | None = None, subject: str | None = None) -> bytes:
    """The 推进情况表 for `period`: a sheet per unit. `current`, the period's reports already in, pre-fills the
    report columns (a unit's sheet sent again)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.merge import MergedCellRange

    from planlang.outputs.ooxml import normalize_package

    span = read_period(period)
    earlier = track.reports_before(history, span[0]) if span else history
    idx = track.task_index(result.symbols, result.model)
    filled: dict[tuple[str, str], ProgressRecord] = {}
    dates: dict[str, str] = {}
    for rep in current or []:
        for rec in rep.records:
            t = idx.get(rec.task)
            if t is not None and rec.filed_by:
                filled[(rec.filed_by, t.id)] = rec
        if rep.filed_by and rep.filed_on:
            dates[rep.filed_by] = rep.filed_on
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    title = result.model.plan.title if result.model.plan else ""
    head_font = Font(name="黑体", size=11, bold=True)
    grey = PatternFill("solid", fgColor="EDEDED")
    # Every cell takes one of a few named styles, registered once; a cell gets a copy of its style's array of
    # indexes (what openpyxl's own named-style assignment stores, without its per-cell lookups): styling cell by
    # cell — a Font per cell, hashed into the workbook's tables — was most of the time of a 60-unit export.
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name="宋体", size=11)
    wrap = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, vertical="center")
    locked, unlocked = Protection(locked=True), Protection(locked=False)
    named = (
        NamedStyle(name="planlang-title", font=Font(name="黑体", size=14), alignment=centred, protection=locked),
        NamedStyle(name="planlang-label", font=head_font, border=border, alignment=centred, protection=locked),
        NamedStyle(name="planlang-value", font=body_font, border=border, alignment=centred, protection=locked),
        NamedStyle(name="planlang-date", font=body_font, border=border, alignment=centred, protection=unlocked),
        NamedStyle(name="planlang-head-plan", font=head_font, fill=grey, border=border, alignment=centred,
                   protection=locked),
        NamedStyle(name="planlang-head-report", font=head_font, border=border, alignment=centred, protection=locked),
        NamedStyle(name="planlang-plan", font=body_font, fill=grey, border=border, alignment=wrap, protection=locked),
        NamedStyle(name="planlang-report", font=body_font, border=border, alignment=wrap, protection=unlocked,
                   number_format="@"),
    )
    for style in named:
        wb.add_named_style(style)
    arrays = {style.name: style.as_tuple() for style in named}
    last = track.last_state(earlier, idx)
    rows_of = _rows_by_unit(result, set(units), last)
    for unit in units:
        ws = wb.create_sheet(_sheet_title(unit, used))
        _cell(ws, 1, 1, f"{title}推进情况表（{period}）", arrays["planlang-title"])
        # the title row merged: the range alone (openpyxl's merge_cells also restyles every covered cell's
        # border, a fifth of the export's time, for a title that has none)
        ws.merged_cells.add(MergedCellRange(ws, f"A1:{ws.cell(row=1, column=len(COLUMNS)).column_letter}1"))
        for col, text in ((1, "填报单位"), (2, unit), (3, "期间"), (4, period), (5, "填报日期")):
            _cell(ws, 2, col, text, arrays["planlang-label" if col in (1, 3, 5) else "planlang-value"])
        _cell(ws, 2, 6, dates.get(unit, ""), arrays["planlang-date"])
        for i, name in enumerate(COLUMNS, 1):
            _cell(ws, HEADER_ROW, i, name, arrays["planlang-head-plan" if name in PLAN_COLUMNS else
                                                   "planlang-head-report"])
            ws.column_dimensions[ws.cell(row=HEADER_ROW, column=i).column_letter].width = _WIDTHS[i - 1]
        rows = rows_of.get(unit, [])
        dv = DataValidation(type="list", formula1='"' + ",".join(STATE_ZH) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状态", error="请从下拉列表中选择：" + "、".join(STATE_ZH))
        ws.add_data_validation(dv)
        first_report = len(PLAN_COLUMNS) + 1
        plan_style, report_style = arrays["planlang-plan"], arrays["planlang-report"]
        for r, row in enumerate(rows, FIRST_ROW):
            for c, text in enumerate(row.cells, 1):
                _cell(ws, r, c, text, plan_style)
            rec = filled.get((unit, row.task.id))
            for c, text in enumerate(report_cells(rec), first_report):
                _cell(ws, r, c, text, report_style)
        if rows:
            last_row = FIRST_ROW + len(rows) - 1
            dv.add(f"{ws.cell(row=FIRST_ROW, column=_col('状态')).coordinate}:"
                   f"{ws.cell(row=last_row, column=_col('状态')).coordinate}")
        ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if not units:
        wb.create_sheet("推进情况表")
    props = wb.properties
    props.title = f"{title}推进情况表（{period}）"
    props.creator = props.lastModifiedBy = "planlang"
    props.subject = subject  # the plan's path: `track import` finds the plan by it
    end = span[1] if span else "2000-01-01"
    props.created = props.modified = datetime(int(end[:4]), int(end[5:7]), int(end[8:10]))
    buf = io.BytesIO()
    wb.save(buf)
    from datetime import date as _date
    return normalize_package(buf.getvalue(), _date.fromisoformat(end))


def _cell(ws, r: int, c: int, text: str, style) -> None:
    """A text cell in a named style, given as its array (never a formula: a text starting with = + - @ keeps a
    quote prefix)."""
    from copy import copy

    from planlang.outputs.ooxml import xml_text

    cell = ws.cell(row=r, column=c)
    cell._style = copy(style)  # as openpyxl's NamedStyleDescriptor assigns a named style
    if text:
        cell.value = xml_text(text)
        cell.data_type = "s"
        if text.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True


def report_cells(rec: ProgressRecord | None) -> tuple[str, ...]:
    """The report columns of a record, as export writes them and import reads them."""
    if rec is None:
        return ("",) * len(REPORT_COLUMNS)
    pct = "" if rec.percent is None else f"{rec.percent:g}%"
    return (_state_zh(rec.status), "\n".join(t.text for t in rec.reached), "\n".join(t.text for t in rec.growth),
            pct, "\n".join(rec.summary), "\n".join(rec.problems), "\n".join(rec.next_steps), "\n".join(rec.note))


# -- import ----------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Refusal:
    """A cell import refused, with why."""

    where: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.where}：{self.zh} / {self.en}"


@dataclass(slots=True)
class Imported:
    """What the returned workbooks say, per unit."""

    period: str | None = None
    blocks: dict[str, tuple[str, list[ProgressRecord]]] = field(default_factory=dict)  # unit → (date, records)
    refused: list[Refusal] = field(default_factory=list)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, datetime):
        return v.date().isoformat()
    return str(v).replace("\r\n", "\n").strip()


def read_workbooks(result, paths: list[Path], history: list[ProgressReport]) -> Imported:
    """Read returned 推进情况表 against the plan."""
    from openpyxl import load_workbook

    out = Imported()
    idx = track.task_index(result.symbols, result.model)
    goal_of, table = track.indicator_table(result.model, result.symbols)
    for path in paths:
        try:
            wb = load_workbook(path, data_only=True)
        except Exception as e:  # noqa: BLE001 — any unreadable workbook is one refusal, never a traceback
            out.refused.append(Refusal(str(path), f"无法读取工作簿（{e}）", f"cannot read the workbook ({e})"))
            continue
        for ws in wb.worksheets:
            where = f"{path.name}[{ws.title}]"
            unit_text, period = _text(ws.cell(2, 2).value), _text(ws.cell(2, 4).value)
            if _text(ws.cell(2, 1).value) != "填报单位" or _text(ws.cell(HEADER_ROW, 1).value) != "序号":
                out.refused.append(Refusal(where, "不是 planlang 导出的推进情况表（第 2、4 行不符），整表未读取",
                                           "not a 推进情况表 exported by planlang (rows 2 and 4 differ): sheet skipped"))
                continue
            unit = track.unit_id(result.symbols, unit_text)
            if unit is None:
                out.refused.append(Refusal(f"{where}B2", f"方案中没有单位“{unit_text}”，整表未读取",
                                           f"the plan has no unit '{unit_text}': sheet skipped"))
                continue
            span = read_period(period)
            if span is None or (out.period is not None and period != out.period):
                out.refused.append(Refusal(f"{where}D2", f"期间“{period}”无法识别或与其他表不一致，整表未读取",
                                           f"period '{period}' unreadable or differs from the other sheets: skipped"))
                continue
            out.period = period
            headers = tuple(_text(ws.cell(HEADER_ROW, c).value) for c in range(1, len(COLUMNS) + 1))
            if headers != COLUMNS:
                out.refused.append(Refusal(f"{where}第{HEADER_ROW}行", "表头被改动，整表未读取",
                                           "the header row was changed: sheet skipped"))
                continue
            filed_on = _text(ws.cell(2, 6).value)
            if filed_on and values.read_date(filed_on) is None:
                out.refused.append(Refusal(f"{where}F2", f"无法识别的填报日期“{filed_on}”", f"unreadable date '{filed_on}'"))
                filed_on = ""
            elif filed_on:
                filed_on = values.read_date(filed_on)
            expected = {row.cells[0]: row for row in unit_rows(result, unit, track.reports_before(history, span[0]))}
            records: list[ProgressRecord] = []
            for r in range(FIRST_ROW, ws.max_row + 1):
                cells = [_text(ws.cell(r, c).value) for c in range(1, len(COLUMNS) + 1)]
                if not any(cells):
                    continue
                rec = _row(cells, expected, f"{where}", r, idx, goal_of, table, out.refused, unit, filed_on)
                if rec is not None:
                    records.append(rec)
            if not records and not filed_on:
                continue  # a sheet sent back empty is no report (PL605 still counts the unit as unreported)
            if unit in out.blocks:
                out.blocks[unit][1].extend(records)
            else:
                out.blocks[unit] = (filed_on, records)
    return out


def _row(cells, expected, where, r, idx, goal_of, table, refused, unit, filed_on) -> ProgressRecord | None:
    from openpyxl.utils import get_column_letter

    def ref(name: str) -> str:
        return f"{where}{get_column_letter(_col(name))}{r}"

    path = cells[0]
    row = expected.get(path)
    if row is None:
        refused.append(Refusal(ref("序号"), f"序号“{path}”不是本单位填报的任务，整行未读取",
                               f"'{path}' is not a task this unit reports on: row skipped"))
        return None
    bad = False
    for i, name in enumerate(PLAN_COLUMNS):
        if cells[i] != row.cells[i]:
            refused.append(Refusal(ref(name), f"锁定列“{name}”被改动（应为“{row.cells[i]}”），整行未读取",
                                   f"locked column '{name}' was edited (was '{row.cells[i]}'): row skipped"))
            bad = True
    if bad:
        return None
    rep = dict(zip(REPORT_COLUMNS, cells[len(PLAN_COLUMNS):]))
    if not any(rep.values()):
        return None
    task = row.task
    rec = ProgressRecord(task=path, task_id=task.id, filed_by=unit, filed_on=filed_on or None)
    ok = True
    if rep["状态"]:
        v = kw.enum_lookup(kw.PROGRESS_STATES, rep["状态"])
        if v is None:
            refused.append(Refusal(ref("状态"), f"无法识别的状态“{rep['状态']}”，可选：{'、'.join(STATE_ZH)}",
                                   f"unknown status '{rep['状态']}'"))
            ok = False
        else:
            rec.status = v.name
    for name, attr, growth in (("完成值", "reached", False), ("增长", "growth", True)):
        for line in (x.strip() for x in rep[name].split("\n")):
            if not line:
                continue
            t = values.read_target(line)
            if t is None or t.quantity is None:
                refused.append(Refusal(ref(name), f"无法识别的数值“{line}”：写作“指标名 数值单位”，如“社零 25.3亿元”",
                                       f"unreadable value '{line}': write 'indicator value+unit', e.g. 社零 25.3亿元"))
                ok = False
                continue
            inds = track.match(t.metric, growth, task, goal_of, table)
            fits = (t.quantity.dimension in ("ratio", "points", "unknown")) if growth else (
                not inds or any(track.compatible(i.quantity, t.quantity) for i in inds))
            if not fits:
                refused.append(Refusal(ref(name), f"“{line}”的计量单位与指标不相容",
                                       f"'{line}': unit incompatible with the indicator"))
                ok = False
                continue
            getattr(rec, attr).append(t)
    if rep["进度"]:
        p = read_percent(rep["进度"])
        if p is None:
            refused.append(Refusal(ref("进度"), f"进度“{rep['进度']}”应为 0–100 的百分数",
                                   f"进度 '{rep['进度']}' must be a percentage 0–100"))
            ok = False
        rec.percent = p
    for name, attr in (("进展情况", "summary"), ("存在问题", "problems"), ("下步打算", "next_steps"), ("说明", "note")):
        getattr(rec, attr).extend(x.strip() for x in rep[name].split("\n") if x.strip())
    return rec if ok else None


def _quote(text: str) -> str:
    if "“" not in text and "”" not in text:
        return f"“{text}”"
    if "」" not in text:
        return f"「{text}」"
    return '"' + text.replace('"', "'") + '"'


def block_text(period: str, unit: str, filed_on: str, records: list[ProgressRecord]) -> str:
    """One unit's `进展` block, in the formatter's canonical layout."""
    out = [f"进展 {period} {{", f"  填报单位：{unit}"]
    if filed_on:
        out.append(f"  填报日期：{filed_on}")
    for rec in records:
        out.append(f"  记录 {rec.task} {{")
        if rec.status:
            out.append(f"    状态：{_state_zh(rec.status)}")
        out += [f"    完成：{t.text}" for t in rec.reached]
        out += [f"    增长：{t.text}" for t in rec.growth]
        if rec.percent is not None:
            out.append(f"    进度：{rec.percent:g}%")
        for key, attr in (("进展情况", "summary"), ("存在问题", "problems"), ("下步打算", "next_steps"), ("说明", "note")):
            out += [f"    {key}：{_quote(x)}" for x in getattr(rec, attr)]
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def merge_into(existing: str | None, plan_rel: str, imported: Imported, units_order: list[str]) -> str:
    """The period's progress file: the existing text with the imported units' blocks replaced (or a new file)."""
    from planlang.model.build import build
    from planlang.source import SourceFile
    from planlang.syntax import parse
    from planlang.syntax.format import format_text

    period = imported.period or ""
    new_blocks = {u: block_text(period, u, d, recs) for u, (d, recs) in imported.blocks.items()}
    order = [u for u in units_order if u in new_blocks] + [u for u in new_blocks if u not in units_order]
    if existing is None:
        head = (f"# {period} 推进情况（由 planlang track import 从推进情况表合并）\n引用 “{plan_rel}”\n")
        text = head + "".join("\n" + new_blocks[u] for u in order)
    else:
        src = SourceFile("progress.plan", existing)
        frag = build(parse(existing), src, "progress.plan")
        edits: list[tuple[int, int, str]] = []  # a unit's first block is replaced in place, later ones removed
        placed: set[str] = set()
        for rep in frag.progress:
            if rep.filed_by in new_blocks:
                span = frag.ranges[id(rep)]
                first = rep.filed_by not in placed
                placed.add(rep.filed_by)
                edits.append((span.start, span.end, new_blocks[rep.filed_by].rstrip("\n") if first else ""))
        text = existing
        for start, end, repl in sorted(edits, reverse=True):
            text = text[:start] + repl + text[end:]
        text = text.rstrip("\n") + "\n" + "".join("\n" + new_blocks[u] for u in order if u not in placed)
    result = format_text(text)
    return result.text if result.ok else text


def plan_reference(plan: Path, output: Path) -> str:
    """The include path of the plan as written from the output file's folder."""
    return Path(os.path.relpath(plan.resolve(), output.resolve().parent)).as_posix()
