"""A word-level diff of plan text. Chinese has no spaces between words, so the text is cut into tokens — a run
of Latin letters and digits (with . % ％) is one token, every other character (a Han character, a punctuation
mark) is one — and the matched runs are cleaned up: a match of one or two characters between two changes (a
shared 的 or 和 inside a rewritten phrase) is not kept as a match, so a rewritten phrase reads as one deletion and
one insertion instead of a scatter of single characters."""

from __future__ import annotations

import difflib
import re

from planlang.diff.report import TextEdit

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%％]*|\s+|.", re.S)
_PUNCT = set("，。；：、！？,.;:!?（）()“”\"'‘’《》〈〉【】「」—…\n")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[TextEdit]:
    """The edits that turn `old` into `new`: equal, delete and insert pieces, in order (a replacement is a
    deletion followed by an insertion)."""
    a, b = tokens(old), tokens(new)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    segs: list[list] = []  # [is_equal, old text, new text]
    for tag, i1, i2, j1, j2 in ops:
        segs.append([tag == "equal", "".join(a[i1:i2]), "".join(b[j1:j2])])
    for k in range(1, len(segs) - 1):  # short matches between changes become part of the change
        s = segs[k]
        if s[0] and len(s[1]) <= 2 and not (set(s[1]) & _PUNCT) and not segs[k - 1][0] and not segs[k + 1][0]:
            s[0] = False
    out: list[TextEdit] = []
    dele = ins = ""

    def flush() -> None:
        nonlocal dele, ins
        if dele:
            out.append(TextEdit(op="delete", text=dele))
        if ins:
            out.append(TextEdit(op="insert", text=ins))
        dele = ins = ""

    for equal, x, y in segs:
        if equal:
            flush()
            if out and out[-1].op == "equal":
                out[-1] = TextEdit(op="equal", text=out[-1].text + x)
            else:
                out.append(TextEdit(op="equal", text=x))
        else:
            dele += x
            ins += y
    flush()
    return out


def inline(edits: list[TextEdit], context: int | None = 12) -> str:
    """The edits as one line of text with 〔删：…〕〔增：…〕 markers; unchanged stretches longer than twice
    `context` are shortened to their ends with … (None: kept whole)."""
    parts = []
    for k, e in enumerate(edits):
        if e.op == "equal":
            parts.append(shorten(e.text, context, first=k == 0, last=k == len(edits) - 1))
        elif e.op == "delete":
            parts.append(f"〔删：{e.text}〕")
        else:
            parts.append(f"〔增：{e.text}〕")
    return "".join(parts)


def shorten(text: str, context: int | None, first: bool, last: bool) -> str:
    if context is None:
        return text
    if first and len(text) > context:
        return "…" + text[-context:]
    if last and len(text) > context:
        return text[:context] + "…"
    if len(text) > 2 * context + 1:
        return text[:context] + "…" + text[-context:]
    return text


def summary(edits: list[TextEdit], limit: int = 40) -> str:
    """The 修改说明 of a text change: 删去“…”；增加“…”；将“…”改为“…”."""
    notes = []
    k = 0
    while k < len(edits):
        e = edits[k]
        if e.op == "delete" and k + 1 < len(edits) and edits[k + 1].op == "insert":
            notes.append(f"将“{_clip(e.text, limit)}”改为“{_clip(edits[k + 1].text, limit)}”")
            k += 2
            continue
        if e.op == "delete":
            notes.append(f"删去“{_clip(e.text, limit)}”")
        elif e.op == "insert":
            notes.append(f"增加“{_clip(e.text, limit)}”")
        k += 1
    return "；".join(notes)


def _clip(text: str, limit: int) -> str:
    text = text.replace("\n", "¶")
    return text if len(text) <= limit else text[:limit] + "…"
