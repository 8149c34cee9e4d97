"""The bodies of `planlang status` and `planlang track` (the CLI module keeps only their signatures)."""

from __future__ import annotations

import sys
from pathlib import Path


def run_status(plan: Path, as_of: str | None, fmt: str, output: Path | None, progress: Path | None, fail) -> int:
    from planlang.config import ConfigError, load_config
    from planlang.checks.settings import settings_from
    from planlang.model.values import read_date
    from planlang.outputs.files import write_atomic
    from planlang.progress import report
    from planlang.progress.status import compute, load, progress_dir

    if not plan.is_file():
        fail(f"找不到方案文件 / no such plan file: {plan}")
    when = None
    if as_of is not None:
        when = read_date(as_of)
        if when is None:
            fail(f"无法识别的日期 / not a date: {as_of} (2023-06-30)")
    folder = progress_dir(plan, progress)
    if progress is not None and not folder.is_dir():
        fail(f"找不到进展文件夹 / no such progress folder: {folder}")
    try:
        settings = settings_from(load_config(plan.resolve()))
        loaded = load(plan, folder, settings)
    except ConfigError as e:
        fail(f"配置错误 / invalid configuration: {e}")
    except OSError as e:
        fail(f"无法读取 / cannot read {plan}: {e.strerror or e}")
    opts = settings.options
    status = compute(loaded, when, float(opts.get("PL604", {}).get("tolerance", 0.0)),
                     str(opts.get("PL605", {}).get("default", "month")))
    if fmt == "docx":
        if output is None or str(output) == "-":
            fail("docx 需要 -o 指定输出文件 / docx needs -o FILE")
        data = report.status_docx(status)
    else:
        text = {"text": report.status_text, "json": report.status_json, "md": report.status_md,
                "html": report.status_html}[fmt](status)
        data = text.encode("utf-8")
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        if output.suffix.lower() == ".plan":
            fail(f"输出会覆盖方案文件 / the output would overwrite a plan: {output}")
        try:
            write_atomic(output, data)
        except OSError as e:
            fail(f"无法写入 / cannot write {output}: {e.strerror or e}")
    if not loaded.files:
        print(f"planlang: {folder} 中没有进展文件 / no progress files in {folder}", file=sys.stderr)
    return 0
