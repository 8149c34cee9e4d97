"""Comparing two compiled plans.

Matching. Units are matched by id (then by full name). Tasks, goals, mechanisms and text parts are matched by
one routine (`_match`), in three passes: ids written in both versions (not a generated `goal-3`); then a title
used exactly once in each version; then the rest, level by level from the top (so an item's parent is matched
before it), by a score — the titles' similarity (rapidfuzz), weighed with the texts' when both have one (a
renamed item keeps its text), plus a bonus for the same parent and a close position — paired greedily from the
best score down, above a threshold. A matched pair is one item: a new title is a rename, a new parent (a task
under another section, a goal in another group) a move, never a deletion and an addition.

Numbering. A task's number follows from its position, so a task inserted before others renumbers them; that is
not a change. A task or goal whose parent changed is moved; among those that stay under the same parent, the
ones that changed their order are found as the complement of the longest run kept in order (so one task moved up
is one move, not a renumbering of everything it passed).

Values are compared normalized: 52亿元 and 520000万元 are the same total, 6月底前 and 2023-06-30 the same deadline.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from planlang.collector import gc_paused
from planlang.diff.report import ROLE_ZH, Change, DiffReport, RoleChange, Side
from planlang.diff.textdiff import summary as text_summary
from planlang.diff.textdiff import word_diff
from planlang.model.nodes import CompiledPlan, Deadline, Goal, Mechanism, Quantity, Target, Task, Unit

ROLES = ("lead", "responsible", "cooperate", "collect")
SIMILAR = 60.0  # the least score for two tasks not matched by id or title to be one task
TITLE_FLOOR = 15.0  # below this title similarity, the text, the parent and the position cannot reach SIMILAR


# -- values as written, and as compared ----------------------------------------------------------------------

def _qkey(q: Quantity | None) -> tuple | None:
    if q is None:
        return None
    value = round(q.normalized, 9) if q.normalized is not None else q.value
    return (value, q.base_unit or q.unit, q.dimension, q.comparator, q.firmness, q.annual, q.sign, q.change)


def _qtext(q: Quantity) -> str:
    return q.text


def _tkey(t: Target) -> tuple:
    return (_qkey(t.quantity), t.relation, t.reference, None if t.quantity is not None or t.relation else t.text)


def _direction(old: Quantity | None, new: Quantity | None) -> str:
    """提高 / 降低 when the two values are comparable levels."""
    if old is None or new is None or old.normalized is None or new.normalized is None:
        return ""
    if (old.base_unit, old.dimension, old.sign) != (new.base_unit, new.dimension, new.sign):
        return ""
    if new.normalized > old.normalized:
        return "（提高）" if old.sign == 1 else "（降幅加大）"
    if new.normalized < old.normalized:
        return "（降低）" if old.sign == 1 else "（降幅减小）"
    return ""


def _values(old: Quantity | None, new: Quantity | None) -> dict:
    """before_value / after_value / base_unit of an indicator change, where known."""
    out: dict = {}
    if old is not None and old.normalized is not None:
        out["before_value"] = old.normalized * old.sign
        out["base_unit"] = old.base_unit
    if new is not None and new.normalized is not None:
        out["after_value"] = new.normalized * new.sign
        out["base_unit"] = new.base_unit
    return out


def _dkey(d: Deadline) -> tuple:
    return (d.kind, d.date if d.date else d.text, d.cadence)


def _dtext(ds: list[Deadline]) -> str:
    parts = []
    for d in ds:
        parts.append(f"{d.text}（{d.date}）" if d.date and d.date != d.text else d.text)
    return "、".join(parts) if parts else "（无）"


def _names(xs: list[str]) -> str:
    return "、".join(xs) if xs else "（无）"


def _squash(title: str) -> str:
    return "".join(title.split())


def _desc(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs)


# -- items in a tree (tasks, goals) or a list (mechanisms, text parts): flattening and matching --------------

class _Flat:
    """A plan's items of one kind in document order, with parents, locations and sibling positions. Tasks are
    located by their numbers (二、（一）1.); other items by their 1-based position (2.1), used only in notes."""

    def __init__(self, items: list, numbered: bool = False, auto: str | None = None) -> None:
        self.items: list = []
        self.parent: list[int | None] = []
        self.sibling: list[int] = []  # position among its siblings, 0-based
        self.depth: list[int] = []
        self.location: list[str] = []
        self.children: dict[int | None, list[int]] = defaultdict(list)
        self.numbered = numbered
        self.auto = auto  # the prefix of generated ids (goal-3): not written, so not matched by
        self._walk(items, None, "")

    def _walk(self, items: list, parent: int | None, prefix: str) -> None:
        for i, t in enumerate(items):
            k = len(self.items)
            self.items.append(t)
            self.parent.append(parent)
            self.sibling.append(i)
            self.depth.append(0 if parent is None else self.depth[parent] + 1)
            loc = prefix + t.number if self.numbered else f"{prefix}{i + 1}"
            self.location.append(loc)
            self.children[parent].append(k)
            self._walk(getattr(t, "children", ()), k, loc if self.numbered else f"{loc}.")

    def subtree(self, k: int) -> range:
        """The item and its descendants (contiguous in document order)."""
        end = k + 1
        while end < len(self.items) and self.depth[end] > self.depth[k]:
            end += 1
        return range(k, end)

    def explicit(self, k: int) -> bool:
        """The item's id is written (not generated)."""
        x = self.items[k]
        if self.auto is None:
            return bool(x.__pydantic_private__.get("_explicit_id"))
        return not (x.id.startswith(self.auto) and x.id[len(self.auto):].isdigit())

    def text(self, k: int) -> str:
        x = self.items[k]
        return _desc(getattr(x, "description", None) or getattr(x, "paragraphs", None) or [])


def _match(old: _Flat, new: _Flat) -> dict[int, int]:
    """new index → old index."""
    match: dict[int, int] = {}
    taken: set[int] = set()
    by_id: dict[str, int] = {}
    for k in range(len(old.items)):
        if old.explicit(k):
            by_id.setdefault(old.items[k].id, k)  # an id written twice (PL104): the first
    for k in range(len(new.items)):
        if new.explicit(k):
            o = by_id.get(new.items[k].id)
            if o is not None and o not in taken:
                match[k] = o
                taken.add(o)
    # a title used once on each side: the same item (a title used more than once is left to the scoring,
    # where the parent and the position tell the copies apart)
    old_titles: dict[str, list[int]] = defaultdict(list)
    for o in range(len(old.items)):
        old_titles[_squash(old.items[o].title)].append(o)
    new_titles: dict[str, list[int]] = defaultdict(list)
    for k in range(len(new.items)):
        new_titles[_squash(new.items[k].title)].append(k)
    for title, ks in new_titles.items():
        os_ = old_titles.get(title, [])
        if len(ks) == 1 and len(os_) == 1 and ks[0] not in match and os_[0] not in taken:
            match[ks[0]] = os_[0]
            taken.add(os_[0])
    # the rest by score, level by level from the top, so an item's parent is matched before it is scored
    levels: dict[int, list[int]] = defaultdict(list)
    for k in range(len(new.items)):
        if k not in match:
            levels[new.depth[k]].append(k)
    for depth in sorted(levels):
        rest_old = [o for o in range(len(old.items)) if o not in taken]
        if not rest_old:
            break
        _match_similar(old, new, rest_old, levels[depth], match)
        taken = set(match.values())
    return match


def _match_similar(old: _Flat, new: _Flat, rest_old: list[int], rest_new: list[int], match: dict[int, int]) -> None:
    from rapidfuzz import fuzz, process

    ot = [old.items[o].title for o in rest_old]
    od = [old.text(o) for o in rest_old]
    parent_of = dict(match)
    pairs = []
    for k in rest_new:
        t = new.items[k]
        nd = new.text(k)
        pn = new.parent[k]
        pn_old = parent_of.get(pn) if pn is not None else None
        for _, title, j in process.extract(t.title, ot, scorer=fuzz.ratio, limit=None, score_cutoff=TITLE_FLOOR):
            score = float(title)
            if nd and od[j]:  # the text counts too: an item keeps its text when renamed, its title when rewritten
                score = 0.6 * score + 0.4 * fuzz.ratio(nd, od[j])
            o = rest_old[j]
            po = old.parent[o]
            if (pn is None and po is None) or (pn is not None and pn_old == po):
                score += 10
            score += 5 / (1 + abs(new.sibling[k] - old.sibling[o]))
            if score >= SIMILAR:
                pairs.append((-score, k, o))
    pairs.sort()
    used_new: set[int] = set()
    used_old: set[int] = set()
    for _, k, o in pairs:
        if k not in used_new and o not in used_old:
            match[k] = o
            used_new.add(k)
            used_old.add(o)


def _kept_in_order(olds: list[int]) -> set[int]:
    """The longest increasing subsequence of `olds` (indices into it)."""
    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(olds)
    for i, v in enumerate(olds):
        p = bisect.bisect_left(tails, v)
        if p == len(tails):
            tails.append(v)
            tails_at.append(i)
        else:
            tails[p] = v
            tails_at[p] = i
        prev[i] = tails_at[p - 1] if p > 0 else -1
    keep: set[int] = set()
    i = tails_at[-1] if tails_at else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


# -- the comparison -------------------------------------------------------------------------------------------

def _roles(owners) -> dict[str, list[str]]:
    """unit → its roles, from an EffectiveOwners (lead, responsible, cooperate, collect)."""
    out: dict[str, list[str]] = {}
    for role in ROLES:
        for u in getattr(owners, role):
            out.setdefault(u, []).append(role)
    return out


def _goal_roles(g: Goal) -> dict[str, list[str]]:
    if g.effective_owners is not None:
        return _roles(g.effective_owners)
    out: dict[str, list[str]] = {}
    for role, names in (("lead", g.lead), ("responsible", g.responsible), ("cooperate", g.cooperate),
                        ("collect", g.collector)):
        for u in names:
            out.setdefault(u, []).append(role)
    return out


def _role_changes(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[RoleChange]:
    order = list(before) + [u for u in after if u not in before]
    return [RoleChange(unit=u, before=before.get(u, []), after=after.get(u, []))
            for u in order if before.get(u, []) != after.get(u, [])]


def _role_text(roles: list[str]) -> str:
    return "、".join(ROLE_ZH[r] for r in roles)


def _owners_text(roles: dict[str, list[str]]) -> str:
    parts = []
    for role in ROLES:
        units = [u for u, rs in roles.items() if role in rs]
        if units:
            parts.append(f"{'、'.join(units)}{ROLE_ZH[role]}")
    return "，".join(parts) if parts else "（无）"


def role_note(rc: RoleChange) -> str:
    if not rc.before:
        return f"增加{rc.unit}（{_role_text(rc.after)}）"
    if not rc.after:
        return f"删去{rc.unit}（原{_role_text(rc.before)}）"
    return f"{rc.unit}由{_role_text(rc.before)}改为{_role_text(rc.after)}"


class _Differ:
    def __init__(self, old: CompiledPlan, new: CompiledPlan) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []

    # generic helpers
    def add(self, **kw) -> None:
        self.changes.append(Change(**kw))

    def text_change(self, base: dict, field: str, old: list[str], new: list[str], label: str) -> None:
        a, b = _desc(old), _desc(new)
        if a == b:
            return
        if not a or not b:
            note = f"{'增加' if not a else '删去'}{label}"
            edits = []
        else:
            edits = word_diff(a, b)
            note = f"{label}：{text_summary(edits)}"
        self.add(**base, kind="description", field=field, before=a or None, after=b or None, note=note,
                 edits=edits)

    def value_change(self, base: dict, field: str, label: str, before: str, after: str, kind: str = "field",
                     extra: str = "") -> None:
        self.add(**base, kind=kind, field=field, before=before, after=after,
                 note=f"{label}由“{before}”改为“{after}”{extra}")

    def targets(self, base: dict, old: list[Target], new: list[Target]) -> None:
        """Targets matched by metric (a metric named twice: in order)."""
        om: dict[str, list[Target]] = defaultdict(list)
        for t in old:
            om[t.metric].append(t)
        nm: dict[str, list[Target]] = defaultdict(list)
        for t in new:
            nm[t.metric].append(t)
        for metric in list(nm) + [m for m in om if m not in nm]:
            os_, ns = om.get(metric, []), nm.get(metric, [])
            for i in range(max(len(os_), len(ns))):
                o = os_[i] if i < len(os_) else None
                t = ns[i] if i < len(ns) else None
                if o is None:
                    self.add(**base, kind="indicator", field=metric, after=t.text, note=f"增加指标“{t.text}”")
                elif t is None:
                    self.add(**base, kind="indicator", field=metric, before=o.text, note=f"删去指标“{o.text}”")
                elif _tkey(o) != _tkey(t):
                    extra = _direction(o.quantity, t.quantity)
                    if o.quantity is not None and t.quantity is not None:
                        self.add(**base, kind="indicator", field=metric, before=o.text, after=t.text,
                                 note=f"指标“{metric}”由“{o.quantity.text}”改为“{t.quantity.text}”{extra}",
                                 **_values(o.quantity, t.quantity))
                    else:
                        self.value_change(base, metric, f"指标“{metric}”", o.text, t.text, "indicator", extra)

    def quantities(self, base: dict, field: str, label: str, old: list[Quantity], new: list[Quantity]) -> None:
        if [_qkey(q) for q in old] == [_qkey(q) for q in new]:
            return
        a, b = "、".join(map(_qtext, old)), "、".join(map(_qtext, new))
        extra = _direction(old[0], new[0]) if len(old) == 1 and len(new) == 1 else ""
        if not a:
            self.add(**base, kind="indicator", field=field, after=b, note=f"增加{label}“{b}”")
        elif not b:
            self.add(**base, kind="indicator", field=field, before=a, note=f"删去{label}“{a}”")
        else:
            self.add(**base, kind="indicator", field=field, before=a, after=b,
                     note=f"{label}由“{a}”改为“{b}”{extra}",
                     **(_values(old[0], new[0]) if len(old) == 1 and len(new) == 1 else {}))

    def lists(self, base: dict, field: str, label: str, old: list[str], new: list[str], kind: str = "field") -> None:
        if old == new:
            return
        gone = [x for x in old if x not in new]
        came = [x for x in new if x not in old]
        notes = []
        if came:
            notes.append(f"增加{label}{'、'.join(came)}")
        if gone:
            notes.append(f"删去{label}{'、'.join(gone)}")
        if not notes:
            notes.append(f"{label}顺序调整")
        self.add(**base, kind=kind, field=field, before=_names(old), after=_names(new), note="；".join(notes))

    # the parts of a plan
    def plan(self) -> None:
        o, n = self.old.plan, self.new.plan
        if o is None and n is None:
            return
        base = {"entity": "plan", "id": (n or o).id, "title": (n or o).title}
        if o is None:
            self.add(**base, kind="added", after=n.title, note=f"增加方案“{n.title}”")
            return
        if n is None:
            self.add(**base, kind="removed", before=o.title, note=f"删去方案“{o.title}”")
            return
        if o.title != n.title:
            self.add(**base, kind="renamed", field="title", before=o.title, after=n.title,
                     note=f"方案标题由“{o.title}”改为“{n.title}”")
        self.lists(base, "issuer", "制定单位", o.issuer, n.issuer)
        op, np_ = (o.period.text if o.period else ""), (n.period.text if n.period else "")
        if (o.period and (o.period.start, o.period.end)) != (n.period and (n.period.start, n.period.end)):
            self.value_change(base, "period", "方案周期", op or "（无）", np_ or "（无）")
        for field, label in (("doc_number", "文号"), ("issued", "成文日期")):
            a, b = getattr(o, field), getattr(n, field)
            if a != b:
                self.value_change(base, field, label, a or "（无）", b or "（无）")
        if o.leaders != n.leaders:
            self.add(**base, kind="leaders", field="leaders", before=_names(o.leaders), after=_names(n.leaders),
                     note=f"方案责任领导由“{_names(o.leaders)}”改为“{_names(n.leaders)}”")
        self.lists(base, "conventions", "约定", list(o.conventions), list(n.conventions))
        self.text_change(base, "description", o.description, n.description, "方案说明")

    def units(self) -> None:
        olds, news = _first_of_each(self.old.units), _first_of_each(self.new.units)  # a unit declared twice: PL104
        om = {u.id: u for u in olds}
        nm = {u.id: u for u in news}
        by_full = {u.full_name: u for u in olds if u.full_name and u.id not in nm}
        pairs: list[tuple[Unit | None, Unit | None]] = []
        matched_old: set[str] = set()
        for u in news:
            o = om.get(u.id) or (by_full.get(u.full_name) if u.full_name and u.id not in om else None)
            if o is not None and o.id not in matched_old:
                matched_old.add(o.id)
                pairs.append((o, u))
            else:
                pairs.append((None, u))
        pairs += [(u, None) for u in olds if u.id not in matched_old]
        for o, n in pairs:
            u = n or o
            base = {"entity": "unit", "id": u.id, "title": u.full_name or u.id, "units": [u.id]}
            if o is None:
                self.add(**base, kind="added", after=u.full_name or u.id, note=f"增加单位“{u.id}”")
                continue
            if n is None:
                self.add(**base, kind="removed", before=u.full_name or u.id, note=f"删去单位“{u.id}”")
                continue
            if o.id != n.id:
                base["old_id"] = o.id
                base["units"] = [o.id, n.id]
                self.add(**base, kind="renamed", field="id", before=o.id, after=n.id,
                         note=f"单位简称由“{o.id}”改为“{n.id}”")
            if o.full_name != n.full_name:
                self.value_change(base, "full_name", "单位全称", o.full_name or "（无）", n.full_name or "（无）")
            if o.kind != n.kind:
                self.value_change(base, "kind", "单位类型", o.kind, n.kind)
            self.lists(base, "aliases", "别名", o.aliases, n.aliases)

    # items matched one routine for all kinds (tasks, goals, mechanisms, text parts): `_match`
    def items(self, old: _Flat, new: _Flat, pair, whole, moves: bool = True) -> None:
        """Report every matched pair (`pair(old, new, o, k, moved)` adds its changes) and every added or removed
        item with what went with it (`whole(flat, k, matched, kind)` returns its change), in document order:
        removed items where they were. `moves`: report parent and order changes (items in a tree)."""
        match = _match(old, new)
        back = {o: k for k, o in match.items()}
        moved: dict[int, str] = {}
        if moves:
            for k, o in match.items():
                pn, po = new.parent[k], old.parent[o]
                if (pn is None) != (po is None) or (pn is not None and match.get(pn) != po):
                    moved[k] = "section"
            for parent, kids in new.children.items():
                stay = [k for k in kids if k in match and k not in moved]
                keep = _kept_in_order([old.sibling[match[k]] for k in stay])
                for i, k in enumerate(stay):
                    if i not in keep:
                        moved[k] = "order"
        entries: list[tuple[tuple, list[Change]]] = []
        matched_new, matched_old = set(match), set(back)
        for k in range(len(new.items)):
            o = match.get(k)
            if o is None:
                if new.parent[k] is not None and new.parent[k] not in match:
                    continue  # inside an added item: reported with it
                entries.append(((k, 0, 0), [whole(new, k, matched_new, "added")]))
            else:
                start = len(self.changes)
                pair(old, new, o, k, moved.get(k))
                entries.append(((k, 0, 0), self.changes[start:]))
                del self.changes[start:]
        last_new = -1
        anchors = []
        for o in range(len(old.items)):
            if o in back:
                last_new = back[o]
            anchors.append(last_new)
        for o in range(len(old.items)):
            if o in back or (old.parent[o] is not None and old.parent[o] not in back):
                continue
            entries.append(((anchors[o], 1, o), [whole(old, o, matched_old, "removed")]))
        entries.sort(key=lambda e: e[0])
        for _, cs in entries:
            self.changes.extend(cs)

    def pair_base(self, entity: str, old: _Flat, new: _Flat, o: int, k: int, units: list[str], label: str,
                  moved: str | None) -> dict:
        """The fields every change to a matched item carries; its rename and its move reported."""
        a, b = old.items[o], new.items[k]
        base = {"entity": entity, "id": b.id, "title": b.title, "units": units}
        if old.numbered:
            base |= {"old_location": old.location[o], "new_location": new.location[k]}
        if a.id != b.id:
            base["old_id"] = a.id
        if _squash(a.title) != _squash(b.title):
            self.add(**base, kind="renamed", field="title", before=a.title, after=b.title,
                     note=f"{label}名称由“{a.title}”改为“{b.title}”")
        where = f"（{old.location[o]} → {new.location[k]}）"
        if moved == "section":
            po, pn = old.parent[o], new.parent[k]
            src = f"“{old.items[po].title}”" if po is not None else "第一层"
            dst = f"“{new.items[pn].title}”" if pn is not None else "第一层"
            self.add(**base, kind="moved", field="parent", before=old.location[o], after=new.location[k],
                     note=f"由{src}移至{dst}下{where}")
        elif moved == "order":
            self.add(**base, kind="moved", field="order", before=old.location[o], after=new.location[k],
                     note=f"调整顺序{where}")
        return base

    def whole(self, entity: str, flat: _Flat, k: int, matched: set[int], kind: str) -> Change:
        """An added or removed task or goal with the sub-items that went with it (those matched elsewhere are
        moves)."""
        x = flat.items[k]
        roles_of, text_of, label = (_task_roles, _task_text, "任务") if entity == "task" else (
            _goal_roles, _goal_text, "目标")
        gone = [y for y in flat.subtree(k) if y not in matched]
        roles: dict[str, list[str]] = {}
        for y in gone:
            for u, rs in roles_of(flat.items[y]).items():
                roles.setdefault(u, []).extend(r for r in rs if r not in roles.get(u, []))
        roles = {u: [r for r in ROLES if r in rs] for u, rs in roles.items()}
        sub = len(gone) - 1
        note = f"{'增加' if kind == 'added' else '删去'}{label}“{x.title}”" + (f"（含{sub}项子{label}）" if sub else "")
        own = roles_of(x)
        if own:
            note += f"：{'' if kind == 'added' else '原'}{_owners_text(own)}"
        where = {} if not flat.numbered else {
            "new_location" if kind == "added" else "old_location": flat.location[k]}
        text = {"after" if kind == "added" else "before": text_of(x)}
        side = "after" if kind == "added" else "before"
        return Change(entity=entity, kind=kind, id=x.id, title=x.title, **where, **text, note=note,
                      units=sorted(roles), roles=[RoleChange(unit=u, **{side: rs}) for u, rs in roles.items()])

    def goals(self) -> None:
        self.items(_Flat(self.old.goals, auto="goal-"), _Flat(self.new.goals, auto="goal-"), self._goal_pair,
                   lambda flat, k, matched, kind: self.whole("goal", flat, k, matched, kind))

    def _goal_pair(self, old: _Flat, new: _Flat, o_: int, k: int, moved: str | None) -> None:
        o, n = old.items[o_], new.items[k]
        roles_o, roles_n = _goal_roles(o), _goal_roles(n)
        base = self.pair_base("goal", old, new, o_, k, _units(roles_o, roles_n), "目标", moved)
        self.quantities(base, "growth", "增长目标", o.growth, n.growth)
        self.quantities(base, "total", "总量目标", o.total, n.total)
        ob, nb = o.baseline, n.baseline
        if (ob and (ob.year, _qkey(ob.quantity))) != (nb and (nb.year, _qkey(nb.quantity))):
            self.value_change(base, "baseline", "基数", ob.text if ob else "（无）", nb.text if nb else "（无）",
                              "indicator")
        self.targets(base, o.targets, n.targets)
        if o.key != n.key:
            self.value_change(base, "key", "重点目标标记", "是" if o.key else "否", "是" if n.key else "否")
        self.lists(base, "aliases", "别名", o.aliases, n.aliases)
        self.owners(base, roles_o, roles_n)
        if o.effective_leaders != n.effective_leaders and o.leaders != n.leaders:  # else inherited: told above
            self.add(**base, kind="leaders", field="leaders", before=_names(o.effective_leaders),
                     after=_names(n.effective_leaders),
                     note=f"责任领导由“{_names(o.effective_leaders)}”改为“{_names(n.effective_leaders)}”")
        self.text_change(base, "description", o.description, n.description, "说明")

    def owners(self, base: dict, roles_o: dict, roles_n: dict) -> None:
        rcs = _role_changes(roles_o, roles_n)
        if not rcs:
            return
        self.add(**base, kind="owners", field="owners", before=_owners_text(roles_o), after=_owners_text(roles_n),
                 note="；".join(role_note(rc) for rc in rcs), roles=rcs)

    def tasks(self) -> None:
        self.items(_Flat(self.old.tasks, numbered=True), _Flat(self.new.tasks, numbered=True), self._task_pair,
                   lambda flat, k, matched, kind: self.whole("task", flat, k, matched, kind))

    def _task_pair(self, old: _Flat, new: _Flat, o: int, k: int, moved: str | None) -> None:
        a, b = old.items[o], new.items[k]
        roles_o, roles_n = _roles(a.effective_owners), _roles(b.effective_owners)
        base = self.pair_base("task", old, new, o, k, _units(roles_o, roles_n), "任务", moved)
        # owners and leaders a task inherits are reported where they are written (its ancestor, the plan)
        own = (a.lead, a.responsible, a.cooperate, a.collector) != (b.lead, b.responsible, b.cooperate, b.collector)
        if own or not (a.effective_owners.inherited_from or b.effective_owners.inherited_from):
            self.owners(base, roles_o, roles_n)
        lo, ln = a.effective_owners.leaders, b.effective_owners.leaders
        if lo != ln and a.leaders != b.leaders:
            self.add(**base, kind="leaders", field="leaders", before=_names(lo), after=_names(ln),
                     note=f"责任领导由“{_names(lo)}”改为“{_names(ln)}”")
        if [_dkey(d) for d in a.due] != [_dkey(d) for d in b.due]:
            self.add(**base, kind="deadline", field="due", before=_dtext(a.due), after=_dtext(b.due),
                     note=f"完成时限由“{_dtext(a.due)}”改为“{_dtext(b.due)}”")
        self.targets(base, a.targets, b.targets)
        self.lists(base, "supports", "支撑目标", a.supports, b.supports)
        self.text_change(base, "description", a.description, b.description, "任务内容")

    def mechanisms(self) -> None:
        whole = _single("mechanism", lambda m: m.title, lambda m, verb: f"{verb}机制“{m.title}”",
                        lambda m: sorted(set(_mech_units(m))))
        self.items(_Flat(self.old.mechanisms, auto="mechanism-"), _Flat(self.new.mechanisms, auto="mechanism-"),
                   self._mechanism_pair, whole, moves=False)

    def _mechanism_pair(self, old: _Flat, new: _Flat, o_: int, k: int, moved: str | None) -> None:
        o, n = old.items[o_], new.items[k]
        units = sorted(set(_mech_units(o)) | set(_mech_units(n)))
        base = self.pair_base("mechanism", old, new, o_, k, units, "机制", moved)
        if o.kind != n.kind:
            self.value_change(base, "kind", "机制类型", o.kind or "（无）", n.kind or "（无）")
        for field, label in (("convener", "召集人"), ("deputy", "副召集人"), ("lead", "牵头")):
            self.lists(base, field, label, [x.name for x in getattr(o, field)], [x.name for x in getattr(n, field)],
                       "owners")
        self.lists(base, "members", "成员", o.members, n.members, "owners")
        self.lists(base, "office", "办公室", o.office, n.office, "owners")
        self.lists(base, "cadence", "频次", [c.text for c in o.cadence], [c.text for c in n.cadence])
        self.lists(base, "reporting", "报送", [r.text for r in o.reporting], [r.text for r in n.reporting],
                   "deadline")
        self.lists(base, "covers", "覆盖", o.covers, n.covers)
        self.text_change(base, "description", o.description, n.description, "说明")

    def texts(self) -> None:
        whole = _single("text", lambda x: _desc(x.paragraphs), lambda x, verb: f"{verb}“{x.title}”部分")
        self.items(_Flat(self.old.texts, auto="text-"), _Flat(self.new.texts, auto="text-"), self._text_pair,
                   whole, moves=False)

    def _text_pair(self, old: _Flat, new: _Flat, o: int, k: int, moved: str | None) -> None:
        base = {"entity": "text", "id": new.items[k].id, "title": new.items[k].title}
        a, b = old.items[o], new.items[k]
        if a.title != b.title:
            self.add(**base, kind="renamed", field="title", before=a.title, after=b.title,
                     note=f"标题由“{a.title}”改为“{b.title}”")
        self.text_change(base, "paragraphs", a.paragraphs, b.paragraphs, "内容")


def _single(entity: str, value, note, units=lambda x: []):
    """The added or removed change of an item of a kind that does not nest (a mechanism, a text part): its
    value, `note(item, 增加 / 删去)`, its units."""
    def whole(flat: _Flat, k: int, matched: set[int], kind: str) -> Change:
        x = flat.items[k]
        added = kind == "added"
        return Change(entity=entity, kind=kind, id=x.id, title=x.title, units=units(x),
                      **{"after" if added else "before": value(x)}, note=note(x, "增加" if added else "删去"))
    return whole


def _first_of_each(units: list[Unit]) -> list[Unit]:
    seen: set[str] = set()
    out = []
    for u in units:
        if u.id not in seen:
            seen.add(u.id)
            out.append(u)
    return out


def _units(*roles: dict) -> list[str]:
    return sorted({u for r in roles for u in r})


def _task_roles(t: Task) -> dict[str, list[str]]:
    return _roles(t.effective_owners)


def _task_text(t: Task) -> str:
    parts = [t.title]
    if t.description:
        parts.append(_desc(t.description))
    roles = _roles(t.effective_owners)
    if roles:
        parts.append(f"（{_owners_text(roles)}）")
    if t.due:
        parts.append(f"完成时限：{_dtext(t.due)}")
    return "\n".join(parts)


def _goal_text(g: Goal) -> str:
    bits = [g.title]
    if g.growth:
        bits.append("增长" + "、".join(q.text for q in g.growth))
    if g.total:
        bits.append("总量" + "、".join(q.text for q in g.total))
    bits += [t.text for t in g.targets]
    return "：".join([bits[0], "，".join(bits[1:])]) if len(bits) > 1 else bits[0]


def _mech_units(m: Mechanism | None) -> list[str]:
    if m is None:
        return []
    names = [*m.members, *m.office]
    for field in (m.convener, m.deputy, m.lead):
        names += [x.name for x in field if x.kind == "unit"]
    return names


# the note of an added or removed task or goal, before its owners
_WHOLE_TASK = re.compile(r"^(?:增加|删去)(?:任务|目标)“.*”(?:（含\d+项子(?:任务|目标)）)?")


def for_unit(report: DiffReport, unit: str) -> DiffReport:
    """Only what concerns `unit` (an id): the changes to the items it owns in either version, its own role
    changes said from its side (新增为牵头单位, 不再是牵头单位, 由牵头改为配合 …)."""
    out = []
    for c in report.changes:
        if unit not in c.units:
            continue
        mine = [rc for rc in c.roles if rc.unit == unit]
        if c.kind == "owners" and c.entity in ("task", "goal"):
            if not mine:
                continue  # other units' roles changed: not this unit's news
            out.append(c.model_copy(update={"note": unit_note(mine[0]), "roles": mine}))
        elif mine and c.kind in ("added", "removed") and c.entity in ("task", "goal"):
            head = _WHOLE_TASK.match(c.note)
            note = f"{head.group(0) if head else c.note}：{unit_note(mine[0])}"
            out.append(c.model_copy(update={"note": note, "roles": mine}))
        else:
            out.append(c)
    return report.model_copy(update={"unit": unit, "changes": out})


def unit_note(rc: RoleChange) -> str:
    """A role change as the unit reads it."""
    if not rc.before:
        return f"新增为{_role_text(rc.after)}单位"
    if not rc.after:
        return f"不再是{_role_text(rc.before)}单位"
    return f"由{_role_text(rc.before)}改为{_role_text(rc.after)}"


def diff_plans(old: CompiledPlan, new: CompiledPlan, old_name: str = "old", new_name: str = "new") -> DiffReport:
    """Every change from `old` to `new`, in document order: the plan header, units, goals, tasks (removed ones
    where they were), mechanisms, text parts."""
    d = _Differ(old, new)
    with gc_paused():  # as in a compilation: many objects made, few freed; collections would find nothing
        d.plan()
        d.units()
        d.goals()
        d.tasks()
        d.mechanisms()
        d.texts()
    title = lambda m: m.plan.title if m.plan is not None else None  # noqa: E731
    return DiffReport(old=Side(file=old_name, title=title(old)), new=Side(file=new_name, title=title(new)),
                      changes=d.changes)
