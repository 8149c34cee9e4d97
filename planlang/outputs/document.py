"""The plan as Markdown and as one self-contained HTML file.

Both show the same document as the docx render (`views.document_blocks`): title, free-text parts, goals, the
task tree with derived numbering and each task's owners, mechanisms. The HTML puts a report before the document:

- 责任矩阵: unit × section (重点任务) counts of lead / responsible / cooperate roles, cells shaded by load;
- 领导分工 (when the plan names leaders): each 责任领导 with the tasks and goals they answer for, own or inherited;
- 目标覆盖: each goal with the tasks that serve it — goals no task serves, and tasks without an owner, are
  highlighted;
- 诊断: the checker's diagnostics for the plan.

The HTML is one file: inline CSS, no scripts, nothing fetched (a Content-Security-Policy forbids it), readable
when printed. All text is escaped. Same plan, same bytes.
"""

from __future__ import annotations

import math
import re
from html import escape

from planlang.model.nodes import CompiledPlan
from planlang.outputs import views

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)(#|>|[-+*]\s|\d+[.)]\s|=+\s*$|-+\s*$)")


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: emphasis, links, HTML and line-start markers escaped."""
    text = _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def render_markdown(model: CompiledPlan, order: list[object] | None = None) -> str:
    """The document as Markdown: # title, ## 一级, ### 二级 …, paragraphs with their owners."""
    out: list[str] = []
    for b in views.document_blocks(model, order):
        if b.kind == "title":
            out.append(f"# {md_escape(b.text)}")
        elif b.kind == "docnumber":
            out.append(md_escape(b.text))
        elif b.kind == "heading":
            out.append(f"{'#' * min(b.level + 1, 6)} {md_escape(b.number + b.text)}")
        elif b.kind == "para":
            out.append(md_escape(b.text) + md_escape(b.owners))
        elif b.kind == "signature":
            out.append(md_escape(b.text))
    return "\n\n".join(out) + "\n"



CSS = """
:root { --ink: #1a1a1a; --muted: #666; --line: #c8c8c8; --head: #eef0f3; --gap: #fde2e1; --gap-ink: #a4262c;
  --warn: #fff4ce; --l1: #e8f1fb; --l2: #cfe2f6; --l3: #a9cbef; --l4: #7fb0e4; --l5: #4f8fd6; }
* { box-sizing: border-box; }
html { color: var(--ink); background: #fff; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 2rem 4rem; line-height: 1.8; font-size: 16px;
  font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC",
  "Source Han Serif SC", "Songti SC", serif; }
h1, h2, h3, h4, h5, nav, table, .summary, .legend { font-family: "SimHei", "黑体", "Microsoft YaHei",
  "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", sans-serif; }
nav.toc { font-size: 14px; padding: .5rem 0 1rem; border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
nav.toc a { margin-right: 1.2em; color: #0b5394; }
.document h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "SimSun", "宋体", "Noto Serif CJK SC", serif;
  font-weight: normal; font-size: 22pt; text-align: center; line-height: 1.5; margin: 1.5rem 0 2rem; }
.document .docnumber { text-align: center; text-indent: 0; }
.document h2 { font-size: 16pt; font-weight: normal; margin: 1rem 0 .3rem; text-indent: 2em; }
.document h3 { font-family: "KaiTi_GB2312", "楷体_GB2312", "KaiTi", "楷体", "STKaiti", "Noto Serif CJK SC", serif;
  font-size: 16pt; font-weight: normal; margin: .8rem 0 .3rem; text-indent: 2em; }
.document h4, .document h5 { font-family: inherit; font-size: 16pt; margin: .6rem 0 .3rem; text-indent: 2em; }
.document h4 { font-weight: bold; }
.document h5 { font-weight: normal; }
.document p { font-size: 16pt; text-indent: 2em; margin: 0; text-align: justify; }
.document p.signature { text-align: right; padding-right: 4em; text-indent: 0; }
.owners { color: #333; }
.report h1 { font-size: 1.2rem; margin: .5rem 0 0; color: var(--muted); font-weight: normal; }
.report h2 { font-size: 1.6rem; margin: .2rem 0 .5rem; }
.document { margin-top: 3rem; border-top: 3px double var(--line); }
.report h3 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.summary { font-size: 14px; }
.summary li { margin: .1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; line-height: 1.5; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; vertical-align: top; text-align: left; }
thead th { background: var(--head); }
table.matrix td.n, table.matrix th.n { text-align: center; white-space: nowrap; }
table.matrix td.total, table.matrix th.total { font-weight: bold; }
.l0 { background: #fff; color: #aaa; } .l1 { background: var(--l1); } .l2 { background: var(--l2); }
.l3 { background: var(--l3); } .l4 { background: var(--l4); } .l5 { background: var(--l5); color: #fff; }
.legend { font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; padding: 0 .5em; border: 1px solid var(--line); margin-right: .3em; }
td.sev, td.status, td.code, th.nowrap { white-space: nowrap; }
tr.gap td { background: var(--gap); }
tr.gap td.status, .gap-ink { color: var(--gap-ink); font-weight: bold; }
td.d1 { padding-left: 1.6rem; } td.d2 { padding-left: 2.8rem; } td.d3 { padding-left: 4rem; }
td.d4, td.d5 { padding-left: 5.2rem; }
tr.sev-error td.sev { color: var(--gap-ink); font-weight: bold; }
tr.sev-warning td.sev { color: #8a6100; font-weight: bold; }
tr.sev-info td.sev { color: var(--muted); }
tr.sev-error td { background: var(--gap); } tr.sev-warning td { background: var(--warn); }
.ok { color: #2e6b30; }
code { font-family: "Noto Sans Mono CJK SC", "Consolas", monospace; font-size: .95em; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 12pt; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  .document { break-before: page; border-top: none; margin-top: 0; }
  .report section { break-inside: auto; }
  h1, h2, h3, h4, h5 { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  table { font-size: 9pt; }
}
""".strip()

_SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _anchor(task) -> str:
    return "task-" + _e(task.path)


def _document_html(model: CompiledPlan, order: list[object] | None) -> list[str]:
    out = ['<article id="document" class="document">']
    for b in views.document_blocks(model, order):
        if b.kind == "title":
            out.append(f"<h1>{_e(b.text)}</h1>")
        elif b.kind == "docnumber":
            out.append(f'<p class="docnumber">{_e(b.text)}</p>')
        elif b.kind == "heading":
            tag = f"h{min(b.level + 1, 5)}"
            attr = f' id="{_anchor(b.task)}"' if b.task is not None else ""
            out.append(f"<{tag}{attr}>{_e(b.number)}{_e(b.text)}</{tag}>")
        elif b.kind == "para":
            owners = f'<span class="owners">{_e(b.owners)}</span>' if b.owners else ""
            out.append(f"<p>{_e(b.text)}{owners}</p>")
        elif b.kind == "signature":
            out.append(f'<p class="signature">{_e(b.text)}</p>')
    out.append("</article>")
    return out


def _load_class(load: int, top: int) -> str:
    if load <= 0 or top <= 0:
        return "l0"
    return f"l{max(1, min(5, math.ceil(5 * load / top)))}"


def _cell_counts(c: dict[str, int]) -> str:
    parts = [f"{views.ROLE_ZH[r][0]}{c[r]}" for r in views.ROLES if c[r]]
    return " ".join(parts) if parts else "·"


def _matrix_html(model: CompiledPlan) -> list[str]:
    cols, rows = views.responsibility_matrix(model)
    out = ['<section id="matrix">', "<h3>责任矩阵</h3>"]
    if not rows:
        out += ['<p class="gap-ink">没有任何任务写明牵头、负责或配合单位。</p>', "</section>"]
        return out
    out.append('<p class="legend">每格为该单位在该重点任务下承担的任务数：牵＝牵头，负＝负责，配＝配合（按末级任务的实际责任单位统计，'
               '承自上级任务的也计入）。底色越深，任务越多。</p>')
    loads = [sum(c.values()) for _, counts in rows for c in counts]
    top = max(loads, default=0)
    totals = [sum(sum(c.values()) for c in counts) for _, counts in rows]
    top_total = max(totals, default=0)
    out.append('<table class="matrix"><thead><tr><th>单位</th>')
    for col in cols:
        if col is None:
            out.append('<th class="n">（其他）</th>')
        else:
            out.append(f'<th class="n" title="{_e(col.number + col.title)}">{_e(col.number)}<br>{_e(col.title)}</th>')
    out.append('<th class="n total">合计</th></tr></thead><tbody>')
    for (unit, counts), total in zip(rows, totals):
        cells = []
        for c in counts:
            load = sum(c.values())
            title = "，".join(f"{views.ROLE_ZH[r]} {c[r]} 项" for r in views.ROLES)
            cells.append(f'<td class="n {_load_class(load, top)}" title="{_e(title)}">{_e(_cell_counts(c))}</td>')
        role_totals = {r: sum(c[r] for c in counts) for r in views.ROLES}
        out.append(f"<tr><th>{_e(unit)}</th>{''.join(cells)}"
                   f'<td class="n total {_load_class(total, top_total)}">{_e(_cell_counts(role_totals))}</td></tr>')
    col_totals = []
    for i in range(len(cols)):
        col_totals.append({r: sum(counts[i][r] for _, counts in rows) for r in views.ROLES})
    out.append('</tbody><tfoot><tr><th class="total">合计</th>'
               + "".join(f'<td class="n total">{_e(_cell_counts(c))}</td>' for c in col_totals)
               + f'<td class="n total">{sum(totals)}</td></tr></tfoot></table>')
    out.append('<p class="legend">负荷：' + "".join(f'<span class="swatch l{i}">{i}</span>' for i in range(1, 6)) + "</p>")
    out.append("</section>")
    return out


def _coverage_html(model: CompiledPlan) -> list[str]:
    infos = views.goal_coverage(model)
    out = ['<section id="coverage">', "<h3>目标覆盖</h3>"]
    if not infos:
        out.append("<p>方案没有写明目标。</p>")
    else:
        uncovered = sum(1 for i in infos if not i.covered)
        note = (f'<span class="gap-ink">{uncovered} 个目标没有任务支撑</span>' if uncovered
                else '<span class="ok">每个目标都有任务支撑</span>')
        out.append(f"<p class=\"legend\">{note}。支撑：任务写明“支撑”；上级目标：任务支撑其所属的目标组；"
                   "指标：任务的指标与目标同名。</p>")
        out.append('<table class="coverage"><thead><tr><th>目标</th><th>指标</th><th>支撑任务</th><th class="nowrap">状态</th>'
                   "</tr></thead><tbody>")
        for info in infos:
            g = info.goal
            values = "；".join(views.goal_parts(g))
            if g.baseline is not None:
                values += ("；" if values else "") + "基数 " + views.tight(g.baseline.text)
            tasks = "<br>".join(
                f'<a href="#{_anchor(s.task)}">{_e(s.number)}{_e(s.task.title)}</a>'
                + ("" if s.how == "支撑" else f"（{_e(s.how)}）") for s in info.supports)
            if not tasks and info.covered:
                tasks = "（由下级目标的任务支撑）"
            status = "已覆盖" if info.covered else "无任务支撑"
            cls = "" if info.covered else ' class="gap"'
            mark = "★" if g.key else ""
            out.append(f"<tr{cls}><td class=\"d{min(info.depth, 5)}\">{_e(mark + g.title)}</td><td>{_e(values)}</td>"
                       f'<td>{tasks}</td><td class="status">{status}</td></tr>')
        out.append("</tbody></table>")
    missing = views.ownerless(model)
    out.append('<h3 id="ownerless">没有责任单位的任务</h3>')
    if not missing:
        out.append('<p class="ok">每项末级任务都有牵头单位或责任单位（自己写明或承自上级任务）。</p>')
    else:
        out.append(f'<p class="legend"><span class="gap-ink">{len(missing)} 项任务没有牵头单位或责任单位</span>（PL201）。</p>')
        out.append('<table class="ownerless"><thead><tr><th>序号</th><th>任务</th><th>配合单位</th></tr></thead><tbody>')
        for r in missing:
            number = views.full_number(r.task, r.ancestors)
            out.append(f'<tr class="gap"><td>{_e(number)}</td><td><a href="#{_anchor(r.task)}">{_e(r.task.title)}</a>'
                       f"</td><td>{_e(r.owners('cooperate'))}</td></tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _leaders_html(model: CompiledPlan) -> list[str]:
    """领导分工: each leader (责任领导) with the tasks and goals they answer for; inherited ones say where from."""
    out = ['<section id="leaders">', "<h3>领导分工</h3>",
           '<p class="legend">每位责任领导负责的末级任务和目标：任务或目标自己写明的，以及承自上级任务、目标组或方案的'
           '（注明来源）。</p>',
           '<table class="leaders"><thead><tr><th>责任领导</th><th class="nowrap">类别</th><th>任务或目标</th>'
           "<th>所属重点任务或目标</th><th>牵头单位</th><th>来源</th></tr></thead><tbody>"]
    for name, items in views.leader_list(model):
        if not items:
            out.append(f'<tr class="gap"><th>{_e(name)}</th><td colspan="5">（没有任务或目标）</td></tr>')
            continue
        for j, i in enumerate(items):
            head = f'<th rowspan="{len(items)}">{_e(name)}</th>' if j == 0 else ""
            title = _e(i.number + i.title)
            source = f"承自“{_e(i.inherited_from)}”" if i.inherited_from else "自身写明"
            out.append(f'<tr>{head}<td class="nowrap">{_e(i.kind)}</td><td>{title}</td><td>{_e(i.section)}</td>'
                       f"<td>{_e(i.lead)}</td><td>{source}</td></tr>")
    out += ["</tbody></table>", "</section>"]
    return out


def _diagnostics_html(diagnostics: list[dict]) -> list[str]:
    out = ['<section id="diagnostics">', "<h3>诊断</h3>"]
    if not diagnostics:
        out.append('<p class="ok">检查没有发现问题。</p>')
    else:
        out.append('<table class="diagnostics"><thead><tr><th>位置</th><th class="nowrap">级别</th>'
                   '<th class="nowrap">代码</th><th>说明</th></tr></thead><tbody>')
        for d in diagnostics:
            start = d["range"]["start"]
            where = f"{d['file']}:{start['line']}:{start['column']}"
            sev = d["severity"]
            out.append(f'<tr class="sev-{_e(sev)}"><td><code>{_e(where)}</code></td>'
                       f'<td class="sev">{_e(_SEV_ZH.get(sev, sev))}</td><td class="code"><code>{_e(d["code"])}</code></td>'
                       f"<td>{_e(d['message'])}</td></tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _summary_html(model: CompiledPlan, diagnostics: list[dict]) -> list[str]:
    tasks = len(list(views.walk_tasks(model.tasks)))
    leaves = views.leaf_rows(model)
    owned = sum(1 for r in leaves if r.owned)
    infos = views.goal_coverage(model)
    covered = sum(1 for i in infos if i.covered)
    units = len(views.units_in_order(model, views.assignments(model)))
    n = {s: sum(1 for d in diagnostics if d["severity"] == s) for s in ("error", "warning", "info")}
    return ['<ul class="summary">',
            f"<li>任务 {tasks} 项，其中末级任务 {len(leaves)} 项，{owned} 项有牵头或责任单位。</li>",
            f"<li>目标 {len(infos)} 个，{covered} 个有任务支撑。</li>",
            f"<li>承担任务的单位 {units} 个；推进机制 {len(model.mechanisms)} 项。</li>",
            f"<li>诊断：{n['error']} 个错误，{n['warning']} 个警告，{n['info']} 个提示。</li>",
            "</ul>"]


def render_html(model: CompiledPlan, order: list[object] | None = None, diagnostics: list[dict] | None = None) -> str:
    """The document and its report as one HTML page. `diagnostics` are in the JSON shape of `check --format
    json` (file, code, severity, message, range)."""
    diagnostics = list(diagnostics or [])
    title = views.plan_title(model)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="planlang render">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        f'<nav class="toc"><a href="#diagnostics">诊断（{len(diagnostics)}）</a><a href="#matrix">责任矩阵</a>'
        + ('<a href="#leaders">领导分工</a>' if views.has_leaders(model) else "")
        + '<a href="#coverage">目标覆盖</a><a href="#document">方案正文</a></nav>',
    ]
    out += ['<section id="report" class="report">', f"<h1>{_e(title)}</h1>", "<h2>方案报告</h2>"]
    out += _summary_html(model, diagnostics)
    out += _diagnostics_html(diagnostics)
    out += _matrix_html(model)
    if views.has_leaders(model):
        out += _leaders_html(model)
    out += _coverage_html(model)
    out += ["</section>"]
    out += _document_html(model, order)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
