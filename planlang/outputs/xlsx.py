"""The 任务分工表 workbook (openpyxl): sheets 任务分工表, 责任清单, 领导分工 (when the plan names leaders) and 目标指标.

- 任务分工表: one row per task without sub-tasks, under a merged full-width row for its 重点任务 (section);
  columns 序号 · 重点任务 · 具体任务 · 指标 · 牵头单位 · 责任单位 · 配合单位 · 完成时限 · 支撑目标. Owners are the
  effective owners: a task that names none shows its section's, in italics, with a cell comment saying where
  they come from (and a note under the table). A task with no owner at all has its owner cells shaded red.
- 责任清单: every unit that holds a role, with its tasks by role (牵头, 负责, 配合).
- 领导分工: when the plan names leaders (责任领导): each leader with the tasks and goals they answer for, their
  own or inherited (from a section or the plan, in italics and noted). The 任务分工表 then has a 责任领导 column.
- 目标指标: goals with baseline, growth, total, other indicators, firmness (确保/力争) and supporting tasks.

Every text is written as a string cell (never a formula, whatever it starts with); A4 landscape, fit to width,
header row repeated on every printed page, frozen header, wrapped text, CJK-aware column widths.
"""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planlang.model.nodes import CompiledPlan
from planlang.model.symbols import walk_tasks
from planlang.outputs import views
from planlang.outputs.ooxml import normalize_package, xml_text
from planlang.source import display_width

DIVISION_COLUMNS = ("序号", "重点任务", "具体任务", "指标", "牵头单位", "责任单位", "配合单位", "完成时限", "支撑目标")
# widest a column may grow to (display columns; CJK count 2), and the narrowest it may be
_MAX_WIDTH = {"序号": 10, "重点任务": 30, "具体任务": 44, "指标": 30, "牵头单位": 24, "责任单位": 30, "配合单位": 24,
              "完成时限": 16, "支撑目标": 24}
_FONT = "宋体"
_HEAD_FONT = "黑体"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_MISSING_FILL = PatternFill("solid", fgColor="F8CBAD")
_WRAP = Alignment(wrap_text=True, vertical="center")
_WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_FORMULA_STARTS = ("=", "+", "-", "@")
_LINE_HEIGHT = 15.0  # points per wrapped line at 11 pt


def put(ws: Worksheet, row: int, col: int, value: str | int | None, *, font: Font | None = None,
        align: Alignment = _WRAP, fill: PatternFill | None = None, border: bool = True):
    """Write one cell. Text is always a string cell: a title beginning with = + - or @ stays text (type "s"
    and the quote prefix, so editing it in Excel keeps it text too)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = xml_text(value)
        cell.value = value
        cell.data_type = "s"
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    cell.font = font or Font(name=_FONT, size=11)
    cell.alignment = align
    if fill is not None:
        cell.fill = fill
    if border:
        cell.border = _BORDER
    return cell


def _lines_needed(text: str, width: float) -> int:
    if not text:
        return 1
    usable = max(width - 1.5, 2)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


class _Table:
    """Rows of cells written top-down, with natural column widths and row heights estimated for wrapping."""

    def __init__(self, ws: Worksheet, columns: tuple[str, ...], max_width: dict[str, int]) -> None:
        self.ws = ws
        self.columns = columns
        self.max_width = max_width
        self.natural = [display_width(c) + 2 for c in columns]
        self.rows: list[tuple[int, list[str], bool]] = []  # row, texts, merged

    def note(self, row: int, texts: list[str], merged: bool = False) -> None:
        self.rows.append((row, texts, merged))
        if not merged:
            for i, t in enumerate(texts):
                longest = max((display_width(x) for x in (t or "").split("\n")), default=0)
                self.natural[i] = max(self.natural[i], longest + 2)

    def finish(self) -> None:
        widths = []
        for i, name in enumerate(self.columns):
            w = min(self.natural[i], self.max_width.get(name, 30))
            widths.append(max(w, 6))
            self.ws.column_dimensions[get_column_letter(i + 1)].width = widths[-1]
        total = sum(widths)
        for row, texts, merged in self.rows:
            if merged:
                lines = _lines_needed(texts[0], total)
            else:
                lines = max(_lines_needed(t or "", widths[i]) for i, t in enumerate(texts))
            self.ws.row_dimensions[row].height = round(lines * _LINE_HEIGHT + 6, 1)


def _print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 10


def _title(ws: Worksheet, text: str, ncols: int) -> None:
    put(ws, 1, 1, text, font=Font(name=_HEAD_FONT, size=16), align=_WRAP_CENTER, border=False)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 36


def _header(ws: Worksheet, row: int, columns: tuple[str, ...]) -> None:
    for i, name in enumerate(columns, 1):
        put(ws, row, i, name, font=Font(name=_HEAD_FONT, size=11, bold=True), align=_WRAP_CENTER, fill=_HEAD_FILL)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def _merged_row(ws: Worksheet, row: int, text: str, ncols: int, fill: PatternFill = _SECTION_FILL) -> None:
    put(ws, row, 1, text, font=Font(name=_HEAD_FONT, size=11, bold=True), fill=fill)
    for c in range(2, ncols + 1):
        put(ws, row, c, None, fill=fill)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)


def _start_sheet(ws: Worksheet, model: CompiledPlan, name: str, cols: tuple[str, ...], widths) -> "_Table":
    """A sheet's title row (the plan's title and the sheet's name) and header row; its rows start at 3."""
    _title(ws, f"{views.plan_title(model)}{name}", len(cols))
    _header(ws, 2, cols)
    return _Table(ws, cols, widths)


def _task_label(number: str, title: str) -> str:
    return f"{number}{title}" if number else title


def division_sheet(ws: Worksheet, model: CompiledPlan) -> None:
    """任务分工表. A plan that names leaders gets a 责任领导 column before 牵头单位 (effective leaders; inherited
    ones in italics with a comment saying where they come from)."""
    ws.title = "任务分工表"
    with_leaders = views.has_leaders(model)
    cols = DIVISION_COLUMNS if not with_leaders else (*DIVISION_COLUMNS[:4], "责任领导", *DIVISION_COLUMNS[4:])
    n = len(cols)
    shift = 1 if with_leaders else 0
    table = _start_sheet(ws, model, "任务分工表", cols, _MAX_WIDTH)
    row = 3
    inherited_any = missing_any = False
    italic = Font(name=_FONT, size=11, italic=True, color="595959")
    for section in views.division_table(model):
        if section.task is not None:
            text = _task_label(section.number, section.title)
            _merged_row(ws, row, text, n)
            table.note(row, [text], merged=True)
            row += 1
        for r in section.rows:
            texts = [
                r.seq,
                r.section.title if r.section is not None else r.task.title,
                r.task.title,
                "\n".join(r.targets),
                *(["、".join(r.leaders)] if with_leaders else []),
                r.owners("lead"),
                r.owners("responsible"),
                r.owners("cooperate"),
                "；".join(r.due),
                "、".join(r.supports),
            ]
            for c, text in enumerate(texts, 1):
                align = _WRAP_CENTER if c in (1, 8 + shift) else _WRAP
                put(ws, row, c, text, align=align)
            owner_cells = [ws.cell(row=row, column=c + shift) for c in (5, 6, 7)]
            if with_leaders and r.leaders_from and r.leaders:
                inherited_any = True
                cell = ws.cell(row=row, column=5)
                cell.font = italic
                cell.comment = Comment(f"承自“{r.leaders_from}” / inherited from {r.leaders_from}", "planlang",
                                       width=240, height=60)
            if r.inherited_from is not None:
                inherited_any = True
                src = _task_label(views.full_number(r.inherited_from, []), r.inherited_from.title)
                for cell in owner_cells:
                    if cell.value:
                        cell.font = italic
                first = next((c for c in owner_cells if c.value), None)
                if first is not None:
                    first.comment = Comment(xml_text(f"继承自上级任务“{r.inherited_from.number}"
                                                     f"{r.inherited_from.title}” / inherited from {src}"),
                                            "planlang", width=240, height=60)
            if not r.owned:
                missing_any = True
                for cell in owner_cells[:2]:
                    cell.fill = _MISSING_FILL
            if r.due_inherited_from is not None:
                ws.cell(row=row, column=8 + shift).font = italic
            table.note(row, texts)
            row += 1
    notes = []
    if inherited_any:
        notes.append("斜体的责任领导、单位和时限承自上级任务或方案（见批注）。" if with_leaders
                     else "斜体的单位和时限承自上级任务（见批注）。")
    if missing_any:
        notes.append("红色底纹：该任务没有牵头单位或责任单位（PL201）。")
    if notes:
        row += 1
        put(ws, row, 1, "注：" + "".join(notes), border=False)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
    table.finish()
    _print_setup(ws, "2:2")


RESPONSIBILITY_COLUMNS = ("单位", "角色", "序号", "任务", "所属重点任务", "完成时限", "备注")
_RESP_WIDTH = {"单位": 22, "角色": 8, "序号": 12, "任务": 44, "所属重点任务": 30, "完成时限": 16, "备注": 30}


def responsibility_sheet(ws: Worksheet, model: CompiledPlan) -> None:
    """责任清单: each unit's tasks by role."""
    cols = RESPONSIBILITY_COLUMNS
    n = len(cols)
    table = _start_sheet(ws, model, "责任清单", cols, _RESP_WIDTH)
    row = 3
    for unit, items in views.responsibility_list(model):
        counts = {role: sum(1 for a in items if a.role == role) for role in views.ROLES}
        head = f"{unit}（牵头 {counts['lead']} 项，负责 {counts['responsible']} 项，配合 {counts['cooperate']} 项）"
        _merged_row(ws, row, head, n)
        table.note(row, [head], merged=True)
        row += 1
        for a in items:
            number = views.full_number(a.task, a.ancestors)
            top = a.top if a.top is not None and a.top is not a.task else None
            note = ""
            if a.inherited_from is not None:
                note = f"承自“{views.full_number(a.inherited_from, [])}{a.inherited_from.title}”"
            elif a.task.children:
                note = "整项任务（下设任务各有责任单位）"
            role = views.ROLE_ZH[a.role]
            if a.role != "collect" and unit in a.task.effective_owners.collect:
                role += "、汇总"
            texts = [unit, role, number, a.task.title,
                     _task_label(top.number, top.title) if top is not None else "",
                     "；".join(views.due_text(a.task)), note]
            for c, text in enumerate(texts, 1):
                put(ws, row, c, text, align=_WRAP_CENTER if c in (2, 3) else _WRAP)
            table.note(row, texts)
            row += 1
    table.finish()
    _print_setup(ws, "2:2")


LEADER_COLUMNS = ("责任领导", "类别", "序号", "任务或目标", "所属重点任务或目标", "牵头单位", "完成时限", "备注")
_LEADER_WIDTH = {"责任领导": 20, "类别": 6, "序号": 12, "任务或目标": 44, "所属重点任务或目标": 30, "牵头单位": 24,
                 "完成时限": 16, "备注": 30}


def leaders_sheet(ws: Worksheet, model: CompiledPlan) -> None:
    """领导分工: each leader with the tasks and goals they answer for (inherited ones in italics, noted)."""
    cols = LEADER_COLUMNS
    n = len(cols)
    table = _start_sheet(ws, model, "领导分工", cols, _LEADER_WIDTH)
    italic = Font(name=_FONT, size=11, italic=True, color="595959")
    row = 3
    for name, items in views.leader_list(model):
        tasks = sum(1 for i in items if i.kind == "任务")
        head = f"{name}（任务 {tasks} 项，目标 {len(items) - tasks} 个）"
        _merged_row(ws, row, head, n)
        table.note(row, [head], merged=True)
        row += 1
        for i in items:
            note = f"承自“{i.inherited_from}”" if i.inherited_from else ""
            texts = [name, i.kind, i.number, i.title, i.section, i.lead, i.due, note]
            for c, text in enumerate(texts, 1):
                put(ws, row, c, text, align=_WRAP_CENTER if c in (2, 3) else _WRAP)
            if i.inherited_from:
                ws.cell(row=row, column=1).font = italic
            table.note(row, texts)
            row += 1
    table.finish()
    _print_setup(ws, "2:2")


GOAL_COLUMNS = ("序号", "目标", "基数", "增长", "总量", "其他指标", "确保/力争", "重点", "责任单位", "支撑任务")
_GOAL_WIDTH = {"序号": 8, "目标": 34, "基数": 18, "增长": 16, "总量": 20, "其他指标": 30, "确保/力争": 10, "重点": 6,
               "责任单位": 24, "支撑任务": 44}


def goals_sheet(ws: Worksheet, model: CompiledPlan) -> None:
    """目标指标: every goal with its values and the tasks that serve it."""
    cols = GOAL_COLUMNS
    n = len(cols)
    table = _start_sheet(ws, model, "目标指标", cols, _GOAL_WIDTH)
    row = 3
    counters: list[int] = []
    for info in views.goal_coverage(model):
        g = info.goal
        del counters[info.depth + 1:]
        while len(counters) <= info.depth:
            counters.append(0)
        counters[info.depth] += 1
        seq = ".".join(str(c) for c in counters[: info.depth + 1])
        owners = "；".join(f"{views.ROLE_ZH[r]}：{'、'.join(getattr(g, r))}" for r in views.ROLES if getattr(g, r))
        if g.leaders:
            owners = "；".join(x for x in (f"责任领导：{'、'.join(g.leaders)}", owners) if x)
        support = "\n".join(f"{s.number}{s.task.title}" + ("" if s.how == "支撑" else f"（{s.how}）")
                            for s in info.supports)
        if not support and info.covered:
            support = "（由下级目标的任务支撑）"
        texts = [seq, "　" * info.depth + g.title,
                 views.tight(g.baseline.text) if g.baseline else "",
                 "\n".join(views.tight(q.text) for q in g.growth),
                 "\n".join(views.tight(q.text) for q in g.total),
                 "\n".join(views.tight(t.text) for t in g.targets),
                 views.firmness(g), "★" if g.key else "", owners,
                 support if info.covered else "（无任务支撑）"]
        for c, text in enumerate(texts, 1):
            put(ws, row, c, text, align=_WRAP_CENTER if c in (1, 7, 8) else _WRAP,
                font=Font(name=_HEAD_FONT if g.children else _FONT, size=11))
        if not info.covered:
            ws.cell(row=row, column=n).fill = _MISSING_FILL
        table.note(row, texts)
        row += 1
    table.finish()
    _print_setup(ws, "2:2")


def render_xlsx(model: CompiledPlan) -> bytes:
    """The workbook's bytes; the same plan always gives the same bytes."""
    wb = Workbook()
    division_sheet(wb.active, model)
    responsibility_sheet(wb.create_sheet("责任清单"), model)
    if views.has_leaders(model):
        leaders_sheet(wb.create_sheet("领导分工"), model)
    goals_sheet(wb.create_sheet("目标指标"), model)
    when = views.fixed_date(model)
    props = wb.properties
    props.title = xml_text(f"{views.plan_title(model)}任务分工表")
    props.creator = "planlang"
    props.lastModifiedBy = "planlang"
    from datetime import datetime

    props.created = props.modified = datetime(when.year, when.month, when.day)
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_package(buf.getvalue(), when)


def leaf_count(model: CompiledPlan) -> int:
    """Tasks without sub-tasks: the 分工表's task rows."""
    return sum(1 for t, _ in walk_tasks(model.tasks) if not t.children)
