"""Two source trees of planlang measured in one session, taking turns: before and after a change.

On a shared, noisy machine only ratios measured side by side mean much. This runs each measurement once per
tree per round, the trees alternating, with this repository's venv and the tree first on PYTHONPATH (a tree is
a checkout or an export of the repository: `git archive REV | tar -x -C DIR`). Run `bench/generate.py` first.

    .venv/bin/python bench/trees.py BEFORE AFTER [--out bench/out] [--rounds 3] [--check-sizes 10k,100k]
                                    [--pipeline-sizes 100k] [--fmt-sizes 100k] [--lsp-sizes 100k]

Measured (medians; CPU time where it is taken in process):
- `planlang check PLAN` (subprocess, wall);
- the pipeline alone: `compile_file` in a warm interpreter (wall and CPU);
- `planlang fmt --check PLAN` (subprocess, wall) and `format_text` in a warm interpreter (wall and CPU);
- the language server: open → diagnostics (the second and third opens of the document, each after a close)
  and whole-document formatting, one server per tree per round.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
EXAMPLE = ROOT / "examples" / "nanhu-2023.plan"

sys.path.insert(0, str(HERE))
from lsp_client import LspClient  # noqa: E402

_IN_PROCESS = r"""
import json, sys, time
from pathlib import Path
what, path = sys.argv[1], Path(sys.argv[2])
import planlang
assert planlang.__file__.startswith(sys.argv[3]), planlang.__file__
if what == "pipeline":
    from planlang.pipeline import compile_file
    run = lambda: compile_file(path)
    compile_file(Path(sys.argv[4]))
else:
    from planlang.syntax.format import format_text
    text = path.read_text(encoding="utf-8")
    run = lambda: format_text(text)
    format_text(Path(sys.argv[4]).read_text(encoding="utf-8"))
w, c = time.perf_counter(), time.process_time()
r = run()
print(json.dumps({"wall": time.perf_counter() - w, "cpu": time.process_time() - c}))
"""


def _env(tree: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(tree))


def subprocess_wall(tree: Path, args: list[str], ok=(0,)) -> float:
    t0 = time.perf_counter()
    code = subprocess.run([str(PYTHON), "-m", "planlang", *args], env=_env(tree), cwd=tree,
                          capture_output=True).returncode
    wall = time.perf_counter() - t0
    if code not in ok:
        raise SystemExit(f"planlang {' '.join(args)} in {tree} exited {code}")
    return wall


def in_process(tree: Path, what: str, plan: Path) -> dict:
    out = subprocess.run([str(PYTHON), "-c", _IN_PROCESS, what, str(plan), str(tree), str(EXAMPLE)],
                         env=_env(tree), cwd=tree, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{what} in {tree} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def lsp(tree: Path, plan: Path) -> dict:
    text = plan.read_text(encoding="utf-8")
    uri = plan.resolve().as_uri()
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(tree)  # the client starts the server with this process's environment
    try:
        client = LspClient([str(PYTHON), "-m", "planlang", "lsp"], cwd=plan.parent)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = saved
    opens = []
    try:
        client.initialize(plan.parent)
        for version in (1, 2, 3):
            if version > 1:
                client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
                client.wait_diagnostics(uri, None, timeout=600)
            t0 = client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "plan", "version": version, "text": text}})
            t1, _ = client.wait_diagnostics(uri, version, timeout=600)
            if version > 1:
                opens.append(t1 - t0)
        fmt, resp = client.request("textDocument/formatting", {
            "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}, timeout=600)
        assert "result" in resp, resp
    finally:
        client.close()
    return {"open": statistics.median(opens), "format": fmt}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--check-sizes", default="10k,100k")
    ap.add_argument("--pipeline-sizes", default="100k")
    ap.add_argument("--fmt-sizes", default="100k")
    ap.add_argument("--lsp-sizes", default="100k")
    args = ap.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    sizes = lambda s: [x for x in s.split(",") if x]  # noqa: E731
    plan = lambda size: (args.out / size / "plan.plan").resolve()  # noqa: E731
    rows: dict[tuple[str, str], dict[str, list[float]]] = {}

    def add(key: tuple[str, str], tree: str, value: float) -> None:
        rows.setdefault(key, {"before": [], "after": []})[tree].append(value)

    for r in range(args.rounds):
        for name, tree in trees.items():
            print(f"round {r + 1}: {name}", file=sys.stderr, flush=True)
            for size in sizes(args.check_sizes):
                add((f"`planlang check` {size}", "wall"), name, subprocess_wall(tree, ["check", str(plan(size))]))
            for size in sizes(args.pipeline_sizes):
                m = in_process(tree, "pipeline", plan(size))
                add((f"pipeline alone {size}", "wall"), name, m["wall"])
                add((f"pipeline alone {size}", "CPU"), name, m["cpu"])
            for size in sizes(args.fmt_sizes):
                add((f"`planlang fmt --check` {size}", "wall"), name,
                    subprocess_wall(tree, ["fmt", "--check", str(plan(size))], ok=(0, 1)))
                m = in_process(tree, "format", plan(size))
                add((f"format_text {size}", "wall"), name, m["wall"])
                add((f"format_text {size}", "CPU"), name, m["cpu"])
            for size in sizes(args.lsp_sizes):
                m = lsp(tree, plan(size))
                add((f"language server open → diagnostics {size}", "wall"), name, m["open"])
                add((f"language server formatting {size}", "wall"), name, m["format"])
    lines = [f"before: {trees['before']}; after: {trees['after']}; {args.rounds} rounds, trees taking turns", "",
             "| measured | | before (median) | after (median) | before ÷ after |", "|---|---|---|---|---|"]
    for (what, kind), v in rows.items():
        b, a = statistics.median(v["before"]), statistics.median(v["after"])
        lines.append(f"| {what} | {kind} | {b * 1000:.0f} ms | {a * 1000:.0f} ms | {b / a:.2f}× |")
    table = "\n".join(lines)
    print(table)
    (args.out / "trees.md").write_text(table + "\n", encoding="utf-8")
    (args.out / "trees.json").write_text(json.dumps({f"{k[0]} ({k[1]})": v for k, v in rows.items()}, indent=2,
                                                    ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
