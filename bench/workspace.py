"""A province's workspace of plans, and `planlang check` over it: serial, parallel, cold and warm.

The workspace (`write_workspace(folder)`, importable; seeded, so the same call writes the same bytes):

    folder/planlang.toml                     the workspace root (defaults only)
    folder/registry/departments.plan         50 departments, shared by every county
    folder/registry/common.plan              collectives, an enterprise, a position, an external unit
    folder/county-01/units.plan              the county's registry: includes both shared ones and adds its
                                             own 街道 / 乡镇 units
    folder/county-01/plan-0001.plan …        plans of 300–800 lines (bench/generate.py's building blocks), each
                                             with `引用 “units.plan”`, so it reads three registries

2,000 plans in 10 counties by default. Every plan checks with no errors (`--verify` compiles them all to prove it).

The measurement runs the installed `planlang check DIR` as a subprocess, each a median of `--runs` runs (`--cold-runs` for those that compile every plan):

- serial: `-j 1 --no-cache`;  parallel cold: `--no-cache` (a process per core);
- warm: the cache filled, nothing changed;
- one plan edited (its text changes each run, so each run misses once);
- one county registry edited (a unit added: its 200 plans recompute, the others hit);
- `check --dependents` of that county registry, warm (what the pre-commit hook runs: the plans that include
  it are found from the cache);
- with `--province`, the shared departments registry edited (every plan recomputes).

Peak RSS is that of the largest process of a run (the command or one of its workers: wait4's figure).

    .venv/bin/python bench/workspace.py [--plans 2000] [--runs 5] [--cold-runs 3] [--out DIR] [--verify]
                                        [--province] [--skip-serial]
    .venv/bin/python bench/workspace.py --crossover      # where a pool starts to pay (planlang.batch.POOL_MIN_BYTES)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate as g  # noqa: E402 — bench/generate.py: the vocabulary, the plan builder and writer

SEED = 20240518
COUNTIES = 10
LINES = (300, 800)
TOWNS = ["城关", "东城", "西城", "南湖", "北山", "河口", "石桥", "新安", "长岭", "白云", "青山", "双河"]


# -- the workspace -----------------------------------------------------------------------------------------------

def departments_plan() -> str:
    out = ["# 部门登记：全省各县共用。各县的 units.plan 引用本文件。", ""]
    for uid, full in g.DEPARTMENTS:
        out += [f"单位 {uid}"] if full == uid else [f"单位 {uid} {{", f"  全称：“{full}”", "}"]
    return "\n".join(out) + "\n"


def common_plan() -> str:
    out = ["# 集体、企业、职务和外部单位：全省各县共用。", ""]
    for uid in g.COLLECTIVES:
        out += [f"单位 {uid} {{", "  类型：集体", "}"]
    out += [f"单位 {g.ENTERPRISES[0]} {{", "  类型：企业", "}"]
    out += [f"单位 {g.POSITIONS[0]} {{", "  类型：职务", "}"]
    out += [f"单位 {g.EXTERNAL[0]} {{", "  类型：外部", "}"]
    return "\n".join(out) + "\n"


def county_towns(county: int) -> list[str]:
    rng = random.Random(SEED * 7 + county)
    return [f"{t}街道办事处" for t in rng.sample(TOWNS, 4)]


def county_plan(county: int, extra: list[str] = ()) -> str:
    out = [f"# 第 {county} 县的单位登记：共用登记加本县街道。", "",
           "引用 “../registry/departments.plan”", "引用 “../registry/common.plan”", ""]
    for town in [*county_towns(county), *extra]:
        out += [f"单位 {town}"]
    return "\n".join(out) + "\n"


class _Plan(g.Generator):
    """One plan of the workspace: bench/generate.py's plan, with its own seed and length, whose owners now and
    then include a 街道 of its county."""

    def __init__(self, name: str, lines: int, seed: int, towns: list[str]) -> None:
        self.size, self.target = name, lines
        self.rng = random.Random(seed)
        self.towns = towns
        self.metric_values = {}
        self.goals = self._goals()

    def _owners(self):
        lead, responsible, cooperate = super()._owners()
        if self.rng.random() < 0.2:
            responsible = [*responsible, self.rng.choice(self.towns)]
        return lead, responsible, cooperate


def plan_path(folder: Path, index: int, plans: int = 2000, counties: int = COUNTIES) -> Path:
    """Where plan number `index` (0-based) of a workspace of `plans` plans lives."""
    county = index % counties + 1
    return folder / f"county-{county:02d}" / f"plan-{index + 1:04d}.plan"


def write_workspace(folder: Path, plans: int = 2000, counties: int = COUNTIES, seed: int = SEED) -> list[Path]:
    """Write a workspace of `plans` generated plans sharing unit registries into `folder`; the plan files, in the
    order written. Same arguments, same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planlang.toml").write_text("# workspace root (defaults only)\n", encoding="utf-8")
    (folder / "registry").mkdir(exist_ok=True)
    (folder / "registry" / "departments.plan").write_text(departments_plan(), encoding="utf-8")
    (folder / "registry" / "common.plan").write_text(common_plan(), encoding="utf-8")
    for c in range(1, counties + 1):
        (folder / f"county-{c:02d}").mkdir(exist_ok=True)
        (folder / f"county-{c:02d}" / "units.plan").write_text(county_plan(c), encoding="utf-8")
    sizes = random.Random(seed)
    out = []
    for i in range(plans):
        lines = sizes.randint(*LINES)
        path = plan_path(folder, i, plans, counties)
        county = i % counties + 1
        goals, sections = _Plan(f"{county:02d}x{i + 1:04d}", lines, seed * 1000 + i, county_towns(county)).build()
        path.write_text(g.plan_text(f"{county:02d}x{i + 1:04d}", goals, sections), encoding="utf-8")
        out.append(path)
    return out


def verify(folder: Path, files: list[Path]) -> None:
    """Every plan compiles with no error (the pipeline in this interpreter)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from planlang.diagnostics import Severity
    from planlang.pipeline import compile_file

    for f in files:
        errors = [d for d in compile_file(f).diagnostics if d.severity is Severity.ERROR]
        assert not errors, f"{f}: " + "; ".join(f"{d.code} {d.message.en}" for d in errors[:5])


# -- the measurement -----------------------------------------------------------------------------------------------

def _planlang() -> str:
    exe = Path(sys.executable).parent / "planlang"
    return str(exe) if exe.exists() else "planlang"


def _run(cmd: list[str], cwd: Path, env: dict) -> tuple[float, str, float, float]:
    """Wall time, standard output, the peak RSS (MiB) of the largest process of the run and the CPU time (user and
    system, all processes): wait4 reports the command's own usage with that of the workers it waited for."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {err.read().decode()[-2000:]}")
        return took, out.read().decode("utf-8"), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _edit_plan(path: Path, n: int) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(说明：“[^”]*?)(（第\d+稿）)?”", lambda m: f"{m.group(1)}（第{n}稿）”", text, count=1)
    path.write_text(text, encoding="utf-8")


def crossover(folder: Path, repeat: int = 5) -> None:
    """Where a process pool starts to pay: the same files compiled in this process and in a pool of two workers
    (`planlang.batch`'s own functions, no cache), best of `repeat`, for growing numbers of plans."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from planlang import batch

    files = write_workspace(folder, 16, counties=2)
    os.chdir(folder)
    batch.compute(files[0], False)  # the grammar loaded, as it is in a run before its first pool

    def best(fn) -> float:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    print("| plans | bytes | in process | pool of 2 |")
    print("|---|---|---|---|")
    for n in (1, 2, 3, 4, 6, 8, 12, 16):
        some = files[:n]
        serial = best(lambda: [batch.compute(f, False) for f in some])
        pooled = best(lambda: batch._pool_map([(str(f), False) for f in some], 2))
        size = sum(f.stat().st_size for f in some)
        print(f"| {n} | {size:,} | {serial * 1000:.0f} ms | {pooled * 1000:.0f} ms |", flush=True)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5, help="runs of each warm measurement")
    ap.add_argument("--cold-runs", type=int, default=3, help="runs of each measurement that compiles every plan")
    ap.add_argument("--out", type=Path, default=None, help="write the workspace here (default: a temporary folder)")
    ap.add_argument("--verify", action="store_true", help="compile every plan first and fail on any error")
    ap.add_argument("--province", action="store_true", help="also edit the registry every plan includes")
    ap.add_argument("--skip-serial", action="store_true")
    ap.add_argument("--crossover", action="store_true",
                    help="only measure where a pool of two starts to beat checking in one process")
    args = ap.parse_args(argv[1:])
    if args.crossover:
        with tempfile.TemporaryDirectory(prefix="planlang-crossover-") as tmp:
            crossover(Path(tmp) / "ws")
        return 0

    tmp = None
    folder = args.out
    if folder is None:
        tmp = tempfile.mkdtemp(prefix="planlang-workspace-")
        folder = Path(tmp) / "ws"
    try:
        t = time.perf_counter()
        files = write_workspace(folder, args.plans)
        lines = sum(f.read_text(encoding="utf-8").count("\n") for f in files)
        print(f"workspace: {len(files)} plans, {lines:,} lines ({lines // len(files)} per plan), "
              f"{COUNTIES} county registries and 2 shared ones, written in {time.perf_counter() - t:.1f} s")
        if args.verify:
            verify(folder, files)
            print("verified: every plan compiles with no error")
        cache_dir = Path(tempfile.mkdtemp(prefix="planlang-bench-cache-"))
        env = {**os.environ, "PLANLANG_CACHE_DIR": str(cache_dir), "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
        env.pop("PLANLANG_NO_CACHE", None)
        exe = _planlang()
        results = []

        def measure(label: str, cmd: list[str], before=None, runs: int | None = None) -> None:
            times, cpus, peak = [], [], 0.0
            for i in range(runs or args.runs):
                if before is not None:
                    before(i)
                took, out, rss, cpu = _run(cmd, folder, env)
                times.append(took)
                cpus.append(cpu)
                peak = max(peak, rss)
            summary = out.strip().splitlines()[-1] if out.strip() else ""
            results.append((label, " ".join(["planlang", *cmd[1:]]), statistics.median(times),
                            statistics.median(cpus), peak, summary))
            print(f"{label:<34} {statistics.median(times) * 1000:>9.0f} ms  (runs: "
                  f"{', '.join(f'{x * 1000:.0f}' for x in times)}; CPU {statistics.median(cpus) * 1000:.0f} ms)  "
                  f"{summary}  [{time.strftime('%H:%M:%S')}, load {os.getloadavg()[0]:.1f}]", flush=True)

        if not args.skip_serial:
            measure("serial, no cache", [exe, "check", "-j", "1", "--no-cache", "."], runs=args.cold_runs)
        measure("parallel, no cache", [exe, "check", "--no-cache", "."], runs=args.cold_runs)
        measure("parallel, cold cache", [exe, "check", "."],
                before=lambda i: shutil.rmtree(cache_dir, ignore_errors=True), runs=args.cold_runs)
        measure("warm, nothing changed", [exe, "check", "."])
        edited = files[len(files) // 2]
        measure("warm, one plan edited", [exe, "check", "."], before=lambda i: _edit_plan(edited, i + 1))
        county = folder / "county-03" / "units.plan"
        measure(f"warm, one county registry edited ({sum(1 for f in files if f.parent == county.parent)} plans)",
                [exe, "check", "."],
                before=lambda i: county.write_text(county_plan(3, [f"新设{i + 1}号街道办事处"]), encoding="utf-8"))
        measure("pre-commit: --dependents of a county registry, warm",
                [exe, "check", "--dependents", str(county.relative_to(folder))])
        if args.province:
            reg = folder / "registry" / "departments.plan"
            base = departments_plan()
            measure("warm, shared registry edited (all)", [exe, "check", "."],
                    before=lambda i: reg.write_text(base + f"单位 新设第{i + 1}事务中心\n", encoding="utf-8"),
                    runs=args.cold_runs)
        print(f"\ncores: {os.cpu_count()}; CPU is user + system time of every process of a run; peak RSS is the "
              f"largest of any one process of a run")
        print("| run | command | median wall | median CPU | peak RSS |")
        print("|---|---|---|---|---|")
        for label, cmd, med, cpu, peak, _ in results:
            print(f"| {label} | `{cmd}` | {med * 1000:.0f} ms | {cpu * 1000:.0f} ms | {peak:.0f} MiB |")
        shutil.rmtree(cache_dir, ignore_errors=True)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
