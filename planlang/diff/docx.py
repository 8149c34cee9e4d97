"""The 修改对照表 as a Word document: title, then a table of three columns — 原稿 / 修改稿 / 修改说明 — with one
row per change, on the GB/T 9704 page of the plan render (A4, the same margins, fonts, line grid and page
numbers: the helpers of `planlang.outputs.docx`). Deletions are struck through in 原稿, insertions underlined in
修改稿. Same report, same bytes (every date in the package is the new plan's issue date)."""

from __future__ import annotations

import io
from datetime import date, datetime

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from planlang.diff.formats import count_line, label, rows, unit_summary
from planlang.diff.report import DiffReport
from planlang.outputs import docx as plan_docx
from planlang.outputs.ooxml import normalize_package

CELL_SIZE = 12  # 小四 in the table: three columns of 3号 would hold five characters a line
HEAD_FONT = plan_docx.H1_FONT
COLUMNS_MM = (52, 52, 52)  # 156 mm, the 版心's width


def _cell_paragraph(cell, first: bool = True):
    """A paragraph in a table cell: left-aligned, no indent, single-spaced off the page's line grid."""
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.line_spacing = Pt(round(CELL_SIZE * 1.4))
    ppr = p._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert(0, snap) if ppr.find(qn("w:pStyle")) is None else ppr.find(qn("w:pStyle")).addnext(snap)
    return p


def _run(p, text: str, font: str = plan_docx.BODY_FONT, size: float = CELL_SIZE, bold: bool = False,
         strike: bool = False, underline: bool = False) -> None:
    r = p.add_run(text)
    plan_docx._style_run(r, font, size, bold)
    rpr = r._r.get_or_add_rPr()
    if strike:
        rpr.insert(1, OxmlElement("w:strike"))
    if underline:
        u = OxmlElement("w:u")
        u.set(qn("w:val"), "single")
        rpr.insert(1, u)


def _lines(cell, text: str) -> None:
    for i, line in enumerate(text.split("\n")):
        _run(_cell_paragraph(cell, i == 0), line)


def _edits(cell, edits, side: str) -> None:
    p = _cell_paragraph(cell)
    for e in edits:
        if e.op == "delete" and side == "new" or e.op == "insert" and side == "old":
            continue
        for i, piece in enumerate(e.text.split("\n")):
            if i:
                p = _cell_paragraph(cell, False)
            if piece:
                _run(p, piece, strike=e.op == "delete", underline=e.op == "insert", bold=e.op == "insert")


def _widths(table) -> None:
    grid = table._tbl.tblGrid
    for col, mm in zip(grid.findall(qn("w:gridCol")), COLUMNS_MM):
        col.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
    for row in table.rows:
        for cell, mm in zip(row.cells, COLUMNS_MM):
            cell.width = Mm(mm)


def _header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")  # repeated at the top of every page
    trpr.append(el)


def build(report: DiffReport, when: date):
    doc = plan_docx.official_document()
    title = report.new.title or report.old.title or "方案"
    p = doc.add_paragraph(style="Title")
    plan_docx._add_text(p, f"《{title}》修改对照表" + (f"（{report.unit}）" if report.unit else ""), "Title")
    p = doc.add_paragraph(style="Normal")
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    plan_docx._add_text(p, count_line(report).split(" / ")[0], "Normal")
    if unit_summary(report):
        p = doc.add_paragraph(style="Normal")
        plan_docx._add_text(p, unit_summary(report), "Normal")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, head in zip(table.rows[0].cells, ("原稿", "修改稿", "修改说明")):
        para = _cell_paragraph(cell)
        para.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(para, head, font=HEAD_FONT)
    _header_row(table.rows[0])
    for c, before, after, _note in rows(report):
        cells = table.add_row().cells
        if c.edits:
            _edits(cells[0], c.edits, "old")
            _edits(cells[1], c.edits, "new")
        else:
            _lines(cells[0], before)
            _lines(cells[1], after)
        _run(_cell_paragraph(cells[2]), label(c), bold=True)
        _run(_cell_paragraph(cells[2], False), c.note)
    _widths(table)
    cp = doc.core_properties
    stamp = datetime(when.year, when.month, when.day)
    cp.title = f"《{title}》修改对照表"
    cp.author = cp.last_modified_by = "planlang"
    cp.created = cp.modified = cp.last_printed = stamp
    cp.revision = 1
    cp.comments = "planlang diff"
    return doc


def render_docx(report: DiffReport, when: date) -> bytes:
    doc = build(report, when)
    plan_docx._drop_thumbnail(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_package(buf.getvalue(), when, {"word/fontTable.xml": plan_docx._font_table})
