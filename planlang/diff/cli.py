"""The body of `planlang diff`: read both versions through the pipeline, compare, filter, write."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from planlang.model.nodes import CompiledPlan

DEV_NULL = "/dev/null"


def _compile(name: str, fail: Callable, real: str | None = None) -> CompiledPlan:
    """The compiled plan of `name` (an empty plan for /dev/null). `real`: the path the content belongs to (git
    passes the content in a temporary file; includes are resolved from the real path, where the working tree
    has them)."""
    from planlang.config import ConfigError
    from planlang.pipeline import compile_file
    from planlang.workspace import decode

    if name == DEV_NULL:
        return CompiledPlan()
    path = Path(name)
    try:
        if real is not None:
            src, diags = decode(path.read_bytes(), real)
            if diags:
                fail(f"不是 UTF-8 文本 / not UTF-8 text: {real}")
            result = compile_file(Path(real), text=src.text)
        else:
            if not path.is_file():
                fail(f"找不到文件 / no such file: {name}")
            result = compile_file(path)
    except ConfigError as e:
        fail(f"配置错误 / invalid configuration: {e}")
    except OSError as e:
        fail(f"无法读取 / cannot read {name}: {e.strerror or e}")
    errors = sum(1 for d in result.diagnostics if d.severity.value == "error")
    if errors:
        sys.stderr.write(f"planlang: {real or name} 有 {errors} 个错误，按编译结果比较 / has {errors} error(s); "
                         "compared as compiled\n")
    return result.model


def _unit_id(unit: str, plans: list[CompiledPlan]) -> str | None:
    for m in plans:
        for u in m.units:
            if unit == u.id or unit == u.full_name or unit in u.aliases:
                return u.id
    return None


def run_diff(files: list[str], fmt: str, output: Path | None, unit: str | None, git: bool,
             fail: Callable) -> int:
    from planlang.diff.compare import diff_plans, for_unit

    if git:
        if len(files) == 1:  # an unmerged path: git has nothing to compare
            sys.stdout.write(f"* Unmerged path {files[0]}\n")
            return 0
        if len(files) not in (7, 9):
            fail(f"--git 需要 git 传入的 7 个参数 / --git takes the 7 arguments git passes (got {len(files)})")
        path, old_file, new_file = files[0], files[1], files[4]
        new_path = files[7] if len(files) == 9 else path
        old = _compile(old_file, fail, path if old_file != DEV_NULL else None)
        new = _compile(new_file, fail, new_path if new_file != DEV_NULL else None)
        old_name, new_name = (f"a/{path}" if old_file != DEV_NULL else DEV_NULL,
                              f"b/{new_path}" if new_file != DEV_NULL else DEV_NULL)
    else:
        if len(files) != 2:
            fail(f"需要两个文件：原稿和修改稿 / give two files, OLD and NEW (got {len(files)})")
        old_name, new_name = files
        old, new = _compile(old_name, fail), _compile(new_name, fail)
    report = diff_plans(old, new, old_name, new_name)
    if unit is not None:
        uid = _unit_id(unit, [new, old])
        if uid is None:
            fail(f"两个版本都没有单位“{unit}” / no unit {unit} in either version")
        report = for_unit(report, uid)
    to_stdout = output is None or str(output) == "-"
    if fmt == "docx":
        from planlang.diff.docx import render_docx
        from planlang.outputs.views import fixed_date

        if to_stdout and sys.stdout.isatty():
            fail("docx 需要 -o 输出文件 / docx needs -o FILE")
        data = render_docx(report, fixed_date(new if new.plan is not None else old))
    else:
        from planlang.diff import formats
        from planlang.diff.report import report_json

        if fmt == "json":
            text = report_json(report)
        elif fmt == "md":
            text = formats.markdown_report(report)
        elif fmt == "html":
            text = formats.html_report(report)
        else:
            color = to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            text = formats.text_report(report, color=color)
        data = text.encode("utf-8")
    from planlang.outputs.files import emit

    emit(data, None if to_stdout else output, fail)
    if git:
        return 0
    return 1 if report.changes else 0
