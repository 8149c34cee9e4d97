"""The fast loop over Lark's tables (`planlang.syntax.lalr`) against Lark's own parse.

The front end parses with the loop when the installed Lark has what it reads, and with `Lark.parse` otherwise.
Both must give the same Document — statements, comments, syntax errors — and tell the same about the end of
the text, for clean plans, for every source in the repository, and for broken texts where recovery works.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Lark

from planlang.syntax import parser as front
from planlang.syntax.lalr import Driver

from conftest import EXAMPLES
from strategies import ANY_TEXT, mutated_example

_SOURCES = sorted({*EXAMPLES.glob("**/*.plan"), *(EXAMPLES.parent / "tests").glob("**/*.plan")})


@contextmanager
def _larks_own_parse():
    """Parse with Lark's own parse, as when the loop cannot be built."""
    front._get_parser()
    driver = front._driver
    front._driver = None
    try:
        yield
    finally:
        front._driver = driver


def _both(text: str):
    fast = front.parse_part(text)
    with _larks_own_parse():
        slow = front.parse_part(text)
    return fast, slow


def test_the_loop_is_used_with_the_installed_lark():
    front._get_parser()
    assert front._driver is not None


@pytest.mark.parametrize("path", _SOURCES, ids=[str(p.relative_to(EXAMPLES.parent)) for p in _SOURCES])
def test_every_source_parses_the_same_both_ways(path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    fast, slow = _both(text)
    assert fast == slow


@pytest.mark.parametrize("text", [
    "",
    "任务 1 “甲” {\n  牵头：区财政局\n",  # unclosed block: repaired at the end
    "任务 1 “甲” {\n  牵头 区财政局\n}\n",  # a missing colon: inserted
    "任务 1 “甲” {\n  牵头：区财政局 }}\n}\n",  # a brace too many: dropped
    "任务 1 “甲 {\n  牵头：区财政局\n}\n",  # an unclosed quote: unexpected characters
    "“",  # only an unexpected character
    "：",  # a token where no statement may start
    "任务 1 {\n" * 40,  # deep and unclosed
    "目标 甲 { 指标：8% ； 牵头：甲、乙 }\r\n# 注释\r\n// 另一个\r\n",
    "\ufeff方案 “x” { 年度：2023 }",
    "任务\x00 1 { }",
])
def test_broken_and_odd_texts_parse_the_same_both_ways(text):
    fast, slow = _both(text)
    assert fast == slow


_PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_PROPERTY
@given(ANY_TEXT)
def test_any_text_parses_the_same_both_ways(text):
    fast, slow = _both(text)
    assert fast == slow


@_PROPERTY
@given(mutated_example(max_edits=6))
def test_edited_examples_parse_the_same_both_ways(edited):
    _, text = edited
    fast, slow = _both(text)
    assert fast == slow


@given(st.text(alphabet="{}｛｝：:“”「」\"\n；;、，#/ 任务甲1", max_size=80))
@settings(max_examples=200, deadline=None)
def test_punctuation_soup_parses_the_same_both_ways(text):
    fast, slow = _both(text)
    assert fast == slow


def test_without_the_loop_the_front_end_still_parses():
    text = (EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8")
    with _larks_own_parse():
        doc = front.parse(text)
    assert doc.statements and not doc.errors


def test_a_lark_the_loop_cannot_read_gives_no_driver():
    # the contextual lexer has no single compiled pattern: the front end would use Lark's parse
    lark = Lark(front.grammar_text(), parser="lalr", lexer="contextual")
    assert Driver.build(lark, front._Build()) is None
