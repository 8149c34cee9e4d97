"""The command line through its real entry point: exit codes, formats, atomic and deterministic output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli

CLEAN = """方案 试点 “试点工作方案” { 周期：2023年 }
单位 区发改局
任务 “精准谋划储备项目” { 牵头：区发改局；时限：年底前 }
机制 调度 { 类型：调度；牵头：区发改局；频次：月通报 }
机制 考核 { 类型：考核；牵头：区发改局 }
"""
BROKEN = """方案 试点 “试点工作方案” { 周期：2023年 }
单位 区发改局
任务 “精准谋划储备项目” { 牵头：区发该局 }
机制 调度 { 类型：调度；牵头：区发改局；频次：月通报 }
机制 考核 { 类型：考核；牵头：区发改局 }
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "planlang.toml").touch()
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_check_clean_file_exits_0(tmp_path):
    proc = run_cli("check", str(_write(tmp_path, "ok.plan", CLEAN)))
    assert proc.returncode == 0, proc.stdout
    assert "0 个错误" in proc.stdout


def test_check_errors_exit_1_with_source_line_and_caret(tmp_path):
    proc = run_cli("check", str(_write(tmp_path, "bad.plan", BROKEN)))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    head = next(i for i, l in enumerate(lines) if "[PL101]" in l)
    assert lines[head].endswith("未定义的单位“区发该局”，是否想写“区发改局”？")
    assert ":3:" in lines[head]
    source, caret = lines[head + 1], lines[head + 2]
    assert "牵头：区发该局" in source
    # the caret sits under 区发该局: four CJK characters are eight columns wide
    src_col = source.index("区发该局")
    prefix = source[:src_col]
    width = sum(2 if "\u4e00" <= ch <= "\u9fff" or ch in "“”：；｛｝" else 1 for ch in prefix)
    assert caret.rstrip().endswith("^" * 8)
    assert caret.index("^") >= width - 2  # ambiguous-width quotes may count one or two columns


def test_check_english_messages(tmp_path):
    proc = run_cli("check", "--lang", "en", str(_write(tmp_path, "bad.plan", BROKEN)))
    assert "undefined unit '区发该局'; did you mean '区发改局'?" in proc.stdout
    assert "1 error(s)" in proc.stdout


def test_check_json_shape_is_exact(tmp_path):
    proc = run_cli("check", "--format", "json", str(_write(tmp_path, "bad.plan", BROKEN)))
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert set(data) == {"version", "diagnostics"} and data["version"] == 1
    (d,) = data["diagnostics"]
    assert set(d) == {"file", "code", "severity", "message", "range"}
    assert d["code"] == "PL101" and d["severity"] == "error"
    # 1-based line; columns count code points: `任务 “精准谋划储备项目” { 牵头：` is 19 characters
    assert d["range"] == {"start": {"line": 3, "column": 20}, "end": {"line": 3, "column": 24}}


def test_check_folder_is_recursive(tmp_path):
    _write(tmp_path, "ok.plan", CLEAN)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.plan").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "sub" / "notes.txt").write_text("not a plan", encoding="utf-8")
    proc = run_cli("check", "--format", "json", str(tmp_path))
    assert proc.returncode == 1
    files = {Path(d["file"]).name for d in json.loads(proc.stdout)["diagnostics"]}
    assert files == {"bad.plan"}


def test_check_missing_path_is_usage_error(tmp_path):
    proc = run_cli("check", str(tmp_path / "nope.plan"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_check_unknown_option_is_usage_error():
    proc = run_cli("check", "--no-such-option", "x.plan")
    assert proc.returncode == 2


def test_check_warnings_only_exit_0(tmp_path):
    # the examples with owners produce no errors
    proc = run_cli("check", str(EXAMPLES / "nanhu-2023.plan"))
    assert proc.returncode == 0, proc.stdout


def test_compile_writes_nothing_on_error(tmp_path):
    bad = _write(tmp_path, "bad.plan", BROKEN)
    out = tmp_path / "out.json"
    proc = run_cli("compile", str(bad), "-o", str(out))
    assert proc.returncode == 1
    assert not out.exists()
    assert "PL101" in proc.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_compile_to_stdout_and_file_agree(tmp_path):
    ok = _write(tmp_path, "ok.plan", CLEAN)
    out = tmp_path / "out.json"
    a = run_cli("compile", str(ok))
    b = run_cli("compile", str(ok), "-o", str(out))
    assert a.returncode == b.returncode == 0
    assert out.read_text(encoding="utf-8") == a.stdout
    data = json.loads(a.stdout)
    for key in ("schema_version", "plan", "units", "goals", "tasks", "mechanisms"):
        assert key in data
    task = data["tasks"][0]
    for key in ("id", "number", "title", "lead", "responsible", "cooperate", "effective_owners", "due",
                "supports", "children"):
        assert key in task
    assert task["due"][0]["date"] == "2023-12-31"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_compile_missing_file_exit_2(tmp_path):
    assert run_cli("compile", str(tmp_path / "none.plan")).returncode == 2


def test_schema_prints_the_committed_schema():
    proc = run_cli("schema")
    assert proc.returncode == 0
    committed = (Path(__file__).resolve().parent.parent / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    assert proc.stdout == committed
    assert json.loads(proc.stdout)["title"] == "CompiledPlan"


def test_console_script_is_installed():
    exe = shutil.which("planlang", path=str(Path(sys.executable).parent))
    assert exe is not None, "the `planlang` console script is not installed beside this interpreter"


# -- start-up: what each command loads ----------------------------------------------------------------------

_LOADED = """import atexit, json, os, sys
sys.argv = ["planlang", *json.loads(os.environ["PLANLANG_ARGS"])]
atexit.register(lambda: open(os.environ["PLANLANG_MODULES"], "w").write("\\n".join(sorted(sys.modules))))
from planlang.cli import main
main()
"""
_NEVER_AT_START = ("typer", "click", "rich", "pygls", "lsprotocol", "jsonschema", "openpyxl", "docx", "lxml",
                   "importlib.metadata", "difflib")


def _loaded(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run the entry point with `args`; the modules loaded by the time it exits."""
    mods = tmp_path / "modules.txt"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "PLANLANG_ARGS": json.dumps(list(args)),
           "PLANLANG_MODULES": str(mods)}
    proc = subprocess.run([sys.executable, "-c", _LOADED], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=tmp_path, timeout=120)
    return proc, set(mods.read_text().split())


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules} | modules


def test_check_loads_neither_typer_nor_anything_it_does_not_use(tmp_path):
    """The pre-commit hook's path: `planlang check` on a clean plan loads the pipeline and nothing else of
    weight — no typer (the plain forms of `check` run without it), no did-you-mean (rapidfuzz, pypinyin), no
    renderers, no language server, no pydantic plugin discovery (importlib.metadata)."""
    proc, mods = _loaded(tmp_path, "check", str(EXAMPLES / "nanhu-2023.plan"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    loaded = _top(mods)
    assert not loaded & {*_NEVER_AT_START, "rapidfuzz", "pypinyin"}, sorted(loaded & {*_NEVER_AT_START, "rapidfuzz"})
    assert {"planlang.pipeline", "lark", "pydantic"} <= loaded


def test_a_registry_of_names_one_character_apart_is_checked_without_pypinyin(tmp_path):
    """PL107's homophone test (区教育局 / 区教体局 differ by one character) reads two characters' readings from
    pypinyin's table of characters, without importing pypinyin and its phrase dictionary (~0.12 s, ~60 MiB)."""
    plan = _write(tmp_path, "units.plan", "单位 区教育局\n单位 区教体局\n单位 区发改局\n单位 区发该局\n")
    proc, mods = _loaded(tmp_path, "check", str(plan))
    assert "PL107" in proc.stdout and "区发该局" in proc.stdout and "区教体局" not in proc.stdout, proc.stdout
    assert "pypinyin" not in _top(mods)


def test_check_with_errors_loads_did_you_mean_only(tmp_path):
    plan = _write(tmp_path, "bad.plan", BROKEN)
    proc, mods = _loaded(tmp_path, "check", "--format", "json", "--lang", "en", str(plan))
    assert proc.returncode == 1 and "did you mean" in proc.stdout
    loaded = _top(mods)
    assert "rapidfuzz" in loaded and not loaded & set(_NEVER_AT_START), sorted(loaded & set(_NEVER_AT_START))


@pytest.mark.parametrize("args", [
    ["--help"], ["check", "--help"], ["check", "--no-such-option", "x.plan"], ["rules"], ["rules", "PL201"],
    ["schema"], ["fmt", "--check", "{ex}/nanhu-2023.plan"], ["compile", "{ex}/nanhu-2023.plan"],
    ["render", "{ex}/nanhu-2023.plan", "--to", "md", "-o", "-"], ["check", "--", "{ex}/nanhu-2023.plan"],
], ids=lambda a: " ".join(a).replace("{ex}/", ""))
def test_only_the_lsp_command_loads_the_language_server(tmp_path, args):
    proc, mods = _loaded(tmp_path, *(a.replace("{ex}", str(EXAMPLES)) for a in args))
    assert proc.returncode in (0, 1, 2) and "Traceback" not in proc.stderr, proc.stderr
    assert not _top(mods) & {"lsprotocol", "pygls"}


@pytest.mark.parametrize("options", [[], ["--format", "json"], ["-fsarif", "--lang", "en"], ["--format=github"],
                                     ["--lang=en"], ["--dependents"]], ids=lambda o: " ".join(o) or "text")
def test_check_without_typer_prints_what_typer_prints(tmp_path, options):
    """`check PATH…` runs without typer; `check -- PATH…` (same meaning) goes through typer: same bytes."""
    (tmp_path / "sub").mkdir()
    _write(tmp_path, "ok.plan", CLEAN)
    _write(tmp_path / "sub", "bad.plan", BROKEN)
    for paths in ([str(tmp_path)], [str(tmp_path / "ok.plan"), str(tmp_path / "nope.plan")],
                  [str(tmp_path / "sub" / "bad.plan"), str(tmp_path / "sub")]):
        fast, fast_mods = _loaded(tmp_path, "check", *paths, *options)
        slow, slow_mods = _loaded(tmp_path, "check", *options, "--", *paths)
        assert "typer" not in _top(fast_mods) and "typer" in _top(slow_mods)
        assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)


@pytest.mark.parametrize("options", [[], ["--format", "json"], ["-fmd", "--unit", "区发改局"], ["--no-cache"],
                                     ["--format=html", "-o", "out.html"]], ids=lambda o: " ".join(o) or "text")
def test_diff_without_typer_prints_what_typer_prints(tmp_path, options):
    """`diff OLD NEW` runs without typer (a git diff driver starts it once per plan); `diff -- OLD NEW` goes
    through typer: same bytes, same exit code, same file written."""
    old = _write(tmp_path, "old.plan", CLEAN)
    new = _write(tmp_path, "new.plan", CLEAN.replace("时限：年底前", "时限：6月底前"))
    for files in ([str(old), str(new)], [str(old), str(tmp_path / "nope.plan")], [str(old)], [str(old), str(old)]):
        fast, fast_mods = _loaded(tmp_path, "diff", *files, *options)
        written = (tmp_path / "out.html").read_bytes() if (tmp_path / "out.html").exists() else None
        slow, slow_mods = _loaded(tmp_path, "diff", *options, "--", *files)
        assert "typer" not in _top(fast_mods) and "typer" in _top(slow_mods)
        assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)
        assert written == ((tmp_path / "out.html").read_bytes() if written is not None else None)
        assert fast.returncode == (1 if files == [str(old), str(new)] else 0 if files[1:] == [str(old)] else 2)
