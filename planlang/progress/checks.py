"""Progress: the records of a progress file against the plan it reports on (PL601–PL607).

The rules see the progress file's `进展` blocks (the fragments' `progress`) and, for PL603 and PL607, the
reports of earlier periods in the same folder (`ctx.history`). A plan without progress files is never affected.
"""

from __future__ import annotations

from collections.abc import Iterator

from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Message, Severity
from planlang.progress import track
from planlang.progress.build import span_of_status
from planlang.suggest import suggest


def _reports(ctx: CheckContext):
    """(report, fragment) for every 进展 block of the compilation."""
    for frag in ctx.fragments:
        for rep in frag.progress:
            yield rep, frag


def _has_reports(ctx: CheckContext) -> bool:
    return any(frag.progress for frag in ctx.fragments)


def _index(ctx: CheckContext):
    idx = ctx.memo.get("progress.index")
    if idx is None:
        idx = ctx.memo["progress.index"] = track.task_index(ctx.symbols, ctx.model)
    return idx


def _span(frag, node):
    return frag.spans.get(id(node))


def unknown_task(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL601 — progress record for a task that does not exist.

    What it checks: every `记录` (`record`) in a progress file names a task of the plan it includes, by the
    task's id or by its 序号 (its place in the outline, 2.1, as printed on the 推进情况表). A name that matches
    none is reported with the nearest ids.

    Why it matters: a report on a task the plan does not have is counted nowhere: the task it meant stays
    unreported and the 通报 is wrong.

    Example (fails):   `记录 招商引子 { 状态：推进中 }`
    Example (passes):  `记录 招商 { 状态：推进中 }`   (or `记录 3 { … }`, its 序号)

    How to fix: write the task's id or 序号 as the plan has it.

    【中文】
    检查内容：进展文件中的每条 `记录`（`record`）都要指向所引用方案中的一项任务：写任务标识，或写任务在提纲中的序号
    （2.1，即推进情况表上的序号）。找不到的，报告并给出最接近的标识。

    原因：对方案中不存在的任务的报告哪里也不计入：本应报告的任务仍算未报，通报就会出错。

    示例（不通过）：`记录 招商引子 { 状态：推进中 }`

    示例（通过）：`记录 招商 { 状态：推进中 }`（或 `记录 3 { … }`，写序号）

    修改方法：按方案写出任务的标识或序号。
    """
    if not _has_reports(ctx):  # a plan, not a progress file: nothing to index
        return
    idx = _index(ctx)
    cands = {t.id: t.id for t, _ in ctx.tasks}
    for rep, frag in _reports(ctx):
        for rec in rep.records:
            if rec.task in idx:
                continue
            span = _span(frag, rec)
            if span is None:
                continue
            sugg = suggest(rec.task, cands)
            hint_zh = f"，是否想写“{sugg[0]}”？" if sugg else ""
            hint_en = f"; did you mean '{sugg[0]}'?" if sugg else ""
            yield Diagnostic("PL601", Severity.ERROR, span, Message(
                f"方案中没有任务“{rec.task}”{hint_zh}", f"the plan has no task '{rec.task}'{hint_en}"), suggestions=sugg)


def filed_by_non_owner(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL602 — progress filed by a unit that does not own the task.

    What it checks: the unit that files a record (`填报单位`, on the record or on its `进展` block) is one of the
    task's owners as the plan reads them — lead, responsible, cooperating or collecting (汇总) unit, its own or
    inherited, or an owner of one of its sub-tasks.

    Why it matters: a report from a unit that is not responsible is either misfiled (wrong 序号) or a unit
    reporting for another; either way the owner's own report is missing.

    Example (fails):   `进展 2023-06 { 填报单位：区财政局；记录 1.1 { 状态：推进中 } }`  (1.1 is 区发改局's)
    Example (passes):  `进展 2023-06 { 填报单位：区发改局；记录 1.1 { 状态：推进中 } }`

    How to fix: check the record's task, or have the owner file it (a 汇总 unit is an owner).

    【中文】
    检查内容：填报记录的单位（记录或所在 `进展` 块的 `填报单位`）应是方案所定的该任务责任单位之一：牵头、负责、配合或
    汇总单位（本身的或继承的），或其子任务的责任单位。

    原因：非责任单位的报告，要么是序号填错了，要么是替别的单位报；无论哪种，责任单位自己的报告都缺了。

    示例（不通过）：`进展 2023-06 { 填报单位：区财政局；记录 1.1 { 状态：推进中 } }`（1.1 由区发改局牵头）

    示例（通过）：`进展 2023-06 { 填报单位：区发改局；记录 1.1 { 状态：推进中 } }`

    修改方法：核对记录的任务，或由责任单位填报（汇总单位也算责任单位）。
    """
    if not _has_reports(ctx):  # a plan, not a progress file: nothing to index
        return
    idx = _index(ctx)
    for rep, frag in _reports(ctx):
        for rec in rep.records:
            task = idx.get(rec.task)
            unit = track.unit_id(ctx.symbols, rec.filed_by)
            if task is None or unit is None:
                continue
            own = track.owners(task)
            if not own or unit in own:
                continue
            span = _span(frag, rec)
            if span is not None:
                listed = "、".join(sorted(own))
                yield Diagnostic("PL602", Severity.WARNING, span, Message(
                    f"“{unit}”不是任务“{task.title or task.id}”的责任单位（{listed}）",
                    f"'{unit}' does not own task '{task.title or task.id}' ({listed})"))


def overdue(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL603 — task past its deadline and not 已完成 (overdue).

    What it checks: as of the last day of the report's period, every task whose deadline has passed is
    reported 已完成 (or 取消). A task's deadline is its last dated 时限, else that of its nearest ancestor that
    states one, else the end of the plan period (`周期`): a plan's tasks are its period's work. The task's state
    is its record in this period, else its latest record of an earlier period in the same folder; a task with no
    record at all is not done. Reported at the record, or at the period's `进展` header for a task without one.

    Why it matters: overdue tasks are the first list of every 通报.

    Example (fails):   a task with `时限：2023年5月底前`, and in `进展 2023-06`: `记录 T { 状态：推进中 }`
    Example (passes):  `记录 T { 状态：已完成 }`

    How to fix: finish the task and report it done, or record why it is late in 存在问题 (the finding stays
    until it is done).

    【中文】
    检查内容：截至报告期最后一天，时限已过的任务都应报为已完成（或取消）。任务的时限取其最后一个具体时限；自身没有时限的，
    取最近一级写明时限的上级任务的时限；都没有的，以方案周期（`周期`）结束日为时限——方案中的任务就是方案周期内的工作。
    任务的状态取本期的记录，没有则取同一文件夹中此前各期最近的记录；从未报告的任务视为未完成。在记录处报告；没有记录的
    任务在该期 `进展` 块头处报告。

    原因：逾期未完成的任务是每份通报的第一张清单。

    示例（不通过）：任务 `时限：2023年5月底前`，在 `进展 2023-06` 中 `记录 T { 状态：推进中 }`

    示例（通过）：`记录 T { 状态：已完成 }`

    修改方法：完成任务并报已完成，或在存在问题中写明滞后原因（完成前该提示一直存在）。
    """
    if not _has_reports(ctx):  # a plan, not a progress file: nothing to index
        return
    idx = _index(ctx)
    reports = list(_reports(ctx))
    if not reports:
        return
    by_period: dict[str, list] = {}
    for rep, frag in reports:
        if rep.end:
            by_period.setdefault(rep.end, []).append((rep, frag))
    parents = {t.id: parent for t, parent in ctx.tasks}
    plan_end = track.plan_span_dates(ctx.model)[1]
    for end, group in sorted(by_period.items()):
        earlier = track.last_state(track.reports_before(ctx.history, group[0][0].start or end), idx)
        now: dict[str, tuple] = {}
        for rep, frag in group:
            for rec in rep.records:
                t = idx.get(rec.task)
                if t is not None:
                    now[t.id] = (rec, frag)
        for t, _ in ctx.tasks:
            due = track.deadline(t, parents, plan_end)
            if due is None or due >= end:
                continue
            rec, frag = now.get(t.id, (earlier.get(t.id), None))
            state = rec.status if rec is not None else None
            if state in track.DONE_STATES:
                continue
            if t.children and all(track.deadline(c, parents, plan_end) for c in t.children):
                continue  # a section: its sub-tasks are reported one by one
            span = _span(frag, rec) if frag is not None else _span(group[0][1], group[0][0])
            if span is None:
                continue
            zh_state = {"not_started": "未启动", "in_progress": "推进中", "lagging": "滞后", "paused": "暂缓"}.get(
                state or "", "未报告")
            yield Diagnostic("PL603", Severity.WARNING, span, Message(
                f"任务“{t.title or t.id}”时限 {due} 已过，截至 {end} 仍{zh_state}",
                f"task '{t.title or t.id}' was due {due} and is not done as of {end} ({state or 'not reported'})"))


def behind_schedule(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL604 — indicator behind 序时进度.

    What it checks: for each value reported in `完成` against a level indicator of the plan (a task's 指标, a
    goal's 总量), the share of the target reached is not below 序时进度 — the share of the plan period elapsed at
    the end of the report's period — minus a tolerance (rule option `tolerance`, a share, default 0). A value
    in `增长` (growth to date) is behind when it is below the target growth. The judged target is the 确保 value
    when the plan gives one, else its first value; the message shows the share of every target (确保 and 力争).

    Why it matters: 欠进度 (behind 序时) items are what a 月通报 lists and follows up.

    Example (fails):   target `社零 力争 52亿元`, plan 2023; `进展 2023-06`: `完成：社零 20亿元`  (38% < 49.6%)
    Example (passes):  `完成：社零 26亿元`  (50% ≥ 49.6%)

    How to fix: none in the file — the finding is the news; say why in 存在问题 and what comes in 下步打算.

    【中文】
    检查内容：`完成` 中对照方案数量指标（任务的指标、目标的总量）填报的数值，完成比例不低于序时进度（报告期末时方案周期
    已过去的比例）减去容差（规则选项 `tolerance`，比例，默认 0）。`增长` 中填报的累计增速低于目标增速即为落后。以
    “确保”值为准，没有则以第一个值为准；提示中列出对每个目标值（确保、力争）的完成比例。

    原因：欠进度（慢于序时）的事项正是月通报要列出并跟踪的。

    示例（不通过）：目标 `社零 力争 52亿元`，方案周期 2023 年；`进展 2023-06` 中 `完成：社零 20亿元`（38% < 49.6%）

    示例（通过）：`完成：社零 26亿元`（50% ≥ 49.6%）

    修改方法：文件中无需修改——这正是要通报的情况；在存在问题中说明原因，在下步打算中写明措施。
    """
    if not _has_reports(ctx):  # a plan, not a progress file: nothing to index
        return
    tol = float(ctx.option("PL604", "tolerance", 0.0))
    idx = _index(ctx)
    goal_of, table = track.indicator_table(ctx.model, ctx.symbols)
    start, end = track.plan_span_dates(ctx.model)
    for rep, frag in _reports(ctx):
        if not rep.end:
            continue
        elapsed = track.elapsed_share(start, end, rep.end)
        for rec in rep.records:
            task = idx.get(rec.task)
            for t in rec.reached:
                inds = [i for i in track.match(t.metric, False, task, goal_of, table)
                        if track.compatible(i.quantity, t.quantity)]
                j = track.judged(inds)
                if j is None or elapsed is None:
                    continue
                s = track.share(t.quantity, j.quantity)
                if s is None or s >= elapsed - tol:
                    continue
                shown = "，".join(f"{track.firmness_zh(i.quantity)}{i.quantity.text.removeprefix(track.firmness_zh(i.quantity)).strip()}"
                                 f"的{track.share(t.quantity, i.quantity):.1%}" for i in inds
                                 if track.share(t.quantity, i.quantity) is not None)
                shown_en = ", ".join(f"{track.share(t.quantity, i.quantity):.1%} of {i.quantity.text}" for i in inds
                                     if track.share(t.quantity, i.quantity) is not None)
                span = _span(frag, t)
                if span is not None:
                    yield Diagnostic("PL604", Severity.WARNING, span, Message(
                        f"“{t.metric or j.label}”完成 {t.quantity.text}，为{shown}，低于序时进度 {elapsed:.1%}",
                        f"'{t.metric or j.label}' reached {t.quantity.text}: {shown_en}, behind 序时进度 {elapsed:.1%}"))
            for t in rec.growth:
                inds = [i for i in track.match(t.metric, True, task, goal_of, table)
                        if i.quantity.dimension == "ratio" and t.quantity.dimension == "ratio"]
                j = track.judged(inds)
                if j is None or t.quantity.normalized is None or j.quantity.normalized is None:
                    continue
                if t.quantity.normalized * t.quantity.sign >= j.quantity.normalized * j.quantity.sign - 1e-12:
                    continue
                shown = "，".join(i.quantity.text for i in inds)
                span = _span(frag, t)
                if span is not None:
                    yield Diagnostic("PL604", Severity.WARNING, span, Message(
                        f"“{t.metric or j.label}”累计增长 {t.quantity.text}，低于目标增速（{shown}）",
                        f"'{t.metric or j.label}' grew {t.quantity.text} to date, below the target growth ({shown})"))


def unreported_unit(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL605 — an owner unit filed no report for a period it owed one.

    What it checks: for the period of a progress file, every unit that owes a report has filed at least one
    record (`填报单位`). A unit owes one when it is the effective lead (else a responsible unit) of a task that is
    not yet done or cancelled, and a reporting date of the plan falls in the period: the 报送 items of its
    mechanisms (`报送：每月25日前 报 区督查室`, `每季度最后一个月30日前`, `年中、年末`); a plan that states none is
    reported on monthly (rule option `months`: 1 monthly, 3 quarterly, 6, 12; 0 for none). Collectives
    and positions (各街道办事处, 区长) file nothing themselves and are not counted. Reported at the period's first
    `进展` header.

    Why it matters: "不按时报送的予以通报" — units that did not report are named in the 通报.

    Example (fails):   `进展 2023-06 { 填报单位：区发改局 … }`, while 区财政局 leads open tasks
    Example (passes):  a second `进展 2023-06 { 填报单位：区财政局 … }` in the same file

    How to fix: get the unit's report in (`planlang track import` merges returned 推进情况表).

    【中文】
    检查内容：对进展文件所属期间，每个应报送的单位都至少填报了一条记录（`填报单位`）。单位是某项未完成（未取消）任务的
    牵头单位（没有牵头时为负责单位），且方案的报送时间落在本期内，就应报送：报送时间取自机制的 报送 项（`报送：每月25日前
    报 区督查室`、`每季度最后一个月30日前`、`年中、年末`）；方案没有写报送时间的，按月报送（规则选项 `months`：
    1 按月，3 按季，6、12；0 表示不要求）。集体单位和职务（各街道办事处、区长）不单独报送，不计入。
    在该期第一个 `进展` 块头处报告。

    原因：“不按时报送的予以通报”——未报送的单位要在通报中点名。

    示例（不通过）：`进展 2023-06 { 填报单位：区发改局 … }`，而区财政局牵头的任务尚未完成

    示例（通过）：同一文件中再写 `进展 2023-06 { 填报单位：区财政局 … }`

    修改方法：催收该单位的报告（`planlang track import` 可合并收回的推进情况表）。
    """
    default = int(ctx.option("PL605", "months", 1))
    if not _has_reports(ctx):  # a plan, not a progress file: nothing to index
        return
    reports = list(_reports(ctx))
    idx = _index(ctx)
    by_period: dict[tuple, list] = {}
    for rep, frag in reports:
        if rep.start and rep.end:
            by_period.setdefault((rep.start, rep.end), []).append((rep, frag))
    for (start, end), group in sorted(by_period.items()):
        if not track.due_dates(ctx.model, start, end, default):
            continue
        filed = {track.unit_id(ctx.symbols, r.filed_by) for rep, _ in group for r in rep.records}
        filed |= {track.unit_id(ctx.symbols, rep.filed_by) for rep, _ in group}
        state = track.last_state(track.reports_before(ctx.history, start), idx)
        for rep, _ in group:
            for r in rep.records:
                t = idx.get(r.task)
                if t is not None:
                    state[t.id] = r
        owed: dict[str, list[str]] = {}
        for t, _ in ctx.tasks:
            rec = state.get(t.id)
            if rec is not None and rec.status in track.DONE_STATES:
                continue
            for u in track.accountable(t):
                unit = ctx.symbols.units.get(u)
                if unit is None or unit.kind in ("collective", "position", "external"):
                    continue
                owed.setdefault(unit.id, []).append(t.id)
        rep0, frag0 = group[0]
        span = _span(frag0, rep0)
        if span is None:
            continue
        for u in sorted(owed):
            if u in filed:
                continue
            yield Diagnostic("PL605", Severity.WARNING, span, Message(
                f"“{u}”本期（{rep0.period}）应报送而未报送（{len(owed[u])} 项任务）",
                f"'{u}' owed a report for {rep0.period} and filed none ({len(owed[u])} tasks)"))


def incompatible_value(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL606 — reported value in a unit incompatible with the indicator.

    What it checks: a value reported in `完成` is measured like the plan's indicator it names (money with
    money — 亿元 and 万元 are compatible —, 家 with 家, a share with a share); a value in `增长` is a rate (%).

    Why it matters: 25.3 家 against a target of 52亿元 cannot be put on the 推进情况表; usually the unit or the
    indicator name is mistyped.

    Example (fails):   target `社零 力争突破 52亿元`; `完成：社零 25.3家`
    Example (passes):  `完成：社零 25.3亿元`

    How to fix: write the value in the indicator's unit, or name the right indicator.

    【中文】
    检查内容：`完成` 中填报的数值与所指方案指标的计量方式一致（金额对金额——亿元与万元相容——，家对家，比例对比例）；
    `增长` 中的数值是增速（%）。

    原因：对 52亿元 的目标填报 25.3家，无法计入推进情况表；通常是单位或指标名写错了。

    示例（不通过）：目标 `社零 力争突破 52亿元`；`完成：社零 25.3家`

    示例（通过）：`完成：社零 25.3亿元`

    修改方法：按指标的计量单位填写数值，或写对指标名称。
    """
    if not _has_reports(ctx):  # a plan, not a progress file: nothing to index
        return
    idx = _index(ctx)
    goal_of, table = track.indicator_table(ctx.model, ctx.symbols)
    for rep, frag in _reports(ctx):
        for rec in rep.records:
            task = idx.get(rec.task)
            for t in rec.reached:
                inds = track.match(t.metric, False, task, goal_of, table)
                if inds and not any(track.compatible(i.quantity, t.quantity) for i in inds):
                    span = _span(frag, t)
                    if span is not None:
                        i = inds[0].quantity
                        yield Diagnostic("PL606", Severity.ERROR, span, Message(
                            f"“{t.metric or inds[0].label}”的完成值 {t.quantity.text} 与指标 {i.text} 的计量单位不相容",
                            f"'{t.metric or inds[0].label}': {t.quantity.text} is incompatible with the indicator's "
                            f"{i.text}"))
            for t in rec.growth:
                if t.quantity.dimension not in ("ratio", "points", "unknown"):
                    span = _span(frag, t)
                    if span is not None:
                        yield Diagnostic("PL606", Severity.ERROR, span, Message(
                            f"累计增长应为百分比，而不是 {t.quantity.text}",
                            f"growth to date must be a rate (%), not {t.quantity.text}"))


def reopened_without_note(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL607 — a task goes back from 已完成 without a note.

    What it checks: a task whose latest earlier record (an earlier period in the same folder) says 已完成, and
    whose record in this period says anything else, has a `说明` (`description`) that says why.

    Why it matters: a task reported done is counted in the 通报's 已完成 column; taking it back silently makes
    the numbers of two months disagree with no trace of why.

    Example (fails):   May `记录 T { 状态：已完成 }`, June `记录 T { 状态：推进中 }`
    Example (passes):  June `记录 T { 状态：推进中；说明：“验收未通过，重新整改” }`

    How to fix: add a `说明` saying why the task is open again, or correct the state.

    【中文】
    检查内容：此前一期（同一文件夹中较早的期间）最近一次记录为“已完成”的任务，本期记录为其他状态时，应有 `说明`
    写明原因。

    原因：报为已完成的任务已计入通报的“已完成”栏；悄悄收回会让两个月的数字对不上，又无从查考。

    示例（不通过）：5月 `记录 T { 状态：已完成 }`，6月 `记录 T { 状态：推进中 }`

    示例（通过）：6月 `记录 T { 状态：推进中；说明：“验收未通过，重新整改” }`

    修改方法：补写 `说明` 讲清为何重新打开，或更正状态。
    """
    if not _has_reports(ctx):  # a plan, not a progress file: nothing to index
        return
    idx = _index(ctx)
    for rep, frag in _reports(ctx):
        if not rep.start:
            continue
        earlier = track.last_state(track.reports_before(ctx.history, rep.start), idx)
        for rec in rep.records:
            t = idx.get(rec.task)
            if t is None or rec.status in (None, "done") or rec.note:
                continue
            prev = earlier.get(t.id)
            if prev is None or prev.status != "done":
                continue
            span = span_of_status(frag.spans, rec) or _span(frag, rec)
            if span is not None:
                yield Diagnostic("PL607", Severity.WARNING, span, Message(
                    f"任务“{t.title or t.id}”此前已报完成，本期改为其他状态却没有说明原因",
                    f"task '{t.title or t.id}' was reported done before and is open again without a note"))
