"""`planlang render`: the 任务分工表 (xlsx), the official document (docx), Markdown and the HTML report — every
example to every format, read back with openpyxl / python-docx / headless Chromium (and LibreOffice when it is
installed)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from functools import lru_cache
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import EXAMPLES, ROOT, need_program, run_cli
from docx.shared import Mm, Pt

from planlang.model.symbols import walk_tasks
from planlang.outputs import views
from planlang.outputs.render import FORMATS, render
from planlang.pipeline import compile_file

PLANS = sorted(p for p in EXAMPLES.glob("*.plan") if not p.name.endswith("-units.plan"))
ARTIFACTS = ROOT / "test-artifacts"
ROLE_ZH = {"lead": "牵头", "responsible": "负责", "cooperate": "配合"}

# The owner parentheses of seed 000 (南湖新区打好经济增长主动仗工作方案), in the order of its 21 tasks, as written.
NANHU_SEED_OWNERS = [
    "(区发改局牵头,各街道办事处、管理处,各项目责任单位负责)",
    "(区发改局牵头,各街道办事处、管理处,各项目责任单位负责)",
    "(区发改局、区财政局牵头)",
    "(区文旅招商局牵头)",
    "(区文旅招商局、区人社局牵头)",
    "(区文旅招商局牵头)",
    "(区文旅招商局、区城投牵头)",
    "(区市场监管局牵头)",
    "(区文旅招商局牵头)",
    "(区文旅招商局牵头)",
    "(区文旅招商局牵头)",
    "(区文旅招商局、区市场监管局等按职责分工负责)",
    "(区发改局、区市场监管局牵头)",
    "(区财政局、区税务局牵头)",
    "(区发改局牵头)",
    "(区发改局牵头)",
    "(区文旅招商局负责)",
    "(区财政局负责)",
    "(区财政局负责)",
    "(区自然资源局、区安置征拆事务中心负责)",
    "(区党工委组织部牵头)",
]


@lru_cache(maxsize=None)
def compiled(path: Path):
    return compile_file(path)


@lru_cache(maxsize=None)
def rendered(path: Path, fmt: str) -> bytes:
    return render(compiled(path), fmt)


def leaves(model):
    return [t for t, _ in walk_tasks(model.tasks) if not t.children]


def cell_text(names: list[str], open_ended: bool) -> str:
    return "、".join(names) + ("等" if open_ended and names else "")


def expected_owner_cells(task) -> dict[str, str]:
    """What the 分工表 shows for a task: its effective owners, 等 after the last listed role when open-ended."""
    eff = task.effective_owners
    roles = [r for r in ROLE_ZH if getattr(eff, r)]
    last = roles[-1] if roles else None
    return {r: cell_text(getattr(eff, r), task.open_ended and r == last) for r in ROLE_ZH}


def task_rows(ws) -> list[tuple]:
    """The 任务分工表's task rows: those with a 具体任务 (column C), below the header."""
    return [row for row in ws.iter_rows(min_row=3, values_only=True) if row[2] not in (None, "")]


def write_plan(folder: Path, text: str, name: str = "draft.plan") -> Path:
    (folder / "planlang.toml").touch()
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p




@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_every_example_renders_deterministically(plan, fmt):
    data = rendered(plan, fmt)
    assert data
    assert render(compile_file(plan), fmt) == data  # same plan, same bytes (a fresh compilation too)


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_office_files_carry_no_clock_time(fmt):
    """Rendered a few seconds apart (zip times have a 2-second resolution), the packages are identical, and
    every date in them is the plan's fixed date."""
    plan = EXAMPLES / "yueyanglou-2017.plan"  # 发布日期：2017-08-26
    first = render(compile_file(plan), fmt)
    time.sleep(2.2)
    assert render(compile_file(plan), fmt) == first
    z = zipfile.ZipFile(io.BytesIO(first))
    assert {i.date_time for i in z.infolist()} == {(2017, 8, 26, 0, 0, 0)}
    core = z.read("docProps/core.xml").decode("utf-8")
    stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
    assert stamps and set(stamps) == {"2017-08-26T00:00:00Z"}


def test_plan_without_issue_date_uses_its_period_start():
    z = zipfile.ZipFile(io.BytesIO(rendered(EXAMPLES / "nanhu-2023.plan", "xlsx")))
    assert {i.date_time for i in z.infolist()} == {(2023, 1, 1, 0, 0, 0)}




@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_xlsx_has_one_row_per_leaf_task_with_its_owners(plan):
    model = compiled(plan).model
    wb = openpyxl.load_workbook(io.BytesIO(rendered(plan, "xlsx")))
    assert wb.sheetnames == ["任务分工表", "责任清单", "目标指标"]
    ws = wb["任务分工表"]
    header = [c.value for c in ws[2]]
    assert header == ["序号", "重点任务", "具体任务", "指标", "牵头单位", "责任单位", "配合单位", "完成时限", "支撑目标"]
    rows = task_rows(ws)
    tasks = leaves(model)
    assert len(rows) == len(tasks)
    for row, task in zip(rows, tasks):
        assert row[2] == task.title
        want = expected_owner_cells(task)
        assert (row[4] or "") == want["lead"], task.title
        assert (row[5] or "") == want["responsible"], task.title
        assert (row[6] or "") == want["cooperate"], task.title
        if task.lead or task.responsible:  # an owned task: its own lead units
            assert (row[4] or "") == cell_text(task.lead, task.open_ended and not task.responsible
                                               and not task.cooperate)


def test_xlsx_nanhu_matches_the_seed_text():
    wb = openpyxl.load_workbook(io.BytesIO(rendered(EXAMPLES / "nanhu-2023.plan", "xlsx")))
    ws = wb["任务分工表"]
    rows = task_rows(ws)
    assert len(rows) == 21
    for row, owners in zip(rows, NANHU_SEED_OWNERS):
        text = owners.strip("()")
        lead = text.split("牵头")[0] if "牵头" in text else ""
        assert (row[4] or "") == lead, (row[2], owners)
    first = rows[0]
    assert (first[0], first[1], first[2], first[4]) == ("1.", "着力扩大有效投资", "精准谋划储备项目", "区发改局")
    assert first[5] == "各街道办事处、管理处、各项目责任单位"
    assert first[3] == "争资争项力争1.9亿元"
    assert first[8] == "固定资产投资"
    by_title = {r[2]: r for r in rows}
    assert by_title["强化项目要素保障"][4] == "区发改局、区财政局"
    assert by_title["扩大市场主体规模"][4] is None
    assert by_title["扩大市场主体规模"][5] == "区文旅招商局、区市场监管局等"
    assert by_title["强化资源支撑保障"][5] == "区自然资源局、区安置征拆事务中心"
    assert by_title["强化人才服务保障"][4] == "区党工委组织部"
    # sections are merged full-width rows above their tasks
    assert ws["A3"].value == "（一）着力扩大有效投资"  # numbered as the original (编号)
    assert any(str(r) == "A3:I3" for r in ws.merged_cells.ranges)


def test_xlsx_layout_print_setup_and_other_sheets():
    wb = openpyxl.load_workbook(io.BytesIO(rendered(EXAMPLES / "nanhu-2023.plan", "xlsx")))
    ws = wb["任务分工表"]
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert ws["C4"].alignment.wrap_text
    # CJK-aware widths: 具体任务 (Chinese titles) is much wider than 序号
    assert ws.column_dimensions["C"].width > 2 * ws.column_dimensions["A"].width

    resp = wb["责任清单"]
    heads = [r[0] for r in resp.iter_rows(min_row=3, values_only=True) if r[1] is None and r[0]]
    assert "区发改局（牵头 6 项，负责 0 项，配合 0 项）" in heads, heads
    lead_rows = [r for r in resp.iter_rows(min_row=3, values_only=True) if r[0] == "区发改局" and r[1] == "牵头"]
    assert [r[3] for r in lead_rows][:2] == ["精准谋划储备项目", "加快重点项目建设"]

    goals = wb["目标指标"]
    g = {r[1].strip("　"): r for r in goals.iter_rows(min_row=3, values_only=True) if r[1]}
    assert g["社会消费品零售总额"][3] == "力争8%" and g["社会消费品零售总额"][4] == "力争突破52亿元"
    assert g["社会消费品零售总额"][6] == "力争"
    assert g["社会消费品零售总额"][9] == "（二）激发释放消费潜力"
    assert g["主要经济指标高于全市平均水平"][9] == "（无任务支撑）"


def test_xlsx_inherited_owners_are_marked(tmp_path):
    plan = write_plan(tmp_path, """方案 试点 “试点方案” { 周期：2023年 }
单位 区发改局
单位 区财政局
任务 “扩大投资” {
  牵头：区发改局
  时限：年底前
  任务 “谋划项目” { 说明：“做好项目储备。” }
  任务 “保障资金” { 负责：区财政局 }
}
""")
    data = render(compile_file(plan), "xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data))["任务分工表"]
    rows = {r[0].row: r for r in ws.iter_rows(min_row=3) if r[2].value}
    inherited, own = list(rows.values())
    assert inherited[2].value == "谋划项目" and inherited[4].value == "区发改局"
    assert inherited[4].font.i and inherited[4].comment is not None and "扩大投资" in inherited[4].comment.text
    assert inherited[7].value == "年底前"  # the deadline comes down too
    assert own[4].value is None and own[5].value == "区财政局" and not own[5].font.i and own[5].comment is None
    notes = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("注：")]
    assert notes and "承自上级任务" in notes[0]


def test_xlsx_text_never_becomes_a_formula(tmp_path):
    titles = ["=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(1)", "=HYPERLINK(\"http://x\",\"y\")"]
    body = "\n".join(f"任务 「{t}」 {{ 牵头：区发改局；指标：「=2*3」 5家 }}" for t in titles)
    plan = write_plan(tmp_path, f"方案 注入 「=cmd|' /C calc'!A0」 {{ 周期：2023年 }}\n单位 区发改局\n{body}\n")
    model = compile_file(plan).model
    assert [t.title for t in model.tasks] == titles
    data = render(compile_file(plan), "xlsx")
    z = zipfile.ZipFile(io.BytesIO(data))
    for name in z.namelist():
        if name.startswith("xl/worksheets/sheet"):
            assert "<f>" not in z.read(name).decode("utf-8") and "<f " not in z.read(name).decode("utf-8")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["任务分工表"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for t in titles:
        assert t in cells, t
        assert cells[t].data_type == "s"
        assert cells[t].quotePrefix
    assert ws["A1"].value.startswith("=cmd") and ws["A1"].data_type == "s"


def test_xlsx_of_a_draft_with_errors(tmp_path):
    """A draft with PL201 still gets its 分工表: the ownerless task is a row, its owner cells shaded."""
    plan = write_plan(tmp_path, "方案 草稿 “草稿” { 周期：2023年 }\n单位 区发改局\n"
                                "任务 “有人负责” { 牵头：区发改局 }\n任务 “无人负责” { 时限：年底前 }\n")
    result = compile_file(plan)
    assert any(d.code == "PL201" for d in result.diagnostics) and result.has_errors
    ws = openpyxl.load_workbook(io.BytesIO(render(result, "xlsx")))["任务分工表"]
    rows = [r for r in ws.iter_rows(min_row=3) if r[2].value]
    assert [r[2].value for r in rows] == ["有人负责", "无人负责"]
    assert rows[1][4].value is None and rows[1][4].fill.fgColor.rgb.endswith("F8CBAD")




def run_fonts(run) -> dict:
    rfonts = run._r.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return {k: rfonts.get(w + k) for k in ("ascii", "eastAsia")}


def style_east_asia(style) -> str:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return style.element.find(f"{w}rPr/{w}rFonts").get(f"{w}eastAsia")


def owner_phrase(task) -> str:
    roles = [r for r in ROLE_ZH if getattr(task, r)]
    parts = [cell_text(getattr(task, r), task.open_ended and r == roles[-1]) + ROLE_ZH[r] for r in roles]
    return "（" + "，".join(parts) + "）" if parts else ""


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_docx_headings_and_owner_lines_follow_the_model(plan):
    model = compiled(plan).model
    d = docx.Document(io.BytesIO(rendered(plan, "docx")))
    paras = d.paragraphs
    assert [p.text for p in paras if p.style.name == "Title"] == [model.plan.title]
    headings = [(i, p) for i, p in enumerate(paras) if p.style.name.startswith("Heading")]
    # each task's heading level is its level in the document's outline: the tree depth, one more under a
    # chapter heading when the plan states its numbering (编号); a run-in task (一是…) has no heading
    blocks = views.document_blocks(model, views.source_order(compiled(plan)))
    level = {id(b.task): b.level for b in blocks if b.kind == "heading" and b.task is not None}
    paras_of = {}
    for b in blocks:
        if b.kind == "para" and b.task is not None:
            paras_of[id(b.task)] = paras_of.get(id(b.task), 0) + 1
    tasks = [t for t, _ in walk_tasks(model.tasks)]
    pos = 0
    for task in tasks:
        if id(task) not in level:
            assert task.number and any(p.text.startswith(task.number) for p in paras), task.title
            continue
        want = (f"Heading {level[id(task)]}", task.number + task.title)
        while pos < len(headings) and (headings[pos][1].style.name, headings[pos][1].text) != want:
            pos += 1
        assert pos < len(headings), f"heading {want} missing or out of order"
        i = headings[pos][0]
        end = headings[pos + 1][0] if pos + 1 < len(headings) else len(paras)
        body = paras[i + 1:end][:paras_of.get(id(task), 0)]
        phrase = owner_phrase(task)
        if phrase:
            assert body and body[-1].runs[-1].text == phrase, (task.title, [p.text for p in body])
            before = "".join(r.text for r in body[-1].runs[:-1])  # the original's own parenthesis is replaced
            assert not re.search(r"[（(][^（）()]*(?:牵头|负责)[^（）()]*[)）][。.]?$", before), before[-80:]
        else:
            assert not any(p.runs and p.runs[-1].text.startswith("（") and p.runs[-1].text.endswith(("牵头）", "负责）"))
                           for p in body)
        pos += 1


def test_docx_nanhu_owner_line_literal():
    d = docx.Document(io.BytesIO(rendered(EXAMPLES / "nanhu-2023.plan", "docx")))
    texts = [p.text for p in d.paragraphs]
    i = texts.index("1.精准谋划储备项目")
    assert texts[i + 1].endswith("创造条件。（区发改局牵头，各街道办事处、管理处、各项目责任单位负责）")
    j = texts.index("1.扩大市场主体规模")
    assert texts[j + 1].endswith("（区文旅招商局、区市场监管局等负责）")


def test_docx_fonts_page_and_grid():
    d = docx.Document(io.BytesIO(rendered(EXAMPLES / "nanhu-2023.plan", "docx")))
    sec = d.sections[0]
    def mm(length) -> float:
        return round(length / Mm(1), 1)

    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert [mm(x) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [37, 35, 28, 26]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    grid = sec._sectPr.find(f"{w}docGrid")
    assert grid.get(f"{w}linePitch") == "579"  # 28.95 pt: 22 lines on the 225 mm 版心

    title = next(p for p in d.paragraphs if p.style.name == "Title")
    assert title.text == "南湖新区打好经济增长主动仗工作方案"
    assert title.alignment == 1 or d.styles["Title"].paragraph_format.alignment == 1  # centred
    assert run_fonts(title.runs[0])["eastAsia"] == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)
    expect = {"Title": ("方正小标宋简体", 22, False), "Heading 1": ("黑体", 16, False),
              "Heading 2": ("楷体_GB2312", 16, False), "Heading 3": ("仿宋_GB2312", 16, True),
              "Normal": ("仿宋_GB2312", 16, False)}
    for name, (font, size, bold) in expect.items():
        st = d.styles[name]
        assert style_east_asia(st) == font, name
        assert st.font.size == Pt(size), name
        assert bool(st.font.bold) == bold, name
        pf = st.paragraph_format
        assert pf.line_spacing == Pt(28.95) and pf.line_spacing_rule == 4, name  # EXACTLY
    assert d.styles["Normal"].paragraph_format.first_line_indent == Pt(32)  # two characters of 3号
    h1 = next(p for p in d.paragraphs if p.style.name == "Heading 1" and p.text.startswith("一、"))
    assert run_fonts(h1.runs[0])["eastAsia"] == "黑体"
    h2 = next(p for p in d.paragraphs if p.style.name == "Heading 2")
    assert run_fonts(h2.runs[0])["eastAsia"] == "楷体_GB2312"
    body = next(p for p in d.paragraphs if p.style.name == "Normal" and len(p.text) > 40)
    assert run_fonts(body.runs[0])["eastAsia"] == "仿宋_GB2312"
    # page numbers: — PAGE — in the footers (odd right, even left)
    for footer in (sec.footer, sec.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    assert d.settings.odd_and_even_pages_header_footer


def test_docx_lists_goals_and_mechanisms():
    d = docx.Document(io.BytesIO(rendered(EXAMPLES / "nanhu-2023.plan", "docx")))
    texts = [p.text for p in d.paragraphs]
    assert "社会消费品零售总额：力争增长8%，总量力争突破52亿元。" in texts
    assert "三、推进机制" in texts and "（一）实行专班推进" in texts  # 编号 counts it as the third chapter


def test_docx_to_pdf_with_libreoffice(tmp_path):
    office = need_program("libreoffice", "soffice", package="libreoffice-writer-nogui poppler-utils",
                          why="the docx render is converted to PDF and read back")
    pdfinfo, pdftotext, pdftoppm = (need_program(name, package="poppler-utils", why="the PDF of the docx is read back")
                                    for name in ("pdfinfo", "pdftotext", "pdftoppm"))
    src = tmp_path / "nanhu-2023.docx"
    src.write_bytes(rendered(EXAMPLES / "nanhu-2023.plan", "docx"))
    proc = subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "nanhu-2023.pdf"
    assert pdf.is_file(), proc.stdout + proc.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info), info
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "南湖新区打好经济增长主动仗工作方案" in text
    assert re.search(r"—\s*1\s*—", text), text[-300:]  # the page number
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run([pdftoppm, "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / "render-nanhu-2023-docx-page1")], check=True, timeout=120)




@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_markdown_has_every_task(plan):
    model = compiled(plan).model
    md = rendered(plan, "md").decode("utf-8")
    plain = md.replace("\\", "")
    assert plain.startswith(f"# {model.plan.title}\n") or f"\n# {model.plan.title}\n" in plain
    for t, _ in walk_tasks(model.tasks):
        assert f"{t.number}{t.title}" in plain, t.title
        phrase = owner_phrase(t)
        if phrase:
            assert phrase in plain


def test_markdown_and_html_escape_text(tmp_path):
    plan = write_plan(tmp_path, "方案 试 「<script>alert(1)</script> & *x*」 { 周期：2023年 }\n单位 区发改局\n"
                                "任务 「<b>粗</b> _斜_ [链](http://x)」 { 牵头：区发改局；说明：「# 不是标题 <img src=x onerror=alert(1)>」 }\n")
    result = compile_file(plan)
    html = render(result, "html").decode("utf-8")
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *x*" in html
    md = render(result, "md").decode("utf-8")
    assert "\\<script\\>" in md and "\\*x\\*" in md and "\\[链\\]" in md
    assert "\n\\# 不是标题" in md


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_html_is_self_contained(plan):
    html = rendered(plan, "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert "@media print" in html
    for section in ("matrix", "coverage", "diagnostics", "document"):
        assert f'id="{section}"' in html


def test_html_report_of_a_draft_lists_its_diagnostics():
    result = compiled(EXAMPLES / "hecheng-2024.plan")
    html = rendered(EXAMPLES / "hecheng-2024.plan", "html").decode("utf-8")
    pl201 = [d for d in result.diagnostics if d.code == "PL201"]
    assert pl201
    assert html.count("<code>PL201</code>") == len(pl201)
    assert "examples/hecheng-2024.plan:" in html  # paths relative to the workspace root
    assert html.count('<tr class="gap"><td>') >= len(pl201)  # the ownerless tasks, highlighted


def test_render_does_not_depend_on_the_working_folder(tmp_path):
    a = run_cli("render", str(EXAMPLES / "hecheng-2024.plan"), "--to", "html", "-o", str(tmp_path / "a.html"))
    b = run_cli("render", "hecheng-2024.plan", "--to", "html", "-o", str(tmp_path / "b.html"), cwd=EXAMPLES)
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()




CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0"]


def chromium() -> str:
    return need_program("chromium", "chromium-browser", package="chromium", why="the HTML render is opened in it")


def run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)


def console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines()
            if "Uncaught" in line or ("CONSOLE" in line and ("ERROR" in line or "error" in line.lower()))
            or "Refused to" in line]


def test_chromium_console_check_sees_errors(tmp_path):
    """The console check below would notice a script error (so its silence means something)."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><script>console.error('boom'); undefinedThing();</script>"
                    "</body></html>", encoding="utf-8")
    proc = run_chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert console_errors(proc.stderr), proc.stderr[-2000:]


@pytest.mark.parametrize("name", ["nanhu-2023", "hecheng-2024"])
def test_html_in_headless_chromium(tmp_path, name):
    plan = EXAMPLES / f"{name}.plan"
    page = tmp_path / f"{name}.html"
    proc = run_cli("render", str(plan), "--to", "html", "-o", str(page))
    assert proc.returncode == 0, proc.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"render-{name}.png"
    if shot.exists():
        shot.unlink()
    dom = run_chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not console_errors(dom.stderr), console_errors(dom.stderr)
    html = dom.stdout
    assert '<section id="matrix">' in html and '<table class="matrix">' in html or "没有任何任务写明" in html
    assert '<section id="coverage">' in html and '<table class="coverage">' in html
    assert '<section id="diagnostics">' in html
    model = compiled(plan).model
    if name == "nanhu-2023":
        body = html.split('<table class="matrix">')[1].split("<tbody>")[1].split("</tbody>")[0]
        rows = re.findall(r"<tr><th>([^<]+)</th>", body)
        assert rows[:3] == ["区发改局", "区财政局", "区文旅招商局"]
        assert "区党工委组织部" in rows
        assert "<tr><th>区发改局</th>" in body and "牵6</td></tr>" in body.split("<tr><th>区财政局")[0]
    else:
        assert html.count("<code>PL201</code>") == len(leaves(model))
    shot_run = run_chromium([f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()], tmp_path / "profile")
    assert shot_run.returncode == 0, shot_run.stderr[-2000:]
    assert not console_errors(shot_run.stderr), console_errors(shot_run.stderr)
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000




def copy_example(tmp_path: Path, name: str) -> Path:
    (tmp_path / "planlang.toml").touch()
    for f in EXAMPLES.glob(f"{name.split('-')[0]}-*.plan"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / f"{name}.plan"


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_beside_the_plan_by_default(tmp_path, fmt):
    plan = copy_example(tmp_path, "nanhu-2023")
    proc = run_cli("render", str(plan), "--to", fmt)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / f"nanhu-2023.{fmt}"
    if fmt == "html":  # the report names the file where it is
        assert "nanhu-2023.plan:" in out.read_text(encoding="utf-8")
    else:
        assert out.read_bytes() == rendered(EXAMPLES / "nanhu-2023.plan", fmt)
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically: no temporary file left


def test_cli_takes_the_format_from_the_output_suffix(tmp_path):
    proc = run_cli("render", str(EXAMPLES / "nanhu-2023.plan"), "-o", str(tmp_path / "分工表.xlsx"))
    assert proc.returncode == 0, proc.stderr
    assert zipfile.is_zipfile(tmp_path / "分工表.xlsx")
    proc = run_cli("render", str(EXAMPLES / "nanhu-2023.plan"), "--to", "md", "-o", "-")
    assert proc.returncode == 0 and proc.stdout.startswith("# 南湖新区打好经济增长主动仗工作方案")


def test_cli_renders_a_draft_with_errors(tmp_path):
    plan = write_plan(tmp_path, "方案 草稿 “草稿” { 周期：2023年 }\n任务 “无人负责” { 时限：年底前 }\n")
    proc = run_cli("render", str(plan), "--to", "html")
    assert proc.returncode == 0, proc.stderr
    assert "1 个错误" in proc.stderr
    html = (tmp_path / "draft.html").read_text(encoding="utf-8")
    assert "<code>PL201</code>" in html and "无人负责" in html


@pytest.mark.parametrize("args, message", [
    (["render", "examples/nanhu-2023.plan"], "--to"),
    (["render", "examples/nanhu-2023.plan", "-o", "x.pdf"], "--to"),
    (["render", "examples/no-such.plan", "--to", "md"], "no such file"),
    (["render", "examples/nanhu-2023.plan", "--to", "md", "-o", "/nonexistent-dir/x.md"], "cannot write"),
    (["render", "examples/nanhu-2023.plan", "--to", "pdf"], "pdf"),
])
def test_cli_usage_and_io_errors(args, message):
    proc = run_cli(*args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_refuses_to_overwrite_the_plan(tmp_path):
    plan = write_plan(tmp_path, "方案 试 “试” { 周期：2023年 }\n", name="draft.md")
    proc = run_cli("render", str(plan), "--to", "md")
    assert proc.returncode == 2 and "overwrite" in proc.stderr
    assert plan.read_text(encoding="utf-8").startswith("方案")


def test_cli_start_up_does_not_load_the_renderers():
    code = "import sys, planlang.cli; print(sorted(m for m in ('openpyxl', 'docx', 'lxml') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_broken_or_bare_drafts_still_render(tmp_path, fmt):
    """Syntax errors, undefined units, no 方案 block, a deep tree, an empty file: every format renders."""
    texts = {
        "broken.plan": "方案 草稿 “草稿” { 周期：2023年 \n任务 “甲” { 牵头：区发该局 }\n任务 “乙” {{ 负责：\n",
        "bare.plan": "任务 “一级” {\n 任务 “二级” {\n  任务 “三级” {\n   任务 “四级” {\n    任务 “五级” { 牵头：某局 }\n"
                     "   }\n  }\n }\n}\n目标 甲 “甲目标” { 目标 乙 “乙目标” }\n机制 “会议” { 频次：每月 }\n",
        "empty.plan": "",
    }
    for name, text in texts.items():
        plan = write_plan(tmp_path, text, name=name)
        data = render(compile_file(plan), fmt)
        assert data, name
    proc = run_cli("render", str(tmp_path / "broken.plan"), "--to", fmt)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


def test_renders_and_reports_are_the_same_bytes_across_hash_seeds(tmp_path):
    """Set iteration order changes with PYTHONHASHSEED; nothing a user receives may depend on it."""
    plan = copy_example(tmp_path, "nanhu-2023")
    commands = [[fmt_, ["render", str(plan), "--to", fmt_, "-o", "-"]] for fmt_ in ("xlsx", "docx", "md", "html")]
    commands += [[f"check-{f}", ["check", "--format", f, str(plan)]] for f in ("json", "sarif", "text")]
    outputs: dict[str, set[bytes]] = {name: set() for name, _ in commands}
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        for name, args in commands:
            proc = subprocess.run([sys.executable, "-m", "planlang", *args], cwd=tmp_path, capture_output=True,
                                  env=env, timeout=120)
            assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
            assert proc.stdout, name
            outputs[name].add(proc.stdout)
    assert {name: len(v) for name, v in outputs.items()} == {name: 1 for name, _ in commands}
