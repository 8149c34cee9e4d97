"""Each task's latest reported state, for the editor: hover and inlay hints on a plan show what its progress
files say — 状态, 进度, each 完成值 against its target, the period reported, overdue or behind 序时进度.

The progress files are the plan's own: the `.plan` files of `进展/` beside it (as `planlang status` reads them)
that include it. They are read lazily, on the first request after a compilation, from memory while a file's
size and modification time stay the same, else from the result cache by content (`history.cached_file`), so a
progress file saved or changed on disk is seen at the next request; what they say of the plan is worked out once
per compilation and state of the files (`latest_of`'s memo), not at every hover. A task's state is judged as `planlang
status` judges it (`status._task_status`, as of the end of the latest reported period), computed only for the
tasks asked about.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planlang.model.nodes import Task
from planlang.progress import history, track
from planlang.progress.model import ProgressRecord, ProgressReport
from planlang.progress.status import CATEGORY_ZH, STATE_ZH, TaskStatus, _task_status, progress_dir


@dataclass(slots=True)
class Latest:
    """The progress of one plan as of its latest report: task id → (report, record), and what judging needs."""

    as_of: str
    elapsed: float | None
    latest: dict[str, tuple[ProgressReport, ProgressRecord]]
    start: str | None
    end: str | None
    tolerance: float
    goal_of: dict
    table: dict
    sections: dict[str, str]
    parents: dict
    memo: dict

    def state(self, task: Task) -> TaskStatus | None:
        """The task's latest state (None when no record names it)."""
        hit = self.latest.get(task.id)
        if hit is None:
            return None
        return _task_status(task, hit, self.sections.get(task.id, task.id), self.as_of, self.elapsed,
                            self.tolerance, self.goal_of, self.table, {}, self.start, self.end, self.memo,
                            self.parents)


# per plan: the folder's signature (names, sizes, modification times) and the files that name the plan
_FILES: dict[Path, tuple[tuple, list[history.ProgressFile]]] = {}


def plan_files(plan: Path) -> tuple[tuple, list[history.ProgressFile]]:
    """The progress files of `进展/` beside the plan that include it, in name order (re-read when one changes),
    with the folder's signature they were read at."""
    folder = progress_dir(plan, None)
    paths = history.folder_files(folder)
    sig = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        sig.append((p.name, st.st_size, st.st_mtime_ns))
    key = tuple(sig)
    hit = _FILES.get(plan)
    if hit is None or hit[0] != key:
        files = [pf for p in paths if (pf := history.cached_file(p)) is not None and pf.reports and pf.names(plan)]
        hit = _FILES[plan] = (key, files)
    return hit


def latest_of(result, memo: dict | None = None) -> Latest | None:
    """The latest progress of the plan a compilation is rooted at (None for a progress file, or a plan with no
    progress files that name it). With `memo` (kept by the caller for this compilation), it is worked out once
    for each state of the progress files: hover and inlay hints ask for it on every request."""
    if not result.files or result.files[0].fragment.progress:
        return None
    key, files = plan_files(result.files[0].path)
    if memo is None:
        return _latest(result, files)
    if key not in memo:
        memo.clear()
        memo[key] = _latest(result, files)
    return memo[key]


def _latest(result, files: list[history.ProgressFile]) -> Latest | None:
    plan = result.files[0].path
    if not files:
        return None
    model, symbols = result.model, result.symbols
    reports = sorted((r for f in files for r in f.reports if r.end), key=lambda r: (r.end, r.period))
    if not reports:
        return None
    as_of = reports[-1].end
    idx = track.task_index(symbols, model)
    latest: dict[str, tuple[ProgressReport, ProgressRecord]] = {}
    for rep in reports:
        for rec in rep.records:
            t = idx.get(rec.task)
            if t is not None:
                latest[t.id] = (rep, rec)
    start, end = track.plan_span_dates(model)
    sections: dict[str, str] = {}
    top: dict[str, str] = {}
    for t, parent in symbols.task_list:
        top[t.id] = top.get(parent.id, parent.id) if parent is not None else t.id
        sections[t.id] = top[t.id]
    goal_of, table = track.indicator_table(model, symbols)
    return Latest(as_of, track.elapsed_share(start, end, as_of), latest, start, end, _tolerance(plan), goal_of,
                  table, sections, track.parents_of(symbols), {})


def _tolerance(plan: Path) -> float:
    from planlang.checks.settings import settings_from
    from planlang.config import ConfigError, load_config

    try:
        return float(settings_from(load_config(plan)).options.get("PL604", {}).get("tolerance", 0.0))
    except (ConfigError, OSError, TypeError, ValueError):
        return 0.0


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def hover_lines(ts: TaskStatus) -> list[str]:
    """Markdown paragraphs for a task's hover."""
    head = f"**进展（{ts.reported}）**：{STATE_ZH[ts.state]}"
    if ts.percent is not None:
        head += f"，进度 {ts.percent:g}%"
    if ts.overdue:
        head += f"，**逾期**（时限 {ts.due}）"
    head += f" — {CATEGORY_ZH[ts.category]}"
    lines = [head]
    for ind in ts.indicators:
        if ind.growth:
            lines.append(f"{ind.metric}：累计增长 {ind.reached}，目标 {ind.judged}" + ("（欠进度）" if ind.behind else ""))
        else:
            lines.append(f"{ind.metric}：完成 {ind.reached}，为 {ind.judged} 的 {_pct(ind.share)}，"
                         f"序时进度 {_pct(ind.elapsed)}" + ("（欠进度）" if ind.behind else ""))
    if ts.problems:
        lines.append("存在问题：" + "；".join(ts.problems))
    return lines


def hint_label(ts: TaskStatus) -> str:
    """A short inlay label: period, state, progress and what is wrong."""
    parts = [f"{ts.reported} {STATE_ZH[ts.state]}"]
    if ts.progress is not None:
        parts.append(f"{ts.progress:.0%}")
    if ts.overdue:
        parts.append("逾期")
    elif ts.category == "behind":
        parts.append("欠进度")
    return " 进展：" + " · ".join(parts)


def task_hover(result, task: Task, memo: dict | None = None) -> list[str]:
    """The hover paragraphs of a task's latest state ([] when it has none); `memo` as for `latest_of`."""
    found = latest_of(result, memo)
    ts = found.state(task) if found is not None else None
    return hover_lines(ts) if ts is not None else []
