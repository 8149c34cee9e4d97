"""Shared helpers for the test suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASES = Path(__file__).resolve().parent / "cases"

# The tests (and the commands they start) keep their result cache in a folder of their own, never the user's.
os.environ["PLANLANG_CACHE_DIR"] = tempfile.mkdtemp(prefix="planlang-test-cache-")


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the real entry point (`python -m planlang`) and capture its output."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "planlang", *args], cwd=cwd or ROOT, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def need_program(*names: str, package: str, why: str) -> str:
    """The path of the first of `names` on PATH. When none is installed the test is skipped with a reason that
    names the Debian package to install; under CI (`CI` set) it fails instead, so `.ci/run` runs every test."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    unavailable(f"{names[0]} is not installed ({why}): apt-get install {package}")


def unavailable(message: str) -> None:
    """Skip a test whose environment is missing something it needs (saying what); under CI (`CI` set) fail
    instead, so `.ci/run` runs every test."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} — .ci/run must provide it")
    pytest.skip(message)


@pytest.fixture
def cli():
    """The CLI runner."""
    return run_cli


VSCODE_EXT = ROOT / "editor-support" / "vscode"


@pytest.fixture(scope="session")
def vscode_extension(tmp_path_factory) -> Path:
    """The VS Code extension copied out of the tree (without its generated parts) and installed with `npm ci`
    from the committed lock file."""
    npm = need_program("npm", package="nodejs npm", why="the VS Code extension is built with npm")
    work = tmp_path_factory.mktemp("vscode") / "ext"

    def generated(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n in ("node_modules", "__pycache__") or n.endswith(".vsix")}
        return skip | ({"libs"} if Path(folder).name == "bundled" else set())

    shutil.copytree(VSCODE_EXT, work, ignore=generated)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=work, check=True, capture_output=True, timeout=600)
    return work


@pytest.fixture(scope="session")
def vscode_vsix(vscode_extension, tmp_path_factory) -> dict[str, Path]:
    """The platform packages (linux-x64, win32-x64) built by scripts/bundle.py from bundle-requirements.txt:
    target → .vsix path."""
    out = tmp_path_factory.mktemp("vsix")
    proc = subprocess.run([sys.executable, str(vscode_extension / "scripts" / "bundle.py"), "package",
                           "--target", "linux-x64", "--target", "win32-x64", "--out", str(out), "--project", str(ROOT)],
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {t: out / f"planlang-{t}.vsix" for t in ("linux-x64", "win32-x64")}
