"""The VS Code extension: generated files are current, the TextMate grammar passes its tests, and the
extension packages into a .vsix from the committed lock file."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from planlang import editor

EXT = ROOT / "editor-support" / "vscode"


def test_generated_grammar_and_snippets_are_current():
    grammar = json.loads((EXT / "syntaxes" / "plan.tmLanguage.json").read_text(encoding="utf-8"))
    snippets = json.loads((EXT / "snippets" / "plan.json").read_text(encoding="utf-8"))
    assert grammar == editor.tm_grammar(), "run `python -m planlang.editor editor-support/vscode`"
    assert snippets == editor.snippets(), "run `python -m planlang.editor editor-support/vscode`"


def test_manifest():
    pkg = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    (lang,) = pkg["contributes"]["languages"]
    assert lang["id"] == "plan" and lang["extensions"] == [".plan"]
    props = pkg["contributes"]["configuration"]["properties"]
    assert {"planlang.server.path", "planlang.server.pythonPath", "planlang.lang", "planlang.keywordLanguage",
            "planlang.trace.server"} <= set(props)
    assert props["planlang.keywordLanguage"]["enum"] == ["auto", "zh", "en"]
    conf = json.loads((EXT / "language-configuration.json").read_text(encoding="utf-8"))
    pairs = {(p["open"], p["close"]) for p in conf["autoClosingPairs"]}
    assert {("（", "）"), ("“", "”"), ("「", "」"), ("{", "}")} <= pairs
    assert (EXT / "package-lock.json").is_file()
    assert pkg["contributes"]["configurationDefaults"]["[plan]"]["editor.formatOnSave"] is True


COMMANDS = {"planlang.restartServer", "planlang.showOutput", "planlang.renderDocx", "planlang.renderXlsx",
            "planlang.renderHtml", "planlang.importDocument", "planlang.checkWorkspace", "planlang.diffWithHead"}


def test_commands_are_contributed_registered_and_in_the_menus():
    pkg = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    source = (EXT / "extension.js").read_text(encoding="utf-8")
    assert {c["command"] for c in pkg["contributes"]["commands"]} == COMMANDS
    assert set(re.findall(r'register\("(planlang\.\w+)"', source)) == COMMANDS
    menus = pkg["contributes"]["menus"]
    renders = {"planlang.renderDocx", "planlang.renderXlsx", "planlang.renderHtml"}
    for menu in ("editor/title", "editor/context", "explorer/context"):
        assert renders <= {m["command"] for m in menus[menu]}, menu
    # comparing works on the plan in the editor
    for menu in ("commandPalette", "editor/title", "editor/context"):
        assert "planlang.diffWithHead" in {m["command"] for m in menus[menu]}, menu


def _placeholders(value) -> list[str]:
    if isinstance(value, str):
        return re.findall(r"%([\w.]+)%", value)
    if isinstance(value, dict):
        return [p for v in value.values() for p in _placeholders(v)]
    if isinstance(value, list):
        return [p for v in value for p in _placeholders(v)]
    return []


def test_settings_and_commands_are_localized_in_english_and_chinese():
    pkg = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    used = set(_placeholders(pkg))
    en = json.loads((EXT / "package.nls.json").read_text(encoding="utf-8"))
    zh = json.loads((EXT / "package.nls.zh-cn.json").read_text(encoding="utf-8"))
    assert used and used == set(en) == set(zh)
    assert all(re.search(r"[\u4e00-\u9fff]", zh[k]) for k in zh if not k.startswith("config.keywordLanguage."))


def test_every_message_of_the_extension_has_a_chinese_translation():
    source = "\n".join(p.read_text(encoding="utf-8") for p in [EXT / "extension.js", *sorted((EXT / "src").glob("*.js"))])
    keys = set()
    for m in re.finditer(r'\bt\(\s*((?:"(?:[^"\\]|\\.)*"\s*\+?\s*)+)', source):
        keys.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))))
    bundle = json.loads((EXT / "l10n" / "bundle.l10n.zh-cn.json").read_text(encoding="utf-8"))
    assert len(keys) > 20 and keys == set(bundle)
    for key, text in bundle.items():
        assert set(re.findall(r"\{\d\}", key)) == set(re.findall(r"\{\d\}", text)), key
    assert "pip install" not in source


@pytest.fixture(scope="module")
def built(vscode_extension) -> Path:
    """The extension copied out of the tree and installed with `npm ci` from the committed lock file."""
    return vscode_extension


def test_textmate_grammar_tests_pass(built):
    proc = subprocess.run(["npx", "--no-install", "vscode-tmgrammar-test", "-g", "syntaxes/plan.tmLanguage.json",
                           "tests/chinese.plan", "tests/english.plan"], cwd=built, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("successful") == 2


def test_a_wrong_scope_fails_the_grammar_tests(built):
    bad = built / "tests" / "wrong.plan"
    text = (built / "tests" / "chinese.plan").read_text(encoding="utf-8")
    bad.write_text(text.replace("# <- keyword.control.block.plan", "# <- keyword.wrong.plan", 1), encoding="utf-8")
    proc = subprocess.run(["npx", "--no-install", "vscode-tmgrammar-test", "-g", "syntaxes/plan.tmLanguage.json",
                           "tests/wrong.plan"], cwd=built, capture_output=True, text=True, timeout=300)
    bad.unlink()
    assert proc.returncode != 0


def test_extension_packages_into_a_vsix(built):
    proc = subprocess.run(["npx", "--no-install", "vsce", "package", "--allow-missing-repository", "--out",
                           "planlang.vsix"], cwd=built, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with zipfile.ZipFile(built / "planlang.vsix") as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
    for f in ("extension/extension.js", "extension/syntaxes/plan.tmLanguage.json", "extension/snippets/plan.json",
              "extension/language-configuration.json", "extension/images/icon.png",
              "extension/node_modules/vscode-languageclient/package.json", "extension/bundled/launch.py",
              "extension/package.nls.json", "extension/package.nls.zh-cn.json",
              "extension/l10n/bundle.l10n.zh-cn.json"):
        assert f in names, f
    assert manifest["name"] == "planlang"
    assert not any(n.startswith(("extension/tests/", "extension/scripts/")) for n in names)
