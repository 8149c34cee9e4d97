"""Pydantic nodes of a progress file: a period's reports on an issued plan (进展), one record per task (记录).

A progress file is an ordinary `.plan` file that includes the plan it reports on and holds one or more `进展`
blocks for one period — one per reporting unit, or one for the whole period:

    引用 “../nanhu-2023.plan”
    进展 2023-06 {
      填报单位：区发改局
      填报日期：2023-06-25
      记录 投资 { 状态：推进中；进度：50%；进展情况：“…” }
    }
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planlang.model.nodes import Quantity, Target

State = Literal["not_started", "in_progress", "done", "lagging", "paused", "cancelled"]


def _list() -> list:
    return []


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProgressRecord(_Node):
    """One task's progress in the period."""

    task: str = Field(description="the task as written: its id or its 序号 (path, 2.1)")
    task_id: str | None = Field(None, description="the task's id once resolved against the plan")
    status: State | None = Field(None, description="未启动 / 推进中 / 已完成 / 滞后 / 暂缓 / 取消")
    reached: list[Target] = Field(default_factory=_list, description="value reached so far, per indicator (完成)")
    growth: list[Target] = Field(default_factory=_list, description="growth to date, per indicator (增长)")
    percent: float | None = Field(None, description="the share of the task done, 0–100 (进度)")
    summary: list[str] = Field(default_factory=_list, description="进展情况")
    problems: list[str] = Field(default_factory=_list, description="存在问题")
    next_steps: list[str] = Field(default_factory=_list, description="下步打算")
    note: list[str] = Field(default_factory=_list, description="说明 (e.g. why a done task is reopened)")
    filed_by: str | None = Field(None, description="the reporting unit (the record's own, else its report's)")
    filed_on: str | None = Field(None, description="ISO date of the report")


class ProgressReport(_Node):
    """A `进展` block: one period's report, from one unit or for all."""

    period: str = Field(description="the period as written: 2023-06 (a month), 2023-Q2 (a quarter), 2023 (a year)")
    start: str | None = Field(None, description="ISO first day of the period")
    end: str | None = Field(None, description="ISO last day of the period")
    filed_by: str | None = None
    filed_on: str | None = None
    records: list[ProgressRecord] = Field(default_factory=_list)


__all__ = ["ProgressRecord", "ProgressReport", "Quantity", "State", "Target"]
