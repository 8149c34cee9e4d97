"""The platform packages of the VS Code extension: built from the pinned lock file with planlang and every
run-time dependency inside, and the linux-x64 one starts the language server with a Python that has nothing
installed — no planlang, no pydantic, no lark."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig

from conftest import EXAMPLES, VSCODE_EXT, need_program

PYTHONS = ("3.11", "3.12", "3.13")
COMPILED = ("pydantic_core", "rapidfuzz", "opencc", "lxml", "rpds")


def pinned() -> dict[str, str]:
    pins = {}
    for line in (VSCODE_EXT / "bundle-requirements.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split(";")[0].strip().split("==")
            pins[name] = version
    return pins


def test_the_lock_file_pins_every_run_time_dependency_exactly():
    pins = pinned()
    assert {"pydantic", "pydantic-core", "lark", "pygls", "lsprotocol", "typer", "lxml", "rapidfuzz", "opencc",
            "rpds-py", "python-docx", "openpyxl", "jsonschema", "pypinyin"} <= set(pins)
    assert all(re.fullmatch(r"[0-9][0-9a-z.]*", v) for v in pins.values())


def test_both_platform_packages_carry_planlang_for_each_cpython_version(vscode_vsix):
    pins = pinned()
    for target, suffix in (("linux-x64", ".so"), ("win32-x64", ".pyd")):
        with zipfile.ZipFile(vscode_vsix[target]) as z:
            names = z.namelist()
            manifest = z.read("extension.vsixmanifest").decode("utf-8")
            bundle = json.loads(z.read("extension/bundled/libs/bundle.json"))
        assert f'TargetPlatform="{target}"' in manifest
        assert bundle["target"] == target and bundle["pythons"] == list(PYTHONS)
        assert "extension/bundled/launch.py" in names
        assert "extension/bundled/libs/common/planlang/cli.py" in names
        assert "extension/bundled/libs/common/planlang/grammar/planlang.lark" in names
        for python in PYTHONS:
            tag = "cp" + python.replace(".", "")
            for package in COMPILED:
                native = [n for n in names if n.startswith(f"extension/bundled/libs/{tag}/{package}/")
                          and n.endswith(suffix)]
                assert native, (target, tag, package)
                built_for = f"cpython-{tag[2:]}-" if suffix == ".so" else f".{tag}-win_amd64.pyd"
                assert all(built_for in n for n in native), (target, tag, package)
            wheels = bundle["per_python"][python] + bundle["common"]
            versions = {re.split(r"-", w)[0].lower().replace("_", "-"): w.split("-")[1] for w in wheels}
            for name, version in pins.items():
                if name == "colorama" and target != "win32-x64":
                    continue
                assert versions.get(name) == version, (target, python, name)
        assert not any(n.startswith(("extension/scripts/", "extension/tests/")) or "__pycache__" in n for n in names)


def base_python(version: str | None = None) -> str | None:
    """A CPython of that minor version that is not a virtual environment (this one when None); None if absent."""
    if version is None:
        return getattr(sys, "_base_executable", sys.executable)
    for candidate in (f"python{version}",):
        found = shutil.which(candidate)
        if found:
            proc = subprocess.run([found, "-c", "import sys; print(sys.executable)"], capture_output=True, text=True)
            if proc.returncode == 0:
                return proc.stdout.strip()
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        for exe in sorted(Path(root, "versions").glob(f"{version}.*/bin/python{version}")):
            return str(exe)
    return None


@pytest.fixture(scope="module")
def unpacked(vscode_vsix, tmp_path_factory) -> Path:
    """The linux-x64 package unpacked as VS Code installs it."""
    where = tmp_path_factory.mktemp("installed")
    with zipfile.ZipFile(vscode_vsix["linux-x64"]) as z:
        z.extractall(where)
    return where / "extension"


def bare_venv(python: str, where: Path) -> Path:
    """A new virtual environment with nothing installed in it (not even pip)."""
    subprocess.run([python, "-m", "venv", "--without-pip", str(where)], check=True, capture_output=True, timeout=120)
    exe = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    proc = subprocess.run([str(exe), "-c", "import planlang"], cwd=where, capture_output=True, text=True)
    assert proc.returncode != 0 and "No module named 'planlang'" in proc.stderr
    return exe


@pytest.mark.skipif(sys.platform != "linux", reason="the linux-x64 package runs on Linux")
async def test_the_linux_package_serves_diagnostics_with_a_python_that_has_nothing_installed(unpacked, tmp_path):
    python = bare_venv(base_python(), tmp_path / "venv")
    for name in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    plan = tmp_path / "nanhu-2023.plan"
    text = plan.read_text(encoding="utf-8").replace("牵头：区发改局", "牵头：区发该局", 1)
    client = await ClientServerConfig(
        server_command=[str(python), "-I", str(unpacked / "bundled" / "launch.py"), "lsp"]).start()
    try:
        await client.initialize_session(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri()))
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=plan.as_uri(), language_id="plan", version=1, text=text)))
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        (typo,) = [d for d in client.diagnostics[plan.as_uri()] if d.code == "PL101"]
        assert "区发改局" in typo.message and typo.severity == types.DiagnosticSeverity.Error
    finally:
        await client.shutdown_session()


@pytest.mark.skipif(sys.platform != "linux", reason="the linux-x64 package runs on Linux")
@pytest.mark.parametrize("version", PYTHONS)
def test_each_cpython_version_loads_its_own_compiled_libraries(unpacked, tmp_path, version):
    base = base_python(version) if version != "%d.%d" % sys.version_info[:2] else base_python()
    if base is None:
        pytest.skip(f"no Python {version} on this machine")
    python = bare_venv(base, tmp_path / "venv")
    launch = str(unpacked / "bundled" / "launch.py")
    probe = subprocess.run([str(python), "-I", launch, "--probe"], capture_output=True, text=True, timeout=120)
    info = json.loads(probe.stdout)
    assert probe.returncode == 0 and info["problem"] is None and info["python"].startswith(version + "."), probe
    plan = tmp_path / "typo.plan"
    shutil.copy(EXAMPLES / "nanhu-units.plan", tmp_path / "nanhu-units.plan")
    plan.write_text((EXAMPLES / "nanhu-2023.plan").read_text(encoding="utf-8").replace(
        "牵头：区发改局", "牵头：区发该局", 1), encoding="utf-8")
    check = subprocess.run([str(python), "-I", launch, "check", str(plan), "--format", "json"], capture_output=True,
                           text=True, encoding="utf-8", timeout=120)
    assert check.returncode == 1, check.stderr
    assert [d["code"] for d in json.loads(check.stdout)["diagnostics"] if d["severity"] == "error"] == ["PL101"]
    docx = subprocess.run([str(python), "-I", launch, "render", str(plan), "--to", "docx"], capture_output=True,
                          timeout=120)
    assert docx.returncode == 0 and zipfile.is_zipfile(plan.with_suffix(".docx"))


def test_an_older_python_is_told_what_it_needs(unpacked, tmp_path):
    old = next((p for p in (base_python(v) for v in ("3.10", "3.9", "3.8")) if p), None)
    if old is None:
        pytest.skip("no Python older than 3.11 on this machine")
    launch = str(unpacked / "bundled" / "launch.py")
    probe = subprocess.run([old, "-I", launch, "--probe"], capture_output=True, text=True, timeout=60)
    assert probe.returncode == 1 and "3.11 or newer" in json.loads(probe.stdout)["problem"]
    run = subprocess.run([old, "-I", launch, "lsp"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 3 and "3.11 or newer" in run.stderr and "Traceback" not in run.stderr


def find_server(unpacked: Path, path_dir: Path, settings: dict, python_extension: str | None = None) -> dict:
    """What the extension's findServer decides, run by Node outside VS Code with PATH = path_dir alone."""
    node = need_program("node", package="nodejs", why="the extension's JavaScript runs on Node")
    scenario = {"settings": settings, "pythonExtension": python_extension}
    proc = subprocess.run([node, str(Path(__file__).parent / "vscode_find_server.js"), str(unpacked),
                           json.dumps(scenario)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PATH": str(path_dir)})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.skipif(sys.platform != "linux", reason="the linux-x64 package runs on Linux")
def test_the_extension_finds_a_python_in_order_and_says_what_is_wrong(unpacked, tmp_path):
    bare = str(bare_venv(base_python(), tmp_path / "venv"))
    other = str(bare_venv(base_python(), tmp_path / "other"))
    on_path = tmp_path / "bin"
    on_path.mkdir()
    wrapper = on_path / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{bare}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    empty = tmp_path / "empty"
    empty.mkdir()
    launch = str(unpacked / "bundled" / "launch.py")

    found = find_server(unpacked, on_path, {})["server"]
    assert found["command"] == "python3" and found["prefix"] == ["-I", launch]
    assert found["description"].startswith("bundled planlang 0.1.0 on Python 3.")
    assert find_server(unpacked, empty, {}, python_extension=other)["server"]["command"] == other
    assert find_server(unpacked, on_path, {"server.pythonPath": bare}, python_extension=other)["server"][
        "command"] == bare
    explicit = find_server(unpacked, empty, {"server.path": str(wrapper), "server.pythonPath": other})["server"]
    assert explicit["command"] == str(wrapper) and explicit["prefix"] == []

    nothing = find_server(unpacked, empty, {"server.pythonPath": str(tmp_path / "no-python")},
                          python_extension=str(tmp_path / "gone"))
    assert "server" not in nothing
    assert nothing["problems"][0].startswith(f"{tmp_path / 'no-python'} (planlang.server.pythonPath): not found")
    assert any("Python extension" in p and "not found" in p for p in nothing["problems"])
    assert any(p.startswith("python3 (PATH): not found") for p in nothing["problems"])
    old = next((p for p in (base_python(v) for v in ("3.10", "3.9", "3.8")) if p), None)
    if old is not None:
        (problem,) = find_server(unpacked, empty, {"server.pythonPath": old})["problems"][:1]
        assert "is too old; planlang needs Python 3.11 or newer" in problem
