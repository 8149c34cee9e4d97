"""Did-you-mean: rank known names for an unknown one.

A Chinese IME's typical slip is a homophone (区发该局 for 区发改局: gǎi / gāi), so a candidate that sounds the
same comes first; then edit distance. pypinyin loads a large dictionary and rapidfuzz costs ~12 ms at start, so
both are imported only when a name is unknown (`planlang check` on a clean plan loads neither).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8192)
def _sound(text: str) -> str:
    """Toneless pinyin of a text (non-Chinese characters kept as they are)."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def suggest(name: str, candidates: dict[str, str], limit: int = 3, cutoff: float = 60.0) -> list[str]:
    """Best matches for `name`; `candidates` maps each spelling (id or alias) to the name to suggest."""
    if not name or not candidates:
        return []
    from rapidfuzz import fuzz, process

    ranked: list[tuple[float, str]] = []
    if _has_cjk(name):
        sound = _sound(name)
        for spelling, target in candidates.items():
            if len(spelling) == len(name) and _has_cjk(spelling) and _sound(spelling) == sound:
                ranked.append((200.0 - _diff(spelling, name), target))
    for spelling, score, _ in process.extract(name, list(candidates), scorer=fuzz.ratio, limit=limit * 3,
                                              score_cutoff=cutoff):
        ranked.append((score, candidates[spelling]))
    if len(name) >= 2:  # 发改局 for 区发改局: a candidate that contains the name
        for spelling, target in candidates.items():
            if name in spelling and spelling != name:
                ranked.append((cutoff + len(name) / len(spelling) * 30, target))
    out: list[str] = []
    for _, target in sorted(ranked, key=lambda r: (-r[0], r[1])):
        if target not in out and target != name:
            out.append(target)
    return out[:limit]


def _diff(a: str, b: str) -> int:
    return sum(1 for x, y in zip(a, b) if x != y)
