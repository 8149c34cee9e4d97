"""Outline → draft plan: sections classified, goals and indicators, the task tree with owners, mechanisms."""

from __future__ import annotations

import re
from collections import Counter

from planlang import keywords as kw
from planlang.importer import indicators as ind
from planlang.importer.draft import DGoal, DHeading, DMech, DPlan, Draft, DTask, DText
from planlang.importer.ids import head_key, plan_key
from planlang.importer.mechanisms import ID_OF_KIND, KINDS, mechanism_kind, read_mechanism
from planlang.importer.owners import (BRACKETED_CONVENTION, FIRST_COLLECTS, FIRST_LEADS, RESPONSIBLE_LEAD, Owners,
                                      apply_convention,
                                      convention_names, deadlines_in, merge_owners, parse_owner_note,
                                      split_names)
from planlang.importer.patterns import LABEL_LINE, owner_note_at_end, split_sentences, title_and_rest
from planlang.importer.structure import GROUP_OWNERS as _GROUP_OWNERS
from planlang.importer.structure import Node, Outline
from planlang.importer.units import unit_kind
from planlang.model.values import Year, read_date, read_quantity, read_target

_PAST = re.compile(r"成效|成绩|回顾|完成情况|存在|问题|困难|不足|工作总结|主要做法")
_MECH_SEC = re.compile(r"推进机制|保障措施|组织实施|工作机制|组织领导|保障机制|工作要求|组织保障|工作保障|推进措施|实施保障|"
                       r"保障体系|组织推进|机制保障|强化保障")
_GOAL_SEC = re.compile(r"目标")
_TASK_SEC = re.compile(r"任务|措施|举措|工程|行动|重点工作|工作重点|主要工作|工作内容|具体工作|思路|工作安排|重点项目|主要抓手")
_TEXT_SEC = re.compile(r"指导思想|基本原则|总体要求|总体思路|形势|背景|意义|依据|范围|原则|方向|定位")

_ID_BAD = re.compile(r"[\s“”「」\"：:，,、；;{}｛｝#/《》〈〉【】\[\]。！？!?·…（）()<>]")
_METRIC_PREFIX = re.compile(r"^(?:全社会|全区|全县|全市|全省|全镇|全乡|本区|本县|地方|全口径|社会|全)")
_ABBR = [
    (r"地区生产总值|GDP", "GDP"), (r"消费品零售总额", "社零"), (r"固定资产投资", "固投"),
    (r"一般公共(?:财政)?预算收入|财政收入|财政总收入", "财政收入"), (r"规模(?:以上)?工业增加值", "规工"),
    (r"进出口总额|外贸进出口", "外贸"), (r"实际(?:利用|到位)外资", "外资"), (r"招商引资到位资金|引资总额|到位内资", "引资"),
    (r"城镇居民(?:人均)?(?:可支配)?收入", "城镇居民收入"), (r"农村居民(?:人均)?(?:可支配)?收入", "农村居民收入"),
]
_INLINE = re.compile(r"(?:^|(?<=[。；;：:]))\s*(一|二|三|四|五|六|七|八|九|十)(?:是|要|方面|则)(?=[\u4e00-\u9fff“《])")
_CN_ORD = "一二三四五六七八九十"
_REVIEW_KINDS = ("督查", "考核", "问责", "调度", "讲评", "通报")


def norm(text: str) -> str:
    return re.sub(r"[\s。，,；;：:]", "", text)


def _short_title(sentence: str, pattern: str) -> str:
    """The clause of a sentence that names a mechanism kind: 对各项重点工作推进情况加强考核问效."""
    for clause in re.split(r"[，,；;。]", sentence):
        if re.search(pattern, clause):
            return clause.strip()[:40]
    return sentence[:40]


def metric_key(metric: str) -> str:
    """A metric reduced for matching goals with task indicators in a document's prose. Looser than the model's
    `metric_key` (it also drops 全社会 / 地方 / 全口径 and reads 公共财政预算 as 公共预算): a guess for the draft,
    where the model's key is the identity the checks and renders hold a plan to."""
    k = re.sub(r"[“”「」\s]", "", metric)
    k = _METRIC_PREFIX.sub("", k)
    k = k.replace("公共财政预算", "公共预算")
    return k


class Ids:
    """Short ids, unique per kind."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {}

    def make(self, kind: str, base: str, limit: int = 10) -> str:
        s = _ID_BAD.sub("", base)
        s = re.sub(r"^20\d{2}年(?:度)?", "", s) or s
        s = s[:limit] or kind
        if s[0].isdigit():
            s = kind + s
        used = self.used.setdefault(kind, set())
        ident, n = s, 2
        while ident in used:
            ident, n = f"{s}{n}", n + 1
        used.add(ident)
        return ident


def goal_id_base(metric: str) -> str:
    k = _METRIC_PREFIX.sub("", metric)
    for pattern, abbr in _ABBR:
        if re.match(pattern, k):
            return abbr
    m = re.match(r"^(.+?)占.*比重$", k)
    if m:
        return m[1] + "占比"
    return k


class Analyzer:
    """Turns an outline into a draft."""

    def __init__(self, outline: Outline, name: str) -> None:
        self.o = outline
        self.name = name
        self.ids = Ids()
        self.year = Year(None)
        self.draft: Draft | None = None
        self.goal_index: list[tuple[str, DGoal]] = []
        self.task_indicators: list[tuple[DTask, ind.Indicator]] = []
        self.extra_mechs: list[tuple[str, Node]] = []
        self.owner_notes = 0
        self.convention = _stated_convention(outline)  # 列第一位的为牵头单位 …, stated once for the document
        # the language states the convention on the plan (约定：首位牵头) when it has the field; else the importer
        # applies it to each task itself
        self.convention_field = kw.FIELD_BY_NAME.get("conventions") is not None
        self._plan_convention = bool(self.convention and self.convention_field)

    # -- entry ----------------------------------------------------------------------------------------------

    def run(self) -> Draft:
        o = self.o
        plan = self._plan()
        d = self.draft = Draft(plan)
        if o.notice:
            d.items.append(DText(self.ids.make("text", "通知"), "印发通知", list(o.notice)))
        if o.preamble:
            d.items.append(DText(self.ids.make("text", "前言"), "前言", list(o.preamble)))
        if o.root.paras:
            d.items.append(DText(self.ids.make("text", "正文"), "正文", list(o.root.paras)))
        tops = o.root.children
        d.sections = len(tops)
        classes = [self._classify(self._title(n), n, top=True) for n in tops]
        task_sections = classes.count("task")
        has_notes = any(_has_owners(n) for n in tops)
        for node, cls in zip(tops, classes):
            self._section(node, cls, flatten=task_sections == 1)
        for title, node in self.extra_mechs:
            self._mechanisms(node, title, also_tasks=False)
        if o.tail:
            d.items.append(DText(self.ids.make("text", "结语"), "结语", list(o.tail)))
        if o.signature:
            d.items.append(DText(self.ids.make("text", "落款"), "落款", list(o.signature)))
        self._scope_units()
        self._link_goals()
        self._mechanism_leads()
        self._collect_units()
        self._unread_owner_headings()
        if not has_notes and any(True for _ in d.tasks()):
            d.head_comments.append("# 待确认：原文没有为任务写明牵头或责任单位，每项任务都需要补上（planlang check 报 PL201）")
            d.attention.append("原文没有为任何任务写明牵头或责任单位 / the document names no owner for any task")
        return d

    def _unread_owner_headings(self) -> None:
        """Owner columns or labels (责任单位 | 责任领导 …, 牵头单位：…) left in a 文本's 说明 — a table or list the
        importer could not read: its owners are not placed, so the text gets a 待确认 line (PL205) saying so,
        never silence."""
        for item in self.draft.items:
            if not isinstance(item, DText):
                continue
            for p in item.paragraphs:
                found = list(dict.fromkeys(m[1] for m in _OWNER_HEADING.finditer(p)))
                if not found:
                    continue
                phrase = f"原文列有{'、'.join(found)}，未能读出对应的单位或领导：{_excerpt(p)}"
                if phrase not in item.unconfirmed:
                    item.unconfirmed.append(phrase)
                    self.draft.attention.append(f"文本“{item.title}”：含责任列或标注（{'、'.join(found)}），"
                                                f"未能读出责任（待确认，PL205）")

    # -- plan header ----------------------------------------------------------------------------------------

    def _plan(self) -> DPlan:
        o = self.o
        meta = o.meta
        title = o.title
        comments: list[str] = []
        if not title:
            title = self.name
            comments.append("# 待确认：原文未见标题，暂用文件名")
        base = re.sub(r"^(?:关于)?(?:印发)?", "", title)
        base = re.sub(r"(?:的)?(?:工作方案|实施方案|总体方案|行动方案|方案|实施意见|意见|工作计划|计划|通知)$", "", base)
        pid = self.ids.make("plan", plan_key(title) if base else "方案", 16)
        plan = DPlan(pid, title)
        if self.convention and self.convention_field:
            plan.conventions = convention_names(self.convention)
            comments.append(f"# 约定取自原文：“{self.convention}”")
        for key, label in (("title_line", "原文标题"), ("source", "来源"), ("publisher", "发布机构"), ("index_no", "索引号"), ("reg_no", "登记号"),
                           ("doc_date", "公文生成日期"), ("page_date", "页面日期")):
            if meta.get(key):
                comments.append(f"# {label}：{meta[key]}")
        if meta.get("doc_number"):
            plan.doc_number = meta["doc_number"]
        issued = meta.get("issued")
        if issued is None and meta.get("doc_date"):
            issued = read_date(meta["doc_date"])
        plan.issued = issued
        period, why = self._period()
        if period:
            plan.period = period
            comments.append(f"# 待确认：周期{why}")
        else:
            comments.append("# 待确认：未能推断方案周期，请补写 周期")
        plan.comments = comments
        return plan

    def _period(self) -> tuple[str | None, str]:
        o = self.o
        text = "\n".join([o.title or "", *o.preamble, *(t for n in o.root.children for t in n.all_text())])
        m = re.search(r"(20\d{2})\s*[—\-－~至到]\s*(20\d{2})年", o.title or "")
        if m and int(m[1]) < int(m[2]):
            self.year = Year(int(m[1]))
            return f"{m[1]}年至{m[2]}年", "取自标题"
        m = re.search(r"(20\d{2})年", o.title or "")
        if m:
            self.year = Year(int(m[1]))
            return f"{m[1]}年", "取自标题"
        pub = None
        for key in ("issued", "doc_date", "page_date", "source"):
            v = o.meta.get(key)
            mm = re.search(r"(20\d{2})", v or "")
            if mm:
                pub = int(mm[1])
                break
        counts = Counter(int(y) for y in re.findall(r"(?<!\d)(20\d{2})(?:年|—|-)", text))
        if pub is None and counts:
            top = max(counts.values())
            pub = max(y for y, c in counts.items() if c == top)
            why = f"按正文最常出现的年份（{pub}年）推断"
        elif pub is not None:
            if counts.get(pub + 1, 0) > counts.get(pub, 0):
                pub += 1
            why = f"按发布日期推断为{pub}年"
        else:
            return None, ""
        goal_text = "\n".join(t for n in o.root.children if _GOAL_SEC.search(self._title(n)) for t in n.all_text())
        ends = [int(y) for y in re.findall(r"到(20\d{2})年", goal_text) if int(y) > pub]
        self.year = Year(pub)
        if ends:
            return f"{pub}年至{max(ends)}年", f"按发布年份与目标年份（到{max(ends)}年）推断"
        return f"{pub}年", why

    # -- sections -------------------------------------------------------------------------------------------

    @staticmethod
    def _title(node: Node) -> str:
        return title_and_rest(node.head)[0]

    def _classify(self, title: str, node: Node, top: bool) -> str:
        if not node.children and _has_owners(node):  # an item that names its owners is a task, whatever it says
            return "task"
        years = [int(y) for y in re.findall(r"(20\d{2})年", title)]
        if _PAST.search(title) or (years and self.year.value and max(years) < self.year.value):
            return "text"
        if _MECH_SEC.search(title):
            return "mech"
        if _GOAL_SEC.search(title) and not re.search(r"任务|措施|举措", title):  # 重点目标任务 holds tasks
            return "goal"
        if _TASK_SEC.search(title):
            return "task"
        if _TEXT_SEC.search(title):
            return "text"
        if _has_owners(node):
            return "task"
        # numbered items under a heading that names no kind: the plan's work, written as actions
        if top and node.children and any(len(c.head) > 12 or c.children for c in node.children):
            return "task"
        return "text"

    def _section(self, node: Node, cls: str, flatten: bool) -> None:
        d = self.draft
        title = self._title(node)
        if cls == "goal":
            self._goals(node, title)
        elif cls == "mech":
            self._mechanisms(node, title, also_tasks=True)
        elif cls == "task":
            if flatten and node.children:
                intro = self._own_paragraphs(node)
                if intro:
                    d.items.append(DText(self.ids.make("text", head_key(title) or title), title, intro))
                else:
                    d.items.append(DHeading(node.raw))
                for child in node.children:
                    d.items.append(self._task(child))
                if node.trailing:
                    d.items.append(DText(self.ids.make("text", head_key(title) + "说明"), title, list(node.trailing)))
            else:
                d.items.append(self._task(node))
        else:
            self._text(node, title)

    def _own_paragraphs(self, node: Node) -> list[str]:
        _, rest, complete = title_and_rest(node.head)
        out = [rest] if rest and complete else ([node.head] if not complete else [])
        return out + list(node.paras)

    def _text(self, node: Node, title: str) -> None:
        """A text section; sub-sections that are goals, tasks or mechanisms are read as such."""
        d = self.draft
        part = DText(self.ids.make("text", head_key(title) or title), title, self._own_paragraphs(node))
        d.items.append(part)
        for child in node.children:
            ctitle = self._title(child)
            cls = self._classify(ctitle, child, top=False)
            if cls in ("goal", "mech") or (cls == "task" and _TASK_SEC.search(ctitle)):
                self._section(child, cls, flatten=True)
            else:
                part.paragraphs.extend(child.all_text())
        part.paragraphs.extend(node.trailing)
        if not part.paragraphs:
            d.items.remove(part)

    # -- goals ----------------------------------------------------------------------------------------------

    def _goals(self, node: Node, title: str) -> None:
        d = self.draft
        own = self._own_paragraphs(node)
        if not own:
            d.items.append(DHeading(node.raw))
        if own:
            d.items.append(DText(self.ids.make("text", head_key(title) or title), title, own))
            flat: dict[str, DGoal] = {}
            for p in own:
                self._goals_from(p, flat, d.items, where=title)
        for child in node.children:
            ctitle, rest, complete = title_and_rest(child.head)
            paras = ([rest] if rest else []) if complete else [child.head]
            paras += child.paras
            for c in child.children:
                paras.extend(c.all_text())
            paras += child.trailing
            key = ctitle.startswith("★")
            ctitle = ctitle.lstrip("★ ").strip() or ctitle
            group = DGoal(self.ids.make("goal", head_key(ctitle) or ctitle), ctitle, paragraphs=paras, key=key)
            sub: dict[str, DGoal] = {}
            labels = [p for p in (*child.paras, *child.trailing) if LABEL_LINE.match(p)]
            text = "".join(p for p in ([child.head, *paras[1:]] if complete else paras) if p not in labels)
            note = owner_note_at_end(text)
            if note is not None or labels:  # a 责任分解方案 gives each indicator its owners
                owners = parse_owner_note(note.inner, self.year, apply=not self._plan_convention) if note else Owners()
                for line in labels:
                    merge_owners(owners, parse_owner_note(line, self.year, apply=not self._plan_convention))
                self._place_owners(group, owners, note.inner if note else "；".join(labels))
                if note is not None:
                    text = text[:note.start]
            self._goals_from(text.replace("★", ""), sub, group.children, where=ctitle, group=group)
            d.items.append(group)
        if node.trailing:
            d.items.append(DText(self.ids.make("text", head_key(title) + "说明"), title, list(node.trailing)))

    def _goal_owners(self, goal: DGoal, note: str) -> None:
        self._place_owners(goal, parse_owner_note(note, self.year), note)

    def _goals_from(self, text: str, found: dict[str, DGoal], into: list, where: str, group: DGoal | None = None) -> None:
        ex = ind.extract(text)
        for i in ex.indicators:
            key = metric_key(i.metric)
            g = found.get(key)
            if g is None:
                g = DGoal(self.ids.make("goal", goal_id_base(i.metric)), i.metric)
                found[key] = g
                into.append(g)
                self.goal_index.append((key, g))
            if i.kind == "growth":
                g.growth.append(i.measure())
            elif i.kind == "total":
                g.total.append(i.measure())
            else:
                g.targets.append(f"{_metric_text(i.metric)} {i.measure()}")
        holder = group if group is not None else (into[-1] if into and isinstance(into[-1], (DGoal, DText)) else None)
        for p in ex.problems:
            note = f"# 待确认：未能识别的指标“{p}”，原文保留在说明中"
            if holder is not None:
                holder.comments.append(note)
            self.draft.attention.append(f"{where}：未能识别的指标“{p}”")

    # -- tasks ----------------------------------------------------------------------------------------------

    def _task(self, node: Node) -> DTask:
        paras = [node.head, *node.paras]
        # owner note: at the end of the item's own text, or on label lines (责任单位：…)
        note = owner_note_at_end(paras[-1])
        labels = [p for p in (*node.paras, *node.trailing) if LABEL_LINE.match(p)]
        head = node.head
        if note is not None and len(paras) == 1 and "。" not in head[:note.start]:
            title_src = head[:note.start].strip()
            title, _, _ = title_and_rest(title_src)
            desc = [head[note.start:].strip()]
            complete = True
        else:
            title, rest, complete = title_and_rest(head)
            desc = ([rest] if rest else []) if complete else [head]
            desc += node.paras
        task = DTask(title, desc)
        body = " ".join(p for p in ([node.head, *node.paras]) if not LABEL_LINE.match(p))
        if note is not None:
            cut = body.rfind(note.inner)
            body_no_note = body[:max(0, cut - 1)] if cut >= 0 else body
        else:
            body_no_note = body
        task.own_text = body_no_note
        owners = Owners()
        if note is not None:
            self.owner_notes += 1
            owners = parse_owner_note(note.inner, self.year, apply=not self._plan_convention)
        for line in labels:
            merge_owners(owners, parse_owner_note(line, self.year, apply=not self._plan_convention))
        closing = [m["note"] for p in node.trailing if (m := _GROUP_OWNERS.match(p.strip()))] if node.children else []
        if note is None and not labels and closing:
            # 以上工作由县商务局牵头，各乡镇人民政府配合。— the section's items share the owners stated after them
            for c in closing:
                merge_owners(owners, parse_owner_note(c, self.year, apply=not self._plan_convention))
            self._place_owners(task, owners, "；".join(closing))
        elif note is not None or labels:
            raw = note.inner if note is not None else "；".join(labels)
            self._place_owners(task, owners, raw)
        elif node.children and (who := section_owner(node.head)) is not None:
            role, name = who
            if role == "leader":
                task.leaders = [name]
            else:
                setattr(task, role, [name])
            task.comments.append(f"# 责任取自章节标题：“{node.head}”（其下各项继承）")
        # sub-items written inline: 一是……二是……
        split = None if node.children else _inline_items(task.paragraphs)
        if split is not None:
            idx, intro, items = split
            task.paragraphs[idx:idx + 1] = [intro] if intro else []
            if note is not None and items and note.inner in items[-1]:
                cut = items[-1].rfind(note.inner)
                tail = items[-1][max(0, cut - 1):].strip()
                items[-1] = items[-1][:max(0, cut - 1)].strip()
                task.paragraphs.insert(idx + (1 if intro else 0), tail)
            for text in items:
                ctitle, _, _ = title_and_rest(text)
                child = DTask(ctitle, [text], own_text=text)
                self._task_values(child, text)
                task.children.append(child)
            body_no_note = " ".join(task.paragraphs)
        self._task_values(task, body_no_note)
        for c in node.children:
            task.children.append(self._task(c))
        if node.trailing:
            task.paragraphs.extend(node.trailing)
        if _MECH_SEC.search(title) and node.children:
            self.extra_mechs.append((title, node))
        return task

    def _place_owners(self, x: DTask | DGoal, owners: Owners, raw: str) -> None:
        """Put what an owner note says on the task or goal; what it could not read becomes a 待确认 line each
        (PL205), never a guess. With nothing readable at all, the whole note is to be confirmed."""
        what = "任务" if isinstance(x, DTask) else "目标"
        placed = owners.has_owner or owners.leaders or owners.cooperate or owners.collector or owners.due
        if not placed:
            x.note_failed = True
            self._unconfirmed(x, raw, f"{what}“{x.title}”：未能识别责任表述")
            return
        for p in owners.problems:
            self._unconfirmed(x, p, f"{what}“{x.title}”：责任表述中未能归位")
        if self.convention and not self.convention_field:
            apply_convention(owners, self.convention)
        for convention in owners.conventions:
            x.comments.append(f"# 按原文约定“{convention}”：{'、'.join(owners.lead)} 为牵头单位（责任单位照原文列出）")
        x.lead, x.responsible, x.cooperate = owners.lead, owners.responsible, owners.cooperate
        x.collector = owners.collector
        x.leaders, x.open = owners.leaders, dict(owners.open)
        if isinstance(x, DTask):
            x.due = list(owners.due)
        elif owners.due:
            x.comments.append(f"# 原文时限：{'、'.join(owners.due)}")

    def _unconfirmed(self, x, phrase: str, why: str) -> None:
        if phrase not in x.unconfirmed:
            x.unconfirmed.append(phrase)
            self.draft.attention.append(f"{why}“{phrase}”（待确认，PL205）")

    def _task_values(self, task: DTask, text: str) -> None:
        for dl in deadlines_in(text, self.year):
            if dl not in task.due:
                task.due.append(dl)
        ex = ind.extract(text)
        for i in ex.indicators:
            target = f"{_metric_text(i.metric)} {i.measure(with_verb=True)}"
            t = read_target(target)
            if t is None or t.quantity is None or t.quantity.normalized is None or not t.metric:
                task.comments.append(f"# 待确认：未能识别的指标“{i.source}”，原文保留在说明中")
                continue
            task.targets.append(target)
            self.task_indicators.append((task, i))
        for p in ex.problems:
            task.comments.append(f"# 待确认：未能识别的指标“{p}”，原文保留在说明中")

    # -- mechanisms -----------------------------------------------------------------------------------------

    def _mechanisms(self, node: Node, title: str, also_tasks: bool) -> None:
        d = self.draft
        items: list[tuple[str, str, list[str], Node | None]] = []  # (title, text, paragraphs, node)
        if node.children:
            intro = self._own_paragraphs(node) if also_tasks else []
            if intro:
                d.items.append(DText(self.ids.make("text", head_key(title) or title), title, intro))
            elif also_tasks:
                d.items.append(DHeading(node.raw))
            for c in node.children:
                ctitle, rest, complete = title_and_rest(c.head)
                paras = (([rest] if rest else []) if complete else [c.head]) + c.paras + [
                    t for cc in c.children for t in cc.all_text()] + c.trailing
                items.append((ctitle, " ".join([c.head, *c.paras]), paras, c))
        else:
            if also_tasks:
                d.items.append(DHeading(node.raw))
            for p in self._own_paragraphs(node):
                items.append(("", p, [p], None))
        tasks: list[DTask] = []
        for ititle, text, paras, child in items:
            kind = mechanism_kind(ititle, text)
            if kind is None:
                if also_tasks:
                    d.items.append(DText(self.ids.make("text", head_key(ititle or title) or ititle or title), ititle or title, paras))
                continue
            info = read_mechanism(ititle, text)
            kind = info.kind or kind
            mtitle = ititle or info.name or title
            mech = DMech(self.ids.make("mechanism", ID_OF_KIND.get(kind, kind)), mtitle, kind, paras)
            mech.convener, mech.deputy = info.convener, info.deputy
            mech.members, mech.members_open, mech.office = info.members, info.members_open, info.office
            mech.cadence = info.cadence
            if info.name and info.name != mtitle:
                mech.comments.append(f"# 原文名称：{info.name}")
            if info.person_names:
                mech.comments.append(f"# 原文写有姓名：{'、'.join(info.person_names)}（召集人、组长按职务记）")
            for p in info.problems:
                mech.comments.append(f"# 待确认：成员单位中未能识别“{p}”")
            mech.context = ititle + " " + text
            note = owner_note_at_end(text)
            if note is not None:
                owners = parse_owner_note(note.inner, self.year)
                if owners.ok and owners.lead:
                    mech.lead = list(owners.lead)
                if also_tasks and child is not None:
                    tasks.append(self._task(child))
            d.items.append(mech)
            d.items.extend(self._secondary(mech, ititle, text))
        if tasks:
            d.items.append(DTask(title, [], children=tasks, comments=[
                "# 推进机制中写明了责任单位的条目，同时记为任务，以免责任单位丢失"]))

    def _secondary(self, mech: DMech, title: str, text: str) -> list[DMech]:
        """Kinds the item's heading names beside its main one (严肃督察问责; 建立调度协调机制 for a 领导小组):
        one mechanism each, described by the first sentence that names it."""
        out = []
        for kind, pattern in KINDS:
            if kind == mech.kind or kind in ("领导小组", "专班") or not re.search(pattern, title):
                continue
            sentences = [x for x in split_sentences(text) if norm(x) != norm(title)]
            sentence = next((x for x in sentences if re.search(pattern, x)), title)
            m = DMech(self.ids.make("mechanism", ID_OF_KIND[kind]), _short_title(sentence, pattern), kind,
                      [sentence], lead=list(mech.lead), context=mech.context)
            m.cadence = read_mechanism("", sentence).cadence
            m.comments.append(f"# 与“{mech.title}”同一条：标题写明了{kind}")
            out.append(m)
        return out

    def _mechanism_leads(self) -> None:
        mechs = self.draft.mechanisms()
        groups: dict[str, DMech] = {}
        for m in mechs:
            if m.kind in ("专班", "领导小组"):
                groups.setdefault(m.kind, m)
        for m in mechs:
            if m.lead or m.convener:
                continue
            text = m.context or (" ".join(m.paragraphs) + m.title)
            if m.kind in ("专班", "领导小组"):
                m.comments.append("# 待确认：原文未写明召集人或牵头单位（planlang check 报 PL501）")
                self.draft.attention.append(f"机制“{m.title}”：未写明召集人或牵头单位")
                continue
            subject = _clause_subject(m)
            if subject is not None:
                m.lead = subject[0].split("、")
                m.comments.append(f"# 牵头取自原文“{subject[1]}”")
                continue
            for kind in ("专班", "领导小组"):
                g = groups.get(kind)
                subject = rf"(?:^|[。；，,\s由])(?:工作|总)?{kind}(?:要|负责|定期|牵头|办公室)"
                if g is not None and g is not m and re.search(subject, text):
                    m.lead = [g.id]
                    break
            else:
                m.comments.append("# 待确认：原文未写明由谁负责（planlang check 报 PL501）")
                self.draft.attention.append(f"机制“{m.title}”：未写明由谁负责")

    def _scope_units(self) -> None:
        """以下各项任务均涉及各市（州）人民政府，不再逐项列出: the units the document names once for every task are
        added to each task that names owners (as responsible), with a comment saying where they come from."""
        o = self.o
        for p in [*o.notice, *o.preamble, *o.root.paras, *(n.head for n in o.root.children)]:
            m = _SCOPE.search(re.sub(r"\s+", "", p))
            if not m:
                continue
            names, _, problems = split_names(m["who"])
            if problems or not names:
                continue
            for t in self.draft.tasks():
                if t.owned and not t.children:
                    t.responsible += [n for n in names if n not in t.responsible and n not in t.lead]
                    t.comments.append(f"# 负责单位含原文统一说明的“{'、'.join(names)}”：{m[0]}")
            return

    # -- goals ↔ tasks --------------------------------------------------------------------------------------

    def _link_goals(self) -> None:
        index = {k: g for k, g in self.goal_index}
        for task, i in self.task_indicators:
            g = index.get(metric_key(i.metric))
            if g is None:
                continue
            if g.id not in task.supports:
                task.supports.append(g.id)
            if i.kind == "total" and not g.total:
                g.total.append(i.measure())
                g.comments.append(f"# 总量见任务“{task.title}”：{i.source}")
                target = f"{_metric_text(i.metric)} {i.measure(with_verb=True)}"
                if target in task.targets:
                    task.targets.remove(target)
        for task in self.draft.tasks():
            for key, g in self.goal_index:
                if len(key) >= 6 and key in metric_key(task.own_text) and g.id not in task.supports:
                    task.supports.append(g.id)

    # -- units ----------------------------------------------------------------------------------------------

    def _collect_units(self) -> None:
        units = self.draft.units
        mech_ids = {m.id for m in self.draft.mechanisms()}
        for t in (*self.draft.tasks(), *self.draft.goals()):
            for n in (*t.lead, *t.responsible, *t.cooperate, *t.collector):
                units.setdefault(n, unit_kind(n))
        for m in self.draft.mechanisms():
            for n in (*m.members, *m.office, *(x for x in m.lead if x not in mech_ids)):
                units.setdefault(n, unit_kind(n))


def _has_owners(node: Node) -> bool:
    """The item or one of its sub-items names owners: an owner note at a paragraph's end, an owner line, or a
    heading that says whose work follows."""
    return any(owner_note_at_end(t) or LABEL_LINE.match(t) or _GROUP_OWNERS.match(t) for t in node.all_text()) or \
        any(section_owner(n.head) for n in _walk_nodes(node) if n.children)


def _walk_nodes(node: Node):
    yield node
    for c in node.children:
        yield from _walk_nodes(c)


# A heading that groups work by whom it answers to: 一、沈立新县长牵头重点工作 / （一）区长王启明负责 /
# 一、县发展和改革局牵头工作（4项）/ 二、由县农业农村局负责的事项
_SECTION_OWNER = re.compile(r"^(?:由)?(?P<who>[^，。；：:、]{2,30}?)(?P<role>牵头负责|牵头抓总|牵头|负责|分管|主抓|联系|包抓)"
                            r"(?:的)?(?:重点|主要|具体)?(?:工作|事项|任务|项目|领域)?(?:任务|事项|清单)?"
                            r"(?:[（(][^）)]{0,12}[）)])?$")
_PERSON = re.compile(r"县长|区长|市长|省长|州长|旗长|书记|主任|局长|镇长|乡长|部长|主席|同志|领导|秘书长|指挥长|专员|县委|区委|市委")


def section_owner(head: str) -> tuple[str, str] | None:
    """(role, who) of a heading that says whose work follows: ("leader", "区长王启明"), ("lead", "县发改局")."""
    m = _SECTION_OWNER.match(head.strip())
    if not m:
        return None
    who = m["who"].strip()
    if _PERSON.search(who) and not re.search(r"(?:局|委|办|中心|政府|管委会|公司|集团)$", who):
        return "leader", who
    if unit_kind(who) in ("department", "enterprise") and re.search(
            r"(?:局|委|办|部|院|会|中心|公司|集团|处|所|队|站|政府|管委会|专班|指挥部)$", who):
        return ("lead" if m["role"].startswith("牵头") else "responsible"), who
    return None


def _metric_text(metric: str) -> str:
    """A metric as the first words of a 指标 value: quoted when it holds separators or quotes."""
    from planlang.importer.emit import quote

    if re.search(r"[\s“”「」\"：:，,、；;{}｛｝#/]", metric):
        return quote(metric)
    return metric


_SUBJECT_UNIT = r"[\u4e00-\u9fff]{2,16}?(?:督查室|办公室|室|办|局|委|部|中心|小组|专班|政府|联)"
# an owner column heading or label in text the importer did not read: a heading next to another heading, or a
# heading closed by a pipe, a tab or a colon (责任领导 | 责任单位 |, 牵头单位：区发改局)
_OWNER_WORD = r"(?:责任|牵头|配合|协办|主办|承办)(?:单位|部门)|(?:责任|分管|牵头)领导"
_OWNER_HEADING = re.compile(rf"(?:^|[|｜\t ]|\s{{2}})({_OWNER_WORD})(?=\s*[|｜\t:：]|\s*$|\s+(?:{_OWNER_WORD}|完成时限|时限)(?:\s|[|｜]|$))")


def _excerpt(text: str, size: int = 40) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= size else text[:size] + "…"


# one unit or several joined with 、 (区委督查室、区政府督查室定期开展专项督查)
_SUBJECT = re.compile(rf"^(?:由)?((?:{_SUBJECT_UNIT}、)*{_SUBJECT_UNIT})"
                      r"(?=每|定期|负责|要|将|牵头|按|适时|不定期|组织|统一|会同)")


def _clause_subject(m: DMech) -> tuple[str, str] | None:
    """The unit that is the subject of a clause naming the mechanism's kind: 县政府督查室每季度开展一次专项督查."""
    pattern = next((p for k, p in KINDS if k == m.kind), None)
    if pattern is None:
        return None
    for sentence in m.paragraphs:
        for clause in re.split(r"[，,。；;]", sentence):
            c = clause.strip()
            if not re.search(pattern, c):
                continue
            hit = _SUBJECT.match(c)
            if hit and all(not u.startswith("各") and unit_kind(u) != "collective" for u in hit[1].split("、")):
                return hit[1], c
    return None


def _inline_items(paragraphs: list[str]) -> tuple[int, str, list[str]] | None:
    """一是……二是……三是…… in one paragraph → (paragraph index, intro, items)."""
    for idx, p in enumerate(paragraphs):
        marks = list(_INLINE.finditer(p))
        seq = []
        for m in marks:
            want = _CN_ORD[len(seq)] if len(seq) < len(_CN_ORD) else None
            if m[1] == want:
                seq.append(m)
        if len(seq) < 2:
            continue
        intro = p[:seq[0].start()].strip()
        items = []
        for k, m in enumerate(seq):
            end = seq[k + 1].start() if k + 1 < len(seq) else len(p)
            items.append(p[m.end():end].strip())
        return idx, intro, items
    return None


_SCOPE = re.compile(r"(?:以下|下列|本方案)?(?:各项|所有|全部)?(?:重点)?任务(?:均|都|全部)(?:涉及|需要|需|由|包括)(?P<who>[^，。；]{2,40}?)"
                    r"(?:负责|参与|落实|承担)?[，,]?(?:不再|不|未)(?:逐项|逐一|一一)?(?:列出|列明|标注|单列)")


_NOTE_PARAGRAPH = re.compile(r"^[（(]?(?:注|说明|备注)[:：]")


def _stated_convention(outline: Outline) -> str | None:
    """A defaulting convention stated for the whole document: in the text around the items (preamble, a
    section's introduction, the closing paragraphs) or in a paragraph that is only a note (注：…)."""
    paragraphs = [*outline.notice, *outline.preamble, *outline.root.paras, *outline.tail]
    for top in outline.root.children:
        paragraphs += [top.head, *top.paras, *top.trailing]
    notes = [p for p in outline.root.all_text() if _NOTE_PARAGRAPH.match(p.strip())]
    # a convention written in brackets inside one list that says it holds for what follows (…，下同)
    notes += [m[0] for p in outline.root.all_text() for m in BRACKETED_CONVENTION.finditer(re.sub(r"\s+", "", p))
              if re.search(r"下同|以下同|下文同|后同", m[0])]
    for p in paragraphs + notes:
        text = re.sub(r"\s+", "", p)
        m = RESPONSIBLE_LEAD.search(text) or FIRST_LEADS.search(text) or FIRST_COLLECTS.search(text)
        if m:
            # the clause that states it (…，列第一位的为牵头单位或汇总单位。)
            start = max(text.rfind(c, 0, m.start()) for c in "。；，,;：:") + 1
            ends = [i for i in (text.find(c, m.end()) for c in "。；，,;") if i >= 0]
            return text[start:min(ends) if ends else len(text)]
    return None


def analyze(outline: Outline, name: str) -> Draft:
    return Analyzer(outline, name).run()


__all__ = ["analyze", "metric_key", "read_quantity"]
