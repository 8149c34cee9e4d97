"""Hover: a unit's full name and tasks by role, a goal's implied values, a task's inherited owners, a
mechanism's members and cadence, the rule of a diagnostic under the cursor or of a code written in a
`# planlang: ignore[…]` comment."""

from __future__ import annotations

import re

from lsprotocol import types

from planlang import keywords as kw
from planlang.lsp.convert import position
from planlang.lsp.index import Hit, Index
from planlang.lsp.view import View, locate
from planlang.model.indicators import growth_of, implied_total
from planlang.model.nodes import Goal, Mechanism, PlanInfo, Quantity, Task, TextPart, Unit
from planlang.progress import latest

_ROLE_ZH = {"lead": "牵头", "responsible": "负责", "cooperate": "配合"}
UNIT_KIND_ZH = {v.name: v.zh for v in kw.UNIT_KINDS}
_MECH_KIND_ZH = {v.name: v.zh for v in kw.MECHANISM_KINDS}


def hover(ls, uri: str, pos: types.Position) -> types.Hover | None:
    """The hover at an editor position: a rule code written there, else a diagnostic there, else the node."""
    w = locate(ls, uri, pos)
    if w is None:
        return None
    st, view, off = w
    return _hover_code(ls, st, pos) or _hover_diagnostic(ls, st, view, pos, off) or _hover_node(view, off)


def _markdown(text: str, rng: types.Range | None = None) -> types.Hover:
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=rng)


def _hover_code(ls, st, pos: types.Position) -> types.Hover | None:
    """A rule code written under the cursor (`# planlang: ignore[PL105]`): that rule's documentation."""
    current = ls.current_source(st)
    if current is None or pos.line >= current.line_count:
        return None
    line_start = current.line_start(pos.line)
    col = current.offset_from_lsp(pos.line, pos.character, ls.enc) - line_start
    for m in re.finditer(r"PL\d{3}", current.line_text(pos.line)):
        if m.start() <= col <= m.end() and (text := rule_hover(m.group())):
            rng = types.Range(start=position(current, line_start + m.start(), ls.enc),
                              end=position(current, line_start + m.end(), ls.enc))
            return _markdown(text, rng)
    return None


def _hover_diagnostic(ls, st, view: View, pos: types.Position, off: int) -> types.Hover | None:
    """The rule of a diagnostic under the cursor (from the latest compilation: the diagnostics the editor shows),
    with what the cursor is on."""
    newest = ls.views(st, good=False)
    if not newest:
        return None
    at = newest[0].offset(pos)
    if at is None:
        return None
    d = newest[0].index.diagnostics_in(st.path).at(at)
    if d is None:
        return None
    hit = view.index.at(st.path, off)
    body = (hover_text(view.index, hit) + "\n\n---\n\n" if hit else "") + (rule_hover(d.code) or "")
    return _markdown(body, newest[0].range(d.span))


def _hover_node(view: View, off: int) -> types.Hover | None:
    hit = view.index.at(view.path, off)
    if hit is None:
        return None
    return _markdown(hover_text(view.index, hit), view.range(hit.span))


def owners_line(lead: list[str], responsible: list[str], cooperate: list[str]) -> str:
    parts = []
    for role, names in (("lead", lead), ("responsible", responsible), ("cooperate", cooperate)):
        if names:
            parts.append(f"{_ROLE_ZH[role]}：{'、'.join(names)}")
    return "；".join(parts) or "（无）"


_CONVENTION_ZH = {"first-leads": "首位牵头", "responsible-leads": "责任即牵头", "first-collects": "首位汇总"}


def _convention_lines(eff) -> list[str]:
    """The 汇总 unit, and which of the plan's conventions (约定) derived the lead or the 汇总."""
    out = []
    if eff.lead_convention:
        out.append(f"牵头按约定“{_CONVENTION_ZH[eff.lead_convention]}”认定：{'、'.join(eff.lead)}")
    if eff.collect:
        how = f"（按约定“{_CONVENTION_ZH[eff.collect_convention]}”）" if eff.collect_convention else ""
        out.append(f"汇总：{'、'.join(eff.collect)}{how}")
    return out


def fmt_quantity(q: Quantity) -> str:
    if q.normalized is None:
        return q.text
    base = q.base_unit or ""
    if base == "ratio":
        shown = f"{q.normalized * 100:g}%"
    elif base == "percentage_point":
        shown = f"{q.normalized * 100:g} 个百分点"
    else:
        shown = f"{q.normalized:,.0f} {base}" if q.normalized >= 1000 else f"{q.normalized:g} {base}"
    return f"{q.text} = {shown}"


def plan_period(index: Index):
    plan = index.result.model.plan
    return plan.period if plan else None


def implied_line(goal: Goal, period, sep: str) -> str | None:
    """基数 × (1 + 增长)^years ≈ the level it implies, in base units (the same figure PL302 checks against)."""
    growth = growth_of(goal, period)
    if growth is None:
        return None
    power = f"^{growth.years}" if growth.years > 1 else ""
    return f"基数{sep}×{sep}(1{sep}+{sep}增长){power} ≈ {implied_total(goal, period):,.0f} {growth.baseline.base_unit}"


def hover_text(index: Index, hit: Hit) -> str:
    node = hit.node
    if node is None:
        return f"**{hit.name}**：未定义 / undefined"
    if isinstance(node, Unit):
        lines = [f"**单位 {node.id}**" + (f" — {node.full_name}" if node.full_name else ""),
                 f"类型：{UNIT_KIND_ZH.get(node.kind, node.kind)}"]
        if node.aliases:
            lines.append(f"别名：{'、'.join(node.aliases)}")
        titles = index.task_titles()
        for role in ("lead", "responsible", "cooperate"):
            ids = getattr(node.tasks, role)
            if ids:
                lines.append(f"{_ROLE_ZH[role]} {len(ids)} 项：" + "、".join(titles.get(i, i) for i in ids))
        if node.tasks.collect:
            lines.append(f"汇总 {len(node.tasks.collect)} 项：" + "、".join(titles.get(i, i) for i in node.tasks.collect))
        if not any(getattr(node.tasks, r) for r in ("lead", "responsible", "cooperate", "collect")):
            lines.append("暂无任务")
        return "\n\n".join(lines)
    if isinstance(node, Goal):
        lines = [f"**目标 {node.id}** — {node.title}"]
        for q in node.growth:
            lines.append(f"增长：{fmt_quantity(q)}")
        for q in node.total:
            lines.append(f"总量：{fmt_quantity(q)}")
        if node.baseline and node.baseline.quantity:
            lines.append(f"基数：{node.baseline.year or ''}年 {fmt_quantity(node.baseline.quantity)}")
        implied = implied_line(node, plan_period(index), " ")
        if implied is not None:
            lines.append(implied)
        for t in node.targets:
            lines.append(f"指标：{t.metric} {fmt_quantity(t.quantity) if t.quantity else ''}")
        if node.effective_owners is not None:
            e = node.effective_owners
            lines.append(f"责任单位：{owners_line(e.lead, e.responsible, e.cooperate)}")
            lines.extend(_convention_lines(e))
        if node.effective_leaders:
            lines.append(f"责任领导：{'、'.join(node.effective_leaders)}"
                         + _leaders_from(index, node.leaders_inherited_from))
        lines.append(f"支撑任务：{len(node.supported_by)} 项")
        return "\n\n".join(lines)
    if isinstance(node, Task):
        eff = node.effective_owners
        lines = [f"**{node.number}{node.title}**",
                 f"责任单位：{owners_line(eff.lead, eff.responsible, eff.cooperate)}"]
        if eff.inherited_from:
            src = index.task(eff.inherited_from)
            lines.append(f"（继承自上级任务“{src.title if src else eff.inherited_from}”）")
        lines.extend(_convention_lines(eff))
        if eff.leaders:
            lines.append(f"责任领导：{'、'.join(eff.leaders)}" + _leaders_from(index, eff.leaders_inherited_from))
        if node.due:
            lines.append("时限：" + "、".join(f"{d.text}" + (f"（{d.date}）" if d.date else "") for d in node.due))
        for t in node.targets:
            lines.append(f"指标：{t.metric} {fmt_quantity(t.quantity) if t.quantity else ''}")
        # its latest state, from the plan's progress files
        lines.extend(latest.task_hover(index.result, node, index.memo("progress", dict)))
        return "\n\n".join(lines)
    if isinstance(node, Mechanism):
        lines = [f"**机制 {node.id}** — {node.title}", f"类型：{_MECH_KIND_ZH.get(node.kind or '', '未指定')}"]
        if node.convener:
            lines.append("召集人：" + "、".join(o.name for o in node.convener))
        if node.lead:
            lines.append("牵头：" + "、".join(o.name for o in node.lead))
        if node.members:
            lines.append(f"成员 {len(node.members)} 个：" + "、".join(node.members))
        if node.cadence:
            lines.append("频次：" + "、".join(c.text for c in node.cadence))
        for r in node.reporting:
            lines.append(f"报送：{r.text}" + (f"（{r.what}）" if r.what else "")
                         + (f" → {r.recipient}" if r.recipient and r.recipient not in r.text else ""))
        return "\n\n".join(lines)
    if isinstance(node, PlanInfo):
        lines = [f"**{node.title}**"]
        if node.leaders:
            lines.append(f"责任领导（负总责）：{'、'.join(node.leaders)}")
        if node.numbering is not None:
            lines.append(f"编号：{node.numbering.text}")
        return "\n\n".join(lines)
    if isinstance(node, TextPart):
        return f"**{node.title}**"
    return ""


def _leaders_from(index: Index, source: str | None) -> str:
    """（继承自…）for inherited leaders: the plan, an ancestor task or a goal group."""
    if source is None:
        return ""
    if source == "plan":
        return "（继承自方案）"
    src = index.task(source)
    if src is not None:
        return f"（继承自上级任务“{src.number}{src.title}”）"
    g = index.result.symbols.goals.get(source)
    return f"（继承自目标“{g.title if g is not None else source}”）"


def rule_hover(code: str) -> str | None:
    from planlang.checks.registry import RULE_BY_CODE

    rule = RULE_BY_CODE.get(code)
    if rule is None:
        return None
    return f"**{rule.code}** {rule.summary_zh} / {rule.summary_en}\n\n```text\n{rule.doc}\n```"
