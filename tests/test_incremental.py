"""Re-parsing after an edit gives exactly what a full parse gives (the language server relies on it)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from planlang.syntax import parse
from planlang.syntax.incremental import edit_bounds, reparse

from conftest import EXAMPLES

TEXT = (EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8")
PIECES = ["", "区发改局", "、", "x", "\n", "# 注释\n", "}", "{", "“", "”", " ", "：", "；",
          "任务 “新任务” { 牵头：区发改局 }\n", "\n\n目标 新 “新目标” { 增长：8% }\n",
          "任务 “未闭合” {\n", "\n牵头\n", "「", "\ufeff", "\u00a0"]


def _same(a, b) -> bool:
    return (repr(a.statements), repr(a.comments), repr(a.errors)) == (repr(b.statements), repr(b.comments),
                                                                      repr(b.errors))


@settings(max_examples=150, deadline=None)
@given(at=st.integers(0, len(TEXT)), length=st.integers(0, 40), piece=st.sampled_from(PIECES))
def test_reparse_equals_full_parse(at, length, piece):
    new = TEXT[:at] + piece + TEXT[at + length:]
    assert _same(reparse(TEXT, parse(TEXT), new), parse(new))


def _naive_bounds(old: str, new: str) -> tuple[int, int, int]:
    n = min(len(old), len(new))
    a = 0
    while a < n and old[a] == new[a]:
        a += 1
    s = 0
    while s < n - a and old[-1 - s] == new[-1 - s]:
        s += 1
    return a, len(old) - s, len(new) - s


def test_a_text_with_syntax_errors_is_reparsed_by_region_and_the_clean_document_is_left_as_it_was():
    clean = parse(TEXT)
    before = repr(clean)
    q = TEXT.index("”", TEXT.index("任务 消费"))  # the closing quote of a task's title
    broken = TEXT[:q] + TEXT[q + 1:]
    doc = reparse(TEXT, clean, broken)
    assert _same(doc, parse(broken)) and doc.errors
    assert repr(clean) == before  # the clean document's nodes were copied, not moved
    # typing on while the quote is missing: the statements after the edit are the same objects, moved
    typed = broken[:q] + "新" + broken[q:]
    again = reparse(broken, doc, typed)
    assert _same(again, parse(typed))
    assert again.statements[-1] is doc.statements[-1]
    # the quote put back: the text parses clean again, and the same as a full parse
    fixed = typed[:q + 1] + "”" + typed[q + 1:]
    assert _same(reparse(typed, again, fixed), parse(fixed))


def test_an_unclosed_block_is_reparsed_to_the_end_of_the_file():
    q = TEXT.index("”", TEXT.index("任务 消费"))
    broken = TEXT[:q] + TEXT[q + 1:]  # a syntax error above the edit: the old document is not clean
    old = parse(broken)
    at = broken.index("任务 招商")
    new = broken[:at] + "任务 “未闭合” {\n" + broken[at:]
    doc = reparse(broken, old, new)
    assert _same(doc, parse(new))
    assert any(e.kind == "unclosed" for e in doc.errors)
    assert doc.statements[0] is old.statements[0]  # what comes before the edit was re-used, not parsed again


@settings(max_examples=300, deadline=None)
@given(old=st.text("ab", max_size=40) | st.sampled_from([TEXT, TEXT[:5000], TEXT * 2]),
       at=st.integers(0, 20000), length=st.integers(0, 9000), piece=st.text("abc", max_size=5))
def test_edit_bounds_by_chunks_equals_the_character_loop(old, at, length, piece):
    at = at % (len(old) + 1)
    new = old[:at] + piece + old[at + length:]
    assert edit_bounds(old, new) == _naive_bounds(old, new)
    assert edit_bounds(new, old) == _naive_bounds(new, old)


@settings(max_examples=60, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, len(TEXT)), st.integers(0, 10), st.sampled_from(PIECES)),
                      min_size=2, max_size=6))
def test_a_chain_of_edits_stays_equal(edits):
    text, doc = TEXT, parse(TEXT)
    for at, length, piece in edits:
        at = min(at, len(text))
        new = text[:at] + piece + text[at + length:]
        doc = reparse(text, doc, new)
        assert _same(doc, parse(new))
        text = new


# -- the model: an incremental build gives exactly what a full compilation gives ---------------------------------

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from planlang.model.incremental import BuildCache  # noqa: E402
from planlang.pipeline import compile_file  # noqa: E402

UNITS = (EXAMPLES / "nanhu-units.plan").read_text(encoding="utf-8")
MODEL_PIECES = PIECES + [
    "目标 “新增匿名目标” { 增长：8% }\n", "机制 “匿名调度” { 类型：调度；牵头：区发改局 }\n", "文本 “附则” { 说明：“无” }\n",
    "单位 区发改局\n", "任务 消费 “重复的标识” { 牵头：区财政局 }\n", "方案 第二 “第二个方案” {}\n", "牵头：区发改局\n",
    "  依赖：投资、消费\n", "  支撑：社零\n", "  牵头：发改局\n", "  时限：6月底前\n", "  指标：项目 力争 3个\n",
    "引用 “nanhu-units.plan”\n", "# planlang: ignore[PL201]", "区征收办", "牵头 区发改局\n",
]
UNIT_PIECES = ["", "\n单位 区统计局\n", "\n单位 区发改局 { 别名：发改局 }\n", "x", "}", "\n  别名：区财政\n"]


@pytest.fixture(scope="module")
def plan_ws(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("incremental")
    for f in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / f, folder / f)
    (folder / "planlang.toml").touch()
    return folder


def _span(s) -> tuple:
    return (Path(s.file.path).name, s.start, s.end)


def _node(n) -> tuple:
    return (type(n).__name__, getattr(n, "id", None)) if n is not None else None


def fingerprint(result) -> dict:
    """Everything a compilation says, with spans as (file, start, end) and nodes as (type, id)."""
    texts = {Path(f.source.path).name: f.source.text for f in result.files}
    spans = [s for frag in (f.fragment for f in result.files)
             for s in [*frag.spans.values(), *frag.ranges.values(), *(d.span for d in frag.defs),
                       *(r.span for r in frag.refs), *(d.span for d in frag.diagnostics)]]
    assert all(s.file.text == texts[Path(s.file.path).name] for s in spans)  # spans point into the new text
    heads = []
    for frag in (f.fragment for f in result.files):
        for item in frag.items:
            head = result.symbols.spans.get(id(item))
            heads.append((_node(item), _span(head) if head is not None else None))
    return {
        "model": result.model.model_dump(mode="json"),
        "diagnostics": [(d.code, d.severity.value, _span(d.span), d.message.zh, d.message.en,
                         [(_span(r.span), r.message.zh) for r in d.related], list(d.suggestions))
                        for d in result.diagnostics],
        "defs": [(d.kind, d.name, _span(d.span), _node(d.node)) for d in result.symbols.defs],
        "refs": [(r.ref.kind, r.ref.name, _span(r.ref.span), r.ref.field, r.canonical, _node(r.target),
                  _node(r.ref.node)) for r in result.symbols.refs],
        "spans": sorted((_node(None), _span(s)) for s in result.symbols.spans.values()),
        "ranges": sorted(_span(s) for s in result.symbols.ranges.values()),
        "items": [[(type(i).__name__, getattr(i, "id", None) or getattr(i, "path", None),
                    getattr(i, "defs_before", None)) for i in f.fragment.items] for f in result.files],
        "heads": heads,
    }


def _edit(text: str, at: int, length: int, piece: str) -> str:
    at = min(at, len(text))
    return text[:at] + piece + text[at + length:]


@settings(max_examples=80, deadline=None)
@given(edits=st.lists(st.tuples(st.booleans(), st.integers(0, len(TEXT)), st.integers(0, 30),
                                st.sampled_from(MODEL_PIECES)), min_size=1, max_size=6))
def test_a_chain_of_edits_compiles_as_a_full_compilation(plan_ws, edits):
    path, units_path = plan_ws / "nanhu-2023.plan", plan_ws / "nanhu-units.plan"
    text, units = TEXT, UNITS
    builds = BuildCache()
    prev = compile_file(path, text=text, overlay={units_path: units}, builds=builds)
    for in_units, at, length, piece in edits:
        if in_units:
            units = _edit(units, at % (len(units) + 1), length % 8, UNIT_PIECES[at % len(UNIT_PIECES)])
        else:
            text = _edit(text, at, length, piece)
        full = compile_file(path, text=text, overlay={units_path: units})
        prev = compile_file(path, text=text, overlay={units_path: units}, previous=prev, builds=builds)
        assert fingerprint(prev) == fingerprint(full)


def test_while_the_text_has_syntax_errors_unchanged_statements_are_replayed_and_the_clean_compilation_stays(plan_ws):
    path = plan_ws / "nanhu-2023.plan"
    builds = BuildCache()
    good = compile_file(path, text=TEXT, builds=builds)
    kept = fingerprint(good)
    q = TEXT.index("”", TEXT.index("任务 消费"))
    texts = [TEXT[:q] + TEXT[q + 1:]]  # a title's closing quote deleted
    texts.append(texts[0][:q] + "新" + texts[0][q:])  # typing on while it is missing
    texts.append(texts[1][:q + 1] + "”" + texts[1][q + 1:])  # the quote put back
    prev, statements = good, len(good.files[0].document.statements)
    for n, text in enumerate(texts):
        prev = compile_file(path, text=text, previous=prev, builds=builds)
        assert fingerprint(prev) == fingerprint(compile_file(path, text=text))
        assert bool(prev.files[0].document.errors) == (n < 2)
        if n:  # the first text with errors is built afresh; after it, only the edited statements are built
            assert builds.reused[path.resolve()] >= statements - 4
        if n < 2:
            assert fingerprint(good) == kept  # navigation reads the clean compilation while the text is broken


def test_unchanged_statements_are_replayed(plan_ws):
    path = plan_ws / "nanhu-2023.plan"
    builds = BuildCache()
    prev = compile_file(path, text=TEXT, builds=builds)
    new = TEXT.replace("牵头：区发改局", "牵头：区发该局", 1)
    result = compile_file(path, text=new, previous=prev, builds=builds)
    statements = len(result.files[0].document.statements)
    assert builds.reused[path.resolve()] == statements - 3  # all but the edited task, the plan block and the include
    assert builds.reused[(plan_ws / "nanhu-units.plan").resolve()] == len(result.files[1].document.statements)
    assert fingerprint(result) == fingerprint(compile_file(path, text=new))
    assert any(d.code == "PL101" for d in result.diagnostics)


def test_a_replaced_compilation_is_freed_at_once_without_the_cyclic_collector(plan_ws):
    # The language server keeps the cyclic collector off its compilations (it freezes what survives one), so a
    # reference cycle anywhere in a compilation, its checks or the outline would keep a whole plan's model alive
    # per edit — about 20 MiB an edit at 100k lines.
    import gc

    from planlang.lsp.symbols import document_symbols
    from planlang.lsp.index import Index

    path = plan_ws / "nanhu-2023.plan"
    q = TEXT.index("”", TEXT.index("任务 消费"))
    texts = [TEXT.replace("牵头：区发改局", "牵头：区发该局", 1), TEXT[:q] + TEXT[q + 1:], TEXT]
    gc.collect()
    gc.disable()
    try:
        builds = BuildCache()
        prev = compile_file(path, text=TEXT, builds=builds)
        for text in texts:
            prev = compile_file(path, text=text, previous=prev, builds=builds)
            assert document_symbols(Index(prev), path, "utf-16")
        assert any(d.code == "PL001" for d in compile_file(path, text=texts[1]).diagnostics)
        del prev, builds
        assert gc.collect() == 0
    finally:
        gc.enable()
