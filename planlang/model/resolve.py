"""Resolution: from the files' fragments to the resolved plan.

Computes what the output promises: derived numbering (一、（一）1.（1）), each task's effective owners (its own,
or inherited from the nearest ancestor that names any), references resolved to canonical ids (aliases folded),
goal ↔ task links, each unit's tasks by role, and deadlines read against the plan period.
"""

from __future__ import annotations

from collections.abc import Callable

from planlang.model import numbering, values
from planlang.model.nodes import (FILL, CompiledPlan, Deadline, EffectiveOwners, Goal, Mechanism, Task, TextPart,
                                  Unit, derived_fields)
from planlang.model.symbols import (GOAL, OWNER, TASK, UNIT, Def, DueItem, Fragment, Ref, Resolved, Symbols,
                                    walk_goals, walk_tasks)
from planlang.source import Span

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def display_number(depth: int, n: int) -> str:
    """The official numbering by level: 一、 （一） 1. （1） ① then a) b) …"""
    if depth == 0:
        return f"{numbering.chinese_number(n)}、"
    if depth == 1:
        return f"（{numbering.chinese_number(n)}）"
    if depth == 2:
        return f"{n}."
    if depth == 3:
        return f"（{n}）"
    if depth == 4 and n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    return f"{n})"


def read_due(due: DueItem, year: values.Year) -> Deadline | None:
    """A deadline as written, read against the plan year (its quoted note kept)."""
    d = values.read_deadline(due.text, year)
    if d is not None and due.note:
        d = d.model_copy(update={"note": due.note})
    return d


def resolve(fragments: list[Fragment], order: list[object], files: list[str], defs: list[Def] | None = None,
            deadline: Callable[[DueItem, values.Year], Deadline | None] = read_due) -> tuple[CompiledPlan, Symbols]:
    """Assemble the plan from the fragments' items (already in include-expanded order) and resolve it.
    `defs` are the fragments' definitions in include-expanded order (default: file by file); the first
    definition of a name is the one references resolve to. `deadline` reads a deadline as written against the
    plan year (an editor session gives one that remembers its readings).

    Resolution writes only the fields each node class declares `derived` (model/nodes.py); the fields it fills
    it empties first, so a node built once can be resolved again after the builder's values of the fields it
    folds are given back (model/incremental.py)."""
    plan = next((f.plan for f in fragments if f.plan is not None), None)
    model = CompiledPlan(plan=plan, files=files)
    sym = Symbols()
    sym.defs.extend(defs if defs is not None else (d for frag in fragments for d in frag.defs))
    for frag in fragments:
        sym.spans.update(frag.spans)
        sym.ranges.update(frag.ranges)
    for item in order:
        if isinstance(item, Unit):
            model.units.append(item)
        elif isinstance(item, Goal):
            model.goals.append(item)
        elif isinstance(item, Task):
            model.tasks.append(item)
        elif isinstance(item, Mechanism):
            model.mechanisms.append(item)
        elif isinstance(item, TextPart):
            model.texts.append(item)

    sym.task_list = list(walk_tasks(model.tasks))
    _empty_filled([*model.units, *(t for t, _ in sym.task_list), *walk_goals(model.goals)])
    _number(model.tasks, "", 0)
    if plan is not None and plan.numbering is not None:
        for e in numbering.layout(order, plan.numbering):
            if e.kind == "task":
                e.node.__dict__["number"] = e.number
    tables = {"unit": sym.units, "goal": sym.goals, "task": sym.tasks, "mechanism": sym.mechanisms}
    for d in sym.defs:  # first definition wins; duplicates are PL104's business
        table = tables.get(d.kind)
        if table is not None:
            table.setdefault(d.name, d.node)
    for d in sym.defs:
        if d.kind == "alias":
            sym.units.setdefault(d.name, d.node)
    for t, _ in sym.task_list:
        sym.tasks.setdefault(t.id, t)
    for g in walk_goals(model.goals):
        sym.goals.setdefault(g.id, g)

    canonical: dict[tuple[int, str, str], str | list[str]] = {}
    aliased: set[int] = set()  # nodes that name something otherwise than by its id
    for frag in fragments:
        for ref in frag.refs:
            target, name = _lookup(sym, ref)
            if target is None and ref.kind in (UNIT, OWNER):
                parts = _joined(sym, ref)
                if parts:  # 区发改局和区科技局: two units, each resolved where it is written
                    for part in parts:
                        sym.refs.append(Resolved(part, *_lookup(sym, part)))
                    canonical[(id(ref.node), ref.field, ref.name)] = [sym.units[p.name].id for p in parts]
                    aliased.add(id(ref.node))
                    continue
            sym.refs.append(Resolved(ref, target, name))
            if name is not None:
                canonical[(id(ref.node), ref.field, ref.name)] = name
                if name != ref.name:
                    aliased.add(id(ref.node))
    _canonicalize(model, sym.task_list, canonical, aliased)
    _owners(model.tasks)
    _conventions(model)
    plan_leaders = list(plan.leaders) if plan is not None else []
    _task_leaders(model.tasks, plan_leaders, "plan" if plan_leaders else None)
    _goal_leaders(model.goals, plan_leaders, "plan" if plan_leaders else None)
    _links(sym)
    year = values.Year(int(plan.period.start[:4]) if plan and plan.period and plan.period.start else None)
    if year.value is not None:  # one-off reporting dates (6月底前 报 …) read against the plan year
        for m in model.mechanisms:
            if any(r.period is None and r.date is None for r in m.reporting):
                m.__dict__["reporting"] = [_dated(r, year) for r in m.reporting]
    dues = {k: v for frag in fragments for k, v in frag.due.items()}
    for t, _ in sym.task_list:
        for due in dues.get(id(t), ()):
            d = deadline(due, year)
            if d is not None:
                t.due.append(d)
                sym.spans[id(d)] = due.span
    return model, sym


def _empty_filled(nodes: list) -> None:
    """Empty the fields resolution fills (declared FILL on each node class), with each field's own default."""
    cls, fill, factories = None, (), ()
    for node in nodes:
        if type(node) is not cls:
            cls = type(node)
            fill = derived_fields(cls, FILL)
            factories = [cls.model_fields[f].default_factory for f in fill]
        d = node.__dict__
        for f, make in zip(fill, factories):
            if d[f]:  # (an empty one is left: only a node resolved before holds what it filled)
                d[f] = make()


def _lookup(sym: Symbols, ref: Ref) -> tuple[object | None, str | None]:
    if ref.kind == UNIT:
        u = sym.units.get(ref.name)
        return (u, u.id) if u else (None, None)
    if ref.kind == OWNER:
        u = sym.units.get(ref.name)
        if u:
            return u, u.id
        m = sym.mechanisms.get(ref.name)
        return (m, m.id) if m else (None, None)
    if ref.kind == GOAL:
        g = sym.goals.get(ref.name)
        return (g, g.id) if g else (None, None)
    if ref.kind == TASK:
        t = sym.tasks.get(ref.name) or sym.mechanisms.get(ref.name)
        return (t, t.id) if t else (None, None)
    return None, None


# Resolution writes the derived fields of thousands of nodes on every edit in the editor. It writes them into
# the node's __dict__, where pydantic keeps field values: its __setattr__ (which only adds bookkeeping of the
# fields set, unused here) costs twice as much, and the values written are of the field's type by construction.

def _number(tasks: list[Task], prefix: str, depth: int) -> None:
    for i, t in enumerate(tasks, 1):
        d = t.__dict__
        path = d["path"] = f"{prefix}{i}"
        d["number"] = display_number(depth, i)
        if not t.__pydantic_private__["_explicit_id"]:
            d["id"] = "task-" + path
        _number(t.children, path + ".", depth + 1)


def _canonicalize(model: CompiledPlan, tasks: list[tuple[Task, Task | None]],
                  canonical: dict[tuple[int, str, str], str], aliased: set[int]) -> None:
    """Replace names written as aliases by the unit's id; a unit named twice in one list counts once."""
    def fix(node: object, fname: str, names: list[str]) -> list[str]:
        if id(node) not in aliased and len(set(names)) == len(names):
            return names
        out: list[str] = []
        for n in names:
            c = canonical.get((id(node), fname, n), n)
            for one in (c if isinstance(c, list) else (c,)):
                if one not in out:
                    out.append(one)
        return out

    if model.plan is not None:
        model.plan.issuer = fix(model.plan, "issuer", model.plan.issuer)
    for node in [*(t for t, _ in tasks), *walk_goals(model.goals)]:
        d = node.__dict__
        for f in ("lead", "responsible", "cooperate", "collector"):
            d[f] = fix(node, f, d[f])
        if d["etc_after"] and id(node) in aliased:
            d["etc_after"] = [_etc_name(canonical, node, n) for n in d["etc_after"]]
    unit_ids = {u.id for u in model.units}
    for m in model.mechanisms:
        m.members = fix(m, "members", m.members)
        m.office = fix(m, "office", m.office)
        if any(r.recipient for r in m.reporting):  # copies: the builder's items are replayed after an edit
            m.__dict__["reporting"] = [_recipient(r, canonical.get((id(m), "reporting", r.recipient)))
                                       for r in m.reporting]
        for f in ("convener", "deputy", "lead"):
            for o in getattr(m, f):
                if o.kind != "position":
                    c = canonical.get((id(m), f, o.name))
                    if isinstance(c, list):  # a joined name (甲和乙) among the owners: its first unit
                        c = c[0]
                    if c is not None:
                        o.name = c
                        o.kind = "mechanism" if c not in unit_ids else "unit"


def _etc_name(canonical: dict, node: object, name: str) -> str:
    """The canonical name of an owner an 等 follows (written in any of the roles; a joined pair: its second)."""
    for f in ("lead", "responsible", "cooperate", "collector"):
        c = canonical.get((id(node), f, name))
        if c is not None:
            return c[-1] if isinstance(c, list) else c
    return name


def _dated(r, year: values.Year):
    if r.period is not None or r.date is not None:
        return r
    again = values.read_reporting(r.text, year)
    return r if again is None else r.model_copy(update={"date": again.date})


def _recipient(r, c):
    """A reporting item with its recipient under the unit's id (a joined name: its first unit)."""
    if isinstance(c, list):
        c = c[0]
    return r if c is None or c == r.recipient else r.model_copy(update={"recipient": c})


def _owners(tasks: list[Task], inherited: tuple[list[str], list[str], list[str], str] | None = None) -> None:
    """Each task's effective owners; `inherited` is the nearest owning ancestor's (lead, responsible,
    cooperate, id)."""
    for t in tasks:
        if t.lead or t.responsible:
            eff = EffectiveOwners(lead=list(t.lead), responsible=list(t.responsible), cooperate=list(t.cooperate))
            passed = (eff.lead, eff.responsible, eff.cooperate, t.id)
        elif inherited is not None:  # a copy of the section's owners (lists of names: no deep copy needed)
            lead, responsible, cooperate, source = inherited
            eff = EffectiveOwners(lead=list(lead), responsible=list(responsible),
                                  cooperate=list(t.cooperate or cooperate), inherited_from=source)
            passed = inherited
        else:
            eff = EffectiveOwners(cooperate=list(t.cooperate))
            passed = None
        t.__dict__["effective_owners"] = eff
        _owners(t.children, passed)


# Words that join two unit names inside one list item (区发改局和区科技局).
_JOINERS = "及和与"
# An administrative prefix the second name of a joined pair may leave out (区发改局和科技局 → 区科技局).
_PREFIXES = ("区", "市", "县", "镇", "乡")


def _joined(sym: Symbols, ref: Ref) -> list[Ref] | None:
    """An unresolved unit name that is two declared units joined by 及 / 和 / 与 (区发改局和区科技局, or
    区发改局和科技局 when 区科技局 or 科技局 is declared): a reference for each, with its own span; None when no
    split gives two units (a unit genuinely named with 和 keeps its name, and an undefined one is PL101's)."""
    name = ref.name
    for i, ch in enumerate(name):
        if ch not in _JOINERS or i == 0 or i == len(name) - 1:
            continue
        left, right = name[:i], name[i + 1:]
        if left not in sym.units:
            continue
        right_name = right
        if right not in sym.units:
            prefix = next((p for p in _PREFIXES if left.startswith(p) and not right.startswith(p)), None)
            if prefix is None or prefix + right not in sym.units:
                continue
            right_name = prefix + right
        start = ref.span.start
        return [Ref(ref.kind, left, Span(ref.span.file, start, start + i), ref.node, ref.field),
                Ref(ref.kind, right_name, Span(ref.span.file, start + i + 1, ref.span.end), ref.node, ref.field)]
    return None


def _conventions(model: CompiledPlan) -> None:
    """The plan's stated conventions (约定) and 汇总 units in each task's effective owners, and each goal's
    effective owners. Lists stay as written; what a convention derives says so (lead_convention,
    collect_convention). A task's 汇总 is its own, else its parent's."""
    conv = set(model.plan.conventions) if model.plan is not None else set()
    stack: list[tuple[Task, list[str]]] = [(t, []) for t in reversed(model.tasks)]
    while stack:
        t, above = stack.pop()
        written = list(t.collector or above)  # own or inherited, never a derived one
        eff = t.effective_owners
        eff.collect = list(written)
        _derive(eff, conv)
        stack.extend((c, written) for c in reversed(t.children))
    # goals: their own owners, else those of the nearest goal group above that names any
    gstack: list[tuple[Goal, tuple[EffectiveOwners, str] | None]] = [(g, None) for g in reversed(model.goals)]
    while gstack:
        g, above = gstack.pop()
        eff: EffectiveOwners | None = None
        passed = above
        if g.lead or g.responsible or g.collector:
            eff = EffectiveOwners(lead=list(g.lead), responsible=list(g.responsible), cooperate=list(g.cooperate),
                                  collect=list(g.collector))
            _derive(eff, conv)
            passed = (eff, g.id)
        elif above is not None:
            eff = above[0].model_copy(deep=True, update={"inherited_from": above[1]})
            if g.cooperate:
                eff.cooperate = list(g.cooperate)
        g.__dict__["effective_owners"] = eff
        gstack.extend((c, passed) for c in reversed(g.children))


def _derive(eff: EffectiveOwners, conv: set[str]) -> None:
    """Apply the conventions to one set of effective owners (written roles win)."""
    if not eff.lead and eff.responsible:
        if "first-leads" in conv:
            eff.lead, eff.lead_convention = [eff.responsible[0]], "first-leads"
        elif "responsible-leads" in conv:
            eff.lead, eff.lead_convention = list(eff.responsible), "responsible-leads"
    if not eff.collect and eff.responsible and "first-collects" in conv:
        eff.collect, eff.collect_convention = [eff.responsible[0]], "first-collects"
def _task_leaders(tasks: list[Task], inherited: list[str], source: str | None) -> None:
    """Each task's leaders (责任领导): its own, else its nearest ancestor's that names any, else the plan's."""
    for t in tasks:
        eff = t.__dict__["effective_owners"].__dict__
        if t.leaders:
            eff["leaders"], eff["leaders_inherited_from"] = list(t.leaders), None
            _task_leaders(t.children, t.leaders, t.id)
        else:
            eff["leaders"], eff["leaders_inherited_from"] = list(inherited), source if inherited else None
            _task_leaders(t.children, inherited, source)


def _goal_leaders(goals: list[Goal], inherited: list[str], source: str | None) -> None:
    """Each goal's effective leaders: its own, else its nearest ancestor group's, else the plan's."""
    for g in goals:
        d = g.__dict__
        if g.leaders:
            d["effective_leaders"], d["leaders_inherited_from"] = list(g.leaders), None
            _goal_leaders(g.children, g.leaders, g.id)
        else:
            d["effective_leaders"], d["leaders_inherited_from"] = list(inherited), source if inherited else None
            _goal_leaders(g.children, inherited, source)


def _links(sym: Symbols) -> None:
    """Each unit's tasks by role, each goal's supporting tasks (each task id once, in source order). A task's
    own role lists name a unit once (canonicalized), so only a second task with the same id needs a look."""
    units, goals = sym.units, sym.goals
    done: set[str] = set()
    for t, _ in sym.task_list:
        tid = t.id
        again = tid in done
        done.add(tid)
        d = t.__dict__
        for role, field_name in (("lead", "lead"), ("responsible", "responsible"), ("cooperate", "cooperate"),
                                 ("collect", "collector")):
            for name in d[field_name]:
                u = units.get(name)
                if u is not None:
                    ids = u.tasks.__dict__[role]
                    if not again or tid not in ids:
                        ids.append(tid)
        for gid in d["supports"]:
            g = goals.get(gid)
            if g is not None and tid not in g.supported_by:
                g.supported_by.append(tid)
