"""Ownership: every task answers to somebody by name (PL201–PL205)."""

from __future__ import annotations

from collections.abc import Iterator

from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Message, Related, Severity
from planlang.model.nodes import Unit


def task_without_owner(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL201 — task has no owner.

    What it checks: every task without sub-tasks has a lead (牵头) or responsible (负责) unit, of its own or
    inherited from its nearest ancestor that names one. A section whose sub-tasks all have owners needs none
    itself. Cooperating units (配合) alone do not own a task.

    Why it matters: a task without an owner is the commonest defect of real plans (seeds 001 and 002 name no
    lead unit for any action): nobody is dispatched, reviewed or assessed for it.

    Example (fails):   `任务 “精准谋划储备项目” { 时限：年底前 }`
    Example (passes):  `任务 “精准谋划储备项目” { 牵头：区发改局；时限：年底前 }`

    How to fix: add `牵头：` (and `负责：` where others carry it out) to the task or to its section.

    【中文】
    检查内容：每项不再细分的任务都有牵头单位或责任单位——自己写明，或从最近一个写明了的上级任务继承。下级任务
    都已有责任单位的章节，本身可以不写。只有配合单位，不算有人负责。

    原因：任务没有责任单位，是实际方案中最常见的毛病（样本 001、002 的各项举措都没有写牵头单位）：没有人去调度，
    也没有人为它接受督查和考核。

    示例（不通过）：`任务 “精准谋划储备项目” { 时限：年底前 }`
    示例（通过）：`任务 “精准谋划储备项目” { 牵头：区发改局；时限：年底前 }`

    修改方法：在任务或它所在的章节写上 `牵头：`（由其他单位具体落实的，再写 `负责：`）。
    """
    for task, _ in ctx.tasks:
        if task.children:
            continue
        eff = task.effective_owners
        if eff.lead or eff.responsible:
            continue
        span = ctx.span_of(task)
        if span is None:
            continue
        yield Diagnostic(
            "PL201", Severity.ERROR, span,
            Message(f"任务“{task.title}”没有牵头或责任单位（自身和上级任务都未指定）",
                    f"task '{task.title}' has no lead or responsible unit (neither its own nor inherited)"),
        )


def _unit(ctx: CheckContext, name: str) -> Unit | None:
    return ctx.symbols.units.get(name)


def collective_only(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL202 — task owned only by collective units.

    What it checks: a task that names its own lead and responsible units where every one of them is a
    collective (`类型：集体` — 各街道办事处, 各乡镇, 各相关单位).

    Why it matters: "各街道办事处负责" shares the work among many and makes nobody accountable by name: no unit
    can be dispatched, reviewed or assessed for it.

    Example (fails):   `负责：各街道办事处`   (and no 牵头)
    Example (passes):  `牵头：区发改局；负责：各街道办事处`

    How to fix: name a lead unit that answers for the task; the collective can stay responsible.

    【中文】
    检查内容：任务自己写明的牵头和责任单位全部是集体单位（`类型：集体`，如各街道办事处、各乡镇、各相关单位）。

    原因：“各街道办事处负责”把工作分给了许多单位，却没有一个单位具体担责：调度、督查、考核时找不到对象。

    示例（不通过）：`负责：各街道办事处`（且没有写牵头）
    示例（通过）：`牵头：区发改局；负责：各街道办事处`

    修改方法：写明一个对任务负总责的牵头单位；集体单位可以继续作为责任单位。
    """
    for task, _ in ctx.tasks:
        owners = [*task.lead, *task.responsible]
        if not owners:
            continue
        units = [_unit(ctx, n) for n in owners]
        if all(u is not None and u.kind == "collective" for u in units):
            span = ctx.span_of(task)
            if span is not None:
                names = "、".join(owners)
                yield Diagnostic("PL202", Severity.WARNING, span, Message(
                    f"任务“{task.title}”只由集体单位（{names}）负责，没有具体的牵头单位",
                    f"task '{task.title}' is owned only by collective units ({', '.join(owners)}): nobody is "
                    f"accountable by name"))


_ROLE_ZH = {"lead": "牵头", "responsible": "负责", "cooperate": "配合"}


def two_roles(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL203 — the same unit holds two roles in one task.

    What it checks: no unit appears in two of a task's own 牵头 / 负责 / 配合 lists.

    Why it matters: a unit that leads and cooperates on the same task muddles the 任务分工表; usually one of the
    two entries is a slip, or the unit meant is another one.

    Example (fails):   `牵头：区发改局；配合：区发改局、区财政局`
    Example (passes):  `牵头：区发改局；配合：区财政局`

    How to fix: keep the unit in one role only.

    【中文】
    检查内容：同一个单位不在一项任务自己的 牵头、负责、配合 中出现两次。

    原因：同一单位既牵头又配合同一项任务，会把任务分工表弄乱；这通常是其中一处写错了，或者本来指的是另一个单位。

    示例（不通过）：`牵头：区发改局；配合：区发改局、区财政局`
    示例（通过）：`牵头：区发改局；配合：区财政局`

    修改方法：让这个单位只保留一个角色。
    """
    for task, _ in ctx.tasks:
        seen: dict[str, str] = {}
        for role in ("lead", "responsible", "cooperate"):
            for name in getattr(task, role):
                if name in seen and seen[name] != role:
                    span = _ref_span(ctx, task, role, name) or ctx.span_of(task)
                    first = _ref_span(ctx, task, seen[name], name)
                    yield Diagnostic("PL203", Severity.WARNING, span, Message(
                        f"“{name}”在任务“{task.title}”中既是{_ROLE_ZH[seen[name]]}又是{_ROLE_ZH[role]}单位",
                        f"'{name}' is both {seen[name]} and {role} unit of task '{task.title}'"),
                        related=[Related(first, Message("另一个角色在此", "the other role is here"))] if first else [])
                seen.setdefault(name, role)


def _ref_span(ctx: CheckContext, node: object, field: str, name: str):
    for r in ctx.symbols.refs:
        if r.ref.node is node and r.ref.field == field and (r.canonical or r.ref.name) == name:
            return r.ref.span
    return None


def lead_not_in_working_group(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL204 — a lead unit is not a member of the working group (专班) that dispatches the plan.

    What it checks: when the plan has a 专班 or 领导小组 with members, every unit that leads a task is one of
    its members (or its office, convener or deputy). Collective units (各街道…) are not expected to sit on it.

    Why it matters: the 专班 dispatches, reviews and assesses the lead units; a lead unit outside it is never
    called to the 旬调度 and its tasks drift.

    Example (fails):   `成员：区发改局、区财政局` and a task with `牵头：区住建局`
    Example (passes):  add 区住建局 to the 专班's 成员

    How to fix: add the unit to the working group's 成员, or correct the lead unit.

    【中文】
    检查内容：方案设有带成员的工作专班或领导小组时，每个牵头单位都是其成员（或其办公室、召集人、副召集人）。
    集体单位（各街道……）不要求进专班。

    原因：专班负责对牵头单位调度、督查和考核；不在专班里的牵头单位不会被叫去参加旬调度，它牵头的任务容易无人过问。

    示例（不通过）：专班 `成员：区发改局、区财政局`，而某项任务 `牵头：区住建局`
    示例（通过）：把区住建局加入专班的 成员

    修改方法：把该单位加入专班的 成员，或改正任务的牵头单位。
    """
    groups = [m for m in ctx.model.mechanisms if m.kind in ("working_group", "leading_group") and m.members]
    if not groups:
        return
    seated: set[str] = set()
    for g in groups:
        seated.update(g.members, g.office)
        seated.update(o.name for o in (*g.convener, *g.deputy, *g.lead))
    group = groups[0]
    for task, _ in ctx.tasks:
        for name in task.lead:
            unit = _unit(ctx, name)
            if unit is None or unit.kind == "collective" or unit.id in seated:
                continue
            span = _ref_span(ctx, task, "lead", name) or ctx.span_of(task)
            gspan = ctx.span_of(group)
            yield Diagnostic("PL204", Severity.WARNING, span, Message(
                f"牵头单位“{name}”不是“{group.title}”的成员单位", f"lead unit '{name}' is not a member of '{group.title}'"),
                related=[Related(gspan, Message("工作专班在此", "the working group is here"))] if gspan else [])


def unconfirmed_owner() -> None:
    """PL205 — owner phrase to confirm.

    What it checks: every `待确认` (`unconfirmed`) line, in any block. `planlang import` writes one for each
    owner-like phrase of the source it could not place — a note it could not read as units, a leader or a
    deadline. Reported by the front end while reading the line.

    Why it matters: an owner the importer could not place is an owner that may be lost; the draft must not check
    clean until a person has decided what the phrase says.

    Example (fails):   `待确认：“县工商联牵头，确保按时完成”`
    Example (passes):  `牵头：县工商联`   (the phrase written as a field, the 待确认 line deleted)

    How to fix: write what the phrase says as 牵头 / 负责 / 配合 / 责任领导 / 时限, then delete the line.

    【中文】
    检查内容：任何块中的每一行 `待确认`（`unconfirmed`）。`planlang import` 遇到原文中无法归位的责任表述（无法读成单位、
    责任领导或时限的说明）时，为每一处写一行 `待确认`。由前端在读取该行时报告。

    原因：导入程序无法归位的责任表述，可能就是丢失的责任单位；在有人核定之前，草稿不能通过检查。

    示例（不通过）：`待确认：“县工商联牵头，确保按时完成”`

    示例（通过）：`牵头：县工商联`（把表述改写为字段，并删除待确认行）

    修改方法：把表述的意思写成 牵头 / 负责 / 配合 / 责任领导 / 时限，然后删除该行。
    """
