"""Machine-readable outputs and generated docs: SARIF 2.1.0 (validated against the standard's schema), GitHub
annotations, `planlang rules`, and docs/rules.md kept current."""

from __future__ import annotations

import json
import subprocess
import tarfile
from functools import lru_cache
from pathlib import Path

import jsonschema

from conftest import ROOT, need_program, run_cli, unavailable

SARIF_SCHEMA_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"  # ships the OASIS SARIF 2.1.0 schema


@lru_cache(maxsize=1)
def sarif_schema(cache: str) -> dict:
    """The SARIF 2.1.0 JSON Schema, taken from an npm package that ships it."""
    folder = Path(cache)
    folder.mkdir(parents=True, exist_ok=True)
    npm = need_program("npm", package="nodejs npm", why="the SARIF schema comes from an npm package")
    proc = subprocess.run([npm, "pack", SARIF_SCHEMA_PACKAGE, "--silent"], cwd=folder, capture_output=True,
                          text=True, timeout=300)
    if proc.returncode != 0:
        unavailable(f"npm could not fetch {SARIF_SCHEMA_PACKAGE}, which ships the SARIF schema (npm needs its "
                    f"registry): {proc.stderr.strip()[-300:]}")
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


EN_SECTIONS = ("What it checks", "Why it matters", "Example (fails)", "Example (passes)", "How to fix")
ZH_SECTIONS = ("检查内容：", "原因：", "示例（不通过）：", "示例（通过）：", "修改方法：")


def test_rules_prints_one_rules_documentation_in_the_selected_language():
    proc = run_cli("rules", "PL201")  # Chinese by default
    assert proc.returncode == 0
    assert proc.stdout.startswith("PL201 task-without-owner (error) — 任务没有牵头或责任单位\n")
    for part in ZH_SECTIONS:
        assert part in proc.stdout
    assert not [p for p in EN_SECTIONS if p in proc.stdout] and "【中文】" not in proc.stdout
    proc = run_cli("rules", "PL201", "--lang", "en")
    assert proc.returncode == 0 and proc.stdout.startswith("PL201 task-without-owner (error) — task has no owner\n")
    for part in EN_SECTIONS:
        assert part in proc.stdout
    assert not [p for p in ZH_SECTIONS if p in proc.stdout] and "【中文】" not in proc.stdout
    assert run_cli("rules", "PL999").returncode == 2


def test_every_rule_is_documented_in_both_languages():
    """Every registered rule's docstring has its English sections, then a line `【中文】` and the Chinese ones."""
    from planlang.checks.registry import RULES, ZH_MARK

    for r in RULES:
        assert r.doc.startswith(r.code), r.code
        assert [line for line in r.doc.splitlines() if line.strip() == ZH_MARK] == [ZH_MARK], \
            f"{r.code}: its docstring needs one line 【中文】 before the Chinese half"
        en, zh = r.doc_in("en"), r.doc_in("zh")
        assert "What it checks" in en and "How to fix" in en, r.code
        assert not [p for p in ZH_SECTIONS if p in en], r.code
        assert zh.startswith(f"{r.code} — {r.summary_zh}\n\n"), r.code
        missing = [p for p in ZH_SECTIONS if p not in zh]
        assert not missing, f"{r.code}: the Chinese half lacks {missing}"
        assert zh.index("检查内容：") < zh.index("原因：") < zh.index("示例（不通过）：") < zh.index("修改方法："), r.code


def test_a_docstring_without_its_chinese_half_shows_its_english_text_in_both_languages():
    from planlang.checks.registry import Rule
    from planlang.diagnostics import Severity
    from planlang.outputs.rules_doc import rule_markdown

    def rule_fn() -> None:
        """PL999 — an example.

        What it checks: something.

        How to fix: something else.
        """

    rule = Rule("PL999", "an-example", Severity.WARNING, "示例", "an example", None, rule_fn)
    assert rule.doc_in("zh") == rule.doc_in("en") == rule.doc
    assert rule_markdown(rule) == rule_markdown(rule, "zh") == rule_markdown(rule, "en")
    assert "What it checks: something." in rule_markdown(rule) and "【中文】" not in rule_markdown(rule)


def test_sarif_rules_describe_themselves_in_the_selected_language_and_link_their_docs_section(tmp_path):
    from urllib.parse import unquote, urlparse

    from planlang.checks.registry import RULE_BY_CODE

    (tmp_path / "planlang.toml").touch()
    plan = tmp_path / "p.plan"
    plan.write_text("任务 “无人负责的任务” { 时限：年底前 }\n", encoding="utf-8")
    for lang, sections in (("zh", ZH_SECTIONS), ("en", EN_SECTIONS)):
        proc = run_cli("check", "--format", "sarif", "--lang", lang, str(plan))
        rules = json.loads(proc.stdout)["runs"][0]["tool"]["driver"]["rules"]
        assert {r["id"] for r in rules} == set(RULE_BY_CODE)
        for r in rules:
            full = r["fullDescription"]["text"]
            assert sections[0] in full and sections[-1] in full, (lang, r["id"])
            assert full == RULE_BY_CODE[r["id"]].doc_in(lang).split("\n\n", 1)[1]
            assert r["help"]["text"] == RULE_BY_CODE[r["id"]].doc_in(lang)
            uri = urlparse(r["helpUri"])
            assert uri.scheme == "file" and uri.fragment == r["id"].lower()
            docs = Path(unquote(uri.path))
            assert docs.name == "rules.md"
            # the anchor exists, and the section under it is this rule's, in both languages
            section = docs.read_text(encoding="utf-8").split(f'<a id="{uri.fragment}"></a>\n', 1)[1]
            section = section.split("<a id=", 1)[0]
            assert section.lstrip().startswith(f"## {r['id']} — ")
            assert f"**【中文】{r['id']} — " in section


def test_docs_rules_md_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == run_cli("rules", "--markdown").stdout, "docs/rules.md is stale: run `planlang rules --markdown > docs/rules.md`"
