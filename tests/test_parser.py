"""The front end: `planlang.syntax.parse` and `planlang.pipeline.compile_file` on small texts.

- both keyword sets, and full-width and half-width punctuation, give the same model;
- recovery reports every syntax error, each on its own line;
- comments are kept with exact offsets, and every atom's text is the source it spans;
- property tests: for arbitrary text, and for random edits of a real plan, neither `parse` nor `compile_file`
  raises, and every diagnostic lies inside its document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planlang import keywords as kw
from planlang.pipeline import compile_file
from planlang.syntax import Atom, Block, Document, Field, parse

from conftest import CASES, EXAMPLES

NANHU = (EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8")


# -- helpers -----------------------------------------------------------------------------------------------


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planlang.toml").touch()  # the folder is its own workspace, with default settings
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _model(result) -> dict:
    dump = result.model.model_dump()
    dump.pop("files")
    return dump


def _atoms(doc: Document):
    """Every atom of a document, depth first."""
    stack = list(doc.statements)
    while stack:
        st_ = stack.pop()
        if isinstance(st_, Block):
            yield st_.keyword
            yield from st_.headers
            stack.extend(st_.body or ())
        elif isinstance(st_, Field):
            yield st_.key
            for item in st_.items:
                yield from item.atoms


def _syntax(result) -> list[tuple[int, str]]:
    out = []
    for d in result.diagnostics:
        if d.code == "PL001":
            out.append((d.span.file.line_col(d.span.start)[0], d.code))
    return sorted(out)


# -- both keyword sets, both punctuation widths --------------------------------------------------------------

UNITS_ZH = """\
单位 区发改局 “岳阳市南湖新区发展和改革局” { 别名：发改局 }
单位 区财政局
单位 各街道办事处 { 类型：集体 }
"""

UNITS_EN = """\
unit 区发改局 "岳阳市南湖新区发展和改革局" { aliases: 发改局 }
unit 区财政局
unit 各街道办事处 { kind: collective }
"""

PLAN_ZH = """\
# 试点方案
方案 试点 “南湖新区试点工作方案” {
  制定单位：南湖新区办公室
  周期：2023-01-01 至 2023-12-31
  文号：岳南办发〔2023〕1号
}
引用 “units.plan”
单位 南湖新区办公室
文本 指导思想 { 说明：“以习近平新时代中国特色社会主义思想为指导” }
目标 社零 “社会消费品零售总额” {
  增长：力争 8%
  总量：力争突破 52亿元
  基数：2022年 48亿元
  重点：是
}
任务 投资 “着力扩大有效投资” {
  支撑：社零
  牵头：区发改局
  任务 储备 “精准谋划储备项目” {
    指标：争资争项 力争 1.9亿元
    牵头：区发改局
    负责：各街道办事处
    配合：区财政局
    时限：2023年6月底前、年底前
  }
  任务 “加快重点项目建设” { 依赖：储备；时限：长期坚持 }
}
机制 专班 “打好经济增长主动仗工作专班” {
  类型：专班
  召集人：“区党工委副书记”
  成员：区发改局、区财政局
  办公室：区发改局
}
机制 调度 { 类型：调度；频次：旬调度、月通报；牵头：专班；覆盖：投资 }
机制 考核 { 类型：考核；牵头：南湖新区办公室 }
"""

PLAN_EN = """\
# 试点方案
plan 试点 "南湖新区试点工作方案" {
  issuer: 南湖新区办公室
  period: 2023-01-01 至 2023-12-31
  doc_number: 岳南办发〔2023〕1号
}
include "units.plan"
unit 南湖新区办公室
text 指导思想 { description: "以习近平新时代中国特色社会主义思想为指导" }
goal 社零 "社会消费品零售总额" {
  growth: 力争 8%
  total: 力争突破 52亿元
  baseline: 2022年 48亿元
  key: yes
}
task 投资 "着力扩大有效投资" {
  supports: 社零
  lead: 区发改局
  task 储备 "精准谋划储备项目" {
    target: 争资争项 力争 1.9亿元
    lead: 区发改局
    responsible: 各街道办事处
    cooperate: 区财政局
    due: 2023年6月底前, 年底前
  }
  task "加快重点项目建设" { after: 储备; due: 长期坚持 }
}
mechanism 专班 "打好经济增长主动仗工作专班" {
  kind: working_group
  convener: "区党工委副书记"
  members: 区发改局, 区财政局
  office: 区发改局
}
mechanism 调度 { kind: dispatch; cadence: 旬调度, 月通报; lead: 专班; covers: 投资 }
mechanism 考核 { kind: assessment; lead: 南湖新区办公室 }
"""


def _compile_pair(tmp_path: Path, a: tuple[str, str], b: tuple[str, str]):
    pa = _write(tmp_path / "a", "plan.plan", a[0])
    _write(tmp_path / "a", "units.plan", a[1])
    pb = _write(tmp_path / "b", "plan.plan", b[0])
    _write(tmp_path / "b", "units.plan", b[1])
    return compile_file(pa), compile_file(pb)


def test_chinese_plan_is_clean(tmp_path):
    zh, _ = _compile_pair(tmp_path, (PLAN_ZH, UNITS_ZH), (PLAN_ZH, UNITS_ZH))
    assert [(d.code, d.message.zh) for d in zh.diagnostics] == []
    assert len(zh.model.tasks) == 1 and len(zh.model.tasks[0].children) == 2


def test_english_and_chinese_keywords_give_the_same_model(tmp_path):
    zh, en = _compile_pair(tmp_path, (PLAN_ZH, UNITS_ZH), (PLAN_EN, UNITS_EN))
    assert [d.code for d in en.diagnostics] == [d.code for d in zh.diagnostics] == []
    assert _model(en) == _model(zh)


def test_mixed_keywords_give_the_same_model(tmp_path):
    """Every other line switched to English keywords."""
    mixed = "\n".join(en if i % 2 else zh for i, (zh, en) in
                      enumerate(zip(PLAN_ZH.splitlines(), PLAN_EN.splitlines(), strict=True))) + "\n"
    zh, mx = _compile_pair(tmp_path, (PLAN_ZH, UNITS_ZH), (mixed, UNITS_EN))
    assert [d.code for d in mx.diagnostics] == []
    assert _model(mx) == _model(zh)


_HALF = {"：": ":", "；": ";", "，": ",", "、": ",", "｛": "{", "｝": "}"}


def _half_width(text: str) -> str:
    """Full-width punctuation to half-width; “…” and 「…」 strings to "…" (none nest in these plans)."""
    out = text
    for full, half in _HALF.items():
        out = out.replace(full, half)
    for q in "“”「」":
        out = out.replace(q, '"')
    return out


def _spaces_folded(obj):
    """The model with U+3000 in strings (values kept as written) folded to an ASCII space."""
    if isinstance(obj, str):
        return obj.replace("\u3000", " ")
    if isinstance(obj, list):
        return [_spaces_folded(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _spaces_folded(v) for k, v in obj.items()}
    return obj


FULL_WIDTH = """\
方案　试点　“试点方案”　｛　周期：2023年；制定单位：区发改局　｝
单位　区发改局　｛　别名：发改局　｝
单位　区财政局
目标　固投　「固定资产投资」　｛　增长：力争　9.5%，年均　8%　｝
任务　投资　“着力扩大有效投资”　｛
　　牵头：区发改局；配合：区财政局
　　支撑：固投
　　时限：2月上旬前　“完成方案制定”、3月底前　“全面铺开”
｝
机制　调度　｛　类型：调度；频次：旬调度、月通报；牵头：区发改局；覆盖：投资　｝
机制　考核　｛　类型：考核；牵头：区发改局　｝
"""


def test_full_width_and_half_width_punctuation_give_the_same_model(tmp_path):
    half = _half_width(FULL_WIDTH)
    assert not any(ch in half for ch in "：；，、｛｝“”「」")
    full_r = compile_file(_write(tmp_path / "full", "plan.plan", FULL_WIDTH))
    half_r = compile_file(_write(tmp_path / "half", "plan.plan", half))
    assert [d.code for d in full_r.diagnostics] == [d.code for d in half_r.diagnostics] == []
    assert _model(full_r) == _model(half_r)
    task = full_r.model.tasks[0]
    assert [(d.date, d.note) for d in task.due] == [("2023-02-10", "完成方案制定"), ("2023-03-31", "全面铺开")]


def test_full_width_space_is_white_space(tmp_path):
    """U+3000 separates words like a space; only values kept as written (Quantity.text) still show it."""
    spaced = _half_width(FULL_WIDTH).replace("\u3000", " ")
    full_r = compile_file(_write(tmp_path / "full", "plan.plan", FULL_WIDTH))
    ascii_r = compile_file(_write(tmp_path / "ascii", "plan.plan", spaced))
    assert [d.code for d in ascii_r.diagnostics] == []
    assert _spaces_folded(_model(full_r)) == _model(ascii_r)


def test_crlf_gives_the_same_model_as_lf(tmp_path):
    lf = _write(tmp_path / "lf", "plan.plan", FULL_WIDTH)
    crlf_dir = tmp_path / "crlf"
    crlf = _write(crlf_dir, "plan.plan", "")
    crlf.write_bytes(FULL_WIDTH.replace("\n", "\r\n").encode("utf-8"))
    a, b = compile_file(lf), compile_file(crlf)
    assert [d.code for d in b.diagnostics] == []
    assert _model(a) == _model(b)


def test_bom_gives_the_same_model(tmp_path):
    plain = _write(tmp_path / "plain", "plan.plan", FULL_WIDTH)
    bom = _write(tmp_path / "bom", "plan.plan", "")
    bom.write_bytes(b"\xef\xbb\xbf" + FULL_WIDTH.encode("utf-8"))
    a, b = compile_file(plain), compile_file(bom)
    assert [d.code for d in b.diagnostics] == []
    assert _model(a) == _model(b)


# -- recovery ------------------------------------------------------------------------------------------------

FIVE_ERRORS = """\
单位 区发改局
任务 “精准谋划储备项目” {
  牵头：区发改局、、区财政局
  说明：“充实完善项目储备库
  时限：年底前 ： 上半年
  配合：区财政局 ；：
}
}
任务 “加快重点项目建设” { 牵头：区发改局 }
"""
FIVE_LINES = [3, 4, 5, 6, 8]


def test_five_errors_on_five_lines_give_five_pl001():
    doc = parse(FIVE_ERRORS)
    lines = sorted(FIVE_ERRORS.count("\n", 0, e.start) + 1 for e in doc.errors)
    assert lines == FIVE_LINES


def test_five_errors_through_the_pipeline(tmp_path):
    result = compile_file(_write(tmp_path, "plan.plan", FIVE_ERRORS))
    assert _syntax(result) == [(n, "PL001") for n in FIVE_LINES]
    assert {d.code for d in result.diagnostics} == {"PL001"}  # knock-ons on those lines are dropped
    # recovery goes on: the task after the errors is still read
    assert [t.title for t in result.model.tasks] == ["精准谋划储备项目", "加快重点项目建设"]


def test_at_most_one_syntax_error_per_line():
    text = "任务 “t” {\n  牵头：：：区发改局 ：：\n  时限：：年底前 ；；：\n}\n"
    lines = [text.count("\n", 0, e.start) for e in parse(text).errors]
    assert lines == [1, 2]


def test_unclosed_block_is_reported_at_its_brace():
    text = "单位 区发改局\n任务 “t” {\n  牵头：区发改局\n"
    doc = parse(text)
    assert [(e.kind, e.start) for e in doc.errors] == [("unclosed", text.index("{"))]
    assert isinstance(doc.statements[-1], Block) and doc.statements[-1].rbrace == -1


def test_nested_unclosed_blocks_each_reported():
    text = "任务 a {\n  任务 b {\n    牵头：区发改局\n"
    doc = parse(text)
    assert sorted(e.start for e in doc.errors) == [text.index("{"), text.index("{", text.index("{") + 1)]


# -- comments and atoms --------------------------------------------------------------------------------------

COMMENTED = """\
# 第一行注释
// 第二行注释
单位 区发改局  # 行尾注释
任务 “第#1号任务” {   // 块头注释
  说明：「含有 // 的字符串」# 紧跟的注释
  牵头：区发改局//无空格的注释
}
#
"""


def test_comments_are_kept_with_exact_offsets():
    doc = parse(COMMENTED)
    assert not doc.errors
    got = [(c.text, c.start, c.end) for c in doc.comments]
    want = []
    for text in ("# 第一行注释", "// 第二行注释", "# 行尾注释", "// 块头注释", "# 紧跟的注释", "//无空格的注释"):
        start = COMMENTED.index(text)
        want.append((text, start, start + len(text)))
    last = COMMENTED.rindex("#")
    want.append(("#", last, last + 1))
    assert got == want
    for c in doc.comments:
        assert COMMENTED[c.start:c.end] == c.text


def test_comment_markers_inside_strings_are_not_comments():
    doc = parse(COMMENTED)
    task = doc.statements[1]
    assert task.headers[0].value == "第#1号任务"
    desc = task.body[0]
    assert desc.items[0].atoms[0].value == "含有 // 的字符串"
    lead = task.body[1]
    assert [a.text for a in lead.items[0].atoms] == ["区发改局"]


def _check_atoms(text: str) -> int:
    doc = parse(text)
    n = 0
    for a in _atoms(doc):
        assert isinstance(a, Atom)
        assert 0 <= a.start <= a.end <= len(text)
        assert a.text == text[a.start:a.end], (a, text[a.start:a.end])
        n += 1
    for c in doc.comments:
        assert c.text == text[c.start:c.end].rstrip("\r")
    return n


def _utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False  # the PL004 cases


_SOURCES = [p for p in sorted(EXAMPLES.glob("*.plan")) + sorted(CASES.rglob("*.plan")) if _utf8(p)]


@pytest.mark.parametrize("path", _SOURCES, ids=[str(p.relative_to(p.parents[1])) for p in _SOURCES])
def test_every_atom_text_is_its_source(path):
    text = path.read_bytes().decode("utf-8-sig")
    n = _check_atoms(text)
    blank = all(not line.strip() or line.lstrip().startswith(("#", "//")) for line in text.splitlines())
    assert n > 0 or blank


def test_atoms_of_full_width_and_crlf_text():
    assert _check_atoms(FULL_WIDTH) > 20
    assert _check_atoms(FULL_WIDTH.replace("\n", "\r\n")) > 20
    assert _check_atoms(FIVE_ERRORS) > 10


def test_nested_quotes_in_a_title():
    doc = parse("任务 “实施“电子商务强主体”工程” { 牵头：区商务局 }\n")
    assert not doc.errors
    assert doc.statements[0].headers[0].value == "实施“电子商务强主体”工程"


# -- two-file include cycle (the runner in test_cases.py only looks at the root file) -------------------------


def test_include_cycle_across_files():
    case = CASES / "files" / "pl005-include-cycle.plan"
    result = compile_file(case)
    cycles = [d for d in result.diagnostics if d.code == "PL005"]
    assert len(cycles) == 1
    d = cycles[0]
    assert Path(d.span.file.path).name == "_cycle-b.plan"
    assert d.span.file.line_col(d.span.start) == (2, 4)
    assert "循环引用：pl005-include-cycle.plan → _cycle-b.plan → pl005-include-cycle.plan" in d.message.zh
    # the helper's units are still read once, so the root's 配合 resolves
    assert not [d for d in result.diagnostics if d.code == "PL101"]


# -- property tests ------------------------------------------------------------------------------------------

# Text made of the characters that matter to the lexer, with Chinese words and keywords mixed in.
_PIECES = st.sampled_from([
    "任务", "单位", "目标", "机制", "方案", "文本", "引用", "task", "unit", "goal", "plan", "include",
    "牵头", "负责", "配合", "时限", "增长", "总量", "基数", "指标", "支撑", "依赖", "频次", "类型", "周期", "成员",
    "区发改局", "年底前", "力争", "8%", "52亿元", "2023年", "旬调度", "“", "”", "「", "」", '"', "：", ":", "，",
    ",", "、", "；", ";", "{", "}", "｛", "｝", "#", "//", "/", "\n", "\r\n", "\r", " ", "\u3000", "\t", "\ufeff",
    "（", "）", "等", "x.plan", "“_units.plan”", "\x00", "\u2028", "\U0001F600",
])
PLANISH = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=60).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=300), PLANISH)


@st.composite
def _nanhu_mutations(draw) -> str:
    """examples/nanhu-2023.plan with a few random slices deleted, inserted or duplicated."""
    text = NANHU
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 200)))
        op = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(ANY_TEXT) + text[i:]
        else:
            k = draw(st.integers(0, n))
            text = text[:k] + text[i:j] + text[k:]
    return text


def _known_crash(text: str) -> bool:
    """An include path that makes compile_file raise (a NUL byte, a name too long for the file system).

    These are known bugs, shown by tests/test_bugs.py::test_include_path_never_raises; the property tests skip
    them so that they stay deterministic. Remove this filter when that test passes.
    """
    stack = list(parse(text).statements)
    while stack:
        st_ = stack.pop()
        if isinstance(st_, Block):
            word = kw.block_word(st_.keyword.text)
            if word is not None and word.name == "include" and st_.headers:
                target = st_.headers[0].value
                if "\x00" in target or len(target.encode("utf-8")) > 200:
                    return True
            stack.extend(st_.body or ())
    return False


def _check_spans(doc_text: str, result) -> None:
    for d in result.diagnostics:
        for span in (d.span, *(r.span for r in d.related)):
            n = len(span.file.text)
            assert 0 <= span.start <= span.end <= n, (d.code, span.start, span.end, n)
        if Path(d.span.file.path).name == "plan.plan":
            assert d.span.file.text == doc_text.removeprefix("\ufeff")


def _check_parse(text: str) -> None:
    doc = parse(text)
    for e in doc.errors:
        assert 0 <= e.start <= e.end <= len(text)
    for a in _atoms(doc):
        assert a.text == text[a.start:a.end]
    for c in doc.comments:
        assert 0 <= c.start <= c.end <= len(text)


_FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])


@_FUZZ
@given(ANY_TEXT)
def test_parse_never_raises_on_any_text(text):
    _check_parse(text)


@_FUZZ
@given(_nanhu_mutations())
def test_parse_never_raises_on_mutated_example(text):
    _check_parse(text)


@_FUZZ
@given(ANY_TEXT)
def test_compile_never_raises_on_any_text(tmp_path, text):
    assume(not _known_crash(text))
    path = _write(tmp_path, "plan.plan", "")
    path.write_bytes(text.encode("utf-8"))
    result = compile_file(path)
    _check_spans(text, result)


@_FUZZ
@given(_nanhu_mutations())
def test_compile_never_raises_on_mutated_example(tmp_path, text):
    assume(not _known_crash(text))
    # nanhu includes nanhu-units.plan: give it its registry
    _write(tmp_path, "nanhu-units.plan", (EXAMPLES / "nanhu-units.plan").read_text(encoding="utf-8"))
    path = _write(tmp_path, "plan.plan", text)
    result = compile_file(path)
    _check_spans(text, result)


@_FUZZ
@given(st.binary(max_size=200))
def test_compile_never_raises_on_any_bytes(tmp_path, data):
    assume(not _known_crash(data.decode("utf-8", errors="replace")))
    path = _write(tmp_path, "plan.plan", "")
    path.write_bytes(data)
    result = compile_file(path)
    for d in result.diagnostics:
        assert 0 <= d.span.start <= d.span.end <= len(d.span.file.text)
