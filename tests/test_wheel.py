"""The wheel carries the grammar: build it, install it in a fresh virtual environment, and check a plan there,
from a folder outside the repository so nothing can fall back to the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile

from conftest import EXAMPLES, ROOT


def test_wheel_installs_and_checks_a_plan(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = dist.glob("planlang-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    assert "planlang/grammar/planlang.lark" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, timeout=600)

    work = tmp_path / "work"
    work.mkdir()
    for f in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / f, work / f)
    (work / "planlang.toml").touch()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    proc = subprocess.run([str(env_dir / "bin" / "planlang"), "check", "nanhu-2023.plan"], cwd=work,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 个错误" in proc.stdout
    # and the installed package really is the wheel's, not the source tree
    where = subprocess.run([str(py), "-c", "import planlang; print(planlang.__file__)"], cwd=work,
                           capture_output=True, text=True, env=env, check=True).stdout
    assert str(env_dir) in where
