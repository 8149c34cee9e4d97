"""Hypothesis strategies for planlang texts, shared by the property tests and the long fuzzer (bench/fuzz.py).

- `ANY_TEXT`: texts built from plan vocabulary, punctuation of both widths, CJK and arbitrary characters;
- `mutated_example()`: an example file after 1–6 random edits — range deletion, duplication and swaps,
  punctuation replaced or switched between half and full width, characters inserted (U+3000, BOM, CR, NUL,
  astral characters, bidi and zero-width marks …), lines duplicated or deleted, braces inserted or removed,
  keywords switched between Chinese and English, line ends changed to CR, CRLF or LF (all or some), separators
  that are no line end (U+2028, U+2029, U+0085, VT, FF, U+001C–U+001E) put in, control characters and terminal
  sequences (ESC, OSC, CSI, BEL, C1, bidi overrides) inserted;
- `broken_frame()`: a language-server frame no client should send (bad or missing Content-Length, a body that is
  not JSON or does not fit its method, a header block that never ends, stray bytes).

Importable without pytest; the examples are read once, lazily.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.plan"))


@functools.lru_cache(maxsize=None)
def example_text(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


PUNCT = "：:，,、；;“”「」\"{}｛｝()（）#/ \u3000\t\n\r*★%."
CJK = "区发改局财政任务目标单位机制牵头负责配合支撑时限指标增长总量基数专班调度考核年月底前亿万元家个力争确保突破以上各街道办事处"
WORDS = ["方案", "引用", "单位", "目标", "任务", "机制", "文本", "牵头", "负责", "配合", "支撑", "时限", "指标", "增长", "总量",
         "基数", "周期", "类型", "成员", "召集人", "频次", "覆盖", "依赖", "别名", "全称", "说明", "include", "task", "lead",
         "due", "区发改局", "区财政局", "各街道办事处", "专班", "调度", "集体", "力争", "确保", "8%", "52亿元", "1.9亿元",
         "2023年6月底前", "年底前", "每季度", "旬调度", "2023-01-01 至 2023-12-31", "2022年 48亿元", "“units.plan”",
         "“nanhu-units.plan”", "“.”", "“..”", "“../x.plan”", "# planlang: ignore[PL105]", "// c", "\ufeff"]

# Characters that have tripped up text tools: ideographic space, BOM, CR, NUL, other line and paragraph
# separators, zero-width and bidi marks, combining marks, full-width digits, astral CJK and emoji.
ODD = ["\u3000", "\ufeff", "\r", "\r\n", "\x00", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\u200b",
       "\u200d", "\u200e", "\u202e", "\u2066", "\u0301", "\u00a0", "\ufffd", "\uff10", "\uff18", "\uff05",
       "\U00020000", "\U0002a6d6", "\U0001f600", "\U0001f1e8\U0001f1f3", "\U000e0001", "\U0010ffff", "\t", "\\",
       "\"", "'", "「", "」", "“", "”", "\u00ad", "ｉ", "Ⅸ", "①", "〇", "%", "％", "★", "☆"]

# Half-width / full-width pairs the grammar treats alike (or nearly): swapped by `width_swap`.
WIDTH_PAIRS = [(":", "："), (",", "，"), (";", "；"), ("(", "（"), (")", "）"), ("{", "｛"), ("}", "｝"), ("\"", "“"),
               ("\"", "”"), ("%", "％"), (" ", "\u3000"), ("[", "【"), ("]", "】"), ("!", "！"), ("?", "？"),
               (".", "。"), ("~", "～"), ("-", "－"), ("/", "／"), ("#", "＃"), ("0", "０"), ("1", "１")]
REPLACEMENTS = "：:，、“”「」{}｛｝#"


@functools.lru_cache(maxsize=None)
def keyword_pairs() -> list[tuple[str, str]]:
    """Every (Chinese, English) spelling pair of block keywords, field names and enum values."""
    from planlang import keywords as kw

    pairs = [(w.zh, w.en) for w in kw.BLOCKS]
    pairs += [(f.word.zh, f.word.en) for f in kw.FIELDS]
    for name in dir(kw):
        values = getattr(kw, name)
        if isinstance(values, tuple) and values and all(hasattr(v, "zh") and hasattr(v, "en") for v in values):
            pairs += [(v.zh, v.en) for v in values if isinstance(v.zh, str) and isinstance(v.en, str)]
    return sorted({p for p in pairs if p[0] and p[1] and p[0] != p[1]})


ANY_CHAR = st.characters(blacklist_categories=("Cs",))
ANY_TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=PUNCT + CJK, max_size=6),
                              st.text(max_size=3).filter(lambda s: "\x00" not in s)),
                    max_size=60).map("".join)
# Like ANY_TEXT, with odd characters and NUL bytes allowed.
WILD_TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=PUNCT + CJK, max_size=6),
                               st.sampled_from(ODD), st.text(ANY_CHAR, max_size=4),
                               st.sampled_from(["{", "}", "｛", "｝", "\n", "：", "“", "”"])),
                     max_size=120).map("".join)

# Line ends the LSP counts (LF, CRLF, CR) and separators it does not (which must never end a line or hide text)
LINE_ENDS = ["\n", "\r\n", "\r"]
SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
# Control characters and terminal sequences: XML-illegal C0, DEL, C1 (CSI as one byte), ESC sequences that
# retitle (OSC), clear or recolour a terminal, BEL, bidirectional overrides
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x1f", "\x7f", "\x9b", "\ufffe", "\uffff",
            "\x1b]0;title\x07", "\x1b[2J", "\x1b[31m", "\x9b1m", "\x1bP+q\x1b\\", "\u202e", "\u2066"]

MUTATIONS = ("delete", "duplicate", "swap", "replace", "insert", "width", "line_dup", "line_del", "brace",
             "keyword", "odd", "line_ends", "separator", "control")


def _occurrence(draw, text: str, pattern: str) -> int | None:
    """The offset of one occurrence of `pattern` in text (None when there is none)."""
    starts = [m.start() for m in re.finditer(re.escape(pattern), text)]
    return draw(st.sampled_from(starts)) if starts else None


def mutate(draw, text: str, op: str) -> str:
    """One edit of `op` kind, its positions drawn from `draw`."""
    n = len(text)
    if op in ("delete", "duplicate", "swap"):
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 400)))
        if op == "delete":
            return text[:i] + text[j:]
        if op == "duplicate":
            k = draw(st.integers(0, n))
            return text[:k] + text[i:j] + text[k:]
        k = draw(st.integers(j, n))
        m = draw(st.integers(k, min(n, k + 400)))
        return text[:i] + text[k:m] + text[j:k] + text[i:j] + text[m:]
    if op == "replace":
        chars = list(text)
        for _ in range(draw(st.integers(1, 8))):
            if chars:
                chars[draw(st.integers(0, len(chars) - 1))] = draw(st.sampled_from(REPLACEMENTS))
        return "".join(chars)
    if op in ("insert", "odd"):
        i = draw(st.integers(0, n))
        piece = draw(st.sampled_from(ODD)) if op == "odd" else draw(st.text(ANY_CHAR, min_size=1, max_size=3))
        return text[:i] + piece * draw(st.integers(1, 3)) + text[i:]
    if op == "width":
        half, full = draw(st.sampled_from(WIDTH_PAIRS))
        a, b = (half, full) if draw(st.booleans()) else (full, half)
        if draw(st.booleans()):
            return text.replace(a, b)  # all of them
        i = _occurrence(draw, text, a)
        return text if i is None else text[:i] + b + text[i + len(a):]
    if op == "line_ends":  # every line end, or one, becomes another kind (CR alone, CRLF, LF), or a mix
        from planlang.source import split_lines

        lines = split_lines(text)
        if draw(st.booleans()):
            eol = draw(st.sampled_from(LINE_ENDS))
            return "".join(ln.rstrip("\r\n") + (eol if ln.endswith(("\n", "\r")) else "") for ln in lines)
        return "".join(ln.rstrip("\r\n") + draw(st.sampled_from(LINE_ENDS)) if ln.endswith(("\n", "\r")) else ln
                       for ln in lines)
    if op == "separator":  # a line end replaced by a separator that is none, or one inserted anywhere
        sep = draw(st.sampled_from(SEPARATORS))
        i = _occurrence(draw, text, "\n") if draw(st.booleans()) else None
        if i is not None:
            return text[:i] + sep + text[i + 1:]
        i = draw(st.integers(0, n))
        return text[:i] + sep + text[i:]
    if op == "control":
        i = draw(st.integers(0, n))
        return text[:i] + draw(st.sampled_from(CONTROLS)) + text[i:]
    if op in ("line_dup", "line_del"):
        from planlang.source import split_lines

        lines = split_lines(text)
        if not lines:
            return text
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(i + 1, min(len(lines), i + 8)))
        if op == "line_del":
            return "".join(lines[:i] + lines[j:])
        return "".join(lines[:j] + lines[i:j] + lines[j:])
    if op == "brace":
        if draw(st.booleans()):
            i = draw(st.integers(0, n))
            return text[:i] + draw(st.sampled_from(["{", "}", "｛", "｝", "{\n", "\n}", "{}"])) + text[i:]
        i = _occurrence(draw, text, draw(st.sampled_from(["{", "}"])))
        return text if i is None else text[:i] + text[i + 1:]
    if op == "keyword":
        pairs = keyword_pairs()
        zh, en = draw(st.sampled_from(pairs))
        a, b = (zh, en) if draw(st.booleans()) else (en, zh)
        if draw(st.booleans()):
            return text.replace(a, b)
        i = _occurrence(draw, text, a)
        return text if i is None else text[:i] + b + text[i + len(a):]
    raise ValueError(op)


@st.composite
def mutated_example(draw, max_edits: int = 4, ops: tuple[str, ...] = ("delete", "duplicate", "swap", "replace",
                                                                        "replace")) -> tuple[str, str]:
    """(example file name, its text after 1–`max_edits` random edits of the kinds in `ops`)."""
    name = draw(st.sampled_from(EXAMPLE_FILES))
    text = example_text(name)
    for _ in range(draw(st.integers(1, max_edits))):
        text = mutate(draw, text, draw(st.sampled_from(ops)))
    return name, text


def wild_example(max_edits: int = 6):
    """`mutated_example` with every kind of edit."""
    return mutated_example(max_edits=max_edits, ops=MUTATIONS)


# -- the language server's framing -------------------------------------------------------------------------------

_HEADER_VALUES = ["", "-1", "-12", "0", "twelve", "1e3", "0x10", " 12", "99999999999999999999", "999999999999",
                  "１２", "12abc"]


@st.composite
def broken_frame(draw) -> bytes:
    """One frame a client should never send: a bad or missing Content-Length, a body that is not JSON or does
    not fit its method, a header block that never ends, stray bytes, CR or LF alone as header ends."""
    import json

    body = draw(st.sampled_from([
        json.dumps({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {}}),
        json.dumps({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": {"textDocument": 5}}),
        json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///never-opened.plan", "version": 3},
            "contentChanges": [{"text": "x"}]}}),
        json.dumps([1, 2, 3]), json.dumps({"id": 9}), "{{{{", "", "null", "\u2028",
    ])).encode("utf-8")
    kind = draw(st.sampled_from(["value", "missing", "garbage", "no-end", "lf-only", "short"]))
    if kind == "value":
        return b"Content-Length: " + draw(st.sampled_from(_HEADER_VALUES)).encode() + b"\r\n\r\n" + body
    if kind == "missing":
        return b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + body
    if kind == "garbage":
        return draw(st.binary(max_size=64)).replace(b"Content-Length", b"")
    if kind == "no-end":
        return b"".join(b"X-Header-%d: 1\r\n" % i for i in range(draw(st.integers(1, 40))))
    if kind == "lf-only":
        return b"Content-Length: %d\n\n" % len(body) + body
    # a valid length, then fewer bytes than it says, then a clean frame cut short by the next header
    return b"Content-Length: %d\r\n\r\n" % (len(body) + draw(st.integers(1, 5))) + body
