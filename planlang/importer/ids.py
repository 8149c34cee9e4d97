"""Readable ids for drafts: a short key from the head of a title, not its first characters.

A person reads and types ids (`支撑：产业培育`, `牵头：专班`), so an id names what the block is about:

- the title's first clause, without quotes, brackets, a leading year or numbering;
- without the verbs and adverbs that open an action (加快 / 推进 / 大力 / 着力 / 进一步 …) and the predicate that
  closes a goal (…加力提速, …持续提升, …更加可感): `产业培育加力提速` → 产业培育, `加快推进营商环境建设` → 营商环境;
- without a trailing generic word (工作, 建设, 工程, 行动 …) when enough is left;
- at most eight characters, cut at 的 / 和 when there is one;
- a plan's id: its place (南湖新区 → 南湖), its topic and its year: `柳塘政府工作报告2024`.

Ids are unique per kind: a second 营商环境 is 营商环境2.
"""

from __future__ import annotations

import re

_BAD = re.compile(r"[\s“”「」\"'‘’：:，,、；;{}｛｝#/《》〈〉【】\[\]。！？!?·…（）()<>★☆*＊]")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]|〔[^〔〕]*〕|【[^【】]*】")
_YEAR = re.compile(r"^(?:20\d{2}\s*[—\-－~至到]\s*)?20\d{2}\s*年(?:度)?")
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十]+[部分章篇节条]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
                        r"\d+[.．、]|[①-⑳])\s*")
_OPENING = re.compile(r"^(?:进一步|全力|全面|大力|着力|持续|深入|扎实|切实|积极|不断|加快|加速|加大|加强|强化|深化|推进|推动|"
                      r"实施|开展|做好|抓好|做实|做强|做优|做大|打造|构建|完善|优化|提升|提高|促进|落实|聚焦|围绕|坚持|巩固|"
                      r"统筹|健全|建立|培育|着眼|突出|狠抓|打好|打赢|决战|攻坚|以)(?=[\u4e00-\u9fffA-Za-z0-9]{2})")
_PREDICATE = re.compile(r"(?:持续|不断|有效|实现|更加|更趋|进一步|全面|显著|明显|稳步|加快|加力|大幅|基本|守稳|取得|稳中|"
                        r"逐步|切实|迈上|再上|走在|保持|稳定|同步|协调)")
_GENERIC_END = re.compile(r"(?:工作|建设|工程|行动|任务|措施|举措|水平|能力|体系|机制|方面|领域|情况)$")
_DOC_TYPE = re.compile(r"(?:的)?(?:重点)?(?:工作方案|实施方案|总体方案|行动方案|方案|实施意见|指导意见|意见|工作计划|行动计划|"
                       r"计划|工作要点|要点|任务清单|清单|责任分解表|任务分解表|分解表|责任分解|任务分解|分解|规划纲要|纲要|"
                       r"规划|细则|办法|通知)$")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,8}?)(?:省|自治区|市|自治州|州|盟|地区|新区|开发区|县|区|旗|镇|乡|街道)"
                    r"(?:人民政府|政府)?(?:办公室|办公厅)?")
LIMIT = 8


def clean_title(title: str) -> str:
    s = _BRACKETED.sub("", title)
    s = _NUMBERING.sub("", s.strip())
    s = _YEAR.sub("", s.strip())
    return s


def head_key(title: str, limit: int = LIMIT) -> str:
    """The head noun phrase of a title, at most `limit` characters (see the module's docstring)."""
    s = clean_title(title)
    s = re.split(r"[，,；;：:。！？!?]", s, maxsplit=1)[0]
    s = _BAD.sub("", s)
    for _ in range(4):
        m = _OPENING.match(s)
        if not m:
            break
        s = s[m.end():]
    p = next((m for m in _PREDICATE.finditer(s) if m.start() >= 2), None)
    if p is not None:
        s = s[:p.start()]
    g = _GENERIC_END.search(s)
    if g and g.start() >= 3:
        s = s[:g.start()]
    return _cut(s, limit).rstrip("和与及的")


# words a key may end with when it has to be cut short
_WORD_END = re.compile(r"报告|工作|任务|行动|环境|建设|发展|改革|服务|经济|产业|项目|投资|消费|民生|保障|治理|创新|开放|安全|"
                       r"生态|城市|乡村|振兴|营商|招商|就业|教育|医疗|养老|文化|旅游|交通|能源|数字|人才|科技|金融|农业|工业")


def _cut(s: str, limit: int) -> str:
    if len(s) <= limit:
        return s
    cut = max(s.rfind("的", 0, limit + 1), s.rfind("和", 0, limit + 1))
    if cut >= 2:
        return s[:cut]
    ends = [m.end() for m in _WORD_END.finditer(s) if m.end() <= limit]
    return s[:ends[-1]] if ends and ends[-1] >= 2 else s[:limit]


def plan_key(title: str) -> str:
    """A plan's id: place, topic and year (南湖新区打好经济增长主动仗工作方案 → 南湖经济增长主动仗)."""
    year = re.search(r"(20\d{2})\s*(?:年)?\s*(?:[—\-－~至到]\s*(20\d{2}))?\s*年", title)
    s = _BRACKETED.sub("", title)
    s = re.sub(r"^(?:关于)?(?:印发)?", "", s)
    place = ""
    while (m := _PLACE.match(s)) is not None:  # 怀化市鹤城区: the nearest place
        place = m[1]
        s = s[m.end():]
    s = re.sub(r"20\d{2}\s*年(?:度)?", "", s.strip())
    s = _DOC_TYPE.sub("", _BAD.sub("", s))
    s = _DOC_TYPE.sub("", s)
    s = re.sub(r"^(?:[省市县区]?(?:人民)?政府)(?=政府工作报告)|^[省市县区](?=政府)", "", s)
    topic = head_key(s, 8) if s else ""
    years = (year[1] + ("-" + year[2] if year[2] else "")) if year else ""
    key = place + topic + years
    return key or "方案"
