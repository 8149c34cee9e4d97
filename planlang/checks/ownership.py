"""Ownership: every task answers to somebody (PL201)."""

from __future__ import annotations

from collections.abc import Iterator

from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Message, Severity
from planlang.model.resolve import walk_tasks


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
    """
    for task, _ in walk_tasks(ctx.model.tasks):
        if task.children:
            continue
        eff = task.effective_owners
        if eff.lead or eff.responsible:
            continue
        span = ctx.symbols.spans.get(id(task))
        if span is None:
            continue
        yield Diagnostic(
            "PL201", Severity.ERROR, span,
            Message(f"任务“{task.title}”没有牵头或责任单位（自身和上级任务都未指定）",
                    f"task '{task.title}' has no lead or responsible unit (neither its own nor inherited)"),
        )
