"""The five seed plans as examples: golden JSON, schema validity, expected diagnostics and counts.

Set PLANLANG_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change; a missing golden fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from planlang.model.symbols import walk_tasks
from planlang.outputs.jsonout import plan_json, schema_json
from planlang.pipeline import compile_file

from conftest import EXAMPLES, ROOT, run_cli

PLANS = ["nanhu-2023", "hecheng-2024", "huli-2023", "yueyanglou-2017", "pingjiang-2023", "english-keywords"]
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("PLANLANG_UPDATE_GOLDEN") == "1"


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"missing golden {name}; run with PLANLANG_UPDATE_GOLDEN=1 and review the diff"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden"


@pytest.mark.parametrize("name", PLANS)
def test_compiled_json_matches_golden(name):
    result = compile_file(EXAMPLES / f"{name}.plan", root=ROOT)
    _golden(f"{name}.json", plan_json(result.model))


@pytest.mark.parametrize("name", PLANS)
def test_diagnostics_match_golden(name):
    proc = run_cli("check", "--format", "json", f"examples/{name}.plan")
    assert proc.returncode in (0, 1), proc.stderr
    _golden(f"{name}.diagnostics.json", proc.stdout)


@pytest.mark.parametrize("name", PLANS)
def test_compiled_examples_validate_against_committed_schema(name):
    schema = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    result = compile_file(EXAMPLES / f"{name}.plan", root=ROOT)
    jsonschema.validate(json.loads(plan_json(result.model)), schema)


def test_committed_schema_is_current():
    committed = (ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "schema/plan.schema.json is stale: run `planlang schema -o schema/plan.schema.json`"


def test_compile_output_is_deterministic(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run_cli("compile", "examples/nanhu-2023.plan", "-o", str(a)).returncode == 0
    assert run_cli("compile", "examples/nanhu-2023.plan", "-o", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()


def _owned(name: str) -> list:
    result = compile_file(EXAMPLES / f"{name}.plan", root=ROOT)
    return [t for t, _ in walk_tasks(result.model.tasks) if t.lead or t.responsible]


@pytest.mark.parametrize("name, count", [("nanhu-2023", 21), ("yueyanglou-2017", 20), ("pingjiang-2023", 30)])
def test_owned_task_counts(name, count):
    assert len(_owned(name)) == count


def test_check_examples_reports_pl201_only_for_ownerless_plans():
    proc = run_cli("check", "--format", "json", "examples")
    assert proc.returncode == 1
    diags = json.loads(proc.stdout)["diagnostics"]
    errors = [d for d in diags if d["severity"] == "error"]
    assert errors, "hecheng-2024 and huli-2023 must report their ownerless actions"
    # the invented progress history (examples/进展/) shows every progress finding, two of them errors
    progress = [d for d in errors if Path(d["file"]).parent.name == "进展"]
    assert sorted((Path(d["file"]).name, d["code"]) for d in progress) == [("2023-03.plan", "PL601"),
                                                                          ("2023-05.plan", "PL606")]
    errors = [d for d in errors if d not in progress]
    assert {Path(d["file"]).name for d in errors} == {"hecheng-2024.plan", "huli-2023.plan"}
    for name in ("hecheng-2024.plan", "huli-2023.plan"):
        assert any(d["code"] == "PL201" and Path(d["file"]).name == name for d in errors)
    # the only other error: hecheng's 考核 mechanism names no owner in the source either
    assert {d["code"] for d in errors} == {"PL201", "PL501"}


@pytest.mark.parametrize("name", ["nanhu-2023", "yueyanglou-2017", "pingjiang-2023", "english-keywords"])
def test_owned_examples_compile_without_errors(name, tmp_path):
    out = tmp_path / "out.json"
    proc = run_cli("compile", f"examples/{name}.plan", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["schema_version"] == 1


def test_nanhu_key_facts():
    result = compile_file(EXAMPLES / "nanhu-2023.plan", root=ROOT)
    m = result.model
    first = m.tasks[0].children[0]
    assert first.title == "精准谋划储备项目"
    assert first.lead == ["区发改局"]
    # numbered as the original numbers it (编号：一、（一）1.): the tasks sit in 二、工作任务
    assert first.number == "1." and m.tasks[0].number == "（一）"
    assert first.targets[0].quantity.normalized == 190_000_000
    sl = next(g for g in m.goals if g.id == "社零")
    assert [q.normalized for q in sl.growth] == [0.08]
    assert [q.normalized for q in sl.total] == [5_200_000_000]
    assert m.plan.period.start == "2023-01-01" and m.plan.period.end == "2023-12-31"
    fgj = next(u for u in m.units if u.id == "区发改局")
    assert first.id in fgj.tasks.lead


def test_homophone_slip_in_nanhu_is_pl101_with_suggestion(tmp_path):
    text = (EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8")
    needle = "牵头：区发改局"
    at = text.index(needle) + len("牵头：")
    (tmp_path / "planlang.toml").write_text("", encoding="utf-8")
    for f in EXAMPLES.glob("nanhu-units.plan"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "nanhu-2023.plan"
    bad.write_text(text[:at] + "区发该局" + text[at + 4:], encoding="utf-8")
    proc = run_cli("check", "--format", "json", str(bad))
    assert proc.returncode == 1
    diags = [d for d in json.loads(proc.stdout)["diagnostics"] if d["severity"] == "error"]
    assert [d["code"] for d in diags] == ["PL101"]
    line = text[:at].count("\n") + 1
    col = at - text.rfind("\n", 0, at)
    assert diags[0]["range"]["start"] == {"line": line, "column": col}
    assert diags[0]["range"]["end"] == {"line": line, "column": col + 4}
    assert "区发改局" in diags[0]["message"]


def test_gbk_copy_of_an_example_is_pl004_not_a_traceback(tmp_path):
    text = (EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8")
    gbk = tmp_path / "gbk.plan"
    gbk.write_bytes(text.encode("gb18030"))
    proc = run_cli("check", str(gbk))
    assert proc.returncode == 1
    assert "PL004" in proc.stdout and "GB18030" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
