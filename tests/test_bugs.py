"""planlang bugs, each as the test that shows it: an open bug is marked xfail(strict=True), a fixed one stays
here as a regression test without the mark.

When a bug is fixed its test starts passing and strict xfail fails the run: then remove the mark (and, where
the test says so, turn it into a rule case under tests/cases/).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planlang.pipeline import compile_file
from planlang.syntax import parse


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planlang.toml").touch()
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _diags(result) -> list[tuple[str, int, int, str]]:
    out = []
    for d in result.diagnostics:
        line, col = d.span.file.line_col(d.span.start)
        out.append((Path(d.span.file.path).name, line, col, d.code))
    return sorted(out)


@pytest.mark.parametrize("text", [
    "单位 区发改局\n单位 区财政局\n任务 “t” {\n  牵头 区发改局、区财政局\n}\n",
    "单位 区住建局 “全称” “多余” “多余2”\n",
], ids=["missing-colon-in-list", "two-extra-headers"])
def test_at_most_one_pl001_per_line(tmp_path, text):
    result = compile_file(_write(tmp_path, "plan.plan", text))
    lines = [line for _, line, _, code in _diags(result) if code == "PL001"]
    assert lines and len(lines) == len(set(lines)), _diags(result)


def test_missing_colon_has_no_knock_on_error(tmp_path):
    text = "单位 区发改局\n任务 “t” {\n  牵头 区发改局\n}\n"
    result = compile_file(_write(tmp_path, "plan.plan", text))
    assert _diags(result) == [("plan.plan", 3, 3, "PL001")]


def test_crlf_comment_offsets_are_exact():
    text = "# 注释\r\n单位 区发改局  # 行尾\r\n"
    doc = parse(text)
    assert [text[c.start:c.end] for c in doc.comments] == [c.text for c in doc.comments] == ["# 注释", "# 行尾"]


def test_include_with_two_paths_is_reported(tmp_path):
    _write(tmp_path, "_a.plan", "单位 区发改局\n")
    _write(tmp_path, "_b.plan", "单位 区财政局\n")
    plan = _write(tmp_path, "plan.plan", "引用 “_a.plan” “_b.plan”\n任务 “t” { 牵头：区发改局；配合：区财政局 }\n")
    diags = _diags(compile_file(plan))
    # fixed either way: the extra path is reported, or both files are included and 区财政局 resolves
    assert any(d[1] == 1 and d[3] == "PL001" for d in diags) or diags == [], diags


def test_extra_header_message_is_not_double_quoted(tmp_path):
    result = compile_file(_write(tmp_path, "plan.plan", "单位 区住建局 “全称” “多余”\n"))
    [d] = [d for d in result.diagnostics if d.code == "PL001"]
    assert "““" not in d.message.zh and "””" not in d.message.zh, d.message.zh


@pytest.mark.parametrize("target", ["a\x00b.plan", "a" * 300 + ".plan", "a" * 300 + "/x.plan"],
                         ids=["nul-byte", "long-name", "long-folder"])
def test_include_path_never_raises(tmp_path, target):
    plan = _write(tmp_path, "plan.plan", f"引用 “{target}”\n")
    result = compile_file(plan)  # `planlang check` reports "internal error" / "cannot read plan.plan"
    # (a NUL is also a control character the plan may not hold: a PL001 of its own)
    assert sorted((d[1], d[3]) for d in _diags(result)) == [(1, "PL001")] * ("\x00" in target) + [(1, "PL005")]


def test_unreadable_include_is_reported(tmp_path, monkeypatch):
    units = _write(tmp_path, "_units.plan", "单位 区发改局\n")
    plan = _write(tmp_path, "plan.plan", "引用 “_units.plan”\n任务 “t” { 牵头：区发改局 }\n")
    real = Path.read_bytes

    def read_bytes(self):
        if self.resolve() == units.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    diags = _diags(compile_file(plan))
    assert ("plan.plan", 1, 4, "PL005") in diags, diags


def test_missing_include_is_reported_beside_a_syntax_error_on_its_line(tmp_path):
    """run_checks dropped PL005 as a knock-on effect of the PL001 for the include's second path."""
    _write(tmp_path, "_b.plan", "单位 区财政局\n")
    plan = _write(tmp_path, "plan.plan", "引用 “_missing.plan” “_b.plan”\n")
    assert [(d[1], d[2], d[3]) for d in _diags(compile_file(plan))] == [(1, 4, "PL005"), (1, 20, "PL001")]


@pytest.mark.parametrize("field", ["指标", "说明", "标题"])
@pytest.mark.parametrize("gap", ["\u3000", "  ", "\t"], ids=["ideographic-space", "two-spaces", "tab"])
def test_formatting_keeps_white_space_inside_values(tmp_path, field, gap):
    from planlang.outputs.jsonout import plan_json
    from planlang.syntax.format import format_text

    text = f"任务 “t” {{\n  {field}：甲{gap}乙\n}}\n"
    plan = _write(tmp_path, "plan.plan", text)
    formatted = format_text(text)
    assert not formatted.errors
    assert plan_json(compile_file(plan, text=formatted.text).model) == plan_json(compile_file(plan).model)


def test_buffer_with_byte_order_mark_reads_like_the_file(tmp_path):
    text = "\ufeff方案 “甲”\n"
    plan = tmp_path / "plan.plan"
    _write(tmp_path, "plan.plan", "")
    plan.write_bytes(text.encode("utf-8"))
    from_disk, from_buffer = compile_file(plan), compile_file(plan, text=text)
    assert sorted(d.code for d in from_buffer.diagnostics) == sorted(d.code for d in from_disk.diagnostics)
    assert from_buffer.model.plan == from_disk.model.plan
