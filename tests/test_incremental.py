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
    doc = reparse(TEXT, clean, broken, keep=True)  # (the caller keeps the clean document)
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

from planlang.pipeline import compile_file  # noqa: E402
from planlang.session import Session  # noqa: E402

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
    session = Session(path)
    session.update(text, {units_path: units})
    for in_units, at, length, piece in edits:
        if in_units:
            units = _edit(units, at % (len(units) + 1), length % 8, UNIT_PIECES[at % len(UNIT_PIECES)])
        else:
            text = _edit(text, at, length, piece)
        full = compile_file(path, text=text, overlay={units_path: units})
        assert fingerprint(session.update(text, {units_path: units})) == fingerprint(full)


def test_while_the_text_has_syntax_errors_unchanged_statements_are_replayed_and_the_clean_compilation_stays(plan_ws):
    path = plan_ws / "nanhu-2023.plan"
    session = Session(path)
    good = session.update(TEXT)
    kept = fingerprint(good)
    q = TEXT.index("”", TEXT.index("任务 消费"))
    texts = [TEXT[:q] + TEXT[q + 1:]]  # a title's closing quote deleted
    texts.append(texts[0][:q] + "新" + texts[0][q:])  # typing on while it is missing
    texts.append(texts[1][:q + 1] + "”" + texts[1][q + 1:])  # the quote put back
    statements = len(good.files[0].document.statements)
    for n, text in enumerate(texts):
        prev = session.update(text)
        assert fingerprint(prev) == fingerprint(compile_file(path, text=text))
        assert bool(prev.files[0].document.errors) == (n < 2)
        if n:  # the first text with errors is built afresh; after it, only the edited statements are built
            assert session.reused[path.resolve()] >= statements - 4
        if n < 2:
            assert session.clean is good
            assert fingerprint(good) == kept  # navigation reads the clean compilation while the text is broken
    assert session.clean is prev


def test_unchanged_statements_are_replayed(plan_ws):
    path = plan_ws / "nanhu-2023.plan"
    session = Session(path)
    session.update(TEXT)
    new = TEXT.replace("牵头：区发改局", "牵头：区发该局", 1)
    result = session.update(new)
    statements = len(result.files[0].document.statements)
    assert session.reused[path.resolve()] == statements - 3  # all but the edited task, the plan block and the include
    assert session.reused[(plan_ws / "nanhu-units.plan").resolve()] == len(result.files[1].document.statements)
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
        session = Session(path)
        session.update(TEXT)
        for text in texts:
            assert document_symbols(Index(session.update(text)), path, "utf-16")
        assert any(d.code == "PL001" for d in compile_file(path, text=texts[1]).diagnostics)
        del session
        assert gc.collect() == 0
    finally:
        gc.enable()


# -- the fields resolution derives are declared on the node classes ----------------------------------------------

from pydantic import BaseModel  # noqa: E402

from planlang.model import nodes  # noqa: E402
from planlang.pipeline import Reader, compile_with  # noqa: E402

PLANS = sorted(p for p in EXAMPLES.glob("*.plan") if not p.name.endswith("-units.plan"))


def _nodes(items):
    stack = list(items)
    while stack:
        node = stack.pop()
        if isinstance(node, BaseModel):
            yield node
            stack.extend(getattr(node, "children", ()))


class _Watching(Reader):
    """Reads as the plain pipeline does, and notes every built node's fields before resolution."""

    def __init__(self, garbage: bool = False) -> None:
        self.built: list[tuple[BaseModel, dict]] = []
        self.garbage = garbage

    def build(self, path, doc, source, relpath):
        frag = super().build(path, doc, source, relpath)
        for node in _nodes([*frag.items, *([frag.plan] if frag.plan else [])]):
            self.built.append((node, {f: repr(getattr(node, f)) for f in type(node).model_fields if f != "children"}))
            if self.garbage:  # what resolution sets on every node must not depend on what the node held
                for f in nodes.derived_fields(type(node), nodes.SET):
                    value = getattr(node, f)
                    node.__dict__[f] = (nodes.EffectiveOwners(lead=["垃圾"]) if isinstance(value, BaseModel) or
                                        f == "effective_owners" else ["垃圾"] if isinstance(value, list) else "垃圾")
        return frag


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_resolution_writes_only_the_fields_each_node_class_declares_derived(plan):
    reader = _Watching()
    result = compile_with(reader, plan)
    assert reader.built
    undeclared = set()
    for node, before in reader.built:
        for f, value in before.items():
            if repr(getattr(node, f)) != value and f not in type(node).derived:
                undeclared.add(f"{type(node).__name__}.{f}")
            if type(node).derived.get(f) == nodes.FILL:
                assert value == repr(type(node).model_fields[f].default_factory())  # the builder leaves it empty
    assert not undeclared, f"resolution writes fields not declared derived: {sorted(undeclared)}"
    for cls in (nodes.Unit, nodes.Goal, nodes.Task, nodes.Mechanism, nodes.PlanInfo):
        assert set(cls.derived) <= set(cls.model_fields)
        assert set(cls.derived.values()) <= {nodes.FOLD, nodes.FILL, nodes.SET}
    garbled = compile_with(_Watching(garbage=True), plan)
    assert garbled.model.model_dump(mode="json") == result.model.model_dump(mode="json")


def test_the_declaration_is_what_the_check_above_reads():
    # a field resolution writes, left out of the declaration, is caught (the check is not vacuous)
    derived = dict(nodes.Task.derived)
    try:
        del nodes.Task.derived["effective_owners"]
        nodes._DERIVED.clear()
        with pytest.raises(AssertionError, match="Task.effective_owners"):
            test_resolution_writes_only_the_fields_each_node_class_declares_derived(EXAMPLES / "nanhu-2023.plan")
    finally:
        nodes.Task.derived = derived
        nodes._DERIVED.clear()


def test_an_included_file_edited_while_the_root_is_broken_leaves_the_clean_compilation_as_it_was(plan_ws):
    path, units_path = plan_ws / "nanhu-2023.plan", plan_ws / "nanhu-units.plan"
    session = Session(path)
    good = session.update(TEXT, {units_path: UNITS})
    kept = fingerprint(good)
    q = TEXT.index("”", TEXT.index("任务 消费"))
    broken = TEXT[:q] + TEXT[q + 1:]
    session.update(broken, {units_path: UNITS})
    units = UNITS.replace("\n", "\n\n", 3) + "\n单位 区统计局\n"  # the registry moves and grows in another buffer
    result = session.update(broken, {units_path: units})
    assert fingerprint(result) == fingerprint(compile_file(path, text=broken, overlay={units_path: units}))
    assert session.clean is good and fingerprint(good) == kept
    fixed = session.update(TEXT, {units_path: units})
    assert session.clean is fixed
    assert fingerprint(fixed) == fingerprint(compile_file(path, text=TEXT, overlay={units_path: units}))


def test_a_big_compilation_is_frozen_out_of_the_collector_and_a_small_one_is_not(tmp_path):
    # After a compilation of many objects, what survives is frozen before the cyclic collector runs again, so
    # its next young collection does not walk the whole compilation; a small one is left to the collector.
    import gc

    from planlang.pipeline import FREEZE_AFTER, compile_file

    (tmp_path / "planlang.toml").touch()
    small = tmp_path / "small.plan"
    small.write_text("方案 “小” {\n  年度：2023\n}\n", encoding="utf-8")
    big = tmp_path / "big.plan"
    big.write_text("".join(f"任务 {i} “事项{i}” {{\n  牵头：区发改局\n  时限：2023年底前\n}}\n" for i in range(1, 3001)),
                   encoding="utf-8")
    gc.collect()
    gc.unfreeze()
    try:
        compile_file(small)
        assert gc.get_freeze_count() == 0
        result = compile_file(big)
        assert gc.isenabled()
        assert gc.get_freeze_count() > FREEZE_AFTER
        assert len(result.files[0].document.statements) == 3000
    finally:
        gc.unfreeze()
