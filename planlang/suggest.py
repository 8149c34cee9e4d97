"""Did-you-mean: rank known names for an unknown one.

A Chinese IME's typical slip is a homophone (区发该局 for 区发改局: gǎi / gāi), so a candidate that sounds the
same comes first; then edit distance. pypinyin loads a large dictionary and rapidfuzz costs ~12 ms at start, so
both are imported only when a name is unknown (`planlang check` on a clean plan loads neither).

The work stays near-linear in the number of names: the candidates of one registry are indexed once (their
pinyin, a text to search for names that contain the unknown one, and an inverted index of their characters),
and each unknown name is compared only with the candidates that could reach the similarity cutoff — those
sharing enough characters with it (a prefix filter: a candidate within the cutoff shares at least one of the
name's rarest few characters). A budget bounds that work for one index in all, so even thousands of
near-misses of thousands of mutually similar names cost a bounded time; past it, candidates one edit away (a
character replaced, missing or extra), homophones and containing names are still found, by lookups alone.
"""

from __future__ import annotations

import bisect
import math
from functools import lru_cache

# Work one index may do in all, in candidates looked at (postings read, then compared): about a second
BUDGET = 500_000
# Names containing the unknown one considered per lookup (in table order; rarely more than a handful exist)
MAX_CONTAINING = 64


@lru_cache(maxsize=8192)
def _sound(text: str) -> str:
    """Toneless pinyin of a text (non-Chinese characters kept as they are)."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))


@lru_cache(maxsize=1)
def _readings() -> str | None:
    """pypinyin's table of single characters' readings, as text (None when it is not where pypinyin keeps it).
    Read without importing pypinyin: the package loads its phrase dictionary, ~0.12 s and ~60 MiB, for the
    one character a check compares."""
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec("pypinyin")
        folder = (spec.submodule_search_locations or [None])[0] if spec is not None else None
        if folder is None:
            return None
        with open(os.path.join(folder, "pinyin_dict.json"), encoding="utf-8") as f:
            return f.read()
    except (OSError, ImportError, ValueError, UnicodeDecodeError):
        return None


_TONE_MARKS = {0x0300: None, 0x0301: None, 0x0304: None, 0x030C: None}  # ` ´ ¯ ˇ (the diaeresis of ü stays)


def char_sound(ch: str) -> str:
    """The toneless first reading of one character, as `_sound` gives it for that character alone (ü kept as
    ü, so 路 lu and 绿 lü differ)."""
    import unicodedata

    table = _readings()
    if table is not None:
        key = f'"{ord(ch)}": "'
        at = table.find(key)
        if at >= 0:
            at += len(key)
            first = table[at:table.index('"', at)].split(",")[0]
            return unicodedata.normalize("NFC", unicodedata.normalize("NFD", first).translate(_TONE_MARKS))
    return _sound(ch).replace("v", "ü")


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _tokens(text: str) -> list[tuple[str, int]]:
    """The characters of a text as a set: the k-th occurrence of a character is its own token, so the size of
    two texts' token overlap is the size of their characters' multiset intersection (≥ their LCS)."""
    seen: dict[str, int] = {}
    out = []
    for ch in text:
        k = seen.get(ch, 0)
        seen[ch] = k + 1
        out.append((ch, k))
    return out


class Index:
    """The candidates of one lookup table, prepared for many lookups."""

    def __init__(self, candidates: dict[str, str]) -> None:
        self.candidates = candidates
        self.size = len(candidates)
        self.spellings = list(candidates)
        self.work = 0  # candidates looked at by fuzzy lookups so far (bounded by BUDGET)
        self._sounds: dict[tuple[int, str], list[str]] | None = None
        self._edits: dict[str, list[int]] | None = None
        self._position = {sp: i for i, sp in enumerate(self.spellings)}
        sep = "\x00"
        self.joined = sep.join(self.spellings)
        self.starts = []
        at = 0
        for s in self.spellings:
            self.starts.append(at)
            at += len(s) + 1
        self.postings: dict[tuple[str, int], list[int]] = {}
        for i, s in enumerate(self.spellings):
            for tok in _tokens(s):
                self.postings.setdefault(tok, []).append(i)
        self.lengths = [len(s) for s in self.spellings]

    def one_edit(self, name: str) -> list[str]:
        """Candidates one edit from `name` (a character replaced, missing or extra): dictionary lookups only,
        the fallback once the budget is spent. The index is built at its first use."""
        if self._edits is None:
            self._edits = {}
            for i, s in enumerate(self.spellings):
                for k in range(len(s)):
                    self._edits.setdefault(s[:k] + "\x00" + s[k + 1:], []).append(i)  # replaced
                    self._edits.setdefault(s[:k] + s[k + 1:], []).append(i)  # missing in the name
        hits: set[int] = set()
        for k in range(len(name)):
            hits.update(self._edits.get(name[:k] + "\x00" + name[k + 1:], ()))
            short = name[:k] + name[k + 1:]  # an extra character in the name
            if short in self.candidates:
                hits.add(self._position[short])
        hits.update(self._edits.get(name, ()))
        return [self.spellings[i] for i in sorted(hits)]

    def sounds(self) -> dict[tuple[int, str], list[str]]:
        """Chinese candidates by (length, pinyin): computed once, at the first Chinese lookup."""
        if self._sounds is None:
            self._sounds = {}
            for s in self.spellings:
                if _has_cjk(s):
                    self._sounds.setdefault((len(s), _sound(s)), []).append(s)
        return self._sounds

    def containing(self, name: str) -> list[str]:
        """Candidates that contain `name` (not equal to it), at most MAX_CONTAINING."""
        if "\x00" in name:
            return []
        out, at = [], self.joined.find(name)
        while at != -1 and len(out) < MAX_CONTAINING:
            i = bisect.bisect_right(self.starts, at) - 1
            s = self.spellings[i]
            if s != name:
                out.append(s)
            at = self.joined.find(name, self.starts[i] + len(s) + 1)  # the next candidate on
        return out

    def near(self, name: str, cutoff: float) -> list[str]:
        """Candidates that may reach `cutoff` (fuzz.ratio, 0–100) with `name`: those sharing enough characters.
        ratio = 200·LCS / (len a + len b), LCS ≤ the shared characters, and the candidate's length must leave the
        ratio reachable; a candidate sharing t characters shares one of the name's len−t+1 rarest."""
        la = len(name)
        if la == 0:
            return []
        c = cutoff / 100
        lb_min = max(1, math.ceil(c * la / (2 - c) - 1e-9))
        need = max(1, math.ceil(c * (la + lb_min) / 2 - 1e-9))
        if need > la:
            return []
        toks = sorted(_tokens(name), key=lambda t: len(self.postings.get(t, ())))
        found: set[int] = set()
        for tok in toks[:la - need + 1]:
            posting = self.postings.get(tok, ())
            self.work += len(posting)
            found.update(posting)
        self.work += len(found)
        lb_max = (2 - c) * la / c + 1e-9
        return [self.spellings[i] for i in sorted(found) if lb_min <= self.lengths[i] <= lb_max]


_indexes: dict[int, Index] = {}


def index_of(candidates: dict[str, str]) -> Index:
    """The index of a candidates table, re-used while the same table (same object, same size) is asked."""
    idx = _indexes.get(id(candidates))
    if idx is None or idx.candidates is not candidates or idx.size != len(candidates):
        if len(_indexes) > 32:
            _indexes.clear()
        idx = _indexes[id(candidates)] = Index(candidates)
    return idx


def suggest(name: str, candidates: dict[str, str], limit: int = 3, cutoff: float = 60.0) -> list[str]:
    """Best matches for `name`; `candidates` maps each spelling (id or alias) to the name to suggest."""
    if not name or not candidates:
        return []
    from rapidfuzz import fuzz, process

    idx = index_of(candidates)
    ranked: list[tuple[float, str]] = []
    if _has_cjk(name):
        for spelling in idx.sounds().get((len(name), _sound(name)), ()):
            ranked.append((200.0 - _diff(spelling, name), candidates[spelling]))
    if idx.work < BUDGET:
        near = idx.near(name, cutoff)
    else:
        near = idx.one_edit(name)
    for spelling, score, _ in process.extract(name, near, scorer=fuzz.ratio, limit=limit * 3,
                                              score_cutoff=cutoff):
        ranked.append((score, candidates[spelling]))
    if len(name) >= 2:  # 发改局 for 区发改局: a candidate that contains the name
        for spelling in idx.containing(name):
            ranked.append((cutoff + len(name) / len(spelling) * 30, candidates[spelling]))
    out: list[str] = []
    for _, target in sorted(ranked, key=lambda r: (-r[0], r[1])):
        if target not in out and target != name:
            out.append(target)
    return out[:limit]


def _diff(a: str, b: str) -> int:
    return sum(1 for x, y in zip(a, b) if x != y)
