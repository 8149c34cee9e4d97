"""Machine-readable outputs and generated docs: SARIF 2.1.0 (validated against the standard's schema), GitHub
annotations, `planlang rules`, and docs/rules.md kept current."""

from __future__ import annotations

import json
import subprocess
import tarfile
from functools import lru_cache
from pathlib import Path

import jsonschema

from conftest import ROOT, need_program, run_cli

SARIF_SCHEMA_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"  # ships the OASIS SARIF 2.1.0 schema


@lru_cache(maxsize=1)
def sarif_schema(cache: str) -> dict:
    """The SARIF 2.1.0 JSON Schema, taken from an npm package that ships it."""
    folder = Path(cache)
    folder.mkdir(parents=True, exist_ok=True)
    npm = need_program("npm", package="nodejs npm", why="the SARIF schema comes from an npm package")
    subprocess.run([npm, "pack", SARIF_SCHEMA_PACKAGE, "--silent"], cwd=folder, check=True, capture_output=True,
                   timeout=300)
    (tgz,) = folder.glob("*.tgz")
    with tarfile.open(tgz) as t:
        member = t.getmember("package/lib/schemas/sarif-2.1.0-rtm.5.json")
        return json.load(t.extractfile(member))


def test_sarif_of_the_examples_validates_against_the_schema(tmp_path_factory):
    proc = run_cli("check", "--format", "sarif", "examples")
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    schema = sarif_schema(str(tmp_path_factory.mktemp("sarif")))
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"PL001", "PL201", "PL302", "PL503"} <= set(rules)
    pl201 = rules["PL201"]
    assert pl201["defaultConfiguration"]["level"] == "error"
    assert pl201["shortDescription"]["text"] and pl201["fullDescription"]["text"] and pl201["help"]["text"]
    assert rules["PL404"]["defaultConfiguration"]["enabled"] is False
    results = run["results"]
    assert any(r["ruleId"] == "PL201" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               == "examples/hecheng-2024.plan" for r in results)
    for r in results:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_github_annotations(tmp_path):
    (tmp_path / "planlang.toml").touch()
    bad = tmp_path / "bad.plan"
    bad.write_text("方案 试点 “试点” { 周期：2023年 }\n任务 “无人负责的任务” { 时限：年底前 }\n", encoding="utf-8")
    proc = run_cli("check", "--format", "github", str(bad))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    error = next(l for l in lines if "title=PL201" in l)
    assert error.startswith("::error file=")
    assert ",line=2,col=4," in error
    assert error.endswith("::任务“无人负责的任务”没有牵头或责任单位（自身和上级任务都未指定）")
    assert any(l.startswith("::warning ") and "title=PL503" in l for l in lines)


def test_rules_lists_every_code():
    proc = run_cli("rules")
    assert proc.returncode == 0
    codes = [line.split()[0] for line in proc.stdout.splitlines()]
    expected = ["PL001", "PL002", "PL003", "PL004", "PL005", "PL101", "PL102", "PL103", "PL104", "PL105",
                "PL201", "PL202", "PL203", "PL204", "PL301", "PL302", "PL303", "PL304", "PL305", "PL401",
                "PL402", "PL403", "PL404", "PL501", "PL502", "PL503"]
    assert set(expected) <= set(codes)
    assert "PL404  off" in proc.stdout


def test_rules_prints_one_rules_documentation():
    proc = run_cli("rules", "PL201")
    assert proc.returncode == 0
    for part in ("PL201", "What it checks", "Why it matters", "Example (fails)", "Example (passes)", "How to fix"):
        assert part in proc.stdout
    assert run_cli("rules", "PL999").returncode == 2


def test_every_rule_is_documented():
    from planlang.checks import RULES

    for r in RULES:
        assert r.doc.startswith(r.code), r.code
        assert "What it checks" in r.doc and "How to fix" in r.doc, r.code


def test_docs_rules_md_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == run_cli("rules", "--markdown").stdout, "docs/rules.md is stale: run `planlang rules --markdown > docs/rules.md`"
