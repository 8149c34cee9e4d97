"""The pre-commit hooks for real: `pre-commit try-repo` against this repository, in a scratch git repository
holding a good and a bad plan."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

GOOD = """方案 试点 “试点方案” {
  周期：2023年
}
单位 区发改局
任务 “项目储备” {
  牵头：区发改局
  时限：年底前
}
机制 调度 {
  类型：调度
  牵头：区发改局
  频次：月通报
}
机制 考核 {
  类型：考核
  牵头：区发改局
}
"""
BAD = GOOD.replace("牵头：区发改局\n  时限", "牵头：区发该局\n  时限")
UGLY = GOOD.replace("  周期：2023年\n", "周期:2023年\n")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> tuple[Path, dict]:
    repo = tmp_path_factory.mktemp("hooks") / "repo"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    (repo / "good.plan").write_text(GOOD, encoding="utf-8")
    (repo / "bad.plan").write_text(BAD, encoding="utf-8")
    (repo / "ugly.plan").write_text(UGLY, encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    return repo, env


def try_repo(scratch, hook: str, *files: str) -> subprocess.CompletedProcess:
    repo, env = scratch
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    assert exe, "pre-commit is a test dependency"
    return subprocess.run([exe, "try-repo", str(ROOT), hook, "--files", *files], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


def test_check_hook_passes_a_good_plan(scratch):
    proc = try_repo(scratch, "planlang-check", "good.plan")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_check_hook_fails_a_bad_plan(scratch):
    proc = try_repo(scratch, "planlang-check", "bad.plan")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Failed" in proc.stdout and "PL101" in proc.stdout
