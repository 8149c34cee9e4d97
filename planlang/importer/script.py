"""Traditional-script documents → simplified characters, so that a plan published in 繁體 imports like any other.

Some published copies of plans are in traditional characters (区 written 區, 发改局 written 發改局). The importer
reads owner notes, headings and indicators in simplified script, and unit registries are kept in it, so a
traditional document is converted first with OpenCC's phrase-aware `t2s` table. A simplified document is left
alone: it is converted only when enough of its Chinese characters change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")

# A simplified text run through t2s changes almost nothing; a traditional one changes a character in five or
# so. One changed character in a hundred, and at least three, separates the two with a wide margin.
MIN_SHARE = 0.01
MIN_CHANGED = 3


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

    simplified = opencc.OpenCC("t2s").convert(text)
    # t2s maps character for character in practice; a length change (rare phrase entries) counts as changes
    changed = sum(1 for a, b in zip(text, simplified) if a != b) + abs(len(simplified) - len(text))
    if changed >= MIN_CHANGED and changed >= MIN_SHARE * total:
        return Script(simplified, changed)
    return Script(text)
