"""`planlang status` outputs: text, JSON (with a schema), Markdown, a self-contained HTML dashboard (no scripts;
inline SVG charts; prints cleanly) and the 月通报 as an official document (docx, the plan render's GB/T 9704
layout)."""

from __future__ import annotations

import html
import io
import json
from datetime import date, datetime

from planlang.progress.status import CATEGORY_ZH, STATE_ZH, GroupStatus, Status, TaskStatus

LIGHT_ZH = {"green": "绿", "yellow": "黄", "red": "红"}
LIGHT_COLOR = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def status_json(s: Status) -> str:
    return json.dumps(s.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def status_schema_json() -> str:
    schema = Status.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _task_line(t: TaskStatus) -> str:
    units = "、".join(t.units) or "—"
    extra = []
    if t.due:
        extra.append(f"时限 {t.due}")
    if t.progress is not None:
        extra.append(f"进度 {_pct(t.progress)}")
    return f"{t.path} {t.title}（{units}）{STATE_ZH[t.state]}" + (f"，{'，'.join(extra)}" if extra else "")


def status_text(s: Status) -> str:
    out = [f"{s.title}  截至 {s.as_of}（最近一期 {s.period or '—'}，序时进度 {_pct(s.elapsed)}）", ""]
    out.append("通报分类：" + "  ".join(f"{c.label} {c.count} 项（{c.share:.1%}）" for c in s.categories))
    lights = {k: sum(1 for t in s.tasks if t.light == k) for k in ("red", "yellow", "green")}
    out.append("红黄绿：" + "  ".join(f"{LIGHT_ZH[k]} {v}" for k, v in lights.items()))
    by_id = {t.id: t for t in s.tasks}
    for title, ids in (("逾期未完成", s.overdue), ("欠进度", s.behind)):
        out += ["", f"{title}（{len(ids)} 项）："]
        out += [f"  {_task_line(by_id[i])}" for i in ids] or ["  无"]
        if title == "欠进度":
            for i in ids:
                for ind in by_id[i].indicators:
                    if ind.behind and ind.growth:
                        out.append(f"    {by_id[i].path} {ind.metric}：累计增长 {ind.reached}，目标增速 {ind.judged}")
                    elif ind.behind:
                        out.append(f"    {by_id[i].path} {ind.metric}：完成 {ind.reached}，为 {ind.judged} 的 "
                                   f"{_pct(ind.share)}，序时进度 {_pct(ind.elapsed)}")
    out += ["", f"未按时报送（{len(s.unreported)} 次）："]
    out += [f"  {u.period} {u.unit}（{u.tasks} 项任务）" for u in s.unreported] or ["  无"]
    for title, groups in (("分单位", s.units), ("分板块", s.sections)):
        out += ["", f"{title}完成情况："]
        out += [f"  [{LIGHT_ZH[g.light]}] {g.title}：{g.done}/{g.tasks} 已完成（{g.share_done:.0%}），欠进度 {g.behind}，"
                f"逾期 {g.overdue}" for g in groups]
    if s.unknown_records:
        out += ["", "无法对应任务的记录：" + "、".join(s.unknown_records)]
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def status_md(s: Status) -> str:
    out = [f"# {s.title} 推进情况", "", f"截至 {s.as_of}（最近一期 {s.period or '—'}），序时进度 {_pct(s.elapsed)}。", "",
           "| 分类 | 项数 | 占比 |", "|---|---:|---:|"]
    out += [f"| {c.label} | {c.count} | {c.share:.1%} |" for c in s.categories]
    out += ["", "## 任务", "", "| 序号 | 任务 | 责任单位 | 时限 | 状态 | 进度 | 分类 | 灯 |", "|---|---|---|---|---|---:|---|---|"]
    for t in s.tasks:
        out.append(f"| {t.path} | {_md_cell(t.title)} | {'、'.join(t.units)} | {t.due or ''} | {STATE_ZH[t.state]} | "
                   f"{_pct(t.progress)} | {CATEGORY_ZH[t.category]} | {LIGHT_ZH[t.light]} |")
    out += ["", "## 未按时报送", ""]
    out += [f"- {u.period} {u.unit}（{u.tasks} 项任务）" for u in s.unreported] or ["无"]
    for title, groups in (("分单位", s.units), ("分板块", s.sections)):
        out += ["", f"## {title}完成情况", "", "| 名称 | 任务 | 已完成 | 欠进度 | 逾期 | 完成率 | 灯 |", "|---|---:|---:|---:|---:|---:|---|"]
        out += [f"| {_md_cell(g.title)} | {g.tasks} | {g.done} | {g.behind} | {g.overdue} | {g.share_done:.0%} | "
                f"{LIGHT_ZH[g.light]} |" for g in groups]
    return "\n".join(out) + "\n"


# -- HTML ------------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.5em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;
vertical-align:top}th{background:#f0f0f0}.num{text-align:right}
.bar{display:inline-block;width:12em;height:.9em;background:#eee;border:1px solid #999;position:relative;vertical-align:middle}
.bar span{display:block;height:100%}.mark{position:absolute;top:-2px;bottom:-2px;width:2px;background:#000}
.light{display:inline-block;width:.9em;height:.9em;border-radius:50%;vertical-align:middle}
.charts{display:flex;flex-wrap:wrap;gap:1em}.chart{border:1px solid #ccc;padding:.5em}
@media print{body{margin:0}h2,table,.chart{break-inside:avoid}a{color:inherit}}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _bar(share: float, elapsed: float | None, color: str) -> str:
    w = max(0.0, min(1.0, share)) * 100
    mark = "" if elapsed is None else f'<i class="mark" style="left:{elapsed * 100:.1f}%"></i>'
    return (f'<span class="bar" role="img" aria-label="{share:.0%}"><span style="width:{w:.1f}%;background:{color}">'
            f'</span>{mark}</span>')


def _light(light: str) -> str:
    return f'<span class="light" style="background:{LIGHT_COLOR[light]}" title="{LIGHT_ZH[light]}"></span>'


def _chart(t: TaskStatus, ind) -> str:
    """Reached share per period (bars) against 序时进度 (a line), as inline SVG."""
    pts = ind.history or []
    w, h, pad = 320, 160, 30
    n = max(len(pts), 1)
    top = max([1.0] + [p.share or 0 for p in pts])
    step = (w - 2 * pad) / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
             f'role="img" aria-label="{_e(ind.metric)}">',
             f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#333"/>',
             f'<line x1="{pad}" y1="{pad / 2}" x2="{pad}" y2="{h - pad}" stroke="#333"/>']
    line = []
    for i, p in enumerate(pts):
        x = pad + i * step
        v = p.share or 0
        bh = (h - 1.5 * pad) * v / top
        color = LIGHT_COLOR["red"] if (p.elapsed is not None and v < p.elapsed) or (ind.growth and v < 1) else "#1565c0"
        parts.append(f'<rect x="{x + step * 0.15:.1f}" y="{h - pad - bh:.1f}" width="{step * 0.7:.1f}" height="{bh:.1f}" '
                     f'fill="{color}"><title>{_e(p.period)} {_e(p.reached)} {_pct(p.share)}</title></rect>')
        parts.append(f'<text x="{x + step / 2:.1f}" y="{h - pad + 12}" font-size="9" text-anchor="middle">'
                     f'{_e(p.period[-2:])}</text>')
        ref = 1.0 if ind.growth else p.elapsed
        if ref is not None:
            line.append(f"{x + step / 2:.1f},{h - pad - (h - 1.5 * pad) * ref / top:.1f}")
    if line:
        parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#000" stroke-dasharray="4 2"/>')
    parts.append('</svg>')
    label = "累计增速 / 目标增速" if ind.growth else "完成比例 / 序时进度（虚线）"
    return (f'<figure class="chart"><figcaption>{_e(t.path)} {_e(ind.metric)}：{_e(ind.reached)}（{_e(ind.judged)}）'
            f'<br><small>{label}</small></figcaption>{"".join(parts)}</figure>')


def _group_table(title: str, groups: list[GroupStatus]) -> str:
    rows = "".join(
        f"<tr><td>{_light(g.light)} {_e(g.title)}</td><td class=num>{g.done}/{g.tasks}</td>"
        f"<td>{_bar(g.share_done, None, LIGHT_COLOR[g.light])} {g.share_done:.0%}</td>"
        f"<td class=num>{g.behind}</td><td class=num>{g.overdue}</td></tr>" for g in groups)
    return (f"<h2>{_e(title)}</h2><table><thead><tr><th>名称</th><th>已完成</th><th>完成率</th><th>欠进度</th><th>逾期</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>")


def status_html(s: Status) -> str:
    cats = "".join(f"<tr><td>{_e(c.label)}</td><td class=num>{c.count}</td><td class=num>{c.share:.1%}</td></tr>"
                   for c in s.categories)
    tasks = "".join(
        f"<tr><td>{_e(t.path)}</td><td>{_e(t.title)}</td><td>{_e('、'.join(t.units))}</td><td>{_e(t.due or '')}</td>"
        f"<td>{_e(STATE_ZH[t.state])}</td><td>{_bar(t.progress or 0, s.elapsed, LIGHT_COLOR[t.light])} "
        f"{_pct(t.progress)}</td><td>{_light(t.light)} {_e(CATEGORY_ZH[t.category])}</td></tr>" for t in s.tasks)
    charts = "".join(_chart(t, ind) for t in s.tasks for ind in t.indicators)
    unrep = "".join(f"<li>{_e(u.period)} {_e(u.unit)}（{u.tasks} 项任务）</li>" for u in s.unreported) or "<li>无</li>"
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(s.title)} 推进情况</title>'
            f"<style>{_CSS}</style></head><body><h1>{_e(s.title)} 推进情况</h1>"
            f"<p>截至 {_e(s.as_of)}（最近一期 {_e(s.period or '—')}），序时进度 {_pct(s.elapsed)}。</p>"
            f"<h2>通报分类</h2><table><thead><tr><th>分类</th><th>项数</th><th>占比</th></tr></thead><tbody>{cats}</tbody></table>"
            f"{_group_table('分板块', s.sections)}{_group_table('分单位', s.units)}"
            f"<h2>指标进度</h2><div class=charts>{charts or '<p>无填报的指标</p>'}</div>"
            f"<h2>未按时报送</h2><ul>{unrep}</ul>"
            f"<h2>任务</h2><table><thead><tr><th>序号</th><th>任务</th><th>责任单位</th><th>时限</th><th>状态</th><th>进度</th>"
            f"<th>分类</th></tr></thead><tbody>{tasks}</tbody></table></body></html>\n")


# -- docx: the 月通报 ---------------------------------------------------------------------------------------------

def status_docx(s: Status) -> bytes:
    """The 月通报 in the plan render's official-document layout (GB/T 9704): title, 序时进度 and the counts,
    then 一、总体情况 二、逾期未完成事项 三、欠进度事项 四、未按时报送单位 五、下步要求."""
    from docx.shared import Pt

    from planlang.outputs import docx as official
    from planlang.outputs.ooxml import normalize_package, xml_text

    doc = official.official_document()

    def para(text: str, style: str = "Normal") -> None:
        p = doc.add_paragraph(style=style)
        official._add_text(p, text, style)

    para(f"关于{s.title}推进情况的通报", "Title")
    doc.add_paragraph(style="Normal").paragraph_format.first_line_indent = Pt(0)
    by_id = {t.id: t for t in s.tasks}
    counts = "，".join(f"{c.label}{c.count}项、占{c.share:.1%}" for c in s.categories)
    para("一、总体情况", "Heading 1")
    para(f"截至{s.as_of}，序时进度为{_pct(s.elapsed)}。方案共{len(s.tasks)}项任务，其中{counts}。")
    para("二、逾期未完成事项", "Heading 1")
    for i in s.overdue or []:
        para(_task_line(by_id[i]) + "。")
    if not s.overdue:
        para("无。")
    para("三、欠进度事项", "Heading 1")
    for i in s.behind:
        t = by_id[i]
        detail = "；".join(f"{ind.metric}完成{ind.reached}，为{ind.judged}的{_pct(ind.share)}" for ind in t.indicators
                          if ind.behind)
        problems = "；".join(t.problems)
        para(_task_line(t) + (f"。{detail}" if detail else "") + (f"。存在问题：{problems}" if problems else "") + "。")
    if not s.behind:
        para("无。")
    para("四、未按时报送单位", "Heading 1")
    if s.unreported:
        by_period: dict[str, list[str]] = {}
        for u in s.unreported:
            by_period.setdefault(u.period, []).append(u.unit)
        for period, units in by_period.items():
            para(f"{period}：{'、'.join(units)}。")
    else:
        para("无。")
    para("五、下步要求", "Heading 1")
    para("请欠进度和逾期事项的牵头单位分析原因、明确措施，于下期报送时一并说明；未按时报送的单位按要求补报。")
    when = date.fromisoformat(s.as_of)
    cp = doc.core_properties
    stamp = datetime(when.year, when.month, when.day)
    cp.title = xml_text(f"{s.title}推进情况通报")
    cp.author = cp.last_modified_by = "planlang"
    cp.created = cp.modified = cp.last_printed = stamp
    cp.revision = 1
    official._drop_thumbnail(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_package(buf.getvalue(), when, {"word/fontTable.xml": official._font_table})


