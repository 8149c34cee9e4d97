"""Numbering as the original document numbers it (`编号` on the plan).

The main test holds each example's rendered outline to its original document's outline, exactly: the numbered
lines of the seed text (tests/fixtures/seeds/, the originals) — 一、 （一） 1. （1） ① at the start of a line —
against the numbered headings of the Markdown and docx renders, and the numbered paragraphs (a free-text part
kept as written, as 基本原则's 1.—4.), in order, number and title. A heading's title is what the line says
before its first 。. Two things of the extraction are not the documents' and are evened out: the seed texts are
web and PDF extractions, so a bracket may be half-width ((一) for （一）), a marker may be followed by a space or
wrapped in Markdown bold (**1. …**); and the renders write full-width brackets. Anything else must match.

Run-in enumerations (一是…二是…, ——) are not outline lines in either: they are paragraphs of the text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlang.model.numbering import format_number, layout, level_at, read_numbering
from planlang.outputs.render import render
from planlang.pipeline import compile_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"

EXAMPLES = {
    "nanhu-2023": "000_ff153a390d296852.txt",
    "hecheng-2024": "001_f6cc82b57f02dc0e.txt",
    "huli-2023": "002_cf7fde1aa4182183.txt",
    "yueyanglou-2017": "003_188a9bfeada7672c.txt",
    "pingjiang-2023": "004_bee47bce3ca4c6d7.txt",
}

# Headings of the originals that carry no number, as whole lines of the seed: the render may show them as
# unnumbered headings (every other heading of a render must be numbered).
UNNUMBERED = {
    "yueyanglou-2017": ["印发《关于加快岳阳楼区产业发展的实施意见》的通知"],
}

_MARKER = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}\.(?!\d)|（\d{1,2}）|[①-⑳])\s*(.*)$")


def _even(line: str) -> str:
    """The evening-out of the module docstring: bold, Markdown heading marks, bracket width, spaces."""
    line = line.replace("**", "").strip().lstrip("#").strip()
    line = line.replace("(", "（").replace(")", "）").replace("．", ".")
    return line


def _outline_line(line: str) -> tuple[str, str] | None:
    m = _MARKER.match(_even(line))
    if m is None:
        return None
    return m.group(1), m.group(2).split("。")[0].strip()


def seed_outline(name: str) -> list[tuple[str, str]]:
    text = (SEEDS / EXAMPLES[name]).read_text(encoding="utf-8", errors="replace")
    return [o for o in map(_outline_line, text.splitlines()) if o is not None]


_MD_UNESCAPE = re.compile(r"\\([\\`*_\[\]<>|#>+\-.)=])")


def md_outline(md: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(the numbered headings and paragraphs, the unnumbered headings) of a Markdown render."""
    numbered, bare = [], []
    for block in md.split("\n\n"):
        block = _MD_UNESCAPE.sub(r"\1", block.strip())
        if block.startswith("# "):
            continue  # the document's title
        o = _outline_line(block)
        if o is not None:
            numbered.append(o)
        elif block.startswith("#"):
            bare.append(block.lstrip("#").strip())
    return numbered, bare


def docx_outline(data: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    import docx

    numbered, bare = [], []
    for p in docx.Document(io.BytesIO(data)).paragraphs:
        if p.style.name == "Title" or not p.text.strip():
            continue
        o = _outline_line(p.text)
        if o is not None:
            numbered.append(o)
        elif p.style.name.startswith("Heading"):
            bare.append(p.text.strip())
    return numbered, bare


@pytest.fixture(scope="module")
def compiled():
    return {name: compile_file(ROOT / "examples" / f"{name}.plan") for name in EXAMPLES}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_seed_outline_is_read(name):
    """The extraction itself: every original has a chapter level and numbered items below it."""
    outline = seed_outline(name)
    assert outline[0][0] == "一、"
    assert len(outline) >= 4


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_markdown_headings_are_the_original_headings(name, compiled):
    result = compiled[name]
    assert result.model.plan.numbering is not None, "the example states its document's numbering (编号)"
    numbered, bare = md_outline(render(result, "md").decode("utf-8"))
    assert numbered == seed_outline(name)
    assert bare == UNNUMBERED.get(name, [])
    seed_lines = {_even(line) for line in (SEEDS / EXAMPLES[name]).read_text(encoding="utf-8").splitlines()}
    assert all(b in seed_lines for b in bare)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_docx_headings_are_the_original_headings(name, compiled):
    numbered, bare = docx_outline(render(compiled[name], "docx"))
    assert numbered == seed_outline(name)
    assert bare == UNNUMBERED.get(name, [])


# -- the notation ----------------------------------------------------------------------------------------------

def test_default_levels_below_the_chapters():
    s, problem = read_numbering("一、（一）1.（1）")
    assert problem is None
    assert [lv.marker for lv in s.document] == ["一、", "（一）", "1.", "（1）"]
    assert [lv.marker for lv in s.tasks] == ["（一）", "1.", "（1）"]
    assert [lv.marker for lv in s.goals] == [lv.marker for lv in s.mechanisms] == ["（一）", "1.", "（1）"]


def test_per_kind_levels_start_and_continuous():
    s, _ = read_numbering("一、（一）1.  任务 （三）1. 连续  目标 ——  机制 略")
    assert [lv.marker for lv in s.tasks] == ["（三）", "1."]
    assert s.tasks[0].start == 3 and not s.tasks[0].continuous
    assert s.tasks[1].continuous
    assert format_number(s.tasks[0], 1) == "（三）" and format_number(s.tasks[0], 2) == "（四）"
    assert s.goals[0].style == "dash" and s.goals[0].run_in
    assert s.mechanisms[0].style == "omit"


def test_markers_written_together_or_apart_and_in_english():
    a, _ = read_numbering("一、（一）1.（1）①")
    b, _ = read_numbering("一、 （一） 1. （1） ①")
    assert a.document == b.document
    c, _ = read_numbering("一、 1.  tasks 1. （1）  mechanisms none")
    assert [lv.marker for lv in c.tasks] == ["1.", "（1）"] and c.mechanisms[0].style == "none"


def test_levels_below_the_written_ones_follow_the_default_sequence():
    s, _ = read_numbering("一、1.")
    assert [level_at(s.tasks, d).marker for d in range(4)] == ["1.", "（1）", "①", "1)"]


@pytest.mark.parametrize("text", ["一、（一", "任务 （一）", "一是", "甲、乙", "一、 任务 （一） 任务 1."])
def test_unreadable_schemes_say_what_is_accepted(text):
    s, problem = read_numbering(text)
    assert s is None
    assert "一、 （一） 1." in problem.zh and "编号：" in problem.zh
    assert "markers:" in problem.en


def test_continuous_numbering_runs_on_across_sections(tmp_path):
    """12. under 二、（一） continuing from the items of 一、: a level written 连续 does not restart."""
    p = tmp_path / "p.plan"
    p.write_text("方案 p “p” { 编号：一、（一）1. 连续  任务 一、（一）1. 连续 }\n单位 甲局\n"
                 "任务 “甲” {\n  任务 “子甲” {\n    任务 “一” { 牵头：甲局 }\n    任务 “二” { 牵头：甲局 }\n  }\n}\n"
                 "任务 “乙” {\n  任务 “子乙” {\n    任务 “三” { 牵头：甲局 }\n  }\n}\n", encoding="utf-8")
    r = compile_file(p)
    numbers = [(t.number, t.title) for t, _ in r.symbols.task_list]
    assert numbers == [("一、", "甲"), ("（一）", "子甲"), ("1.", "一"), ("2.", "二"),
                       ("二、", "乙"), ("（一）", "子乙"), ("3.", "三")]


def test_layout_counts_text_chapters_before_task_chapters(compiled):
    r = compiled["yueyanglou-2017"]
    from planlang.outputs.views import source_order

    chapters = [(e.number, e.title) for e in layout(source_order(r), r.model.plan.numbering)
                if e.level == 1 and e.number]
    assert chapters == [("一、", "总体要求"), ("二、", "基本原则"), ("三、", "发展方向"), ("四、", "发展目标"),
                        ("五、", "主要措施")]
    assert r.model.tasks[0].number == "五、"


_PIECES = ["一、", "（一）", "(三)", "1.", "1、", "（1）", "1）", "①", "④", "一是", "第一章", "——", "无", "略", "连续",
           "任务", "目标", "机制", "tasks", "none", " ", "，", "二十、", "0.", "十万、", "（一", "甲", "、", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_any_scheme_text_is_read_or_reported_never_raises(text):
    s, problem = read_numbering(text)
    assert (s is None) != (problem is None)
    if s is not None:
        assert s.document and s.tasks and s.goals and s.mechanisms
        for levels in (s.document, s.tasks):
            for depth in range(6):
                level_at(levels, depth)
                format_number(level_at(levels, depth), 3)


@pytest.mark.parametrize("scheme", ["一、（一）1.", "一、1. 连续", "第一章 一、（一） 任务 第一章 一、 机制 ——",
                                    "（一） 目标 无 任务 一是", "一、（一）1. 任务 一、 目标 略 机制 略"])
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_example_renders_under_other_schemes(name, scheme, compiled, tmp_path):
    """Any readable scheme lays out any plan: every task gets its number from the scheme, the renders agree."""
    text = (ROOT / "examples" / f"{name}.plan").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  编号：.*$", f"  编号：{scheme}", text)
    for f in ROOT.glob(f"examples/{name.split('-')[0]}-units.plan"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "planlang.toml").touch()
    plan = tmp_path / f"{name}.plan"
    plan.write_text(text, encoding="utf-8")
    r = compile_file(plan)
    s = r.model.plan.numbering
    assert s is not None and s.text == scheme
    md = render(r, "md").decode("utf-8")
    for t, parent in r.symbols.task_list:
        assert t.number or level_at(s.tasks, 0).style == "none"
        if parent is None and level_at(s.tasks, 0).style != "omit" and not level_at(s.tasks, 0).run_in:
            assert f"{t.number}{t.title}" in md.replace("\\", "")
