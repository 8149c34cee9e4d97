"""The plan as an official document (python-docx), in the layout of GB/T 9704-2012 《党政机关公文格式》.

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm); 22 lines × 28
  characters: a line grid and a fixed line spacing of 28.95 pt on every paragraph, and 3号 characters condensed
  to a pitch of 156 mm / 28.
- Title (标题) 方正小标宋简体 2号 (22 pt), centred, followed by an empty line; 文号 above it when the plan has one.
- Headings: 一级 (一、) 黑体 3号, 二级 (（一）) 楷体_GB2312 3号, 三级 (1.) 仿宋_GB2312 3号 bold, 四级 and deeper
  仿宋_GB2312 3号; body 仿宋_GB2312 3号 (16 pt) with a first-line indent of two characters. Headings are the
  built-in Heading 1–4 styles (so Word's navigation pane shows the outline), restyled.
- Chinese fonts are set as East Asian fonts (w:eastAsia on w:rFonts, on the styles and on every run);
  Latin letters and digits use Times New Roman.
- Page numbers 4号 宋体 "— 1 —" (a PAGE field) in the footer: odd pages right, even pages left, one
  character in from the edge of the 版心.
- Content (see `views.document_blocks`): title, free-text parts, goals, the task tree with derived numbering
  (一、（一）1.（1）), each task's paragraph ending with its owners as the originals write them
  （区发改局牵头，各街道办事处负责）, mechanisms, and the issuer and date when the plan states them.

Every date in the package is the plan's issue date (or 2000-01-01): the same plan gives the same bytes.
"""

from __future__ import annotations

import io
import math
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from planlang.model.nodes import CompiledPlan
from planlang.outputs import views
from planlang.outputs.ooxml import normalize_package, xml_text

TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = 22  # 2号
BODY_SIZE = 16  # 3号
PAGE_NUMBER_SIZE = 14  # 4号
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines (rounded as the standard's templates do)
LINES, CHARS = 22, 28
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}

# style name → (East Asian font, size pt, bold, alignment, first-line indent in characters, outline level)
STYLES = {
    "Normal": (BODY_FONT, BODY_SIZE, False, "both", 2, None),
    "Title": (TITLE_FONT, TITLE_SIZE, False, "center", 0, None),
    "Heading 1": (H1_FONT, BODY_SIZE, False, "both", 2, 0),
    "Heading 2": (H2_FONT, BODY_SIZE, False, "both", 2, 1),
    "Heading 3": (BODY_FONT, BODY_SIZE, True, "both", 2, 2),
    "Heading 4": (BODY_FONT, BODY_SIZE, False, "both", 2, 3),
    "Footer": (PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, False, "right", 0, None),
}
_TWIPS = 20


def _line_twips() -> int:
    return round(LINE_PITCH_PT * _TWIPS)


def _condense_twips() -> int:
    """Character spacing (in 1/20 pt, negative) that makes 28 characters of 3号 fill the 156 mm line."""
    text_width_pt = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
    return math.floor((text_width_pt / CHARS - BODY_SIZE) * _TWIPS)


def _rfonts(east_asia: str, latin: str = LATIN_FONT):
    el = OxmlElement("w:rFonts")
    el.set(qn("w:ascii"), latin)
    el.set(qn("w:hAnsi"), latin)
    el.set(qn("w:eastAsia"), east_asia)
    el.set(qn("w:cs"), latin)
    el.set(qn("w:hint"), "eastAsia")
    return el


def _rpr_children(east_asia: str, size: float, bold: bool) -> list:
    out = [_rfonts(east_asia)]
    if bold:
        out += [OxmlElement("w:b"), OxmlElement("w:bCs")]
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "000000")
    out.append(color)
    if size == BODY_SIZE:
        spacing = OxmlElement("w:spacing")  # condense 3号 characters to the grid's pitch: 28 to a line
        spacing.set(qn("w:val"), str(_condense_twips()))
        out.append(spacing)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(round(size * 2)))
        out.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    out.append(lang)
    return out


def _ppr_children(align: str, indent_chars: int, outline: int | None, keep_next: bool) -> list:
    out = []
    if keep_next:
        out += [OxmlElement("w:keepNext"), OxmlElement("w:keepLines")]
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(_line_twips()))
    spacing.set(qn("w:lineRule"), "exact")
    out.append(spacing)
    ind = OxmlElement("w:ind")
    if indent_chars:
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
        ind.set(qn("w:firstLine"), str(indent_chars * BODY_SIZE * _TWIPS))
    else:
        ind.set(qn("w:firstLine"), "0")
    out.append(ind)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), align)
    out.append(jc)
    if outline is not None:
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline))
        out.append(lvl)
    return out


def _replace(parent, tag: str, children: list) -> None:
    """Replace `parent`'s child `tag` (pPr / rPr) by a new one holding `children`, in schema order."""
    old = parent.find(qn(tag))
    new = OxmlElement(tag)
    for c in children:
        new.append(c)
    if old is not None:
        old.addprevious(new)
        parent.remove(old)
    elif tag == "w:pPr":
        rpr = parent.find(qn("w:rPr"))
        if rpr is not None:
            rpr.addprevious(new)
        else:
            parent.append(new)
    else:
        parent.append(new)


def _setup_styles(doc) -> None:
    styles = doc.styles
    root = styles.element
    defaults = root.find(qn("w:docDefaults"))
    _replace(defaults.find(qn("w:rPrDefault")), "w:rPr", _rpr_children(BODY_FONT, BODY_SIZE, False))
    _replace(defaults.find(qn("w:pPrDefault")), "w:pPr", _ppr_children("both", 0, None, False))
    for name, (font, size, bold, align, indent, outline) in STYLES.items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        el = style.element
        for link in el.findall(qn("w:link")):
            el.remove(link)
        _replace(el, "w:pPr", _ppr_children(align, indent, outline, outline is not None))
        _replace(el, "w:rPr", _rpr_children(font, size, bold))


def _style_run(run, font: str, size: float, bold: bool) -> None:
    run._r.get_or_add_rPr()  # puts w:rPr where the schema wants it; replaced in place
    _replace(run._r, "w:rPr", _rpr_children(font, size, bold))


def _add_text(paragraph, text: str, style_name: str) -> None:
    font, size, bold, *_ = STYLES[style_name]
    run = paragraph.add_run(xml_text(text))
    _style_run(run, font, size, bold)


def _page_setup(doc) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.header_distance = Mm(15)
    sec.footer_distance = Mm(25)
    sec.gutter = Mm(0)
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sec._sectPr.append(grid)
    # A line grid, with 28 characters to a line from the condensed character spacing: a "linesAndChars" grid
    # with a negative w:charSpace does the same in Word, but LibreOffice then gives every 16 pt glyph two of the
    # 15.8 pt cells (14 characters to a line).
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(_line_twips()))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(sec.footer.paragraphs[0], "right")
    _page_number(sec.even_page_footer.paragraphs[0], "left")


def _field_char(run, kind: str) -> None:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


def _page_number(paragraph, side: str) -> None:
    """— 1 — with a PAGE field, one character in from the 版心's edge."""
    paragraph.style = "Footer"
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT
    if side == "right":
        fmt.right_indent = Pt(PAGE_NUMBER_SIZE)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_SIZE)
    fmt.first_line_indent = Pt(0)
    font = (PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, False)
    _style_run(paragraph.add_run("— "), *font)
    r = paragraph.add_run()
    _style_run(r, *font)
    _field_char(r, "begin")
    r = paragraph.add_run()
    _style_run(r, *font)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    r._r.append(instr)
    r = paragraph.add_run()
    _style_run(r, *font)
    _field_char(r, "separate")
    _style_run(paragraph.add_run("1"), *font)
    r = paragraph.add_run()
    _style_run(r, *font)
    _field_char(r, "end")
    _style_run(paragraph.add_run(" —"), *font)


def official_document():
    """An empty python-docx Document in the official layout (GB/T 9704 styles and page): the plan, the 月通报 and
    the 修改对照表 start from it."""
    doc = Document()
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    _setup_styles(doc)
    _page_setup(doc)
    return doc


def build_document(model: CompiledPlan, order: list[object] | None = None):
    """The python-docx Document of the plan."""
    doc = official_document()
    blocks = views.document_blocks(model, order)
    for b in blocks:
        if b.kind == "title":
            p = doc.add_paragraph(style="Title")
            _add_text(p, b.text, "Title")
            doc.add_paragraph(style="Normal").paragraph_format.first_line_indent = Pt(0)  # 标题下空一行
        elif b.kind == "docnumber":
            p = doc.add_paragraph(style="Normal")
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            _add_text(p, b.text, "Normal")
            doc.add_paragraph(style="Normal")
        elif b.kind == "heading":
            style = f"Heading {b.level}"
            p = doc.add_paragraph(style=style)
            _add_text(p, f"{b.number}{b.text}", style)
        elif b.kind == "para":
            p = doc.add_paragraph(style="Normal")
            if b.text:
                _add_text(p, b.text, "Normal")
            if b.owners:
                _add_text(p, b.owners, "Normal")
        elif b.kind == "signature":
            p = doc.add_paragraph(style="Normal")
            fmt = p.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.first_line_indent = Pt(0)
            fmt.right_indent = Pt(BODY_SIZE * 4)  # 成文日期右空四字
            _add_text(p, b.text, "Normal")
    when = views.fixed_date(model)
    cp = doc.core_properties
    stamp = datetime(when.year, when.month, when.day)
    cp.title = xml_text(views.plan_title(model))
    cp.author = xml_text("、".join(model.plan.issuer) if model.plan is not None and model.plan.issuer else "planlang")
    cp.last_modified_by = "planlang"
    cp.created = cp.modified = cp.last_printed = stamp
    cp.revision = 1
    cp.comments = "planlang render"
    return doc


# The Chinese fonts in the font table, with the names and classification Word and LibreOffice use to find them
# or a close substitute (SimHei for 黑体 …) on a machine that lacks them.
_FONT_TABLE = (
    (TITLE_FONT, "FZXiaoBiaoSong-B05S", "02000000000000000000", "script"),
    (H1_FONT, "SimHei", "02010609060101010101", "modern"),
    (H2_FONT, "KaiTi_GB2312", "02010609030101010101", "modern"),
    (BODY_FONT, "FangSong_GB2312", "02010609030101010101", "modern"),
    (PAGE_NUMBER_FONT, "SimSun", "02010600030101010101", "auto"),
)


def _font_table(xml: str) -> str:
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt, panose, family in _FONT_TABLE if f'w:name="{name}"' not in xml)
    return xml.replace("</w:fonts>", entries + "</w:fonts>")


def _drop_thumbnail(doc) -> None:
    """The template's thumbnail shows an empty page: leave it out."""
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rid]


def render_docx(model: CompiledPlan, order: list[object] | None = None) -> bytes:
    """The document's bytes; the same plan always gives the same bytes."""
    doc = build_document(model, order)
    _drop_thumbnail(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_package(buf.getvalue(), views.fixed_date(model), {"word/fontTable.xml": _font_table})
