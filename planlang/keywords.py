"""The one bilingual table of block keywords, field names and enumerated values.

Every Chinese and English spelling of a keyword lives here and nowhere else: the front end, the checker's
did-you-mean, the formatter's language conversion and the language server's completion all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class Word:
    """One keyword: its canonical name in code, its Chinese and English forms, and accepted aliases."""

    name: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    doc: str = ""

    def spellings(self) -> tuple[str, ...]:
        """Every accepted spelling, canonical forms first."""
        return (self.zh, self.en, *self.aliases)


class ValueKind(str, Enum):
    """How a field's value is read."""

    TEXT = "text"  # free text (one item, or the whole value as written)
    UNITS = "units"  # unit references
    OWNERS = "owners"  # unit / mechanism references or quoted positions
    NAMES = "names"  # plain names (aliases)
    PEOPLE = "people"  # positions or names of leaders, not checked
    GOALS = "goals"  # goal references
    TASKS = "tasks"  # task or mechanism references
    MEASURES = "measures"  # quantities with firmness and comparator
    BASELINE = "baseline"  # year and quantity
    TARGETS = "targets"  # metric + measure
    DEADLINES = "deadlines"  # dates, ongoing or recurring, with optional notes
    PERIOD = "period"  # plan period
    DATE = "date"
    ENUM = "enum"
    CADENCES = "cadences"
    FLAG = "flag"
    CONVENTIONS = "conventions"  # a list of enumerated conventions (OWNER_CONVENTIONS)
    REPORTING = "reporting"  # reporting dates, each with an optional recipient unit and what is reported


BLOCKS: tuple[Word, ...] = (
    Word("plan", "方案", "plan", ("计划",), "the plan itself (工作方案 / 实施方案)"),
    Word("include", "引用", "include", ("导入",), "bring in another .plan file"),
    Word("unit", "单位", "unit", (), "an organisation, collective or position that can own work"),
    Word("goal", "目标", "goal", (), "a goal, an indicator, or a group of goals"),
    Word("task", "任务", "task", ("措施",), "a task; tasks nest to any depth"),
    Word("mechanism", "机制", "mechanism", (), "a review or organising mechanism (专班, 调度, 督查, 考核 …)"),
    Word("text", "文本", "text", ("正文",), "a free-text part kept as written (指导思想, 基本原则 …)"),
    # progress files (进展/2023-06.plan): a period's reports on an issued plan, one record per task
    Word("progress", "进展", "progress", ("推进情况", "进展报告"),
         "a period's progress report on the plan it includes: 进展 2023-06 { 填报单位：… 记录 … }"),
    Word("record", "记录", "record", ("事项",), "one task's progress in the period, named by task id or 序号"),
)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field name, the blocks that accept it, how its value is read, and whether it may repeat."""

    word: Word
    kind: ValueKind
    blocks: tuple[str, ...]
    repeat: bool = False


def _f(name: str, zh: str, en: str, kind: ValueKind, blocks: tuple[str, ...], aliases: tuple[str, ...] = (),
       doc: str = "", repeat: bool = False) -> FieldSpec:
    return FieldSpec(Word(name, zh, en, aliases, doc), kind, blocks, repeat)


_ALL = ("plan", "unit", "goal", "task", "mechanism", "text", "progress", "record")

FIELDS: tuple[FieldSpec, ...] = (
    _f("title", "标题", "title", ValueKind.TEXT, _ALL, (), "the block's title"),
    _f("description", "说明", "description", ValueKind.TEXT, _ALL, ("内容", "content"),
       "a paragraph of text; repeat for more paragraphs", repeat=True),
    _f("issuer", "制定单位", "issuer", ValueKind.UNITS, ("plan",), ("发文单位", "印发单位"), "the issuing units"),
    _f("period", "周期", "period", ValueKind.PERIOD, ("plan",), ("期限", "实施期限"), "the plan period"),
    _f("doc_number", "文号", "doc_number", ValueKind.TEXT, ("plan",), (), "the document number"),
    _f("issued", "发布日期", "issued", ValueKind.DATE, ("plan",), ("印发日期",), "the date of issue"),
    _f("conventions", "约定", "conventions", ValueKind.CONVENTIONS, ("plan",), (),
       "how the document's owner lists are to be read (首位牵头, 首位汇总, 责任即牵头)"),
    _f("numbering", "编号", "numbering", ValueKind.TEXT, ("plan",), ("编号方式",),
       "the document's outline numbering: 一、（一）1.（1）, per kind (任务 / 目标 / 机制) where it differs"),
    _f("full_name", "全称", "full_name", ValueKind.TEXT, ("unit",), (), "the unit's full name"),
    _f("kind", "类型", "kind", ValueKind.ENUM, ("unit", "mechanism"), (), "the unit's or mechanism's kind"),
    _f("aliases", "别名", "aliases", ValueKind.NAMES, ("unit", "goal"), ("简称",),
       "other names of the unit, or of the goal's indicator"),
    _f("growth", "增长", "growth", ValueKind.MEASURES, ("goal", "record"), ("增速", "增幅"), "growth rate(s)"),
    _f("total", "总量", "total", ValueKind.MEASURES, ("goal",), ("总额", "规模"), "total(s)"),
    _f("baseline", "基数", "baseline", ValueKind.BASELINE, ("goal",), ("基期",), "the base year and value"),
    _f("target", "指标", "target", ValueKind.TARGETS, ("goal", "task"), ("目标值",), "metric and value",
       repeat=True),
    _f("key", "重点", "key", ValueKind.FLAG, ("goal",), ("关键",), "a key indicator (★)"),
    _f("lead", "牵头", "lead", ValueKind.OWNERS, ("goal", "task", "mechanism"), ("牵头单位",), "lead units"),
    _f("responsible", "负责", "responsible", ValueKind.UNITS, ("goal", "task"), ("责任单位",),
       "responsible units"),
    _f("cooperate", "配合", "cooperate", ValueKind.UNITS, ("goal", "task"),
       ("配合单位", "参与", "参与单位", "协办单位"), "cooperating units"),
    _f("collector", "汇总", "collector", ValueKind.UNITS, ("goal", "task"), ("汇总单位",),
       "the unit that collects and reports the others' progress"),
    _f("leader", "责任领导", "leader", ValueKind.PEOPLE, ("plan", "goal", "task"),
       ("分管领导", "牵头负责领导", "牵头领导", "主抓领导", "主抓", "责任人"),
       "the leader (a name or a post) above the lead unit; on the plan, the one who 负总责; inherited down"),
    _f("supports", "支撑", "supports", ValueKind.GOALS, ("task",), (), "goals this task serves"),
    _f("due", "时限", "due", ValueKind.DEADLINES, ("task",), ("完成时限", "时间节点"), "deadline(s)"),
    _f("after", "依赖", "after", ValueKind.TASKS, ("task",), ("前置",), "tasks this one waits for"),
    _f("convener", "召集人", "convener", ValueKind.OWNERS, ("mechanism",), ("组长",), "the convener"),
    _f("deputy", "副召集人", "deputy", ValueKind.OWNERS, ("mechanism",), ("副组长",), "deputy conveners"),
    _f("members", "成员", "members", ValueKind.UNITS, ("mechanism",), ("成员单位",), "member units"),
    _f("office", "办公室", "office", ValueKind.UNITS, ("mechanism",), ("办公室设在",), "where the office sits"),
    _f("cadence", "频次", "cadence", ValueKind.CADENCES, ("mechanism",), ("频率",), "how often it meets"),
    _f("reporting", "报送", "reporting", ValueKind.REPORTING, ("mechanism",), ("报送时间", "报送要求"),
       "when reports are due and to whom: 每月25日前 报 区督查室"),
    _f("covers", "覆盖", "covers", ValueKind.TASKS, ("mechanism",), (), "tasks or mechanisms it reviews"),
    # progress files: the period's report (进展) and its per-task records (记录)
    _f("filed_by", "填报单位", "filed_by", ValueKind.UNITS, ("progress", "record"), ("报送单位",),
       "the unit that reports (on 进展: for all its records)"),
    _f("filed_on", "填报日期", "filed_on", ValueKind.DATE, ("progress", "record"), ("报送日期",), "the date of the report"),
    _f("status", "状态", "status", ValueKind.ENUM, ("record",), ("推进状态",),
       "未启动 / 推进中 / 已完成 / 滞后 / 暂缓 / 取消"),
    _f("reached", "完成", "reached", ValueKind.TARGETS, ("record",), ("完成值", "完成情况"),
       "the value reached so far, per indicator: 完成：社零 25.3亿元", repeat=True),
    _f("percent", "进度", "percent", ValueKind.TEXT, ("record",), ("完成进度", "进度百分比"),
       "the share of the task done, in %: 进度：60%"),
    _f("summary", "进展情况", "summary", ValueKind.TEXT, ("record",), ("工作进展", "推进情况说明"),
       "what was done in the period", repeat=True),
    _f("problems", "存在问题", "problems", ValueKind.TEXT, ("record",), ("问题",),
       "problems met", repeat=True),
    _f("next_steps", "下步打算", "next_steps", ValueKind.TEXT, ("record",), ("下一步打算", "下一步措施", "下步措施"),
       "what comes next", repeat=True),
    _f("unconfirmed", "待确认", "unconfirmed", ValueKind.TEXT, _ALL, (),
       "an owner phrase found in the source but not placed: a person confirms it (PL205)", repeat=True),
)


@dataclass(frozen=True, slots=True)
class EnumValue:
    """One value of an enumerated field."""

    name: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


UNIT_KINDS: tuple[EnumValue, ...] = (
    EnumValue("department", "部门", "department", ("单位", "机关")),
    EnumValue("collective", "集体", "collective", ("各单位",)),
    EnumValue("enterprise", "企业", "enterprise", ("公司",)),
    EnumValue("position", "职务", "position", ("岗位", "领导")),
    EnumValue("external", "外部", "external", ("上级",)),
)

MECHANISM_KINDS: tuple[EnumValue, ...] = (
    EnumValue("working_group", "专班", "working_group", ("工作专班", "总专班")),
    EnumValue("leading_group", "领导小组", "leading_group", ("指挥部", "委员会")),
    EnumValue("dispatch", "调度", "dispatch", ("调度会",)),
    EnumValue("report", "通报", "report", ("报告", "简报", "月报")),
    EnumValue("review", "讲评", "review", ("评议",)),
    EnumValue("inspection", "督查", "inspection", ("督导", "督办")),
    EnumValue("assessment", "考核", "assessment", ("考评", "评价")),
    EnumValue("accountability", "问责", "accountability", ("追责",)),
)

# How a plan's owner lists are read (`约定：` on the plan). Lists stay as written; the effective lead and 汇总 are
# derived from them (resolution's effective owners).
OWNER_CONVENTIONS: tuple[EnumValue, ...] = (
    EnumValue("first_leads", "首位牵头", "first-leads", ("列第一位的为牵头单位", "排第一位的为牵头单位")),
    EnumValue("first_collects", "首位汇总", "first-collects", ("列第一位的为汇总单位",)),
    EnumValue("responsible_leads", "责任即牵头", "responsible-leads", ("无牵头单位的责任单位即为牵头单位",)),
)

# A task's state in a progress record (`状态：`).
PROGRESS_STATES: tuple[EnumValue, ...] = (
    EnumValue("not_started", "未启动", "not_started", ("未开始", "not-started")),
    EnumValue("in_progress", "推进中", "in_progress", ("进行中", "正在推进", "in-progress")),
    EnumValue("done", "已完成", "done", ("完成", "completed")),
    EnumValue("lagging", "滞后", "lagging", ("进度滞后", "behind")),
    EnumValue("paused", "暂缓", "paused", ("暂停", "on_hold")),
    EnumValue("cancelled", "取消", "cancelled", ("已取消", "canceled")),
)

FLAG_VALUES = {"是": True, "yes": True, "true": True, "★": True, "否": False, "no": False, "false": False}


def _index(words: tuple[Word, ...]) -> dict[str, Word]:
    table: dict[str, Word] = {}
    for w in words:
        for s in w.spellings():
            table[s.lower()] = w
    return table


BLOCK_BY_SPELLING: dict[str, Word] = _index(BLOCKS)
FIELD_BY_SPELLING: dict[str, FieldSpec] = {
    s.lower(): f for f in FIELDS for s in f.word.spellings()
}
BLOCK_BY_NAME: dict[str, Word] = {w.name: w for w in BLOCKS}
FIELD_BY_NAME: dict[str, FieldSpec] = {f.word.name: f for f in FIELDS}


def enum_lookup(values: tuple[EnumValue, ...], text: str) -> EnumValue | None:
    """Find an enumerated value by any of its spellings."""
    t = text.strip().lower()
    for v in values:
        if t in (v.zh, v.en, v.name, *v.aliases):
            return v
    return None


def block_word(spelling: str) -> Word | None:
    """The block keyword spelled so, if any."""
    return BLOCK_BY_SPELLING.get(spelling.lower())


def field_spec(spelling: str) -> FieldSpec | None:
    """The field spelled so, if any."""
    return FIELD_BY_SPELLING.get(spelling.lower())


def fields_of(block: str) -> list[FieldSpec]:
    """The fields a block accepts."""
    return [f for f in FIELDS if block in f.blocks]


def is_english(spelling: str) -> bool:
    """True when a keyword is spelled in its English form."""
    return spelling.isascii()
