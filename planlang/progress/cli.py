"""The bodies of `planlang status` and `planlang track` (the CLI module keeps only their signatures)."""

from __future__ import annotations

import sys
from pathlib import Path

from planlang.collector import gc_paused

# No cyclic collection while a command reads (`gc_paused`): the plan, the reports and the status are many objects
# that all live to the end, so collections meanwhile find nothing and slow reading down several times over.


def run_status(plan: Path, as_of: str | None, fmt: str, output: Path | None, progress: Path | None, fail,
               use_cache: bool = True) -> int:
    with gc_paused():
        return _status(plan, as_of, fmt, output, progress, fail, use_cache)


def _status(plan: Path, as_of: str | None, fmt: str, output: Path | None, progress: Path | None, fail,
            use_cache: bool) -> int:
    from planlang.config import ConfigError, load_config
    from planlang.checks.settings import settings_from
    from planlang.model.values import read_date
    from planlang.outputs.files import emit
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
        loaded = load(plan, folder, settings, use_cache)
    except ConfigError as e:
        fail(f"配置错误 / invalid configuration: {e}")
    except OSError as e:
        fail(f"无法读取 / cannot read {plan}: {e.strerror or e}")
    opts = settings.options
    status = compute(loaded, when, float(opts.get("PL604", {}).get("tolerance", 0.0)),
                     int(opts.get("PL605", {}).get("months", 1)))
    if fmt == "docx":
        if output is None or str(output) == "-":
            fail("docx 需要 -o 指定输出文件 / docx needs -o FILE")
        data = report.status_docx(status)
    else:
        text = {"text": report.status_text, "json": report.status_json, "md": report.status_md,
                "html": report.status_html}[fmt](status)
        data = text.encode("utf-8")
    to_stdout = output is None or str(output) == "-"
    if not to_stdout and output.suffix.lower() == ".plan":
        fail(f"输出会覆盖方案文件 / the output would overwrite a plan: {output}")
    emit(data, None if to_stdout else output, fail)
    if not loaded.files:
        print(f"planlang: {folder} 中没有进展文件 / no progress files in {folder}", file=sys.stderr)
    return 0


def run_track(action: str, files: list[Path], period: str | None, units: list[str] | None, output: Path | None,
              plan: Path | None, progress: Path | None, fail, use_cache: bool = True) -> int:
    """`track export PLAN --period P [--unit X…] -o OUT.xlsx` · `track import FILLED.xlsx… [--plan PLAN] [-o OUT]`."""
    with gc_paused():
        return _track(action, files, period, units, output, plan, progress, fail, use_cache)


def _track(action: str, files: list[Path], period: str | None, units: list[str] | None, output: Path | None,
           plan: Path | None, progress: Path | None, fail, use_cache: bool) -> int:
    from planlang.cache import Cache
    from planlang.outputs.files import write_atomic
    from planlang.progress import history, planview, sheet
    from planlang.progress.build import read_period
    from planlang.progress.status import progress_dir

    def compile_plan(p: Path):
        from planlang.config import ConfigError

        if not p.is_file():
            fail(f"找不到方案文件 / no such plan file: {p}")
        try:
            return planview.compile_view(p, cache=None if use_cache else Cache(planview.KIND, False))
        except (ConfigError, OSError) as e:
            fail(f"无法读取方案 / cannot compile {p}: {e}")

    def history_of(p: Path):
        files = history.read_folder(progress_dir(p, progress), cache=None if use_cache else Cache(history.KIND, False))
        return [r for f in files for r in f.reports]

    if action == "export":
        if len(files) != 1:
            fail("用法 / usage: planlang track export PLAN --period 2023-06 [--unit X] -o 推进情况表.xlsx")
        plan = files[0]
        if period is None or read_period(period) is None:
            fail("请用 --period 给出期间，如 2023-06 / give the period with --period, e.g. 2023-06")
        if output is None or output.suffix.lower() != ".xlsx":
            fail("请用 -o 给出 .xlsx 输出文件 / give the output workbook with -o FILE.xlsx")
        result = compile_plan(plan)
        all_units = sheet.reporting_units(result)
        chosen = all_units
        if units:
            chosen = []
            for u in units:
                uid = result.symbols.units.get(u)
                if uid is None:
                    fail(f"方案中没有单位 / the plan has no unit: {u}")
                chosen.append(uid.id)
        records = history_of(plan)
        current = [r for r in records if r.period == period]
        data = sheet.export_workbook(result, period, chosen, [r for r in records if r.period != period], current,
                                     str(plan.resolve()))
        try:
            write_atomic(output, data)
        except OSError as e:
            fail(f"无法写入 / cannot write {output}: {e.strerror or e}")
        print(f"已生成 / wrote {output}（{len(chosen)} 个单位 / units）", file=sys.stderr)
        return 0
    if action != "import":
        fail(f"未知的操作 / unknown action: {action} (export, import)")
    if not files:
        fail("用法 / usage: planlang track import FILLED.xlsx… [--plan PLAN] [-o 进展/2023-06.plan]")
    for f in files:
        if not f.is_file():
            fail(f"找不到文件 / no such file: {f}")
    if plan is None:
        plan = _plan_of(files[0])
        if plan is None:
            fail("工作簿未记录方案路径，请用 --plan 给出 / the workbook does not name its plan: give --plan")
    result = compile_plan(plan)
    records = history_of(plan)
    imported = sheet.read_workbooks(result, files, records)
    for r in imported.refused:
        print(f"planlang: 拒收 / refused {r}", file=sys.stderr)
    if imported.period is None:
        fail("没有可读取的推进情况表 / no readable 推进情况表", 1)
    target = output or progress_dir(plan, progress) / f"{imported.period}.plan"
    existing = target.read_text(encoding="utf-8") if target.is_file() else None
    text = sheet.merge_into(existing, sheet.plan_reference(plan, target), imported, sheet.reporting_units(result))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text.encode("utf-8"))
    except OSError as e:
        fail(f"无法写入 / cannot write {target}: {e.strerror or e}")
    n = sum(len(recs) for _, recs in imported.blocks.values())
    print(f"已合并 / merged {n} 条记录 / records into {target}；拒收 / refused {len(imported.refused)}", file=sys.stderr)
    return 1 if imported.refused else 0


def _plan_of(workbook: Path) -> Path | None:
    from openpyxl import load_workbook

    try:
        subject = load_workbook(workbook, read_only=True).properties.subject
    except Exception:  # noqa: BLE001
        return None
    return Path(subject) if subject and Path(subject).is_file() else None
