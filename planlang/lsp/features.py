"""The editor features, as functions of a compilation and a position. The server only wires them up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from planlang import keywords as kw
from planlang.lsp.convert import position, resolved, to_range
from planlang.lsp.index import Hit, Index
from planlang.model.indicators import growth_of, implied_total
from planlang.model.nodes import Goal, Mechanism, PlanInfo, Quantity, Task, TextPart, Unit
from planlang.model.symbols import walk_tasks
from planlang.model.values import COMMON_UNITS
from planlang.pipeline import Result
from planlang.progress import latest
from planlang.source import SourceFile, Span
from planlang.syntax.nodes import Block, Document, Field

_ROLE_ZH = {"lead": "牵头", "responsible": "负责", "cooperate": "配合"}
_UNIT_KIND_ZH = {v.name: v.zh for v in kw.UNIT_KINDS}
_MECH_KIND_ZH = {v.name: v.zh for v in kw.MECHANISM_KINDS}
WORD_RE = re.compile(r"^[^\s“”「」\"：:，,、；;{}｛｝#]+$")


def source_of(result: Result, path: Path) -> SourceFile | None:
    for f in result.files:
        if resolved(f.path) == resolved(path):
            return f.source
    return None


def document_of(result: Result, path: Path) -> Document | None:
    for f in result.files:
        if resolved(f.path) == resolved(path):
            return f.document
    return None


def walk_statements(stmts):
    """Every statement, blocks' bodies included, depth first in source order. Iterative: a plan may nest
    deeper than Python's recursion limit."""
    stack = [iter(stmts)]
    while stack:
        st = next(stack[-1], None)
        if st is None:
            stack.pop()
            continue
        yield st
        if isinstance(st, Block) and st.body:
            stack.append(iter(st.body))


def block_end(b: Block) -> int:
    """`Block.end` without its recursion: an unclosed block ends where its last statement does."""
    while True:
        if b.body is not None and b.rbrace >= 0:
            return b.rbrace + 1
        if b.body:
            last = b.body[-1]
            if isinstance(last, Field):
                return last.end
            b = last
            continue
        return b.headers[-1].end if b.headers else b.keyword.end


def language_of(doc: Document | None) -> str:
    """The keyword language a document is mostly written in."""
    if doc is None:
        return "zh"
    en = zh = 0
    for st in walk_statements(doc.statements):
        word = st.keyword if isinstance(st, Block) else st.key
        if word.text.isascii():
            en += 1
        else:
            zh += 1
    return "en" if en > zh else "zh"


# -- hover ------------------------------------------------------------------------------------------------------

def _owners_line(lead: list[str], responsible: list[str], cooperate: list[str]) -> str:
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


def _fmt_quantity(q: Quantity) -> str:
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


def _period(index: Index):
    plan = index.result.model.plan
    return plan.period if plan else None


def _implied_line(goal: Goal, period, sep: str) -> str | None:
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
                 f"类型：{_UNIT_KIND_ZH.get(node.kind, node.kind)}"]
        if node.aliases:
            lines.append(f"别名：{'、'.join(node.aliases)}")
        titles = {t.id: f"{t.number}{t.title}" for t, _ in walk_tasks(index.result.model.tasks)}
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
            lines.append(f"增长：{_fmt_quantity(q)}")
        for q in node.total:
            lines.append(f"总量：{_fmt_quantity(q)}")
        if node.baseline and node.baseline.quantity:
            lines.append(f"基数：{node.baseline.year or ''}年 {_fmt_quantity(node.baseline.quantity)}")
        implied = _implied_line(node, _period(index), " ")
        if implied is not None:
            lines.append(implied)
        for t in node.targets:
            lines.append(f"指标：{t.metric} {_fmt_quantity(t.quantity) if t.quantity else ''}")
        if node.effective_owners is not None:
            e = node.effective_owners
            lines.append(f"责任单位：{_owners_line(e.lead, e.responsible, e.cooperate)}")
            lines.extend(_convention_lines(e))
        if node.effective_leaders:
            lines.append(f"责任领导：{'、'.join(node.effective_leaders)}"
                         + _leaders_from(index, node.leaders_inherited_from))
        lines.append(f"支撑任务：{len(node.supported_by)} 项")
        return "\n\n".join(lines)
    if isinstance(node, Task):
        eff = node.effective_owners
        lines = [f"**{node.number}{node.title}**",
                 f"责任单位：{_owners_line(eff.lead, eff.responsible, eff.cooperate)}"]
        if eff.inherited_from:
            src = next((t for t, _ in walk_tasks(index.result.model.tasks) if t.id == eff.inherited_from), None)
            lines.append(f"（继承自上级任务“{src.title if src else eff.inherited_from}”）")
        lines.extend(_convention_lines(eff))
        if eff.leaders:
            lines.append(f"责任领导：{'、'.join(eff.leaders)}" + _leaders_from(index, eff.leaders_inherited_from))
        if node.due:
            lines.append("时限：" + "、".join(f"{d.text}" + (f"（{d.date}）" if d.date else "") for d in node.due))
        for t in node.targets:
            lines.append(f"指标：{t.metric} {_fmt_quantity(t.quantity) if t.quantity else ''}")
        lines.extend(latest.task_hover(index.result, node))  # its latest state, from the plan's progress files
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
    m = index.result.model
    src = next((t for t, _ in walk_tasks(m.tasks) if t.id == source), None)
    if src is not None:
        return f"（继承自上级任务“{src.number}{src.title}”）"
    g = index.result.symbols.goals.get(source)
    return f"（继承自目标“{g.title if g is not None else source}”）"


def leaders_used(indexes: list[Index]) -> list[str]:
    """The leaders already named in the plans: the plan's, then the tasks', then the goals' (each once)."""
    out: dict[str, None] = {}
    for idx in indexes:
        m = idx.result.model
        if m.plan is not None:
            out.update(dict.fromkeys(m.plan.leaders))
        for t, _ in walk_tasks(m.tasks):
            out.update(dict.fromkeys(t.leaders))
        for g in idx.result.symbols.goals.values():
            out.update(dict.fromkeys(g.leaders))
    return list(out)


def rule_hover(code: str) -> str | None:
    from planlang.checks.registry import RULE_BY_CODE

    rule = RULE_BY_CODE.get(code)
    if rule is None:
        return None
    return f"**{rule.code}** {rule.summary_zh} / {rule.summary_en}\n\n```text\n{rule.doc}\n```"


# -- completion -------------------------------------------------------------------------------------------------

_CADENCES = ("旬调度", "月通报", "季讲评", "每周", "每月", "每季度", "每半年", "每年", "旬简报")
_REPORTING = ("每月25日前 报 ", "每季度末", "每季度最后一个月30日前", "年中", "年末", "6月底前")
_DEADLINES = ("年底前", "上半年", "6月底前", "一季度末", "长期坚持", "持续推进", "每季度", "每月")


def _field_context(line_prefix: str) -> tuple[str | None, str]:
    """(field spelling, text after its colon) when the cursor is in a field value."""
    m = re.match(r"^\s*(?:.*[{｛;；]\s*)?([^\s：:{}｛｝;；]+)\s*[：:]\s*([^：:]*)$", line_prefix)
    if not m:
        return None, line_prefix
    return m[1], m[2]


def completion_items(index: Index | None, names_from: list[Index], doc: Document | None, src: SourceFile,
                     off: int, block_kind: str | None, keyword_lang: str | None = None) -> list[types.CompletionItem]:
    """What to offer at `off`; keywords in `keyword_lang` (the client's setting) or else the document's own."""
    line0 = src.line_index(off)
    prefix = src.text[src.line_start(line0):off]
    key, value = _field_context(prefix)
    lang = keyword_lang or language_of(doc)
    items: list[types.CompletionItem] = []
    if key is not None:
        spec = kw.field_spec(key)
        if spec is None:
            return []
        vk = spec.kind
        if re.search(r"\d$", value) and vk in (kw.ValueKind.MEASURES, kw.ValueKind.TARGETS, kw.ValueKind.BASELINE):
            return [types.CompletionItem(label=u, kind=types.CompletionItemKind.Unit, detail="计量单位",
                                         sort_text=f"{i:03d}") for i, u in enumerate(COMMON_UNITS)]
        kinds = {kw.ValueKind.UNITS: ["unit"], kw.ValueKind.OWNERS: ["unit", "mechanism"],
                 kw.ValueKind.GOALS: ["goal"], kw.ValueKind.TASKS: ["task", "mechanism"]}.get(vk)
        if vk is kw.ValueKind.OWNERS and block_kind != "mechanism":
            kinds = ["unit"]  # goals and tasks are owned by units; only a mechanism answers to a mechanism
        if kinds:
            seen: set[str] = set()
            for kind in kinds:
                for idx in names_from:
                    for name, node in idx.names(kind).items():
                        if name in seen:
                            continue
                        seen.add(name)
                        detail = (getattr(node, "full_name", None) or getattr(node, "title", None)
                                  or f"{_UNIT_KIND_ZH.get(getattr(node, 'kind', ''), '')}单位")
                        ck = {"unit": types.CompletionItemKind.Module, "goal": types.CompletionItemKind.EnumMember,
                              "task": types.CompletionItemKind.Function,
                              "mechanism": types.CompletionItemKind.Event}[kind]
                        if name != getattr(node, "id", name):
                            detail = f"{node.id} 的别名"
                        items.append(types.CompletionItem(label=name, kind=ck, detail=detail or None))
            return items
        if vk is kw.ValueKind.ENUM or vk is kw.ValueKind.CONVENTIONS:
            values = (kw.OWNER_CONVENTIONS if vk is kw.ValueKind.CONVENTIONS
                      else kw.MECHANISM_KINDS if block_kind == "mechanism" else kw.UNIT_KINDS)
            return [types.CompletionItem(label=v.en if lang == "en" else v.zh, kind=types.CompletionItemKind.EnumMember,
                                         detail=v.en if lang != "en" else v.zh) for v in values]
        if vk is kw.ValueKind.REPORTING:
            return [types.CompletionItem(label=c, kind=types.CompletionItemKind.Value) for c in _REPORTING]
        if vk is kw.ValueKind.CADENCES:
            return [types.CompletionItem(label=c, kind=types.CompletionItemKind.Value) for c in _CADENCES]
        if vk is kw.ValueKind.DEADLINES:
            return [types.CompletionItem(label=c, kind=types.CompletionItemKind.Value) for c in _DEADLINES]
        if vk is kw.ValueKind.PEOPLE:
            return [types.CompletionItem(label=name, kind=types.CompletionItemKind.Value, detail="责任领导")
                    for name in leaders_used(names_from)]
        return []
    # a statement start: block keywords and the enclosing block's field names, in the document's language
    fields = kw.fields_of(block_kind) if block_kind else []
    for f in fields:
        label = f.word.en if lang == "en" else f.word.zh
        sep = ": " if lang == "en" else "："
        items.append(types.CompletionItem(label=label, kind=types.CompletionItemKind.Field, detail=f.word.doc,
                                          insert_text=label + sep))
    allowed = {"plan": ("unit", "goal", "task", "mechanism", "text", "include"), "goal": ("goal",),
               "task": ("task",)}.get(block_kind or "", ("plan", "include", "unit", "goal", "task", "mechanism", "text"))
    for w in kw.BLOCKS:
        if block_kind is None or w.name in allowed:
            items.append(types.CompletionItem(label=w.en if lang == "en" else w.zh,
                                              kind=types.CompletionItemKind.Keyword, detail=w.doc))
    return items


def block_kind_at(doc: Document | None, off: int) -> str | None:
    """The kind of the innermost block whose braces contain the offset."""
    if doc is None:
        return None
    kind = None
    stmts = doc.statements
    while True:
        inner = None
        for st in stmts:
            if isinstance(st, Block) and st.body is not None and st.lbrace < off and (st.rbrace < 0 or off <= st.rbrace):
                inner = st
        if inner is None:
            return kind
        w = kw.block_word(inner.keyword.text)
        kind = w.name if w else kind
        stmts = inner.body


# -- symbols, folding, tokens, hints ------------------------------------------------------------------------------

def document_symbols(index: Index, path: Path, enc: str, rng=None) -> list[types.DocumentSymbol]:
    """The outline: plan, units, goals, the task tree and mechanisms, in source order. `rng` turns a span into
    an LSP range (default: in the compilation's own text)."""
    m = index.result.model
    outline = _Outline(index, path, rng or (lambda span: to_range(span, enc)))
    sym = outline.symbol
    out: list[types.DocumentSymbol | None] = []
    if m.plan is not None:
        out.append(sym(m.plan, m.plan.title, m.plan.id, types.SymbolKind.File))
    out += [sym(u, u.id, u.full_name, types.SymbolKind.Module) for u in m.units]
    out += [outline.goal(g) for g in m.goals]
    out += [outline.task(t) for t in m.tasks]
    out += [sym(x, x.title, x.id, types.SymbolKind.Event) for x in m.mechanisms]
    out += [sym(x, x.title, x.id, types.SymbolKind.String) for x in m.texts]
    symbols = [s for s in out if s is not None]
    symbols.sort(key=lambda s: (s.range.start.line, s.range.start.character))
    return symbols


@dataclass(slots=True)
class _Outline:
    """Outline symbols of one compilation's nodes in one file. (Methods rather than nested functions: a nested
    function that calls itself is a reference cycle and keeps the compilation alive until the cyclic collector
    runs.)"""

    index: Index
    path: Path
    rng: object

    def symbol(self, node, name: str, detail: str | None, kind: types.SymbolKind,
               children=None) -> types.DocumentSymbol | None:
        head, block = self.index.definition(node), self.index.block(node)
        if head is None or block is None or not self.index.same_file(head, self.path):
            return None
        return types.DocumentSymbol(name=name or "（无标题）", detail=detail, kind=kind, range=self.rng(block),
                                    selection_range=self.rng(head), children=children or None)

    def task(self, t: Task) -> types.DocumentSymbol | None:
        kids = [s for s in (self.task(c) for c in t.children) if s]
        eff = t.effective_owners
        return self.symbol(t, f"{t.number}{t.title}", "、".join(eff.lead or eff.responsible) or None,
                           types.SymbolKind.Function, kids)

    def goal(self, g: Goal) -> types.DocumentSymbol | None:
        kids = [s for s in (self.goal(c) for c in g.children) if s]
        return self.symbol(g, g.title, g.id, types.SymbolKind.EnumMember if not g.children else types.SymbolKind.Enum,
                           kids)


def folding_ranges(doc: Document, src: SourceFile) -> list[types.FoldingRange]:
    out: list[types.FoldingRange] = []

    for st in walk_statements(doc.statements):
        if isinstance(st, Block) and st.body is not None:
            a, b = src.line_index(st.start), src.line_index(block_end(st))
            if b > a:
                out.append(types.FoldingRange(start_line=a, end_line=b))
    run: list[int] = []
    for c in doc.comments:
        line = src.line_index(c.start)
        if src.line_text(line).lstrip().startswith(("#", "//")):
            if run and line == run[-1] + 1:
                run.append(line)
                continue
            if len(run) > 1:
                out.append(types.FoldingRange(start_line=run[0], end_line=run[-1],
                                              kind=types.FoldingRangeKind.Comment))
            run = [line]
    if len(run) > 1:
        out.append(types.FoldingRange(start_line=run[0], end_line=run[-1], kind=types.FoldingRangeKind.Comment))
    return out


TOKEN_TYPES = ["keyword", "property", "string", "number", "comment", "namespace", "enumMember", "function",
               "event", "variable"]
TOKEN_MODIFIERS = ["declaration", "defaultLibrary"]
_KIND_TOKEN = {"unit": "namespace", "goal": "enumMember", "task": "function", "mechanism": "event"}
_NUMERIC = {kw.ValueKind.MEASURES, kw.ValueKind.BASELINE, kw.ValueKind.DEADLINES, kw.ValueKind.PERIOD,
            kw.ValueKind.DATE, kw.ValueKind.CADENCES}


def semantic_tokens(index: Index, doc: Document, src: SourceFile, path: Path, enc: str) -> list[int]:
    toks: list[tuple[int, int, int, int]] = []  # start, end, type, modifiers
    T = {t: i for i, t in enumerate(TOKEN_TYPES)}
    ref_kind = {}
    for r in index.result.symbols.refs:
        if index.same_file(r.ref.span, path):
            ref_kind[r.ref.span.start] = ("unit" if r.target is not None and isinstance(r.target, Unit)
                                          else "mechanism" if isinstance(r.target, Mechanism) else r.ref.kind)

    for st in walk_statements(doc.statements):
        if isinstance(st, Block):
            toks.append((st.keyword.start, st.keyword.end, T["keyword"], 0))
            w = kw.block_word(st.keyword.text)
            for h in st.headers:
                if h.quoted:
                    toks.append((h.start, h.end, T["string"], 0))
                elif w is not None and w.name in _KIND_TOKEN:
                    toks.append((h.start, h.end, T[_KIND_TOKEN[w.name]], 1))
                else:
                    toks.append((h.start, h.end, T["variable"], 0))
            continue
        toks.append((st.key.start, st.key.end, T["property"], 0))
        spec = kw.field_spec(st.key.text)
        for item in st.items:
            kind = ref_kind.get(item.start)
            if kind in _KIND_TOKEN:
                toks.append((item.start, item.end, T[_KIND_TOKEN[kind]], 0))
                continue
            for a in item.atoms:
                if a.quoted:
                    toks.append((a.start, a.end, T["string"], 0))
                elif spec is not None and (spec.kind in _NUMERIC or re.match(r"^[\d０-９]", a.text)):
                    toks.append((a.start, a.end, T["number"], 0))
    for c in doc.comments:
        toks.append((c.start, c.end, T["comment"], 0))
    toks.sort()
    data: list[int] = []
    prev_line = prev_char = 0
    for start, end, ttype, mods in toks:
        line, char = src.lsp_position(start, enc)
        eline, echar = src.lsp_position(end, enc)
        if eline != line or echar <= char:
            continue
        dl = line - prev_line
        dc = char - prev_char if dl == 0 else char
        data += [dl, dc, echar - char, ttype, mods]
        prev_line, prev_char = line, char
    return data


def inlay_hints(index: Index, path: Path, src: SourceFile, enc: str, lo: int, hi: int) -> list[types.InlayHint]:
    out: list[types.InlayHint] = []
    m = index.result.model
    progress = latest.latest_of(index.result)  # each task's latest state, from the plan's progress files
    for t, _ in walk_tasks(m.tasks):
        head = index.definition(t)
        if head is None or not index.same_file(head, path) or not (lo <= head.start <= hi):
            continue
        if progress is not None and (ts := progress.state(t)) is not None:
            out.append(types.InlayHint(position=position(src, head.end, enc), label=latest.hint_label(ts),
                                       kind=types.InlayHintKind.Type, padding_left=True))
        eff = t.effective_owners
        parts = []
        if not (t.lead or t.responsible) and eff.inherited_from and (eff.lead or eff.responsible):
            parts.append(_owners_line(eff.lead, eff.responsible, []))
        if eff.leaders_inherited_from and eff.leaders:
            parts.append(f"责任领导：{'、'.join(eff.leaders)}")
        if parts:
            out.append(types.InlayHint(position=position(src, head.end, enc), label=" 继承：" + "；".join(parts),
                                       kind=types.InlayHintKind.Parameter, padding_left=True))
    for node in [*index.nodes]:
        for q in [*getattr(node, "growth", []), *getattr(node, "total", []),
                  *[x.quantity for x in getattr(node, "targets", []) if x.quantity]]:
            s = index.result.symbols.spans.get(id(q))
            if s is None:
                continue
            if not index.same_file(s, path) or not (lo <= s.start <= hi) or q.normalized is None:
                continue
            if q.unit in ("", q.base_unit) and q.base_unit not in ("ratio",):
                continue
            out.append(types.InlayHint(position=position(src, s.end, enc), label=" = " + _fmt_quantity(q).split(" = ")[-1],
                                       kind=types.InlayHintKind.Type, padding_left=True))
        if isinstance(node, Goal):
            implied = _implied_line(node, _period(index), "")
            head = index.definition(node)
            if implied is not None and head is not None and index.same_file(head, path) and lo <= head.start <= hi:
                out.append(types.InlayHint(position=position(src, head.end, enc), label=" " + implied,
                                           kind=types.InlayHintKind.Type, padding_left=True))
    return out


# -- rename ---------------------------------------------------------------------------------------------------

def rename_spans(indexes: list[Index], hit: Hit, new: str) -> list[Span] | str:
    """Every span to rewrite when renaming the node under the cursor, across the compilations given (the
    declaration and every reference that wrote the id itself, not an alias); or a message why not."""
    node = hit.node
    if node is None:
        return "无法重命名未定义的名称 / cannot rename an undefined name"
    if not WORD_RE.match(new) or new[0].isdigit():
        return f"“{new}”不能作为标识 / '{new}' is not a valid identifier"
    kind = hit.kind
    old = node.id
    if new == old:
        return []
    for idx in indexes:
        if new in idx.names(kind):
            return f"“{new}”已存在 / '{new}' already exists"
    seen: dict[tuple[str, int, int], Span] = {}
    for idx in indexes:
        target = next((n for n in idx.nodes if type(n) is type(node) and getattr(n, "id", None) == old), None)
        if target is None:
            continue
        spans = [d.span for d in idx.result.symbols.defs if d.node is target and d.name == old]
        spans += [r.ref.span for r in idx.result.symbols.refs if r.target is target and r.ref.name == old]
        for sp in spans:
            seen.setdefault((str(resolved(sp.file.path)), sp.start, sp.end), sp)
    return list(seen.values())
