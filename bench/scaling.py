"""Scaling: inputs built to be expensive, and how the work grows with their size. Each line gives the size, the
wall time, and what bounds the work (did-you-mean: candidates looked at; fmt: output bytes per input byte).

    .venv/bin/python bench/scaling.py [--sizes 1000,2000,4000,8000]

- did-you-mean: N units declared, N references each one character off (ASCII and Chinese names), checked in a
  warm interpreter: the work is bounded by the suggestion index's budget, so time grows about linearly;
- fmt of deep nesting: blocks nested to the limit the model builder reads (MAX_DEPTH), and one level beyond
  (refused with a PL001, output = input);
- an include chain N files deep (cut at the include depth limit with a PL005).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planlang import suggest  # noqa: E402
from planlang.pipeline import compile_file  # noqa: E402
from planlang.syntax.format import format_text  # noqa: E402
from planlang.syntax.nodes import MAX_DEPTH  # noqa: E402


def near_misses(n: int, chinese: bool) -> str:
    if chinese:
        units = [f"区第{i:05d}号局" for i in range(n)]
        refs = [f"区第{i:05d}号司" for i in range(n)]
    else:
        units = [f"unit_{i:05d}_office" for i in range(n)]
        refs = [f"unit_{i:05d}_offce" for i in range(n)]
    lines = [f"单位 {u}" for u in units]
    lines += [f"任务 t{i} “事项{i}” {{\n  牵头：{r}\n}}" for i, r in enumerate(refs)]
    return "\n".join(lines) + "\n"


def did_you_mean(sizes: list[int]) -> None:
    print("| did-you-mean | names | seconds | candidates looked at | PL101 with a suggestion |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "planlang.toml").touch()
        for chinese in (False, True):
            for n in sizes:
                p = Path(d) / "p.plan"
                p.write_text(near_misses(n, chinese), encoding="utf-8")
                suggest._indexes.clear()
                t = time.perf_counter()
                r = compile_file(p)
                dt = time.perf_counter() - t
                work = sum(i.work for i in suggest._indexes.values())
                hinted = sum(1 for x in r.diagnostics if x.code == "PL101" and x.suggestions)
                print(f"| {'Chinese' if chinese else 'ASCII'} | {n} | {dt:.2f} | {work} | {hinted} |")


def deep_fmt() -> None:
    print("\n| fmt, nesting | input bytes | output bytes | ratio |")
    print("|---|---:|---:|---:|")
    for depth in (MAX_DEPTH, MAX_DEPTH + 1):
        text = "单位 甲\n任务 t “a” { 牵头：甲\n" + "任务 “b” {" * depth + "}" * (depth + 1) + "\n"
        r = format_text(text)
        size_in, size_out = len(text.encode()), len(r.text.encode())
        print(f"| {depth} ({'refused' if r.errors else 'formatted'}) | {size_in} | {size_out} | "
              f"{size_out / size_in:.1f} |")


def include_chain(n: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        (root / "planlang.toml").touch()
        for i in range(n):
            nxt = f"引用 “f{i + 1}.plan”\n" if i < n - 1 else ""
            (root / f"f{i}.plan").write_text(f"{nxt}单位 单位{i}\n", encoding="utf-8")
        t = time.perf_counter()
        r = compile_file(root / "f0.plan")
        print(f"\ninclude chain of {n} files: {time.perf_counter() - t:.2f} s, {len(r.files)} files read, "
              f"{[d.code for d in r.diagnostics]}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,2000,4000,8000")
    args = ap.parse_args()
    did_you_mean([int(s) for s in args.sizes.split(",")])
    deep_fmt()
    include_chain()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
