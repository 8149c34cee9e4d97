"""The draft plan: what the importer found, before it is written as `.plan` text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class DHeading:
    """A section heading the draft keeps as a comment (its content is written as goals or mechanisms)."""

    text: str


@dataclass(slots=True)
class DText:
    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)  # owner headings left in the text, unread (待确认)


@dataclass(slots=True)
class DGoal:
    id: str
    title: str
    growth: list[str] = field(default_factory=list)
    total: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    children: list["DGoal"] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    key: bool = False  # marked ★ in the document
    # owners assigned to the indicator (a 责任分解方案: 责任领导, 牵头单位, 责任单位)
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperate: list[str] = field(default_factory=list)
    collector: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    open: dict[str, bool] = field(default_factory=dict)
    unconfirmed: list[str] = field(default_factory=list)  # owner phrases not placed (待确认)
    note_failed: bool = False

    def indicator_count(self) -> int:
        return len(self.growth) + len(self.total) + len(self.targets) + sum(c.indicator_count() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(slots=True)
class DTask:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperate: list[str] = field(default_factory=list)
    collector: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    open: dict[str, bool] = field(default_factory=dict)
    due: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)  # owner phrases not placed (待确认)
    targets: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    children: list["DTask"] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    note_failed: bool = False
    own_text: str = ""  # the task's own text (no sub-items), for goal matching

    @property
    def owned(self) -> bool:
        return bool(self.lead or self.responsible)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(slots=True)
class DMech:
    id: str
    title: str
    kind: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    convener: list[str] = field(default_factory=list)  # quoted positions
    deputy: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)  # unit names or mechanism ids
    members: list[str] = field(default_factory=list)
    members_open: bool = False
    office: list[str] = field(default_factory=list)
    cadence: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    context: str = ""  # the whole item the mechanism was read from (to find who runs it)


@dataclass(slots=True)
class DPlan:
    id: str
    title: str
    period: str | None = None
    doc_number: str | None = None
    issued: str | None = None
    conventions: list[str] = field(default_factory=list)  # 约定：首位牵头 …
    unconfirmed: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Draft:
    plan: DPlan
    items: list[object] = field(default_factory=list)  # DText | DGoal | DTask | DMech, in document order
    units: dict[str, str] = field(default_factory=dict)  # name -> kind (department, collective …)
    head_comments: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)  # what needs a person's decision, for the report
    sections: int = 0

    def tasks(self):
        for it in self.items:
            if isinstance(it, DTask):
                yield from it.walk()

    def goals(self):
        for it in self.items:
            if isinstance(it, DGoal):
                yield from it.walk()

    def mechanisms(self):
        return [it for it in self.items if isinstance(it, DMech)]
