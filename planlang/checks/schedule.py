"""Schedules: deadlines fit the plan period and the task tree, and dependencies do not loop (PL401–PL404)."""

from __future__ import annotations

from collections.abc import Iterator

from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Message, Related, Severity
from planlang.model.indicators import effective_due, latest_deadline
from planlang.model.nodes import Task


def deadline_outside_period(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL401 — deadline outside the plan period.

    What it checks: every dated deadline (2023-06-30, 2023年6月底前, 年底前 resolved against the plan year) lies
    within the plan's 周期. Ongoing (长期坚持) and recurring (每季度) deadlines are not dates and always fit.

    Why it matters: a 2023 plan with a task due 2024年6月底前 either has a typo in the year or promises work the
    plan will not follow up.

    Example (fails):   `周期：2023年` and `时限：2024年6月底前`
    Example (passes):  `时限：2023年6月底前`

    How to fix: correct the date, or the plan period if the plan really runs longer.

    【中文】
    检查内容：每个带日期的时限（2023-06-30、2023年6月底前，以及按方案年份推定的“年底前”）都在方案的 周期 之内。
    持续性（长期坚持）和周期性（每季度）的时限不是具体日期，不受此限。

    原因：2023 年的方案里出现“2024年6月底前”完成的任务，要么是年份写错了，要么是许下了本方案不会再跟踪的承诺。

    示例（不通过）：`周期：2023年`，而 `时限：2024年6月底前`
    示例（通过）：`时限：2023年6月底前`

    修改方法：改正日期；方案确实跨年实施的，改正方案的周期。
    """
    period = ctx.model.plan.period if ctx.model.plan else None
    if period is None or not period.start or not period.end:
        return
    for task, _ in ctx.tasks:
        for d in task.due:
            if d.kind == "date" and d.date and not (period.start <= d.date <= period.end):
                span = ctx.span_of(d) or ctx.span_of(task)
                yield Diagnostic("PL401", Severity.ERROR, span, Message(
                    f"时限 {d.text}（{d.date}）超出方案周期 {period.start} 至 {period.end}",
                    f"deadline {d.text} ({d.date}) is outside the plan period {period.start} to {period.end}"))


def child_after_parent(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL402 — a sub-task's deadline is later than its parent's.

    What it checks: a task's latest dated deadline is not later than the latest dated deadline of its nearest
    ancestor that has one.

    Why it matters: a section due 6月底前 cannot be done while one of its tasks runs to 9月底.

    Example (fails):   a section with `时限：2023年6月底前` holding a task with `时限：2023年9月底前`
    Example (passes):  the task due 2023年6月15日前

    How to fix: bring the sub-task forward, or move the section's deadline.

    【中文】
    检查内容：一项任务最晚的具体时限，不晚于它最近一个写有具体时限的上级任务的最晚时限。

    原因：6月底前要完成的章节，不可能包含一项做到 9月底的任务。

    示例（不通过）：章节写 `时限：2023年6月底前`，其中一项任务写 `时限：2023年9月底前`
    示例（通过）：该任务时限为 2023年6月15日前

    修改方法：把子任务的时限提前，或调整章节的时限。
    """
    bounds: dict[int, tuple[str, Task] | None] = {}  # task → (latest date, task): itself or nearest dated ancestor
    for t, up in ctx.tasks:  # (parents come before their children)
        bound = bounds[id(up)] if up is not None else None
        mine = latest_deadline(t)
        if mine and bound and mine > bound[0]:
            d = next(x for x in t.due if x.date == mine)
            parent = bound[1]
            yield Diagnostic("PL402", Severity.WARNING, ctx.span_of(d) or ctx.span_of(t), Message(
                f"子任务时限 {d.text}（{mine}）晚于上级任务“{parent.title}”的时限（{bound[0]}）",
                f"sub-task deadline {d.text} ({mine}) is later than that of '{parent.title}' ({bound[0]})"),
                related=[Related(s, Message("上级任务在此", "the parent task is here"))
                         for s in [ctx.span_of(parent)] if s])
        bounds[id(t)] = (mine, t) if mine else bound


def dependency_cycle(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL403 — dependency cycle between tasks.

    What it checks: following 依赖 (after) from task to task never comes back to where it started. The
    diagnostic lists every task of the cycle, in order, and points to each one.

    Why it matters: tasks that wait for each other never start; usually one 依赖 is the wrong way round.

    Example (fails):   `任务 甲 { 依赖：乙 }` and `任务 乙 { 依赖：甲 }`
    Example (passes):  `任务 甲 { }` and `任务 乙 { 依赖：甲 }`

    How to fix: remove or reverse one of the dependencies in the cycle.

    【中文】
    检查内容：沿着 依赖（前置任务）从一项任务走到下一项，不会绕回出发点。诊断按顺序列出环上的每项任务，并逐一指向它们。

    原因：互相等待的任务永远开不了头；通常是其中某个 依赖 写反了。

    示例（不通过）：`任务 甲 { 依赖：乙 }` 与 `任务 乙 { 依赖：甲 }`
    示例（通过）：`任务 甲 { }` 与 `任务 乙 { 依赖：甲 }`

    修改方法：删掉或反转环中的一个依赖。
    """
    edges: dict[str, list[str]] = {}
    tasks: dict[str, Task] = {}
    for t, _ in ctx.tasks:
        tasks[t.id] = t
        edges[t.id] = [a for a in t.after]
    color: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(start: str) -> Iterator[list[str]]:
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        color[start] = 1
        while stack:
            node, i = stack[-1]
            nxt = [n for n in edges.get(node, ()) if n in tasks]
            if i < len(nxt):
                stack[-1] = (node, i + 1)
                n = nxt[i]
                if color.get(n) == 1:
                    yield path[path.index(n):]
                elif not color.get(n):
                    color[n] = 1
                    stack.append((n, 0))
                    path.append(n)
            else:
                color[node] = 2
                stack.pop()
                path.pop()

    for tid in tasks:
        if color.get(tid):
            continue
        for cycle in visit(tid):
            key = frozenset(cycle)
            if key in reported:
                continue
            reported.add(key)
            names = [tasks[c].title or c for c in cycle]
            chain_zh = " → ".join([*names, names[0]])
            first = tasks[cycle[0]]
            yield Diagnostic("PL403", Severity.ERROR, ctx.span_of(first), Message(
                f"任务依赖形成循环：{chain_zh}", f"dependency cycle between tasks: {chain_zh}"),
                related=[Related(s, Message(f"循环中的任务“{tasks[c].title}”", f"task '{tasks[c].title}' in the cycle"))
                         for c in cycle[1:] for s in [ctx.span_of(tasks[c])] if s])


def task_without_deadline(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL404 — task without deadline (off by default).

    What it checks: every task without sub-tasks has a 时限, of its own or on an ancestor. Off by default; turn
    it on where the office requires a 时间节点 for every task (seed 001 does):
    `[tool.planlang] select = ["PL404"]` or `[tool.planlang.severity] PL404 = "warning"`.

    Why it matters: a task with no date cannot be dispatched at the 旬调度 or assessed at the year's end.

    Example (fails):   `任务 “精准谋划储备项目” { 牵头：区发改局 }`
    Example (passes):  `任务 “精准谋划储备项目” { 牵头：区发改局；时限：年底前 }`

    How to fix: add `时限：` to the task or its section (`长期坚持` or `每季度` where the work has no end date).

    【中文】
    检查内容：每项不再细分的任务都有 时限——自己写明或由上级任务给出。默认关闭；单位要求每项任务都写明时间节点的
    （如样本 001），可以打开：`[tool.planlang] select = ["PL404"]` 或 `[tool.planlang.severity] PL404 = "warning"`。

    原因：没有时间的任务，旬调度时无从调度，年底也无从考核。

    示例（不通过）：`任务 “精准谋划储备项目” { 牵头：区发改局 }`
    示例（通过）：`任务 “精准谋划储备项目” { 牵头：区发改局；时限：年底前 }`

    修改方法：在任务或它所在的章节加上 `时限：`（工作没有截止日期的，写 `长期坚持` 或 `每季度`）。
    """
    above: dict[int, list[Task]] = {}  # task → its ancestors, from the top
    for t, up in ctx.tasks:  # (parents come before their children)
        ancestors = above[id(t)] = [*above[id(up)], up] if up is not None else []
        if not t.children and not effective_due(t, ancestors)[0]:
            span = ctx.span_of(t)
            if span is not None:
                yield Diagnostic("PL404", Severity.WARNING, span, Message(
                    f"任务“{t.title}”没有时限", f"task '{t.title}' has no deadline"))
