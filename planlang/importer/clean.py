"""Text normalisation: web-page furniture out, markdown marks out, words broken across lines joined.

The input is what a government web page, a PDF extraction or a Word file gives: a title, a "来源:… 浏览量:…"
header, the plan, a "扫一扫在手机打开当前页" footer. What the header says about the document (source, dates,
index number, document number) is kept in `CleanDoc.meta`; everything else that is not the plan is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planlang.importer.patterns import LABEL_LINE, marker, owner_note_at_end

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SEPARATORS = "\u2028\u2029\x85\x0b"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

# Lines that are page furniture; each is dropped (some first give their value to meta).
_META_LINES: list[tuple[str, re.Pattern]] = [
    ("source", re.compile(r"^(?:信息)?来\s*源\s*[:：]\s*(.*)$")),
    ("index_no", re.compile(r"^索\s*引\s*号\s*[:：]\s*(.*)$")),
    ("publisher", re.compile(r"^(?:发布机构|发文机关|发文机构|发布单位|制发机关|发文单位)\s*[:：]\s*(.*)$")),
    ("doc_date", re.compile(r"^(?:公文生成日期|成文日期|发文日期|生成日期|印发日期|发布日期|发布时间|公开日期)\s*[:：]\s*(.*)$")),
    ("doc_number", re.compile(r"^(?:文\s*号|发文字号|文件编号|发文编号)\s*[:：]\s*(.*)$")),
    ("reg_no", re.compile(r"^(?:登\s*记\s*号|统一登记号|规范性文件登记号)\s*[:：]\s*(.*)$")),
    ("other", re.compile(r"^(?:主题分类|体裁分类|组配分类|主题词|有\s*效\s*性|时效性|公开方式|公开范围|服务对象|作\s*者|"
                         r"(?:责任)?编\s*辑)\s*[:：]\s*(.*)$")),
]
# the labels a page header puts several of on one line: 索引号：… 　文号：… 　发布日期：…
_META_LABEL = re.compile(r"(?:^|\s{2,}|\u3000+|\s\|\s)(登\s*记\s*号|索\s*引\s*号|文\s*号|发文字号|文件编号|发布机构|发文机关|发文机构|发文单位|"
                         r"成文日期|发布日期|发布时间|公开日期|主题分类|组配分类|有\s*效\s*性|来\s*源|作\s*者|编\s*辑)\s*[:：]")
_DROP = re.compile(
    r"浏览量|浏览次数|访问量|阅读量|点击数|点击量|扫一扫|手机打开|手机上查看|^政策文件$|^政策解读$|^打印(?:本页)?$|"
    r"^关闭(?:窗口|本页)?$|^【\s*(?:打印|关闭|字体|大|中|小)|^字号\s*[:：]|^字体\s*[:：]|^当前位置\s*[:：]|^首页\s*[>＞]|"
    r"^(?:上一篇|下一篇)\s*[:：]|^相关(?:链接|文件|阅读)\s*[:：]?$|^(?:责任)?编辑\s*[:：]|^分享到|^返回顶部$|"
    r"^(?:主题分类|体裁分类|主题词|分类|有效性|时效性|组配分类|服务对象)\s*[:：]|^[\s|｜_=*·•\-—]+$|"
    r"^返\s*回$|^(?:所在|当前)位置\s*[:：]|^无障碍|^长者模式|^关怀版|^访问次数|^【\s*字体|^字体\s*[【\[]|打印整页|打印本页|"
    r"关闭窗口|^分享(?:到)?\s*[:：]?$"
)
_PAGE_NUMBER = re.compile(r"^[—\-－–]+\s*\d{1,4}\s*[—\-－–]+$|^第\s*\d{1,4}\s*页(?:\s*[/／共]\s*\d{1,4}\s*页?)?$")
_DATE_ONLY = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_CN_DATE_ONLY = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_DOC_NO_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号$")

# a title ends with the kind of document; a 主送 line (各镇人民政府，县政府各部门：) opens a notice
_DOC_TITLE_END = re.compile(r"(?:通知|方案|要点|计划|意见|清单|分解|分解表|办法|细则|规划|纲要|报告|决定)(?:[（(][^）)]{1,30}[）)])?$")
_ADDRESSEES = re.compile(r"^各.{2,80}[:：]$")

TERMINAL = set("。！？!?；;：:…")
CONTINUES = set("，,、（(“‘《【[—-·/")
_SENTENCE_PUNCT = re.compile(r"[，,。、；;！？!?]")


@dataclass(slots=True)
class Para:
    """One paragraph of the document: its text without markdown marks, and its markdown heading level."""

    text: str
    heading: int = 0


@dataclass(slots=True)
class CleanDoc:
    """The document cleaned: paragraphs in order, and what the page header said about it."""

    paragraphs: list[Para]
    meta: dict[str, str] = field(default_factory=dict)
    dropped: int = 0  # furniture lines removed
    joined: int = 0  # broken lines joined


def _strip_markdown(line: str) -> tuple[str, int]:
    """A line without markdown emphasis, list bullets and heading marks; returns (text, heading level)."""
    s = line.translate(_ZERO_WIDTH).strip()
    s = re.sub(r"^>\s*", "", s)
    heading = 0
    m = re.match(r"^(#{1,6})\s*(.*)$", s)
    if m:
        heading, s = len(m[1]), m[2]
    s = re.sub(r"^[-*+•·]\s+(?=\S)", "", s)  # bullet of a markdown list
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", s)  # *emphasis*
    s = re.sub(r"\s*#+\s*$", "", s) if heading else s  # closing ### of a heading
    return s.strip(" \t\u3000"), heading


def _title_like(text: str) -> bool:
    """Short and without sentence punctuation: a title, an organisation's name, a date line, a heading."""
    return len(text) <= 40 and not _SENTENCE_PUNCT.search(text)


def _heading_only(text: str) -> bool:
    """A numbered heading on its own line: （一）大力开展精准招商."""
    m = marker(text)
    if m is None:
        return False
    rest = text[m.end:]
    return len(rest) <= 30 and not re.search(r"[。，,；;]", rest) and not rest.endswith(("，", ",", "、"))


def should_join(a: Para, b: Para) -> bool:
    """True when line `a` stops mid-sentence and `b` continues it (a PDF page or column break)."""
    if a.heading or b.heading or not a.text or not b.text:
        return False
    if marker(b.text) is not None or LABEL_LINE.match(b.text):
        return False
    if LABEL_LINE.match(a.text) and a.text.rstrip()[-1] in ":：":
        return True  # 牵头单位: / 市发展改革委 — an owner line's value on the next line
    last = a.text[-1]
    if last in TERMINAL:
        return False
    if _heading_only(a.text):
        return False
    if last in CONTINUES:
        return True
    if last in "）)" and owner_note_at_end(a.text) is not None:
        return False
    if _title_like(a.text) or _DOC_TITLE_END.search(a.text) or _ADDRESSEES.match(b.text):
        return False
    return len(a.text) >= 15


def clean(text: str) -> CleanDoc:
    """Normalise line ends, drop furniture, strip markdown marks, join broken lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    # what a plan may not hold (a PL001 there): the separators other programs show as line ends become line
    # ends, other control characters go
    text = _FORBIDDEN.sub(lambda m: "\n" if m.group() in _SEPARATORS else "", text)
    meta: dict[str, str] = {}
    paras: list[Para] = []
    dropped = joined = 0
    waiting: str | None = None  # a header label written alone (• 索引号：), its value on the next line
    for raw in text.split("\n"):
        s, heading = _strip_markdown(raw)
        if not s:
            continue
        if waiting is not None:
            key, waiting = waiting, None
            if not _meta_line(s, meta) and not _DROP.search(s) and len(s) <= 60:
                if key != "other":
                    meta.setdefault(key, s)
                dropped += 1
                continue
        key = _meta_line(s, meta)
        if key is not None:
            dropped += 1
            if re.search(r"[:：]\s*$", s):
                waiting = key
            continue
        if _DROP.search(s) or _nav_bar(s) or _PAGE_NUMBER.match(s):
            dropped += 1
            continue
        if _DATE_ONLY.match(s) and not _CN_DATE_ONLY.match(s):
            meta.setdefault("page_date", s)
            dropped += 1
            continue
        p = Para(s, heading)
        if paras and should_join(paras[-1], p):
            sep = " " if paras[-1].text[-1].isascii() and paras[-1].text[-1].isalnum() and s[0].isascii() \
                and s[0].isalnum() else ""
            paras[-1].text += sep + s
            joined += 1
            continue
        paras.append(p)
    return CleanDoc(paras, meta, dropped, joined)


_NAV_WORDS = re.compile(r"无障碍|长者|关怀版|我的收藏|收藏|打印|字体|字号|分享|English|繁体|简体|登录|注册|返回|首页|搜索|关闭")


def _nav_bar(s: str) -> bool:
    """A site's bar of links: short pieces between | with a furniture word among them (长者助手 | 我的收藏 | 无障碍)."""
    parts = [p.strip() for p in re.split(r"[|｜]", s)]
    return len(parts) >= 2 and all(len(p) <= 10 for p in parts) and any(_NAV_WORDS.search(p) for p in parts)


def _meta_line(s: str, meta: dict[str, str]) -> str | None:
    first = None
    for key, pattern in _META_LINES:
        m = pattern.match(s)
        if m:
            first = key
            break
    if first is None:
        return None
    # one or several `label：value` pairs on the line
    marks = list(_META_LABEL.finditer(s))
    for i, m in enumerate(marks):
        value = s[m.end():marks[i + 1].start() if i + 1 < len(marks) else len(s)]
        value = re.sub(r"\s*浏览量.*$", "", value).strip(" |｜\u3000")
        label = re.sub(r"\s+", "", m[1])
        key = next((k for k, p in _META_LINES if p.match(label + "：")), "other")
        if value and key != "other":
            meta.setdefault(key, value)
    return first


def is_doc_number(text: str) -> bool:
    """岳楼发〔2017〕2号 on its own line."""
    return bool(_DOC_NO_ONLY.match(text.strip()))


def chinese_date(text: str) -> str | None:
    """2017年8月26日 on its own line → 2017-08-26."""
    m = _CN_DATE_ONLY.match(text.strip())
    if not m:
        return None
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
