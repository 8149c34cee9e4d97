"""Owner notes → lead / responsible / cooperating units, leaders and deadlines.

Two styles are read:

- suffix style: （区发改局牵头，各街道办事处、管理处，各项目责任单位负责）, （区发改局、区财政局牵头）,
  （区文旅招商局、区市场监管局等按职责分工负责）, （科工信局配合） — a role word ends each run of names, and
  names before it without a role word of their own share it;
- label style: （牵头单位：区贸促会；责任单位：区财政局、区交建局）, also 责任领导 / 配合单位 / 完成时限.

Half-width punctuation (ASCII parentheses, commas, colons) is read like its full-width form. A note that does not
read cleanly is reported as not understood: the importer never guesses an owner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planlang.model.values import Year, read_deadline

_LABELS: list[tuple[str, str]] = [
    ("leader", r"(?:牵头负责|牵头责任|责任|分管|牵头|联系|包抓|挂点|主抓|负责|包保|督办|分线|领办|包联|挂帅|主管)(?:[区县市省]级?)?"
               r"领导(?:同志)?|"
               r"[区县市省]级?(?:责任|分管|牵头|联系)?领导|牵头责任人|具体责任人|责任人"),
    ("cooperate", r"(?:配合|协办|协助|参与)(?:责任)?(?:单位|部门)|协同(?:单位|部门)|配合"),
    ("collector", r"汇总(?:单位|部门)"),
    ("lead", r"牵头(?:负责|责任)?(?:单位|部门)|主办单位|主责单位|主要责任(?:单位|部门)|牵头"),
    ("responsible", r"(?:具体|直接|其他|其它|协同)?责任(?:单位|部门)|责任[（(]配合[）)]单位|承办单位|负责单位|落实单位|实施单位|主体单位"),
    ("due", r"完成时限|时间节点|时限要求|完成时间|时限"),
]
LABEL_WORDS = "|".join(p for _, p in _LABELS)
_LABEL_RE = re.compile(r"(" + LABEL_WORDS + r")\s*[:：]")

_SUFFIX = re.compile(
    r"^(?P<names>.*?)(?P<role>(?:按职责|按职能)(?:分工)?(?:负责|落实)|分别负责|共同负责|具体负责|具体实施|负责实施|负责落实|"
    r"牵头(?:负责|抓总|落实|实施|推进|组织实施|组织|推动)?|负责|(?:积极|共同|协同|密切)?(?:配合|协办|协助|参与)|汇总)$")


def _role_of(word: str) -> str:
    if word.startswith("牵头"):
        return "lead"
    if word == "汇总":
        return "collector"
    if re.search(r"配合|协办|协助|参与", word):
        return "cooperate"
    return "responsible"


# a role written in brackets after a unit inside a list: 区文旅局（牵头）、区财政局
_BRACKET_ROLE = re.compile(r"[（(](牵头(?:单位|部门)?|负责|责任单位|配合(?:单位)?|协办|汇总(?:单位)?)[）)]$")

DEADLINE_TEXT = re.compile(
    r"(?:20\d{2}年)?(?:(?:1[0-2]|0?[1-9])月(?:(?:[12]\d|3[01]|0?[1-9])[日号])?(?:上旬|中旬|下旬|底|末)?|年底|年末|"
    r"上半年|下半年|(?:第)?[一二三四]季度(?:末|底)?)(?:前|之前|以前)|(?<![\d今明当])年内(?=[\u4e00-\u9fff])")

# A unit name: Chinese (with brackets like 各街道（功能区） or 各街道<乡>), letters, digits, a middle dot.
_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9（）()<>〈〉《》·]{2,30}$")
_NOT_A_NAME = re.compile(r"[要将把对使让在于是的]$|^(?:要|将|并|确保|力争|做好|加强|推进|负责|按照|根据|同时|其中)|"
                         r"工作$|任务$|情况$|"
                         # an owner phrase is never a unit's name: a role word, a deadline or a label inside it
                         r"牵头(?![）)]$)|负责(?!人)|配合(?![）)]$)|协办(?![）)]$)|完成|月底|年底|年末|时限|"
                         r"[\u4e00-\u9fff]领导$|^(?!各|相关|有关).*责任单位(?![）)]$)|[:：]")
_UNIT_END = re.compile(r"(?:局|委|办|部|院|会|中心|公司|集团|处|所|队|站|行|街道|乡镇|乡|镇|政府|分局|法院|检察院|"
                       r"小组|专班|单位|部门|办事处|管委会|园区|高新区|开发区|投|联|社|厅|署|司|馆|台|团)$")


# Stated defaulting conventions. 列第一位的为牵头单位: the first unit listed leads. 无牵头单位的，责任单位即为牵头
# 单位: where no lead unit is named, the responsible units lead. Either may stand inside one owner note or once
# for the whole document; the importer applies them only where the document states them.
FIRST_LEADS = re.compile(r"[，、；]?(?:(?:排?列|排(?:在|名)?)?(?:在)?(?:第一(?:位|个|家)?|首位|首个|首家)(?:的|单位|部门)?"
                         r"(?:责任|主办|承办)?(?:单位|部门)?|(?:排?列|排)(?:在)?(?:最前|前面|首位)的?(?:单位|部门)?)"
                         r"(?:为|是|系|即为|作为)牵头(?:单位|部门)?|牵头(?:单位|部门)(?:列|排)(?:在)?(?:首位|第一位?|最前)")
# a convention written in brackets inside a list, for this note or for all below: 县发改局（首位单位为牵头单位，下同）
BRACKETED_CONVENTION = re.compile(r"[（(][^（）()]*?(?:第一|首位|首个|首家|最前)[^（）()]*?牵头[^（）()]*[）)]")
RESPONSIBLE_LEAD = re.compile(r"(?:无|没有|未(?:明确|列明?|写明?))牵头(?:单位|部门)的?[，,]?(?:其)?责任(?:单位|部门)"
                              r"(?:即|就)?(?:为|是|作为)牵头(?:单位|部门)")


@dataclass(slots=True)
class Owners:
    """What an owner note says."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperate: list[str] = field(default_factory=list)
    collector: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    due: list[str] = field(default_factory=list)
    open: dict[str, bool] = field(default_factory=dict)  # role -> list ends with 等
    problems: list[str] = field(default_factory=list)
    conventions: list[str] = field(default_factory=list)  # the defaulting conventions this note applied

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.lead or self.responsible or self.cooperate or self.leaders
                                          or self.due or self.collector)

    @property
    def has_owner(self) -> bool:
        return bool(self.lead or self.responsible)


def normalize_note(text: str) -> str:
    """Half-width punctuation of an owner note → full-width; white space and markdown marks out."""
    t = text.replace("**", "")
    t = t.replace(",", "，").replace(";", "；").replace(":", "：")
    # units separated by spaces (区发改局 区财政局): a space after a unit's name separates it from the next one
    t = re.sub(r"(?<=[局委办部院会心司团处所队站府])[\s\u3000]+(?=[\u4e00-\u9fff])", "、", t.strip())
    return re.sub(r"[\s\u3000]+", "", t)


def split_top(text: str, seps: str) -> list[str]:
    """Split on any of `seps`, except inside brackets （） () <> 《》."""
    out, depth, cur = [], 0, []
    for c in text:
        if c in "（(<《〈":
            depth += 1
        elif c in "）)>》〉":
            depth = max(0, depth - 1)
        if depth == 0 and c in seps:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    out.append("".join(cur))
    return [s.strip() for s in out if s.strip()]


def split_names(text: str) -> tuple[list[str], bool, list[str]]:
    """区发改局、区财政局等 → names, open-ended flag, problems."""
    text = text.strip().lstrip("由").strip()
    open_ended = False
    m = re.search(r"等(?:相关|有关)?(?:部门单位|部门|单位|成员单位)?$", text)
    if m and m.start() > 0:
        text, open_ended = text[:m.start()], True
    names: list[str] = []
    problems: list[str] = []
    for part in split_top(text, "、，"):
        for name in _split_and(part):
            name = name.strip()
            if not name:
                continue
            bare = re.sub(r"[（(][^（）()]{1,20}[）)]", "（）", name)  # 各县（市、区）人民政府: 、 inside brackets
            if not _NAME.match(bare) or _NOT_A_NAME.search(bare):
                problems.append(name)
                continue
            names.append(name)
    return names, open_ended, problems


def _split_and(part: str) -> list[str]:
    """区发改局和区财政局 → two names; 区住房和城乡建设局 stays one."""
    pieces = re.split(r"(?<=[\u4e00-\u9fff])(和|及|与)(?=[\u4e00-\u9fff])", part)
    if len(pieces) == 1:
        return [part]
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        left, right = out[-1], pieces[i + 1]
        if _UNIT_END.search(left) and _UNIT_END.search(right) and len(right) >= 2:
            out.append(right)
        else:
            out[-1] = left + pieces[i] + right
    return out


_ONGOING_HEAD = re.compile(r"^(?:全年|常年|每年|今年|年内)(?=持续|长期|常态)")


def deadline_item(chunk: str, year: Year) -> str | None:
    """A deadline as the language writes it, from a piece of an owner note or a 完成时限 value: 6月底前;
    全年持续推进 → 持续推进; a milestone ①2023年3月底前完成初步设计批复 → 2023年3月底前 “完成初步设计批复”."""
    c = re.sub(r"^(?:[①-⑳]|\d{1,2}[.、．)）](?!\d)|[（(]\d{1,2}[）)])", "", chunk.strip()).strip("，,；;。 ")
    if not c:
        return None
    if _is_deadline(c, year):
        return _clean_deadline(c)
    if _ONGOING_HEAD.match(c) and read_deadline(_ONGOING_HEAD.sub("", c), year) is not None:
        return _ONGOING_HEAD.sub("", c)
    if len(c) > 40:
        return None
    for k in range(len(c) - 1, 1, -1):  # the longest head that reads as a date, the rest its note
        head, rest = c[:k], c[k:].strip("，, ")
        if head[-1] in "前底末日月年旬" and rest and re.match(r"[\u4e00-\u9fff]", rest) \
                and read_deadline(head, year) is not None and not re.search(r"[“”「」\"]", rest):
            return f"{head} “{rest}”"
    return None


def _is_deadline(chunk: str, year: Year) -> bool:
    c = re.sub(r"(?:完成|办结|到位|实现)$", "", chunk)
    return read_deadline(c, year) is not None or bool(DEADLINE_TEXT.fullmatch(c))


def _clean_deadline(chunk: str) -> str:
    return re.sub(r"(?:完成|办结|到位|实现)$", "", chunk)


def parse_owner_note(inner: str, year: Year = Year(None), apply: bool = True) -> Owners:
    """Read the inside of an owner note (without its brackets). `apply`: apply a convention the note states
    (False when the plan states it once, as 约定)."""
    text = normalize_note(inner)
    out = Owners()
    bracketed = BRACKETED_CONVENTION.search(text)
    if bracketed:
        text = text[:bracketed.start()] + text[bracketed.end():]
    first_leads = FIRST_LEADS.search(bracketed[0] if bracketed else text)
    if first_leads and not bracketed:  # the convention is not an owner: read the note without it, then apply it
        text = (text[:first_leads.start()] + text[first_leads.end():]).strip("，、；。")
    if _LABEL_RE.search(text) and _LABEL_RE.match(text):
        _labelled(text, out, year)
    else:
        _suffixed(text, out, year)
    if first_leads and apply:
        apply_convention(out, first_leads[0].lstrip("，、；"))
    return out


def merge_owners(into: Owners, more: Owners) -> None:
    """Add what another note (an owner line) says."""
    for role in ("lead", "responsible", "cooperate", "collector"):
        target = getattr(into, role)
        target += [n for n in getattr(more, role) if n not in target]
    into.leaders += [n for n in more.leaders if n not in into.leaders]
    into.due += [d for d in more.due if d not in into.due]
    into.open.update(more.open)
    into.problems += more.problems
    into.conventions += [c for c in more.conventions if c not in into.conventions]


def apply_convention(out: Owners, convention: str) -> None:
    """Apply a stated defaulting convention to owners that name no lead unit (see FIRST_LEADS): the derived lead
    is written as 牵头, the responsible list stays as the document writes it."""
    if not out.responsible:
        return
    names = convention_names(convention)
    if "首位汇总" in names and not out.collector and not out.lead:
        out.collector = out.responsible[:1]
    if out.lead:
        return
    if "责任即牵头" in names:
        out.lead = list(out.responsible)
    elif "首位牵头" in names:
        out.lead = out.responsible[:1]
    else:
        return
    out.conventions.append(convention)


FIRST_COLLECTS = re.compile(r"第一(?:位|个|家)?(?:的|单位|部门)?(?:责任|主办|承办)?(?:单位|部门)?(?:为|是)(?:牵头(?:单位)?或)?汇总(?:单位|部门)")


def convention_names(statement: str) -> list[str]:
    """The language's names (约定：…) of the conventions a sentence states."""
    out = []
    if RESPONSIBLE_LEAD.search(statement):
        out.append("责任即牵头")
    elif FIRST_LEADS.search(statement) or re.search(r"第一(?:位|个|家)?(?:的|单位|部门)?(?:责任|主办|承办)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)?或汇总",
                                                    statement):
        out.append("首位牵头")
    if FIRST_COLLECTS.search(statement):
        out.append("首位汇总")
    return out


_PERSON = re.compile(r"(?:县长|区长|市长|省长|州长|旗长|书记|镇长|乡长|主席|秘书长|同志|领导)(?:[\u4e00-\u9fff]{2,3})?$|"
                     r"^(?:常务)?副?(?:县长|区长|市长|省长|书记)")
_UNIT_SUFFIX = re.compile(r"(?:局|委|办|部|院|会|中心|公司|集团|处|所|队|站|政府|管委会|专班|指挥部|小组|街道|乡镇|单位)$")


def looks_like_person(name: str) -> bool:
    """区长王启明 / 沈立新县长 / 分管副区长: a leader, not a unit (a unit's name ends like one)."""
    return bool(_PERSON.search(name)) and not _UNIT_SUFFIX.search(name)


def _add(out: Owners, role: str, names: list[str], open_ended: bool) -> None:
    for n in names:
        if role in ("lead", "responsible") and looks_like_person(n):
            if n not in out.leaders:  # （区长王启明负责，区发改局牵头）: the person is the leader
                out.leaders.append(n)
            continue
        r = role
        m = _BRACKET_ROLE.search(n)
        if m:
            n, r = n[:m.start()], _role_of(m[1][:2])
        target: list[str] = getattr(out, r)
        if n and n not in target:
            target.append(n)
    if open_ended:
        out.open[role] = True


_LABEL_TAIL = re.compile(r"(?:按职责分工|按职能分工|按职责|按职能|分别|共同|具体)?(?:负责|落实|实施|牵头|配合)$")


def _labelled(text: str, out: Owners, year: Year) -> None:
    marks = list(_LABEL_RE.finditer(text))
    for i, m in enumerate(marks):
        value = text[m.end():marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        value = value.strip("；，。、 ")
        role = next(r for r, p in _LABELS if re.fullmatch(p, m[1]))
        if not value:
            continue
        if role == "due":
            for chunk in split_top(value, "、，；"):
                item = deadline_item(chunk, year)
                if item is not None:
                    out.due.append(item)
                else:
                    out.problems.append(chunk)
            continue
        if role == "leader":
            out.leaders.extend(split_top(value, "、，；"))
            continue
        for chunk in split_top(value, "，；"):
            # 责任单位：商务厅、省发展改革委按职责分工负责 — the role words repeat the label
            chunk = _LABEL_TAIL.sub("", chunk) or chunk
            if (item := deadline_item(chunk, year)) is not None:  # …责任单位：县商务局，6月底完成
                out.due.append(item)
                continue
            names, open_ended, problems = split_names(chunk)
            out.problems.extend(problems)
            _add(out, role, names, open_ended)


def _suffixed(text: str, out: Owners, year: Year) -> None:
    for clause in split_top(text, "；"):
        pending: list[str] = []
        pending_open = False
        for chunk in split_top(clause, "，"):
            if (item := deadline_item(chunk, year)) is not None and not _SUFFIX.match(chunk):
                out.due.append(item)
                continue
            if chunk in ("长期坚持", "持续推进", "长期"):
                out.due.append(chunk)
                continue
            m = _SUFFIX.match(chunk)
            if m is None:
                names, open_ended, problems = split_names(chunk)
                if problems or not names:
                    out.problems.append(chunk)
                pending.extend(names)
                pending_open = pending_open or open_ended
                continue
            names, open_ended, problems = split_names(m["names"]) if m["names"] else ([], False, [])
            out.problems.extend(problems)
            role = _role_of(m["role"])
            if not names and not pending:
                out.problems.append(chunk)
                continue
            _add(out, role, pending + names, open_ended or (pending_open and not names))
            pending, pending_open = [], False
        if pending:
            out.problems.append("、".join(pending))


# a date followed by what is done by then, in running text: 2021年9月建成招生, 年底建成通车
_DONE_BY = re.compile(r"(?<![\d\-—~～至到])((?:20\d{2}年)?(?:(?:1[0-2]|0?[1-9])月(?:底|末)?|年底|年末))"
                      r"(?=(?:前)?(?:全面)?(?:建成|完成|竣工|投用|投入使用|投产|开工|通车|运营|开业|招生|落地|交付))")


def deadlines_in(text: str, year: Year) -> list[str]:
    """Deadlines written in running text: 6月底前, 2023年6月30日前, 年底前, 三季度末前, 2021年9月建成."""
    found: list[str] = []
    for m in DEADLINE_TEXT.finditer(text):
        s = m.group(0)
        if read_deadline(s, year) is not None and s not in found:
            found.append(s)
    for m in _DONE_BY.finditer(text):
        s = m.group(1)
        if read_deadline(s, year) is not None and not any(s in f or f in s for f in found):
            found.append(s)
    return found
