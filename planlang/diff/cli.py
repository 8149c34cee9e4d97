"""The body of `planlang diff`: read both versions through the pipeline, compare, filter, write."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from planlang.diff.load import DEV_NULL, Version, compiled_versions


def _unit_id(unit: str, plans: list) -> str | None:
    for m in plans:
        for u in m.units:
            if unit == u.id or unit == u.full_name or unit in u.aliases:
                return u.id
    return None


def run_diff(files: list[str], fmt: str, output: Path | None, unit: str | None, git: bool,
             fail: Callable, use_cache: bool = True) -> int:
    from planlang.diff.compare import diff_plans, for_unit

    if git:
        if len(files) == 1:  # an unmerged path: git has nothing to compare
            sys.stdout.write(f"* Unmerged path {files[0]}\n")
            return 0
        if len(files) not in (7, 9):
            fail(f"--git 需要 git 传入的 7 个参数 / --git takes the 7 arguments git passes (got {len(files)})")
        path, old_file, new_file = files[0], files[1], files[4]
        new_path = files[7] if len(files) == 9 else path
        versions = [Version(old_file, path if old_file != DEV_NULL else None),
                    Version(new_file, new_path if new_file != DEV_NULL else None)]
        old_name, new_name = (f"a/{path}" if old_file != DEV_NULL else DEV_NULL,
                              f"b/{new_path}" if new_file != DEV_NULL else DEV_NULL)
    else:
        if len(files) != 2:
            fail(f"需要两个文件：原稿和修改稿 / give two files, OLD and NEW (got {len(files)})")
        old_name, new_name = files
        versions = [Version(old_name), Version(new_name)]
    to_stdout = output is None or str(output) == "-"
    if not to_stdout:
        from planlang.usage import overwrites_plan

        for v in versions:
            if v.name != DEV_NULL and overwrites_plan(Path(v.real or v.name), output):
                fail(f"输出会覆盖方案文件 / the output would overwrite the plan: {output}")
    if fmt == "docx" and to_stdout and sys.stdout.isatty():
        fail("docx 需要 -o 输出文件 / docx needs -o FILE")
    old, new = compiled_versions(versions, fail, use_cache)
    report = diff_plans(old, new, old_name, new_name)
    if unit is not None:
        uid = _unit_id(unit, [new, old])
        if uid is None:
            fail(f"两个版本都没有单位“{unit}” / no unit {unit} in either version")
        report = for_unit(report, uid)
    if fmt == "docx":
        from planlang.diff.docx import render_docx
        from planlang.outputs.views import fixed_date

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
