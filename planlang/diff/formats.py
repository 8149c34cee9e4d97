"""The comparison as text (the terminal, git), Markdown and HTML. Every output is a function of the report
alone: the same two plans give the same bytes."""

from __future__ import annotations

import html

from planlang.diff.report import ENTITY_ZH, Change, DiffReport
from planlang.diff.textdiff import inline, shorten

_RESET, _BOLD, _RED, _GREEN, _YELLOW = "\033[0m", "\033[1m", "\033[31m", "\033[32m", "\033[33m"
_MARK = {"added": "+", "removed": "-"}


def label(c: Change) -> str:
    """The item a change belongs to: 任务 二、（一）→二、（二） “title”."""
    where = ""
    if c.old_location and c.new_location and c.old_location != c.new_location:
        where = f" {c.old_location}→{c.new_location}"
    elif c.new_location or c.old_location:
        where = f" {c.new_location or c.old_location}"
    ident = f" [{c.id}]" if c.id != c.title and c.entity != "plan" and not c.id.startswith("task-") else ""
    return f"{ENTITY_ZH[c.entity]}{where} “{c.title}”{ident}"


def _groups(changes: list[Change]) -> list[list[Change]]:
    out: list[list[Change]] = []
    for c in changes:
        if out and (out[-1][0].entity, out[-1][0].id, out[-1][0].kind in _MARK) == (c.entity, c.id, c.kind in _MARK):
            out[-1].append(c)
        else:
            out.append([c])
    return out


def headline(report: DiffReport) -> str:
    names = f"{report.old.file} → {report.new.file}"
    title = report.new.title or report.old.title
    unit = f"（{report.unit}）" if report.unit else ""
    return f"planlang diff {names}" + (f"  《{title}》" if title else "") + unit


def count_line(report: DiffReport) -> str:
    n = len(report.changes)
    if not n:
        return "无实质修改 / no changes" + (f" for {report.unit}" if report.unit else "")
    return f"共 {n} 处修改 / {n} change(s)"


def unit_summary(report: DiffReport) -> str | None:
    """With --unit: its role changes counted (新增为牵头单位 2 项；由牵头改为配合 1 项) and the other changes to what
    it owns."""
    if report.unit is None or not report.changes:
        return None
    from planlang.diff.compare import unit_note

    roles: dict[str, int] = {}
    other = 0
    for c in report.changes:
        mine = [rc for rc in c.roles if rc.unit == report.unit and rc.before != rc.after]
        if c.entity in ("task", "goal") and c.kind in ("owners", "added", "removed") and mine:
            phrase = unit_note(mine[0])
            roles[phrase] = roles.get(phrase, 0) + 1
        else:
            other += 1
    parts = [f"{phrase} {n} 项" for phrase, n in roles.items()]
    if other:
        parts.append(f"其他修改 {other} 处")
    return f"{report.unit}：" + "；".join(parts)


def text_report(report: DiffReport, color: bool = False) -> str:
    def paint(s: str, code: str) -> str:
        return f"{code}{s}{_RESET}" if color else s

    lines = [paint(headline(report), _BOLD)]
    if unit_summary(report):
        lines.append(unit_summary(report))
    for group in _groups(report.changes):
        first = group[0]
        mark = _MARK.get(first.kind, "~")
        code = {"+": _GREEN, "-": _RED}.get(mark, _YELLOW)
        lines.append(paint(f"{mark} {label(first)}", code))
        for c in group:
            lines.append(f"    {c.note}")
            if c.kind == "description" and c.edits:
                lines.append(f"      {_inline_text(c, color)}")
    lines.append(count_line(report))
    return "\n".join(lines) + "\n"


def _inline_text(c: Change, color: bool) -> str:
    if not color:
        return inline(c.edits).replace("\n", "¶")
    parts = []
    for k, e in enumerate(c.edits):
        if e.op == "equal":
            parts.append(shorten(e.text, 12, first=k == 0, last=k == len(c.edits) - 1))
        elif e.op == "delete":
            parts.append(f"{_RED}〔删：{e.text}〕{_RESET}")
        else:
            parts.append(f"{_GREEN}〔增：{e.text}〕{_RESET}")
    return "".join(parts).replace("\n", "¶")


# -- rows of a 修改对照表 (Markdown, HTML, docx) ------------------------------------------------------------------

def rows(report: DiffReport) -> list[tuple[Change, str, str, str]]:
    """(change, 原稿, 修改稿, 修改说明) for each change; 原稿 and 修改稿 are plain text."""
    out = []
    for c in report.changes:
        before = c.before if c.before is not None else "（无）"
        after = c.after if c.after is not None else ("（删去）" if c.kind == "removed" else "（无）")
        out.append((c, before, after, f"{label(c)}：{c.note}"))
    return out


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", "<br>")


def _marked_edits(c: Change, side: str, escape, deleted: str, inserted: str) -> str:
    """One side of a word-level text change: the text kept, and on the old side what was deleted, on the new side
    what was inserted, each escaped and wrapped in its format's marks (`deleted` / `inserted` hold `{}`)."""
    parts = []
    for e in c.edits:
        t = escape(e.text)
        if e.op == "equal":
            parts.append(t)
        elif e.op == "delete" and side == "old":
            parts.append(deleted.format(t))
        elif e.op == "insert" and side == "new":
            parts.append(inserted.format(t))
    return "".join(parts)


def _md_edits(c: Change, side: str) -> str:
    return _marked_edits(c, side, _md_cell, "~~{}~~", "**{}**")


def markdown_report(report: DiffReport) -> str:
    title = report.new.title or report.old.title or "方案"
    head = f"# 《{title}》修改对照表" + (f"（{report.unit}）" if report.unit else "")
    lines = [head, "", f"原稿：`{report.old.file}`　修改稿：`{report.new.file}`　{count_line(report)}", ""]
    if unit_summary(report):
        lines += [unit_summary(report), ""]
    if report.changes:
        lines += ["| 序号 | 原稿 | 修改稿 | 修改说明 |", "| --- | --- | --- | --- |"]
        for i, (c, before, after, note) in enumerate(rows(report), 1):
            if c.edits:
                before, after = _md_edits(c, "old"), _md_edits(c, "new")
            else:
                before, after = _md_cell(before), _md_cell(after)
            lines.append(f"| {i} | {before} | {after} | {_md_cell(note)} |")
    return "\n".join(lines) + "\n"


_CSS = """body{font-family:"FangSong","仿宋_GB2312","SimSun",serif;margin:2em auto;max-width:68em;color:#111}
h1{font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体","SimHei",serif;font-weight:normal;text-align:center}
p.meta{text-align:center;color:#555}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #444;padding:.4em .6em;vertical-align:top;
white-space:pre-wrap}th{background:#eee}td.n{text-align:center;width:3em}td.note{width:28%}
del{color:#b00;text-decoration:line-through}ins{color:#070;text-decoration:underline;font-weight:bold}
span.item{display:block;color:#555;font-size:90%}"""


def _html_edits(c: Change, side: str) -> str:
    return _marked_edits(c, side, html.escape, "<del>{}</del>", "<ins>{}</ins>")


def html_report(report: DiffReport) -> str:
    title = report.new.title or report.old.title or "方案"
    head = f"《{title}》修改对照表" + (f"（{report.unit}）" if report.unit else "")
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(head)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{html.escape(head)}</h1>",
           f'<p class="meta">原稿：{html.escape(report.old.file)}　修改稿：{html.escape(report.new.file)}　'
           f"{html.escape(count_line(report))}</p>"]
    if unit_summary(report):
        out.append(f'<p class="meta">{html.escape(unit_summary(report))}</p>')
    if report.changes:
        out += ["<table>", "<thead><tr><th>序号</th><th>原稿</th><th>修改稿</th><th>修改说明</th></tr></thead>",
                "<tbody>"]
        for i, (c, before, after, _note) in enumerate(rows(report), 1):
            if c.edits:
                b, a = _html_edits(c, "old"), _html_edits(c, "new")
            else:
                b, a = html.escape(before), html.escape(after)
            note = f'<span class="item">{html.escape(label(c))}</span>{html.escape(c.note)}'
            out.append(f'<tr class="{c.kind}"><td class="n">{i}</td><td>{b}</td><td>{a}</td>'
                       f'<td class="note">{note}</td></tr>')
        out += ["</tbody>", "</table>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
