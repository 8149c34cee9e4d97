"""The result of comparing two plans: pydantic models, the single source of `planlang diff --format json` and
its JSON Schema (`schema/diff.schema.json`)."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DIFF_SCHEMA_VERSION = 1

Role = Literal["lead", "responsible", "cooperate", "collect"]
ROLE_ZH: dict[str, str] = {"lead": "牵头", "responsible": "负责", "cooperate": "配合", "collect": "汇总"}
Entity = Literal["plan", "unit", "goal", "task", "mechanism", "text"]
ENTITY_ZH: dict[str, str] = {"plan": "方案", "unit": "单位", "goal": "目标", "task": "任务", "mechanism": "机制",
                             "text": "文本"}
Kind = Literal["added", "removed", "renamed", "moved", "owners", "leaders", "deadline", "indicator",
               "description", "field"]


def _list() -> list:
    return []


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RoleChange(_Node):
    """One unit's roles in a task or goal before and after (empty: none)."""

    unit: str = Field(description="the unit id")
    before: list[Role] = Field(default_factory=_list)
    after: list[Role] = Field(default_factory=_list)


class TextEdit(_Node):
    """One piece of a word-level text diff."""

    op: Literal["equal", "delete", "insert"]
    text: str


class Change(_Node):
    """One change, as one row of a 修改对照表: what it was (before), what it is (after), and the note."""

    entity: Entity = Field(description="what changed: the plan header, a unit, goal, task, mechanism or text part")
    kind: Kind = Field(description="added, removed, renamed, moved, owners, leaders, deadline, indicator, "
                                   "description, or another field (`field` names it)")
    id: str = Field(description="the id in the new version (the old one for a removed item)")
    old_id: str | None = Field(None, description="the id in the old version, when it differs")
    title: str = Field(description="the title in the new version (the old one for a removed item)")
    old_location: str | None = Field(None, description="a task's number in the old version (二、（一）)")
    new_location: str | None = Field(None, description="a task's number in the new version")
    field: str | None = Field(None, description="the field that changed (growth, total, members, 指标 name …)")
    before: str | None = Field(None, description="the old value as written (原稿)")
    after: str | None = Field(None, description="the new value as written (修改稿)")
    note: str = Field(description="the 修改说明, in Chinese")
    before_value: float | None = Field(None, description="an indicator's old value, normalized to its base unit")
    after_value: float | None = Field(None, description="an indicator's new value, normalized to its base unit")
    base_unit: str | None = Field(None, description="the base unit of before_value / after_value (元, ratio …)")
    roles: list[RoleChange] = Field(default_factory=_list, description="units whose roles changed")
    units: list[str] = Field(default_factory=_list,
                             description="the units concerned: every unit owning the item in either version")
    edits: list[TextEdit] = Field(default_factory=_list, description="a description's word-level diff")


class Side(_Node):
    """One of the two versions compared."""

    file: str = Field(description="the file as named on the command line (or the path git names)")
    title: str | None = None


class DiffReport(_Node):
    """What `planlang diff --format json` writes."""

    schema_version: int = DIFF_SCHEMA_VERSION
    old: Side
    new: Side
    unit: str | None = Field(None, description="with --unit: the unit the changes are filtered for")
    changes: list[Change] = Field(default_factory=_list)


def diff_schema() -> dict:
    schema = DiffReport.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def diff_schema_json() -> str:
    """The schema as committed in `schema/diff.schema.json`."""
    return json.dumps(diff_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def report_json(report: DiffReport) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
