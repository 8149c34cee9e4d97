"""Requests about part of a document: semantic tokens of a range and as a delta against the last answer, and
range formatting (the top-level statements a range touches, never text outside them)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from test_lsp import apply_edits, change, client, open_doc, start, uri, ws  # noqa: F401 — fixtures

FORMAT_CASES = Path(__file__).resolve().parent / "format_cases"
OPTS = types.FormattingOptions(tab_size=2, insert_spaces=True)


def absolute(data: list[int]) -> list[tuple[int, int, int, int, int]]:
    """Semantic tokens as (line, character, length, type, modifiers)."""
    out, line, char = [], 0, 0
    for i in range(0, len(data), 5):
        dl, dc, length, ttype, mods = data[i:i + 5]
        line, char = line + dl, (char + dc if dl == 0 else dc)
        out.append((line, char, length, ttype, mods))
    return out


def whole(text: str) -> types.Range:
    lines = text.split("\n")
    return types.Range(start=types.Position(line=0, character=0),
                       end=types.Position(line=len(lines) - 1, character=len(lines[-1].encode("utf-16-le")) // 2))


def lines(a: int, b: int) -> types.Range:
    return types.Range(start=types.Position(line=a, character=0), end=types.Position(line=b, character=0))


async def test_the_server_offers_tokens_by_range_and_delta_and_range_formatting(client, ws):
    result = await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=ws.as_uri(), initialization_options={"debounce": 0}))
    caps = result.capabilities
    assert caps.semantic_tokens_provider.range is True
    assert caps.semantic_tokens_provider.full == types.SemanticTokensFullDelta(delta=True)
    assert caps.document_range_formatting_provider


async def test_semantic_tokens_of_a_range_are_the_whole_documents_tokens_in_it(client, ws):
    await start(client, ws)
    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    await open_doc(client, plan, text)
    tid = types.TextDocumentIdentifier(uri=uri(plan))
    full = absolute((await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=tid))).data)
    everything = await client.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(text_document=tid, range=whole(text)))
    assert absolute(everything.data) == full
    n = text.count("\n")
    for a, b in [(0, 10), (40, 71), (100, 101), (n - 20, n + 1)]:
        part = await client.text_document_semantic_tokens_range_async(
            types.SemanticTokensRangeParams(text_document=tid, range=lines(a, b)))
        expected = [t for t in full if a <= t[0] < b]
        assert expected, (a, b)
        assert absolute(part.data) == expected, (a, b)


async def test_semantic_tokens_delta_turns_the_last_answer_into_the_current_tokens(client, ws):
    await start(client, ws)
    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    await open_doc(client, plan, text)
    tid = types.TextDocumentIdentifier(uri=uri(plan))
    first = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=tid))
    assert first.result_id
    # an edit in the middle: a new field line with a unit reference, so tokens are added and later lines move
    edited = text.replace("    牵头：区市场监管局\n", "    牵头：区市场监管局\n    配合：区发改局\n", 1)
    assert edited != text
    await change(client, plan, 2, edited)
    delta = await client.text_document_semantic_tokens_full_delta_async(
        types.SemanticTokensDeltaParams(text_document=tid, previous_result_id=first.result_id))
    assert isinstance(delta, types.SemanticTokensDelta) and delta.result_id != first.result_id
    assert len(delta.edits) == 1 and len(delta.edits[0].data or []) < len(first.data) // 10  # an edit, not all
    data = list(first.data)
    for e in delta.edits:
        data[e.start:e.start + e.delete_count] = e.data or []
    now = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=tid))
    assert data == list(now.data) and data != list(first.data)
    # nothing changed since the last answer: no edits
    same = await client.text_document_semantic_tokens_full_delta_async(
        types.SemanticTokensDeltaParams(text_document=tid, previous_result_id=now.result_id))
    assert not same.edits
    # an answer the server no longer holds: the whole tokens
    unknown = await client.text_document_semantic_tokens_full_delta_async(
        types.SemanticTokensDeltaParams(text_document=tid, previous_result_id="no-such-answer"))
    assert isinstance(unknown, types.SemanticTokens) and list(unknown.data) == data


async def _format(client, path: Path, version: int, text: str, rng: types.Range | None):
    if version == 1:
        await open_doc(client, path, text)
    else:
        await change(client, path, version, text)
    tid = types.TextDocumentIdentifier(uri=uri(path))
    if rng is None:
        return await client.text_document_formatting_async(
            types.DocumentFormattingParams(text_document=tid, options=OPTS))
    return await client.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(text_document=tid, range=rng, options=OPTS))


async def test_range_formatting_of_the_whole_document_is_document_formatting(client, ws):
    await start(client, ws)
    plan = ws / "plan.plan"
    cases = sorted(FORMAT_CASES.glob("*.in.plan"))
    assert cases
    version = 0
    for case in cases + [ws / "nanhu-2023.plan"]:
        text = case.read_text(encoding="utf-8")
        version += 1
        doc_edits = await _format(client, plan, version, text, None)
        range_edits = await client.text_document_range_formatting_async(types.DocumentRangeFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)), range=whole(text), options=OPTS))
        assert apply_edits(text, range_edits) == apply_edits(text, doc_edits), case.name


MESSY = ("# 登记的单位\n"
         "单位 区发改局 \n"
         "单位   区财政局   # 财政\n"
         "\n"
         "任务 统筹 “统筹推进重点项目”{牵头:区发改局,区财政局；时限：年底前\n"
         "      任务 “抓好项目储备”   {  负责：区财政局  }   # 储备库\n"
         "}\n"
         "任务   “加快项目建设”{\n"
         "牵头:区发改局\n"
         "}\n")


async def test_range_formatting_formats_the_statements_it_touches_and_nothing_else(client, ws):
    from planlang.syntax.format import format_text

    await start(client, ws)
    plan = ws / "plan.plan"
    # a range inside the first task (line 5): that task is formatted, the lines before and after are not
    edits = await _format(client, plan, 1, MESSY, types.Range(start=types.Position(line=5, character=8),
                                                              end=types.Position(line=5, character=10)))
    assert len(edits) == 1
    out = apply_edits(MESSY, edits)
    head, tail = MESSY.split("任务 统筹")[0], "任务   “加快项目建设”{\n牵头:区发改局\n}\n"
    assert out.startswith(head) and out.endswith(tail)
    block = MESSY[len(head):len(MESSY) - len(tail)]
    assert out == head + format_text(block).text + tail
    assert "  牵头：区发改局、区财政局\n" in out
    # a range over the two unit lines: both are formatted, the comment above them and the tasks stay
    edits = await _format(client, plan, 2, MESSY, lines(1, 2))
    out = apply_edits(MESSY, edits)
    assert out == MESSY.replace("单位 区发改局 \n单位   区财政局   # 财政\n", "单位 区发改局\n单位 区财政局  # 财政\n")
    # a range in the blank line between statements touches none
    assert not await _format(client, plan, 3, MESSY, types.Range(start=types.Position(line=3, character=0),
                                                                 end=types.Position(line=3, character=0)))
    # formatted statements give no edits
    formatted = format_text(MESSY).text
    assert not await _format(client, plan, 4, formatted, whole(formatted))


async def test_range_formatting_leaves_a_statement_with_a_syntax_error_alone(client, ws):
    await start(client, ws)
    plan = ws / "plan.plan"
    broken = MESSY.replace("{  负责：区财政局  }", "{  负责：区财政局  ")  # the inner task's brace is missing
    assert not await _format(client, plan, 1, broken, types.Range(start=types.Position(line=5, character=8),
                                                                  end=types.Position(line=5, character=10)))
    assert any(d.code == "PL001" for d in client.diagnostics[uri(plan)])
    # the statements before it are whole: a range over them still formats them, and only them
    edits = await _format(client, plan, 2, broken, lines(1, 2))
    assert apply_edits(broken, edits) == broken.replace("单位 区发改局 \n单位   区财政局   # 财政\n",
                                                        "单位 区发改局\n单位 区财政局  # 财政\n")
