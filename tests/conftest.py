"""Shared helpers for the test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASES = Path(__file__).resolve().parent / "cases"


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the real entry point (`python -m planlang`) and capture its output."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "planlang", *args], cwd=cwd or ROOT, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


@pytest.fixture
def cli():
    """The CLI runner."""
    return run_cli
