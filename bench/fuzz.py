"""A long-running fuzzer: random texts and mutated examples through compile, the formatter and the renders.

    .venv/bin/python bench/fuzz.py --minutes 60 [--seed N] [--out bench/out/fuzz] [--timeout 20]

Inputs come from the hypothesis strategies in tests/strategies.py (random plan-like text, and examples/*.plan
after random edits: insertions, deletions, half/full-width punctuation, line duplication and deletion, braces,
Chinese/English keywords, U+3000, BOM, CR, NUL, astral characters, line ends changed to CR/CRLF/LF, separators
that are no line end, control characters and terminal sequences …). For each input:

- compile (`planlang.pipeline.compile_file`, as an editor buffer with `text=`, or written to disk — sometimes
  as GB18030 or UTF-16 — inside a temporary workspace that has a planlang.toml and every example);
  every diagnostic has a PLnnn code and spans inside its document; the JSON of the model is produced;
- the formatter (`format_text`, with a random target language and indent): when it succeeds it is idempotent,
  its output parses cleanly, and compiling it gives the same JSON as the original;
- the renders to Markdown and HTML, and `check`'s reports (text with source lines and carets, JSON, SARIF,
  GitHub annotations);
- text reports never carry a raw control character; the same text with CR or CRLF line ends compiles to the
  same plan with the same diagnostics at the same lines and columns;
- broken language-server frames (bad Content-Length, not JSON, invalid parameters, unended headers) sent to one
  running server: a valid request after them is still answered;
- for edited examples, the incremental path (`Session.update` after compiling the unedited
  example, as the language server does on an edit) gives the same JSON and diagnostics as a fresh compile, and
  so does undoing the edit after it (for an edit that broke the syntax, the edit that fixes it).

Nothing may raise, and no input may take longer than `--timeout` seconds. Each distinct failure — by exception
type and the innermost planlang frame (or by the property that failed) — is minimized (line then character
deletion, keeping the same failure) and written to OUT/<id>/ (input.plan, original.plan, traceback.txt,
meta.json); later hits of the same failure only bump its count in OUT/summary.json. The run keeps going.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed as hseed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import strategies as S  # noqa: E402
from planlang.outputs.jsonout import plan_json  # noqa: E402
from planlang.outputs.render import render  # noqa: E402
from planlang.outputs.report import github_report, json_report, summary, text_report  # noqa: E402
from planlang.outputs.sarif import sarif_report  # noqa: E402
from planlang.pipeline import compile_file  # noqa: E402
from planlang.syntax import parse  # noqa: E402
from planlang.syntax.format import format_text  # noqa: E402

CODE = re.compile(r"PL\d{3}")
PKG = str(ROOT / "planlang")


class FuzzTimeout(BaseException):
    """An input took longer than the per-input limit."""


class PropertyFailure(AssertionError):
    """A checked property does not hold; `key` names it for de-duplication."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(f"{key}: {detail}")
        self.key = key


def _alarm(signum, frame):
    raise FuzzTimeout("input took too long")


# -- one input ---------------------------------------------------------------------------------------------------


class Case:
    """One input: the text, the file name it is compiled as, and how it reaches the compiler."""

    def __init__(self, text: str, name: str = "fuzz.plan", mode: str = "buffer", encoding: str = "utf-8",
                 lang: str | None = None, indent: int = 2, before: str | None = None) -> None:
        self.text, self.name, self.mode, self.encoding, self.lang, self.indent = text, name, mode, encoding, lang, indent
        self.before = before  # the text before the edit (an example), for the incremental path

    def with_text(self, text: str) -> "Case":
        return Case(text, self.name, self.mode, self.encoding, self.lang, self.indent, self.before)

    def meta(self) -> dict:
        return {"name": self.name, "mode": self.mode, "encoding": self.encoding, "lang": self.lang,
                "indent": self.indent, "length": len(self.text), "incremental": self.before is not None}


def _check_spans(path: Path, text: str | None, result) -> None:
    for d in result.diagnostics:
        if not CODE.fullmatch(d.code):
            raise PropertyFailure("bad-code", repr(d.code))
        for span in (d.span, *(r.span for r in d.related)):
            n = len(span.file.text)
            if not 0 <= span.start <= span.end <= n:
                raise PropertyFailure(f"span-outside-document:{d.code}", f"{span.start}..{span.end} of {n}")
        if text is not None and Path(d.span.file.path).name == path.name and d.span.file.text != text:
            raise PropertyFailure("root-text-changed", d.code)


def run_case(ws: Path, case: Case) -> None:
    """Raises on any failure."""
    if case.mode == "buffer":
        path = ws / case.name
        result = compile_file(path, text=case.text)
        _check_spans(path, case.text, result)
    else:
        path = ws / f"_disk_{case.name}"
        path.write_bytes(case.text.encode(case.encoding, errors="surrogatepass"))
        try:
            result = compile_file(path)
        finally:
            path.unlink()
        _check_spans(path, None, result)
    original = plan_json(result.model)
    render(result, "md")
    render(result, "html")
    diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
    text_report(diags, "zh", color=True)
    shown = text_report(diags, "en", color=False)
    if _RAW_CONTROL.search(shown):
        raise PropertyFailure("text-report-sends-a-control-character",
                              repr(_RAW_CONTROL.search(shown).group()))
    if case.mode == "buffer" and "\r" not in case.text and "\n" in case.text:
        _check_line_ends(ws / case.name, case.text, original, diags)
    summary(diags, 1, "en")
    json.loads(json_report(diags, "en"))
    json.loads(sarif_report(diags, "zh"))
    github_report(diags, "zh")
    if case.before is not None and case.mode == "buffer":
        _check_incremental(ws / case.name, case.before, case.text, original, result)

    formatted = format_text(case.text, lang=case.lang, indent=case.indent)
    if formatted.errors:
        if formatted.text != case.text:
            raise PropertyFailure("fmt-error-changed-text", str(formatted.errors[:1]))
        return
    out = formatted.text
    if parse(out).errors:
        raise PropertyFailure("fmt-output-has-syntax-errors", str(parse(out).errors[:1]))
    again = format_text(out, lang=case.lang, indent=case.indent)
    if again.errors or again.text != out:
        raise PropertyFailure("fmt-not-idempotent", f"errors={again.errors[:1]}")
    bpath = ws / case.name
    if case.mode == "buffer":
        base = original
    else:  # the disk text was decoded by the pipeline; compare like with like
        base = plan_json(compile_file(bpath, text=case.text).model)
    after = plan_json(compile_file(bpath, text=out).model)
    if after != base and case.text.startswith("\ufeff") and case.mode == "buffer" \
            and plan_json(compile_file(bpath, text=case.text[1:]).model) == after:
        raise PropertyFailure("fmt-changes-compiled-json:leading-byte-order-mark", "the buffer starts with U+FEFF")
    if after != base:
        raise PropertyFailure(f"fmt-changes-compiled-json:{_json_difference(base, after)}",
                              f"lang={case.lang} indent={case.indent}")


# what a terminal would obey in a text report (TAB and LF are the report's own)
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _check_line_ends(path: Path, text: str, original: str, diags) -> None:
    """The same text with CR alone, or CRLF, for its line ends compiles to the same plan and the same diagnostics
    at the same lines and columns (line ends are LF, CRLF and CR alike)."""
    def where(ds):
        return sorted((d.code, *d.span.file.line_col(d.span.start)) for d in ds)

    for eol in ("\r", "\r\n"):
        other = compile_file(path, text=text.replace("\n", eol))
        if plan_json(other.model) != original:
            raise PropertyFailure(f"line-ends-change-the-plan:{eol!r}", "")
        a, b = where(diags), where(other.diagnostics)
        if a != b:
            raise PropertyFailure(f"line-ends-change-the-diagnostics:{eol!r}",
                                  f"only with LF: {[x for x in a if x not in b][:3]}; "
                                  f"only with {eol!r}: {[x for x in b if x not in a][:3]}")


_WS_RUN = re.compile(r"[\s\u3000\ufeff]+")


def _json_difference(a: str, b: str) -> str:
    """What kind of change formatting made to the compiled plan: `white-space-in-values` when the two agree once
    runs of white space inside strings are one space, else the first differing path (list indices as [])."""
    def squeeze(v):
        if isinstance(v, str):
            return _WS_RUN.sub(" ", v)
        if isinstance(v, list):
            return [squeeze(x) for x in v]
        if isinstance(v, dict):
            return {k: squeeze(x) for k, x in v.items()}
        return v

    ja, jb = json.loads(a), json.loads(b)
    if squeeze(ja) == squeeze(jb):
        return "white-space-in-values"

    def first(x, y, path):
        if type(x) is not type(y):
            return path
        if isinstance(x, dict):
            for k in sorted(set(x) | set(y)):
                if x.get(k) != y.get(k):
                    return first(x.get(k), y.get(k), f"{path}.{k}")
            return path
        if isinstance(x, list):
            if len(x) != len(y):
                return f"{path}[len]"
            for i, j in zip(x, y):
                if i != j:
                    return first(i, j, f"{path}[]")
        return path

    return first(ja, jb, "") or "."


def _diagnostic_keys(result) -> list[tuple]:
    return sorted((Path(d.span.file.path).name, d.span.start, d.span.end, d.code, d.severity.value, d.message.zh)
                  for d in result.diagnostics)


def _check_incremental(path: Path, before: str, after: str, fresh_json: str, fresh) -> None:
    """An edit compiled as the language server compiles it agrees with a fresh compilation, and so does undoing
    it (which, for an edit that broke the syntax, is the edit that fixes it)."""
    from planlang.session import Session

    session = Session(path)
    previous = session.update(before)
    unedited = (plan_json(previous.model), _diagnostic_keys(previous))  # (its nodes are re-used, so read it now)
    inc = session.update(after)
    _agree(inc, fresh_json, _diagnostic_keys(fresh), "Session.update after the unedited example")
    undone = session.update(before)
    _agree(undone, *unedited, "Session.update of the example after the edit")


def _agree(inc, fresh_json: str, fresh_keys: list[tuple], how: str) -> None:
    if plan_json(inc.model) != fresh_json:
        raise PropertyFailure(f"incremental-json-differs:{_json_difference(fresh_json, plan_json(inc.model))}", how)
    if _diagnostic_keys(inc) != fresh_keys:
        a, b = set(fresh_keys), set(_diagnostic_keys(inc))
        codes = sorted({k[3] for k in a ^ b})
        raise PropertyFailure(f"incremental-diagnostics-differ:{','.join(codes)}",
                              f"{how}: fresh only {sorted(a - b)[:3]}, incremental only {sorted(b - a)[:3]}")


def signature(exc: BaseException) -> tuple[str, str]:
    """(dedupe key, location) of a failure: the property's name, or the exception type and the innermost frame
    inside planlang (for RecursionError, the frame that repeats most)."""
    if isinstance(exc, PropertyFailure):
        return f"property:{exc.key}", ""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(PKG)]
    if isinstance(exc, FuzzTimeout):
        where = frames[-1] if frames else None
        # where a slow input was interrupted varies; the module is stable enough
        loc = os.path.relpath(where.filename, ROOT) if where else "?"
        return f"FuzzTimeout@{loc}", loc
    if isinstance(exc, RecursionError) and frames:
        common = Counter((f.filename, f.name) for f in frames).most_common(1)[0][0]
        loc = f"{os.path.relpath(common[0], ROOT)}:{common[1]}"
        return f"RecursionError@{loc}", loc
    if frames:
        f = frames[-1]
        loc = f"{os.path.relpath(f.filename, ROOT)}:{f.lineno}:{f.name}"
    else:
        tb = traceback.extract_tb(exc.__traceback__)
        loc = f"{tb[-1].filename}:{tb[-1].lineno}:{tb[-1].name}" if tb else "?"
    return f"{type(exc).__name__}@{loc}", loc


KNOWN = [  # (pattern on key + message, note): bugs known or fixed before; still recorded
    (re.compile(r"(ValueError|OSError).*(embedded null|NUL|null byte|File name too long)", re.S),
     "known: include path with a NUL byte / too long"),
    (re.compile(r"^RecursionError"), "known: deep nesting recursion"),
    (re.compile(r"^FuzzTimeout"), "probably known: quadratic recovery on long lines of '{'"),
    (re.compile(r"^property:fmt-changes-compiled-json:white-space-in-values"),
     "fixed (tests/test_bugs.py::test_formatting_keeps_white_space_inside_values): a case the fix misses?"),
    (re.compile(r"^property:fmt-changes-compiled-json:leading-byte-order-mark"),
     "fixed (tests/test_bugs.py::test_buffer_with_byte_order_mark_reads_like_the_file): a case the fix misses?"),
]


def known_note(key: str, message: str) -> str | None:
    for pattern, note in KNOWN:
        if pattern.search(f"{key} {message}"):
            return note
    return None


def attempt(ws: Path, case: Case, timeout: float) -> BaseException | None:
    signal.setitimer(signal.ITIMER_PROF, timeout)  # CPU time: a paused run does not time out
    try:
        run_case(ws, case)
    except FuzzTimeout as e:
        return e
    except Exception as e:  # noqa: BLE001
        return e
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return None


# -- minimization ------------------------------------------------------------------------------------------------


def minimize(ws: Path, case: Case, key: str, timeout: float, budget: float) -> Case:
    """Delete chunks of lines, then of characters, while the same failure (same key) still happens."""
    end = time.monotonic() + budget

    def fails(text: str) -> bool:
        if time.monotonic() > end:
            return False
        e = attempt(ws, case.with_text(text), timeout)
        return e is not None and signature(e)[0] == key

    def ddmin(items: list[str]) -> list[str]:
        n = 2
        while len(items) >= 2 and time.monotonic() < end:
            size = max(1, len(items) // n)
            reduced = False
            for start in range(0, len(items), size):
                trial = items[:start] + items[start + size:]
                if trial != items and fails("".join(trial)):
                    items, n, reduced = trial, max(n - 1, 2), True
                    break
            if not reduced:
                if size == 1:
                    break
                n = min(len(items), n * 2)
        return items

    text = "".join(ddmin(case.text.splitlines(keepends=True)))
    text = "".join(ddmin(list(text)))
    return case.with_text(text)


# -- the run -----------------------------------------------------------------------------------------------------


class Fuzzer:
    def __init__(self, out: Path, ws: Path, timeout: float, minimize_budget: float) -> None:
        self.out, self.ws, self.timeout, self.minimize_budget = out, ws, timeout, minimize_budget
        self.count = 0
        self.failures: dict[str, dict] = {}
        self.sources = Counter()
        self.summary_path = out / "summary.json"
        if self.summary_path.exists():  # a previous run's findings: keep them, count anew
            try:
                for k, v in json.loads(self.summary_path.read_text(encoding="utf-8")).items():
                    self.failures[k] = {**v, "hits_this_run": 0}
            except ValueError:
                pass

    def one(self, case: Case, source: str) -> None:
        self.count += 1
        self.sources[source] += 1
        t0 = time.monotonic()
        e = attempt(self.ws, case, self.timeout)
        if e is None:
            return
        key, loc = signature(e)
        entry = self.failures.get(key)
        if entry is not None:
            entry["hits"] = entry.get("hits", 0) + 1
            entry["hits_this_run"] = entry.get("hits_this_run", 0) + 1
            if entry.get("hits_this_run") == 1:
                self.write_summary()
            return
        message = f"{type(e).__name__}: {e}"
        note = known_note(key, message)
        print(f"[fuzz] NEW failure {key} ({note or 'not known'}) after {time.monotonic() - t0:.1f}s; "
              f"minimizing {len(case.text)} chars", flush=True)
        tb = "".join(traceback.format_exception(e))
        small = minimize(self.ws, case, key, self.timeout, self.minimize_budget)
        e2 = attempt(self.ws, small, self.timeout)
        if e2 is not None and signature(e2)[0] == key:
            tb = "".join(traceback.format_exception(e2))
        else:
            small = case
        ident = hashlib.sha1(key.encode()).hexdigest()[:10]
        folder = self.out / ident
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "input.plan").write_bytes(small.text.encode("utf-8", errors="surrogatepass"))
        (folder / "original.plan").write_bytes(case.text.encode("utf-8", errors="surrogatepass"))
        (folder / "traceback.txt").write_text(tb, encoding="utf-8")
        meta = {"key": key, "location": loc, "message": message[:2000], "known": note, "source": source,
                "case": small.meta(), "input_repr": repr(small.text)[:4000], "folder": ident, "hits": 1,
                "hits_this_run": 1, "found_at_input": self.count}
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        self.failures[key] = meta
        self.write_summary()
        print(f"[fuzz]   -> {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}: "
              f"{len(small.text)} chars {repr(small.text)[:160]}", flush=True)

    def frames(self, wire: Frames, frames: list[bytes]) -> None:
        self.count += 1
        self.sources["frames"] += 1
        try:
            wire.run(frames)
        except PropertyFailure as e:
            key = f"property:{e.key}"
            entry = self.failures.setdefault(key, {"key": key, "message": str(e)[:2000], "hits": 0,
                                                   "hits_this_run": 0, "source": "frames",
                                                   "input_repr": repr(frames)[:4000], "found_at_input": self.count})
            entry["hits"] += 1
            entry["hits_this_run"] = entry.get("hits_this_run", 0) + 1
            print(f"[fuzz] failure {key}: {repr(frames)[:200]}", flush=True)
            self.write_summary()
            if wire.client.proc.poll() is not None:  # a dead server: a fresh one for the rest of the run
                wire.__init__(wire.ws)

    def write_summary(self) -> None:
        tmp = self.summary_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.failures, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(self.summary_path)


def make_workspace(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planlang.toml").write_text("", encoding="utf-8")
    for name in S.EXAMPLE_FILES:
        shutil.copy(S.EXAMPLES / name, folder / name)
    return folder


class Frames:
    """Broken language-server frames (tests/strategies.py `broken_frame`) sent to one running server: after
    them, a valid request must still be answered — the reader resynchronizes, and nothing ends the process."""

    def __init__(self, ws: Path) -> None:
        sys.path.insert(0, str(ROOT / "bench"))
        from lsp_client import LspClient

        self.ws = ws
        self.client = LspClient([sys.executable, "-m", "planlang", "lsp"], cwd=ws)
        self.client.initialize(ws)
        self.uri = (ws / "nanhu-2023.plan").resolve().as_uri()
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri, "languageId": "plan", "version": 1,
            "text": (ws / "nanhu-2023.plan").read_text(encoding="utf-8")}})

    def run(self, frames: list[bytes]) -> None:
        c = self.client
        if c.proc.poll() is not None:
            raise PropertyFailure("lsp-server-died", f"exit code {c.proc.returncode}")
        for f in frames:
            c.proc.stdin.write(f)
        c.proc.stdin.write(b"\r\n")
        c.proc.stdin.flush()
        params = {"textDocument": {"uri": self.uri}}
        first, _ = c.send_request("textDocument/documentSymbol", params)
        rid, _ = c.send_request("textDocument/documentSymbol", params)
        try:
            _, msg = c.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout=60)
        except TimeoutError:
            raise PropertyFailure("lsp-out-of-step-after-broken-frames", repr(frames)[:400]) from None
        if "result" not in msg:
            raise PropertyFailure("lsp-error-for-a-valid-request", repr(msg)[:400])

    def close(self) -> None:
        self.client.close()


CASES = st.one_of(
    st.builds(lambda t, m, e: ("any", t, "fuzz.plan", m, e), S.ANY_TEXT, st.just("buffer"), st.just("utf-8")),
    st.builds(lambda t, m, e: ("wild", t, "fuzz.plan", m, e), S.WILD_TEXT,
              st.sampled_from(["buffer", "buffer", "disk"]), st.sampled_from(["utf-8", "utf-8", "gb18030", "utf-16"])),
    st.builds(lambda c, m, e: ("mutated", c[1], c[0], m, e), S.mutated_example(), st.just("buffer"), st.just("utf-8")),
    st.builds(lambda c, m, e: ("wild-mutated", c[1], c[0], m, e), S.wild_example(),
              st.sampled_from(["buffer", "buffer", "buffer", "disk"]), st.sampled_from(["utf-8", "utf-8", "gb18030"])),
    st.builds(lambda c, m, e: ("line-ends", c[1], c[0], m, e),
              S.mutated_example(max_edits=3, ops=("line_ends", "separator", "control", "line_ends")),
              st.sampled_from(["buffer", "disk"]), st.just("utf-8")),
    st.builds(lambda f: ("frames", f, "", "", ""), st.lists(S.broken_frame(), min_size=1, max_size=4)),
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "fuzz")
    ap.add_argument("--timeout", type=float, default=20.0, help="CPU seconds one input may take")
    ap.add_argument("--minimize-seconds", type=float, default=120.0)
    ap.add_argument("--chunk", type=int, default=200, help="hypothesis examples per seed")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGPROF, _alarm)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `kill PID`: clean up the temporary workspace
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))

    start = time.monotonic()
    stop = start + args.minutes * 60
    with tempfile.TemporaryDirectory(prefix="planlang-fuzz-") as tmp:
        ws = make_workspace(Path(tmp) / "ws")
        fz = Fuzzer(args.out, ws, args.timeout, args.minimize_seconds)
        last = [time.monotonic()]

        frames = Frames(ws)

        def body(case):
            if time.monotonic() > stop:
                return
            source, text, name, mode, encoding = case
            if source == "frames":
                fz.frames(frames, text)
                return
            lang = [None, "zh", "en"][fz.count % 3]
            indent = 2 if fz.count % 4 else 1 + fz.count % 7
            before = S.example_text(name) if source.endswith("mutated") else None
            fz.one(Case(text, name, mode, encoding, lang, indent, before), source)
            if time.monotonic() - last[0] > 30:
                last[0] = time.monotonic()
                el = last[0] - start
                print(f"[fuzz] {el / 60:5.1f} min  {fz.count} inputs ({fz.count / el:.1f}/s)  "
                      f"{len(fz.failures)} distinct failures  {dict(fz.sources)}", flush=True)

        chunk = 0
        print(f"[fuzz] seed {args.seed}, {args.minutes} min, out {args.out}", flush=True)
        while time.monotonic() < stop:
            test = hseed(args.seed * 1_000_003 + chunk)(
                settings(max_examples=args.chunk, deadline=None, database=None, phases=[Phase.generate],
                         suppress_health_check=list(HealthCheck), print_blob=False)(given(CASES)(body)))
            test()
            chunk += 1
        frames.close()
    el = time.monotonic() - start
    print(f"[fuzz] done: {fz.count} inputs in {el / 60:.1f} min, {len(fz.failures)} distinct failures", flush=True)
    for key, meta in sorted(fz.failures.items()):
        print(f"  {key}  hits={meta.get('hits_this_run', 0)}  {meta.get('known') or 'NOT KNOWN'}  "
              f"{meta.get('folder')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
