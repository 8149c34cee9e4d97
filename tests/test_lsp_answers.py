"""The language server's answers about places, held against golden files: hover, definition, references and
completion at every word of two examples (and one place inside each word), inlay hints for the whole document
and for windows of it, semantic tokens, the outline and folding. The golden files were written by the server
before its requests were indexed; an indexed answer must be the same, byte for byte, as the walk it replaced.

Set PLANLANG_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change; a missing golden fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import converters, types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import EXAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden" / "lsp"
UPDATE = os.environ.get("PLANLANG_UPDATE_GOLDEN") == "1"
PLANS = {"nanhu-2023": ["nanhu-units.plan"], "english-keywords": []}
_WORD = re.compile(r"[^\s“”「」\"：:，,、；;{}｛｝#]+|[：:]")

_json = converters.get_converter()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "planlang", "lsp"]))
async def client(lsp_client: LanguageClient):
    yield lsp_client
    await lsp_client.shutdown_session()


def _utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def places(text: str) -> list[types.Position]:
    """The start of every word (and of every colon: completion after a field's colon), one character into it,
    and every line's end."""
    out = []
    for n, line in enumerate(text.split("\n")):
        cols = {len(line)}
        for m in _WORD.finditer(line):
            cols.add(m.start())
            cols.add(min(m.start() + 1, m.end()))
            cols.add(m.end())
        out += [types.Position(line=n, character=_utf16(line[:c])) for c in sorted(cols)]
    return out


def _plain(value) -> object:
    return _json.unstructure(value)


@pytest.mark.parametrize("name", list(PLANS))
async def test_answers_about_places_are_the_golden_ones(client, tmp_path, name):
    for f in [f"{name}.plan", *PLANS[name]]:
        shutil.copy(EXAMPLES / f, tmp_path / f)
    (tmp_path / "planlang.toml").touch()
    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri(),
        initialization_options={"debounce": 0}))
    plan = tmp_path / f"{name}.plan"
    text = plan.read_text(encoding="utf-8")
    uri = plan.resolve().as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="plan", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    tid = types.TextDocumentIdentifier(uri=uri)
    base = tmp_path.as_uri()

    answers: dict[str, object] = {}  # what was asked → its answer's number
    distinct: dict[str, int] = {}  # an answer's JSON → its number (completion lists repeat a lot)

    def number(value) -> int:
        shown = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True).replace(base, "WS")
        return distinct.setdefault(shown, len(distinct))

    def keep(key: str, value) -> None:
        answers[key] = number(value)

    for p in places(text):  # one entry a place: [hover, definition, references, completion]
        answers[f"{p.line}:{p.character}"] = [
            number(await client.text_document_hover_async(types.HoverParams(text_document=tid, position=p))),
            number(await client.text_document_definition_async(types.DefinitionParams(text_document=tid, position=p))),
            number(await client.text_document_references_async(types.ReferenceParams(
                text_document=tid, position=p, context=types.ReferenceContext(include_declaration=True)))),
            number(await client.text_document_completion_async(types.CompletionParams(text_document=tid, position=p))),
        ]
    lines = text.count("\n") + 1
    for lo in [*range(0, lines, 25), 0]:
        hi = lines if lo == 0 else lo + 25
        keep(f"inlay hints {lo}-{hi}", await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=tid, range=types.Range(start=types.Position(line=lo, character=0),
                                                 end=types.Position(line=hi, character=0)))))
    tokens = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=tid))
    keep("semantic tokens", tokens.data)
    keep("outline", await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=tid)))
    keep("folding", await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=tid)))

    def rows(pairs) -> str:
        return ",\n".join(f"  {row}" for row in pairs)

    actual = ('{\n "distinct": [\n' + rows(distinct) + '\n ],\n "answers": {\n'
              + rows(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in answers.items()) + "\n }\n}\n")
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"missing golden {path.name}; run with PLANLANG_UPDATE_GOLDEN=1 and review the diff"
    expected = json.loads(path.read_text(encoding="utf-8"))
    got = json.loads(actual)
    assert len(got["answers"]) > 900  # places asked about

    def shown(data: dict, key: str):
        n = data["answers"][key]
        return [data["distinct"][i] for i in n] if isinstance(n, list) else data["distinct"][n]

    assert sorted(got["answers"]) == sorted(expected["answers"])
    differ = [k for k in expected["answers"] if shown(expected, k) != shown(got, k)]
    assert not differ, f"{len(differ)} answers differ from the golden ones, first: {differ[:5]}"
