"""Shared text patterns: heading numbering, owner notes, sentences, titles."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_int(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20; 0 when not a Chinese number."""
    if not s:
        return 0
    if s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        return (_CN_DIGIT.get(head, 0) if head else 1) * 10 + (_CN_DIGIT.get(tail, 0) if tail else 0)
    n = 0
    for ch in s:
        if ch not in _CN_DIGIT:
            return 0
        n = n * 10 + _CN_DIGIT[ch]
    return n


@dataclass(frozen=True, slots=True)
class Marker:
    """The numbering at the start of a paragraph: its style, its ordinal and where the text after it starts."""

    kind: str  # part 第一部分, cn 一、, pcn （一）, num 1., pnum （1）, rnum 1）, circ ①, dash ——
    ordinal: int
    end: int


_MARKERS: list[tuple[str, re.Pattern]] = [
    ("part", re.compile(r"^第([一二三四五六七八九十]{1,3})(?:部分|章|篇)[\s、：:]*")),
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*")),
    ("pcn", re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*[、.．]?\s*")),
    ("pnum", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、.．]?\s*")),
    ("num", re.compile(r"^(\d{1,3})\s*[*＊★]?\s*[.．、](?![\d.．])\s*")),  # 3*. marks a key item
    ("rnum", re.compile(r"^(\d{1,2})\s*[）)]\s*")),
    ("circ", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
    ("dash", re.compile(r"^(?:——|－－|—{1}(?=[\u4e00-\u9fff]))\s*")),
]


def marker(text: str) -> Marker | None:
    """The numbering a paragraph starts with, if any (一、 （一） 1. （1） 1） ① ——)."""
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if not m:
            continue
        if kind == "dash":
            return Marker(kind, 0, m.end())
        g = m[1]
        n = _CIRCLED.index(g) + 1 if kind == "circ" else cn_int(g)
        if n <= 0:
            continue
        if m.end() >= len(text):
            continue  # a bare number is not a heading
        return Marker(kind, n, m.end())
    return None


ROLE_WORDS = r"牵头|负责|责任单位|配合|协办|协助|参与|主办|承办|责任领导|分管领导|牵头领导|责任部门|协同|汇总|^由.{2,30}?(?:统筹|组织|推进|实施|承担|抓总)"
_ROLE = re.compile(ROLE_WORDS)

def _label_line() -> re.Pattern:
    from planlang.importer.owners import LABEL_WORDS

    return re.compile(rf"^\s*(?:{LABEL_WORDS})\s*[:：]")


# an owner line: 牵头单位：… / 责任单位:… / 责任领导：… / 完成时限：… (the labels owners.py reads)
LABEL_LINE = _label_line()


def _matching_open(text: str, close: int) -> int | None:
    depth = 0
    for i in range(close, -1, -1):
        c = text[i]
        if c in "）)":
            depth += 1
        elif c in "（(":
            depth -= 1
            if depth == 0:
                return i
    return None


_PAIRS = {"〕": "〔", "】": "【", "]": "["}


def _matching_bracket(text: str, close: int) -> int | None:
    """The opening 〔 【 [ of the bracket closing at `close` (〔责任单位：商务厅、省发展改革委按职责分工负责〕)."""
    opening = _PAIRS[text[close]]
    depth = 0
    for i in range(close, -1, -1):
        if text[i] == text[close]:
            depth += 1
        elif text[i] == opening:
            depth -= 1
            if depth == 0:
                return i
    return None


@dataclass(frozen=True, slots=True)
class Note:
    """A bracketed owner note: where it is, and what is inside the brackets."""

    start: int
    end: int
    inner: str


def owner_note_at_end(text: str) -> Note | None:
    """The owner note that ends a paragraph: a bracketed group that names owners (…（区发改局牵头，各街道负责）。),
    or, unbracketed, owner labels after the item's last sentence (…。牵头单位：区发改局；责任单位：各街道。) or a last
    sentence that reads wholly as owners (…。区应急局牵头，各街道负责。)."""
    t = text.rstrip(" \t\u3000。．.；;")
    if not t:
        return None
    tail = _owner_tail(t)
    if tail is not None:
        return tail
    if t[-1] not in "）)〕】]":
        return None
    start = _matching_open(t, len(t) - 1) if t[-1] in "）)" else _matching_bracket(t, len(t) - 1)
    if start is None:
        return None
    inner = t[start + 1:-1].strip()
    if not inner or not _ROLE.search(inner) or len(inner) > 400:
        return None
    return Note(start, len(t), inner)


_TAIL_MAX = 300  # an owner segment is short; longer tails are not looked at (a long line stays linear)


def _balanced(text: str) -> bool:
    """No bracket of `text` closes one opened before it."""
    depth = 0
    for c in text:
        if c in "（(〔【[":
            depth += 1
        elif c in "）)〕】]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _owner_tail(t: str) -> Note | None:
    from planlang.importer.owners import LABEL_WORDS, parse_owner_note

    window_start = max(0, len(t) - _TAIL_MAX)
    window = t[window_start:]
    # owner labels after a sentence boundary, read to the end
    for m in re.finditer(rf"(?:^|(?<=[。；;，,\s\u3000]))(?:{LABEL_WORDS})\s*[:：]", window):
        start = window_start + m.start()
        if start == 0:
            break  # the whole paragraph is owner lines: LABEL_LINE's business
        inner = t[start:]
        if not _balanced(inner):
            continue  # inside a bracketed note: the bracket is the note
        o = parse_owner_note(inner)
        if o.ok and (o.has_owner or o.leaders or o.cooperate):
            return Note(start, len(t), inner)
        break
    # a last sentence that is nothing but owners: 区应急局牵头，各街道负责
    cut = max(t.rfind("。", window_start), t.rfind("；", window_start))
    if cut > 0 and t[-1] not in "）)〕】]":
        inner = t[cut + 1:].strip()
        if inner and _ROLE.search(inner) and len(inner) <= 120 and _balanced(inner):
            o = parse_owner_note(inner)
            if o.ok and o.has_owner:
                return Note(cut + 1, len(t), inner)
    return None


_SENT_END = re.compile(r"[。！？!?]")


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？ (the end mark kept), brackets respected."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and c in "。！？!?":
            out.append(text[start:i + 1])
            start = i + 1
    if text[start:].strip():
        out.append(text[start:])
    return [s for s in (x.strip() for x in out) if s]


MAX_TITLE = 40


def title_and_rest(text: str) -> tuple[str, str, bool]:
    """A numbered item's title — its first sentence — and the rest of the paragraph. The third value is False
    when the title had to be shortened (then the whole paragraph belongs in the description)."""
    text = text.strip()
    m = _first_stop(text)
    if m is not None:
        first, rest = text[:m], text[m + 1:].strip()
    else:
        first, rest = text, ""
    first = first.strip().rstrip("：:，,；;")
    if 0 < len(first) <= MAX_TITLE:
        return first, rest, True
    clause = re.split(r"[，,；;：:]", first, maxsplit=1)[0].strip()
    if 4 <= len(clause) <= MAX_TITLE:
        return clause, text, False
    return first[:30].rstrip() + "…", text, False


def _first_stop(text: str) -> int | None:
    """Index of the first 。！？ outside brackets and quotes."""
    depth = 0
    quote = 0
    for i, c in enumerate(text):
        if c in "（(《":
            depth += 1
        elif c in "）)》":
            depth = max(0, depth - 1)
        elif c == "“":
            quote += 1
        elif c == "”":
            quote = max(0, quote - 1)
        elif depth == 0 and quote == 0 and c in "。！？!?":
            return i
    return None
