"""Read `进展` and `记录` blocks into progress nodes (the model builder calls this for a `进展` block).

Shape only, like the rest of the builder: values that cannot be read are PL003, unknown fields PL002; whether a
record's task exists or its unit owns it is for the PL6xx checks.
"""

from __future__ import annotations

import calendar
import re

from planlang import keywords as kw
from planlang.diagnostics import error
from planlang.model import values
from planlang.model.symbols import UNIT
from planlang.progress.model import ProgressRecord, ProgressReport
from planlang.source import Span

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def read_period(text: str) -> tuple[str, str] | None:
    """A reporting period as (first day, last day): 2023-06 / 2023年6月 (a month), 2023-Q2 / 2023年第二季度 (a
    quarter), 2023-H1 / 2023年上半年 (a half), 2023 / 2023年 (a year)."""
    t = text.strip().replace("／", "/")
    m = re.fullmatch(r"(\d{4})(?:[-/.]|年)(\d{1,2})月?(?:份)?", t)
    if m:
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
        return None
    m = re.fullmatch(r"(\d{4})(?:-?[Qq]([1-4])|年第?([一二三四1-4])季度?)", t)
    if m:
        y, q = int(m[1]), _CN[m[2] or m[3]]
        last = q * 3
        return f"{y:04d}-{last - 2:02d}-01", f"{y:04d}-{last:02d}-{calendar.monthrange(y, last)[1]:02d}"
    m = re.fullmatch(r"(\d{4})(?:-?[Hh]([12])|年([上下])半年)", t)
    if m:
        y, h = int(m[1]), (1 if (m[2] == "1" or m[3] == "上") else 2)
        return (f"{y:04d}-01-01", f"{y:04d}-06-30") if h == 1 else (f"{y:04d}-07-01", f"{y:04d}-12-31")
    m = re.fullmatch(r"(\d{4})年?(?:全年|年度)?", t)
    if m:
        return f"{m[1]}-01-01", f"{m[1]}-12-31"
    return None


def read_percent(text: str) -> float | None:
    """`60%` / `60` / `百分之60` → 60.0 (0–100), else None."""
    t = text.strip().replace("％", "%").removeprefix("百分之")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%?", t)
    if not m:
        return None
    v = float(m[1])
    return v if 0 <= v <= 100 else None


def read_progress(bld, b) -> ProgressReport | None:
    """A `进展` block (top level only)."""
    headers = [a for a in b.headers]
    if not headers or b.body is None:
        bld.frag.diagnostics.append(error(
            "PL001", bld.aspan(b.keyword), "进展的写法是：进展 2023-06 { … }（期间写在关键字后）",
            "write a progress report as: progress 2023-06 { … } (the period after the keyword)"))
        return None
    period = headers[0].value
    span = bld.aspan(headers[0])
    read = read_period(period)
    if read is None:
        bld.frag.diagnostics.append(error(
            "PL003", span, f"无法识别的期间“{period}”：可写 2023-06、2023年6月、2023-Q2、2023年第二季度、2023-H1、2023年",
            f"malformed period '{period}': write 2023-06, 2023-Q2, 2023-H1 or 2023"))
    report = ProgressReport(period=period, start=read[0] if read else None, end=read[1] if read else None)
    bld.frag.spans[id(report)] = span
    bld.frag.ranges[id(report)] = bld.aspan(b)
    fields, nested = bld._fields(b, "progress")
    for spec, f in fields:
        name = spec.word.name
        if name == "filed_by":
            report.filed_by = _unit(bld, f, report)
        elif name == "filed_on":
            report.filed_on = _date(bld, f)
    for rb in nested:
        word = bld._keyword(rb, ("record",))
        if word is None:
            continue
        rec = _record(bld, rb)
        if rec is not None:
            if rec.filed_by is None:
                rec.filed_by = report.filed_by
            if rec.filed_on is None:
                rec.filed_on = report.filed_on
            report.records.append(rec)
    bld.frag.progress.append(report)
    return report


def _unit(bld, f, node) -> str | None:
    names, _ = bld._names(f, UNIT, node, "filed_by")
    return names[0][0] if names else None


def _date(bld, f) -> str | None:
    text = bld.value_text(f)
    d = values.read_date(text)
    if d is None:
        bld._bad_value(bld.aspan(f), "日期", "date", text)
    return d


def _record(bld, b) -> ProgressRecord | None:
    if not b.headers or b.body is None:
        bld.frag.diagnostics.append(error(
            "PL001", bld.aspan(b.keyword), "记录的写法是：记录 任务标识或序号 { 状态：… }",
            "write a record as: record <task id or number> { status: … }"))
        return None
    head = b.headers[0]
    rec = ProgressRecord(task=head.value)
    bld.frag.spans[id(rec)] = bld.aspan(head)
    bld.frag.ranges[id(rec)] = bld.aspan(b)
    fields, nested = bld._fields(b, "record")
    for spec, f in fields:
        name = spec.word.name
        if name == "status":
            text = bld.value_text(f)
            v = kw.enum_lookup(kw.PROGRESS_STATES, text)
            if v is None:
                bld._bad_enum_named(f, text, kw.PROGRESS_STATES, "状态", "status")
            else:
                rec.status = v.name
                bld.frag.spans[id(rec) + 1] = bld.aspan(f)  # the 状态 line (PL607 points at it)
        elif name in ("reached", "growth"):
            for it in f.items:
                text = bld.item_text(it)
                t = values.read_target(text)
                if t is None or t.quantity is None:
                    bld.frag.diagnostics.append(error(
                        "PL003", bld.aspan(it), f"无法识别的完成值“{text}”：指标名后接数值，如“社零 25.3亿元”“增长：社零 6.1%”",
                        f"malformed value '{text}': an indicator name then its value, e.g. 社零 25.3亿元"))
                    continue
                getattr(rec, name).append(t)
                bld.frag.spans[id(t)] = bld.aspan(it)
        elif name == "percent":
            text = bld.value_text(f)
            p = read_percent(text)
            if p is None:
                bld._bad_value(bld.aspan(f), "进度（0–100%）", "percent (0–100%)", text)
            rec.percent = p
        elif name in ("summary", "problems", "next_steps"):
            text = bld.value_text(f)
            if text:
                getattr(rec, name).append(text)
        elif name == "description":
            text = bld.value_text(f)
            if text:
                rec.note.append(text)
        elif name == "filed_by":
            rec.filed_by = _unit(bld, f, rec)
        elif name == "filed_on":
            rec.filed_on = _date(bld, f)
    bld._nested(nested, (), None)
    return rec


def span_of_status(spans: dict, rec: ProgressRecord) -> Span | None:
    """The span of a record's 状态 line, when it has one."""
    return spans.get(id(rec) + 1)
