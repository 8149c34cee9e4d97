"""Tracking benchmarks: `planlang status` on the 10k-line synthetic plan with 12 monthly progress files, and
`planlang track export` of the 推进情况表 for the registry's units. Medians of several runs, as subprocesses (what
a user waits for) and in a warm interpreter (the work alone); cold (`PLANLANG_NO_CACHE=1`: the plan compiled and
every progress file parsed), warm (both read from the result cache, which the benchmark keeps in OUT/cache) and
with this month's file changed between runs. `--src DIR` times another checkout's commands (before / after).
Not a timed test: it prints numbers.

The progress files are generated from the plan itself (seeded): every month each reporting unit files a record
for each of its tasks — a state, a share of each indicator's target about on 序时进度, and a line of text — so a
file holds one record per reported task (924 records a month at 10k lines).

    .venv/bin/python bench/tracking.py [OUT] [--runs N] [--src DIR]     # default OUT: bench/out/tracking
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/generate.py)

STATES = ("推进中", "推进中", "推进中", "已完成", "滞后", "未启动")


def write_workspace(out: Path) -> Path:
    """The 10k plan, its registry, and 进展/2023-01.plan … 2023-12.plan."""
    from planlang.pipeline import compile_file
    from planlang.progress import track

    out.mkdir(parents=True, exist_ok=True)
    (out / "planlang.toml").write_text("# tracking benchmark workspace\n", encoding="utf-8")
    goals, sections = generate.Generator("10k", generate.SIZES["10k"]).build()
    (out / "units.plan").write_text(generate.units_plan(), encoding="utf-8")
    plan = out / "plan.plan"
    plan.write_text(generate.plan_text("10k", goals, sections), encoding="utf-8")
    result = compile_file(plan)
    leaves = [t for t, _ in result.symbols.task_list if not t.children]
    by_unit: dict[str, list] = {}
    for t in leaves:
        units = track.accountable(t)
        if units:
            by_unit.setdefault(units[0], []).append(t)
    folder = out / "进展"
    folder.mkdir(exist_ok=True)
    rng = random.Random(generate.SEED)
    for month in range(1, 13):
        lines = ["# 合成的基准测试数据 / synthetic benchmark data", "引用 “../plan.plan”", ""]
        share = month / 12
        for unit, tasks in by_unit.items():
            lines += [f"进展 2023-{month:02d} {{", f"  填报单位：{unit}", f"  填报日期：2023-{month:02d}-25"]
            for t in tasks:
                lines += [f"  记录 {t.path} {{", f"    状态：{rng.choice(STATES)}"]
                for x in t.targets:
                    q = x.quantity
                    if q is not None and x.metric and q.dimension not in ("ratio", "points"):
                        v = q.value * share * rng.uniform(0.85, 1.15)
                        lines.append(f"    完成：{x.metric} {v:.2f}{q.unit}")
                lines += [f"    进度：{min(100, round(share * 100 * rng.uniform(0.8, 1.2)))}%",
                          f"    进展情况：“{month}月推进正常”", "  }"]
            lines += ["}", ""]
        (folder / f"2023-{month:02d}.plan").write_text("\n".join(lines), encoding="utf-8")
    return plan


def timed(fn, runs: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds per run; CPU counts this process and the commands it waited for (user + system), which
    a shared machine's load changes far less than the wall time."""
    out = []
    for _ in range(runs):
        c0, t = _cpu(), time.perf_counter()
        fn()
        out.append((time.perf_counter() - t, _cpu() - c0))
    return out


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=str(HERE / "out" / "tracking"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--src", help="time the commands of another checkout (its folder; PYTHONPATH for the commands)")
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    plan = write_workspace(out)
    lines = sum(1 for _ in plan.open(encoding="utf-8"))
    records = sum(p.read_text(encoding="utf-8").count("记录 ") for p in (out / "进展").glob("*.plan"))
    exe = [sys.executable, "-m", "planlang"]
    # the benchmark's own result cache (never the user's); cold runs turn it off
    env = {**os.environ, "PLANLANG_CACHE_DIR": str(out / "cache")}
    cwd = None
    if args.src:  # its package first on the path (run from its folder: `-m` puts the working folder first)
        cwd = str(Path(args.src).resolve())
        env["PYTHONPATH"] = cwd
    shutil.rmtree(out / "cache", ignore_errors=True)
    latest = out / "进展" / "2023-12.plan"
    latest_text = latest.read_text(encoding="utf-8")
    edits = iter(range(1_000_000))

    def cli(*a: str, cold: bool = False, edit: bool = False) -> None:
        if edit:  # this month's file changed since the last run (a unit re-filed): one file is read again
            latest.write_text(latest_text + f"# 第 {next(edits)} 次补报\n", encoding="utf-8")
        run_env = {**env, "PLANLANG_NO_CACHE": "1"} if cold else env
        subprocess.run([*exe, *a], check=True, capture_output=True, env=run_env, cwd=cwd)

    xlsx = out / "推进情况表.xlsx"
    status = ("status", str(plan), "-o", str(out / "status.txt"))
    export = ("track", "export", str(plan), "--period", "2023-12", "-o", str(xlsx))
    from planlang.pipeline import compile_file

    registry = [u.id for u in compile_file(plan).model.units]  # all 60; 50 of them report on a task
    every_unit = [a for u in registry for a in ("--unit", u)]
    cli(*status)  # fill the cache
    results = {
        "status, cold: no cache (subprocess, text)": timed(lambda: cli(*status, cold=True), args.runs),
        "status, warm: nothing changed (subprocess, text)": timed(lambda: cli(*status), args.runs),
        "status, one progress file changed (subprocess, text)": timed(lambda: cli(*status, edit=True), args.runs),
        "status -f html, warm (subprocess)": timed(
            lambda: cli("status", str(plan), "-f", "html", "-o", str(out / "s.html")), args.runs),
        "track export (50 reporting units), cold: no cache (subprocess)": timed(lambda: cli(*export, cold=True),
                                                                                args.runs),
        "track export (50 reporting units), warm (subprocess)": timed(lambda: cli(*export), args.runs),
        f"track export --unit ×{len(registry)} (every registry unit), warm (subprocess)": timed(
            lambda: cli(*export, *every_unit), args.runs),
    }
    latest.write_text(latest_text, encoding="utf-8")
    if not args.src:  # the work alone, in this interpreter (this checkout)
        os.environ["PLANLANG_CACHE_DIR"] = env["PLANLANG_CACHE_DIR"]
        from planlang.progress import sheet
        from planlang.progress.status import compute, load

        gc.disable()  # as the commands do while they read (planlang.progress.cli)
        loaded = load(plan)
        results["status in process, warm (load + compute)"] = timed(lambda: compute(load(plan)), args.runs)
        results["status in process, cold (compile, parse 12 files, compute)"] = timed(
            lambda: compute(load(plan, use_cache=False)), args.runs)
        history = [r for f in loaded.files for r in f.reports]
        units = [u.id for u in loaded.result.model.units]
        results[f"track export in process: the workbook alone ({len(units)} units)"] = timed(
            lambda: sheet.export_workbook(loaded.result, "2023-12", units, history), args.runs)
        gc.enable()
    print(f"plan: {lines} lines, 12 progress files, {records} records; {args.runs} runs each"
          + (f"; commands from {args.src}" if args.src else ""))
    print("| measurement | median | min | max | CPU (median) |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        ts = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        print(f"| {name} | {statistics.median(ts) * 1000:.0f} ms | {min(ts) * 1000:.0f} ms | {max(ts) * 1000:.0f} ms "
              f"| {cpu * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
