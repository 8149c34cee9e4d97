"""The front end side by side: Lark's own LALR parse, lark-cython, and the loop over Lark's tables that planlang
uses (planlang.syntax.lalr); and the formatter.

Run `bench/generate.py` first, then:

    .venv/bin/python bench/frontend.py [--out bench/out] [--sizes 10k,100k] [--rounds 5]

Each measurement runs in a fresh interpreter (warmed on the example plan), the variants taking turns round
after round so that a busy machine slows them alike; the table gives medians of wall and CPU time.

- `parse, Lark` — `Lark.parse` with planlang's transformer and error recovery: the front end without the loop
  (what it falls back to when the loop cannot read the installed Lark);
- `parse, loop` — `planlang.syntax.parse`: the same grammar, tables, tokens, tree and recovery;
- `raw tree, Lark` and `raw tree, lark-cython` — a plain parse tree (no transformer, no recovery), the only way
  lark-cython can be compared: its tokens are not Lark's, so planlang's transformer and recovery do not run on
  it. Shown only when lark-cython is installed (`pip install lark-cython`); planlang does not depend on it;
- `format` — `planlang.syntax.format.format_text` (what `planlang fmt` and the language server's formatting
  run), and `planlang fmt --check` as a subprocess.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PLANLANG = ROOT / ".venv" / "bin" / "planlang"
EXAMPLE = ROOT / "examples" / "nanhu-2023.plan"

_RUN = r"""
import gc, json, sys, time
from pathlib import Path
variant, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
warm = Path(sys.argv[4]).read_text(encoding="utf-8")
text = Path(path).read_text(encoding="utf-8")
from planlang.syntax import parser as front
front._get_parser()
if variant == "parse-lark":
    front._driver = None
    run = lambda t: front.parse(t)
elif variant == "parse-loop":
    assert front._driver is not None
    run = lambda t: front.parse(t)
elif variant in ("raw-lark", "raw-cython"):
    from lark import Lark
    plugins = {}
    if variant == "raw-cython":
        import lark_cython
        plugins = {"_plugins": lark_cython.plugins}
    lark = Lark(front.grammar_text(), parser="lalr", lexer="basic", **plugins)
    run = lambda t: lark.parse(t)
elif variant == "format":
    from planlang.syntax.format import format_text
    run = lambda t: format_text(t)
run(warm)
walls, cpus = [], []
for _ in range(runs):
    gc.collect()
    w, c = time.perf_counter(), time.process_time()
    with_gc = gc.isenabled()
    gc.disable()  # as the front end runs inside a compilation: the collector paused
    r = run(text)
    walls.append(time.perf_counter() - w)
    cpus.append(time.process_time() - c)
    if with_gc:
        gc.enable()
    del r
print(json.dumps({"wall": walls, "cpu": cpus}))
"""


def _has_lark_cython() -> bool:
    return subprocess.run([str(PYTHON), "-c", "import lark_cython"], capture_output=True).returncode == 0


def measure(variant: str, plan: Path, runs: int) -> dict:
    out = subprocess.run([str(PYTHON), "-c", _RUN, variant, str(plan), str(runs), str(EXAMPLE)], capture_output=True,
                         text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{variant} on {plan} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def fmt_check(plan: Path) -> float:
    t0 = time.perf_counter()
    code = subprocess.run([str(PLANLANG), "fmt", "--check", str(plan)], capture_output=True, cwd=ROOT).returncode
    if code not in (0, 1):
        raise SystemExit(f"planlang fmt --check {plan} exited {code}")
    return time.perf_counter() - t0


LABELS = {"parse-lark": "parse, Lark", "parse-loop": "parse, loop", "raw-lark": "raw tree, Lark",
          "raw-cython": "raw tree, lark-cython", "format": "format (in process)", "fmt": "`planlang fmt --check`"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("--rounds", type=int, default=5, help="fresh interpreters per variant (each times 1 run)")
    args = ap.parse_args()
    variants = ["parse-lark", "parse-loop"]
    if _has_lark_cython():
        variants += ["raw-lark", "raw-cython"]
    variants += ["format", "fmt"]
    results: dict[str, dict[str, dict[str, list[float]]]] = {}
    for size in [s for s in args.sizes.split(",") if s]:
        plan = args.out / size / "plan.plan"
        if not plan.exists():
            raise SystemExit(f"no {plan}: run bench/generate.py first")
        res = results[size] = {v: {"wall": [], "cpu": []} for v in variants}
        for r in range(args.rounds):
            for v in variants:
                print(f"[{size}] round {r + 1}: {v}", file=sys.stderr, flush=True)
                if v == "fmt":
                    res[v]["wall"].append(fmt_check(plan))
                else:
                    m = measure(v, plan, 1)
                    res[v]["wall"] += m["wall"]
                    res[v]["cpu"] += m["cpu"]
    lines = ["| plan | measured | median wall | median CPU | ÷ the loop's (wall / CPU) |", "|---|---|---|---|---|"]
    for size, res in results.items():
        loop_wall = statistics.median(res["parse-loop"]["wall"])
        loop_cpu = statistics.median(res["parse-loop"]["cpu"])
        for v, m in res.items():
            wall = statistics.median(m["wall"])
            cpu = statistics.median(m["cpu"]) if m["cpu"] else None
            ratio = (f"{wall / loop_wall:.2f}× / {cpu / loop_cpu:.2f}×"
                     if v.startswith(("parse", "raw")) and cpu is not None else "")
            shown = f"{cpu * 1000:.0f} ms" if cpu is not None else "—"
            lines.append(f"| {size} | {LABELS[v]} | {wall * 1000:.0f} ms | {shown} | {ratio} |")
    table = "\n".join(lines)
    print(table)
    (args.out / "frontend.md").write_text(table + "\n", encoding="utf-8")
    (args.out / "frontend.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
