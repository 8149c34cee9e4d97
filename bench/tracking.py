"""Tracking benchmarks: `planlang status` on the 10k-line synthetic plan with 12 monthly progress files, and
`planlang track export` of the 推进情况表 for all 60 registry units. Medians of several runs, as subprocesses
(what a user waits for) and in a warm interpreter (the work alone). Not a timed test: it prints numbers.

The progress files are generated from the plan itself (seeded): every month each reporting unit files a record
for each of its tasks — a state, a share of each indicator's target about on 序时进度, and a line of text — so a
file holds one record per task (~2,300 records a month at 10k lines).

    .venv/bin/python bench/tracking.py [OUT] [--runs N]     # default OUT: bench/out/tracking
"""

from __future__ import annotations

import argparse
import random
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


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=str(HERE / "out" / "tracking"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    out = Path(args.out)
    plan = write_workspace(out)
    lines = sum(1 for _ in plan.open(encoding="utf-8"))
    records = sum(p.read_text(encoding="utf-8").count("记录 ") for p in (out / "进展").glob("*.plan"))
    exe = [sys.executable, "-m", "planlang"]

    def cli(*a: str) -> None:
        subprocess.run([*exe, *a], check=True, capture_output=True)

    from planlang.progress import sheet
    from planlang.progress.history import folder_files, read_progress_file
    from planlang.progress.status import compute, load

    xlsx = out / "推进情况表.xlsx"
    results = {
        "status (subprocess, text)": timed(lambda: cli("status", str(plan), "-o", str(out / "status.txt")), args.runs),
        "status (subprocess, html)": timed(lambda: cli("status", str(plan), "-f", "html", "-o", str(out / "s.html")),
                                           args.runs),
        "status (in process: load + compute)": timed(lambda: compute(load(plan)), args.runs),
        "track export, 60 units (subprocess)": timed(
            lambda: cli("track", "export", str(plan), "--period", "2023-12", "-o", str(xlsx)), args.runs),
    }
    loaded = load(plan)
    history = [r for f in folder_files(out / "进展") for r in read_progress_file(f).reports]
    units = [u.id for u in loaded.result.model.units]
    results["track export, 60 units (in process: workbook only)"] = timed(
        lambda: sheet.export_workbook(loaded.result, "2023-12", units, history), args.runs)
    print(f"plan: {lines} lines, 12 progress files, {records} records; {len(units)} units; {args.runs} runs each")
    print("| measurement | median | min | max |")
    print("|---|---|---|---|")
    for name, ts in results.items():
        print(f"| {name} | {statistics.median(ts) * 1000:.0f} ms | {min(ts) * 1000:.0f} ms | {max(ts) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
