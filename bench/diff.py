"""Benchmark: `planlang diff` on two versions of the 10k-line synthetic plan.

The old version is bench/generate.py's 10k plan; the new one is the same plan after seeded revisions of every
kind the comparison reports — owners moved from 牵头 to 配合, tasks inserted at the head of sections (renumbering
the rest), tasks renamed and moved to another section, deadlines moved, targets raised, tasks deleted,
descriptions edited. Both are written under OUT/diff-10k/{old,new}/ with the unit registry.

Measured, each the median of several runs:

- the command, `python -m planlang diff OLD NEW` in a subprocess (start-up, the two compilations, the comparison,
  the text report): cold (`--no-cache`) and warm (both versions in the result cache, kept under OUT/diff-cache);
  with `--before DIR` (an earlier checkout: `git archive REV planlang grammar | tar -x -C DIR`), that version's
  command too, its runs interleaved with these so both see the same load;
- in a warm interpreter: the two compilations in turn (`compile_file`), and side by side (`compiled_versions`,
  a forked process for the old one); handing a compiled model from one process to the other (pickled and
  unpickled); reading both from the cache; the comparison alone (`diff_plans`).

The change list is checked against the revisions made (so the benchmark also shows the matching holds at this
size): exactly the revisions made, by kind — every inserted task added, every deleted one removed, every moved
one moved and renamed, each owner, deadline, target and text revision once, and nothing else.

    .venv/bin/python bench/diff.py [--out bench/out] [--runs 5] [--before DIR]
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
from generate import SEED, Generator, Task, plan_text, units_plan  # noqa: E402

EDITS = 20  # revisions of each kind


def revise(sections: list[Task]) -> tuple[list[Task], Counter]:
    """A revised copy of the task tree, and how many revisions of each kind were made."""
    rng = random.Random(SEED + 1)
    new = copy.deepcopy(sections)
    made: Counter = Counter()
    tasks = [t for sec in new for t in sec.tasks]
    picked = rng.sample(range(len(tasks)), EDITS * 5)
    groups = [picked[i * EDITS:(i + 1) * EDITS] for i in range(5)]
    for i in groups[0]:  # a lead unit becomes a cooperating one
        t = tasks[i]
        if t.lead and t.lead[-1] not in t.cooperate and len(t.lead) > 1:
            t.cooperate.append(t.lead.pop())
            made["owners"] += 1
        elif t.lead and t.cooperate:
            t.lead[0], t.cooperate[0] = t.cooperate[0], t.lead[0]
            made["owners"] += 1
    for i in groups[1]:  # the deadline moves to the year's end
        t = tasks[i]
        if t.due and t.due not in ("年底前", "长期坚持", "持续推进", "每季度") and t.due_month < 12:
            t.due = "年底前"
            made["deadline"] += 1
    for i in groups[2]:  # the first target is raised
        t = tasks[i]
        if t.targets:
            metric, measure = t.targets[0]
            digits = "".join(c for c in measure if c.isdigit() or c == ".")
            t.targets[0] = (metric, measure.replace(digits, str(round(float(digits) * 2 + 1, 1)), 1))
            made["indicator"] += 1
    for i in groups[3]:  # a phrase is added to the description
        tasks[i].description = tasks[i].description.replace("，", "，进一步压实责任，", 1)
        made["description"] += 1
    moving = [tasks[i] for i in groups[4]]
    deleting = moving[EDITS // 2:]
    moving = moving[:EDITS // 2]
    for sec in new:
        sec.tasks = [t for t in sec.tasks if all(t is not x for x in moving + deleting)]
    made["removed"] = len(deleting)
    for k, t in enumerate(moving):  # renamed and moved to another section (appended at its end)
        t.title = f"统筹{t.title}（调整）"
        new[(k * 7 + 3) % len(new)].tasks.append(t)
    made["moved"] = made["renamed"] = len(moving)
    for k in range(EDITS):  # a task inserted at the head of a section
        sec = new[(k * 5) % len(new)]
        sec.tasks.insert(0, Task(f"新增专项工作第{k + 1}项", "按照新部署新增的专项工作，明确责任、限时推进。",
                                 lead=[sec.tasks[0].lead[0]] if sec.tasks and sec.tasks[0].lead else []))
        made["added"] += 1
    return new, made


def write(out: Path) -> tuple[Path, Path, Counter]:
    goals, sections = Generator("10k", 10_000).build()
    revised, made = revise(sections)
    paths = []
    for name, secs in (("old", sections), ("new", revised)):
        d = out / "diff-10k" / name
        d.mkdir(parents=True, exist_ok=True)
        (d / "planlang.toml").write_text("# benchmark workspace root (defaults only)\n", encoding="utf-8")
        (d / "units.plan").write_text(units_plan(), encoding="utf-8")
        (d / "plan.plan").write_text(plan_text("10k", goals, secs), encoding="utf-8")
        paths.append(d / "plan.plan")
    return paths[0], paths[1], made


def _ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:.0f} ms | {', '.join(f'{x * 1000:.0f}' for x in xs)}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", type=Path, help="an earlier checkout (planlang/ and grammar/) to measure beside")
    args = ap.parse_args()
    old, new, made = write(args.out)
    lines = [p.read_text(encoding="utf-8").count("\n") for p in (old, new)]
    cache_dir = args.out / "diff-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    os.environ["PLANLANG_CACHE_DIR"] = str(cache_dir)

    import pickle

    from planlang.cli import _fail
    from planlang.diff import diff_plans
    from planlang.cache import Cache
    from planlang.diff.load import Version, _from_cache, _prepare, compiled_versions
    from planlang.pipeline import compile_file

    inturn, beside, hand, cached, compares = [], [], [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()  # first, while the heap holds no compiled plan (as in the command)
        compiled_versions([Version(str(old)), Version(str(new))], _fail, use_cache=False, parallel=True)
        t1 = time.perf_counter()
        a, b = compile_file(old), compile_file(new)
        t2 = time.perf_counter()
        gc.disable()  # as the command does while it reads plans back
        pickle.loads(pickle.dumps(b.model, protocol=pickle.HIGHEST_PROTOCOL))
        gc.enable()
        t3 = time.perf_counter()
        report = diff_plans(a.model, b.model)
        t4 = time.perf_counter()
        beside.append(t1 - t0)
        inturn.append(t2 - t1)
        hand.append(t3 - t2)
        compares.append(t4 - t3)
        del a, b
        gc.collect()
    got = Counter(c.kind for c in report.changes if c.entity == "task")
    assert got == made, f"reported {dict(sorted(got.items()))}, made {dict(sorted(made.items()))}"
    compiled_versions([Version(str(old)), Version(str(new))], _fail)  # fills the cache
    for _ in range(args.runs):
        vs = [Version(str(old)), Version(str(new))]
        t0 = time.perf_counter()
        gc.disable()
        for v in vs:
            _prepare(v, _fail, True)
            assert _from_cache(v, Cache("diff"))
        gc.enable()
        cached.append(time.perf_counter() - t0)
        assert diff_plans(vs[0].model, vs[1].model).changes == report.changes

    def command(extra: list[str], checkout: Path | None = None) -> float:
        env = {**os.environ, **({"PYTHONPATH": str(checkout)} if checkout else {})}
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "planlang", "diff", *extra, str(old), str(new)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=args.out)
        wall = time.perf_counter() - t0
        assert proc.returncode == 1, proc.returncode
        return wall

    cold, warm, before = [], [], []
    for _ in range(args.runs):
        if args.before is not None:
            before.append(command([], args.before.resolve()))
        cold.append(command(["--no-cache"]))
        warm.append(command([]))
    print(f"two versions of {lines[0]} and {lines[1]} lines; revisions made: {dict(sorted(made.items()))}")
    print(f"task changes reported: {dict(sorted(got.items()))}; {len(report.changes)} changes in all")
    print("| measured | median | runs (ms) |")
    print("| --- | --- | --- |")
    if before:
        print(f"| `planlang diff OLD NEW`, the earlier checkout | {_ms(before)} |")
    print(f"| `planlang diff --no-cache OLD NEW` (cold) | {_ms(cold)} |")
    print(f"| `planlang diff OLD NEW`, both versions cached (warm) | {_ms(warm)} |")
    print(f"| compile both in turn | {_ms(inturn)} |")
    print(f"| compile both side by side (two processes) | {_ms(beside)} |")
    print(f"| hand a compiled model over (pickle + unpickle) | {_ms(hand)} |")
    print(f"| read both from the cache | {_ms(cached)} |")
    print(f"| compare (`diff_plans`) | {_ms(compares)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
