"""What the renders show, computed once from the compiled plan: the rows of the 任务分工表, each unit's tasks by
role, the goal coverage table (from the model's `goal_coverage`), and the plan as a sequence of document blocks
(title, headings, paragraphs).

The xlsx, docx, Markdown and HTML renders all read these views, so the four agree with each other and with the
compiled JSON. Nothing here knows a file format.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planlang.model import indicators
from planlang.model.nodes import CompiledPlan, Goal, Mechanism, Quantity, Task, TextPart
from planlang.model.symbols import walk_goals, walk_tasks

ROLES = ("lead", "responsible", "cooperate")
ROLE_ZH = {"lead": "牵头", "responsible": "负责", "cooperate": "配合"}
ROLE_COLUMN = {"lead": "牵头单位", "responsible": "责任单位", "cooperate": "配合单位"}
ROLE_ZH["collect"] = "汇总"  # the 汇总 role: shown in the owner cells, listed in the 责任清单 after the others
_ROLE_ORDER = (*ROLES, "collect")
SEP = "、"

# Texts that open the document without a heading of their own.
_UNTITLED_TEXTS = ("前言", "引言", "导语", "序言")
_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_TIGHT = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_OWNER_TAIL = re.compile(r"[（(]([^（）()]*(?:牵头|负责|配合|参与|协办|责任单位)[^（）()]*)[)）]\s*[。．.]?\s*$")
_FIRMNESS_WORDS = ("确保", "力争", "预期")
FIRMNESS_ZH = {"floor": "确保", "stretch": "力争", "expected": "预期"}


def tight(text: str) -> str:
    """Drop the spaces a `.plan` value puts between Chinese words and numbers (力争 8% → 力争8%)."""
    return _TIGHT.sub("", text.strip())




@dataclass(slots=True)
class TaskInfo:
    """A task with its place in the tree."""

    task: Task
    parent: Task | None
    ancestors: list[Task]  # root first, without the task itself

    @property
    def depth(self) -> int:
        return len(self.ancestors)


def task_infos(model: CompiledPlan) -> list[TaskInfo]:
    """Every task, depth first in source order, with its ancestors."""
    return [TaskInfo(t, chain[-1] if chain else None, chain) for t, chain in _with_ancestors(model.tasks, [])]


# Tree walks are module functions: a nested function that calls itself is a reference cycle, which keeps what
# it refers to alive until the cyclic collector runs (the language server holds the collector back).

def _with_ancestors(nodes: list, chain: list) -> Iterator[tuple]:
    """(node, its ancestors from the top) for a tree of tasks or goals, depth first in source order."""
    for n in nodes:
        yield n, chain
        yield from _with_ancestors(n.children, [*chain, n])


def section_depth(model: CompiledPlan) -> int:
    """The depth of the tree's sections (重点任务): 0, the top-level tasks — unless the plan wraps all its tasks
    in one top-level task (五、主要措施 → （一）…（五）), then the level below the wrapper, and so on."""
    depth, tasks = 0, model.tasks
    while len(tasks) == 1 and tasks[0].children and any(c.children for c in tasks[0].children):
        depth, tasks = depth + 1, tasks[0].children
    return depth


def full_number(task: Task, ancestors: list[Task]) -> str:
    """The display numbers from the top of the tree: 一、（二）3. → 一、（二）3."""
    return "".join(a.number for a in ancestors) + task.number


def owner_phrase(task: Task) -> str:
    """The owners a task names itself, as the originals write them at the end of a paragraph:
    （区发改局牵头，各街道办事处、管理处负责）. Empty when the task names none. An open-ended list (等) puts 等 after
    the last role's units — the model records 等 per task, not per role."""
    parts = [(role, list(getattr(task, role))) for role in ROLES if getattr(task, role)]
    if not parts and not task.leaders:
        return ""
    if task.collector:  # （区发改局牵头，各单位负责，区统计局汇总）: 等 stays with the last written role
        parts.append(("collect", list(task.collector)))
    out = []
    etc = task.etc_after
    for i, (role, names) in enumerate(parts):
        if etc:  # 等 where the list writes it: （区发改局、区财政局等，各街道办事处负责）
            out.append(f"{join_etc(names, etc)}{ROLE_ZH[role]}")
            continue
        tail = "等" if task.open_ended and i == len(parts) - 1 - bool(task.collector) else ""
        out.append(f"{SEP.join(names)}{tail}{ROLE_ZH[role]}")
    units = "，".join(out)
    if task.leaders:
        return "（" + "；".join(x for x in ("责任领导：" + SEP.join(task.leaders), units) if x) + "）"
    return "（" + units + "）"


def join_etc(names: list[str], etc: list[str]) -> str:
    """Names joined with 、, each one an 等 follows written with it and followed by ，: 甲、乙等，丙."""
    out = ""
    for i, n in enumerate(names):
        if i:
            out += "，" if names[i - 1] in etc else SEP
        out += n + ("等" if n in etc else "")
    return out


def strip_owner_tail(paragraph: str) -> str:
    """A description's last paragraph without the owner parenthesis the original ended with ((区发改局牵头)),
    which the renders replace with the one generated from the model."""
    return _OWNER_TAIL.sub("", paragraph).rstrip()


def due_text(task: Task) -> list[str]:
    """Deadlines as written, each with its milestone note: 2月上旬前（完成方案制定）."""
    return [tight(d.text) + (f"（{d.note}）" if d.note else "") for d in task.due]




@dataclass(slots=True)
class Row:
    """One row of the 任务分工表: a task without sub-tasks."""

    task: Task
    ancestors: list[Task]
    section: Task | None  # the 重点任务 the row belongs to (None for a leaf at or above the section level)
    top: Task | None  # the section, or the task itself when it is a leaf at the section level
    seq: str  # 序号: the numbers below the section, 一 for a top-level leaf
    lead: list[str]
    responsible: list[str]
    cooperate: list[str]
    open_ended: bool
    inherited_from: Task | None  # the ancestor the owners come from, when inherited
    targets: list[str]
    due: list[str]
    due_inherited_from: Task | None
    supports: list[str]  # goal titles, the task's own and its ancestors'
    collect: list[str] = field(default_factory=list)  # the 汇总 units (effective)
    etc_after: list[str] = field(default_factory=list)  # the owners an 等 follows
    lead_convention: str | None = None  # the plan convention the lead comes from, when derived
    leaders: list[str] = field(default_factory=list)  # effective leaders (责任领导)
    leaders_from: str = ""  # where inherited leaders come from: 一、某某 (an ancestor task) or 方案; "" when its own

    def owners(self, role: str) -> str:
        """The cell text for a role: units joined with 、, 等 after the last role's list when open-ended. The
        汇总 unit is marked where it stands — （汇总） after its name, or appended to the responsible cell when
        it holds no other role — so the table needs no column that most plans would leave empty."""
        names = getattr(self, role)
        extra = []
        if self.collect:
            names = [f"{n}（汇总）" if n in self.collect else n for n in names]
            if role == "responsible":
                held = {*self.lead, *self.responsible, *self.cooperate}
                extra = [f"{n}（汇总）" for n in self.collect if n not in held]
        if not names and not extra:
            return ""
        roles = [r for r in ROLES if getattr(self, r)]
        last = roles[-1] if roles else None
        if self.etc_after:  # 等 where the list writes it
            plain = getattr(self, role)
            text = join_etc(plain, self.etc_after)
            for n in self.collect:
                text = text.replace(n, f"{n}（汇总）", 1) if n in plain else text
        else:
            text = SEP.join(names) + ("等" if self.open_ended and role == last else "")
        return text + ("；" if names and extra else "") + SEP.join(extra)

    @property
    def owned(self) -> bool:
        return bool(self.lead or self.responsible)


@dataclass(slots=True)
class Section:
    """A 重点任务 and its rows; `task` is None for rows outside any section."""

    task: Task | None
    number: str
    title: str
    rows: list[Row] = field(default_factory=list)


def goal_titles(model: CompiledPlan) -> dict[str, str]:
    return {g.id: g.title for g in reversed(list(walk_goals(model.goals)))}


def division_table(model: CompiledPlan) -> list[Section]:
    """The 任务分工表: every task without sub-tasks, grouped by 重点任务 (section)."""
    titles = goal_titles(model)
    by_id: dict[str, Task] = {}
    for t, _ in walk_tasks(model.tasks):
        by_id.setdefault(t.id, t)
    sd = section_depth(model)
    sections: list[Section] = []
    for info in task_infos(model):
        t = info.task
        if info.depth == sd and t.children:
            sections.append(Section(t, t.number, t.title))
            continue
        if t.children:
            continue
        section = info.ancestors[sd] if info.depth > sd else None
        below = info.ancestors[sd + 1:] if info.depth > sd else []
        if section is None:
            seq = full_number(t, info.ancestors).rstrip("、")
            if not sections or sections[-1].task is not None:
                sections.append(Section(None, "", ""))
        else:
            seq = "".join(a.number for a in below) + t.number
        eff = t.effective_owners
        inherited = None
        if eff.inherited_from:
            inherited = next((a for a in reversed(info.ancestors) if a.id == eff.inherited_from), None)
            if inherited is None:
                inherited = by_id.get(eff.inherited_from)
        own_owner = t.lead or t.responsible
        open_ended = t.open_ended if own_owner or inherited is None else inherited.open_ended
        etc_after = t.etc_after if own_owner or inherited is None else inherited.etc_after
        due_from = indicators.effective_due(t, info.ancestors)[1]
        due = due_text(due_from or t)
        supports: list[str] = []
        for node in [*info.ancestors, t]:
            for gid in node.supports:
                name = titles.get(gid, gid)
                if name not in supports:
                    supports.append(name)
        # a lead derived by a stated convention (首位牵头) is shown as the lead, and not again as responsible
        responsible = [u for u in eff.responsible if not eff.lead_convention or u not in eff.lead]
        sections[-1].rows.append(Row(
            task=t, ancestors=info.ancestors, section=section, top=section or (t if info.depth == sd else None),
            seq=seq,
            lead=list(eff.lead), responsible=responsible, cooperate=list(eff.cooperate),
            open_ended=open_ended, inherited_from=inherited,
            targets=[tight(x.text) for x in t.targets], due=due, due_inherited_from=due_from, supports=supports,
            collect=list(eff.collect), lead_convention=eff.lead_convention, etc_after=list(etc_after),
            leaders=list(eff.leaders), leaders_from=_leaders_source(eff.leaders_inherited_from, info.ancestors)))
    return [s for s in sections if s.rows or s.task is not None]


def _leaders_source(source: str | None, ancestors: list[Task]) -> str:
    """Where inherited leaders come from, as the renders say it: the ancestor task (一、某某) or 方案."""
    if source is None:
        return ""
    if source == "plan":
        return "方案"
    for i, a in enumerate(ancestors):
        if a.id == source:
            return full_number(a, ancestors[:i]) + a.title
    return source


def has_leaders(model: CompiledPlan) -> bool:
    """Whether the plan names a leader (责任领导) anywhere: the renders show leader columns only then."""
    if model.plan is not None and model.plan.leaders:
        return True
    return any(t.leaders for t, _ in walk_tasks(model.tasks)) or any(g.leaders for g in walk_goals(model.goals))


@dataclass(slots=True)
class LeaderItem:
    """One task (a row of the 分工表) or goal a leader answers for."""

    kind: str  # 任务 or 目标
    number: str
    title: str
    section: str  # the 重点任务 (number and title) of a task, the goal group of a goal
    lead: str  # the lead (else responsible) units
    due: str
    inherited_from: str  # "" when the leader is named on the item itself


def leader_list(model: CompiledPlan) -> list[tuple[str, list[LeaderItem]]]:
    """领导分工: each leader, in the order first named, with the tasks and goals they answer for (effective
    leaders: a task or goal that names none answers to its ancestor's, else the plan's)."""
    out: dict[str, list[LeaderItem]] = {}
    if model.plan is not None:
        for name in model.plan.leaders:
            out.setdefault(name, [])
    for r in leaf_rows(model):
        section = f"{r.section.number}{r.section.title}" if r.section is not None else ""
        owners = r.owners("lead") or r.owners("responsible")
        for name in r.leaders:
            out.setdefault(name, []).append(LeaderItem(
                "任务", full_number(r.task, r.ancestors), r.task.title, section, owners, "；".join(r.due),
                r.leaders_from))
    for g, chain in _with_ancestors(model.goals, []):
        for name in g.effective_leaders:
            src = g.leaders_inherited_from
            label = "" if src is None else "方案" if src == "plan" else next(
                (a.title for a in chain if a.id == src), src)
            owners = SEP.join(g.lead or g.responsible)
            out.setdefault(name, []).append(LeaderItem(
                "目标", "", g.title, chain[-1].title if chain else "", owners, "", label))
    return [(name, items) for name, items in out.items()]


def leaf_rows(model: CompiledPlan) -> list[Row]:
    """The 分工表's task rows in order."""
    return [r for s in division_table(model) for r in s.rows]




@dataclass(slots=True)
class Assignment:
    """One unit holding one role in one task."""

    unit: str
    role: str
    task: Task
    ancestors: list[Task]
    top: Task | None  # the section (or section-level task) it belongs to
    inherited_from: Task | None


def assignments(model: CompiledPlan) -> list[Assignment]:
    """Who does what: every unit's role in every task of the 分工表 (effective owners, inheritance marked),
    plus a section that names a unit its sub-tasks do not pass on (all of them name their own owners)."""
    out: list[Assignment] = []
    sd = section_depth(model)
    rows = leaf_rows(model)
    for r in rows:
        for role in ROLES:
            for unit in getattr(r, role):
                out.append(Assignment(unit, role, r.task, r.ancestors, r.top, r.inherited_from))
        held = {u for role in ROLES for u in getattr(r, role)}
        for unit in r.collect:  # a 汇总 unit with no other role in the task
            if unit not in held:
                out.append(Assignment(unit, "collect", r.task, r.ancestors, r.top, r.inherited_from))
    leaf_roles: dict[int, set[tuple[str, str]]] = {id(r.task): {(role, u) for role in ROLES for u in getattr(r, role)}
                                                   for r in rows}
    for info in task_infos(model):
        t = info.task
        if not t.children:
            continue
        leaves = [x for x, _ in walk_tasks(t.children) if not x.children]
        for role in ROLES:
            for unit in getattr(t, role):
                if not any((role, unit) in leaf_roles.get(id(x), ()) for x in leaves):
                    top = info.ancestors[sd] if info.depth > sd else (t if info.depth == sd else None)
                    out.append(Assignment(unit, role, t, info.ancestors, top, None))
    return out


def units_in_order(model: CompiledPlan, items: list[Assignment]) -> list[str]:
    """Units that hold a role: in the registry's order, then names not in the registry as they appear."""
    named = {a.unit for a in items}
    order = [u.id for u in model.units if u.id in named]
    for a in items:
        if a.unit not in order:
            order.append(a.unit)
    return order


def tasks_in_order(model: CompiledPlan) -> dict[int, int]:
    """id(task) → its position in the tree walk, to sort by."""
    return {id(t): i for i, (t, _) in enumerate(walk_tasks(model.tasks))}


def responsibility_list(model: CompiledPlan) -> list[tuple[str, list[Assignment]]]:
    """For every unit that holds a role: its assignments, lead first, then responsible, then cooperate."""
    items = assignments(model)
    pos = tasks_in_order(model)
    out = []
    for unit in units_in_order(model, items):
        mine = [a for a in items if a.unit == unit]
        mine.sort(key=lambda a: (_ROLE_ORDER.index(a.role), pos.get(id(a.task), 0)))
        out.append((unit, mine))
    return out


def matrix_columns(model: CompiledPlan) -> list[Task | None]:
    """The sections (重点任务) as the matrix's columns: the tasks at the section level, in order; None first
    for tasks above that level, if any hold a role."""
    sd = section_depth(model)
    cols: list[Task | None] = [i.task for i in task_infos(model) if i.depth == sd]
    if any(a.top is None for a in assignments(model)):
        cols.insert(0, None)
    return cols


def responsibility_matrix(model: CompiledPlan) -> tuple[list[Task | None], list[tuple[str, list[dict[str, int]]]]]:
    """Unit × section counts of lead / responsible / cooperate roles: the sections (columns), and per unit a
    list of {role: count} in the columns' order."""
    cols = matrix_columns(model)
    index = {id(c): i for i, c in enumerate(cols)}
    items = assignments(model)
    out = []
    for unit in units_in_order(model, items):
        counts = [{role: 0 for role in _ROLE_ORDER} for _ in cols]
        for a in items:
            if a.unit == unit:
                counts[index[id(a.top)]][a.role] += 1
        out.append((unit, counts))
    return cols, out


def ownerless(model: CompiledPlan) -> list[Row]:
    """Tasks without sub-tasks that have no lead or responsible unit, own or inherited (PL201)."""
    return [r for r in leaf_rows(model) if not r.owned]




@dataclass(slots=True)
class Support:
    task: Task
    number: str
    how: str  # 支撑 (the task names the goal), 上级目标 (names a group above it), 指标 (states the indicator)


@dataclass(slots=True)
class GoalInfo:
    goal: Goal
    depth: int
    supports: list[Support]
    covered: bool  # by itself, a group above it, or one of its sub-goals


def goal_coverage(model: CompiledPlan) -> list[GoalInfo]:
    """Each goal with the tasks that serve it (the model's coverage, the same notion as PL301), with the
    tasks' display numbers."""
    numbers = {id(i.task): full_number(i.task, i.ancestors) for i in task_infos(model)}
    return [GoalInfo(c.goal, c.depth, [Support(t, numbers.get(id(t), ""), how) for t, how in c.supports], c.covered)
            for c in indicators.goal_coverage(model)]


def _measure(field_name: str, q: Quantity) -> str:
    """增长 with 力争 8% → 力争增长8%; 总量 with 力争突破 52亿元 → 总量力争突破52亿元."""
    text = tight(q.text)
    lead = ""
    while field_name == "增长":
        for w in (*_FIRMNESS_WORDS, "年均"):
            if text.startswith(w):
                lead += w
                text = text[len(w):]
                break
        else:
            break
    return f"{lead}{field_name}{text}"


def goal_parts(g: Goal) -> list[str]:
    """A goal's values as phrases: 力争增长8%, 总量力争突破52亿元, 争资争项力争1.9亿元."""
    parts = [_measure("增长", q) for q in g.growth]
    parts += [_measure("总量", q) for q in g.total]
    parts += [tight(t.text) for t in g.targets]
    return parts


def goal_sentence(g: Goal) -> str:
    """地区生产总值：力争增长8%，总量达到420亿元（基数：2022年48亿元）。 — ★ marks a key indicator. A goal
    whose one indicator names it says it once: 实施关键核心技术攻关项目2个。"""
    parts = goal_parts(g)
    text = ("★" if g.key else "") + g.title
    if not g.growth and not g.total and len(g.targets) == 1:
        t = g.targets[0]
        metric, value = tight(t.metric), tight(t.quantity.text) if t.quantity is not None else ""
        if metric and g.title in metric:
            text, parts = ("★" if g.key else "") + tight(t.text), []
        elif metric and metric in g.title and value:
            parts = [value]
    if parts:
        text += "：" + "，".join(parts)
    if g.baseline is not None:
        text += f"（基数：{tight(g.baseline.text)}）"
    owners = "，".join(f"{SEP.join(getattr(g, r))}{ROLE_ZH[r]}" for r in ROLES if getattr(g, r))
    if g.leaders:
        owners = "；".join(x for x in ("责任领导：" + SEP.join(g.leaders), owners) if x)
    if owners:
        text += "（" + owners + "）"
    return text if text.endswith(("。", "！", "？")) else text + "。"


def firmness(g: Goal) -> str:
    """确保 / 力争 / 预期, as stated on the goal's values (several joined with /)."""
    seen: list[str] = []
    for q in [*g.growth, *g.total, *(t.quantity for t in g.targets if t.quantity is not None)]:
        if q.firmness and FIRMNESS_ZH[q.firmness] not in seen:
            seen.append(FIRMNESS_ZH[q.firmness])
    return "/".join(seen)




@dataclass(slots=True)
class Block:
    """One paragraph of the document.

    kind: title · docnumber · heading (level 1–4, with `number`) · para (body, first-line indent) · signature
    (right-aligned closing lines). `owners` is the owner phrase that ends a task's paragraph (kept apart so a
    render can mark it). `anchor` names a task or goal for links."""

    kind: str
    text: str
    level: int = 0
    number: str = ""
    owners: str = ""
    task: Task | None = None


def source_order(result) -> list[object]:
    """The plan's top-level goals, tasks, mechanisms and texts in the order of the files as written, includes
    expanded where they stand (the order `planlang compile` read them)."""
    out: list[object] = []
    if result.files:
        _file_items(result.files[0], {f.path: f for f in result.files}, set(), out)
    return out


def _file_items(fu, files: dict, seen: set[Path], out: list[object]) -> None:
    from planlang.model.symbols import Include

    if fu.path in seen:
        return
    seen.add(fu.path)
    for item in fu.fragment.items:
        if isinstance(item, Include):
            target = Path(os.path.normpath(fu.path.parent / item.path))
            try:
                target = target.resolve()
            except (OSError, ValueError):
                continue
            if target in files:
                _file_items(files[target], files, seen, out)
        elif isinstance(item, (Goal, Task, Mechanism, TextPart)):
            out.append(item)


def _default_order(model: CompiledPlan) -> list[object]:
    return [*model.texts, *model.goals, *model.tasks, *model.mechanisms]


def plan_title(model: CompiledPlan) -> str:
    return model.plan.title if model.plan is not None and model.plan.title else "工作方案"


def fixed_date(model: CompiledPlan) -> date:
    """The date stamped into xlsx/docx metadata: the plan's issue date, else its start, else 2000-01-01 —
    never the clock, so the same plan gives the same bytes."""
    p = model.plan
    for text in (p.issued if p else None, p.period.start if p and p.period else None):
        if text:
            try:
                d = date.fromisoformat(text[:10])
                if d.year >= 1980:
                    return d
            except ValueError:
                pass
    return date(2000, 1, 1)


def chinese_date(iso: str) -> str:
    """2017-08-26 → 2017年8月26日 (as the 成文日期 is written)."""
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{d.year}年{d.month}月{d.day}日"


def _reporting_text(r) -> str:
    """A reporting item as the document writes it: 每月25日前报送区督查室（当月工作进展）."""
    return tight(r.text) + (f"（{r.what}）" if r.what else "")


def _mechanism_paragraphs(m: Mechanism) -> list[str]:
    if m.description:
        return list(m.description)
    parts = [f"{label}{SEP.join(values)}" for label, values in (
        ("召集人：", [o.name for o in m.convener]), ("副召集人：", [o.name for o in m.deputy]),
        ("牵头：", [o.name for o in m.lead]), ("成员单位：", m.members), ("办公室设在", m.office),
        ("频次：", [c.text for c in m.cadence]), ("报送：", [_reporting_text(r) for r in m.reporting])) if values]
    return ["；".join(parts) + "。"] if parts else []


def document_blocks(model: CompiledPlan, order: list[object] | None = None) -> list[Block]:
    """The plan as an official document: title; free-text parts; goals; the task tree with derived numbering,
    each task's paragraphs ending with its owners (（区发改局牵头，各街道办事处负责））; mechanisms; the issuer and
    date when the plan states them. `order` is the top-level items in source order (see `source_order`)."""
    items = order if order is not None else _default_order(model)
    blocks: list[Block] = []
    plan = model.plan
    if plan is not None and plan.doc_number:
        blocks.append(Block("docnumber", plan.doc_number))
    blocks.append(Block("title", plan_title(model)))
    if plan is not None:
        blocks.extend(Block("para", p) for p in plan.description)
    if plan is not None and plan.numbering is not None:
        _outline_blocks(items, plan.numbering, blocks)
        _signature(plan, blocks)
        return blocks

    last_heading = ""
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, TextPart):
            untitled = item.id in _UNTITLED_TEXTS or item.title in _UNTITLED_TEXTS
            if not untitled:
                blocks.append(Block("heading", item.title, level=1))
                last_heading = item.title
            blocks.extend(Block("para", p) for p in item.paragraphs)
            i += 1
        elif isinstance(item, Goal):
            run = []
            while i < len(items) and isinstance(items[i], Goal):
                run.append(items[i])
                i += 1
            if "目标" not in last_heading:
                blocks.append(Block("heading", "工作目标", level=1))
                last_heading = "工作目标"
            _goal_blocks(run, blocks)
        elif isinstance(item, Task):
            run = []
            while i < len(items) and isinstance(items[i], Task):
                run.append(items[i])
                i += 1
            for t in run:
                _task_blocks(t, [], blocks)
            last_heading = ""
        elif isinstance(item, Mechanism):
            run = []
            while i < len(items) and isinstance(items[i], Mechanism):
                run.append(items[i])
                i += 1
            if not any(w in last_heading for w in ("机制", "保障", "措施", "组织")):
                blocks.append(Block("heading", "推进机制", level=1))
                last_heading = "推进机制"
            for n, m in enumerate(run, 1):
                from planlang.model.resolve import display_number

                blocks.append(Block("heading", m.title, level=2, number=display_number(1, n)))
                blocks.extend(Block("para", p) for p in _mechanism_paragraphs(m))
        else:
            i += 1
    _signature(plan, blocks)
    return blocks


def _signature(plan, blocks: list[Block]) -> None:
    if plan is not None and plan.issued:
        if plan.issuer:
            blocks.append(Block("signature", SEP.join(plan.issuer)))
        blocks.append(Block("signature", chinese_date(plan.issued)))


def _run_in(number: str, title: str, paragraphs: list[str]) -> list[str]:
    """Paragraphs of an item written run-in (一是…, ——…): the marker opens the first paragraph, which opens
    with the title (the description's own first words when it already begins with the title)."""
    paragraphs = list(paragraphs)
    if paragraphs and paragraphs[0].startswith(title):
        paragraphs[0] = number + paragraphs[0]
    elif paragraphs:
        paragraphs[0] = f"{number}{title}{'' if title.endswith(('。', '，', ',')) else '。'}{paragraphs[0]}"
    else:
        paragraphs = [number + title + ("" if title.endswith("。") else "。")]
    return paragraphs


def _outline_blocks(items: list[object], scheme, blocks: list[Block]) -> None:
    """The document laid out by the plan's own numbering (`编号`): chapters, then each kind by its levels."""
    from planlang.model.numbering import layout, mechanism_titled

    said = ""  # the text of the last titled mechanism: an untitled one continues it, and is not said twice
    for e in layout(items, scheme):
        if not e.shown:
            continue
        level = min(e.level, 4)
        node = e.node
        if e.kind == "chapter":
            blocks.append(Block("heading", e.title, level=1, number=e.number))
        elif e.kind == "text":
            if e.heading:
                blocks.append(Block("heading", node.title, level=1, number=e.number))
            blocks.extend(Block("para", p) for p in node.paragraphs)
        elif e.kind == "goal":
            says = goal_parts(node) or node.baseline is not None or any(getattr(node, r) for r in ROLES) \
                or node.leaders
            if e.heading:
                blocks.append(Block("heading", node.title, level=level, number=e.number))
                paragraphs = list(node.description)
                if paragraphs and paragraphs[0].startswith(node.title + "。"):
                    paragraphs[0] = paragraphs[0][len(node.title) + 1:]
                blocks.extend(Block("para", p) for p in paragraphs if p)
                if says:
                    blocks.append(Block("para", goal_sentence(node)))
            elif e.number:
                blocks.extend(Block("para", p) for p in _run_in(e.number, node.title, node.description))
                if says:
                    blocks.append(Block("para", goal_sentence(node)))
            else:
                _goal_paragraphs(node, blocks)
        elif e.kind == "task":
            _task_paragraphs(node, e, level, blocks)
        elif e.kind == "mechanism":
            if mechanism_titled(node):
                said = "".join(_mechanism_paragraphs(node))
            elif all(p in said for p in _mechanism_paragraphs(node)):
                continue
            if e.heading:
                blocks.append(Block("heading", node.title, level=level, number=e.number))
                blocks.extend(Block("para", p) for p in _mechanism_paragraphs(node))
            elif e.number:
                blocks.extend(Block("para", p) for p in _run_in(e.number, node.title, _mechanism_paragraphs(node)))
            else:
                blocks.extend(Block("para", p) for p in _mechanism_paragraphs(node))


def _task_paragraphs(t: Task, e, level: int, blocks: list[Block]) -> None:
    """A task of the outline: its heading (or its run-in marker), its paragraphs ending with its owners."""
    paragraphs, owners = _described(t)
    if e.heading:
        blocks.append(Block("heading", t.title, level=level, number=e.number, task=t))
    else:
        paragraphs = _run_in(e.number, t.title, paragraphs)
    _paragraph_blocks(t, paragraphs, owners, blocks)


def _described(t: Task) -> tuple[list[str], str]:
    """A task's paragraphs, the owner parenthesis the original ended with taken off, and the owner phrase the
    renders write after the last one instead."""
    paragraphs = list(t.description)
    owners = owner_phrase(t)
    if owners and paragraphs:
        paragraphs[-1] = strip_owner_tail(paragraphs[-1])
        if not paragraphs[-1]:
            paragraphs.pop()
    return paragraphs, owners


def _paragraph_blocks(t: Task, paragraphs: list[str], owners: str, blocks: list[Block]) -> None:
    """A task's paragraphs as blocks, the owner phrase after the last (alone when it has none)."""
    for j, p in enumerate(paragraphs):
        blocks.append(Block("para", p, owners=owners if j == len(paragraphs) - 1 else "", task=t))
    if owners and not paragraphs:
        blocks.append(Block("para", "", owners=owners, task=t))


def _goal_blocks(goals: list[Goal], blocks: list[Block]) -> None:
    from planlang.model.resolve import display_number

    n = 0
    for g in goals:
        if g.children:
            n += 1
            blocks.append(Block("heading", g.title, level=2, number=display_number(1, n)))
            blocks.extend(Block("para", p) for p in g.description)
            own = goal_parts(g)
            if own or g.baseline is not None or g.leaders or any(getattr(g, r) for r in ROLES):
                blocks.append(Block("para", goal_sentence(g)))
            for c in walk_goals(g.children):
                _goal_paragraphs(c, blocks)
        else:
            _goal_paragraphs(g, blocks)


def _goal_paragraphs(g: Goal, blocks: list[Block]) -> None:
    """A goal's sentence, then its description. A goal that states no value runs its title into its description
    as the originals do (打造最具吸引力的商贸核心区。加快建设…), unless the description already begins with it."""
    says = goal_parts(g) or g.baseline is not None or any(getattr(g, r) for r in ROLES) or g.leaders
    paragraphs = list(g.description)
    if says:
        paragraphs.insert(0, goal_sentence(g))
    elif not paragraphs:
        paragraphs = [goal_sentence(g)]
    elif not paragraphs[0].startswith(g.title):
        paragraphs[0] = goal_sentence(g) + paragraphs[0]
    blocks.extend(Block("para", p) for p in paragraphs)


def _task_blocks(t: Task, ancestors: list[Task], blocks: list[Block]) -> None:
    level = min(len(ancestors) + 1, 4)
    blocks.append(Block("heading", t.title, level=level, number=t.number, task=t))
    _paragraph_blocks(t, *_described(t), blocks)
    for c in t.children:
        _task_blocks(c, [*ancestors, t], blocks)
