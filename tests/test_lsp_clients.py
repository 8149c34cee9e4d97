"""The language server with clients that differ: one that pulls diagnostics gets them only by pull, one that does
not gets them only pushed (never both, or an editor lists each twice); and a client that sends diagnostic ranges
back in its own units (Neovim 0.7: UTF-8 byte columns) still gets fixes that are right."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pytest_lsp import LanguageClient

from test_lsp import client, pos_of, start, uri, ws  # noqa: F401 — the fixtures are used by name

TYPO = "牵头：区发该局"


def did_open(client: LanguageClient, path, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri(path), language_id="plan", version=version, text=text)))


async def round_trip(client: LanguageClient, path) -> None:
    """A request answered after every earlier message: what the server would push for them has been sent."""
    await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=uri(path))))


async def test_a_client_that_pulls_gets_diagnostics_by_pull_and_none_pushed(client, ws):
    caps = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(diagnostic=types.DiagnosticClientCapabilities()),
        workspace=types.WorkspaceClientCapabilities(
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)))
    result = await client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=ws.as_uri(), initialization_options={"debounce": 0}))
    assert result.capabilities.diagnostic_provider is not None
    assert result.capabilities.diagnostic_provider.inter_file_dependencies
    plan, units = ws / "nanhu-2023.plan", ws / "nanhu-units.plan"
    text = plan.read_text(encoding="utf-8")
    bad = text.replace("牵头：区发改局", TYPO, 1)
    did_open(client, plan, bad)

    async def pulled(path) -> list[types.Diagnostic]:
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path))))
        assert report.kind == "full"
        return list(report.items)

    items = await pulled(plan)
    (d,) = [d for d in items if d.code == "PL101"]
    assert d.range.start == pos_of(bad, "区发该局")
    # an edit, then an edit of the registry the plan includes: still nothing pushed, the pull follows the text
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(plan), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    assert not [d for d in await pulled(plan) if d.code == "PL101"]
    utext = units.read_text(encoding="utf-8")
    did_open(client, units, utext)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(units), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(
            text=utext.replace("单位 区发改局", "单位 区发展改革局"))]))
    for _ in range(100):  # the registry's check runs after the typing pause; then the client is asked to pull
        if client.diagnostic_refresh_count:
            break
        await asyncio.sleep(0.05)
    assert client.diagnostic_refresh_count, "the server asks a pulling client to pull again when an included file changed"
    assert any(d.code == "PL101" and "区发改局" in d.message for d in await pulled(plan))
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri(units))))
    await round_trip(client, plan)
    assert client.diagnostics == {}, "a client that pulls is never pushed diagnostics"


async def test_a_client_that_does_not_pull_gets_diagnostics_pushed_and_no_pull_is_offered(client, ws):
    result = await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=ws.as_uri(), initialization_options={"debounce": 0}))
    assert result.capabilities.diagnostic_provider is None
    plan = ws / "nanhu-2023.plan"
    bad = plan.read_text(encoding="utf-8").replace("牵头：区发改局", TYPO, 1)
    did_open(client, plan, bad)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert any(d.code == "PL101" for d in client.diagnostics[uri(plan)])
    with pytest.raises(JsonRpcMethodNotFound):
        await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan))))


def byte_range(text: str, needle: str) -> types.Range:
    """The range of `needle` with columns in UTF-8 bytes, as Neovim 0.7 sends diagnostics back."""
    at = text.index(needle)
    line = text.count("\n", 0, at)
    before = text[text.rfind("\n", 0, at) + 1:at].encode("utf-8")
    return types.Range(start=types.Position(line=line, character=len(before)),
                       end=types.Position(line=line, character=len(before) + len(needle.encode("utf-8"))))


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply UTF-16 edits to a text (last first)."""
    lines = text.split("\n")

    def off(p: types.Position) -> int:
        base = sum(len(l) + 1 for l in lines[:p.line])
        units = lines[p.line].encode("utf-16-le")[:p.character * 2].decode("utf-16-le")
        return base + len(units)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:off(e.range.start)] + e.new_text + text[off(e.range.end):]
    return text


async def test_code_actions_come_from_the_servers_diagnostics_not_the_ranges_a_client_sends_back(client, ws):
    await start(client, ws)
    plan = ws / "nanhu-2023.plan"
    bad = plan.read_text(encoding="utf-8").replace("牵头：区发改局", TYPO, 1)
    did_open(client, plan, bad)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    (pushed,) = [d for d in client.diagnostics[uri(plan)] if d.code == "PL101"]
    sent_back = types.Diagnostic(range=byte_range(bad, "区发该局"), message=pushed.message, code="PL101",
                                 severity=pushed.severity, source="planlang")
    assert sent_back.range != pushed.range  # CJK before the typo: bytes and UTF-16 differ
    cursor = pos_of(bad, "区发该局", 1)  # Neovim's request range is the cursor, in the negotiated units
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), range=types.Range(start=cursor, end=cursor),
        context=types.CodeActionContext(diagnostics=[sent_back])))
    titles = [a.title for a in acts]
    fix = next(a for a in acts if a.is_preferred)
    fixed = apply(bad, fix.edit.changes[uri(plan)])
    line = fixed.split("\n")[cursor.line]
    assert line.strip() == "牵头：区发改局", line
    assert fixed == bad.replace(TYPO, "牵头：区发改局", 1)
    assert "声明单位“区发该局” / declare unit '区发该局'" in titles
    assert not [t for t in titles if "声明单位“”" in t]
    assert list(fix.diagnostics) == [pushed]  # the action names the diagnostic the server sent, as it was sent
    # the same request without any context diagnostics (a client that sends none) gives the same fix
    again = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), range=types.Range(start=cursor, end=cursor),
        context=types.CodeActionContext(diagnostics=[])))
    assert [a.title for a in again] == titles
    # elsewhere on the same line, outside the typo: no fix for it; `only` filters by kind
    head = pos_of(bad, TYPO)
    none_here = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), range=types.Range(start=head, end=head),
        context=types.CodeActionContext(diagnostics=[sent_back])))
    assert not [a for a in none_here if "区发改局" in a.title]
    only = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), range=types.Range(start=cursor, end=cursor),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll])))
    assert all(a.kind == types.CodeActionKind.SourceFixAll for a in only)
