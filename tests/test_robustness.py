"""Robustness: no input makes planlang raise, and outputs are deterministic.

- property tests (hypothesis, bounded): any text and mutated examples through `compile_file` and the formatter;
  every diagnostic has a PLnnn code and spans that lie inside their document;
- the real CLI on mutated plans: no traceback, exit 0/1/2 only;
- hostile files, each through `python -m planlang check`: encodings, BOM, CRLF, full-width punctuation, empty,
  binary, 10 MB, a 200k-character line, 1,000-deep nesting, include cycles and escapes;
- the language server under random requests at random positions, and random edits;
- `planlang compile` is byte-for-byte the same across working directories and PYTHONHASHSEED values.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import EXAMPLES, ROOT, run_cli
from planlang.pipeline import compile_file
from planlang.syntax import parse

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
CODE = re.compile(r"PL\d{3}")
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.plan"))
PLANS = [n for n in EXAMPLE_FILES if not n.endswith("-units.plan")]

# -- helpers ---------------------------------------------------------------------------------------------------


def _workspace(folder: Path) -> Path:
    """A folder that is its own workspace root (default settings) holding every example."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planlang.toml").touch()
    for name in EXAMPLE_FILES:
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planlang.toml").touch()
    path = folder / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _check_result(path: Path, text: str, result) -> None:
    """Every diagnostic has a code and spans inside their documents; the root file's text is the one given
    (as an editor buffer, passed with `text=`: a leading BOM stays in it)."""
    for d in result.diagnostics:
        assert CODE.fullmatch(d.code), d.code
        for span in (d.span, *(r.span for r in d.related)):
            n = len(span.file.text)
            assert 0 <= span.start <= span.end <= n, (d.code, span.start, span.end, n)
        if Path(d.span.file.path).name == path.name:
            assert d.span.file.text == text


def _cli(*args: str, cwd: Path | None = None, ok=(0, 1)) -> subprocess.CompletedProcess:
    """The real CLI; never a traceback, and the exit code is one of `ok`."""
    r = run_cli(*args, cwd=cwd)
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert r.returncode in ok, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    return r


def _check_json(path: Path, cwd: Path | None = None) -> tuple[int, list[dict]]:
    r = _cli("check", "--format", "json", str(path), cwd=cwd or path.parent)
    return r.returncode, json.loads(r.stdout)["diagnostics"]


def _codes(diags: list[dict]) -> list[str]:
    return sorted(d["code"] for d in diags)


def _where(diags: list[dict]) -> list[tuple]:
    """Diagnostics without byte offsets: code, severity, 1-based line and column, message."""
    out = []
    for d in diags:
        keep = {k: v for k, v in d.items() if k not in ("file", "path", "offset", "start_offset", "end_offset")}
        out.append(json.dumps(keep, sort_keys=True, ensure_ascii=False))
    return sorted(out)


# -- property tests --------------------------------------------------------------------------------------------

# the strategies are shared with bench/fuzz.py; their defaults are this suite's bounded ones
from strategies import ANY_TEXT, CJK, PUNCT, REPLACEMENTS, WORDS, mutated_example  # noqa: E402


FUZZ = settings(max_examples=int(os.environ.get("PLANLANG_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return _workspace(tmp_path_factory.mktemp("robust"))


@FUZZ
@given(text=ANY_TEXT)
def test_compile_any_text(ws, text):
    path = ws / "fuzz.plan"
    _check_result(path, text, compile_file(path, text=text))


@FUZZ
@given(case=mutated_example())
def test_compile_mutated_examples(ws, case):
    name, text = case
    path = ws / name  # the editor-buffer path: the mutated text replaces the file, its includes are on disk
    _check_result(path, text, compile_file(path, text=text))


@settings(max_examples=100, deadline=None)
@given(text=st.one_of(ANY_TEXT, mutated_example().map(lambda c: c[1])))
def test_format_never_raises(text):
    from planlang.syntax.format import format_text

    result = format_text(text)
    if not result.errors:  # what the formatter writes parses cleanly
        assert not parse(result.text).errors


def _mutations(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = (EXAMPLES / rng.choice(PLANS)).read_text(encoding="utf-8")
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(text))
            j = min(len(text), i + rng.randint(0, 300))
            op = rng.choice("drs")
            if op == "d":
                text = text[:i] + text[j:]
            elif op == "r":
                text = text[:i] + "".join(rng.choice(REPLACEMENTS) for _ in range(j - i)) + text[j:]
            else:
                k = rng.randrange(len(text))
                text = text[:k] + text[i:j] + text[k:]
        out.append(text)
    return out


def test_cli_never_prints_a_traceback(tmp_path):
    """check, compile and fmt --check through the real CLI on mutated plans and odd inputs: exit 0/1 only."""
    ws = _workspace(tmp_path)
    texts = _mutations(20230628, 5) + ["", "\n\n", "{", "}", "任务 {", "：：：", "引用 “.”", "引用 “nanhu-units.plan”\n" * 3]
    files = [_write(ws, f"m{i}.plan", t) for i, t in enumerate(texts)]
    _cli("check", *map(str, files), cwd=ws)
    _cli("check", "--format", "sarif", *map(str, files), cwd=ws)
    _cli("fmt", "--check", *map(str, files), cwd=ws)
    for f in files[:5] + files[-2:]:
        r = _cli("compile", str(f), cwd=ws)
        if r.returncode == 1:
            assert r.stdout == ""  # nothing written on error


# -- hostile files through the real CLI ------------------------------------------------------------------------

def test_gbk_file_is_pl004_and_mentions_gb18030(tmp_path):
    text = (EXAMPLES / "nanhu-units.plan").read_text(encoding="utf-8")
    path = _write(tmp_path, "gbk.plan", text.encode("gbk"))
    r = _cli("check", str(path), cwd=tmp_path)
    assert r.returncode == 1
    assert "PL004" in r.stdout and "GB18030" in r.stdout


def test_gb18030_only_characters_are_pl004(tmp_path):
    text = "单位 区发改局 “𠀀𠀁区发展和改革局” # 扩展B区汉字，只有 GB18030 能编码\n" * 20
    path = _write(tmp_path, "gb18030.plan", text.encode("gb18030"))
    r = _cli("check", str(path), cwd=tmp_path)
    assert r.returncode == 1 and "PL004" in r.stdout and "GB18030" in r.stdout


def test_invalid_utf8_in_the_middle_is_pl004_with_its_line(tmp_path):
    data = "单位 区发改局\n单位 区财政局\n".encode("utf-8") + b"\xff\xfe bad\n" + "单位 区住建局\n".encode("utf-8")
    path = _write(tmp_path, "bad.plan", data)
    _, diags = _check_json(path)
    [d] = [d for d in diags if d["code"] == "PL004"]
    assert "3" in json.dumps(d, ensure_ascii=False)  # the message or position names line 3


def test_utf8_bom_is_clean_and_same_as_without(tmp_path):
    ws = _workspace(tmp_path)
    plain = ws / "nanhu-2023.plan"
    bom = _write(ws, "bom.plan", b"\xef\xbb\xbf" + plain.read_bytes())
    code_plain, d_plain = _check_json(plain)
    code_bom, d_bom = _check_json(bom)
    assert code_bom == code_plain == 0
    assert "PL004" not in _codes(d_bom)
    assert _codes(d_bom) == _codes(d_plain)


def test_crlf_is_clean_with_the_same_diagnostics_as_lf(tmp_path):
    ws = _workspace(tmp_path)
    lf = ws / "nanhu-2023.plan"
    crlf = _write(ws, "crlf.plan", lf.read_bytes().replace(b"\n", b"\r\n"))
    code_lf, d_lf = _check_json(lf)
    code_crlf, d_crlf = _check_json(crlf)
    assert code_lf == code_crlf == 0
    assert _where(d_crlf) == _where(d_lf)
    # and a CRLF file with an error reports it at the same line and column as the LF one
    bad = lf.read_text(encoding="utf-8").replace("牵头：区发改局", "牵头：区发该局", 1)
    lf_bad, crlf_bad = _write(ws, "lf-bad.plan", bad), _write(ws, "crlf-bad.plan", bad.replace("\n", "\r\n"))
    assert _where(_check_json(crlf_bad)[1]) == _where(_check_json(lf_bad)[1])


def test_full_width_everything_is_clean(tmp_path):
    text = (HOSTILE / "fullwidth.plan").read_text(encoding="utf-8")
    for ch in "：，、“”「」｛｝；\u3000":
        assert ch in text, ch
    path = _write(tmp_path, "fullwidth.plan", text)
    code, diags = _check_json(path)
    assert code == 0 and not [d for d in diags if d["severity"] == "error"], diags
    half = text.translate(str.maketrans({"：": ":", "，": ",", "、": ",", "“": '"', "”": '"', "「": '"', "」": '"',
                                         "｛": "{", "｝": "}", "；": ";", "\u3000": " "}))
    code_half, diags_half = _check_json(_write(tmp_path, "halfwidth.plan", half))
    assert code_half == 0 and _codes(diags_half) == _codes(diags)


def test_empty_file(tmp_path):
    path = _write(tmp_path, "empty.plan", b"")
    r = _cli("check", str(path), cwd=tmp_path)
    assert r.returncode in (0, 1)
    _cli("compile", str(path), cwd=tmp_path)
    _cli("fmt", "--check", str(path), cwd=tmp_path, ok=(0,))


def _binary() -> bytes:
    rng = random.Random(4)
    return bytes(rng.randrange(256) for _ in range(4096)) + b"\x00" * 64 + bytes(rng.randrange(256) for _ in range(4096))


def test_binary_file_no_traceback(tmp_path):
    path = _write(tmp_path, "binary.plan", _binary())
    assert _cli("check", str(path), cwd=tmp_path).returncode == 1
    _cli("compile", str(path), cwd=tmp_path)
    _cli("fmt", "--check", str(path), cwd=tmp_path)


def test_binary_file_is_pl004(tmp_path):
    path = _write(tmp_path, "binary.plan", _binary())
    r = _cli("check", str(path), cwd=tmp_path)
    assert r.returncode == 1 and "PL004" in r.stdout


def test_pl004_is_not_hidden_by_a_syntax_error_on_its_line(tmp_path):
    path = _write(tmp_path, "min.plan", b'x\xff"\n')  # an invalid byte, then an unclosed quote
    result = compile_file(path)
    assert "PL004" in {d.code for d in result.diagnostics}


def test_nul_bytes_in_valid_utf8(tmp_path):
    path = _write(tmp_path, "nul.plan", "单位 区发改局\n任务 “a\x00b” {\n  牵头：区发\x00改局\n}\n\x00\x00\n")
    _cli("check", str(path), cwd=tmp_path)
    _cli("compile", str(path), cwd=tmp_path)
    _cli("fmt", "--check", str(path), cwd=tmp_path)


def test_ten_megabyte_file_finishes(tmp_path):
    desc = "紧盯国家政策和资金投向，超前储备一批大项目、好项目、战略性项目，建立项目清单、责任清单、时限清单，实行挂图作战、销号管理。" * 6
    head = "方案 大 “大文件” {\n  周期：2023年\n}\n单位 区发改局\n单位 各街道办事处 { 类型：集体 }\n"
    task = f"任务 “加快推进重点项目建设{{n}}” {{{{\n  说明：“{desc}”\n  牵头：区发改局\n  负责：各街道办事处\n  时限：2023年6月底前\n}}}}\n"
    parts, size, n = [head], len(head.encode("utf-8")), 0
    while size < 10 * 1024 * 1024:
        block = task.format(n=n)
        parts.append(block)
        size += len(block.encode("utf-8"))
        n += 1
    path = _write(tmp_path, "big.plan", "".join(parts))
    _cli("check", str(path), cwd=tmp_path)


def test_a_200k_character_line(tmp_path):
    text = "单位 区发改局\n任务 “长” {\n  牵头：区发改局\n  说明：“" + "长" * 200_000 + "”\n}\n" + "单位 " + "区" * 200_000 + "\n"
    path = _write(tmp_path, "long.plan", text)
    _cli("check", str(path), cwd=tmp_path)
    _cli("fmt", "--check", str(path), cwd=tmp_path)


def _deep(levels: int) -> str:
    lines = ["单位 区发改局"]
    for i in range(levels):
        lines.append("  " * i + f"任务 “第{i}层” {{")
    lines.append("  " * levels + "牵头：区发改局")
    for i in reversed(range(levels)):
        lines.append("  " * i + "}")
    return "\n".join(lines) + "\n"


def test_tasks_nested_1000_deep(tmp_path):
    path = _write(tmp_path, "deep.plan", _deep(1000))
    r = _cli("check", str(path), cwd=tmp_path)
    assert r.returncode == 1
    assert "PL001" in r.stdout and ("嵌套" in r.stdout or "nest" in r.stdout)
    _cli("compile", str(path), cwd=tmp_path)


def test_fmt_on_tasks_nested_1000_deep(tmp_path):
    path = _write(tmp_path, "deep.plan", _deep(1000))
    _cli("fmt", "--check", str(path), cwd=tmp_path)


def test_many_unclosed_blocks(tmp_path):
    path = _write(tmp_path, "unclosed.plan", "任务 {" * 1000)
    result = compile_file(path)
    assert "PL001" in {d.code for d in result.diagnostics}


def test_error_recovery_on_a_line_of_braces_finishes(tmp_path):
    path = _write(tmp_path, "braces.plan", "{" * 16_000)
    try:
        r = subprocess.run([sys.executable, "-m", "planlang", "check", str(path)], cwd=tmp_path, capture_output=True,
                           timeout=5)
    except subprocess.TimeoutExpired:
        raise AssertionError("planlang check did not finish in 5 s on a 16 KB file") from None
    assert r.returncode == 1


def test_syntax_error_at_line_end_names_the_line_end(tmp_path):
    path = _write(tmp_path, "nl.plan", "单位 区发改局\n任务 “t” {\n  牵头：区发改局\n  abc\n}\n")
    [d] = [d for d in compile_file(path).diagnostics if d.code == "PL001"]
    assert "\n" not in d.message.zh and "\n" not in d.message.en, (d.message.zh, d.message.en)


def _include_diags(tmp_path: Path, name: str) -> list[dict]:
    code, diags = _check_json(tmp_path / name, cwd=tmp_path)
    assert code == 1
    return diags


def test_include_cycle(tmp_path):
    _write(tmp_path, "a.plan", "引用 “b.plan”\n单位 区发改局\n")
    _write(tmp_path, "b.plan", "引用 “a.plan”\n单位 区财政局\n")
    diags = _include_diags(tmp_path, "a.plan")
    assert any(d["code"] == "PL005" and "b.plan" in d["message"] for d in diags), diags


def test_file_that_includes_itself(tmp_path):
    _write(tmp_path, "self.plan", "引用 “self.plan”\n单位 区发改局\n")
    assert "PL005" in _codes(_include_diags(tmp_path, "self.plan"))


def test_include_escaping_the_workspace(tmp_path):
    ws = tmp_path / "ws"
    _write(tmp_path / "outside", "secret.plan", "单位 区外\n")
    (tmp_path / "outside" / "planlang.toml").unlink()
    _write(ws, "plan.plan", "引用 “../outside/secret.plan”\n单位 区发改局\n")
    assert "PL005" in _codes(_include_diags(ws, "plan.plan"))


def test_include_escaping_the_workspace_through_a_symlink(tmp_path):
    ws = tmp_path / "ws"
    _write(tmp_path / "outside", "secret.plan", "单位 区外\n")
    _write(ws, "plan.plan", "引用 “link/secret.plan”\n单位 区发改局\n")
    (ws / "link").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert "PL005" in _codes(_include_diags(ws, "plan.plan"))


@pytest.mark.parametrize("target", ["sub", ".", "..", "missing.plan", "sub/missing.plan", ""],
                         ids=["directory", "dot", "dotdot", "missing", "missing-in-folder", "empty"])
def test_include_of_a_directory_or_a_missing_file(tmp_path, target):
    (tmp_path / "sub").mkdir()
    _write(tmp_path, "plan.plan", f"引用 “{target}”\n单位 区发改局\n")
    assert "PL005" in _codes(_include_diags(tmp_path, "plan.plan"))


def test_include_of_a_symlink_loop(tmp_path):
    (tmp_path / "loop.plan").symlink_to("loop.plan")
    _write(tmp_path, "plan.plan", "引用 “loop.plan”\n单位 区发改局\n")
    assert "PL005" in _codes(_include_diags(tmp_path, "plan.plan"))


def test_plan_path_that_is_a_directory_or_missing(tmp_path):
    (tmp_path / "dir.plan").mkdir()
    r = _cli("check", str(tmp_path / "dir.plan"), cwd=tmp_path, ok=(0, 2))
    _cli("check", str(tmp_path / "missing.plan"), cwd=tmp_path, ok=(2,))
    _cli("compile", str(tmp_path / "missing.plan"), cwd=tmp_path, ok=(2,))
    assert r.returncode in (0, 2)


# -- the language server ---------------------------------------------------------------------------------------

@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "planlang", "lsp"]))
async def client(lsp_client: LanguageClient):
    yield lsp_client
    await lsp_client.shutdown_session()


def _garbage(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(50, 200)):
        r = rng.random()
        if r < 0.4:
            parts.append(rng.choice(WORDS))
        elif r < 0.8:
            parts.append("".join(rng.choice(PUNCT + CJK) for _ in range(rng.randint(1, 5))))
        else:
            parts.append("".join(chr(rng.choice([rng.randint(1, 0x2FF), rng.randint(0x4E00, 0x9FFF),
                                                 rng.randint(0x1F300, 0x1F6FF)])) for _ in range(rng.randint(1, 3))))
    return "".join(parts)


async def _wait_version(client: LanguageClient, uri: str, version: int, timeout: float = 30) -> None:
    async def loop():
        while True:
            params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if getattr(params, "uri", uri) == uri and getattr(params, "version", version) == version:
                return
    await asyncio.wait_for(loop(), timeout)


def _requests(client: LanguageClient, tid: types.TextDocumentIdentifier, pos: types.Position):
    rng_ = types.Range(start=pos, end=types.Position(line=pos.line + 3, character=pos.character + 7))
    return [
        client.text_document_hover_async(types.HoverParams(text_document=tid, position=pos)),
        client.text_document_completion_async(types.CompletionParams(text_document=tid, position=pos)),
        client.text_document_definition_async(types.DefinitionParams(text_document=tid, position=pos)),
        client.text_document_references_async(types.ReferenceParams(
            text_document=tid, position=pos, context=types.ReferenceContext(include_declaration=True))),
        client.text_document_prepare_rename_async(types.PrepareRenameParams(text_document=tid, position=pos)),
        client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=tid)),
        client.text_document_folding_range_async(types.FoldingRangeParams(text_document=tid)),
        client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=tid)),
        client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=tid, options=types.FormattingOptions(tab_size=2, insert_spaces=True))),
        client.text_document_code_action_async(types.CodeActionParams(
            text_document=tid, range=rng_, context=types.CodeActionContext(diagnostics=[types.Diagnostic(
                range=rng_, message="x", code="PL101", source="planlang")]))),
        client.text_document_inlay_hint_async(types.InlayHintParams(text_document=tid, range=rng_)),
    ]


async def _hammer(client: LanguageClient, uri: str, text: str, rng: random.Random, count: int) -> int:
    """Send every request kind at `count` random positions (some past the end); returns the answers seen."""
    tid = types.TextDocumentIdentifier(uri=uri)
    lines = text.split("\n")
    answered = 0
    for _ in range(count):
        line = rng.choice([rng.randrange(len(lines)), len(lines) - 1, len(lines) + rng.randint(0, 50)])
        width = len(lines[line].encode("utf-16-le")) // 2 if line < len(lines) else 0
        char = rng.choice([0, width, width + rng.randint(1, 500), rng.randint(0, max(1, width))])
        for fut in _requests(client, tid, types.Position(line=line, character=char)):
            try:
                await asyncio.wait_for(fut, 30)
            except asyncio.TimeoutError:
                raise AssertionError(f"no answer at {line}:{char}")
            except Exception:  # noqa: BLE001 — an error response is an answer
                pass
            answered += 1
    return answered


def _failures(client: LanguageClient) -> list[str]:
    return [m.message for m in client.log_messages if "failed" in m.message]


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_server_survives_garbage_and_random_requests(client, tmp_path, seed):
    ws = _workspace(tmp_path)
    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=ws.as_uri(), initialization_options={"debounce": 0}))
    rng = random.Random(seed)
    path = ws / "garbage.plan"
    uri = path.resolve().as_uri()
    text = _garbage(rng)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="plan", version=1, text=text)))
    await _wait_version(client, uri, 1)
    assert await _hammer(client, uri, text, rng, 8) == 8 * 11
    # a later valid edit still gets its diagnostics
    valid = (EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8").replace("牵头：区发改局", "牵头：区发该局", 1)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=valid)]))
    await _wait_version(client, uri, 2)
    assert any(d.code == "PL101" for d in client.diagnostics[uri])
    assert not _failures(client), _failures(client)


async def test_server_survives_random_edits(client, tmp_path):
    ws = _workspace(tmp_path)
    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=ws.as_uri(), initialization_options={"debounce": 0}))
    rng = random.Random(99)
    path = ws / "nanhu-2023.plan"
    uri = path.resolve().as_uri()
    text = path.read_text(encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="plan", version=1, text=text)))
    await _wait_version(client, uri, 1)
    version = 1
    for _ in range(40):
        version += 1
        lines = text.split("\n")
        a = rng.randrange(len(lines))
        b = min(len(lines) - 1, a + rng.randint(0, 3))
        ca = rng.randint(0, len(lines[a]))
        cb = rng.randint(0, len(lines[b])) if b > a else rng.randint(ca, len(lines[b]))
        new = rng.choice(["", "{", "}", "：", "\n", "任务 “x” {", rng.choice(WORDS), _garbage(rng)[:20]])
        # apply it locally (code points == UTF-16 units here: the examples are BMP-only)
        start = sum(len(x) + 1 for x in lines[:a]) + ca
        end = sum(len(x) + 1 for x in lines[:b]) + cb
        text = text[:start] + new + text[end:]
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=a, character=ca), end=types.Position(line=b, character=cb)),
                text=new)]))
        if rng.random() < 0.3:
            await _hammer(client, uri, text, rng, 1)
    await _wait_version(client, uri, version)
    # the server's text and ours agree, and it still answers
    version += 1
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=path.read_text(encoding="utf-8"))]))
    await _wait_version(client, uri, version)
    assert not [d for d in client.diagnostics[uri] if d.severity == types.DiagnosticSeverity.Error]
    assert not _failures(client), _failures(client)


async def _deep_session(client: LanguageClient, folder: Path) -> str:
    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=folder.as_uri(), initialization_options={"debounce": 0}))
    (folder / "planlang.toml").touch()
    uri = (folder / "deep.plan").resolve().as_uri()
    text = _deep(1000)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="plan", version=1, text=text)))
    await _wait_version(client, uri, 1)
    assert any(d.code == "PL001" for d in client.diagnostics[uri])
    assert await _hammer(client, uri, text, random.Random(5), 2) == 2 * 11
    return uri


async def test_server_survives_deep_nesting(client, tmp_path):
    uri = await _deep_session(client, tmp_path)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text="单位 区发改局\n")]))
    await _wait_version(client, uri, 2)
    assert not [d for d in client.diagnostics[uri] if d.severity == types.DiagnosticSeverity.Error]


async def test_server_features_work_on_deep_nesting(client, tmp_path):
    await _deep_session(client, tmp_path)
    assert not _failures(client), _failures(client)


# -- determinism -----------------------------------------------------------------------------------------------

def test_compile_is_byte_for_byte_deterministic(tmp_path):
    """Each example compiled from two working directories with PYTHONHASHSEED 0 and 12345 (stdout vs -o)."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    base = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    procs = []
    for name in EXAMPLE_FILES:
        src = EXAMPLES / name
        out = b / f"{name}.json"
        pa = subprocess.Popen([sys.executable, "-m", "planlang", "compile", str(src)], cwd=a, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env={**base, "PYTHONHASHSEED": "0"})
        pb = subprocess.Popen([sys.executable, "-m", "planlang", "compile", str(src), "-o", str(out)], cwd=b,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**base, "PYTHONHASHSEED": "12345"})
        procs.append((name, out, pa, pb))
    compiled = 0
    for name, out, pa, pb in procs:
        sa, ea = pa.communicate(timeout=120)
        _, eb = pb.communicate(timeout=120)
        assert b"Traceback" not in ea + eb
        assert pa.returncode == pb.returncode, name
        if pa.returncode == 0:
            assert out.read_bytes() == sa, name
            compiled += 1
        else:
            assert not out.exists(), name  # nothing written on error
    assert compiled >= len(PLANS)


# -- the long fuzzer's properties, bounded -------------------------------------------------------------------


def _fuzz_module():
    """bench/fuzz.py: its `run_case` holds the properties the long fuzzer checks."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("planlang_bench_fuzz", ROOT / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fuzz_ws(tmp_path_factory):
    fuzz = _fuzz_module()
    return fuzz, fuzz.make_workspace(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=int(os.environ.get("PLANLANG_FUZZ_EXAMPLES", "150")) // 3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_kind_of_edit_passes_the_fuzzers_properties(fuzz_ws, data):
    """What `bench/fuzz.py` checks, on a bounded number of inputs: an example after edits of every kind (U+3000,
    BOM, CR, NUL, astral characters, half/full-width punctuation, lines and braces, Chinese/English keywords),
    or wild text, through compile (as a buffer), the check reports, the renders, the incremental path and the
    formatter (idempotent, same compiled plan)."""
    import strategies as S

    fuzz, ws = fuzz_ws
    if data.draw(st.booleans(), label="example"):
        name, text = data.draw(S.wild_example(), label="edited example")
        case = fuzz.Case(text, name, before=S.example_text(name))
    else:
        case = fuzz.Case(data.draw(S.WILD_TEXT, label="text"))
    case.lang = data.draw(st.sampled_from([None, "zh", "en"]), label="lang")
    fuzz.run_case(ws, case)
