"""Benchmarks: planlang against the bare `re` floor and against check-jsonschema on the same content.

Run `bench/generate.py` first (it writes the plans into bench/out/), then:

    .venv/bin/python bench/run.py [--out bench/out] [--runs 5] [--big-runs 3] [--sizes 1k,10k,100k]
                                  [--lsp-sizes 1k,5k,10k] [--lsp-memory-sizes 100k] [--lsp-request-sizes 10k,100k]
                                  [--skip-lsp] [--skip-jsonschema] [--profile]

Measured, each as the median of several runs:

- `planlang check --no-cache` — wall time and peak RSS of the installed `.venv/bin/planlang` in a subprocess
  (peak from `os.wait4`'s rusage, the same number `/usr/bin/time -f %M` prints): every run compiles and checks;
  and `planlang check` warm — the same plan again with its outcome in the result cache (a cache folder of the
  benchmark's own under OUT/cache, emptied first);
- the pipeline alone — `compile_file` in an already warm interpreter (no start-up, no report);
- the floor — one `re.finditer` over the text with the grammar's terminals (taken from `Lark(...).terminals`
  of grammar/planlang.lark, so it follows the grammar);
- `check-jsonschema` on the equivalent YAML, from two venvs under OUT/: `venv-cjs-plain` (ruamel.yaml's pure
  Python parser) and `venv-cjs-clib` (with `ruamel.yaml.clib`); the script checks which parser each one loads;
- cold start — `planlang check --no-cache examples/nanhu-2023.plan` against `python -c pass`;
- the language server (default debounce) — open → diagnostics, one-character edit → diagnostics for that
  version, completion after `牵头：` and the document outline (its symbols counted against the blocks the file
  declares), on 1k, 5k and 10k-line plans; the same edits while the text has a syntax error (a description's
  closing quote deleted, a character typed and deleted, the quote put back); and its resident and peak memory
  on the 100k-line plan after opening it and after twelve edits (from /proc);
- the language server's requests on the 10k and 100k-line plans: completion after `牵头：`, hover and definition
  on the unit named there, inlay hints of 60 visible lines, semantic tokens of the whole document, of those 60
  lines and as a delta after a one-character edit, formatting, and range formatting of the 60 lines — each the
  median of repeated requests after an edit (the first request after the edit, which builds what the
  compilation's index builds lazily, is kept as `*_first` in results.json). A request the server does not offer
  shows as —.

The Markdown table goes to stdout and to OUT/results.md; raw numbers to OUT/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
PLANLANG = VENV_BIN / "planlang"
EXAMPLE = ROOT / "examples" / "nanhu-2023.plan"

sys.path.insert(0, str(HERE))
from lsp_client import LspClient, utf16_col  # noqa: E402


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def run_measured(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KiB, exit code) of one subprocess."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, proc.returncode


def repeat(cmd: list[str], runs: int, ok=(0,), cwd: Path | None = None) -> dict:
    walls, peaks = [], []
    for _ in range(runs):
        wall, peak, code = run_measured(cmd, cwd)
        if code not in ok:
            raise SystemExit(f"{' '.join(map(str, cmd))} exited {code}")
        walls.append(wall)
        peaks.append(peak)
    return {"wall": median(walls), "peak_kib": median(peaks), "walls": walls}


# -- the re floor ----------------------------------------------------------------------------------------------

def floor_regex() -> re.Pattern:
    """One alternation of the grammar's terminals, as Lark compiles them."""
    from lark import Lark

    grammar = (ROOT / "grammar" / "planlang.lark").read_text(encoding="utf-8")
    terminals = Lark(grammar, parser="lalr", lexer="basic").terminals
    terminals = sorted(terminals, key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    return re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals))


def re_floor(text: str, runs: int, rx: re.Pattern) -> dict:
    times, count = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        count = 0
        for m in rx.finditer(text):
            m.lastgroup
            count += 1
        times.append(time.perf_counter() - t0)
    return {"wall": median(times), "tokens": count}


# -- the pipeline in a warm interpreter ------------------------------------------------------------------------

_INPROCESS = r"""
import json, sys, time
from pathlib import Path
from planlang.pipeline import compile_file
compile_file(Path(sys.argv[1]))  # warm: grammar, imports
path, runs = Path(sys.argv[2]), int(sys.argv[3])
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    r = compile_file(path)
    times.append(time.perf_counter() - t0)
    del r
print(json.dumps(times))
"""


def in_process(path: Path, runs: int) -> dict:
    out = subprocess.run([str(PYTHON), "-c", _INPROCESS, str(EXAMPLE), str(path), str(runs)], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    times = json.loads(out.stdout)
    return {"wall": median(times), "walls": times}


# -- check-jsonschema ------------------------------------------------------------------------------------------

_WHICH_PARSER = ("from check_jsonschema.parsers.yaml import construct_yaml_implementation as c; "
                 "p = c().Parser; print(p.__module__ + '.' + p.__name__)")


def jsonschema_venvs(out: Path) -> dict[str, dict]:
    """The two check-jsonschema installs, created on first use, and the YAML parser each really loads."""
    venvs = {}
    for name, extra in (("plain", []), ("clib", ["ruamel.yaml.clib"])):
        venv = out / f"venv-cjs-{name}"
        if not (venv / "bin" / "check-jsonschema").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "check-jsonschema", *extra], check=True)
        if name == "plain":  # ruamel.yaml may pull the C extension in by itself: this install must not have it
            subprocess.run([str(venv / "bin" / "pip"), "uninstall", "-q", "-y", "ruamel.yaml.clib"],
                           capture_output=True)
        parser = subprocess.run([str(venv / "bin" / "python"), "-c", _WHICH_PARSER], capture_output=True,
                                text=True, check=True).stdout.strip()
        version = subprocess.run([str(venv / "bin" / "check-jsonschema"), "--version"], capture_output=True,
                                 text=True).stdout.strip()
        venvs[name] = {"bin": venv / "bin" / "check-jsonschema", "parser": parser, "version": version}
    return venvs


# -- language server -------------------------------------------------------------------------------------------

def lsp_bench(path: Path, runs: int) -> dict:
    """Open, edit and completion latency on one plan, in one server started with its default debounce."""
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    lines = text.split("\n")
    mid = len(lines) // 2
    desc = next(i for i in range(mid, len(lines)) if "说明：“" in lines[i])
    lead = next(i for i in range(mid, len(lines)) if lines[i].lstrip().startswith("牵头："))
    desc_col = utf16_col(lines[desc][:lines[desc].index("说明：“") + 4])
    lead_col = utf16_col(lines[lead][:lines[lead].index("牵头：") + 3])

    client = LspClient([str(PYTHON), "-m", "planlang", "lsp"], cwd=path.parent)
    try:
        client.initialize(path.parent)  # no initialization options: the default debounce
        opens = []
        version = 0
        for i in range(runs + 1):
            if i:
                client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
                client.wait_diagnostics(uri, None)  # the clearing notification
            version += 1
            t0 = client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "plan", "version": version, "text": text}})
            t1, msg = client.wait_diagnostics(uri, version)
            opens.append(t1 - t0)
            assert not [d for d in msg["params"]["diagnostics"] if d.get("severity") == 1], "errors in the plan"
        edits = []
        for i in range(2 * runs):
            version += 1
            pos = {"line": desc, "character": desc_col}
            if i % 2 == 0:  # type one character, then delete it
                change = {"range": {"start": pos, "end": pos}, "text": "新"}
            else:
                change = {"range": {"start": pos, "end": {"line": desc, "character": desc_col + 1}}, "text": ""}
            t0 = client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            t1, msg = client.wait_diagnostics(uri, version)
            edits.append(t1 - t0)
        # typing through a syntax error: delete a description's closing quote, type and delete a character
        # while it is missing, then put it back
        close_col = utf16_col(lines[desc][:lines[desc].index("”", lines[desc].index("说明：“"))])
        quote = {"start": {"line": desc, "character": close_col}, "end": {"line": desc, "character": close_col + 1}}
        at = {"line": desc, "character": desc_col}
        broken = {"break": [], "typing": [], "fix": []}
        for _ in range(runs):
            steps = [("break", {"range": quote, "text": ""}),
                     ("typing", {"range": {"start": at, "end": at}, "text": "新"}),
                     ("typing", {"range": {"start": at, "end": {"line": desc, "character": desc_col + 1}}, "text": ""}),
                     ("fix", {"range": {"start": quote["start"], "end": quote["start"]}, "text": "”"})]
            for kind, change in steps:
                version += 1
                t0 = client.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
                t1, msg = client.wait_diagnostics(uri, version)
                broken[kind].append(t1 - t0)
                has_syntax_error = any(d.get("code") == "PL001" for d in msg["params"]["diagnostics"])
                assert has_syntax_error == (kind != "fix"), (kind, "a syntax error expected while the quote is missing")
        completions = []
        n_items = 0
        for _ in range(runs):
            secs, resp = client.request("textDocument/completion", {
                "textDocument": {"uri": uri}, "position": {"line": lead, "character": lead_col}})
            result = resp.get("result") or {}
            n_items = len(result.get("items", []) if isinstance(result, dict) else result)
            completions.append(secs)
        outlines = []
        n_symbols = 0
        for _ in range(runs):
            secs, resp = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
            n_symbols = _count_symbols(resp.get("result") or [])
            outlines.append(secs)
    finally:
        client.close()
    return {"open_first": opens[0], "open": median(opens[1:]), "edit": median(edits), "edit_max": max(edits),
            "completion": median(completions), "completion_items": n_items, "outline": median(outlines),
            "outline_symbols": n_symbols, "outline_expected": _expected_symbols(text), "opens": opens,
            "edits": edits, "completions": completions, "outlines": outlines,
            **{f"broken_{k}": median(v) for k, v in broken.items()}, "broken_edits": broken}


def lsp_requests(path: Path, runs: int) -> dict:
    """Requests about one place, and whole-document requests, on one plan: completion after `牵头：`, hover and
    definition on the unit named there, inlay hints and semantic tokens for a visible range (60 lines), semantic
    tokens of the whole document and as a delta after a one-character edit, formatting and range formatting of
    the visible range. Each the median of `runs` requests (the first request after a compilation builds what it
    indexes; it is timed on its own as `*_first`). A request the server does not offer is recorded as None."""
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    lines = text.split("\n")
    mid = len(lines) // 2
    lead = next(i for i in range(mid, len(lines)) if lines[i].lstrip().startswith("牵头："))
    lead_col = utf16_col(lines[lead][:lines[lead].index("牵头：") + 3])
    desc = next(i for i in range(mid, len(lines)) if "说明：“" in lines[i])
    desc_col = utf16_col(lines[desc][:lines[desc].index("说明：“") + 4])
    doc = {"uri": uri}
    at = {"textDocument": doc, "position": {"line": lead, "character": lead_col + 1}}
    visible = {"start": {"line": mid - 30, "character": 0}, "end": {"line": mid + 30, "character": 0}}
    client = LspClient([str(PYTHON), "-m", "planlang", "lsp"], cwd=path.parent)
    out: dict = {"lines": text.count("\n")}
    try:
        caps = client.initialize(path.parent).get("result", {}).get("capabilities", {})
        tokens_caps = caps.get("semanticTokensProvider") or {}
        offered = {"textDocument/semanticTokens/range": bool(tokens_caps.get("range")),
                   "textDocument/semanticTokens/full/delta": isinstance(tokens_caps.get("full"), dict)
                   and bool(tokens_caps["full"].get("delta")),
                   "textDocument/rangeFormatting": bool(caps.get("documentRangeFormattingProvider"))}
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plan", "version": 1,
                                                                "text": text}})
        client.wait_diagnostics(uri, 1, timeout=600)
        version = 1

        def edit() -> None:  # type one character into a description (or delete it) and wait for its check
            nonlocal version
            version += 1
            pos = {"line": desc, "character": desc_col}
            change = ({"range": {"start": pos, "end": pos}, "text": "新"} if version % 2 == 0 else
                      {"range": {"start": pos, "end": {"line": desc, "character": desc_col + 1}}, "text": ""})
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [change]})
            client.wait_diagnostics(uri, version, timeout=600)

        def timed(name: str, method: str, params: dict, check=None) -> None:
            if offered.get(method) is False:
                out[name] = None
                return
            edit()  # a fresh compilation: the first request pays for what is built lazily
            times = []
            for _ in range(runs + 1):
                secs, resp = client.request(method, params, timeout=600)
                assert "error" not in resp, (method, resp.get("error"))
                if check is not None:
                    check(resp.get("result"))
                times.append(secs)
            out[name + "_first"] = times[0]
            out[name] = median(times[1:])

        def answered(result) -> None:
            assert result and (not isinstance(result, dict) or result.get("items", True)), "an empty answer"

        timed("completion", "textDocument/completion", at, answered)
        timed("hover", "textDocument/hover", at, answered)
        timed("definition", "textDocument/definition", at, answered)
        timed("inlay_hints", "textDocument/inlayHint", {"textDocument": doc, "range": visible})
        timed("tokens_full", "textDocument/semanticTokens/full", {"textDocument": doc})
        timed("tokens_range", "textDocument/semanticTokens/range", {"textDocument": doc, "range": visible})
        if offered["textDocument/semanticTokens/full/delta"]:
            deltas = []
            for _ in range(runs):
                _, resp = client.request("textDocument/semanticTokens/full", {"textDocument": doc}, timeout=600)
                previous = resp["result"]["resultId"]
                edit()
                secs, resp = client.request("textDocument/semanticTokens/full/delta",
                                            {"textDocument": doc, "previousResultId": previous}, timeout=600)
                assert "edits" in (resp.get("result") or {}), resp
                deltas.append(secs)
            out["tokens_delta"] = median(deltas)
        else:
            out["tokens_delta"] = None
        options = {"tabSize": 2, "insertSpaces": True}
        timed("formatting", "textDocument/formatting", {"textDocument": doc, "options": options})
        timed("range_formatting", "textDocument/rangeFormatting", {"textDocument": doc, "range": visible,
                                                                  "options": options})
    finally:
        client.close()
    return out


def _count_symbols(symbols: list) -> int:
    stack, n = list(symbols), 0
    while stack:
        s = stack.pop()
        n += 1
        stack.extend(s.get("children") or ())
    return n


def _expected_symbols(text: str) -> int:
    """What a complete outline of the plan's own file holds: the plan, and every unit, goal, task (nested ones
    included), mechanism and text block it declares."""
    return len(re.findall(r"^[ \t]*(?:方案|单位|目标|任务|机制|文本)[ \t]", text, flags=re.M))


def _rss_kib(pid: int) -> tuple[int, int]:
    """(current, peak) resident set size of a process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def lsp_memory(path: Path, edits: int = 12) -> dict:
    """The server's memory on one (big) plan: resident and peak after opening it and after a dozen edits (what
    one compilation leaves behind would show as growth from edit to edit)."""
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    lines = text.split("\n")
    desc = next(i for i in range(len(lines) // 2, len(lines)) if "说明：“" in lines[i])
    col = utf16_col(lines[desc][:lines[desc].index("说明：“") + 4])
    client = LspClient([str(PYTHON), "-m", "planlang", "lsp"], cwd=path.parent)
    try:
        client.initialize(path.parent)
        t0 = client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "plan", "version": 1, "text": text}})
        t1, _ = client.wait_diagnostics(uri, 1, timeout=600)
        opened = _rss_kib(client.proc.pid)
        times = []
        for i in range(edits):
            pos = {"line": desc, "character": col}
            change = ({"range": {"start": pos, "end": pos}, "text": "新"} if i % 2 == 0 else
                      {"range": {"start": pos, "end": {"line": desc, "character": col + 1}}, "text": ""})
            e0 = client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": i + 2},
                                                          "contentChanges": [change]})
            e1, _ = client.wait_diagnostics(uri, i + 2, timeout=600)
            times.append(e1 - e0)
        edited = _rss_kib(client.proc.pid)
    finally:
        client.close()
    return {"lines": text.count("\n"), "open": t1 - t0, "edit": median(times), "rss_open_kib": opened[0],
            "rss_kib": edited[0], "peak_kib": edited[1]}


# -- machine ---------------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    py = subprocess.run([str(PYTHON), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                        text=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": py, "os": platform.platform(),
            "commit": commit}


# -- report ----------------------------------------------------------------------------------------------------

def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table and the blank line after it."""
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(row) + " |" for row in rows), ""]


def report(data: dict) -> str:
    m = data["machine"]
    out = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, Python {m['python']} ({m['os']}); "
           f"planlang at {m['commit']}. Medians of {data['runs']} runs ({data['big_runs']} at 100k lines).", ""]
    sizes = data["sizes"]
    if sizes:
        cj = data.get("jsonschema", {})
        head = ["plan", "lines (.plan / .yaml)", "`planlang check --no-cache`", "peak RSS", "`planlang check` warm",
                "pipeline alone", "`re` floor",
                "check ÷ floor (pipeline ÷ floor)"]
        if cj:
            head += ["check-jsonschema (pure ruamel)", "check-jsonschema (ruamel C)", "peak RSS (C)",
                     "cjs ÷ check (pure / C)"]
        rows = []
        for size, r in sizes.items():
            row = [size, f"{r['lines']:,} / {r['yaml_lines']:,}", ms(r["check"]["wall"]), mib(r["check"]["peak_kib"]),
                   ms(r["check_warm"]["wall"]), ms(r["pipeline"]["wall"]), ms(r["floor"]["wall"]),
                   f"{r['check']['wall'] / r['floor']['wall']:.1f}× ({r['pipeline']['wall'] / r['floor']['wall']:.1f}×)"]
            if cj:
                p, c = r["cjs_plain"], r["cjs_clib"]
                row += [ms(p["wall"]), ms(c["wall"]), mib(c["peak_kib"]),
                        f"{p['wall'] / r['check']['wall']:.1f}× / {c['wall'] / r['check']['wall']:.1f}×"]
            rows.append(row)
        out += table(head, rows)
        if cj:
            out.append("check-jsonschema installs: " + "; ".join(
                f"{k}: {v['version'] or 'check-jsonschema'}, YAML parser `{v['parser']}`" for k, v in cj.items()) + ".")
            out.append("")
    cold = data.get("cold")
    if cold:
        out += table(["cold start", "median"], [
            ["`python -c pass`", ms(cold["python"]["wall"])],
            ["`planlang check --no-cache examples/nanhu-2023.plan`",
             f"{ms(cold['check']['wall'])} (+{ms(cold['check']['wall'] - cold['python']['wall'])} over the interpreter)"]])
    lsp = data.get("lsp")
    if lsp:
        out += table(["language server", "first open → diagnostics", "open → diagnostics",
                      "edit → diagnostics (debounce included)", "completion after `牵头：`",
                      "outline (symbols / declared)"],
                     [[f"{size} lines", ms(r["open_first"]), ms(r["open"]), f"{ms(r['edit'])} (max {ms(r['edit_max'])})",
                       f"{ms(r['completion'])} ({r['completion_items']} items)",
                       f"{ms(r['outline'])} ({r['outline_symbols']:,} / {r['outline_expected']:,})"]
                      for size, r in lsp.items()])
        out += table(["typing through a syntax error: edit → diagnostics", "the edit that breaks the text",
                      "each edit while it is broken", "the edit that fixes it"],
                     [[f"{size} lines", ms(r["broken_break"]), ms(r["broken_typing"]), ms(r["broken_fix"])]
                      for size, r in lsp.items()])
    req = data.get("lsp_requests")
    if req:
        cols = [("completion", "completion"), ("hover", "hover"), ("definition", "definition"),
                ("inlay_hints", "inlay hints (60 lines)"), ("tokens_full", "semantic tokens (full)"),
                ("tokens_range", "semantic tokens (60 lines)"), ("tokens_delta", "semantic tokens (delta after an edit)"),
                ("formatting", "formatting"), ("range_formatting", "range formatting (60 lines)")]
        rows = []
        for size, r in req.items():
            rows.append([f"{size} lines"] + ["—" if r.get(k) is None else ms(r[k]) for k, _ in cols])
            rows.append([f"{size} lines, the first after an edit"] +
                        ["—" if r.get(k + "_first") is None else ms(r[k + "_first"]) for k, _ in cols])
        out += table(["language server requests"] + [c[1] for c in cols], rows)
    mem = data.get("lsp_memory")
    if mem:
        out += table(["language server memory", "open → diagnostics", "edit → diagnostics", "RSS after open",
                      "RSS after edits", "peak RSS"],
                     [[f"{size} lines", ms(r["open"]), ms(r["edit"]), mib(r["rss_open_kib"]), mib(r["rss_kib"]),
                       mib(r["peak_kib"])] for size, r in mem.items()])
    return "\n".join(out)


def profile(out: Path, size: str) -> str:
    """cProfile of `planlang check` on one plan; the top functions by own time and by cumulative time."""
    prof = out / f"profile-{size}.prof"
    subprocess.run([str(PYTHON), "-m", "cProfile", "-o", str(prof), "-m", "planlang", "check",
                    str(out / size / "plan.plan")], cwd=ROOT, capture_output=True)
    code = (f"import pstats, io; s = io.StringIO(); p = pstats.Stats({str(prof)!r}, stream=s); "
            f"p.sort_stats('tottime').print_stats(25); p.sort_stats('cumulative').print_stats(40); print(s.getvalue())")
    text = subprocess.run([str(PYTHON), "-c", code], capture_output=True, text=True).stdout
    (out / f"profile-{size}.txt").write_text(text, encoding="utf-8")
    return text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--big-runs", type=int, default=3, help="runs at 100k lines")
    ap.add_argument("--sizes", default="1k,10k,100k")
    ap.add_argument("--lsp-sizes", default="1k,5k,10k")
    ap.add_argument("--lsp-memory-sizes", default="100k", help="plans to measure the server's memory on")
    ap.add_argument("--lsp-request-sizes", default="10k,100k",
                    help="plans to time requests about one place, semantic tokens and formatting on")
    ap.add_argument("--skip-lsp", action="store_true")
    ap.add_argument("--skip-jsonschema", action="store_true")
    ap.add_argument("--profile", action="store_true", help="also profile `planlang check` on the 10k plan")
    args = ap.parse_args()
    out: Path = args.out.resolve()
    if not (out / "1k" / "plan.plan").exists():
        raise SystemExit(f"no plans in {out}: run bench/generate.py first")

    cache = out / "cache"  # the benchmark's own result cache, empty at the start
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["PLANLANG_CACHE_DIR"] = str(cache)
    data: dict = {"machine": machine(), "runs": args.runs, "big_runs": args.big_runs, "sizes": {}}
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    if not args.skip_jsonschema:
        venvs = jsonschema_venvs(out)
        data["jsonschema"] = {k: {"parser": v["parser"], "version": v["version"]} for k, v in venvs.items()}
    rx = floor_regex()
    schema = out / "plan.schema.json"
    for size in [s for s in args.sizes.split(",") if s]:
        d = out / size
        plan, yaml = d / "plan.plan", d / "plan.yaml"
        text = plan.read_text(encoding="utf-8")
        runs = args.big_runs if size == "100k" else args.runs
        log(f"[{size}] planlang check …")
        r = {"lines": text.count("\n"), "yaml_lines": yaml.read_text(encoding="utf-8").count("\n"),
             "bytes": len(text.encode("utf-8"))}
        r["check"] = repeat([str(PLANLANG), "check", "--no-cache", str(plan)], runs, cwd=ROOT)
        repeat([str(PLANLANG), "check", str(plan)], 1, cwd=ROOT)  # fills the cache
        r["check_warm"] = repeat([str(PLANLANG), "check", str(plan)], runs, cwd=ROOT)
        log(f"[{size}] pipeline in-process …")
        r["pipeline"] = in_process(plan, runs)
        r["floor"] = re_floor(text, max(runs, 5), rx)
        if not args.skip_jsonschema:
            for name, v in venvs.items():
                log(f"[{size}] check-jsonschema ({name}) …")
                r[f"cjs_{name}"] = repeat([str(v["bin"]), "--schemafile", str(schema), str(yaml)], runs, cwd=ROOT)
        data["sizes"][size] = r
    log("cold start …")
    n = max(10, args.runs)
    data["cold"] = {"python": repeat([str(PYTHON), "-c", "pass"], n),
                    "check": repeat([str(PLANLANG), "check", "--no-cache", str(EXAMPLE)], n, cwd=ROOT)}
    if not args.skip_lsp:
        data["lsp"] = {}
        for size in [s for s in args.lsp_sizes.split(",") if s]:
            log(f"[{size}] language server …")
            data["lsp"][size] = lsp_bench(out / size / "plan.plan", args.runs)
        data["lsp_requests"] = {}
        for size in [s for s in args.lsp_request_sizes.split(",") if s]:
            log(f"[{size}] language server requests …")
            data["lsp_requests"][size] = lsp_requests(out / size / "plan.plan", args.big_runs if size == "100k"
                                                      else args.runs)
        data["lsp_memory"] = {}
        for size in [s for s in args.lsp_memory_sizes.split(",") if s]:
            log(f"[{size}] language server memory …")
            data["lsp_memory"][size] = lsp_memory(out / size / "plan.plan")
    table = report(data)
    print(table)
    (out / "results.md").write_text(table + "\n", encoding="utf-8")
    (out / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n",
                                      encoding="utf-8")
    if args.profile:
        log("profile (10k) …")
        text = profile(out, "10k")
        print("\n".join(text.splitlines()[:60]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
