"""Rule cases: every `tests/cases/<family>/<name>.plan` is checked and its diagnostics compared with
`<name>.expected` beside it.

An expected file lists one diagnostic per line as `LINE:COL CODE [text]`, in any order; `text`, when given,
must occur in the Chinese message (used for did-you-mean). Lines starting with `#` are comments. An empty
expected file means the case must be clean. Files whose name starts with `_` are helpers that cases include.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planlang.pipeline import compile_file

CASES = Path(__file__).resolve().parent / "cases"
CASE_FILES = sorted(p for p in CASES.rglob("*.plan") if not p.name.startswith("_"))


def _expected(path: Path) -> list[tuple[str, str, str]]:
    exp = path.with_suffix(".expected")
    assert exp.is_file(), f"missing {exp.relative_to(CASES)}: every case states its expected diagnostics"
    out = []
    for line in exp.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pos, code, *text = line.split(maxsplit=2)
        out.append((pos, code, text[0] if text else ""))
    return sorted(out)


def test_there_are_cases():
    assert len(CASE_FILES) >= 20


@pytest.mark.parametrize("case", CASE_FILES, ids=[str(p.relative_to(CASES)) for p in CASE_FILES])
def test_case(case: Path):
    result = compile_file(case)
    actual = []
    for d in result.diagnostics:
        if Path(d.span.file.path).resolve() != case.resolve():
            continue  # diagnostics in included helper files belong to their own cases
        line, col = d.span.file.line_col(d.span.start)
        actual.append((f"{line}:{col}", d.code, d.message.zh))
    expected = _expected(case)
    got = sorted((p, c) for p, c, _ in actual)
    want = sorted((p, c) for p, c, _ in expected)
    assert got == want, "\n".join(f"{p} {c} {m}" for p, c, m in sorted(actual))
    for pos, code, text in expected:
        if text:
            messages = [m for p, c, m in actual if (p, c) == (pos, code)]
            assert any(text in m for m in messages), f"{pos} {code}: '{text}' not in {messages}"
