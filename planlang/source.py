"""Source files and positions.

Inside planlang a position is a character offset into the decoded text. Lines and columns exist only at the
edges: 1-based lines and code-point columns for people and JSON, 0-based UTF-16 (or UTF-8/32) for the language
server. This module is the one place that converts between them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class SourceFile:
    """A decoded `.plan` text with its path and a line index."""

    path: str
    text: str
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # line ends are LF, CRLF and a lone CR, as editors and the LSP count them (never U+2028, U+0085, VT …)
        starts = [0]
        find = lf_line_ends(self.text).find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    @property
    def name(self) -> str:
        """The file name without folders."""
        return Path(self.path).name

    @property
    def line_count(self) -> int:
        """Number of lines (a final line without newline counts)."""
        return len(self._line_starts)

    def line_index(self, offset: int) -> int:
        """0-based line of an offset."""
        return bisect.bisect_right(self._line_starts, offset) - 1

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column in code points."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_index(offset)
        return line + 1, offset - self._line_starts[line] + 1

    def line_start(self, line0: int) -> int:
        """Offset of the start of a 0-based line."""
        return self._line_starts[max(0, min(line0, len(self._line_starts) - 1))]

    def line_text(self, line0: int) -> str:
        """The text of a 0-based line without its line end."""
        start = self.line_start(line0)
        end = self._line_starts[line0 + 1] - 1 if line0 + 1 < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def offset_at(self, line0: int, col0: int) -> int:
        """Offset of a 0-based line and 0-based code-point column, clamped to the line."""
        if line0 >= len(self._line_starts):
            return len(self.text)
        start = self._line_starts[max(0, line0)]
        return min(start + max(0, col0), start + len(self.line_text(line0)))

    # -- LSP positions ---------------------------------------------------------------------------------------

    def lsp_position(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        """0-based line and character in the given encoding's code units."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_index(offset)
        prefix = self.text[self._line_starts[line]:offset]
        return line, code_units(prefix, encoding)

    def offset_from_lsp(self, line: int, character: int, encoding: str = "utf-16") -> int:
        """Offset of a 0-based LSP position; characters past the line end clamp to it."""
        if line >= len(self._line_starts):
            return len(self.text)
        text = self.line_text(line)
        start = self._line_starts[line]
        if encoding == "utf-32":
            return start + min(character, len(text))
        units = 0
        for i, ch in enumerate(text):
            if units >= character:
                return start + i
            units += _unit_len(ch, encoding)
        return start + len(text)


_LONE_CR = re.compile(r"\r(?!\n)")


def lf_line_ends(text: str) -> str:
    """The text with every lone CR turned into LF: the same length, so every offset still holds, and its LFs
    are exactly the line ends editors see (LF, CRLF — the CR then stays before its LF — and a lone CR)."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def split_lines(text: str) -> list[str]:
    """The lines of a text with their line ends, split at LF, CRLF and CR only — not at the other separators
    `str.splitlines` knows (U+2028, U+2029, U+0085, VT, FF, U+001C–U+001E), which the LSP does not count."""
    norm = lf_line_ends(text)
    out, start = [], 0
    i = norm.find("\n")
    while i != -1:
        out.append(text[start:i + 1])
        start = i + 1
        i = norm.find("\n", start)
    if start < len(text):
        out.append(text[start:])
    return out


def _unit_len(ch: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(ch.encode("utf-8"))
    if encoding == "utf-32":
        return 1
    return 2 if ord(ch) > 0xFFFF else 1


def code_units(text: str, encoding: str = "utf-16") -> int:
    """Length of a text in an encoding's code units."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    # characters beyond the BMP are two UTF-16 units; a lone surrogate (from an editor's JSON) counts one
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# What a terminal would obey rather than show: C0 controls (but TAB and LF), DEL, C1 controls, the line and
# paragraph separators, and the bidirectional overrides and isolates (which reorder what is shown).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _shown(m: re.Match) -> str:
    o = ord(m.group())
    if o < 0x20:
        return chr(0x2400 + o)  # the control pictures: ␛ for ESC, ␇ for BEL …
    if o == 0x7F:
        return "\u2421"
    return f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}"


def visible(text: str) -> str:
    """Text for a terminal: control characters shown as their pictures (ESC as ␛) or as `\\x9b`, `\\u202e`,
    never sent raw — a plan's text must not retitle, clear or recolour the user's terminal."""
    return _INVISIBLE.sub(_shown, text) if _INVISIBLE.search(text) else text


def display_width(text: str) -> int:
    """Terminal columns a text takes: CJK and other wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


@dataclass(slots=True)
class Span:
    """A half-open range of offsets in one source file. Treat it as a value: only the incremental build moves
    the spans it re-uses (planlang/model/incremental.py), in place."""

    file: SourceFile
    start: int
    end: int

    def __repr__(self) -> str:
        line, col = self.file.line_col(self.start)
        return f"Span({self.file.name}:{line}:{col}+{self.end - self.start})"

    @property
    def text(self) -> str:
        """The source text covered."""
        return self.file.text[self.start:self.end]

    def cover(self, other: "Span") -> "Span":
        """The smallest span covering both (same file)."""
        return Span(self.file, min(self.start, other.start), max(self.end, other.end))

    def contains(self, offset: int) -> bool:
        """True if the offset lies inside or at the end of the span."""
        return self.start <= offset <= self.end
