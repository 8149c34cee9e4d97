"""The document's outline numbering (`编号` / `numbering` on the plan) and the outline it gives.

A plan that states no scheme is numbered as before: the task tree alone, 一、（一）1.（1）① by depth. A plan that
states one is laid out as its document is: chapters (一、二、三、) for the titled free-text parts and for the goals,
tasks and mechanisms where the scheme puts them, and each kind numbered by its own levels below. The notation
(docs/language.md, "Numbering"):

    编号：一、（一）1.（1）                       the document's levels, chapters first
    编号：一、（一）1.  任务 （一）一是  机制 无      then, per kind, the levels it uses from its top level down

A marker is written as the level's first number: `三、` starts at 三, `（3）` at 3. `连续` after a marker makes
that level's numbers run on across parents. Run-in markers (`一是`, `——`, `无`) write the items as paragraphs that
open with the marker instead of headings; `略` leaves the kind out of the document (its text is elsewhere).

`layout` walks the plan's top-level items in source order and returns the outline: which items open chapters,
each item's number and level. Resolution takes the tasks' numbers from it, the document renders their headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from planlang.diagnostics import Message
from planlang.model.nodes import Goal, Mechanism, Numbering, NumberingLevel, Task, TextPart

_CN = "零一二三四五六七八九"
_CN_DIGITS = "零〇一二三四五六七八九十百"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_KINDS = {"任务": "tasks", "tasks": "tasks", "task": "tasks", "目标": "goals", "goals": "goals", "goal": "goals",
          "机制": "mechanisms", "mechanisms": "mechanisms", "mechanism": "mechanisms",
          "文档": "document", "document": "document", "全文": "document"}
_CONTINUOUS = ("连续", "continuous")
_SPECIAL = {"——": "dash", "—": "dash", "dash": "dash", "无": "none", "none": "none", "略": "omit", "omit": "omit"}

_TOKEN = re.compile(
    r"\s+|[，,；;]"
    r"|(?P<kind>任务|目标|机制|文档|全文|tasks?|goals?|mechanisms?|document)"
    r"|(?P<cont>连续|continuous)"
    r"|(?P<special>——|—|无|略|dash|none|omit)"
    rf"|(?P<circled>[{CIRCLED}])"
    rf"|(?P<pre>第|[（(])?(?P<num>[{_CN_DIGITS}]+|\d+)(?P<suf>[章节部分条]|是|[、.．]|[)）][、.．]?)?",
    re.IGNORECASE)

ACCEPTED = "一、 （一） 1. 1、 （1） 1） ① 一是 第一章 —— 无 略"
EXAMPLE = "编号：一、（一）1.（1） 任务 （一）1. 机制 无"

DEFAULT_TASKS = ("一、", "（一）", "1.", "（1）", "①")

_UNTITLED_TEXTS = ("前言", "引言", "导语", "序言", "结语")
_ONE = {"goals": "goal", "tasks": "task", "mechanisms": "mechanism"}
_AUTO_TITLE = {"goals": "工作目标", "tasks": "工作任务", "mechanisms": "推进机制"}


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else chinese_number(rest) if rest >= 20
                                 else "一" + chinese_number(rest))
    return chinese_number(n // 100) + "百" + tail


def _chinese_value(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105 (as far as outlines go)."""
    for n in range(1, 1000):
        if chinese_number(n) == text:
            return n
    return None


def _level(marker: str, style: str, prefix: str = "", suffix: str = "", start: int = 1) -> NumberingLevel:
    return NumberingLevel(marker=marker, style=style, prefix=prefix, suffix=suffix, start=start,
                          run_in=style in ("dash", "none") or suffix == "是")


@lru_cache(maxsize=64)
def read_marker(text: str) -> NumberingLevel | None:
    """One marker as written (`（三）`, `1.`, `一是`, `——`) → its level, or None (cached: never modify it)."""
    levels, _ = _read(text)
    return levels["document"][0] if levels and len(levels["document"]) == 1 else None


def _read(text: str) -> tuple[dict[str, list[NumberingLevel]] | None, str]:
    levels: dict[str, list[NumberingLevel]] = {"document": [], "goals": [], "tasks": [], "mechanisms": []}
    seen: set[str] = set()
    current = "document"
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return None, text[pos:]
        pos = m.end()
        if m.group("kind"):
            current = _KINDS[m.group("kind").lower()]
            if current in seen and levels[current]:
                return None, m.group(0)
            seen.add(current)
        elif m.group("cont"):
            if not levels[current]:
                return None, m.group(0)
            levels[current][-1] = levels[current][-1].model_copy(update={"continuous": True})
        elif m.group("special"):
            style = _SPECIAL[m.group("special").lower()]
            levels[current].append(_level(m.group("special"), style))
        elif m.group("circled"):
            levels[current].append(_level(m.group(0), "circled", start=CIRCLED.index(m.group(0)) + 1))
        elif m.group("num"):
            num, pre, suf = m.group("num"), m.group("pre") or "", m.group("suf") or ""
            if pre in "（(" and pre and not suf.startswith((")", "）")):
                return None, m.group(0)
            if not pre and not suf:
                return None, m.group(0)
            if pre == "第" and suf not in ("章", "节", "部分", "条"):
                return None, m.group(0)
            if num.isdigit():
                style, start = "arabic", int(num)
            else:
                style, start = "chinese", _chinese_value(num)
                if start is None:
                    return None, m.group(0)
            if start < 1:
                return None, m.group(0)
            levels[current].append(_level(m.group(0), style, pre, suf, start))
        # white space and separators between markers carry nothing
    return levels, ""


def read_numbering(text: str) -> tuple[Numbering | None, Message | None]:
    """The scheme written in `编号：…`, or None and a message naming what could not be read."""
    levels, bad = _read(text.strip())
    problem = None
    if levels is None:
        problem = (f"编号写法中无法识别“{bad}”", f"cannot read '{bad}' in the numbering")
    elif not levels["document"]:
        problem = ("编号先写全文各级的序号（如 一、（一）1.），再按需写 任务 / 目标 / 机制 各自的序号",
                   "the numbering first gives the document's levels (一、（一）1.), then, where they differ, the "
                   "levels of tasks / goals / mechanisms")
    else:
        bad_run_in = [lv.marker for lv in levels["document"][:1] if lv.run_in or lv.style == "omit"]
        if bad_run_in:
            problem = (f"全文第一级（章）需要带编号的标题，不能是“{bad_run_in[0]}”",
                       f"the document's first level (chapters) needs numbered headings, not '{bad_run_in[0]}'")
    if problem is not None:
        zh, en = problem
        return None, Message(f"{zh}；可用的序号：{ACCEPTED}；例如 {EXAMPLE}",
                             f"{en}; markers: {ACCEPTED}; for example {EXAMPLE}")
    doc = levels["document"]
    below = doc[1:] or [_level("（一）", "chinese", "（", "）")]
    for kind in ("goals", "tasks", "mechanisms"):
        if not levels[kind]:
            levels[kind] = list(below)
    return Numbering(text=text.strip(), **levels), None


def format_number(level: NumberingLevel, n: int) -> str:
    """The marker of the n-th item (n from 1) of a level: its start counts as the first."""
    k = n + level.start - 1
    if level.style == "chinese":
        return f"{level.prefix}{chinese_number(k)}{level.suffix}"
    if level.style == "arabic":
        return f"{level.prefix}{k}{level.suffix}"
    if level.style == "circled":
        return CIRCLED[k - 1] if k <= len(CIRCLED) else f"{k})"
    if level.style == "dash":
        return "——"
    return ""


def display_number(depth: int, n: int) -> str:
    """The default numbering by level: 一、 （一） 1. （1） ① then 1) 2) …"""
    if depth < len(DEFAULT_TASKS) and not (depth == 4 and n > len(CIRCLED)):
        return format_number(read_marker(DEFAULT_TASKS[depth]), n)
    return f"{n})"


def level_at(levels: list[NumberingLevel], depth: int) -> NumberingLevel:
    """The level of a kind at a depth (0 = its top level); below the levels written, the default sequence goes
    on after the last one (…1. → （1） → ①), then 1)."""
    if depth < len(levels):
        return levels[depth]
    last = levels[-1] if levels else None
    defaults = [read_marker(m) for m in DEFAULT_TASKS]
    keys = [(d.style, d.prefix, d.suffix) for d in defaults]
    i = keys.index((last.style, last.prefix, last.suffix)) if last and (last.style, last.prefix, last.suffix) in keys \
        else len(keys) - 1
    i += depth - len(levels) + 1
    return defaults[i] if i < len(defaults) else _level("1)", "arabic", "", ")")


def same_style(a: NumberingLevel, b: NumberingLevel) -> bool:
    return (a.style, a.prefix, a.suffix) == (b.style, b.prefix, b.suffix)


# -- the outline -----------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Entry:
    """One item of the outline. kind: chapter (a heading the plan does not write as a block: 工作目标 …),
    text, goal, task, mechanism. `level` is the outline depth (1 = chapter); `number` the marker ('' when the
    item is not numbered); `heading` whether it is a heading (else a paragraph, opening with `number` when run-in);
    `shown` False for a kind the scheme leaves out (略)."""

    kind: str
    node: object | None
    number: str
    level: int
    heading: bool
    title: str = ""
    shown: bool = True


def untitled_text(t: TextPart) -> bool:
    """A free-text part that opens or closes the document without a heading of its own (前言, 结语)."""
    return t.id in _UNTITLED_TEXTS or t.title in _UNTITLED_TEXTS


def front_text(t: TextPart) -> bool:
    """A cover notice before the document proper (印发…的通知): its heading is not counted among the chapters."""
    return t.id in ("通知", "印发通知") or t.title.endswith("的通知")


def mechanism_titled(m: Mechanism) -> bool:
    """A mechanism written with a title of its own; one written with only an id continues the text of the one
    before it (a sentence of the same paragraph in the document)."""
    return m.title != m.id


def goal_numbered(g: Goal, top: bool) -> bool:
    """Goals that take a number: a group at the top; below it, a goal with a paragraph of its own."""
    return bool(g.children) if top else bool(g.description)


@dataclass(slots=True)
class _State:
    scheme: Numbering
    entries: list[Entry] = field(default_factory=list)
    chapter: int = 0
    holds: set[str] | None = None  # kinds the current chapter holds; None before the first chapter
    runs: dict[tuple[str, int], int] = field(default_factory=dict)  # continuous counters, by kind and depth

    def open_chapter(self, kind: str, node: object | None, title: str) -> str:
        number = format_number(self.scheme.document[0], self.chapter + 1)
        self.chapter += 1
        self.holds = {kind}
        self.entries.append(Entry("chapter" if node is None else _ONE.get(kind, kind), node, number, 1, True, title))
        return number

    def count(self, kind: str, depth: int, level: NumberingLevel, local: int) -> int:
        if not level.continuous:
            return local
        key = (kind, depth)
        self.runs[key] = self.runs.get(key, 0) + 1
        return self.runs[key]


def layout(items: list[object], scheme: Numbering) -> list[Entry]:
    """The outline of the plan's top-level items (source order) under a scheme."""
    st = _State(scheme)
    runs: list[tuple[str, list]] = []
    for item in items:
        kind = ("text" if isinstance(item, TextPart) else "goals" if isinstance(item, Goal)
                else "tasks" if isinstance(item, Task) else "mechanisms" if isinstance(item, Mechanism) else None)
        if kind is None:
            continue
        if kind != "text" and runs and runs[-1][0] == kind:
            runs[-1][1].append(item)
        else:
            runs.append((kind, [item]))
    doc0 = scheme.document[0]
    for kind, run in runs:
        if kind == "text":
            for t in run:
                if untitled_text(t):
                    st.entries.append(Entry("text", t, "", 1, False, t.title))
                elif front_text(t):
                    st.entries.append(Entry("text", t, "", 1, True, t.title))
                else:
                    st.open_chapter("text", t, t.title)
            continue
        levels: list[NumberingLevel] = getattr(scheme, kind)
        omitted = bool(levels) and levels[0].style == "omit"
        if omitted:
            levels = list(scheme.document[1:]) or [_level("（一）", "chinese", "（", "）")]
        at_chapter = not omitted and same_style(levels[0], doc0)
        start = len(st.entries)
        if at_chapter:
            _walk(st, kind, run, levels, 0, 1, chapter=True)
        else:
            if not omitted and (st.holds is None or st.holds & {"tasks", "mechanisms"}
                                or (kind == "goals" and "goals" in st.holds)):
                st.open_chapter(kind, None, _AUTO_TITLE[kind])
            elif st.holds is not None:
                st.holds.add(kind)
            _walk(st, kind, run, levels, 0, 2, chapter=False)
        if omitted:
            for e in st.entries[start:]:
                e.shown = False
    return st.entries


def _walk(st: _State, kind: str, nodes: list, levels: list[NumberingLevel], depth: int, outline: int,
          chapter: bool) -> None:
    level = level_at(levels, depth)
    n = 0
    for node in nodes:
        if kind == "goals":
            numbered = goal_numbered(node, depth == 0)
        elif kind == "mechanisms":
            numbered = mechanism_titled(node)
        else:
            numbered = True
        if chapter and depth == 0:
            if numbered:
                number = st.open_chapter(kind, node, node.title)
                st.holds = {kind}
            else:
                st.entries.append(Entry(_ONE[kind], node, "", 1, False, node.title))
                number = ""
        elif numbered:
            n += 1
            number = format_number(level, st.count(kind, depth, level, n))
            st.entries.append(Entry(_ONE[kind], node, number, outline, not level.run_in and level.style != "omit",
                                    node.title))
        else:
            st.entries.append(Entry(_ONE[kind], node, "", outline, False, node.title))
        children = getattr(node, "children", None)
        if children:
            _walk(st, kind, children, levels, depth + 1, outline + 1, chapter=False)
