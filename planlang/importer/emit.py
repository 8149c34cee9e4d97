"""Writing the draft as `.plan` text: quoting that always parses, one field a line, comments where a person must
decide."""

from __future__ import annotations

import re

from planlang import keywords as kw
from planlang.importer.draft import DGoal, DHeading, DMech, DPlan, Draft, DTask, DText
from planlang.importer.units import KIND_ZH

_WORD_BAD = re.compile(r"[\s“”「」\"：:，,、；;{}｛｝#/]")


def quote(text: str) -> str:
    """A string literal for `text`: “…” when it has no curly double quotes, else 「…」, else "…"; failing all
    three, the quote characters are replaced by single curly quotes. Line breaks become spaces."""
    s = re.sub(r"[\r\n\u2028\u2029]+", " ", text).strip()
    if "“" not in s and "”" not in s:
        return f"“{s}”"
    if "「" not in s and "」" not in s:
        return f"「{s}」"
    if '"' not in s:
        return f'"{s}"'
    s = s.replace("“", "‘").replace("”", "’").replace("「", "‘").replace("」", "’").replace('"', "'")
    return f"“{s}”"


def word(text: str) -> str:
    """A name usable as an unquoted word (unit names, ids): separators and quotes removed — except inside a
    closed bracket when the language reads such a bracket as part of the word (各县（市、区）人民政府)."""
    if _brackets_hold_separators() and re.search(r"（[^（）]*[、，：]|\([^()]*[、，：]", text):
        out, depth = [], 0
        for c in text:
            if c in "（(":
                depth += 1
            elif c in "）)":
                depth = max(0, depth - 1)
            if depth and c in "、，,：:" or not _WORD_BAD.match(c):
                out.append(c)
        return "".join(out)
    return _WORD_BAD.sub("", text)


_BRACKET_WORDS: list[bool] = []


def _brackets_hold_separators() -> bool:
    """Whether the grammar reads 甲（乙、丙） as one word (asked of the real parser, once)."""
    if not _BRACKET_WORDS:
        from planlang.syntax.parser import parse

        _BRACKET_WORDS.append(not parse("单位 甲（乙、丙）丁\n").errors)
    return _BRACKET_WORDS[0]


def _names(names: list[str], open_ended: bool) -> str:
    items = [word(n) for n in names if word(n)]
    out = "、".join(items)
    return out + "等" if open_ended and out and not out.endswith("等") else out


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, depth: int, text: str) -> None:
        self.lines.append(("  " * depth + text) if text else "")

    def comments(self, depth: int, comments: list[str]) -> None:
        for c in comments:
            self.line(depth, c if c.startswith("#") else "# " + c)

    def paragraphs(self, depth: int, paragraphs: list[str]) -> None:
        for p in paragraphs:
            if p.strip():
                self.line(depth, f"说明：{quote(p)}")

    def open(self, depth: int, keyword: str, ident: str | None, title: str | None) -> None:
        head = keyword
        if ident:
            head += " " + word(ident)
        if title is not None and title != ident:
            head += " " + quote(title)
        self.line(depth, head + " {")


def render(draft: Draft, include: str | None, units_block: str) -> str:
    """The whole draft. `include` is the registry path to reference, else `units_block` is written inline."""
    w = Writer()
    w.comments(0, draft.head_comments)
    _plan(w, draft.plan)
    if include is not None:
        w.line(0, f"引用 {quote(include)}")
    elif units_block.strip():
        w.line(0, "")
        w.lines.extend(units_block.rstrip("\n").split("\n"))
    for item in draft.items:
        w.line(0, "")
        if isinstance(item, DHeading):
            w.line(0, f"# 章节：{item.text}")
        elif isinstance(item, DText):
            _text(w, item, 0)
        elif isinstance(item, DGoal):
            _goal(w, item, 0)
        elif isinstance(item, DTask):
            _task(w, item, 0)
        elif isinstance(item, DMech):
            _mech(w, item, 0)
    return "\n".join(w.lines).rstrip("\n") + "\n"


def _plan(w: Writer, plan: DPlan) -> None:
    w.comments(0, plan.comments)
    w.open(0, "方案", plan.id, plan.title)
    if plan.period:
        w.line(1, f"周期：{plan.period}")
    if plan.doc_number:
        w.line(1, f"文号：{quote(plan.doc_number)}")
    if plan.issued:
        w.line(1, f"发布日期：{plan.issued}")
    if plan.conventions:
        w.line(1, "约定：" + "、".join(plan.conventions))
    for phrase in plan.unconfirmed:
        w.line(1, f"待确认：{quote(phrase)}")
    w.line(0, "}")


def _text(w: Writer, t: DText, depth: int) -> None:
    w.comments(depth, t.comments)
    w.open(depth, "文本", t.id, t.title)
    w.paragraphs(depth + 1, t.paragraphs)
    for phrase in t.unconfirmed:
        w.line(depth + 1, f"待确认：{quote(phrase)}")
    w.line(depth, "}")


def _goal(w: Writer, g: DGoal, depth: int) -> None:
    w.comments(depth, g.comments)
    w.open(depth, "目标", g.id, g.title)
    w.paragraphs(depth + 1, g.paragraphs)
    if g.aliases:
        w.line(depth + 1, "别名：" + "、".join(word(a) for a in g.aliases))
    if g.growth:
        w.line(depth + 1, "增长：" + "、".join(g.growth))
    if g.total:
        w.line(depth + 1, "总量：" + "、".join(g.total))
    for t in g.targets:
        w.line(depth + 1, f"指标：{t}")
    if g.key:
        w.line(depth + 1, "重点：是")
    _owners(w, g, depth + 1)
    for c in g.children:
        _goal(w, c, depth + 1)
    w.line(depth, "}")


def _owners(w: Writer, x: DGoal | DTask, depth: int) -> None:
    """The owner fields of a goal or task: 牵头, 负责, 配合 (with 等 kept) and 责任领导."""
    for field, role, names in (("牵头", "lead", x.lead), ("负责", "responsible", x.responsible),
                               ("配合", "cooperate", x.cooperate)):
        if names:
            w.line(depth, f"{field}：{_names(names, x.open.get(role, False))}")
    if x.collector and kw.FIELD_BY_NAME.get("collector") is not None:
        w.line(depth, f"汇总：{_names(x.collector, False)}")
    elif x.collector:
        w.line(depth, f"# 汇总单位：{'、'.join(x.collector)}")
    if x.leaders:
        w.line(depth, "责任领导：" + "、".join(quote(n) for n in x.leaders))
    for phrase in x.unconfirmed:
        w.line(depth, f"待确认：{quote(phrase)}")


def _task(w: Writer, t: DTask, depth: int) -> None:
    w.comments(depth, t.comments)
    w.open(depth, "任务", None, t.title)
    w.paragraphs(depth + 1, t.paragraphs)
    for tg in t.targets:
        w.line(depth + 1, f"指标：{tg}")
    if t.supports:
        w.line(depth + 1, "支撑：" + "、".join(t.supports))
    _owners(w, t, depth + 1)
    if t.due:
        w.line(depth + 1, "时限：" + "、".join(t.due))
    for c in t.children:
        w.line(0, "")
        _task(w, c, depth + 1)
    w.line(depth, "}")


def _mech(w: Writer, m: DMech, depth: int) -> None:
    w.comments(depth, m.comments)
    w.open(depth, "机制", m.id, m.title)
    if m.kind:
        w.line(depth + 1, f"类型：{m.kind}")
    w.paragraphs(depth + 1, m.paragraphs)
    if m.convener:
        w.line(depth + 1, "召集人：" + "、".join(quote(x) for x in m.convener))
    if m.deputy:
        w.line(depth + 1, "副召集人：" + "、".join(quote(x) for x in m.deputy))
    if m.members:
        w.line(depth + 1, "成员：" + _names(m.members, m.members_open))
    if m.office:
        w.line(depth + 1, "办公室：" + _names(m.office, False))
    if m.cadence:
        w.line(depth + 1, "频次：" + "、".join(m.cadence))
    if m.lead:
        w.line(depth + 1, "牵头：" + "、".join(word(x) for x in m.lead))
    w.line(depth, "}")


def units_block(units: dict[str, str], flagged: dict[str, str], header: str | None = None) -> str:
    """Unit declarations grouped by kind; `flagged` maps a name to a 待确认 comment written above it."""
    lines: list[str] = []
    if header:
        lines.append(header)
    order = ["department", "collective", "enterprise", "position", "external"]
    for kind in order:
        names = [n for n, k in units.items() if k == kind and word(n)]
        if not names:
            continue
        lines.append(f"# {KIND_ZH[kind]}")
        for n in names:
            if n in flagged:
                lines.append(flagged[n])
            if kind == "department":
                lines.append(f"单位 {word(n)}")
            else:
                lines.append(f"单位 {word(n)} {{ 类型：{KIND_ZH[kind]} }}")
    return "\n".join(lines) + ("\n" if lines else "")
