"""The tracking commands' result cache: a progress file's reports and the plan's compiled view are read back from
the cache only when nothing they were made from has changed, and what is read back gives the same status, in
every format, and the same 推进情况表 as reading afresh."""

from __future__ import annotations

import io
import pickle
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, run_cli
from planlang.cache import Cache
from planlang.pipeline import compile_file
from planlang.progress import history, planview, report, sheet
from planlang.progress.status import compute, load

FORMATS = {"text": report.status_text, "json": report.status_json, "md": report.status_md,
           "html": report.status_html}


@pytest.fixture
def ws(tmp_path, monkeypatch) -> Path:
    """nanhu-2023, its registry and its six months of reports in a workspace of their own, with a cache folder
    of their own."""
    root = tmp_path / "ws"
    root.mkdir()
    (root / "planlang.toml").write_text("", encoding="utf-8")
    for name in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / name, root / name)
    shutil.copytree(EXAMPLES / "进展", root / "进展")
    monkeypatch.setenv("PLANLANG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PLANLANG_NO_CACHE", raising=False)
    return root / "nanhu-2023.plan"


def outputs(plan: Path, use_cache: bool, as_of: str | None = None) -> dict[str, bytes]:
    status = compute(load(plan, use_cache=use_cache), as_of)
    out = {name: fn(status).encode("utf-8") for name, fn in FORMATS.items()}
    out["docx"] = report.status_docx(status)
    return out


def no_reading(monkeypatch) -> None:
    """From here on, compiling the plan or parsing a progress file fails the test."""
    def refuse(*a, **k):
        raise AssertionError("read afresh although the cache holds it")

    monkeypatch.setattr("planlang.pipeline.compile_file", refuse)
    monkeypatch.setattr(history, "_parse_reports", refuse)


def entries(plan: Path, kind: str) -> list[Path]:
    folder = Cache(kind).folder
    return sorted(p for p in folder.glob("??/*")) if folder is not None and folder.is_dir() else []


def test_status_read_from_the_cache_is_the_status_read_afresh_in_every_format(ws, monkeypatch):
    fresh = outputs(ws, use_cache=False)
    assert not entries(ws, history.KIND) and not entries(ws, planview.KIND)  # --no-cache stores nothing
    assert outputs(ws, use_cache=True) == fresh  # a cold cache: read, then stored
    files = len(list((ws.parent / "进展").glob("*.plan")))
    assert len(entries(ws, history.KIND)) == files == 8 and len(entries(ws, planview.KIND)) == 1
    april = outputs(ws, use_cache=False, as_of="2023-04-30")
    no_reading(monkeypatch)
    assert outputs(ws, use_cache=True) == fresh  # a warm cache: nothing is parsed or compiled
    assert outputs(ws, use_cache=True, as_of="2023-04-30") == april


def test_the_cached_plan_view_gives_what_the_full_compilation_gives(ws):
    """The pickled view (model and lookups, no spans) gives the same status and the same workbook as the
    compilation it was taken from."""
    result = compile_file(ws)
    files = history.read_folder(ws.parent / "进展", ws.parent)
    planview.compile_view(ws)  # stored
    cached = planview.compile_view(ws)
    assert cached is not None and cached.model == result.model
    from planlang.progress.status import Loaded

    assert compute(Loaded(cached, files)) == compute(Loaded(result, files))
    reports = [r for f in files for r in f.reports]
    units = sheet.reporting_units(result)
    before = [r for r in reports if r.period != "2023-06"]
    now = [r for r in reports if r.period == "2023-06"]
    assert sheet.reporting_units(cached) == units
    assert (sheet.export_workbook(cached, "2023-06", units, before, now, "p")
            == sheet.export_workbook(result, "2023-06", units, before, now, "p"))


def test_track_export_from_the_cache_writes_the_same_workbook(ws, tmp_path):
    fresh, warm = tmp_path / "fresh.xlsx", tmp_path / "warm.xlsx"
    for out, extra in ((fresh, ["--no-cache"]), (warm, []), (warm, [])):
        proc = run_cli("track", "export", str(ws), "--period", "2023-07", "-o", str(out), *extra)
        assert proc.returncode == 0, proc.stderr
    assert entries(ws, history.KIND) and entries(ws, planview.KIND)
    assert warm.read_bytes() == fresh.read_bytes()
    book = load_workbook(io.BytesIO(warm.read_bytes()))
    sheet_ = book["区发改局"]
    assert sheet_.cell(5, 1).value == "1.1" and sheet_.cell(5, 7).value == "推进中"  # last period's state beside


def test_status_command_with_and_without_the_cache(ws):
    fresh = run_cli("status", str(ws), "--no-cache", "-f", "json")
    warm = [run_cli("status", str(ws), "-f", "json") for _ in range(2)]
    assert fresh.returncode == 0 and all(p.returncode == 0 for p in warm)
    assert warm[0].stdout == warm[1].stdout == fresh.stdout


def test_an_edited_progress_file_is_read_again(ws):
    before = outputs(ws, use_cache=True)
    jan = ws.parent / "进展" / "2024-01.plan"
    text = jan.read_text(encoding="utf-8")
    assert "  记录 1.3 {\n    状态：推进中" in text
    jan.write_text(text.replace("  记录 1.3 {\n    状态：推进中", "  记录 1.3 {\n    状态：已完成"), encoding="utf-8")
    after = outputs(ws, use_cache=True)
    assert after == outputs(ws, use_cache=False) and after["json"] != before["json"]
    status = compute(load(ws))
    assert next(t for t in status.tasks if t.path == "1.3").state == "done"


def test_an_edited_included_registry_is_a_miss_for_the_plan(ws):
    outputs(ws, use_cache=True)  # the cache is warm
    units = ws.parent / "nanhu-units.plan"
    units.write_text(units.read_text(encoding="utf-8").replace(
        "单位 区城投 {\n  类型：企业", "单位 区城投 {\n  全称：“南湖新区城市建设投资公司”\n  类型：企业"), encoding="utf-8")
    status = compute(load(ws))
    assert "南湖新区城市建设投资公司" in [g.title for g in status.units]
    assert outputs(ws, use_cache=True) == outputs(ws, use_cache=False)


def test_a_corrupt_or_foreign_entry_is_a_miss(ws):
    fresh = outputs(ws, use_cache=False)
    outputs(ws, use_cache=True)
    stored = entries(ws, history.KIND) + entries(ws, planview.KIND)
    assert len(stored) == 9
    for i, entry in enumerate(stored):
        # a torn pickle, bytes that are no pickle, and pickles of something else than what is stored
        entry.write_bytes([entry.read_bytes()[:40], b"not a pickle", pickle.dumps("x"), pickle.dumps({"view": 1})]
                          [i % 4])
    assert outputs(ws, use_cache=True) == fresh
    # each was read again and stored afresh
    assert outputs(ws, use_cache=True) == fresh
    assert all(pickle.loads(e.read_bytes()) != "x" for e in entries(ws, history.KIND) + entries(ws, planview.KIND))


def test_the_cache_is_never_written_into_the_workspace(ws):
    outputs(ws, use_cache=True)
    assert sorted(p.name for p in ws.parent.iterdir()) == ["nanhu-2023.plan", "nanhu-units.plan", "planlang.toml",
                                                           "进展"]
