"""The workspace index end to end: references, rename and workspace symbols reach plans that are not open, and
the index follows file events. The real server over stdio, driven by pytest-lsp's client."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from test_lsp import client  # noqa: F401 — the fixture

REGISTRY = """单位 区发改局 {
  别名：发改局
}
单位 区财政局
单位 区商务局
"""


def plan(name: str, lead: str, task: str) -> str:
    """A small plan that reads the shared registry and names a unit as its task's lead."""
    return (f"方案 {name} “{name}工作方案” {{\n  周期：2024-01-01 至 2024-12-31\n}}\n引用 “units.plan”\n\n"
            f"任务 {task} “{task}专项行动” {{\n  牵头：{lead}\n  配合：区财政局\n  时限：6月底前\n}}\n")


@pytest.fixture
def ws(tmp_path) -> Path:
    """A workspace of a shared registry and three plans that use it (the third by the unit's alias)."""
    (tmp_path / "planlang.toml").touch()
    (tmp_path / "units.plan").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "a.plan").write_text(plan("甲", "区发改局", "项目"), encoding="utf-8")
    sub = tmp_path / "县区"
    sub.mkdir()
    (sub / "units.plan").write_text(REGISTRY, encoding="utf-8")  # another folder's registry: other units
    (tmp_path / "b.plan").write_text(plan("乙", "区发改局", "招商"), encoding="utf-8")
    (tmp_path / "c.plan").write_text(plan("丙", "发改局", "消费"), encoding="utf-8")
    (sub / "d.plan").write_text(plan("丁", "区发改局", "投资"), encoding="utf-8")
    return tmp_path


def uri(path: Path) -> str:
    return path.resolve().as_uri()


async def start_and_open(client: LanguageClient, ws: Path) -> str:
    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=ws.as_uri(), initialization_options={"debounce": 0}))
    a = ws / "a.plan"
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri(a), language_id="plan", version=1, text=a.read_text(encoding="utf-8"))))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri(a)


def lead_position(text: str) -> types.Position:
    line = next(n for n, t in enumerate(text.splitlines()) if t.startswith("  牵头："))
    return types.Position(line=line, character=len("  牵头：") + 1)


async def references(client: LanguageClient, a: str, pos: types.Position) -> list[tuple[str, int, int]]:
    got = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=a), position=pos,
        context=types.ReferenceContext(include_declaration=True)))
    return sorted((loc.uri.rsplit("/", 1)[-1], loc.range.start.line, loc.range.start.character)
                  for loc in got or [])


async def until(check, timeout: float = 60.0):
    """Ask again until `check()` gives something true (the index is built in the background)."""
    deadline = asyncio.get_event_loop().time() + timeout
    while True:
        got = await check()
        if got or asyncio.get_event_loop().time() > deadline:
            return got
        await asyncio.sleep(0.2)


async def test_references_and_rename_reach_plans_that_are_not_open(client: LanguageClient, ws: Path):
    a = await start_and_open(client, ws)
    pos = lead_position((ws / "a.plan").read_text(encoding="utf-8"))

    async def both():
        refs = await references(client, a, pos)
        return refs if {"b.plan", "c.plan"} <= {f for f, _, _ in refs} else None

    refs = await until(both)
    assert refs is not None
    files = [f for f, _, _ in refs]
    # the declaration in the registry, the open plan, and the two plans on disk — c.plan by the alias; not the
    # other folder's plan, whose 区发改局 is its own registry's unit
    assert sorted(set(files)) == ["a.plan", "b.plan", "c.plan", "units.plan"]
    assert ("b.plan", 6, 5) in refs and ("c.plan", 6, 5) in refs

    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=types.TextDocumentIdentifier(uri=a), position=pos, new_name="区发展改革局"))
    changes = {u.rsplit("/", 1)[-1]: [(e.range.start.line, e.range.start.character, e.new_text) for e in edits]
               for u, edits in edit.changes.items()}
    assert changes["b.plan"] == [(6, 5, "区发展改革局")]
    assert changes["a.plan"] == [(6, 5, "区发展改革局")]
    assert changes["units.plan"] == [(0, 3, "区发展改革局")]
    assert "c.plan" not in changes  # it writes the alias, which stays
    assert all(not u.endswith("/县区/d.plan") and not u.endswith("/县区/units.plan") for u in edit.changes)

    # a name already declared where the unit is used is refused
    with pytest.raises(Exception, match="already exists"):
        await client.text_document_rename_async(types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=a), position=pos, new_name="区商务局"))

    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="招商"))
    assert [(s.name, s.location.uri.rsplit("/", 1)[-1]) for s in symbols] == [("一、招商专项行动", "b.plan")]


async def test_the_index_follows_created_changed_and_deleted_files(client: LanguageClient, ws: Path):
    a = await start_and_open(client, ws)
    pos = lead_position((ws / "a.plan").read_text(encoding="utf-8"))

    async def has(name: str, present: bool = True):
        refs = await references(client, a, pos)
        return refs if (name in {f for f, _, _ in refs}) == present else None

    assert await until(lambda: has("b.plan"))
    (ws / "e.plan").write_text(plan("戊", "区发改局", "外贸"), encoding="utf-8")
    (ws / "b.plan").write_text("\n\n" + plan("乙", "区财政局", "招商"), encoding="utf-8")  # no longer names it
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(ws / "e.plan"), type=types.FileChangeType.Created),
        types.FileEvent(uri=uri(ws / "b.plan"), type=types.FileChangeType.Changed)]))

    async def e_not_b():
        refs = await references(client, a, pos)
        files = {f for f, _, _ in refs}
        return refs if "e.plan" in files and "b.plan" not in files else None

    assert await until(e_not_b)
    (ws / "c.plan").unlink()
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(ws / "c.plan"), type=types.FileChangeType.Deleted)]))
    refs = await until(lambda: has("c.plan", present=False))
    assert refs and {f for f, _, _ in refs} == {"a.plan", "e.plan", "units.plan"}
    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="消费"))
    assert symbols == []  # the deleted file's task is gone from the index


async def test_an_open_document_wins_over_the_disk(client: LanguageClient, ws: Path):
    a = await start_and_open(client, ws)
    b = ws / "b.plan"
    text = b.read_text(encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri(b), language_id="plan", version=1, text=text.replace("任务 招商 “招商专项行动”", "任务 引资 “引资专项行动”"))))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    async def found():
        return await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="专项行动"))

    await until(found)
    await asyncio.sleep(0.5)  # let the scan reach b.plan on disk: the editor's text must still win
    names = sorted(s.name for s in await found())
    assert "一、引资专项行动" in names and "一、招商专项行动" not in names
    assert a
    # closed without saving: the disk's text is indexed again
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri(b))))

    async def from_disk():
        names = {s.name for s in await found()}
        return "一、招商专项行动" in names and "一、引资专项行动" not in names

    assert await until(from_disk)


def test_the_index_keeps_names_and_ranges_not_compilations(ws: Path):
    import gc

    from planlang.lsp.workspace import WorkspaceIndex, plan_files
    from planlang.model.nodes import Goal, Task, Unit

    idx = WorkspaceIndex()
    files = list(plan_files(ws))
    assert [f.relative_to(ws).as_posix() for f in files] == [
        "a.plan", "b.plan", "c.plan", "units.plan", "县区/d.plan", "县区/units.plan"]
    for f in files:
        idx._index_disk(f.resolve())
    gc.collect()
    assert set(idx.entries) == {f.resolve() for f in files}
    # no plan's tasks outlive its compilation; only the shared registries' units are kept, to be replayed
    assert not [o for o in gc.get_objects() if isinstance(o, (Task, Goal))]
    assert len([o for o in gc.get_objects() if isinstance(o, Unit)]) <= 2 * 3
    b = idx.entries[(ws / "b.plan").resolve()]
    assert b.reads == ((ws / "units.plan").resolve(),)
    assert b.names == "一、招商专项行动\n"
