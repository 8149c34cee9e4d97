"""`planlang check` over many files: the result cache (what a re-run recomputes) and the process pool (the same
bytes as a serial run, in every format)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run_cli
from planlang import batch, cli
from planlang.batch import Checker

FORMATS = ["text", "json", "sarif", "github"]


def _bench_workspace():
    spec = importlib.util.spec_from_file_location("bench_workspace", ROOT / "bench" / "workspace.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A cache folder of the test's own, on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANLANG_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANLANG_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def workspace(tmp_path, cache_dir):
    """Twelve generated plans in three counties sharing registries; one has an error, one a warning."""
    ws = tmp_path / "ws"
    files = _bench_workspace().write_workspace(ws, plans=12, counties=3)
    bad = files[4]
    bad.write_text(bad.read_text(encoding="utf-8").replace("牵头：区发改局", "牵头：区发该局", 1), encoding="utf-8")
    warn = files[7]
    warn.write_text(warn.read_text(encoding="utf-8") + "单位 区档案馆\n", encoding="utf-8")  # PL105
    return ws


def _check(capsys, paths, fmt="text", jobs=None, no_cache=False, dependents=False):
    """`planlang check` in this process: exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as e:
        cli.check([Path(p) for p in paths], cli.CheckFormat(fmt), cli.Lang.zh, dependents, jobs, no_cache)
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def _plans(ws: Path) -> list[Path]:
    return sorted(ws.rglob("*.plan"))


# -- the same output -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_examples_give_the_same_bytes_uncached_cold_warm_and_in_a_pool(fmt, capsys, cache_dir, monkeypatch):
    monkeypatch.chdir(ROOT)
    plain = _check(capsys, ["examples"], fmt, jobs=1, no_cache=True)
    assert plain[0] == 1 and plain[1]
    monkeypatch.setattr(batch, "POOL_MIN_BYTES", 0)  # a pool even for small inputs
    pooled = _check(capsys, ["examples"], fmt, jobs=2, no_cache=True)
    cold = _check(capsys, ["examples"], fmt, jobs=2)
    warm = _check(capsys, ["examples"], fmt, jobs=2)
    assert plain == pooled == cold == warm


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_generated_workspace_gives_the_same_bytes_every_way(fmt, capsys, workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    monkeypatch.setattr(batch, "POOL_MIN_BYTES", 0)
    plain = _check(capsys, ["."], fmt, jobs=1, no_cache=True)
    assert plain[0] == 1 and "PL101" in plain[1] and "PL105" in plain[1]
    assert _check(capsys, ["."], fmt, jobs=2, no_cache=True) == plain
    assert _check(capsys, ["."], fmt, jobs=2) == plain  # cold: fills the cache
    assert _check(capsys, ["."], fmt, jobs=1) == plain  # warm
    assert _check(capsys, ["county-02", "county-01"], fmt) == _check(capsys, ["county-02", "county-01"], fmt,
                                                                      no_cache=True)


def test_the_command_line_takes_jobs_and_no_cache_with_or_without_typer(tmp_path, cache_dir):
    for extra in (["-j", "2"], ["-j2"], ["--jobs=2"], ["--jobs", "1", "--no-cache"]):
        fast = run_cli("check", *extra, str(EXAMPLES))
        slow = run_cli("check", *extra, "--", str(EXAMPLES))
        assert fast.returncode == slow.returncode == 1 and fast.stdout == slow.stdout and fast.stderr == slow.stderr
    bad = run_cli("check", "-j", "0", str(EXAMPLES))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


# -- what a re-run recomputes -------------------------------------------------------------------------------------

def test_a_rerun_recomputes_nothing_then_only_the_edited_plan(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    files = _plans(workspace)
    first = Checker(jobs=1).run(files)
    assert len(Checker(jobs=1).run(files)) == len(files)
    again = Checker(jobs=1)
    second = again.run(files)
    assert again.computed == [] and all(o.cached for o in second)
    assert [o.diagnostics and [d.code for d in o.diagnostics] for o in first] == \
        [o.diagnostics and [d.code for d in o.diagnostics] for o in second]
    edited = workspace / "county-02" / "plan-0005.plan"
    edited.write_text(edited.read_text(encoding="utf-8").replace("说明：“", "说明：“另：", 1), encoding="utf-8")
    c = Checker(jobs=1)
    c.run(files)
    assert c.computed == [edited]


def test_editing_a_registry_recomputes_exactly_the_plans_that_include_it(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    files = _plans(workspace)
    Checker(jobs=1).run(files)
    county = workspace / "county-03" / "units.plan"
    county.write_text(county.read_text(encoding="utf-8") + "单位 新设街道办事处\n", encoding="utf-8")
    c = Checker(jobs=2)
    c.run(files)
    assert c.computed == sorted(workspace.glob("county-03/*.plan"))
    shared = workspace / "registry" / "common.plan"  # every county registry includes it, so every plan
    shared.write_text(shared.read_text(encoding="utf-8") + "# 修订\n", encoding="utf-8")
    c = Checker(jobs=2)
    c.run(files)
    assert c.computed == [f for f in files if f.parent.name != "registry" or f == shared]


def test_a_configuration_change_invalidates(workspace, monkeypatch, capsys):
    monkeypatch.chdir(workspace)
    before = _check(capsys, ["."])
    assert "PL105" in before[1]
    (workspace / "planlang.toml").write_text('ignore = ["PL105"]\n', encoding="utf-8")
    c = Checker(jobs=1)
    c.run(_plans(workspace))
    assert c.computed == _plans(workspace)
    after = _check(capsys, ["."])
    assert "PL105" not in after[1] and after == _check(capsys, ["."], no_cache=True)


def test_a_missing_include_that_appears_invalidates(tmp_path, cache_dir, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "planlang.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.plan").write_text("引用 “units.plan”\n方案 甲 “甲方案” {\n  制定单位：区发改局\n}\n", encoding="utf-8")
    assert "PL005" in _check(capsys, ["a.plan"])[1]
    (tmp_path / "units.plan").write_text("单位 区发改局\n", encoding="utf-8")
    code, out, _ = _check(capsys, ["a.plan"])
    assert "PL005" not in out and (code, out) == _check(capsys, ["a.plan"], no_cache=True)[:2]


def test_a_progress_file_is_rechecked_when_a_sibling_changes(tmp_path, cache_dir, monkeypatch):
    ws = tmp_path / "ex"
    shutil.copytree(EXAMPLES, ws)
    (ws / "planlang.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(ws)
    files = _plans(ws)
    Checker(jobs=1).run(files)
    may = ws / "进展" / "2023-05.plan"
    may.write_text(may.read_text(encoding="utf-8") + "# 补记\n", encoding="utf-8")
    c = Checker(jobs=1)
    c.run(files)
    assert c.computed == sorted((ws / "进展").glob("*.plan"))  # each reads the others as its history


def test_a_corrupt_or_foreign_entry_is_a_miss(workspace, cache_dir, monkeypatch, capsys):
    monkeypatch.chdir(workspace)
    expected = _check(capsys, ["."])
    entries = [p for p in (cache_dir / "check").glob("??/*")]
    assert entries
    for i, p in enumerate(entries):
        p.write_bytes(b"\x80\x05garbage" if i % 2 else __import__("pickle").dumps({"not": "an entry"}))
    c = Checker(jobs=1)
    c.run(_plans(workspace))
    assert c.computed == _plans(workspace)
    assert _check(capsys, ["."]) == expected


def test_no_cache_and_the_environment_variable_write_nothing(workspace, cache_dir, monkeypatch, capsys):
    monkeypatch.chdir(workspace)
    _check(capsys, ["."], no_cache=True)
    assert not (cache_dir / "check").exists()
    monkeypatch.setenv("PLANLANG_NO_CACHE", "1")
    _check(capsys, ["."])
    assert not (cache_dir / "check").exists()
    c = Checker(jobs=1)
    c.run(_plans(workspace))
    assert c.computed == _plans(workspace)


def test_an_unwritable_cache_folder_is_no_error(workspace, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PLANLANG_CACHE_DIR", str(blocker))
    monkeypatch.chdir(workspace)
    code, out, err = _check(capsys, ["."])
    assert code == 1 and err == "" and (code, out, err) == _check(capsys, ["."], no_cache=True)


def test_dependents_are_found_from_the_cache(workspace, monkeypatch, capsys):
    monkeypatch.chdir(workspace)
    reg = Path("county-01") / "units.plan"
    cold = _check(capsys, [reg], dependents=True)
    c = Checker(jobs=1)
    c.run(_plans(workspace))
    assert c.computed == []  # the first run stored every plan of the workspace it compiled to find them
    assert _check(capsys, [reg], dependents=True) == cold == _check(capsys, [reg], dependents=True, no_cache=True)
    assert f"检查了 {1 + len(list(workspace.glob('county-01/plan-*.plan')))} 个文件" in cold[1]


def test_the_generated_workspace_checks_with_no_errors(tmp_path, cache_dir):
    ws = tmp_path / "ws"
    files = _bench_workspace().write_workspace(ws, plans=6, counties=2)
    lines = [f.read_text(encoding="utf-8").count("\n") for f in files]
    assert all(290 <= n <= 820 for n in lines), lines
    proc = run_cli("check", "--no-cache", str(ws))
    assert proc.returncode == 0 and "0 个错误" in proc.stdout, proc.stdout[-2000:]
    again = tmp_path / "again"
    _bench_workspace().write_workspace(again, plans=6, counties=2)
    assert all(f.read_bytes() == (again / f.relative_to(ws)).read_bytes() for f in files)  # seeded


def test_a_warm_check_loads_neither_the_pipeline_nor_a_pool(tmp_path, cache_dir):
    """The pre-commit hook's path, warm: the outcome comes from the cache without loading the parser, the model
    or the process pool."""
    from test_cli import _loaded, _top

    (tmp_path / "planlang.toml").write_text("", encoding="utf-8")
    shutil.copy(EXAMPLES / "nanhu-2023.plan", tmp_path)
    shutil.copy(EXAMPLES / "nanhu-units.plan", tmp_path)
    cold, cold_mods = _loaded(tmp_path, "check", "nanhu-2023.plan")
    warm, warm_mods = _loaded(tmp_path, "check", "nanhu-2023.plan")
    assert (cold.returncode, cold.stdout) == (warm.returncode, warm.stdout)
    assert "planlang.pipeline" in cold_mods and "multiprocessing" not in _top(cold_mods)
    # (pydantic's name is there: the entry point puts a stand-in for its plugin loader in sys.modules)
    assert not _top(warm_mods) & {"planlang.pipeline", "planlang.model", "lark", "pydantic_core", "multiprocessing",
                                  "typer"}
    assert os.environ["PLANLANG_CACHE_DIR"] == str(cache_dir)


def test_an_include_through_a_link_pointed_elsewhere_invalidates(tmp_path, cache_dir, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "planlang.toml").write_text("", encoding="utf-8")
    (tmp_path / "full.plan").write_text("单位 区发改局\n", encoding="utf-8")
    (tmp_path / "empty.plan").write_text("# 空的登记\n", encoding="utf-8")
    (tmp_path / "units.plan").symlink_to("full.plan")
    (tmp_path / "a.plan").write_text("引用 “units.plan”\n方案 甲 “甲方案” {\n  制定单位：区发改局\n}\n", encoding="utf-8")
    assert _check(capsys, ["a.plan"])[0] == 0
    (tmp_path / "units.plan").unlink()
    (tmp_path / "units.plan").symlink_to("empty.plan")
    code, out, _ = _check(capsys, ["a.plan"])
    assert code == 1 and "PL101" in out and (code, out) == _check(capsys, ["a.plan"], no_cache=True)[:2]


def test_a_manifest_of_another_shape_is_a_miss(workspace, cache_dir, monkeypatch, capsys):
    monkeypatch.chdir(workspace)
    expected = _check(capsys, ["."])
    from planlang.cache import Cache

    c = Cache("check")
    keys = batch._Keys()
    plan = (workspace / "county-01" / "plan-0001.plan").resolve()
    base = keys.base(plan, plan.read_bytes())
    for foreign in ([(3, "x")], [("f", 3)], ["f"], {"f": "x"}, [("x", str(plan))]):
        c.put(keys.manifest_key(base), foreign)
        checker = Checker(jobs=1)
        checker.run([plan])
        assert checker.computed == [plan]
    assert _check(capsys, ["."]) == expected
