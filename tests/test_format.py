"""The formatter (`planlang fmt`): expected outputs, idempotence, losslessness, keyword conversion, properties
over the examples with randomized layout, configuration, and the command line end to end."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlang import keywords as kw
from planlang.config import ConfigError, load_config
from planlang.outputs.jsonout import plan_json
from planlang.pipeline import compile_file
from planlang.syntax import Block, Field, parse
from planlang.syntax.format import dominant_lang, format_text, requote

from conftest import EXAMPLES, run_cli

CASES_DIR = Path(__file__).resolve().parent / "format_cases"
CASES = sorted(p.name[: -len(".in.plan")] for p in CASES_DIR.glob("*.in.plan"))
CASE_OPTIONS = {"aliases-en": {"lang": "en"}, "indent-4": {"indent": 4}, "enum-values": {"lang": "zh"}}
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.plan"))
PLANS = ["nanhu-2023", "hecheng-2024", "huli-2023", "yueyanglou-2017", "pingjiang-2023", "english-keywords"]

UNFORMATTED = "单位 区发改局\n任务 “项目储备” { 牵头:区发改局，区财政局；时限：年底前 }   # 注释\n"
FORMATTED = "单位 区发改局\n\n任务 “项目储备” {  # 注释\n  牵头：区发改局、区财政局\n  时限：年底前\n}\n"


def fmt(text: str, **options) -> str:
    result = format_text(text, **options)
    assert not result.errors, result.errors
    return result.text


def _walk(statements):
    for s in statements:
        yield s
        if isinstance(s, Block) and s.body:
            yield from _walk(s.body)


# -- expected outputs ----------------------------------------------------------------------------------------


def test_there_are_enough_cases():
    assert len(CASES) >= 12
    for name in CASES:
        assert (CASES_DIR / f"{name}.out.plan").is_file(), f"{name}.out.plan is missing"


@pytest.mark.parametrize("name", CASES)
def test_case(name):
    src = (CASES_DIR / f"{name}.in.plan").read_bytes().decode("utf-8")
    expected = (CASES_DIR / f"{name}.out.plan").read_bytes().decode("utf-8")
    result = format_text(src, **CASE_OPTIONS.get(name, {}))
    if name == "syntax-error":
        assert result.errors and not result.ok
        assert result.text == src and not result.changed
        return
    assert not result.errors
    assert result.text == expected


def test_crlf_case_really_has_crlf():
    assert b"\r\n" in (CASES_DIR / "crlf.in.plan").read_bytes()


@pytest.mark.parametrize("path", EXAMPLE_FILES + sorted(CASES_DIR.glob("*.plan")), ids=lambda p: p.name)
def test_idempotent(path):
    text = path.read_bytes().decode("utf-8")
    once = format_text(text)
    if once.errors:
        return
    assert fmt(once.text) == once.text
    for lang in ("zh", "en"):
        converted = fmt(text, lang=lang)
        assert fmt(converted, lang=lang) == converted
        assert fmt(converted) == converted  # its dominant language is now `lang`


@pytest.mark.parametrize("path", EXAMPLE_FILES + sorted(CASES_DIR.glob("*.out.plan")), ids=lambda p: p.name)
def test_formatted_files_are_fixed_points(path):
    text = path.read_bytes().decode("utf-8")
    result = format_text(text, **CASE_OPTIONS.get(path.name[: -len(".out.plan")], {}))
    assert result.text == text


@pytest.mark.parametrize("path", EXAMPLE_FILES + sorted(CASES_DIR.glob("*.in.plan")), ids=lambda p: p.name)
def test_no_comment_is_dropped(path):
    text = path.read_bytes().decode("utf-8")
    doc = parse(text)
    out = format_text(text).text
    for c in doc.comments:
        assert c.text.rstrip() in out


# -- keyword language ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_round_trip_through_the_other_language(path):
    text = path.read_text(encoding="utf-8")
    own = dominant_lang(parse(text))
    for lang in ("zh", "en"):
        assert fmt(fmt(text, lang=lang), lang=own) == text
    zh = fmt(text, lang="zh")
    assert fmt(fmt(zh, lang="en"), lang="zh") == zh


def test_every_keyword_converts_to_the_canonical_form():
    for w in kw.BLOCKS:
        for spelling in w.spellings():
            assert fmt(f"{spelling} x", lang="zh") == f"{w.zh} x\n"
            assert fmt(f"{spelling} x", lang="en") == f"{w.en} x\n"
    for f in kw.FIELDS:
        for spelling in f.word.spellings():
            assert fmt(f"任务 {{ {spelling}：x }}", lang="zh") == f"任务 {{\n  {f.word.zh}：x\n}}\n"
            assert fmt(f"任务 {{ {spelling}：x }}", lang="en") == f"task {{\n  {f.word.en}：x\n}}\n"


def test_dominant_language_is_kept_and_aliases_canonicalized():
    en = "task t { lead: a\n responsible: b\n 牵头单位: c }\n"
    assert fmt(en) == "task t {\n  lead：a\n  responsible：b\n  lead：c\n}\n"
    zh = "任务 t { 牵头单位：a；lead：b }\n"
    assert fmt(zh) == "任务 t {\n  牵头：a\n  牵头：b\n}\n"
    assert format_text(zh).lang == "zh" and format_text(en).lang == "en"
    assert dominant_lang(parse("plan p\n任务 t")) == "zh"  # a tie stays Chinese


def test_unknown_keywords_and_enum_values_are_left_as_written():
    text = "任务 t {\n  牵头人：a\n  类型：专班\n}\n机构 x\n"
    assert fmt(text, lang="en") == "task t {\n  牵头人：a\n  kind：专班\n}\n\n机构 x\n"


# -- details ---------------------------------------------------------------------------------------------------


def test_requote_choices():
    def atom(text):
        return parse(f"单位 {text}").statements[0].headers[0]

    assert requote(atom('"甲"')) == "“甲”"
    assert requote(atom("「甲」")) == "“甲”"
    assert requote(atom("“甲“乙”丙”")) == "「甲“乙”丙」"
    assert requote(atom('"甲“乙”」"')) == '"甲“乙”」"'
    assert requote(atom("“甲“乙”」”")) == "“甲“乙”」”"
    assert requote(atom("甲")) == "甲"


def test_bom_and_trailing_white_space_go():
    assert fmt("\ufeff单位 甲   \n\n\n") == "单位 甲\n"


def test_options_are_validated():
    with pytest.raises(ValueError):
        format_text("", lang="fr")
    with pytest.raises(ValueError):
        format_text("", indent=-1)


def test_text_values_keep_their_separators_and_quotes():
    # the model reads a multi-item 说明 as written: its commas and quotes are content, not list syntax
    text = '文本 t {\n  说明：甲，乙,丙、丁\n  说明："一"，"二"\n  标题："整段"\n}\n'
    out = fmt(text)
    assert "说明：甲，乙,丙、丁" in out and '说明："一"，"二"' in out and "标题：“整段”" in out


def test_a_word_starting_with_a_stray_byte_order_mark_is_not_formatted():
    # the grammar reads U+FEFF as part of a word where it touches one, and as white space after white space
    text = "\ufeff任务 “三” {\n\ufeff 任务 “四” { 牵头：a } }\n"
    result = format_text(text)
    assert result.text == text and [(e.kind, e.start) for e in result.errors] == [("char", text.index("\ufeff", 1))]


def test_syntax_errors_are_reported_and_text_untouched():
    text = "任务 x {\n  牵头 区发改局\n"
    result = format_text(text)
    assert result.errors and result.text == text and result.lang is None


# -- properties over the examples ------------------------------------------------------------------------------

_WHOLE = {kw.ValueKind.TEXT, kw.ValueKind.PERIOD, kw.ValueKind.DATE, kw.ValueKind.ENUM, kw.ValueKind.BASELINE,
          kw.ValueKind.FLAG}
_STRING = re.compile(r'“(?:[^“”\n]|“[^“”\n]*”)*”|「[^」\n]*」|"[^"\n]*"')


def _ws(rnd: random.Random, nonempty: bool = False) -> str:
    choices = [" ", "  ", "\u3000", "\t", " \u3000 ", "   "] + ([] if nonempty else ["", ""])
    return rnd.choice(choices)


def _quote(rnd: random.Random, content: str) -> str:
    valid = [q for q in (f"“{content}”", f"「{content}」", f'"{content}"') if _STRING.fullmatch(q)]
    return rnd.choice(valid)


def scramble(text: str, rnd: random.Random, *, any_blank_lines: bool = False) -> str:
    """The same plan with randomized layout: white space (spaces, tabs, U+3000) in every layout position,
    extra blank lines, half- or full-width colons, separators and braces, ASCII or CJK quotes where the quotes
    are not part of a value, keywords in any of their spellings, blocks folded onto one line, CRLF."""
    doc = parse(text)
    assert not doc.errors
    edits: list[tuple[int, int, str]] = []
    folded: list[tuple[int, int]] = []
    comment_starts = [c.start for c in doc.comments]

    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset)

    for s in _walk(doc.statements):
        if isinstance(s, Field):
            spec = kw.field_spec(s.key.text)
            if spec is not None:
                edits.append((s.key.start, s.key.end, rnd.choice(spec.word.spellings())))
            if s.items:
                edits.append((s.key.end, s.items[0].start, _ws(rnd) + rnd.choice(":：") + _ws(rnd)))
            else:
                edits.append((s.key.end, s.colon_end, _ws(rnd) + rnd.choice(":：")))
            whole = spec is None or spec.kind in _WHOLE
            if whole and len(s.items) > 1:
                continue
            for a, b in zip(s.items, s.items[1:]):
                edits.append((a.end, b.start, _ws(rnd) + rnd.choice("、，,") + _ws(rnd)))
            for it in s.items:
                if len(it.atoms) == 1 and it.atoms[0].quoted:
                    a = it.atoms[0]
                    edits.append((a.start, a.end, _quote(rnd, a.value)))
            continue
        word = kw.block_word(s.keyword.text)
        if word is not None:
            edits.append((s.keyword.start, s.keyword.end, rnd.choice(word.spellings())))
        prev = s.keyword
        for h in s.headers:
            edits.append((prev.end, h.start, _ws(rnd, nonempty=True)))
            if h.quoted:
                edits.append((h.start, h.end, _quote(rnd, h.value)))
            prev = h
        if s.body is None:
            continue
        edits.append((prev.end, s.lbrace + 1, _ws(rnd) + rnd.choice("{｛")))
        edits.append((s.rbrace, s.rbrace + 1, rnd.choice("}｝")))
        fields_only = s.body and all(isinstance(x, Field) for x in s.body)
        quiet = not any(s.start <= c <= s.rbrace or line_of(c) == line_of(s.rbrace) for c in comment_starts)
        blank = re.search(r"\n[ \t\u3000]*\n", text[s.lbrace:s.rbrace])
        if fields_only and quiet and not blank and rnd.random() < 0.3:
            edits.append((s.lbrace + 1, s.body[0].start, _ws(rnd)))
            for a, b in zip(s.body, s.body[1:]):
                edits.append((a.end, b.start, _ws(rnd) + rnd.choice("；;") + _ws(rnd)))
            edits.append((s.body[-1].end, s.rbrace, _ws(rnd)))
            folded.append((s.lbrace, s.rbrace))
    # line starts (indentation and blank lines) and line ends, outside folded blocks
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for i, p in enumerate(starts):
        if any(a < p <= b for a, b in folded):
            continue
        blank_before = i >= 2 and not text[starts[i - 1]:p].strip()
        extra = ""
        if rnd.random() < 0.15 and (any_blank_lines or blank_before):
            extra = "\n" * rnd.randint(1, 3)
        edits.append((p, p, extra + _ws(rnd)))
        end = text.find("\n", p)
        if end != -1 and rnd.random() < 0.2 and not any(a <= end <= b for a, b in folded):
            edits.append((end, end, _ws(rnd)))
    edits.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for a, b, repl in edits:
        assert a >= pos, "overlapping edits"
        out.append(text[pos:a])
        out.append(repl)
        pos = b
    out.append(text[pos:])
    result = "".join(out)
    return result.replace("\n", "\r\n") if rnd.random() < 0.2 else result


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder holding every example (and so its units file) and a planlang.toml marking the root."""
    d = tmp_path_factory.mktemp("fmt-examples")
    for p in EXAMPLE_FILES:
        shutil.copy(p, d / p.name)
    (d / "planlang.toml").write_text("", encoding="utf-8")
    return d


_BASELINE: dict[str, str] = {}


def _compiled(workdir: Path, name: str, text: str) -> str:
    return plan_json(compile_file(workdir / f"{name}.plan", text=text).model)


def _baseline(workdir: Path, name: str) -> str:
    if name not in _BASELINE:
        _BASELINE[name] = _compiled(workdir, name, (workdir / f"{name}.plan").read_text(encoding="utf-8"))
    return _BASELINE[name]


PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(name=st.sampled_from(PLANS), seed=st.integers(0, 2**32 - 1),
       lang=st.sampled_from([None, "zh", "en"]), indent=st.integers(1, 8))
def test_formatting_never_changes_the_compiled_plan(workdir, name, seed, lang, indent):
    rnd = random.Random(seed)
    text = scramble((EXAMPLES / f"{name}.plan").read_text(encoding="utf-8"), rnd, any_blank_lines=True)
    baseline = _baseline(workdir, name)
    assert _compiled(workdir, name, text) == baseline  # the scrambler itself keeps the meaning
    out = fmt(text, lang=lang, indent=indent)
    assert _compiled(workdir, name, out) == baseline
    assert fmt(out, lang=lang, indent=indent) == out
    for c in parse(text).comments:
        assert c.text.rstrip() in out


@PROPERTY
@given(name=st.sampled_from([p.stem for p in EXAMPLE_FILES]), seed=st.integers(0, 2**32 - 1))
def test_layout_and_spelling_do_not_matter(name, seed):
    rnd = random.Random(seed)
    original = (EXAMPLES / f"{name}.plan").read_text(encoding="utf-8")
    text = scramble(original, rnd)
    for lang in ("zh", "en"):
        assert fmt(text, lang=lang) == fmt(original, lang=lang)
    zh = fmt(text, lang="zh")
    assert fmt(fmt(zh, lang="en"), lang="zh") == zh
    assert fmt(text, lang=dominant_lang(parse(original))) == original


# -- configuration ---------------------------------------------------------------------------------------------


def test_config_from_pyproject_found_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.planlang]\nindent = 4\nlang = "en"\nselect = ["PL1"]\n',
                                             encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "x.plan").write_text("", encoding="utf-8")
    config = load_config(deep / "x.plan")
    assert (config.indent, config.lang) == (4, "en")
    assert config.raw["select"] == ["PL1"]
    (tmp_path / "a" / "planlang.toml").write_text("indent = 3\n", encoding="utf-8")
    assert (load_config(deep / "x.plan").indent, load_config(deep / "x.plan").lang) == (3, None)


def test_config_defaults(tmp_path):
    config = load_config(tmp_path)
    assert (config.indent, config.lang) == (2, None)


@pytest.mark.parametrize("body, word", [('indent = "4"', "indent"), ("indent = 0", "indent"),
                                        ('lang = "fr"', "lang"), ("lnag = 1", "lnag"), ("indent = ", "TOML")])
def test_invalid_config_is_a_clear_error(tmp_path, body, word):
    (tmp_path / "planlang.toml").write_text(body + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(tmp_path / "x.plan")
    assert word in str(e.value) and "planlang.toml" in str(e.value)


# -- the command line ------------------------------------------------------------------------------------------


def _plan(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "planlang.toml").touch()
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


def test_cli_check(tmp_path):
    bad = _plan(tmp_path, "bad.plan", UNFORMATTED)
    good = _plan(tmp_path, "good.plan", FORMATTED)
    proc = run_cli("fmt", "--check", str(tmp_path))
    assert proc.returncode == 1
    assert "bad.plan" in proc.stdout and "good.plan" not in proc.stdout
    assert bad.read_text(encoding="utf-8") == UNFORMATTED
    proc = run_cli("fmt", "--check", str(good))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_diff_writes_nothing(tmp_path):
    bad = _plan(tmp_path, "bad.plan", UNFORMATTED)
    proc = run_cli("fmt", "--diff", str(bad))
    assert proc.returncode == 0
    assert "--- " in proc.stdout and "+++ " in proc.stdout
    assert "+  牵头：区发改局、区财政局" in proc.stdout
    assert bad.read_text(encoding="utf-8") == UNFORMATTED
    assert run_cli("fmt", "--diff", "--check", str(bad)).returncode == 1


def test_cli_stdin_to_stdout(tmp_path):
    proc = run_cli("fmt", "-", stdin=UNFORMATTED, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == FORMATTED
    proc = run_cli("fmt", "--lang", "en", "-", stdin=UNFORMATTED, cwd=tmp_path)
    assert proc.stdout.startswith("unit 区发改局\n\ntask “项目储备” {")
    proc = run_cli("fmt", "--check", "-", stdin=FORMATTED, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""


def test_cli_rewrites_only_what_changes(tmp_path):
    bad = _plan(tmp_path, "bad.plan", UNFORMATTED)
    (tmp_path / "sub").mkdir()
    good = _plan(tmp_path, "sub/good.plan", FORMATTED)
    past = 1_000_000_000
    for p in (bad, good):
        os.utime(p, ns=(past, past))
    proc = run_cli("fmt", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert bad.read_text(encoding="utf-8") == FORMATTED
    assert good.stat().st_mtime_ns == past
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    os.utime(bad, ns=(past, past))
    assert run_cli("fmt", str(bad)).returncode == 0
    assert bad.stat().st_mtime_ns == past


def test_cli_crlf_is_written_with_lf(tmp_path):
    p = _plan(tmp_path, "crlf.plan", FORMATTED.replace("\n", "\r\n"))
    assert run_cli("fmt", "--check", str(p)).returncode == 1
    assert run_cli("fmt", str(p)).returncode == 0
    assert p.read_bytes() == FORMATTED.encode("utf-8")


def test_cli_syntax_error_leaves_the_file_untouched(tmp_path):
    text = "任务 “项目” {\n  牵头：区发改局\n"
    p = _plan(tmp_path, "broken.plan", text)
    ok = _plan(tmp_path, "ok.plan", UNFORMATTED)
    before = p.stat().st_mtime_ns
    proc = run_cli("fmt", str(tmp_path))
    assert proc.returncode == 1
    assert "PL001" in proc.stderr and "broken.plan:1:" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert p.read_bytes() == text.encode("utf-8") and p.stat().st_mtime_ns == before
    assert ok.read_text(encoding="utf-8") == FORMATTED  # the other file is still formatted
    proc = run_cli("fmt", "-", stdin=text, cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == text


def test_cli_not_utf8_is_pl004_untouched(tmp_path):
    p = tmp_path / "gbk.plan"
    data = UNFORMATTED.encode("gb18030")
    p.write_bytes(data)
    proc = run_cli("fmt", str(p))
    assert proc.returncode == 1 and "PL004" in proc.stderr
    assert p.read_bytes() == data


def test_cli_configuration_and_overrides(tmp_path):
    (tmp_path / "planlang.toml").write_text('indent = 4\nlang = "en"\n', encoding="utf-8")
    p = tmp_path / "a.plan"
    p.write_text(UNFORMATTED, encoding="utf-8")
    assert run_cli("fmt", str(p)).returncode == 0
    assert p.read_text(encoding="utf-8") == fmt(UNFORMATTED, lang="en", indent=4)
    assert "    lead：区发改局、区财政局\n" in p.read_text(encoding="utf-8")
    assert run_cli("fmt", "--lang", "zh", "--indent", "2", str(p)).returncode == 0
    assert p.read_text(encoding="utf-8") == FORMATTED


def test_cli_usage_and_configuration_errors_exit_2(tmp_path):
    proc = run_cli("fmt", str(tmp_path / "missing.plan"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert run_cli("fmt", "--indent", "0", str(tmp_path)).returncode == 2
    assert run_cli("fmt", "--lang", "fr", str(tmp_path)).returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("fmt", str(empty)).returncode == 2
    (tmp_path / "planlang.toml").write_text('lang = "fr"\n', encoding="utf-8")
    p = tmp_path / "a.plan"
    p.write_text(UNFORMATTED, encoding="utf-8")
    proc = run_cli("fmt", str(p))
    assert proc.returncode == 2
    assert "planlang.toml" in proc.stderr and "lang" in proc.stderr and "Traceback" not in proc.stderr
    assert p.read_text(encoding="utf-8") == UNFORMATTED


def test_cli_examples_are_formatted():
    proc = run_cli("fmt", "--check", "examples/")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_examples_in_english_and_back(tmp_path):
    for p in EXAMPLE_FILES:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "planlang.toml").touch()
    assert run_cli("fmt", "--lang", "en", str(tmp_path)).returncode == 0
    for p in tmp_path.glob("*.plan"):
        assert dominant_lang(parse(p.read_text(encoding="utf-8"))) == "en"
    zh = [str(tmp_path / p.name) for p in EXAMPLE_FILES if dominant_lang(parse(p.read_text(encoding="utf-8"))) == "zh"]
    assert run_cli("fmt", "--lang", "zh", *zh).returncode == 0
    for p in EXAMPLE_FILES:
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name
