"""Diagnostics as text (source line and caret, CJK-aware) and as the documented JSON."""

from __future__ import annotations

import json

from planlang.diagnostics import Diagnostic, Severity
from planlang.source import display_width, visible

_SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def text_report(diags: list[Diagnostic], lang: str = "zh", color: bool = False) -> str:
    """Each diagnostic as `file:line:col: severity[code] message`, the source line, and a caret line."""
    out: list[str] = []
    for d in diags:
        f = d.span.file
        line, col = f.line_col(d.span.start)
        sev = d.severity.value if lang == "en" else _SEV_ZH.get(d.severity.value, d.severity.value)
        head = visible(f"{f.path}:{line}:{col}: {sev}[{d.code}] {d.message.get(lang)}").replace("\n", "␊")
        if color:
            c = {"error": "31", "warning": "33", "info": "36"}.get(d.severity.value, "0")
            head = f"\x1b[1;{c}m{head}\x1b[0m"
        out.append(head)
        # the source line as it would show, control characters made visible (see `visible`)
        src = visible(f.line_text(line - 1)).replace("\t", "    ")
        if src.strip():
            raw = f.line_text(line - 1)
            before = visible(raw[:col - 1]).replace("\t", "    ")
            end_line, end_col = f.line_col(d.span.end)
            stop = end_col - 1 if end_line == line else len(raw)
            marked = visible(raw[col - 1:max(stop, col)]).replace("\t", "    ")
            gutter = f"{line:>5} | "
            out.append(gutter + src)
            out.append(" " * (len(gutter) - 2) + "| " + " " * display_width(before) + "^" * max(1, display_width(marked)))
        for rel in d.related:
            rl, rc = rel.span.file.line_col(rel.span.start)
            out.append(visible(f"      = {rel.span.file.path}:{rl}:{rc}: {rel.message.get(lang)}"))
    return "\n".join(out) + ("\n" if out else "")


def summary(diags: list[Diagnostic], files: int, lang: str = "zh") -> str:
    """One line: how many errors, warnings and notes in how many files."""
    n = {s: sum(1 for d in diags if d.severity is s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    if lang == "en":
        return (f"{n[Severity.ERROR]} error(s), {n[Severity.WARNING]} warning(s), {n[Severity.INFO]} note(s) "
                f"in {files} file(s)")
    return f"检查了 {files} 个文件：{n[Severity.ERROR]} 个错误，{n[Severity.WARNING]} 个警告，{n[Severity.INFO]} 个提示"


def json_report(diags: list[Diagnostic], lang: str = "zh") -> str:
    """`{"version": 1, "diagnostics": [...]}` with 1-based lines and code-point columns."""
    return json.dumps({"version": 1, "diagnostics": [d.to_json(lang) for d in diags]}, ensure_ascii=False,
                      indent=2) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_report(diags: list[Diagnostic], lang: str = "zh") -> str:
    """GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` annotation per diagnostic."""
    out = []
    for d in diags:
        kind = {"error": "error", "warning": "warning"}.get(d.severity.value, "notice")
        f = d.span.file
        sl, sc = f.line_col(d.span.start)
        el, ec = f.line_col(d.span.end)
        props = (f"file={_gh_escape(f.path, True)},line={sl},col={sc},endLine={el},endColumn={ec},"
                 f"title={_gh_escape(d.code, True)}")
        out.append(f"::{kind} {visible(props)}::{visible(_gh_escape(d.message.get(lang)))}")
    return "\n".join(out) + ("\n" if out else "")
