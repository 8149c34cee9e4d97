"""Indicators in running text: 地区生产总值增长8%以上，总量达到420亿元；力争社会消费品零售总额突破52亿元.

`extract(sentence_text)` finds each number with a unit of measure, the metric it measures (the words before it,
or a noun after it: 新增10家市级以上科技创新平台), the verb (增长 / 提高 …), the comparator (突破 / 达到 / 以上 …)
and the firmness (确保 / 力争, which carries over the clauses after it unless the sentence mixes them). Pairs (城乡居民收入增长8%和10%以上;
A、B分别增长8%、8.5%) and shared values (A、B、C均增长15%以上) are spread over their metrics. What looks like an
indicator but does not read cleanly (ranges 2—3条, ranks 前13名) is returned as a problem, never as a guess.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from planlang.model.values import read_quantity

_UNITS = sorted(set(
    "万亿元 千亿元 亿元 千万元 百万元 万元 元 亿美元 万美元 美元 % ％ ‰ 个百分点 百分点 万亩 亩 万公顷 公顷 平方公里 平方千米 "
    "万平方米 平方米 万吨 吨 公里 千米 万千瓦 千瓦 兆瓦 亿千瓦时 万千瓦时 千瓦时 亿人次 万人次 人次 万人 万户 户 家 个 项 "
    "人 名 所 座 套 辆 栋 批 台 件 处 宗 条 次 场 期 床 倍 万标箱 标准箱 万 亿".split()), key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_QTY = re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{_UNIT_RE})(?P<post>及以上|以上|以内|以下|左右)?")
_RANGE = re.compile(rf"\d+(?:\.\d+)?\s*[—\-~～至到]\s*\d+(?:\.\d+)?\s*(?:{_UNIT_RE})")
_FIRM = re.compile(r"力争|确保|争取|预期|预计")
_FIRM_WORD = {"力争": "力争", "争取": "力争", "确保": "确保", "预期": "预期", "预计": "预期"}

_LEAD = re.compile(
    r"^(?:力争|确保|争取|预计|预期|努力|全年|实现|完成|其中|同时|并且|并|且|和|及|以及|为实现|为|使|让|推动|累计|"
    r"到20\d{2}年(?:末|底)?|20\d{2}年(?:末|底|度)?|在|要|将|当年|年内|今年|明年)")
_TRAIL = re.compile(
    r"(力争|确保|争取|预期|预计|年均增长|同比增长|年均|增长|增速|增幅|提高|提升|下降|降低|减少|增加|突破|超过|高于|达到|达|不低于|不少于|不超过|"
    r"控制在|稳定在|保持在|为|至|到|均|分别|约|共|累计|实现|完成)$")
_GROWTH_VERBS = {"增长", "年均增长", "同比增长", "增速", "增幅"}
_CHANGE_VERBS = {"提高", "提升", "下降", "降低", "减少", "增加"}
_PRE = {"突破": "突破", "超过": "超过", "高于": "超过", "达到": "达到", "达": "达到", "不低于": "不低于",
        "不少于": "不少于", "不超过": "不超过", "控制在": "控制在", "约": "约"}
_TOTAL_WORDS = {"总量", "总额", "规模", "总值", "总数", "总计"}
_SEP = "，,；;：:。！？!?"


@dataclass(slots=True)
class Indicator:
    """One indicator read from text."""

    metric: str
    value: str  # number and unit as written, no spaces: 52亿元, 8%
    kind: str  # growth (增长 x%), change (提高 1.5个百分点), ratio (a share in %), total (an amount or a count)
    firm: str = ""  # 确保 / 力争 / 预期
    pre: str = ""  # 突破 / 达到 / 控制在 …
    verb: str = ""  # for change: 提高 / 下降 …
    post: str = ""  # 以上 / 以内 / 左右
    annual: bool = False
    source: str = ""  # the clause it was read from

    def measure(self, with_verb: bool = False) -> str:
        """The value as a planlang measure: `力争 8%`, `8%以上`, `力争突破 52亿元`, `年均 9.5%`."""
        head = self.firm
        if self.annual and self.kind == "growth":
            head += (" " if head else "") + "年均"
        if with_verb and self.kind == "growth":
            head += "增长"
        if self.kind == "change":
            head += self.verb
        head += self.pre
        return f"{head} {self.value}{self.post}".strip()

    def quantity(self):
        return read_quantity(self.measure())


@dataclass(slots=True)
class Extraction:
    indicators: list[Indicator] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；;！？!?])", text) if s.strip()]


def extract(text: str) -> Extraction:
    """Every indicator of a paragraph, sentence by sentence."""
    out = Extraction()
    for sentence in _sentences(text):
        _sentence(sentence, out)
    return out


class _Line:
    """A sentence with its separator and firmness-word positions, so that every lookup around a number is a
    binary search, never a rescan of the text before it: a paragraph of any length is read in linear time."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.seps = [i for i, c in enumerate(s) if c in _SEP]
        self.ends = [i for i, c in enumerate(s) if c in _SEP or c == "、"]
        self.firms = [(m.start(), m.end(), _FIRM_WORD[m.group(0)]) for m in _FIRM.finditer(s)]
        self.firm_starts = [f[0] for f in self.firms]

    def clause_start(self, pos: int) -> int:
        k = bisect.bisect_left(self.seps, pos)
        return self.seps[k - 1] + 1 if k else 0

    def clause_end(self, pos: int) -> int:
        k = bisect.bisect_left(self.ends, pos)
        return self.ends[k] if k < len(self.ends) else len(self.s)

    def firm_words(self, lo: int, hi: int) -> list[str]:
        """The firmness words wholly inside s[lo:hi], in order."""
        k = bisect.bisect_left(self.firm_starts, lo)
        out = []
        while k < len(self.firms) and self.firms[k][1] <= hi:
            out.append(self.firms[k][2])
            k += 1
        return out

    def last_firm(self, lo: int, hi: int) -> str:
        """The last firmness word wholly inside s[lo:hi], or ''."""
        k = bisect.bisect_right(self.firm_starts, hi) - 1
        while k >= 0 and self.firms[k][0] >= lo:
            if self.firms[k][1] <= hi:
                return self.firms[k][2]
            k -= 1
        return ""

    def clause(self, a: int, b: int) -> str:
        """The clause around s[a:b], at most MAX_CLAUSE characters either side of it."""
        start = max(self.clause_start(a), a - MAX_CLAUSE)
        end = min(self.clause_end(b), b + MAX_CLAUSE)
        return self.s[start:end].strip()


# The words before a number that can name its metric, and the clause quoted in a problem, are bounded: a
# metric is at most 30 characters once its lead-in words are stripped.
MAX_BEFORE = 120
MAX_CLAUSE = 80


def _strip_metric(before: str) -> tuple[str, str, str, bool, str, str]:
    """Words before a number → (metric, verb, pre, annual, shared, baseline year)."""
    s = before.strip(" \u3000、，,")
    baseline = ""
    verb = pre = ""
    annual = False
    shared = ""
    while True:
        m = _TRAIL.search(s)
        if not m:
            break
        w = m.group(1)
        s = s[:m.start()].rstrip()
        if w in _GROWTH_VERBS or w == "年均":
            verb = verb or ("增长" if w != "年均" else verb)
            annual = annual or w.startswith("年均")
        elif w in _CHANGE_VERBS:
            verb = verb or w
        elif w in _PRE:
            pre = pre or _PRE[w]
        elif w in ("均", "分别"):
            shared = shared or w
        if not s:
            break
    if s.startswith("年均"):
        annual, s = True, s[2:]
    while True:
        m = _LEAD.match(s)
        if not m or not m.group(0):
            break
        s = s[m.end():]
    mb = re.match(r"^比(20\d{2})年(?:同期)?", s)
    if mb:
        baseline, s = mb[1], s[mb.end():]
    # a verb in the middle (全区实现外贸进出口总额) starts the metric after it
    mm = re.search(r"(?:实现|完成|达到)(?=[\u4e00-\u9fff“])", s)
    if mm and mm.end() < len(s):
        s = s[mm.end():]
    s = s.strip(" \u3000、，,的")
    return s, verb, pre, annual, shared, baseline


def _sentence(s: str, out: Extraction) -> None:
    """One sentence's indicators: each value read with the words before it (and a noun after it) as its metric;
    a value with no metric of its own names the previous one again; a pair or list of values for one phrase
    (8%、8.5%) is spread over the phrase's parts. What cannot be read is a problem, quoted by its clause."""
    line = _Line(s)
    matches = _values(s, line, out)
    firmness = _Firmness(line)
    prev_ind: Indicator | None = None
    prev_end = 0
    group: list[Indicator] = []
    for i, m in enumerate(matches):
        a, b = m.start(), m.end()
        cstart = line.clause_start(a)
        start = max(cstart, prev_end, a - MAX_BEFORE)
        tail_end = line.clause_end(b)
        if i + 1 < len(matches):
            tail_end = min(tail_end, matches[i + 1].start())
        tail = s[b:tail_end]
        if tail.strip() in ("和", "与", "及"):
            tail = ""
        if i + 1 < len(matches) and matches[i + 1].start() <= tail_end:
            between = s[b:matches[i + 1].start()].strip()
            if between not in ("", "和", "与", "及") and re.search(r"[\u4e00-\u9fff]", between):
                continue  # a qualifier: 引进10亿元项目2个 — 10亿元 is part of the next metric
        before = s[start:a]
        pair = bool(re.fullmatch(r"\s*[、和与及]?\s*", before)) and prev_ind is not None and prev_end == start
        metric, verb, pre, annual, shared, baseline = _strip_metric(before)
        firm = firmness.at(a, cstart)
        value = re.sub(r"\s+", "", m["num"] + m["unit"]).replace("％", "%")
        post = m["post"] or ""
        tail_noun = re.sub(r"^的", "", tail).strip()
        if tail_noun and not pair and re.search(r"[\u4e00-\u9fff]", tail_noun) \
                and not re.match(r"^(?:以上|以内|左右|的目标|目标|水平)", tail_noun):
            if len(metric) > 4 or len(tail_noun) > 20 or re.search(r"(?:[年月日]|年产|产能|投资|面积|占地|装机|容量)$", metric) or \
                    (tail_end < len(s) and s[tail_end] == "、"):
                prev_end = b
                continue  # a number inside a noun phrase (年产25万吨辣条产业园): a description, not a target
            metric = (metric + tail_noun) if metric else tail_noun
            b = tail_end
        src = line.clause(a, b)
        if pair and prev_ind is not None:
            ind = Indicator(prev_ind.metric, value, prev_ind.kind, firm or prev_ind.firm, pre or prev_ind.pre,
                            prev_ind.verb, post, prev_ind.annual, src)
            if not group:
                group.append(prev_ind)
            group.append(ind)
            prev_ind, prev_end = ind, b
            continue
        _close_group(group, out)
        group = []
        kind = _kind(value, verb)
        metric, kind = _named_again(metric, before, baseline, verb, value, kind, prev_ind)
        if not metric or len(metric) > 30 or len(metric) < 2:
            out.problems.append(src)
            prev_end = b
            continue
        ind = Indicator(metric, value, kind, firm, pre, verb if kind == "change" else "", post, annual, src)
        if ind.quantity() is None or ind.quantity().normalized is None:
            out.problems.append(src)
            prev_end = b
            continue
        prev_ind, prev_end = _added(ind, shared, s, b, out), b
    _close_group(group, out)


def _values(s: str, line: _Line, out: Extraction) -> list[re.Match]:
    """The numbers with a unit in a sentence that can be values, in order; a range (8%-10%) and a number after
    前 (前10名) are problems instead."""
    for r in _RANGE.finditer(s):
        out.problems.append(line.clause(r.start(), r.end()))
    matches = []
    for m in _QTY.finditer(s):
        a, b = m.start(), m.end()
        prev = s[a - 1] if a > 0 else ""
        nxt = s[b] if b < len(s) else ""
        if prev and (prev.isascii() and (prev.isalnum() or prev in ".-+~/") or prev in "—～第前"):
            if prev == "前":
                out.problems.append(line.clause(a, b))
            continue
        if nxt.isdigit():
            continue
        unit = m["unit"]
        if unit in ("万", "亿") and nxt and "\u4e00" <= nxt <= "\u9fff" and nxt not in "的":
            continue  # 1000万元 is caught whole; 3万多 / 2亿级 are not values
        matches.append(m)
    return matches


class _Firmness:
    """The firmness word (确保 / 力争 / 预期) of each value of a sentence, read left to right: one carries over
    the clauses after it — unless the sentence mixes firmness words (预期175亿元，力争177亿元), then each
    applies to its own clause only."""

    def __init__(self, line: _Line) -> None:
        self.line = line
        self.seen: set[str] = set()  # the firmness words met so far (two kinds: the sentence mixes them)
        self.k = 0

    def at(self, a: int, clause_start: int) -> str:
        """The firmness word of a value at `a`, in the clause that starts at `clause_start` ('' when none)."""
        firms = self.line.firms
        while len(self.seen) < 2 and self.k < len(firms) and firms[self.k][1] <= a:
            self.seen.add(firms[self.k][2])
            self.k += 1
        mixed = len(self.seen) > 1
        return self.line.last_firm(clause_start if mixed else 0, a)


def _named_again(metric: str, before: str, baseline: str, verb: str, value: str, kind: str,
                 prev_ind: Indicator | None) -> tuple[str, str]:
    """(metric, kind) of a value: the previous value's metric when the words before it name none but a total
    word, a baseline year, a verb, or a firmness word alone (预期完成12亿元，力争完成12.5亿元)."""
    only_firm = bool(re.fullmatch(rf"(?:{_FIRM.pattern})(?:完成|实现|达到)?", before.strip(" ，,、")))
    if not metric and prev_ind is not None and (metric in _TOTAL_WORDS or before.strip(" ，,") in _TOTAL_WORDS
                                                or baseline or verb or only_firm):
        metric = prev_ind.metric
        if only_firm and value.endswith("%") == prev_ind.value.endswith("%"):
            kind = prev_ind.kind  # 增长8%，力争9%: the stretch value of the same growth rate
    elif metric in _TOTAL_WORDS and prev_ind is not None:
        metric = prev_ind.metric
    return metric, kind


def _added(ind: Indicator, shared: str, s: str, b: int, out: Extraction) -> Indicator:
    """Add an indicator; one whose metric names parts sharing its value (A和B均增长8%, or 分别 with one value)
    is added once per part. The last one added."""
    if shared == "均" or (shared == "分别" and not _pair_follows(s, b)):
        parts = _metric_parts(ind.metric)
        if len(parts) > 1:
            for p in parts:
                out.indicators.append(Indicator(p, ind.value, ind.kind, ind.firm, ind.pre, ind.verb, ind.post,
                                                ind.annual, ind.source))
            return out.indicators[-1]
    out.indicators.append(ind)
    return ind


_PAIR = re.compile(rf"\s*[、和与及]\s*\d+(?:\.\d+)?\s*(?:{_UNIT_RE})")


def _pair_follows(s: str, b: int) -> bool:
    """The value at `b` is followed by another one for the same phrase: 8%、8.5% or 8%和10%."""
    return bool(_PAIR.match(s, b))


def _close_group(group: list[Indicator], out: Extraction) -> None:
    """A pair or list of values for one metric phrase: spread them over the metric's parts."""
    if not group:
        return
    first = group[0]
    last_post = group[-1].post
    for ind in group:
        ind.post = ind.post or last_post
    parts = _metric_parts(first.metric)
    if len(parts) != len(group) and first.metric.startswith("城乡") and len(group) == 2:
        rest = first.metric[2:]
        parts = ["城镇" + rest, "农村" + rest]
    if len(parts) != len(group):
        if first in out.indicators:
            out.indicators.remove(first)
        out.problems.append(first.source.split("，")[0] + "……" + group[-1].value + group[-1].post)
        return
    if first in out.indicators:
        out.indicators.remove(first)
    for ind, name in zip(group, parts):
        ind.metric = name
        out.indicators.append(ind)


def _metric_parts(metric: str) -> list[str]:
    m = re.sub(r"(?:分别|均|都)$", "", metric)
    parts = [p for p in re.split(r"[、和与及]", m) if p]
    return parts if len(parts) > 1 and all(len(p) >= 2 for p in parts) else [m]


def _kind(value: str, verb: str) -> str:
    pct = value.endswith("%") or value.endswith("百分点")
    if verb == "增长" and pct:
        return "growth"
    if verb in _CHANGE_VERBS or verb == "增长":
        return "change"
    if pct:
        return "ratio"
    return "total"

