"""Mechanism paragraphs → 机制: kind, convener, deputies, members, office, cadences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planlang.importer.owners import split_names
from planlang.model.values import read_cadence

# kind (canonical zh) and the words that signal it, strongest first
KINDS: list[tuple[str, str]] = [
    ("领导小组", r"领导小组|指挥部|委员会"),
    ("专班", r"专班"),
    ("调度", r"调度"),
    ("督查", r"督查|督察|督导|督办"),
    ("考核", r"考核|考评|评价|评比"),
    ("通报", r"通报|简报|月报|周报|报告制度|信息报送"),
    ("讲评", r"讲评|点评|评议"),
    ("问责", r"问责|追责|责任追究"),
]
ID_OF_KIND = {"领导小组": "领导小组", "专班": "专班", "调度": "调度", "督查": "督查", "考核": "考核", "通报": "通报",
              "讲评": "讲评", "问责": "问责"}

_CADENCE = re.compile(r"(?:每|按)?(?:半年|季度|季|月|旬|周|日|年)度?(?:调度会?|通报|讲评|简报|报告|例会|会商|点评|"
                      r"总结|小结|督查|考核|调度|月报|汇报|研判)")
_EVERY = re.compile(r"每(?:半年|季度|季|个月|月|旬|周|日|天|年)")
_FOUNDS = re.compile(r"(?:成立|组建|设立)由[^。；]{0,60}?(领导小组|指挥部|专班)|"
                     r"(?:成立|组建|设立|建立)[^。；，,]{0,40}?(领导小组|指挥部|专班)")
_POSTS = r"(?:书记|副书记|主任|副主任|区长|副区长|县长|副县长|市长|副市长|镇长|乡长|局长|部长|主席|委员|负责人|同志|领导)"


@dataclass(slots=True)
class MechInfo:
    """What a mechanism paragraph says."""

    kind: str | None
    name: str | None = None  # 打好经济增长主动仗工作专班
    convener: list[str] = field(default_factory=list)  # positions as written
    deputy: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    members_open: bool = False
    office: list[str] = field(default_factory=list)
    cadence: list[str] = field(default_factory=list)
    person_names: list[str] = field(default_factory=list)  # names dropped from posts (李征兵)
    problems: list[str] = field(default_factory=list)


def _first_kind(text: str, kinds: list[tuple[str, str]]) -> str | None:
    best: tuple[int, str] | None = None
    for kind, pattern in kinds:
        m = re.search(pattern, text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


def mechanism_kind(title: str, text: str) -> str | None:
    """The kind the title names first; else the group the text sets up (成立……专班); else the review kind the
    text names first; else a group it mentions."""
    kind = _first_kind(title, KINDS)
    if kind:
        return kind
    founds = _FOUNDS.search(text)
    if founds:
        return "领导小组" if (founds[1] or founds[2]) in ("领导小组", "指挥部") else "专班"
    return _first_kind(text, [k for k in KINDS if k[0] not in ("领导小组", "专班")]) or _first_kind(text, KINDS)


def _post(text: str, info: MechInfo) -> str:
    """A post as written, without a person's name after it: 区党工委副书记、管委会副主任李征兵 → …副主任."""
    t = text.strip(" ，,、")
    m = re.match(rf"^(.*{_POSTS})([\u4e00-\u9fff]{{2,3}})$", t)
    if m and not re.search(_POSTS + "$", t):
        info.person_names.append(m[2])
        return m[1]
    return t


def read_mechanism(title: str, text: str) -> MechInfo:
    """Read one mechanism paragraph. A paragraph that sets up a group (成立……领导小组 / 专班) describes that
    group, whatever its heading says."""
    kind = mechanism_kind(title, text)
    founds = _FOUNDS.search(text)
    if founds:
        kind = "领导小组" if (founds[1] or founds[2]) in ("领导小组", "指挥部") else "专班"
    info = MechInfo(kind)
    t = re.sub(r"[\s\u3000]+", "", text).replace(",", "，").replace(";", "；").replace(":", "：")
    m = re.search(r"成立(?:由[^。；]*?的)?([^，。；、“”]{2,40}?(?:工作专班|总专班|专班|领导小组|指挥部|委员会))", t)
    if m:
        info.name = m[1]
    for pat in (r"由([^。；]{2,60}?)(?:担任|任)(?:召集人|组长|总指挥|主任)", r"由([^。；，]{2,40}?)总牵头",
                r"([^。；，由]{2,40}?)(?:担任|任)(?:召集人|组长|总指挥)"):
        mm = re.search(pat, t)
        if mm:
            info.convener = [_post(mm[1], info)]
            break
    mm = re.search(r"[，、]?([^。；，由]{2,60}?)(?:担任|任)副(?:召集人|组长|总指挥|主任)", t)
    if mm:
        parts = re.split(r"和|及", mm[1])
        info.deputy = [_post(p, info) for p in parts if p.strip()]
    mm = re.search(r"成员(?:单位)?(?:包括|为|由|有|：)?([^。；]+?)(?:等(?:部门单位|部门|单位|成员单位)?)?(?:组成)?(?=[，。；]|$)", t)
    if mm and "、" in mm[1]:
        whole = mm.group(0)
        names, open_ended, problems = split_names(mm[1])
        info.members = names
        info.members_open = open_ended or bool(re.search(r"等(?:部门单位|部门|单位|成员单位)?(?:组成)?$", whole))
        info.problems.extend(problems)
    mm = re.search(r"办公室设(?:在)?([^，。；、]{2,30}?)(?=[，。；]|负责|具体|承担|$)", t)
    if mm:
        names, _, problems = split_names(mm[1])
        if names and not problems:
            info.office = names[:1]
    cad: list[str] = []
    for c in _CADENCE.finditer(t):
        s = c.group(0)
        if read_cadence(s) is not None and s not in cad and not re.match(r"^(?:年|日)", s):
            cad.append(s)
    if not cad:
        for c in _EVERY.finditer(t):
            s = c.group(0).replace("个月", "月")
            if read_cadence(s) is not None and s not in cad:
                cad.append(s)
    info.cadence = cad
    return info
