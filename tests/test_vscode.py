"""The VS Code extension: generated files are current, the TextMate grammar passes its tests, and the
extension packages into a .vsix from the committed lock file."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, need_program
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


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The extension copied out of the tree and installed with `npm ci` from the committed lock file."""
    npm = need_program("npm", package="nodejs npm", why="the extension is built with npm")
    work = tmp_path_factory.mktemp("vscode") / "ext"
    shutil.copytree(EXT, work, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=work, check=True, capture_output=True, timeout=600)
    return work


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
              "extension/node_modules/vscode-languageclient/package.json"):
        assert f in names, f
    assert manifest["name"] == "planlang"
    assert not any(n.startswith("extension/tests/") for n in names)
