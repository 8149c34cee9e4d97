"""The language server shows a task's latest state from the plan's progress files (进展/ beside the plan): in
the task's hover and as an inlay hint, and again after a progress file changes on disk."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import EXAMPLES


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "planlang", "lsp"]))
async def client(lsp_client: LanguageClient):
    yield lsp_client
    await lsp_client.shutdown_session()


def pos_of(text: str, needle: str, delta: int = 0) -> types.Position:
    at = text.index(needle) + delta
    line = text.count("\n", 0, at)
    col = at - (text.rfind("\n", 0, at) + 1)
    return types.Position(line=line, character=len(text[at - col:at].encode("utf-16-le")) // 2)


async def test_hover_and_inlay_hint_show_the_latest_state_and_follow_a_changed_progress_file(client, tmp_path):
    for name in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    shutil.copytree(EXAMPLES / "进展", tmp_path / "进展")
    (tmp_path / "planlang.toml").touch()
    # a plan beside it that the progress files do not include sees none of their states
    (tmp_path / "other.plan").write_text(
        "方案 别的 “另一个方案” { 周期：2023-01-01 至 2023-12-31 }\n引用 “nanhu-units.plan”\n"
        "任务 甲 “第一项” { 任务 “精准谋划储备项目” { 牵头：区发改局 } }\n", encoding="utf-8")
    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri(),
        initialization_options={"debounce": 0}))
    plan = tmp_path / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8")
    tid = types.TextDocumentIdentifier(uri=plan.resolve().as_uri())
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=tid.uri, language_id="plan", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    async def hover(needle: str) -> str:
        h = await client.text_document_hover_async(types.HoverParams(text_document=tid,
                                                                     position=pos_of(text, needle, 2)))
        assert h is not None
        return h.contents.value

    async def hints() -> list[str]:
        got = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=tid, range=types.Range(start=types.Position(line=0, character=0),
                                                 end=types.Position(line=len(text.splitlines()), character=0))))
        return [h.label for h in got if "进展" in h.label]

    consumption = await hover("“着力活跃消费氛围”")  # 2.1: done by the year's end, 社零 reached
    assert "**进展（2023-H2）**：已完成 — 已完成/提前完成" in consumption
    assert "社零：完成 52.6亿元，为 力争突破 52亿元 的 101.2%，序时进度 100.0%" in consumption
    open_task = await hover("“强化项目要素保障”")  # 1.3: still open in January 2024, past the plan period's end
    assert "**进展（2024-01）**：推进中，**逾期**（时限 2023-12-31） — 欠进度" in open_task
    assert "存在问题：上级批复尚未下达" in open_task
    labels = await hints()
    assert len(labels) == 21  # every task the history reports on
    assert " 进展：2024-01 推进中 · 逾期" in labels and " 进展：2023-H2 已完成 · 101%" in labels

    # the January file changes on disk: 1.3 is reported done
    jan = tmp_path / "进展" / "2024-01.plan"
    jtext = jan.read_text(encoding="utf-8")
    jan.write_text(jtext.replace("  记录 1.3 {\n    状态：推进中", "  记录 1.3 {\n    状态：已完成"), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=jan.resolve().as_uri(), type=types.FileChangeType.Changed)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert "**进展（2024-01）**：已完成 — 已完成/提前完成" in await hover("“强化项目要素保障”")
    labels = await hints()
    assert " 进展：2024-01 推进中 · 逾期" not in labels and " 进展：2024-01 已完成" in labels
    assert " 进展：2024-01 暂缓 · 逾期" in labels  # 6.2 is still open

    # a plan the progress files do not name: no states
    other = tmp_path / "other.plan"
    otext = other.read_text(encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=other.resolve().as_uri(), language_id="plan", version=1, text=otext)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    h = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=other.resolve().as_uri()),
        position=pos_of(otext, "“精准谋划储备项目”", 2)))
    assert h is not None and "进展" not in h.contents.value
