"""What the progress checks and `planlang status` share: records resolved against the plan, the reports a
unit owes, 序时进度 and each indicator's share reached.

Decisions (documented in docs/language.md):
- a record names its task by id or by 序号 (the task's path, 2.1, as printed on the 推进情况表);
- a unit owes a report for a period when it owns (lead, else responsible, effective) a task that is not done or
  cancelled and the plan's 报送 items fall due in that period; a plan with no 报送 item owes monthly reports
  (rule option `[rules.PL605] months = 1`; 3 for quarterly, 0 for none);
- 序时进度 is the share of the plan period elapsed at the end of the report's period (days, inclusive);
- a task is due at its last dated 时限, else its nearest ancestor's, else at the end of the plan period;
- an indicator's share reached is judged against its 确保 (floor) value when it has one, else its first value;
  both are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planlang.model.indicators import latest_deadline, metric_key
from planlang.model.nodes import Goal, Quantity, Task
from planlang.model.symbols import walk_goals
from planlang.progress.model import ProgressRecord, ProgressReport

DONE_STATES = ("done", "cancelled")
_OWED_CACHE = "progress.owed"


def task_index(symbols, model) -> dict[str, Task]:
    """Tasks by id and by 序号 (path)."""
    out: dict[str, Task] = {}
    for t, _ in symbols.task_list:
        out.setdefault(t.path, t)
    for t, _ in symbols.task_list:
        out[t.id] = t
    return out


def unit_id(symbols, name: str | None) -> str | None:
    """A unit's id from its id or alias (None for unknown)."""
    if not name:
        return None
    u = symbols.units.get(name)
    return u.id if u is not None else None


def owners(task: Task, children: bool = True) -> set[str]:
    """Every unit a task answers to (effective lead, responsible, cooperate, collect), and its sub-tasks' own."""
    e = task.effective_owners
    out = {*e.lead, *e.responsible, *e.cooperate, *e.collect}
    if children:
        for c in task.children:
            out |= owners(c)
    return out


def accountable(task: Task) -> list[str]:
    """The units that report on a task: its effective lead, else its responsible units."""
    e = task.effective_owners
    return list(e.lead or e.responsible)


def deadline(task: Task, parents: dict[str, Task | None], plan_end: str | None) -> str | None:
    """The date a task is due (ISO): its last dated 时限, else that of its nearest ancestor that states a 时限
    (as `model.indicators.effective_due`), else — when neither it nor any task above it states one — the end of
    the plan period: a plan's tasks are its period's work (全年完成…, 确保2023年…). A task whose 时限 are all
    undated (长期坚持, 每月) has none."""
    t: Task | None = task
    while t is not None:
        if t.due:
            return latest_deadline(t)
        t = parents.get(t.id)
    return plan_end


def parents_of(symbols) -> dict[str, Task | None]:
    """Each task's parent, by task id."""
    return {t.id: parent for t, parent in symbols.task_list}


def _d(iso: str) -> date:
    return date.fromisoformat(iso)


def elapsed_share(plan_start: str | None, plan_end: str | None, at: str) -> float | None:
    """序时进度: the share of the plan period elapsed at the end of day `at` (0–1), or None without a period."""
    if not plan_start or not plan_end:
        return None
    s, e, a = _d(plan_start), _d(plan_end), _d(at)
    total = (e - s).days + 1
    if total <= 0:
        return None
    return min(1.0, max(0.0, ((a - s).days + 1) / total))


def plan_span_dates(model) -> tuple[str | None, str | None]:
    p = model.plan.period if model.plan is not None else None
    return (p.start, p.end) if p is not None else (None, None)


# -- the reports a unit owes ----------------------------------------------------------------------------------

def due_dates(model, start: str, end: str, default: int = 1) -> list[str]:
    """The reporting due dates (ISO) of the plan that fall in [start, end]: from its mechanisms' 报送 items, or,
    when it states none, the last day of every `default`-th month (1 monthly, 3 quarterly; 0: none)."""
    items = [r for m in model.mechanisms for r in m.reporting]
    s, e = _d(start), _d(end)
    out: set[str] = set()
    months = []
    y, mo = s.year, s.month
    while (y, mo) <= (e.year, e.month):
        months.append((y, mo))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    if not items:
        if default <= 0:
            return []
        step = default
        for y, mo in months:
            if mo % step == 0:
                out.add(_month_end(y, mo))
        return sorted(out)
    for r in items:
        if r.period is None:
            if r.date and start <= r.date <= end:
                out.add(r.date)
            continue
        length = {"week": 1, "dekad": 1, "month": 1, "quarter": 3, "half_year": 6, "year": 12}[r.period]
        for y, mo in months:
            within = (mo - 1) % length + 1  # the month's place within its period (1-based)
            wanted = r.month if r.month is not None else (length if r.period != "month" else within)
            if r.period in ("week", "dekad", "month") or within == wanted:
                out.add(_month_end(y, mo))
    return sorted(out)


def _month_end(y: int, mo: int) -> str:
    import calendar
    return f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"


# -- indicators ------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Indicator:
    """A plan value a reported value is judged against."""

    label: str
    quantity: Quantity
    growth: bool


def indicator_table(model, symbols) -> tuple[dict[str, Goal], dict[str, list[Indicator]]]:
    """Indicator identities (goal ids, titles, aliases → goal) and the plan's values by identity key."""
    goal_of: dict[str, Goal] = {}
    for g in walk_goals(model.goals):
        for name in (g.id, g.title, *g.aliases):
            goal_of.setdefault(metric_key(name), g)
    table: dict[str, list[Indicator]] = {}

    def key(metric: str) -> str:
        g = goal_of.get(metric_key(metric))
        return metric_key(g.id) if g else metric_key(metric)

    for g in walk_goals(model.goals):
        k = metric_key(g.id)
        table.setdefault(k, []).extend(Indicator(g.title, q, True) for q in g.growth)
        table.setdefault(k, []).extend(Indicator(g.title, q, False) for q in g.total if not q.change)
        for t in g.targets:
            if t.quantity is not None and t.metric:
                table.setdefault(key(t.metric), []).append(
                    Indicator(t.metric, t.quantity, t.quantity.dimension in ("ratio", "points")))
    for task, _ in symbols.task_list:
        for t in task.targets:
            if t.quantity is not None and t.metric and not t.quantity.change:
                growth = t.quantity.dimension in ("ratio", "points") and (
                    "增长" in t.metric or "增速" in t.metric or "增长" in t.quantity.text)
                table.setdefault(key(t.metric), []).append(Indicator(t.metric, t.quantity, growth))
    return goal_of, table


def match(metric: str, growth: bool, task: Task | None, goal_of, table) -> list[Indicator]:
    """The plan values a reported metric is judged against: by the indicator's name (goal id, title, alias or a
    target's metric); an unnamed value (`完成：25.3亿元`) against the task's one indicator."""
    if not metric and task is not None:
        own = [t for t in task.targets if t.quantity is not None]
        if len(own) == 1:
            metric = own[0].metric
        elif len(task.supports) == 1:
            metric = task.supports[0]
    if not metric:
        return []
    g = goal_of.get(metric_key(metric))
    k = metric_key(g.id) if g else metric_key(metric)
    found = [i for i in table.get(k, []) if i.growth == growth]
    seen: set[tuple] = set()
    out = []
    for i in found:
        sig = (i.quantity.normalized, i.quantity.firmness, i.quantity.unit)
        if sig not in seen:
            seen.add(sig)
            out.append(i)
    return out


def judged(inds: list[Indicator]) -> Indicator | None:
    """The value an indicator is judged against: its 确保 (floor) value, else the first."""
    floor = [i for i in inds if i.quantity.firmness == "floor"]
    return (floor or inds or [None])[0]


def share(reached: Quantity, target: Quantity) -> float | None:
    """The share of a level target reached (0–…), or None when it cannot be computed."""
    if reached.normalized is None or target.normalized in (None, 0):
        return None
    return reached.normalized / target.normalized


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities measure the same thing (an unknown unit is given the benefit of the doubt)."""
    if "unknown" in (a.dimension, b.dimension):
        return True
    if {a.dimension, b.dimension} <= {"ratio", "points"}:
        return True
    return a.dimension == b.dimension


def firmness_zh(q: Quantity) -> str:
    return {"floor": "确保", "stretch": "力争", "expected": "预期"}.get(q.firmness or "", "")


def reports_before(history: list[ProgressReport], start: str) -> list[ProgressReport]:
    """Reports of periods that end before `start`, oldest first."""
    return sorted((r for r in history if r.end and r.end < start), key=lambda r: (r.end, r.period))


def last_state(history: list[ProgressReport], index: dict[str, Task]) -> dict[str, ProgressRecord]:
    """Each task's latest record (by task id) in a history, oldest first."""
    out: dict[str, ProgressRecord] = {}
    for rep in history:
        for rec in rep.records:
            t = index.get(rec.task)
            if t is not None:
                out[t.id] = rec
    return out
