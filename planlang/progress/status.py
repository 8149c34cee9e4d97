"""`planlang status`: where a plan stands, from its progress files — per task the latest state, the overdue,
behind-schedule and unreported lists, completion per unit and per section, the 通报 categories and a light.

The plan is compiled once through the pipeline; each progress file of the folder is read through its front half
(parse → build) and its records are resolved against the compiled plan.

Categories (as 督查 notices count them, of all tasks that are reported on — the leaves of the task tree):
- done (已完成/提前完成): the latest state is 已完成;
- ahead (超进度): not done, and its progress (the lowest share of an indicator's target reached, else 进度 %)
  is at least 序时进度 + `margin` (5 points);
- on_schedule (达进度): progress within [序时进度 − tolerance, 序时进度 + margin), or a qualitative task in progress
  whose 时限 has not passed;
- behind (欠进度): progress below 序时进度 − tolerance, state 滞后, or past its 时限 and not done;
- other (其他): not reported, not started while not yet due, 暂缓 or 取消.
Unreported: for every month from the first reported period to the date in which a report was due (the plan's
报送, else monthly), the units that owed one and filed none.
Lights: red = behind; yellow = other; green = done, ahead, on schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planlang.model.nodes import Task
from planlang.progress import track
from planlang.progress.history import ProgressFile, read_folder
from planlang.progress.model import ProgressRecord, ProgressReport

Category = Literal["done", "ahead", "on_schedule", "behind", "other"]
Light = Literal["green", "yellow", "red"]
CATEGORY_ZH = {"done": "已完成/提前完成", "ahead": "超进度", "on_schedule": "达进度", "behind": "欠进度", "other": "其他"}
STATE_ZH = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "lagging": "滞后", "paused": "暂缓",
            "cancelled": "取消", None: "未报告"}
MARGIN = 0.05


def _list() -> list:
    return []


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PeriodShare(_Node):
    """An indicator's share reached at the end of one period, against 序时进度 then."""

    period: str
    end: str
    reached: str = Field(description="the value reported, as written")
    share: float | None = Field(None, description="share of the judged target reached (growth: reached / target)")
    elapsed: float | None = Field(None, description="序时进度 at the period's end")


class IndicatorStatus(_Node):
    """One indicator a task reports on."""

    metric: str
    growth: bool = Field(description="a growth rate (judged against the target growth) rather than a level")
    targets: list[str] = Field(description="the plan's values, as written (确保 and 力争 both)")
    judged: str = Field(description="the value judged against: the 确保 value when there is one")
    reached: str
    share: float | None = None
    elapsed: float | None = None
    behind: bool
    history: list[PeriodShare] = Field(default_factory=_list)


class TaskStatus(_Node):
    """A task's latest state as of the date."""

    id: str
    path: str = Field(description="序号: the task's place in the outline")
    number: str
    title: str
    section: str = Field(description="the id of its top-level task")
    units: list[str] = Field(description="the units that report on it (effective lead, else responsible)")
    due: str | None = Field(None, description="the date it is due: its last dated 时限, else its nearest ancestor's, "
                                                   "else the end of the plan period")
    state: Literal["not_started", "in_progress", "done", "lagging", "paused", "cancelled"] | None = None
    reported: str | None = Field(None, description="the period of its latest record")
    percent: float | None = None
    progress: float | None = Field(None, description="share done: lowest indicator share, else 进度 / 100")
    overdue: bool = False
    category: Category
    light: Light
    indicators: list[IndicatorStatus] = Field(default_factory=_list)
    summary: list[str] = Field(default_factory=_list)
    problems: list[str] = Field(default_factory=_list)
    next_steps: list[str] = Field(default_factory=_list)


class Count(_Node):
    category: Category
    label: str
    count: int
    share: float


class GroupStatus(_Node):
    """Completion of a unit's or a section's tasks."""

    id: str
    title: str
    tasks: int
    done: int
    behind: int
    overdue: int
    share_done: float
    light: Light


class Unreported(_Node):
    period: str
    unit: str
    tasks: int


class Status(_Node):
    """What `planlang status --format json` writes."""

    schema_version: int = 1
    plan: str
    title: str
    as_of: str
    period: str | None = Field(None, description="the latest reported period ending on or before as_of")
    elapsed: float | None = Field(None, description="序时进度 as of the date")
    files: list[str] = Field(default_factory=_list, description="the progress files read")
    tasks: list[TaskStatus] = Field(default_factory=_list)
    categories: list[Count] = Field(default_factory=_list)
    overdue: list[str] = Field(default_factory=_list, description="task ids")
    behind: list[str] = Field(default_factory=_list, description="task ids, overdue ones included")
    unreported: list[Unreported] = Field(default_factory=_list)
    units: list[GroupStatus] = Field(default_factory=_list)
    sections: list[GroupStatus] = Field(default_factory=_list)
    unknown_records: list[str] = Field(default_factory=_list, description="records naming no task (PL601)")


@dataclass(slots=True)
class Loaded:
    """The plan's compilation (what status reads of it: `planview.PlanView`) and its progress files."""

    result: object
    files: list[ProgressFile]


def progress_dir(plan: Path, given: Path | None) -> Path:
    """The progress folder: given, else `进展/` beside the plan."""
    return given if given is not None else plan.parent / "进展"


def load(plan: Path, folder: Path | None = None, settings=None, use_cache: bool = True) -> Loaded:
    """Compile the plan and read the progress files of its folder (both through the result cache unless
    `use_cache` is False)."""
    from planlang.cache import Cache
    from planlang.progress import history, planview

    view = planview.compile_view(plan, settings, None if use_cache else Cache(planview.KIND, False))
    base = progress_dir(plan, folder)
    files = read_folder(base, base.parent, None if use_cache else Cache(history.KIND, False))
    return Loaded(view, files)


def _months(start: str, end: str) -> list[tuple[str, str, str]]:
    import calendar

    y, m = int(start[:4]), int(start[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= end[:7]:
        out.append((f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def compute(loaded: Loaded, as_of: str | None = None, tolerance: float = 0.0, default: int = 1) -> Status:
    """The plan's status as of a date (default: the end of the latest reported period)."""
    result = loaded.result
    model, symbols = result.model, result.symbols
    reports: list[ProgressReport] = [r for f in loaded.files for r in f.reports if r.end]
    if as_of is None:
        as_of = max((r.end for r in reports), default=None) or (model.plan.period.start if model.plan and
                                                                 model.plan.period and model.plan.period.start
                                                                 else "2000-01-01")
    reports = sorted((r for r in reports if r.end <= as_of), key=lambda r: (r.end, r.period))
    idx = track.task_index(symbols, model)
    start, end = track.plan_span_dates(model)
    elapsed = track.elapsed_share(start, end, as_of)
    goal_of, table = track.indicator_table(model, symbols)
    latest: dict[str, tuple[ProgressReport, ProgressRecord]] = {}
    series: dict[tuple[str, str, bool], list[PeriodShare]] = {}
    unknown: list[str] = []
    memo: dict = {}
    for rep in reports:
        el = track.elapsed_share(start, end, rep.end)
        for rec in rep.records:
            t = idx.get(rec.task)
            if t is None:
                unknown.append(f"{rep.period} {rec.task}")
                continue
            latest[t.id] = (rep, rec)
            for growth, v, inds, j, s in _judged_values(rec, t, goal_of, table, memo):
                series.setdefault((t.id, metric_of(v.metric, j), growth), []).append(
                    PeriodShare(period=rep.period, end=rep.end, reached=v.quantity.text, share=s,
                                elapsed=None if growth else el))
    tasks: list[TaskStatus] = []
    parents = track.parents_of(symbols)
    section_of: dict[str, str] = {}
    for top in model.tasks:
        for t, _ in _walk(top):
            section_of[t.id] = top.id
    for t, _ in symbols.task_list:
        if t.children:
            continue
        tasks.append(_task_status(t, latest.get(t.id), section_of.get(t.id, t.id), as_of, elapsed, tolerance,
                                  goal_of, table, series, start, end, memo, parents))
    counts = []
    n = len(tasks) or 1
    for cat in ("done", "ahead", "on_schedule", "behind", "other"):
        c = sum(1 for ts in tasks if ts.category == cat)
        counts.append(Count(category=cat, label=CATEGORY_ZH[cat], count=c, share=c / n))
    status = Status(plan=model.plan.id if model.plan else "", title=model.plan.title if model.plan else "",
                    as_of=as_of, period=reports[-1].period if reports else None, elapsed=elapsed,
                    files=[f.shown for f in loaded.files], tasks=tasks, categories=counts,
                    overdue=[ts.id for ts in tasks if ts.overdue],
                    behind=[ts.id for ts in tasks if ts.category == "behind"], unknown_records=unknown)
    status.unreported = _unreported(model, symbols, reports, idx, start, as_of, default)
    status.units = _groups(tasks, lambda ts: ts.units, {u.id: u.full_name or u.id for u in model.units})
    status.sections = _groups(tasks, lambda ts: [ts.section], {t.id: t.title for t in model.tasks},
                              order=[t.id for t in model.tasks])
    return status


def metric_of(metric: str, ind) -> str:
    return metric or ind.label


def _walk(t: Task):
    yield t, None
    for c in t.children:
        yield from _walk(c)


def _judged_values(rec: ProgressRecord, t: Task, goal_of, table, memo: dict | None = None):
    """Each value a record reports (完成 levels, then 增长 rates) with the plan's indicators it answers to, the
    one it is judged against (确保 before 力争) and the share of it reached; values no indicator takes are left
    out (PL606 reports those). `memo` keeps the indicators found per task, name, kind and dimension (a task
    reports the same indicators period after period)."""
    for growth, values in ((False, rec.reached), (True, rec.growth)):
        for v in values:
            key = (t.id, v.metric, growth, v.quantity.dimension)
            found = memo.get(key) if memo is not None else None
            if found is None:
                inds = [i for i in track.match(v.metric, growth, t, goal_of, table)
                        if track.compatible(i.quantity, v.quantity)]
                found = (inds, track.judged(inds))
                if memo is not None:
                    memo[key] = found
            inds, j = found
            if j is not None:
                yield growth, v, inds, j, track.share(v.quantity, j.quantity)


def _task_status(t: Task, latest, section: str, as_of: str, elapsed, tol: float, goal_of, table, series,
                 start, end, memo: dict | None = None, parents: dict | None = None) -> TaskStatus:
    rep, rec = latest if latest else (None, None)
    state = rec.status if rec else None
    due = track.deadline(t, parents or {}, end)
    overdue = bool(due and due < as_of and state not in track.DONE_STATES)
    indicators: list[IndicatorStatus] = []
    if rec is not None:
        for growth, v, inds, j, s in _judged_values(rec, t, goal_of, table, memo):
            el = None if growth else track.elapsed_share(start, end, rep.end)
            behind = (s is not None and s < 1 - 1e-12) if growth else (
                s is not None and el is not None and s < el - tol)
            metric = metric_of(v.metric, j)
            indicators.append(IndicatorStatus(
                metric=metric, growth=growth, targets=[i.quantity.text for i in inds], judged=j.quantity.text,
                reached=v.quantity.text, share=s, elapsed=el, behind=behind,
                history=series.get((t.id, metric, growth), [])))
    shares = [i.share for i in indicators if not i.growth and i.share is not None]
    progress = min(shares) if shares else (rec.percent / 100 if rec and rec.percent is not None else None)
    if state == "done":
        cat = "done"
    elif overdue or state == "lagging" or any(i.behind for i in indicators):
        cat = "behind"
    elif state in (None, "paused", "cancelled") or (state == "not_started"):
        cat = "other"
    elif progress is not None and elapsed is not None:
        cat = "ahead" if progress >= elapsed + MARGIN else ("behind" if progress < elapsed - tol else "on_schedule")
    else:
        cat = "on_schedule"
    light = {"done": "green", "ahead": "green", "on_schedule": "green", "behind": "red", "other": "yellow"}[cat]
    return TaskStatus(
        id=t.id, path=t.path, number=t.number, title=t.title, section=section, units=track.accountable(t),
        due=due, state=state, reported=rep.period if rep else None, percent=rec.percent if rec else None,
        progress=progress, overdue=overdue, category=cat, light=light, indicators=indicators,
        summary=list(rec.summary) if rec else [], problems=list(rec.problems) if rec else [],
        next_steps=list(rec.next_steps) if rec else [])


def _unreported(model, symbols, reports, idx, start, as_of, default) -> list[Unreported]:
    if not start:
        return []
    out: list[Unreported] = []
    state: dict[str, ProgressRecord] = {}
    tracked_from = min((r.start for r in reports if r.start), default=None)
    if tracked_from is None:
        return []
    for label, first, last in _months(max(start, tracked_from), as_of):
        owed_dates = [d for d in track.due_dates(model, first, last, default) if d <= as_of]
        in_month = [r for r in reports if r.start and r.start <= last <= r.end]
        filed = {track.unit_id(symbols, r.filed_by) for r in in_month}
        filed |= {track.unit_id(symbols, rec.filed_by) for r in in_month for rec in r.records}
        if owed_dates:
            owed: dict[str, int] = {}
            for t, _ in symbols.task_list:
                rec = state.get(t.id)
                if rec is not None and rec.status in track.DONE_STATES:
                    continue
                for u in track.accountable(t):
                    unit = symbols.units.get(u)
                    if unit is not None and unit.kind not in ("collective", "position", "external"):
                        owed[unit.id] = owed.get(unit.id, 0) + 1
            period = in_month[0].period if in_month else label
            out.extend(Unreported(period=period, unit=u, tasks=c) for u, c in sorted(owed.items()) if u not in filed)
        state.update(track.last_state(in_month, idx))
    return out


def _groups(tasks: list[TaskStatus], keys, titles: dict[str, str], order: list[str] | None = None) -> list[GroupStatus]:
    groups: dict[str, list[TaskStatus]] = {}
    for ts in tasks:
        for k in keys(ts):
            groups.setdefault(k, []).append(ts)
    ids = [k for k in (order or sorted(groups)) if k in groups]
    out = []
    for k in ids:
        g = groups[k]
        done = sum(1 for ts in g if ts.category == "done")
        behind = sum(1 for ts in g if ts.category == "behind")
        light = "red" if behind else ("green" if all(ts.light == "green" for ts in g) else "yellow")
        out.append(GroupStatus(id=k, title=titles.get(k, k), tasks=len(g), done=done, behind=behind,
                               overdue=sum(1 for ts in g if ts.overdue), share_done=done / len(g), light=light))
    return out
