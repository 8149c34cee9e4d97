"""The language server end to end: the real server over stdio, driven by pytest-lsp's client."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import EXAMPLES


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "planlang", "lsp"]))
async def client(lsp_client: LanguageClient):
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest.fixture
def ws(tmp_path) -> Path:
    """A workspace holding nanhu-2023 and its registry."""
    for f in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / f, tmp_path / f)
    (tmp_path / "planlang.toml").touch()
    return tmp_path


async def start(client: LanguageClient, ws: Path, encodings=None, dynamic_watch=False, debounce: int = 0,
                pull: bool = False) -> str:
    """Initialize the session. The client pulls diagnostics when `pull` (then the server pushes none)."""
    caps = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        text_document=types.TextDocumentClientCapabilities(
            diagnostic=types.DiagnosticClientCapabilities() if pull else None,
            rename=types.RenameClientCapabilities(prepare_support=True),
        ),
    )
    result = await client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=ws.as_uri(), initialization_options={"debounce": debounce}))
    return result.capabilities.position_encoding


def uri(path: Path) -> str:
    return path.resolve().as_uri()


async def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> list[types.Diagnostic]:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri(path), language_id="plan", version=1,
        text=text if text is not None else path.read_text(encoding="utf-8"))))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri(path)])


async def open_nanhu(client: LanguageClient, ws: Path,
                     debounce: int = 0) -> tuple[Path, str, types.TextDocumentIdentifier]:
    """Start the session (the debounce in ms) and open nanhu-2023 as it is on disk: (its path, its text, its
    identifier)."""
    await start(client, ws, debounce=debounce)
    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    await open_doc(client, plan, text)
    return plan, text, types.TextDocumentIdentifier(uri=uri(plan))


async def change(client: LanguageClient, path: Path, version: int, text: str) -> list[types.Diagnostic]:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri(path)])


def pos_of(text: str, needle: str, delta: int = 0, nth: int = 0) -> types.Position:
    """UTF-16 position of the nth occurrence of needle (plus delta characters)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    col = at - (text.rfind("\n", 0, at) + 1)
    prefix = text[at - col:at]
    return types.Position(line=line, character=len(prefix.encode("utf-16-le")) // 2)


async def test_open_example_has_no_errors_and_typo_is_reported_then_fixed(client, ws):
    await start(client, ws)
    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    diags = await open_doc(client, plan)
    assert not [d for d in diags if d.severity == types.DiagnosticSeverity.Error]
    bad = text.replace("牵头：区发改局", "牵头：区发该局", 1)
    diags = await change(client, plan, 2, bad)
    (d,) = [d for d in diags if d.code == "PL101"]
    assert d.severity == types.DiagnosticSeverity.Error
    assert "区发改局" in d.message
    assert d.range.start == pos_of(bad, "区发该局")
    assert d.range.end.character - d.range.start.character == 4
    assert d.code_description is not None and d.code_description.href.endswith("#pl101")
    assert d.source == "planlang"
    diags = await change(client, plan, 3, text)
    assert not [d for d in diags if d.code == "PL101"]


async def test_pull_diagnostics(client, ws):
    await start(client, ws, pull=True)
    plan = ws / "nanhu-2023.plan"
    bad = plan.read_text(encoding="utf-8").replace("牵头：区发改局", "牵头：区发该局", 1)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri(plan), language_id="plan", version=1, text=bad)))
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan))))
    assert any(d.code == "PL101" for d in report.items)


async def test_diagnostics_follow_a_registry_changed_on_disk(client, ws):
    await start(client, ws)
    plan = ws / "nanhu-2023.plan"
    await open_doc(client, plan)
    units = ws / "nanhu-units.plan"
    units.write_text(units.read_text(encoding="utf-8").replace("单位 区发改局", "单位 区发展改革局"), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(units), type=types.FileChangeType.Changed)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert any(d.code == "PL101" and "区发改局" in d.message for d in client.diagnostics[uri(plan)])


async def test_an_open_registry_edit_rechecks_the_plan_that_includes_it(client, ws):
    await start(client, ws)
    plan, units = ws / "nanhu-2023.plan", ws / "nanhu-units.plan"
    await open_doc(client, plan)
    utext = units.read_text(encoding="utf-8")
    await open_doc(client, units, utext)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(units), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=utext.replace("单位 区发改局", "单位 区发展改革局"))]))
    for _ in range(4):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if any(d.code == "PL101" for d in client.diagnostics.get(uri(plan), [])):
            break
    assert any(d.code == "PL101" for d in client.diagnostics[uri(plan)])


async def test_completion(client, ws):
    plan, text, _ = await open_nanhu(client, ws)

    async def complete(t: str, needle: str, delta: int) -> list[types.CompletionItem]:
        await change(client, plan, complete.version, t)
        complete.version += 1
        res = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=pos_of(t, needle, delta)))
        return res.items if isinstance(res, types.CompletionList) else res
    complete.version = 2

    items = await complete(text, "牵头：区发改局", 3)
    fgj = next(i for i in items if i.label == "区发改局")
    assert fgj.detail  # the full name
    items = await complete(text, "  支撑：固投", 5)
    assert {"固投", "社零", "GDP"} <= {i.label for i in items}
    t2 = text.replace("  支撑：固投\n", "  支撑：固投\n  \n", 1)
    items = await complete(t2, "  支撑：固投\n  \n", len("  支撑：固投\n  "))
    labels = {i.label for i in items}
    assert {"牵头", "负责", "时限", "任务"} <= labels and "成员" not in labels
    t3 = text.replace("指标：争资争项 力争 1.9亿元", "指标：争资争项 力争 1.9", 1)
    items = await complete(t3, "力争 1.9", len("力争 1.9"))
    assert {"亿元", "%", "家"} <= {i.label for i in items}


async def test_hover(client, ws):
    plan, text, _ = await open_nanhu(client, ws)

    async def hover(needle: str, delta: int = 1, nth: int = 0) -> str:
        h = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=pos_of(text, needle, delta, nth)))
        assert h is not None, needle
        return h.contents.value

    unit = await hover("牵头：区发改局", 4)
    assert "区发改局" in unit and "牵头" in unit and "精准谋划储备项目" in unit
    goal = await hover("目标 社零", 4)
    assert "5,200,000,000" in goal and "8%" in goal
    task = await hover("“精准谋划储备项目”", 2)
    assert "区发改局" in task and "1." in task  # numbered as the original (编号)


async def test_definition_references_and_rename_across_files(client, ws):
    await start(client, ws)
    plan, units = ws / "nanhu-2023.plan", ws / "nanhu-units.plan"
    text, utext = plan.read_text(encoding="utf-8"), units.read_text(encoding="utf-8")
    await open_doc(client, plan)
    at = pos_of(text, "牵头：区发改局", 4)
    loc = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=at))
    assert loc.uri == uri(units)
    assert loc.range.start == pos_of(utext, "单位 区发改局", 3)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=at,
        context=types.ReferenceContext(include_declaration=True)))
    uses = sum(line.split("：", 1)[1].split("、").count("区发改局") for line in text.splitlines()
               if line.strip().split("：", 1)[0] in ("牵头", "负责", "配合", "成员", "办公室"))
    assert len([r for r in refs if r.uri == uri(plan)]) == uses >= 8
    assert [r for r in refs if r.uri == uri(units)]  # the declaration
    prep = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=at))
    assert prep is not None
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=at, new_name="区发展改革局"))
    assert set(edit.changes) == {uri(plan), uri(units)}
    assert all(e.new_text == "区发展改革局" for es in edit.changes.values() for e in es)
    with pytest.raises(Exception, match="已存在|already exists"):
        await client.text_document_rename_async(types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=at, new_name="区财政局"))


async def test_outline_folding_symbols_tokens_and_hints(client, ws):
    plan, text, tid = await open_nanhu(client, ws)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=tid))
    names = [s.name for s in symbols]
    assert "（一）着力扩大有效投资" in names  # numbered as the original (编号：一、（一）1.)
    first = next(s for s in symbols if s.name == "（一）着力扩大有效投资")
    assert [c.name for c in first.children][0] == "1.精准谋划储备项目"
    assert sum(1 for s in symbols if s.kind == types.SymbolKind.Function) == 6
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=tid))
    assert len(folds) >= 27
    ws_syms = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="储备"))
    assert any("精准谋划储备项目" in s.name for s in ws_syms)
    tokens = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=tid))
    assert len(tokens.data) % 5 == 0 and len(tokens.data) > 500
    # inlay hints: an inherited owner, and normalized values
    t2 = text.replace("    牵头：区市场监管局\n", "    牵头：区市场监管局\n    任务 “子任务” { 时限：年底前 }\n", 1)
    await change(client, plan, 2, t2)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=tid, range=types.Range(start=types.Position(line=0, character=0),
                                             end=types.Position(line=len(t2.splitlines()), character=0))))
    labels = [h.label for h in hints]
    assert any("继承" in l and "区市场监管局" in l for l in labels)
    assert any("5,200,000,000" in l for l in labels)


async def test_code_actions(client, ws):
    await start(client, ws)
    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    bad = text.replace("牵头：区发改局", "牵头：区发该局", 1).replace("    牵头：区市场监管局\n", "", 1)
    bad = bad.replace("  周期：2023-01-01 至 2023-12-31", "  周期: 2023-01-01 至 2023-12-31")
    diags = await open_doc(client, plan, bad)
    tid = types.TextDocumentIdentifier(uri=uri(plan))

    async def actions_for(code: str) -> list[types.CodeAction]:
        d = next(d for d in diags if d.code == code)
        return await client.text_document_code_action_async(types.CodeActionParams(
            text_document=tid, range=d.range, context=types.CodeActionContext(diagnostics=[d])))

    acts = await actions_for("PL101")
    titles = [a.title for a in acts]
    fix = next(a for a in acts if "区发改局" in a.title and a.is_preferred)
    (e,) = fix.edit.changes[uri(plan)]
    assert e.new_text == "区发改局"
    assert any("声明单位" in t for t in titles)
    assert any("忽略 PL101" in t for t in titles)
    assert any("规范标点" in t for t in titles)
    acts = await actions_for("PL201")
    add = next(a for a in acts if "牵头" in a.title)
    assert "牵头：" in add.edit.changes[uri(plan)][0].new_text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
async def test_position_encodings(client, ws, encoding):
    chosen = await start(client, ws, encodings=[encoding])
    assert chosen == encoding
    plan = ws / "plan.plan"
    # 𠀀 (U+20000, CJK Extension B) and 😀 are two UTF-16 units, four UTF-8 bytes, one code point
    text = "单位 区发改局\n任务 “𠀀😀任务” { 牵头：区发该局 }\n"
    plan.write_text(text, encoding="utf-8")
    diags = await open_doc(client, plan)
    (d,) = [d for d in diags if d.code == "PL101"]
    prefix = "任务 “𠀀😀任务” { 牵头："
    expected = {"utf-8": len(prefix.encode("utf-8")), "utf-16": len(prefix.encode("utf-16-le")) // 2,
                "utf-32": len(prefix)}[encoding]
    assert (d.range.start.line, d.range.start.character) == (1, expected)


async def test_server_survives_garbage_and_unknown_documents(client, ws):
    await start(client, ws)
    plan = ws / "junk.plan"
    diags = await open_doc(client, plan, "任务 “a” {{{ ：：：\n\x00\x01 “ 」」 }}}}\n目标 ｛\n")
    assert any(d.code == "PL001" for d in diags)
    res = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri(ws / "never-opened.plan")),
        position=types.Position(line=0, character=0)))
    assert res is None
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=types.Position(line=99, character=99)))
    assert res is not None
    # still alive and answering
    diags = await change(client, plan, 2, "单位 区发改局\n任务 “a” { 牵头：区发改局 }\n")
    assert not [d for d in diags if d.severity == types.DiagnosticSeverity.Error]


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to a text, last first."""
    lines = text.split("\n")

    def at(p: types.Position) -> int:
        line = lines[p.line] if p.line < len(lines) else ""
        prefix = line.encode("utf-16-le")[:2 * p.character].decode("utf-16-le")
        return sum(len(x) + 1 for x in lines[:p.line]) + len(prefix)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:at(e.range.start)] + e.new_text + text[at(e.range.end):]
    return text


async def test_formatting_gives_the_formatters_layout_and_leaves_broken_files_alone(client, ws):
    from planlang.syntax.format import format_text

    await start(client, ws)
    plan = ws / "plan.plan"
    messy = ("单位 区发改局 ；单位 区财政局\n"
             "任务 统筹 “统筹推进重点项目”{牵头:区发改局,区财政局；时限：年底前\n"
             "      任务 “抓好项目储备”   {  负责：区财政局  }   # 储备库\n"
             "}\n")
    await open_doc(client, plan, messy)
    tid = types.TextDocumentIdentifier(uri=uri(plan))
    opts = types.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(text_document=tid, options=opts))
    expected = format_text(messy).text
    assert expected != messy and "  牵头：区发改局、区财政局\n" in expected
    assert apply_edits(messy, edits) == expected
    # formatting the formatted text changes nothing
    await change(client, plan, 2, expected)
    assert not await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=tid, options=opts))
    # a file with syntax errors gets no edits
    broken = messy.replace("“抓好项目储备”", "“抓好项目储备")
    await change(client, plan, 3, broken)
    assert any(d.code == "PL001" for d in client.diagnostics[uri(plan)])
    assert not await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=tid, options=opts))


async def test_keyword_language_setting_drives_completion_and_formatting(client, ws):
    """`keywordLanguage` (the editor's planlang.keywordLanguage): keywords offered and written in English,
    in a document written in Chinese."""
    from planlang.syntax.format import format_text

    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=ws.as_uri(),
        initialization_options={"debounce": 0, "keywordLanguage": "en"}))
    plan = ws / "plan.plan"
    text = "单位 区发改局\n任务 “抓好项目储备” {\n  牵头：区发改局\n  \n}\n"
    await open_doc(client, plan, text)
    tid = types.TextDocumentIdentifier(uri=uri(plan))
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=tid, position=types.Position(line=3, character=2)))
    labels = {i.label for i in (res.items if isinstance(res, types.CompletionList) else res)}
    assert {"lead", "due", "task"} <= labels and not labels & {"牵头", "时限", "任务"}
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=tid, options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    formatted = apply_edits(text, edits)
    assert formatted == format_text(text, lang="en").text and formatted.startswith("unit 区发改局\n\ntask ")


async def test_hover_over_a_diagnostic_or_a_suppressed_code_shows_the_rule(client, ws):
    from planlang.checks.registry import RULE_BY_CODE

    await start(client, ws)
    plan = ws / "plan.plan"
    text = ("方案 试点 “项目攻坚试点方案” { 制定单位：区发改局 }\n单位 区发改局\n单位 区统计局  # planlang: ignore[PL105]\n"
            "任务 “编制全区项目清单” { 时限：年底前 }\n任务 “做好要素保障” { 牵头：区发改局 }\n")
    diags = await open_doc(client, plan, text)
    codes = {d.code for d in diags}
    assert "PL201" in codes and not {"PL105", "PL006"} & codes  # PL105 on 区统计局 is suppressed
    diags = [d for d in diags if d.code == "PL201"]
    tid = types.TextDocumentIdentifier(uri=uri(plan))

    async def hover(needle: str, delta: int) -> types.Hover:
        h = await client.text_document_hover_async(types.HoverParams(text_document=tid,
                                                                    position=pos_of(text, needle, delta)))
        assert h is not None, needle
        return h

    h = await hover("“编制全区项目清单”", 3)
    assert "PL201" in h.contents.value and RULE_BY_CODE["PL201"].summary_zh in h.contents.value
    assert h.range == diags[0].range
    h = await hover("PL105", 2)
    assert "PL105" in h.contents.value and RULE_BY_CODE["PL105"].summary_zh in h.contents.value
    assert RULE_BY_CODE["PL105"].doc.splitlines()[0] in h.contents.value
    # an unused suppression is PL006 over the whole comment; the code under the cursor still wins
    text2 = text.replace("单位 区统计局  # planlang: ignore[PL105]", "单位 区统计局\n单位 区财政局  # planlang: ignore[PL203]")
    await change(client, plan, 2, text2)
    assert "PL006" in {d.code for d in client.diagnostics[uri(plan)]}
    h = await client.text_document_hover_async(types.HoverParams(text_document=tid,
                                                                position=pos_of(text2, "PL203", 2)))
    assert "PL203" in h.contents.value and RULE_BY_CODE["PL203"].summary_zh in h.contents.value
    h = await client.text_document_hover_async(types.HoverParams(text_document=tid,
                                                                position=pos_of(text2, "planlang: ignore", 2)))
    assert "PL006" in h.contents.value


async def test_completion_of_tasks_and_mechanisms_and_trigger_characters(client, ws):
    caps = types.ClientCapabilities()
    result = await client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=ws.as_uri(), initialization_options={"debounce": 0}))
    triggers = result.capabilities.completion_provider.trigger_characters
    assert {"：", "、", "，", ":", ","} <= set(triggers)
    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    await open_doc(client, plan)
    tid = types.TextDocumentIdentifier(uri=uri(plan))

    async def labels_at(t: str, needle: str, delta: int, version: int) -> set[str]:
        await change(client, plan, version, t)
        res = await client.text_document_completion_async(types.CompletionParams(
            text_document=tid, position=pos_of(t, needle, delta)))
        return {i.label for i in (res.items if isinstance(res, types.CompletionList) else res)}

    # 依赖 in a task: tasks with an id, and mechanisms; no units
    t = text.replace("  任务 “加快重点项目建设” {\n", "  任务 “加快重点项目建设” {\n    依赖：\n", 1)
    got = await labels_at(t, "    依赖：\n", len("    依赖："), 2)
    assert {"投资", "消费", "招商", "专班", "调度"} <= got and "区发改局" not in got
    # after a first item and 、
    t = t.replace("    依赖：\n", "    依赖：投资、\n", 1)
    got = await labels_at(t, "    依赖：投资、", len("    依赖：投资、"), 3)
    assert {"消费", "招商"} <= got
    # 牵头 in a mechanism: units and mechanisms (牵头：专班)
    t = text.replace("  频次：旬调度、月通报、季讲评\n  牵头：专班\n", "  频次：旬调度、月通报、季讲评\n  牵头：\n", 1)
    got = await labels_at(t, "  牵头：\n", len("  牵头："), 4)
    assert {"专班", "区发改局"} <= got
    # 牵头 in a task: units only, a mechanism cannot lead a task
    got = await labels_at(text, "    牵头：区发改局", len("    牵头："), 5)
    assert "区发改局" in got and not {"专班", "调度"} & got
    # 覆盖 in a mechanism: tasks and mechanisms
    t = text.replace("  类型：督查\n", "  类型：督查\n  覆盖：\n", 1)
    got = await labels_at(t, "  覆盖：\n", len("  覆盖："), 6)
    assert {"投资", "招商", "调度"} <= got and "区财政局" not in got


async def test_diagnostics_link_their_rule_and_point_to_related_places(client, ws):
    await start(client, ws)
    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    bad = text.replace("任务 招商 “招商引资突破行动”", "任务 消费 “招商引资突破行动”", 1)
    diags = await open_doc(client, plan, bad)
    (d,) = [d for d in diags if d.code == "PL104"]
    assert d.range.start == pos_of(bad, "消费 “招商引资突破行动”")
    assert d.code_description.href.endswith("docs/rules.md#pl104")
    assert d.code_description.href.startswith("file://")
    (rel,) = d.related_information
    assert rel.location.uri == uri(plan)
    assert rel.location.range.start == pos_of(bad, "消费 “激发释放消费潜力”")
    assert rel.location.range.end == pos_of(bad, "消费 “激发释放消费潜力”", 2)
    assert "首次定义" in rel.message
    assert all(x.code_description and x.code_description.href.endswith("#" + str(x.code).lower()) for x in diags)


async def test_navigation_uses_the_last_good_model_while_the_text_has_syntax_errors(client, ws):
    await start(client, ws)
    plan, units = ws / "nanhu-2023.plan", ws / "nanhu-units.plan"
    text, utext = plan.read_text(encoding="utf-8"), units.read_text(encoding="utf-8")
    await open_doc(client, plan)
    tid = types.TextDocumentIdentifier(uri=uri(plan))
    before = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=tid))
    # an unclosed block and an unterminated string, typed in the middle of the file
    bad = text.replace("任务 消费 “激发释放消费潜力” {\n", "任务 消费 “激发释放消费潜力” {\n  任务 “新任务 {\n", 1)
    diags = await change(client, plan, 2, bad)
    assert any(d.code == "PL001" for d in diags)
    after = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=tid))
    assert [s.name for s in after] == [s.name for s in before]
    xiaofei = next(s for s in after if s.name == "（二）激发释放消费潜力")
    assert xiaofei.selection_range.start == pos_of(bad, "消费 “激发释放消费潜力”")
    zhaoshang = next(s for s in after if s.name == "（三）招商引资突破行动")
    assert zhaoshang.selection_range.start == pos_of(bad, "招商 “招商引资突破行动”")  # one line further down
    # definition of a unit used after the error, and before it
    for needle, nth in (("牵头：区文旅招商局", 3), ("牵头：区发改局", 0)):
        loc = await client.text_document_definition_async(types.DefinitionParams(
            text_document=tid, position=pos_of(bad, needle, 4, nth)))
        assert loc is not None and loc.uri == uri(units), needle
        assert loc.range.start == pos_of(utext, "单位 " + needle[3:], 3)
    # hover over a task after the error: its number and owners from the good model
    h = await client.text_document_hover_async(types.HoverParams(
        text_document=tid, position=pos_of(bad, "“聚焦优势产业招大引强”", 2)))
    assert h is not None and "1.聚焦优势产业招大引强" in h.contents.value and "区文旅招商局" in h.contents.value
    assert h.range.start == pos_of(bad, "“聚焦优势产业招大引强”")


async def test_a_field_without_its_colon_then_a_syntax_error_still_navigates_to_the_right_places(client, ws):
    # The edit that drops a `：` is parsed, so it re-uses (and moves) what the first compilation built; the
    # syntax error after it must then be navigated from that second compilation, never from the first.
    plan, text, tid = await open_nanhu(client, ws)
    no_colon = "# 草稿\n# 再改\n" + text.replace("    牵头：区发改局\n", "    牵头 区发改局\n", 1)
    diags = await change(client, plan, 2, no_colon)
    assert [d.range.start.line for d in diags if d.code == "PL001"] == [pos_of(no_colon, "牵头 区发改局").line]
    bad = no_colon.replace("任务 消费 “激发释放消费潜力” {\n", "任务 消费 “激发释放消费潜力” {\n  任务 “新任务 {\n", 1)
    diags = await change(client, plan, 3, bad)
    assert any(d.code == "PL001" and d.range.start == pos_of(bad, "“新任务") for d in diags)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=tid))
    for name, needle in (("（二）激发释放消费潜力", "消费 “激发释放消费潜力”"), ("（三）招商引资突破行动", "招商 “招商引资突破行动”")):
        assert next(s for s in symbols if s.name == name).selection_range.start == pos_of(bad, needle), name
    loc = await client.text_document_definition_async(types.DefinitionParams(
        text_document=tid, position=pos_of(bad, "牵头：区文旅招商局", 4, 3)))
    assert loc is not None and loc.uri == uri(ws / "nanhu-units.plan")


async def test_semantic_tokens_legend_and_a_decoded_unit_reference(client, ws):
    result = await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=ws.as_uri(), initialization_options={"debounce": 0}))
    legend = result.capabilities.semantic_tokens_provider.legend
    types_ = legend.token_types
    assert {"keyword", "namespace", "enumMember", "function", "number", "property", "comment"} <= set(types_)
    plan = ws / "plan.plan"
    text = ("单位 区发改局\n目标 社零 “社会消费品零售总额” { 总量：力争突破 52亿元 }\n"
            "任务 “激发消费潜力” {\n  支撑：社零\n  牵头：区发改局\n  时限：2023-06-30\n}\n")
    await open_doc(client, plan, text)
    tokens = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan))))
    decoded, line, char = {}, 0, 0
    data = tokens.data
    for i in range(0, len(data), 5):
        dl, dc, length, ttype, _ = data[i:i + 5]
        line, char = line + dl, (char + dc if dl == 0 else dc)
        decoded[(line, char)] = (length, types_[ttype])

    def at(needle: str, nth: int = 0) -> tuple[int, str]:
        p = pos_of(text, needle, 0, nth)
        return decoded[(p.line, p.character)]

    assert at("区发改局", 1) == (4, "namespace")  # the reference in 牵头
    assert at("单位")[1] == "keyword" and at("任务")[1] == "keyword"
    assert at("社零", 1) == (2, "enumMember")  # 支撑：社零
    assert at("52亿元") == (4, "number") and at("2023-06-30") == (10, "number")
    assert at("牵头")[1] == "property"


async def test_partial_edits_that_break_and_then_fix_the_plan_clear_their_diagnostics(client, ws):
    await start(client, ws)
    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    first = await open_doc(client, plan)
    tid = types.VersionedTextDocumentIdentifier

    async def edit(version: int, start: types.Position, end: types.Position, new: str) -> list[types.Diagnostic]:
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=tid(uri=uri(plan), version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=new)]))
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri(plan)])

    at = pos_of(text, "牵头：区发改局", 3)
    # a typo in a unit name, then a removed closing quote, then both undone
    diags = await edit(2, at, types.Position(line=at.line, character=at.character + 4), "区发该局")
    assert [d.code for d in diags if d.severity == types.DiagnosticSeverity.Error] == ["PL101"]
    q = pos_of(text, "“着力活跃消费氛围”", len("“着力活跃消费氛围"))
    diags = await edit(3, q, types.Position(line=q.line, character=q.character + 1), "")
    assert "PL001" in {d.code for d in diags}
    diags = await edit(4, q, q, "”")
    assert "PL001" not in {d.code for d in diags} and "PL101" in {d.code for d in diags}
    diags = await edit(5, at, types.Position(line=at.line, character=at.character + 4), "区发改局")
    assert diags == first


def test_converted_diagnostics_are_reused_only_when_unchanged(ws):
    from planlang.lsp.convert import DiagnosticConverter, to_diagnostic
    from planlang.lsp.store import path_to_uri
    from planlang.pipeline import compile_file

    plan = ws / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8").replace("牵头：区发改局", "牵头：区发该局", 2)
    converter = DiagnosticConverter()
    first = converter.convert(compile_file(plan, text=text).diagnostics, "utf-16", path_to_uri)
    # a line added above the second typo: the first one's LSP object is re-used, the second one's moves down
    at = text.rfind("\n", 0, text.index("区发该局", text.index("区发该局") + 1)) + 1
    moved = text[:at] + "\n" + text[at:]
    result = compile_file(plan, text=moved)
    again = converter.convert(result.diagnostics, "utf-16", path_to_uri)
    assert again == [to_diagnostic(d, "utf-16", path_to_uri) for d in result.diagnostics]
    before = [d for d in first if d.code == "PL101"]
    after = [d for d in again if d.code == "PL101"]
    assert len(before) == len(after) == 2
    assert after[0] is before[0]
    assert after[1] is not before[1] and after[1].range.start.line == before[1].range.start.line + 1


async def test_completion_while_the_check_waits_for_a_typing_burst_to_end(client, ws):
    plan, text, _ = await open_nanhu(client, ws, debounce=5000)
    await change(client, plan, 2, text.replace("区发改局", "区发改局", 1))  # checked at once: the first change
    typed = text.replace("  任务 “加快重点项目建设” {\n", "  任务 “加快重点项目建设” {\n    依赖：\n", 1)
    client.text_document_did_change(types.DidChangeTextDocumentParams(  # within the burst: its check waits
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(plan), version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=typed)]))
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=pos_of(typed, "    依赖：\n", len("    依赖："))))
    labels = {i.label for i in res.items}
    assert {"投资", "消费", "专班"} <= labels and "区发改局" not in labels
    t2 = typed.replace("    依赖：\n", "    \n", 1)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(plan), version=4),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=t2)]))
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=pos_of(t2, "建设” {\n    \n", len("建设” {\n    "))))
    labels = {i.label for i in res.items}
    assert {"牵头", "时限", "依赖", "任务"} <= labels and "成员" not in labels  # the task's fields


async def test_a_typing_burst_is_checked_once_for_its_last_version(client, ws):
    # debounce 1 s: the changes below arrive together, far inside it, however slow the machine
    plan, text, _ = await open_nanhu(client, ws, debounce=1000)
    for version, lead in enumerate(["牵头：区", "牵头：区发", "牵头：区发该", "牵头：区发该局"], start=2):
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(plan), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text.replace("牵头：区发改局", lead, 1))]))
    published = []
    while not published or published[-1].version != 5:
        published.append(await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS))
    # the first change after the pause may be checked at once; the rest of the burst only as its last version
    assert [p.version for p in published] in ([2, 5], [5])
    assert any(d.code == "PL101" and "区发该局" in d.message for d in published[-1].diagnostics)


LEADERS_PLAN = """方案 p “某区重点工作责任分解方案” {
  责任领导：区长
}
单位 区发改局
单位 区财政局
目标 经济 “经济运行” {
  责任领导：常务副区长
  目标 GDP “地区生产总值” { 增长：6% }
}
任务 重点一 “某某副区长牵头的重点工作” {
  牵头领导：“区政府分管领导同志”
  任务 “推进甲项目” { 牵头：区发改局 }
}
任务 “推进乙项目” {
  牵头：区财政局
  责任领导：
}
"""


async def test_leaders_in_hover_inlay_hints_and_completion(client, tmp_path):
    (tmp_path / "planlang.toml").touch()
    plan = tmp_path / "leaders.plan"
    plan.write_text(LEADERS_PLAN, encoding="utf-8")
    await start(client, tmp_path)
    await open_doc(client, plan)
    tid = types.TextDocumentIdentifier(uri=uri(plan))

    async def hover(needle: str, delta: int = 1) -> str:
        h = await client.text_document_hover_async(types.HoverParams(
            text_document=tid, position=pos_of(LEADERS_PLAN, needle, delta)))
        assert h is not None, needle
        return h.contents.value

    inner = await hover("“推进甲项目”")
    assert "责任领导：区政府分管领导同志" in inner and "继承自上级任务“一、某某副区长牵头的重点工作”" in inner
    assert "责任领导：区长（继承自方案）" in await hover("“推进乙项目”")
    section = await hover("重点一")
    assert "责任领导：区政府分管领导同志" in section and "继承" not in section.split("责任领导")[1]
    assert "责任领导：常务副区长（继承自目标“经济运行”）" in await hover("目标 GDP", 4)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=tid, range=types.Range(start=types.Position(line=0, character=0),
                                             end=types.Position(line=30, character=0))))
    labels = [h.label for h in hints]
    assert " 继承：责任领导：区政府分管领导同志" in labels
    assert " 继承：责任领导：区长" in labels
    items = await client.text_document_completion_async(types.CompletionParams(
        text_document=tid, position=pos_of(LEADERS_PLAN, "  责任领导：\n", 7)))
    got = [i.label for i in (items.items if hasattr(items, "items") else items)]
    assert got == ["区长", "区政府分管领导同志", "常务副区长"]  # the plan's, the tasks', the goals'


GROWTH_PLAN = (Path(__file__).resolve().parent / "cases" / "indicators"
               / "pl302-annual-over-period-ok.plan").read_text(encoding="utf-8")


async def test_hover_and_inlay_hint_compound_growth_as_pl302_does(client, tmp_path):
    """One implied total for the check and the editor: 100亿元 (2020) at 年均 10% to 2024 is 146.41亿元, which
    PL302 accepts, and hover and the inlay hint show the same figure (not 100 × 1.1 = 110亿元)."""
    (tmp_path / "planlang.toml").touch()
    plan = tmp_path / "growth.plan"
    plan.write_text(GROWTH_PLAN, encoding="utf-8")
    await start(client, tmp_path)
    diags = await open_doc(client, plan)
    assert not [d for d in diags if d.code == "PL302"]
    tid = types.TextDocumentIdentifier(uri=uri(plan))
    for goal in ("目标 产值", "目标 增量"):  # a level and an increment: both imply the same level
        h = await client.text_document_hover_async(types.HoverParams(
            text_document=tid, position=pos_of(GROWTH_PLAN, goal, 4)))
        assert h is not None, goal
        assert "基数 × (1 + 增长)^4 ≈ 14,641,000,000 元" in h.contents.value
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=tid, range=types.Range(start=types.Position(line=0, character=0),
                                             end=types.Position(line=len(GROWTH_PLAN.splitlines()), character=0))))
    implied = [h.label for h in hints if "基数" in h.label]
    assert implied == [" 基数×(1+增长)^4 ≈ 14,641,000,000 元"] * 2
