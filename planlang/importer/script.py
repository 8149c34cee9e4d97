"""Traditional-script documents → simplified characters, so that a plan published in 繁體 imports like any other.

Some published copies of plans are in traditional characters (区 written 區, 发改局 written 發改局). The importer
reads owner notes, headings and indicators in simplified script, and unit registries are kept in it, so a
traditional document is converted first with OpenCC's `tw2s` configuration: its phrase table and its variant
table together, so that 著力 / 著重 / 著手 become 着力 / 着重 / 着手 (the plain `t2s` leaves 著 alone) while 著名 and
显著 stay, and words are not exchanged (`tw2sp` would turn 文件 into 文档). A simplified document is left alone: it
is converted only when enough of its Chinese characters change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")

# A simplified text run through t2s changes almost nothing; a traditional one changes a character in five or
# so. One changed character in a hundred, and at least three, separates the two with a wide margin.
MIN_SHARE = 0.01
MIN_CHANGED = 3

CONFIG = "tw2s"


@dataclass(slots=True, frozen=True)
class Script:
    """The text to import, and how many Chinese characters the conversion changed (0: not converted)."""

    text: str
    converted: int = 0


def to_simplified(text: str) -> Script:
    """The text in simplified characters when it is written in traditional ones; otherwise unchanged."""
    total = len(_CJK.findall(text))
    if total < MIN_CHANGED:
        return Script(text)
    import opencc  # loaded only by `planlang import`

    simplified = opencc.OpenCC(CONFIG).convert(text)
    # the conversion maps character for character in practice; a length change (rare phrase entries) counts as changes
    changed = sum(1 for a, b in zip(text, simplified) if a != b) + abs(len(simplified) - len(text))
    if changed >= MIN_CHANGED and changed >= MIN_SHARE * total:
        return Script(simplified, changed)
    return Script(text)
