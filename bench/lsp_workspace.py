"""The language server over a workspace of thousands of plans: how long its background index takes, how much
memory the server holds after it, and how fast it answers while the index is being built.

Writes a seeded workspace (default 2,000 plans of 300–800 lines, in folders of 500 that each share one 60-unit
registry: `bench/generate.py`'s generator at sizes drawn from a seeded random), starts `planlang lsp` on it,
opens one plan, and measures:

- index build: from `initialized` to the server's log message that the first scan is indexed;
- answers during the scan: workspace symbols and references asked every second while it runs (latency);
- the server's resident memory (VmRSS, VmHWM) after opening one plan at once, and after the index is built;
- references to a registry unit across the workspace and the rename edit of it, after the index is built.

    .venv/bin/python bench/lsp_workspace.py [--plans 2000] [--out bench/out/workspace]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import Generator, plan_text, units_plan  # noqa: E402
from lsp_client import LspClient  # noqa: E402

SEED = 41
PER_FOLDER = 500


def write_workspace(out: Path, plans: int) -> list[Path]:
    """`plans` seeded plans of 300–800 lines, PER_FOLDER to a folder beside the folder's shared registry."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "planlang.toml").write_text("# benchmark workspace root (defaults only)\n", encoding="utf-8")
    rng = random.Random(SEED)
    paths = []
    for i in range(plans):
        folder = out / f"district-{i // PER_FOLDER + 1:02d}"
        if i % PER_FOLDER == 0:
            folder.mkdir()
            (folder / "units.plan").write_text(units_plan(), encoding="utf-8")
        lines = rng.randint(300, 800)
        goals, sections = Generator(f"w{i:04d}", lines).build()
        path = folder / f"plan-{i:04d}.plan"
        path.write_text(plan_text(f"w{i:04d}", goals, sections), encoding="utf-8")
        paths.append(path)
    return paths


def rss_kib(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    def field(name: str) -> int:
        return int(next(x for x in status.splitlines() if x.startswith(name)).split()[1])
    return field("VmRSS:"), field("VmHWM:")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=2000)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "workspace")
    args = ap.parse_args()

    t0 = time.perf_counter()
    paths = write_workspace(args.out, args.plans)
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p in paths)
    print(f"workspace: {len(paths)} plans, {lines:,} lines, {len(paths) // PER_FOLDER + bool(len(paths) % PER_FOLDER)}"
          f" shared registries, written in {time.perf_counter() - t0:.1f} s")

    first = paths[0]
    uri = first.resolve().as_uri()
    text = first.read_text(encoding="utf-8")
    line, at = next((n, t.index("区发改局")) for n, t in enumerate(text.split("\n"))
                    if t.startswith("  成员：") and "区发改局" in t)
    pos = {"line": line, "character": at + 1}  # (all BMP characters: UTF-16 columns are indexes)
    client = LspClient([sys.executable, "-m", "planlang", "lsp"], cwd=args.out)
    try:
        client.initialize(args.out)
        started = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plan", "version": 1,
                                                                "text": text}})
        client.wait_diagnostics(uri, 1, timeout=600)
        opened = rss_kib(client.proc.pid)
        during: dict[str, list[float]] = {"workspace/symbol": [], "textDocument/references": []}
        message = None
        while message is None:
            try:
                _, message = client.wait_for(lambda m: m.get("method") == "window/logMessage"
                                             and "indexed" in m["params"]["message"], timeout=1.0)
            except Exception:  # noqa: BLE001 — not yet: ask something meanwhile
                s, _ = client.request("workspace/symbol", {"query": "招商"})
                during["workspace/symbol"].append(s)
                s, _ = client.request("textDocument/references", {"textDocument": {"uri": uri}, "position": pos,
                                                                  "context": {"includeDeclaration": True}})
                during["textDocument/references"].append(s)
        built = time.perf_counter() - started
        indexed = rss_kib(client.proc.pid)
        s_refs, refs = client.request("textDocument/references", {"textDocument": {"uri": uri}, "position": pos,
                                                                  "context": {"includeDeclaration": True}})
        s_sym, syms = client.request("workspace/symbol", {"query": "招商"})
        s_ren, ren = client.request("textDocument/rename", {"textDocument": {"uri": uri}, "position": pos,
                                                            "newName": "区发展改革局"}, timeout=600)
        after = rss_kib(client.proc.pid)
    finally:
        client.close()

    def ms(xs: list[float]) -> str:
        return f"median {1000 * statistics.median(xs):.0f} ms, max {1000 * max(xs):.0f} ms ({len(xs)} asked)" \
            if xs else "not asked"

    files = {loc["uri"] for loc in refs["result"]}
    edits = ren["result"]["changes"]
    print(f"server log: {message['params']['message']}")
    print(f"index build (initialized → scan indexed): {built:.1f} s")
    for name, xs in during.items():
        print(f"  {name} while indexing: {ms(xs)}")
    print(f"RSS after opening one plan: {opened[0] / 1024:.0f} MiB; after the index: {indexed[0] / 1024:.0f} MiB "
          f"(peak {indexed[1] / 1024:.0f} MiB); after the questions below: {after[0] / 1024:.0f} MiB "
          f"(peak {after[1] / 1024:.0f} MiB)")
    print(f"references to 区发改局: {len(refs['result']):,} in {len(files):,} files, {1000 * s_refs:.0f} ms")
    print(f"workspace symbols '招商': {len(syms['result']):,}, {1000 * s_sym:.0f} ms")
    print(f"rename 区发改局: {sum(len(e) for e in edits.values()):,} edits in {len(edits):,} files, "
          f"{1000 * s_ren:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
