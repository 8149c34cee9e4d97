"""Pydantic nodes of a plan. They are the single source of the compile output and its JSON Schema.

Spans never appear in the output: the builder records them in its fragment, keyed by node, for the checks and the
editor.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = 1

Comparator = Literal["ge", "gt", "le", "lt", "approx", "eq"]
Firmness = Literal["floor", "stretch", "expected"]


def _list() -> list:
    """`default_factory=list` as a Python function. pydantic inspects every default factory's signature when it
    builds a class: a builtin's is parsed from its text signature with the tokenizer, and a model class's is
    generated (hence `lambda: Workload()`). Together ~10 ms of the command line's start."""
    return []


# How resolution (model/resolve.py) derives a field from the whole plan. Each node class declares its derived
# fields in `derived`, beside the fields; resolution and the editor's incremental build (model/incremental.py)
# both read that declaration, and a test fails when resolution writes a field a class does not declare.
FOLD = "fold"  # rewrites the builder's value (names folded to unit ids, dates read against the plan year): a
#                node resolved again (the incremental build replays built nodes) first gets the builder's value back
FILL = "fill"  # fills it from empty (a unit's tasks, a goal's supporting tasks): resolution empties it first
SET = "set"  # sets it on every node, whatever it held


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid")

    derived: ClassVar[dict[str, str]] = {}


def derived_fields(cls: type, how: str) -> tuple[str, ...]:
    """The fields of a node class that resolution derives in the way `how` (FOLD, FILL or SET)."""
    key = (cls, how)
    got = _DERIVED.get(key)
    if got is None:
        got = _DERIVED[key] = tuple(f for f, h in getattr(cls, "derived", {}).items() if h == how)
    return got


_DERIVED: dict[tuple[type, str], tuple[str, ...]] = {}


class Quantity(_Node):
    """A number with its unit of measure, as written and normalized (52亿元 → 5200000000 元)."""

    text: str = Field(description="the value as written")
    value: float = Field(description="the number as written")
    unit: str = Field(description="the unit of measure as written, magnitude included (亿元, %, 家)")
    normalized: float | None = Field(None, description="the value in the base unit (元, ratio, 家 …)")
    base_unit: str | None = Field(None, description="the base unit: 元, ratio, percentage_point, 平方米, a count word …")
    dimension: str = Field(description="what is measured: money, ratio, points, area, mass, length, count:家 …")
    comparator: Comparator | None = Field(None, description="以上/不低于 ge, 突破/超过 gt, 以内/不超过 le, 左右 approx")
    firmness: Firmness | None = Field(None, description="确保 floor, 力争 stretch, 预期 expected")
    annual: bool = Field(False, description="an average annual rate (年均)")
    sign: Literal[1, -1] = Field(1, description="-1 for a decrease (下降, 减少)")
    change: Literal["increase", "decrease"] | None = Field(
        None, description="the value is an amount of change, not a level: 增加 2亿元, 新增 40家, 提高 2个百分点, "
                          "减少 1000吨 (a rate in % stays a rate)")


class Baseline(_Node):
    """The base year and value an indicator grows from."""

    text: str
    year: int | None = None
    quantity: Quantity | None = None


class Target(_Node):
    """A named indicator value: metric and quantity (争资争项 力争1.9亿元)."""

    text: str
    metric: str
    quantity: Quantity | None = None
    relation: Literal["sync", "eq", "gt", "ge", "lt", "le"] | None = Field(
        None, description="a relational target, kept as such: sync (与经济增长基本同步), gt (高于全市平均水平) …")
    reference: str | None = Field(None, description="what a relational target is measured against (经济增长)")


class Deadline(_Node):
    """A deadline: a date (normalized to ISO), ongoing work, or a recurring one."""

    text: str
    kind: Literal["date", "ongoing", "recurring"]
    date: str | None = Field(None, description="ISO date of the deadline, resolved against the plan period")
    cadence: str | None = Field(None, description="for recurring deadlines: day, week, dekad, month, quarter, half_year, year")
    note: str | None = Field(None, description="what is due at this milestone")


class Cadence(_Node):
    """How often a mechanism acts: 旬调度 → dekad + 调度."""

    text: str
    period: Literal["day", "week", "dekad", "month", "quarter", "half_year", "year"]
    action: str | None = None


class Reporting(_Node):
    """When a mechanism's reports are due and to whom: 每月25日前 报 区督查室 → month, day 25, recipient."""

    text: str = Field(description="the item as written")
    period: Literal["week", "dekad", "month", "quarter", "half_year", "year"] | None = Field(
        None, description="how often a report is due; null for a one-off date")
    month: int | None = Field(None, description="the month within the period (1-based: 3 = a quarter's last "
                                                "month, 6 = 年中, 12 = 年末); null: every month of the period")
    day: int | None = Field(None, description="the day of the month it is due by (25 for 25日前), or the weekday "
                                              "(1–7) for a weekly report; null: the end of the period or month")
    date: str | None = Field(None, description="ISO date of a one-off report (6月底前), against the plan year")
    recipient: str | None = Field(None, description="the unit the report goes to (a unit id)")
    what: str | None = Field(None, description="what is reported, when written (a quoted text)")


class Period(_Node):
    """The plan period."""

    text: str
    start: str | None = None
    end: str | None = None


class Owner(_Node):
    """Who holds a role: a declared unit, a mechanism, or a position written as text."""

    name: str
    kind: Literal["unit", "mechanism", "position"]


class Workload(_Node):
    """A unit's tasks by role (task ids)."""

    lead: list[str] = Field(default_factory=_list)
    responsible: list[str] = Field(default_factory=_list)
    cooperate: list[str] = Field(default_factory=_list)
    collect: list[str] = Field(default_factory=_list, description="tasks whose 汇总 (collecting) unit it is")


class Unit(_Node):
    """An organisation, collective or position that can own work."""

    id: str
    full_name: str | None = None
    kind: Literal["department", "collective", "enterprise", "position", "external"] = "department"
    aliases: list[str] = Field(default_factory=_list)
    description: list[str] = Field(default_factory=_list)
    file: str = Field(description="the file that declares it, relative to the workspace root")
    tasks: Workload = Field(default_factory=lambda: Workload(), description="tasks that name this unit, by role")

    derived: ClassVar[dict[str, str]] = {"tasks": FILL}


class Goal(_Node):
    """A goal: an indicator with growth, total, baseline and targets, a qualitative goal, or a group."""

    id: str
    title: str
    aliases: list[str] = Field(default_factory=_list, description="other names of the indicator (引资总额)")
    description: list[str] = Field(default_factory=_list)
    growth: list[Quantity] = Field(default_factory=_list)
    total: list[Quantity] = Field(default_factory=_list)
    baseline: Baseline | None = None
    targets: list[Target] = Field(default_factory=_list)
    key: bool = False
    lead: list[str] = Field(default_factory=_list)
    responsible: list[str] = Field(default_factory=_list)
    cooperate: list[str] = Field(default_factory=_list)
    collector: list[str] = Field(default_factory=_list, description="the unit(s) that collect and report (汇总)")
    open_ended: bool = Field(False, description="an owner list with an item closed by 等")
    etc_after: list[str] = Field(default_factory=_list, description="the owners an 等 follows, where the list "
                                                                     "writes it (区财政局 in 区发改局、区财政局等，各街道)")
    effective_owners: "EffectiveOwners | None" = Field(
        None, description="the owners as read under the plan's conventions (约定), when the goal names any")
    leaders: list[str] = Field(default_factory=_list, description="the leaders the goal names itself (责任领导)")
    effective_leaders: list[str] = Field(
        default_factory=_list, description="its own leaders, else its nearest ancestor group's, else the plan's")
    leaders_inherited_from: str | None = Field(
        None, description="where the effective leaders come from when inherited: a goal id, or \"plan\"")
    supported_by: list[str] = Field(default_factory=_list, description="ids of the tasks that name this goal")
    children: list["Goal"] = Field(default_factory=_list)

    derived: ClassVar[dict[str, str]] = {
        "lead": FOLD, "responsible": FOLD, "cooperate": FOLD, "collector": FOLD, "etc_after": FOLD,
        "effective_owners": SET, "effective_leaders": SET, "leaders_inherited_from": SET, "supported_by": FILL}


class EffectiveOwners(_Node):
    """The owners a task answers to: its own, or those of its nearest ancestor that names any."""

    lead: list[str] = Field(default_factory=_list)
    responsible: list[str] = Field(default_factory=_list)
    cooperate: list[str] = Field(default_factory=_list)
    collect: list[str] = Field(default_factory=_list, description="the 汇总 (collecting) unit(s): own, inherited or "
                               "derived by the first-collects convention")
    lead_convention: Literal["first-leads", "responsible-leads"] | None = Field(
        None, description="the plan convention (约定) that derived `lead` from the responsible units; null when "
                          "the lead is written")
    collect_convention: Literal["first-collects"] | None = Field(
        None, description="the plan convention that derived `collect`; null when written or inherited")
    inherited_from: str | None = Field(None, description="id of the ancestor the owners come from, if inherited")
    leaders: list[str] = Field(default_factory=_list,
                               description="the leaders (责任领导): the task's own, else its nearest ancestor's, else the plan's")
    leaders_inherited_from: str | None = Field(
        None, description="where the leaders come from when inherited: an ancestor task id, or \"plan\"")


class Task(_Node):
    """A task; tasks nest to any depth. `number` is derived from the position (一、（一）1.（1）)."""

    id: str
    number: str
    path: str = Field(description="position in the tree, 1-based: 2.1.3")
    title: str
    description: list[str] = Field(default_factory=_list)
    lead: list[str] = Field(default_factory=_list)
    responsible: list[str] = Field(default_factory=_list)
    cooperate: list[str] = Field(default_factory=_list)
    collector: list[str] = Field(default_factory=_list, description="the unit(s) that collect and report (汇总)")
    open_ended: bool = Field(False, description="an owner list with an item closed by 等")
    etc_after: list[str] = Field(default_factory=_list, description="the owners an 等 follows, where the list "
                                                                     "writes it (区财政局 in 区发改局、区财政局等，各街道)")
    leaders: list[str] = Field(default_factory=_list, description="the leaders the task names itself (责任领导)")
    effective_owners: EffectiveOwners = Field(default_factory=lambda: EffectiveOwners())
    targets: list[Target] = Field(default_factory=_list)
    supports: list[str] = Field(default_factory=_list)
    due: list[Deadline] = Field(default_factory=_list)
    after: list[str] = Field(default_factory=_list)
    children: list["Task"] = Field(default_factory=_list)
    _explicit_id: bool = PrivateAttr(default=False)

    derived: ClassVar[dict[str, str]] = {
        "id": FOLD, "number": SET, "path": SET, "lead": FOLD, "responsible": FOLD, "cooperate": FOLD,
        "collector": FOLD, "etc_after": FOLD, "effective_owners": SET, "due": FILL}


class Mechanism(_Node):
    """A review or organising mechanism: 专班, 领导小组, 调度, 通报, 讲评, 督查, 考核, 问责."""

    id: str
    title: str
    kind: Literal[
        "working_group", "leading_group", "dispatch", "report", "review", "inspection", "assessment",
        "accountability",
    ] | None = None
    description: list[str] = Field(default_factory=_list)
    convener: list[Owner] = Field(default_factory=_list)
    deputy: list[Owner] = Field(default_factory=_list)
    lead: list[Owner] = Field(default_factory=_list)
    members: list[str] = Field(default_factory=_list)
    office: list[str] = Field(default_factory=_list)
    cadence: list[Cadence] = Field(default_factory=_list)
    reporting: list[Reporting] = Field(default_factory=_list, description="when reports are due and to whom (报送)")
    covers: list[str] = Field(default_factory=_list)

    derived: ClassVar[dict[str, str]] = {
        "convener": FOLD, "deputy": FOLD, "lead": FOLD, "members": FOLD, "office": FOLD, "reporting": FOLD}


class TextPart(_Node):
    """A free-text part of the document, kept as written (指导思想, 基本原则, 存在问题 …)."""

    id: str
    title: str
    paragraphs: list[str] = Field(default_factory=_list)


class NumberingLevel(_Node):
    """How one level of the outline numbers its items: the marker as written for the level's first number
    (一、 （一） 1. （1） ① 一是 —— 无 略), read as its style, the text around the number, and the first number."""

    marker: str
    style: Literal["chinese", "arabic", "circled", "dash", "none", "omit"] = Field(
        description="chinese 一二三, arabic 1 2 3, circled ①②③, dash ——, none (no number), omit (略: not shown)")
    prefix: str = ""
    suffix: str = ""
    start: int = 1
    continuous: bool = Field(False, description="the numbers run on across parents instead of restarting (连续)")
    run_in: bool = Field(False, description="items are paragraphs that open with the marker, not headings (一是, ——, 无)")


class Numbering(_Node):
    """The document's own outline numbering, stated once on the plan (`编号`): the levels of the document
    (chapters first), and the levels each kind of block uses from its top level down."""

    text: str = Field(description="the value as written")
    document: list[NumberingLevel] = Field(description="the document's levels, chapters (一、) first")
    goals: list[NumberingLevel] = Field(description="the goals' levels from their top level down")
    tasks: list[NumberingLevel] = Field(description="the tasks' levels from their top level down")
    mechanisms: list[NumberingLevel] = Field(description="the mechanisms' level")


class PlanInfo(_Node):
    """The plan's own header."""

    id: str
    title: str
    issuer: list[str] = Field(default_factory=_list)
    period: Period | None = None
    doc_number: str | None = None
    issued: str | None = None
    conventions: list[Literal["first-leads", "first-collects", "responsible-leads"]] = Field(
        default_factory=_list, description="how the owner lists are read (约定): first-leads 首位牵头, first-collects "
                                           "首位汇总, responsible-leads 责任即牵头")
    leaders: list[str] = Field(default_factory=_list, description="the plan's overall leaders (…负总责)")
    numbering: "Numbering | None" = Field(None, description="the document's outline numbering, when the plan states it")
    description: list[str] = Field(default_factory=_list)

    derived: ClassVar[dict[str, str]] = {"issuer": FOLD}


class CompiledPlan(_Node):
    """What `planlang compile` writes: the resolved plan."""

    schema_version: int = SCHEMA_VERSION
    plan: PlanInfo | None = None
    files: list[str] = Field(default_factory=_list, description="files read, relative to the workspace root")
    units: list[Unit] = Field(default_factory=_list)
    goals: list[Goal] = Field(default_factory=_list)
    tasks: list[Task] = Field(default_factory=_list)
    mechanisms: list[Mechanism] = Field(default_factory=_list)
    texts: list[TextPart] = Field(default_factory=_list)
