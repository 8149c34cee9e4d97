"""The pre-commit hooks for real: `pre-commit try-repo` against this repository, in a scratch git repository
holding a good and a bad plan."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, need_program, run_cli, unavailable

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
    need_program("git", package="git", why="pre-commit works in a git repository")
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
    proc = subprocess.run([exe, "try-repo", str(ROOT), hook, "--files", *files], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)
    if "error has occurred" in proc.stdout + proc.stderr and "install" in proc.stdout + proc.stderr:
        # pre-commit builds the hook's environment by installing planlang and its dependencies with pip
        unavailable("pre-commit could not install planlang's dependencies into the hook environment (pip needs "
                    "a reachable package index or PIP_FIND_LINKS): " + (proc.stdout + proc.stderr)[-400:])
    return proc


def test_check_hook_passes_a_good_plan(scratch):
    proc = try_repo(scratch, "planlang-check", "good.plan")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_check_hook_fails_a_bad_plan(scratch):
    proc = try_repo(scratch, "planlang-check", "bad.plan")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Failed" in proc.stdout and "PL101" in proc.stdout


# -- dependents: a commit that stages only the unit registry is checked with the plans that include it ----------

UNITS = "单位 区发改局\n单位 区财政局\n"
PLAN = GOOD.replace("单位 区发改局\n", "引用 “units/registry.plan”\n")
RENAMED = "单位 区发展和改革局\n单位 区财政局\n"
GIT_ID = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def readme_yaml(marker: str) -> str:
    """The README's `.pre-commit-config.yaml` block that contains `marker`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    (block,) = [b for b in blocks if marker in b]
    return block


def plans_repo(tmp_path: Path, env: dict) -> Path:
    """A git repository with a registry and a plan that includes it (through a sub-folder), both committed."""
    need_program("git", package="git", why="pre-commit works in a git repository")
    repo = tmp_path / "plans"
    (repo / "units").mkdir(parents=True)
    (repo / "units" / "registry.plan").write_text(UNITS, encoding="utf-8")
    (repo / "work-plan.plan").write_text(PLAN, encoding="utf-8")
    fmt = run_cli("fmt", "units/registry.plan", "work-plan.plan", cwd=repo)  # the canonical layout: fmt passes
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    return repo


def git(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def test_check_dependents_expands_a_registry_to_the_plans_that_include_it(tmp_path, cli):
    repo = plans_repo(tmp_path, {**os.environ, **GIT_ID})
    (repo / "units" / "registry.plan").write_text(RENAMED, encoding="utf-8")
    alone = cli("check", "units/registry.plan", cwd=repo)
    assert alone.returncode == 0, alone.stdout + alone.stderr  # the registry alone is fine
    both = cli("check", "--dependents", "units/registry.plan", cwd=repo)
    assert both.returncode == 1, both.stdout + both.stderr
    assert "work-plan.plan" in both.stdout and "PL101" in both.stdout
    assert "检查了 2 个文件" in both.stdout
    # a plan that does not include the changed file is not checked; nor is anything in a hidden folder
    (repo / "other.plan").write_text(BAD, encoding="utf-8")
    (repo / ".hidden").mkdir()
    (repo / ".hidden" / "copy.plan").write_text(PLAN, encoding="utf-8")
    again = cli("check", "--dependents", "units/registry.plan", cwd=repo)
    assert "检查了 2 个文件" in again.stdout and "other.plan" not in again.stdout and ".hidden" not in again.stdout


def test_a_commit_of_only_the_registry_is_refused_with_the_readme_local_hooks(tmp_path):
    """The README's `repo: local` configuration, installed with `pre-commit install`, in a real repository: a
    commit that stages only a changed registry is refused, because a plan including it now has an error."""
    bin_dir = Path(sys.executable).parent  # where this environment's `planlang` and `pre-commit` are
    exe = shutil.which("pre-commit", path=str(bin_dir)) or shutil.which("pre-commit")
    assert exe, "pre-commit is a test dependency"
    env = {**os.environ, **GIT_ID, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    repo = plans_repo(tmp_path, env)
    (repo / ".pre-commit-config.yaml").write_text(readme_yaml("repo: local"), encoding="utf-8")
    subprocess.run([exe, "install"], cwd=repo, env=env, check=True, capture_output=True, timeout=120)
    git(repo, env, "add", ".")
    first = git(repo, env, "commit", "-q", "-m", "plans")
    assert first.returncode == 0, first.stdout + first.stderr  # good plans pass both hooks
    (repo / "units" / "registry.plan").write_text(RENAMED, encoding="utf-8")
    git(repo, env, "add", "units/registry.plan")
    second = git(repo, env, "commit", "-q", "-m", "rename a unit")
    out = second.stdout + second.stderr
    assert second.returncode != 0, out
    assert "planlang check" in out and "Failed" in out and "PL101" in out and "work-plan.plan" in out, out
    assert git(repo, env, "rev-list", "--count", "HEAD").stdout.strip() == "1"  # nothing was committed


def test_check_hook_from_the_repository_checks_the_plans_that_include_a_staged_registry(tmp_path):
    """The published hook (`pre-commit try-repo` of this repository) with only the registry as the changed file."""
    repo = plans_repo(tmp_path, {**os.environ, **GIT_ID})
    (repo / "units" / "registry.plan").write_text(RENAMED, encoding="utf-8")
    env = {**os.environ, **GIT_ID, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    proc = try_repo((repo, env), "planlang-check", "units/registry.plan")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Failed" in proc.stdout and "PL101" in proc.stdout and "work-plan.plan" in proc.stdout


def test_the_readme_mirror_configuration_names_real_hooks_and_a_commit_id():
    """The README's configuration for a mirror: `rev` is a full commit id (what pre-commit needs; the project has no
    release tags) and the hook ids are this repository's."""
    import re

    import yaml

    config = yaml.safe_load(readme_yaml("rev:"))
    (entry,) = config["repos"]
    assert isinstance(entry["rev"], str) and re.fullmatch(r"[0-9a-f]{40}", entry["rev"]), entry["rev"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in entry["hooks"]} <= {h["id"] for h in hooks}
    (check,) = [h for h in hooks if h["id"] == "planlang-check"]
    local = yaml.safe_load(readme_yaml("repo: local"))["repos"][0]["hooks"]
    (local_check,) = [h for h in local if h["id"] == "planlang-check"]
    assert local_check["entry"] == check["entry"] == "planlang check --dependents"
    assert local_check["files"] == check["files"]
