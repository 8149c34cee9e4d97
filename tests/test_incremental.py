"""Re-parsing after an edit gives exactly what a full parse gives (the language server relies on it)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from planlang.syntax import parse
from planlang.syntax.incremental import reparse

from conftest import EXAMPLES

TEXT = (EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8")
PIECES = ["", "区发改局", "、", "x", "\n", "# 注释\n", "}", "{", "“", "”", " ", "：", "；",
          "任务 “新任务” { 牵头：区发改局 }\n", "\n\n目标 新 “新目标” { 增长：8% }\n"]


def _same(a, b) -> bool:
    return (repr(a.statements), repr(a.comments), repr(a.errors)) == (repr(b.statements), repr(b.comments),
                                                                      repr(b.errors))


@settings(max_examples=150, deadline=None)
@given(at=st.integers(0, len(TEXT)), length=st.integers(0, 40), piece=st.sampled_from(PIECES))
def test_reparse_equals_full_parse(at, length, piece):
    new = TEXT[:at] + piece + TEXT[at + length:]
    assert _same(reparse(TEXT, parse(TEXT), new), parse(new))


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
