"""Build the model from syntax: shape only, never judgement.

The builder turns blocks and fields into pydantic nodes and records every definition and reference with its
span. It reports only what it cannot give a shape to: unknown keywords and fields (PL002), values it cannot read
(PL003) and statements of the wrong form (PL001). Whether a reference resolves is for the checks.
"""

from __future__ import annotations

from planlang import keywords as kw
from planlang.diagnostics import Diagnostic, Message, Severity
from planlang.diagnostics import error as _err
from planlang.model import numbering, values
from planlang.model.nodes import Goal, Mechanism, Owner, PlanInfo, Task, TextPart, Unit
from planlang.model.symbols import GOAL, OWNER, TASK, UNIT, Def, DueItem, Fragment, Include, Ref
from planlang.source import SourceFile, Span
from planlang.suggest import suggest
from planlang.syntax.errors import one_syntax_error_per_line, quoted, syntax_diagnostic
from planlang.syntax.nodes import MAX_DEPTH, Atom, Block, Document, Field, Item, spelled


def _missing_colon(span: Span, name: str) -> Diagnostic:
    return _err("PL001", span, f"字段“{name}”后缺少冒号“：”", f"missing ':' after field name '{name}'")


def _shown(atom: Atom) -> tuple[str, str]:
    """An atom as quoted in a message (zh, en): a string with the quotes it was written with, a word in the
    message's quotes."""
    if atom.quoted:
        return atom.text, atom.text
    return f"“{atom.text}”", f"'{atom.text}'"


# `X等单位`, `X等相关单位`, `X等有关部门`: X and others, as `X等`.
_ETC_TAIL = ("等相关单位", "等有关单位", "等相关部门", "等有关部门", "等单位", "等部门")


def _open_end(name: str) -> tuple[str, int, str | None]:
    """An owner item read for `等`: (the name, how many characters of 等 were cut from its end, the problem if
    `等` is where a list cannot have it: "doubled" for 等等, "alone" for an item that is only 等). `等` inside a
    name (区中等职业学校) is left to resolution: an undefined name that holds it is told where `等` may go."""
    if name in ("等", "等等"):
        return "", 0, "alone"
    if name.endswith("等等"):
        return name[:-2], 2, "doubled"
    for tail in _ETC_TAIL:
        if name.endswith(tail) and len(name) > len(tail):
            return name[:-len(tail)], len(tail), None
    if name.endswith("等") and len(name) > 1:
        return name[:-1], 1, None
    return name, 0, None


# The list separators of the grammar (_LISTSEP).
_LIST_SEPARATORS = frozenset("，,、")


class Builder:
    """Builds one file's fragment."""

    def __init__(self, source: SourceFile, relpath: str) -> None:
        self.src = source
        self.rel = relpath
        self.frag = Fragment(source)
        self._auto = 0
        self._depth = 0
        self._etc: list[str] = []  # the names the last owner list closed with 等

    # -- helpers ---------------------------------------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        return Span(self.src, start, end)

    def aspan(self, a: Atom | Item | Field | Block) -> Span:
        return Span(self.src, a.start, a.end)

    def item_text(self, it: Item) -> str:
        return it.value(self.src.text)

    def value_text(self, f: Field) -> str:
        """The whole value as one text: a lone string unquoted, otherwise the source as written."""
        if not f.items:
            return ""
        if len(f.items) == 1:
            return self.item_text(f.items[0])
        return spelled([a for it in f.items for a in it.atoms], self.src.text)

    # -- entry -----------------------------------------------------------------------------------------------

    def build(self, doc: Document) -> Fragment:
        for st in doc.statements:
            if isinstance(st, Field):
                self._stray_field(st, None)
                continue
            self.top_block(st)
        return self.frag

    def _keyword(self, b: Block, allowed: tuple[str, ...]) -> kw.Word | None:
        word = kw.block_word(b.keyword.text)
        if word is not None and word.name in allowed:
            return word
        span = self.aspan(b.keyword)
        spec = kw.field_spec(b.keyword.text)
        if spec is not None and b.body is None:
            self.frag.diagnostics.append(_missing_colon(span, b.keyword.text))
            return None
        if word is not None:
            self.frag.diagnostics.append(_err(
                "PL002", span, f"“{b.keyword.text}”块不能出现在这里", f"a '{b.keyword.text}' block is not allowed here"))
            return None
        cands = {s: s for w in kw.BLOCKS if w.name in allowed for s in (w.zh, w.en)}
        sugg = suggest(b.keyword.text, cands)
        hint_zh = f"，是否想写“{sugg[0]}”？" if sugg else ""
        hint_en = f"; did you mean '{sugg[0]}'?" if sugg else ""
        self.frag.diagnostics.append(_err(
            "PL002", span, f"未知关键字“{b.keyword.text}”{hint_zh}", f"unknown keyword '{b.keyword.text}'{hint_en}", sugg))
        return None

    def _stray_field(self, f: Field, block: str | None) -> None:
        self.frag.diagnostics.append(_err(
            "PL002", self.aspan(f.key), f"字段“{f.key.text}”必须写在块内", f"field '{f.key.text}' must be inside a block"))

    def top_block(self, b: Block) -> None:
        word = self._keyword(b, ("plan", "include", "unit", "goal", "task", "mechanism", "text", "progress"))
        if word is None:
            return
        handler = getattr(self, f"b_{word.name}")
        handler(b, None)

    def _header(self, b: Block, need_title: bool = True) -> tuple[str | None, str | None, Span]:
        """id and title from the header; extra headers are a syntax error."""
        ident = title = None
        span = self.aspan(b.keyword)
        rest = list(b.headers)
        if rest and not rest[0].quoted:
            a = rest.pop(0)
            ident, span = a.value, self.aspan(a)
        if rest and rest[0].quoted:
            a = rest.pop(0)
            title = a.value
            if ident is None:
                span = self.aspan(a)
        for extra in rest:
            zh, en = _shown(extra)
            self.frag.diagnostics.append(_err(
                "PL001", self.aspan(extra), f"多余的{zh}：块头只能有一个标识和一个标题",
                f"unexpected {en}: a block header has one id and one title"))
        return ident, title, span

    def _as_field(self, b: Block) -> Field:
        """A directive whose keyword is a field name (`牵头 区发改局`) read as the field it was meant to be, as
        if the `：` were there: its headers become the value, split into items where the text between two of
        them holds a list separator (the parser drops the separator as unexpected)."""
        items: list[Item] = []
        atoms: list[Atom] = []
        for a in b.headers:
            if atoms and any(ch in _LIST_SEPARATORS for ch in self.src.text[atoms[-1].end:a.start]):
                items.append(Item(atoms))
                atoms = []
            atoms.append(a)
        if atoms:
            items.append(Item(atoms))
        return Field(b.keyword, b.keyword.end, items)

    def _fields(self, b: Block, block: str):
        """Yield (spec, field) for the body's fields; nested blocks go to `nested`."""
        nested: list[Block] = []
        out: list[tuple[kw.FieldSpec, Field]] = []
        for st in b.body or ():
            if isinstance(st, Block):
                if st.body is not None or kw.block_word(st.keyword.text) is not None \
                        or kw.field_spec(st.keyword.text) is None:
                    nested.append(st)
                    continue
                # a field whose `：` is missing: reported, then read as written so that nothing else (its
                # owners, its deadline) goes missing because of the slip
                self.frag.diagnostics.append(_missing_colon(self.aspan(st.keyword), st.keyword.text))
                st = self._as_field(st)
            spec = kw.field_spec(st.key.text)
            if spec is None:
                cands = {s: s for f in kw.fields_of(block) for s in f.word.spellings()}
                sugg = suggest(st.key.text, cands)
                hint_zh = f"，是否想写“{sugg[0]}”？" if sugg else ""
                hint_en = f"; did you mean '{sugg[0]}'?" if sugg else ""
                self.frag.diagnostics.append(_err(
                    "PL002", self.aspan(st.key), f"未知字段“{st.key.text}”{hint_zh}",
                    f"unknown field '{st.key.text}'{hint_en}", sugg))
                continue
            if block not in spec.blocks:
                zh_block = kw.BLOCK_BY_NAME[block].zh
                self.frag.diagnostics.append(_err(
                    "PL002", self.aspan(st.key), f"“{zh_block}”块没有字段“{st.key.text}”",
                    f"a {block} block has no field '{st.key.text}'"))
                continue
            if spec.word.name == "unconfirmed":
                self._unconfirmed(st)
                continue
            out.append((spec, st))
        return out, nested

    def _unconfirmed(self, f: Field) -> None:
        """`待确认：…` — a phrase the importer could not place: reported while reading (PL205), never a value."""
        text = self.value_text(f)
        self.frag.diagnostics.append(_err(
            "PL205", self.aspan(f), f"待确认的责任表述“{text}”：请改写为 牵头 / 负责 / 配合 / 责任领导 / 时限 后删除此行",
            f"owner phrase to confirm '{text}': write it as lead / responsible / cooperate / leader / due, then "
            f"delete this line"))

    def _names(self, f: Field, kind: str, node: object, fname: str, positions: bool = False):
        """Read a list of names, recording references; returns (names, positions, open_ended)."""
        names: list[tuple[str, str]] = []  # (name, "ref"|"position")
        open_ended = False
        self._etc = []
        for it in f.items:
            name = self.item_text(it).strip()
            span = self.aspan(it)
            if positions and it.quoted:
                names.append((name, "position"))
                continue
            if "等" in name and not it.quoted:
                name, cut, problem = _open_end(name)
                if problem:
                    self._misplaced_etc(span, name if problem == "alone" else self.item_text(it).strip(), problem)
                    if not name:
                        continue
                if cut:
                    open_ended = True
                    span = Span(self.src, span.start, span.end - cut)
                    if name:
                        self._etc.append(name)
            if not name:
                continue
            names.append((name, "ref"))
            self.frag.refs.append(Ref(kind, name, span, node, fname))
        return names, open_ended

    def _misplaced_etc(self, span: Span, text: str, problem: str) -> None:
        """`等` where a list cannot have it: doubled (等等) or standing alone as an item."""
        where_zh = "“等”只能写在列表中某一项的末尾，且只写一个，如“区发改局、区财政局等，各街道办事处”"
        where_en = ("'等' may only close an item of the list, written once, e.g. "
                    "区发改局、区财政局等，各街道办事处")
        if problem == "doubled":
            zh, en = f"{quoted(text)}中的“等等”：{where_zh}", f"'等等' in '{text}': {where_en}"
        else:
            zh, en = f"单独的“等”不是单位：{where_zh}", f"a lone '等' is not a unit: {where_en}"
        self.frag.diagnostics.append(_err("PL003", span, zh, en))

    def _bad_value(self, span: Span, what_zh: str, what_en: str, text: str) -> None:
        self.frag.diagnostics.append(_err(
            "PL003", span, f"无法识别的{what_zh}{quoted(text)}", f"malformed {what_en} '{text}'"))

    def _description(self, spec: kw.FieldSpec, f: Field, paragraphs: list[str]) -> bool:
        if spec.word.name == "description":
            text = self.value_text(f)
            if text:
                paragraphs.append(text)
            return True
        return False

    def _define(self, kind: str, name: str, span: Span, node: object) -> None:
        self.frag.defs.append(Def(kind, name, span, node))
        self.frag.spans[id(node)] = span

    # -- blocks ----------------------------------------------------------------------------------------------

    def b_plan(self, b: Block, parent) -> None:
        ident, title, span = self._header(b)
        plan = PlanInfo(id=ident or (title or "plan"), title=title or ident or "")
        fields, nested = self._fields(b, "plan")
        for spec, f in fields:
            name = spec.word.name
            if self._description(spec, f, plan.description):
                continue
            if name == "title":
                plan.title = self.value_text(f)
            elif name == "issuer":
                names, _ = self._names(f, UNIT, plan, name)
                plan.issuer = [n for n, _ in names]
            elif name == "period":
                text = self.value_text(f)
                p = values.read_period(text)
                if p is None:
                    self._bad_value(self.aspan(f), "周期", "period", text)
                plan.period = p
            elif name == "doc_number":
                plan.doc_number = self.value_text(f)
            elif name == "conventions":
                for it in f.items:
                    text = self.item_text(it).strip()
                    v = kw.enum_lookup(kw.OWNER_CONVENTIONS, text)
                    if v is None:
                        listing = "、".join(c.zh for c in kw.OWNER_CONVENTIONS)
                        listing_en = ", ".join(c.en for c in kw.OWNER_CONVENTIONS)
                        self.frag.diagnostics.append(_err(
                            "PL003", self.aspan(it), f"无法识别的约定{quoted(text)}，可选：{listing}",
                            f"unknown convention '{text}'; one of: {listing_en}"))
                    elif v.en not in plan.conventions:
                        plan.conventions.append(v.en)
            elif name == "issued":
                text = self.value_text(f)
                d = values.read_date(text)
                if d is None:
                    self._bad_value(self.aspan(f), "日期", "date", text)
                plan.issued = d
            elif name == "leader":
                plan.leaders.extend(t for t in (self.item_text(it).strip() for it in f.items) if t)
            elif name == "numbering":
                text = self.value_text(f)
                scheme, problem = numbering.read_numbering(text)
                if scheme is None:
                    self.frag.diagnostics.append(_err("PL003", self.aspan(f), problem.zh, problem.en))
                plan.numbering = scheme
        self._nested(nested, ("unit", "goal", "task", "mechanism", "text", "include"), None)
        if self.frag.plan is not None:
            self.frag.diagnostics.append(Diagnostic(
                "PL104", Severity.ERROR, span, Message("一个文件只能有一个“方案”块", "a file has only one plan block")))
        else:  # (a second plan block is dropped: its spans are not kept under an id that may be reused)
            self.frag.plan, self.frag.plan_span = plan, span
            self.frag.spans[id(plan)] = span
            self.frag.ranges[id(plan)] = self.aspan(b)

    def _nested(self, blocks: list[Block], allowed: tuple[str, ...], parent) -> list:
        out = []
        if blocks and self._depth >= MAX_DEPTH:
            self.frag.diagnostics.append(_err(
                "PL001", self.aspan(blocks[0].keyword), f"嵌套超过 {MAX_DEPTH} 层，更深的内容未读取",
                f"blocks nest more than {MAX_DEPTH} levels deep; the deeper content was not read"))
            return out
        self._depth += 1
        try:
            return self._nested_blocks(blocks, allowed, parent, out)
        finally:
            self._depth -= 1

    def _nested_blocks(self, blocks: list[Block], allowed: tuple[str, ...], parent, out: list) -> list:
        for nb in blocks:
            word = self._keyword(nb, allowed)
            if word is not None:
                node = getattr(self, f"b_{word.name}")(nb, parent)
                if node is not None:
                    out.append(node)
        return out

    def b_include(self, b: Block, parent) -> None:
        if not b.headers or b.body is not None:
            self.frag.diagnostics.append(_err(
                "PL001", self.aspan(b.keyword), "引用的写法是：引用 “文件.plan”", "write an include as: include \"file.plan\""))
            return None
        target = b.headers[0]
        for extra in b.headers[1:]:
            zh, en = _shown(extra)
            self.frag.diagnostics.append(_err(
                "PL001", self.aspan(extra), f"多余的{zh}：一个“引用”只能引用一个文件，每个文件写一行“引用”",
                f"unexpected {en}: an include names one file; write one include per file"))
        self.frag.items.append(Include(target.value, self.aspan(target), len(self.frag.defs)))
        return None

    def b_unit(self, b: Block, parent) -> Unit | None:
        ident, title, span = self._header(b)
        if ident is None and title is None:
            self.frag.diagnostics.append(_err("PL001", self.aspan(b.keyword), "单位需要名称", "a unit needs a name"))
            return None
        unit = Unit(id=ident or title, full_name=title if ident else None, file=self.rel)
        self.frag.ranges[id(unit)] = self.aspan(b)
        fields, nested = self._fields(b, "unit")
        for spec, f in fields:
            name = spec.word.name
            if self._description(spec, f, unit.description):
                continue
            if name == "title" or name == "full_name":
                unit.full_name = self.value_text(f)
            elif name == "kind":
                text = self.value_text(f)
                v = kw.enum_lookup(kw.UNIT_KINDS, text)
                if v is None:
                    self._bad_enum(f, text, kw.UNIT_KINDS)
                else:
                    unit.kind = v.name
            elif name == "aliases":
                for it in f.items:
                    alias = self.item_text(it).strip()
                    if alias:
                        unit.aliases.append(alias)
                        self.frag.defs.append(Def("alias", alias, self.aspan(it), unit))
        self._nested(nested, (), None)
        self._define("unit", unit.id, span, unit)
        self.frag.items.append(unit)
        return unit

    def b_progress(self, b: Block, parent) -> None:
        """A progress file's `进展` block (planlang.progress.build reads it)."""
        from planlang.progress.build import read_progress
        read_progress(self, b)

    def _bad_enum_named(self, f: Field, text: str, options: tuple[kw.EnumValue, ...], zh: str, en: str) -> None:
        listing = "、".join(v.zh for v in options)
        listing_en = ", ".join(v.en for v in options)
        self.frag.diagnostics.append(_err(
            "PL003", self.aspan(f), f"无法识别的{zh}{quoted(text)}，可选：{listing}",
            f"unknown {en} '{text}'; one of: {listing_en}"))

    def _bad_enum(self, f: Field, text: str, options: tuple[kw.EnumValue, ...]) -> None:
        listing = "、".join(v.zh for v in options)
        listing_en = ", ".join(v.en for v in options)
        self.frag.diagnostics.append(_err(
            "PL003", self.aspan(f), f"无法识别的类型{quoted(text)}，可选：{listing}",
            f"unknown kind '{text}'; one of: {listing_en}"))

    def _roles(self, spec: kw.FieldSpec, f: Field, node) -> bool:
        """lead / responsible / cooperate / leader fields shared by goals and tasks."""
        name = spec.word.name
        if name in ("lead", "responsible", "cooperate", "collector"):
            names, open_ended = self._names(f, UNIT, node, name)
            getattr(node, name).extend(n for n, _ in names)
            if open_ended:
                node.open_ended = True
                node.etc_after.extend(n for n in self._etc if n not in node.etc_after)
            return True
        if name == "leader":
            node.leaders.extend(t for t in (self.item_text(it).strip() for it in f.items) if t)
            return True
        if name == "target":
            texts = [self.item_text(it) for it in f.items]
            paired = values.read_respective_targets(texts)
            if paired is not None:  # 规上工业增加值、固定资产投资分别增长8%、8.5%
                targets, where = paired
                if targets is None:
                    self.frag.diagnostics.append(_err(
                        "PL003", self.aspan(f), f"“分别”前有 {where[0]} 个指标，后有 {where[1]} 个数值，应一一对应："
                        f"如“规上工业增加值、固定资产投资分别增长8%、8.5%”",
                        f"'分别' follows {where[0]} indicators but gives {where[1]} values; they pair in order, e.g. "
                        f"规上工业增加值、固定资产投资分别增长8%、8.5%"))
                    return True
                for t, i in zip(targets, where):
                    node.targets.append(t)
                    self.frag.spans[id(t)] = self.aspan(f.items[i])
                return True
            for it, text in zip(f.items, texts):
                t = values.read_target(text)
                if t is None:
                    self.frag.diagnostics.append(_err(
                        "PL003", self.aspan(it), f"无法识别的指标{quoted(text)}：指标名后接数值，{values.MEASURE_FORMS_ZH}",
                        f"malformed target '{text}': an indicator name then its value; {values.MEASURE_FORMS_EN}"))
                else:
                    node.targets.append(t)
                    self.frag.spans[id(t)] = self.aspan(it)
            return True
        return False

    def _respectively(self, f: Field) -> list[tuple[Item, str]] | None:
        """`增长：分别 8%、8.5%` (or `分别增长8%、8.5%`): one value per sub-goal, in order. The items with 分别
        and the verb written once taken off; None when the field does not start with 分别."""
        if not f.items:
            return None
        first = self.item_text(f.items[0]).strip()
        if not first.startswith("分别"):
            return None
        head = first[2:].lstrip()
        verb = next((v for v in values.SPREAD_VERBS if head.startswith(v)), "")
        out = [(f.items[0], head)]
        out += [(it, verb + self.item_text(it).strip()) for it in f.items[1:]]
        return out

    def _spread(self, goal: Goal, spread: list[tuple[str, object, Span]]) -> None:
        """Give each sub-goal its value of a 分别 field; a count that does not match is PL003."""
        if not spread:
            return
        if len(spread) != len(goal.children):
            first, last = spread[0][2], spread[-1][2]
            self.frag.diagnostics.append(_err(
                "PL003", Span(self.src, first.start, last.end),
                f"“分别”给出 {len(spread)} 个数值，但这组目标下有 {len(goal.children)} 个子目标：“分别”写在目标组里，"
                f"按顺序逐一对应其子目标",
                f"'分别' gives {len(spread)} values but the goal group has {len(goal.children)} sub-goals: a 分别 "
                f"field in a goal group gives its sub-goals their values in order"))
            return
        for child, (name, q, span) in zip(goal.children, spread):
            getattr(child, name).append(q)
            self.frag.spans[id(q)] = span

    def _bad_measure(self, span: Span, text: str) -> None:
        self.frag.diagnostics.append(_err(
            "PL003", span, f"无法识别的数值{quoted(text)}：{values.MEASURE_FORMS_ZH}",
            f"malformed quantity '{text}': {values.MEASURE_FORMS_EN}"))

    def _ident(self, prefix: str) -> str:
        self._auto += 1
        return f"{prefix}{self._auto}"

    def b_goal(self, b: Block, parent) -> Goal:
        ident, title, span = self._header(b)
        goal = Goal(id=ident or self._ident("goal-"), title=title or ident or "")
        self.frag.ranges[id(goal)] = self.aspan(b)
        fields, nested = self._fields(b, "goal")
        spread_values: list[tuple[str, object, Span]] = []  # 分别 8%、8.5%: for the sub-goals, in order
        for spec, f in fields:
            name = spec.word.name
            if self._description(spec, f, goal.description) or self._roles(spec, f, goal):
                continue
            if name == "title":
                goal.title = self.value_text(f)
            elif name in ("growth", "total"):
                spread = self._respectively(f)
                for it, text in spread or ((it, self.item_text(it)) for it in f.items):
                    q = values.read_quantity(text)
                    rel = values.read_relation(text) if q is None and not spread else None
                    if rel is not None:  # 增长：与经济增长基本同步 — the goal's own indicator, relative
                        goal.targets.append(rel)
                        self.frag.spans[id(rel)] = self.aspan(it)
                    elif q is None:
                        self._bad_measure(self.aspan(it), text)
                    elif spread:
                        spread_values.append((name, q, self.aspan(it)))
                    else:
                        getattr(goal, name).append(q)
                        self.frag.spans[id(q)] = self.aspan(it)
            elif name == "baseline":
                text = self.value_text(f)
                bl = values.read_baseline(text)
                if bl is None:
                    self._bad_value(self.aspan(f), "基数", "baseline", text)
                else:
                    self.frag.spans[id(bl)] = self.aspan(f)
                goal.baseline = bl
            elif name == "aliases":
                goal.aliases.extend(a for a in (self.item_text(it).strip() for it in f.items) if a)
            elif name == "key":
                text = self.value_text(f).strip().lower()
                if text not in kw.FLAG_VALUES:
                    self._bad_value(self.aspan(f), "是否值（是/否）", "flag (yes/no)", text)
                goal.key = kw.FLAG_VALUES.get(text, False)
        goal.children = self._nested(nested, ("goal",), goal)
        self._spread(goal, spread_values)
        if ident:
            self._define("goal", goal.id, span, goal)
        else:
            self.frag.spans[id(goal)] = span
        if parent is None:
            self.frag.items.append(goal)
        return goal

    def b_task(self, b: Block, parent) -> Task:
        ident, title, span = self._header(b)
        task = Task(id=ident or "", number="", path="", title=title or ident or "")
        self.frag.ranges[id(task)] = self.aspan(b)
        task._explicit_id = ident is not None
        fields, nested = self._fields(b, "task")
        for spec, f in fields:
            name = spec.word.name
            if self._description(spec, f, task.description) or self._roles(spec, f, task):
                continue
            if name == "title":
                task.title = self.value_text(f)
            elif name == "supports":
                names, _ = self._names(f, GOAL, task, name)
                task.supports.extend(n for n, _ in names)
            elif name == "after":
                names, _ = self._names(f, TASK, task, name)
                task.after.extend(n for n, _ in names)
            elif name == "due":
                dues = self.frag.due.setdefault(id(task), [])
                for it in f.items:
                    words = [a for a in it.atoms if not a.quoted]
                    notes = [a for a in it.atoms if a.quoted]
                    if words:
                        text = spelled(it.atoms[it.atoms.index(words[0]):it.atoms.index(words[-1]) + 1],
                                       self.src.text)
                        note = " ".join(a.value for a in notes) or None
                    else:
                        text, note = self.item_text(it), None
                    if values.read_deadline(text, values.Year(None)) is None:
                        self._bad_value(self.aspan(it), "时限", "deadline", text)
                    else:
                        dues.append(DueItem(text, note, self.aspan(it)))
        task.children = self._nested(nested, ("task",), task)
        if ident:
            self._define("task", task.id, span, task)
        else:
            self.frag.spans[id(task)] = span
        if parent is None:
            self.frag.items.append(task)
        return task

    def b_mechanism(self, b: Block, parent) -> Mechanism:
        ident, title, span = self._header(b)
        mech = Mechanism(id=ident or self._ident("mechanism-"), title=title or ident or "")
        self.frag.ranges[id(mech)] = self.aspan(b)
        fields, nested = self._fields(b, "mechanism")
        for spec, f in fields:
            name = spec.word.name
            if self._description(spec, f, mech.description):
                continue
            if name == "title":
                mech.title = self.value_text(f)
            elif name == "kind":
                text = self.value_text(f)
                v = kw.enum_lookup(kw.MECHANISM_KINDS, text)
                if v is None:
                    self._bad_enum(f, text, kw.MECHANISM_KINDS)
                else:
                    mech.kind = v.name
            elif name in ("convener", "deputy", "lead"):
                names, _ = self._names(f, OWNER, mech, name, positions=True)
                getattr(mech, name).extend(Owner(name=n, kind="position" if k == "position" else "unit")
                                           for n, k in names)
            elif name in ("members", "office"):
                names, _ = self._names(f, UNIT, mech, name)
                getattr(mech, name).extend(n for n, _ in names)
            elif name == "cadence":
                for it in f.items:
                    text = self.item_text(it)
                    c = values.read_cadence(text)
                    if c is None:
                        self.frag.diagnostics.append(_err(
                            "PL502", self.aspan(it), f"无效的频次{quoted(text)}：应写明周期，如 旬调度、月通报、季讲评、每季度",
                            f"invalid cadence '{text}': say how often, e.g. 旬调度, 月通报, 每季度, monthly"))
                    else:
                        mech.cadence.append(c)
            elif name == "reporting":
                self._reporting(f, mech)
            elif name == "covers":
                names, _ = self._names(f, TASK, mech, name)
                mech.covers.extend(n for n, _ in names)
        self._nested(nested, (), None)
        self._define("mechanism", mech.id, span, mech)
        self.frag.items.append(mech)
        return mech

    def _reporting(self, f: Field, mech: Mechanism) -> None:
        """`报送：每月25日前 报 区督查室 “工作进展”`: each item a date, then optionally 报 / 报送 and the recipient
        unit, and what is reported as a quoted text. A recipient written once after the last item (年中、年末 报
        区政府) goes to the items before it that name none. A date that cannot be read is PL502."""
        read: list = []
        for it in f.items:
            words = [a for a in it.atoms if not a.quoted]
            what = " ".join(a.value for a in it.atoms if a.quoted) or None
            if not words:
                text = self.item_text(it)
                r = None
            else:
                first, last = it.atoms.index(words[0]), it.atoms.index(words[-1])
                text = spelled(it.atoms[first:last + 1], self.src.text)
                r = values.read_reporting(text, values.Year(None))
            if r is None:
                self.frag.diagnostics.append(_err(
                    "PL502", self.aspan(it),
                    f"无法读取的报送时间{quoted(text)}：应写明何时报送，如 每月25日前、每季度末、每季度最后一个月30日前、年中、"
                    f"年末、6月底前，可接“报 单位”，如“每月25日前 报 区督查室”",
                    f"unreadable reporting date '{text}': say when reports are due, e.g. 每月25日前, 每季度末, "
                    f"每季度最后一个月30日前, 年中, 年末, 6月底前, optionally followed by 报 and the recipient unit"))
                continue
            if what:
                r.what = what
            if r.recipient:
                words_end = words[-1].end
                at = self.src.text.rfind(r.recipient, it.start, words_end)
                span = Span(self.src, at, at + len(r.recipient)) if at >= 0 else self.aspan(it)
                self.frag.refs.append(Ref(UNIT, r.recipient, span, mech, "reporting"))
            read.append(r)
        later = None
        for r in reversed(read):
            if r.recipient is None and later is not None:
                r.recipient = later
            later = r.recipient
        mech.reporting.extend(read)

    def b_text(self, b: Block, parent) -> TextPart:
        ident, title, span = self._header(b)
        part = TextPart(id=ident or self._ident("text-"), title=title or ident or "")
        self.frag.ranges[id(part)] = self.aspan(b)
        fields, nested = self._fields(b, "text")
        for spec, f in fields:
            if self._description(spec, f, part.paragraphs):
                continue
            if spec.word.name == "title":
                part.title = self.value_text(f)
        self._nested(nested, (), None)
        self._define("text", part.id, span, part)
        self.frag.items.append(part)
        return part


def build(doc: Document, source: SourceFile, relpath: str) -> Fragment:
    """Build one file's fragment from its syntax."""
    frag = Builder(source, relpath).build(doc)
    add_syntax_errors(frag, doc)
    return frag


def add_syntax_errors(frag: Fragment, doc: Document) -> None:
    """The parser's errors as PL001s after what the builder said, one syntax error per line in all."""
    for issue in doc.errors:
        frag.diagnostics.append(syntax_diagnostic(issue, frag.source))
    frag.diagnostics = one_syntax_error_per_line(frag.diagnostics, frag.source)
