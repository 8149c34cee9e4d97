"""The formatter: one canonical layout for `.plan` text, lossless and idempotent.

It works only from the front end's syntax tree (`planlang.syntax.parse`), its exact offsets and the comments
the parser keeps; nothing is parsed a second time. What changes is layout and the chosen punctuation:

- one statement per line, bodies indented `indent` spaces per level, `关键字 id “标题” {` … `}` with the closing
  brace on its own line (a one-line block is expanded, one field per line);
- one blank line between top-level statements when either has a body; elsewhere a run of blank lines becomes
  one, and blank lines at the start or end of a body or of the file go;
- `：` after field names, `、` between list items, `{ }` braces, `“…”` quotes (`「…」` when the text holds
  `“` or `”`, the original quotes when it also holds `」`);
- keywords and field names in one language (`lang`, or the file's dominant one), aliases in canonical form;
- trailing white space removed, LF line ends, exactly one newline at the end.

What the model reads as written is kept as written: every identifier, title and value, every comment (own-line
comments stay before the statement or `}` that follows them, trailing comments on the line of their
statement), and, in values read as one text (说明, 标题, 周期 … with several items), the separators and quotes
as well. Runs of white space between the words of a value become one space.

A file with syntax errors is never touched: the result carries the errors and the original text.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from planlang import keywords as kw
from planlang.collector import gc_paused
from planlang.source import lf_line_ends
from planlang.syntax.nodes import MAX_DEPTH, Atom, Block, Comment, Document, Field, Statement, SyntaxIssue
from planlang.syntax.parser import parse

LANGS = ("zh", "en")

# Values the model reads as one text, from the first item to the last as written (separators and quotes
# included), rather than item by item: their separators are prose punctuation, not list syntax.
_WHOLE_TEXT = {kw.ValueKind.TEXT, kw.ValueKind.PERIOD, kw.ValueKind.DATE, kw.ValueKind.ENUM,
               kw.ValueKind.BASELINE, kw.ValueKind.FLAG}

# White space as the grammar has it (WS), plus the line end.
_WS_RUN = re.compile(r"[ \t\u3000\r\f\v\ufeff\n]+")
_BLANK = frozenset(" \t\u3000\r\f\v\ufeff;；")

_COMMENT_GAP = "  "  # between a statement and its trailing comment


@dataclass(slots=True)
class FormatResult:
    """The formatted text, or the original when the text has syntax errors (then `errors` says why)."""

    text: str
    original: str
    errors: list[SyntaxIssue] = field(default_factory=list)
    lang: str | None = None  # the keyword language used (None when nothing was formatted)

    @property
    def changed(self) -> bool:
        """True when formatting changes the text."""
        return self.text != self.original

    @property
    def ok(self) -> bool:
        """True when the text could be formatted (no syntax errors)."""
        return not self.errors


def format_text(text: str, *, lang: str | None = None, indent: int = 2) -> FormatResult:
    """Format `.plan` text. `lang` is "zh", "en" or None (keep the file's dominant keyword language);
    `indent` is the number of spaces per level."""
    # The cyclic collector is paused while the syntax tree lives (as in a compilation: at 100k lines its young
    # collections would walk a million nodes again and again, and find nothing); the tree is freed by reference
    # counting before it runs again.
    with gc_paused():
        return _format_text(text, lang, indent)


def _format_text(text: str, lang: str | None, indent: int) -> FormatResult:
    if lang not in (None, *LANGS):
        raise ValueError(f"lang must be 'zh', 'en' or None, not {lang!r}")
    if not isinstance(indent, int) or isinstance(indent, bool) or indent < 0:
        raise ValueError(f"indent must be a non-negative integer, not {indent!r}")
    skip = 1 if text.startswith("\ufeff") else 0  # a byte-order mark is dropped
    body = text[skip:]
    doc = parse(body)
    errors = list(doc.errors) or ("\ufeff" in body and _stray_marks(doc)) or _too_deep(doc)
    if errors:
        if skip:
            errors = [SyntaxIssue(e.start + skip, e.end + skip, e.kind, e.found, e.expected) for e in errors]
        return FormatResult(text, text, errors, None)
    chosen = lang or dominant_lang(doc)
    # the layout reads line ends from the text: a lone CR is one, as LF is (same length, same offsets)
    return FormatResult(_Formatter(lf_line_ends(body), doc, chosen, indent).run(), text, [], chosen)


def _too_deep(doc: Document) -> list[SyntaxIssue]:
    """The first block nested deeper than the model builder reads (MAX_DEPTH below a top-level block): such a
    file has a PL001 there, so it is not formatted — and the layout's indentation stays bounded."""
    stack = [(st, 0) for st in reversed(doc.statements)]
    while stack:
        st, level = stack.pop()
        if not isinstance(st, Block):
            continue
        if level > MAX_DEPTH:
            return [SyntaxIssue(st.keyword.start, st.keyword.end, "deep", st.keyword.text)]
        if st.body:
            stack.extend((child, level + 1) for child in reversed(st.body))
    return []


def _stray_marks(doc: Document) -> list[SyntaxIssue]:
    """Words that start with U+FEFF (a stray byte-order mark): the grammar reads U+FEFF as a word character
    where it touches a word and as white space after white space, so no layout can keep them; they are reported
    as unexpected characters and the text is left alone."""
    issues = []
    for st in _walk(doc.statements):
        if isinstance(st, Block):
            atoms = [st.keyword, *st.headers]
        else:
            atoms = [st.key, *(a for it in st.items for a in it.atoms)]
        issues.extend(SyntaxIssue(a.start, a.start + 1, "char", "\ufeff") for a in atoms
                      if a.text.startswith("\ufeff"))
    return issues


def dominant_lang(doc: Document) -> str:
    """"en" when more known keywords and field names are spelled in English than in Chinese, else "zh"."""
    spellings = Counter((st.keyword.text, True) if isinstance(st, Block) else (st.key.text, False)
                        for st in _walk(doc.statements))
    en = zh = 0
    for (text, block), n in spellings.items():  # each spelling looked up once
        known = kw.block_word(text) if block else kw.field_spec(text)
        if known is None:
            continue
        if kw.is_english(text):
            en += n
        else:
            zh += n
    return "en" if en > zh else "zh"


def keyword_in(spelling: str, lang: str, *, block: bool) -> str:
    """A block keyword (block=True) or field name in `lang`'s canonical form; unknown spellings unchanged."""
    word = kw.block_word(spelling) if block else getattr(kw.field_spec(spelling), "word", None)
    if word is None:
        return spelling
    return word.en if lang == "en" else word.zh


def requote(atom: Atom) -> str:
    """A string in canonical quotes: “…”, or 「…」 when the text holds “ or ”, or as written when it also
    holds 」 (no other quotes could hold it). Words are returned as written."""
    if not atom.quoted:
        return atom.text
    content = atom.value
    if "“" not in content and "”" not in content:
        return f"“{content}”"
    if "」" not in content:
        return f"「{content}」"
    return atom.text


def _walk(statements: list[Statement]):
    """Every statement, depth first in source order. A loop with a stack of iterators: nesting is bounded only
    by the input, and a recursive walk would fail at the interpreter's recursion limit."""
    stack = [iter(statements)]
    while stack:
        for st in stack[-1]:
            yield st
            if isinstance(st, Block) and st.body:
                stack.append(iter(st.body))
            break
        else:
            stack.pop()


class _Formatter:
    def __init__(self, text: str, doc: Document, lang: str, indent: int) -> None:
        self.text = text
        self.doc = doc
        self.lang = lang
        self.unit = " " * indent
        self.out: list[str] = []
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.trailing: dict[tuple[str, int], Comment] = {}
        self.own: list[Comment] = []
        self.next_own = 0
        self._names: dict[tuple[str, bool], str] = {}  # (spelling, block?) → the keyword as written out
        self._whole: dict[str, bool] = {}  # field spelling → its value is read as one text
        self._place_comments()

    # -- comments --------------------------------------------------------------------------------------------

    def _line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def _place_comments(self) -> None:
        """Own-line comments go before what follows them; a trailing comment goes to the first statement that
        starts on its line, or (a line of closing braces) to the last `}` before it."""
        if not self.doc.comments:
            return
        # what starts (a statement) or closes (a `}`) on the lines that hold a comment, found by bisecting the few
        # comment lines rather than locating every statement's line
        lines = sorted({self._line(c.start) for c in self.doc.comments})
        firsts = [self.starts[n] for n in lines]
        ends = [self.starts[n + 1] if n + 1 < len(self.starts) else len(self.text) + 1 for n in lines]
        events: dict[int, list[tuple[int, str, int]]] = {}
        find = bisect.bisect_right
        for st in _walk(self.doc.statements):
            at = st.start
            k = find(firsts, at) - 1
            if k >= 0 and at < ends[k]:
                events.setdefault(lines[k], []).append((at, "stmt", id(st)))
            if isinstance(st, Block) and st.body is not None and st.rbrace >= 0:
                at = st.rbrace
                k = find(firsts, at) - 1
                if k >= 0 and at < ends[k]:
                    events.setdefault(lines[k], []).append((at, "close", id(st)))
        for c in sorted(self.doc.comments, key=lambda c: c.start):
            line = self._line(c.start)
            before = self.text[self.starts[line]:c.start]
            on_line = [e for e in events.get(line, ()) if e[0] < c.start]
            if all(ch in _BLANK for ch in before) or not on_line:
                self.own.append(c)
                continue
            stmts = [e for e in on_line if e[1] == "stmt"]
            anchor = min(stmts) if stmts else max(on_line)
            self.trailing[(anchor[1], anchor[2])] = c

    def _with_trailing(self, line: str, kind: str, node: object) -> str:
        if not self.trailing:
            return line
        c = self.trailing.get((kind, id(node)))
        if c is None:
            return line
        return f"{line}{_COMMENT_GAP}{c.text.rstrip()}"

    # -- layout ----------------------------------------------------------------------------------------------

    def run(self) -> str:
        self._body(self.doc.statements, 0, len(self.text) + 1, top=True)
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n" if self.out else ""

    def _gap_has_blank(self, prev_end: int, start: int) -> bool:
        return self.text.count("\n", prev_end, start) >= 2

    def _separate(self, prev_end: int | None, start: int, force: bool) -> None:
        if prev_end is None:
            return
        if force or self._gap_has_blank(prev_end, start):
            self.out.append("")

    def _comments_before(self, limit: int, depth: int, prev_end: int | None, force: bool) -> tuple[int | None, bool]:
        """Emit the own-line comments that start before `limit`; returns the new previous end and whether the
        forced blank line is still owed."""
        pad = self.unit * depth
        while self.next_own < len(self.own) and self.own[self.next_own].start < limit:
            c = self.own[self.next_own]
            self.next_own += 1
            self._separate(prev_end, c.start, force)
            force = False
            self.out.append(pad + c.text.rstrip())
            prev_end = c.end
        return prev_end, force

    def _body(self, statements: list[Statement], depth: int, end: int, *, top: bool = False) -> None:
        """Lay out a body and, through an explicit stack of open bodies, every body nested in it (the
        nesting is as deep as the input; recursion would hit the interpreter's limit)."""
        stack = [_Open(statements, depth, end, top)]
        while stack:
            body = stack[-1]
            if body.next == len(body.statements):
                self._comments_before(body.end, body.depth, body.prev_end, False)
                stack.pop()
                if stack:  # the body of the block that the enclosing body is at: close that block
                    outer = stack[-1]
                    block = outer.statements[outer.next]
                    self.out.append(self._with_trailing(self.unit * outer.depth + "}", "close", block))
                    outer.done(block)
                continue
            st = body.statements[body.next]
            prev = body.prev
            force = body.top and prev is not None and (_has_body(prev) or _has_body(st))
            body.prev_end, force = self._comments_before(st.start, body.depth, body.prev_end, force)
            self._separate(body.prev_end, st.start, force)
            if self._line_of(st, body.depth):
                stack.append(_Open(st.body, body.depth + 1, st.rbrace, False))
            else:
                body.done(st)

    def _line_of(self, st: Statement, depth: int) -> bool:
        """Emit a statement's line (a field, a directive, or a block's header); True when a body follows."""
        pad = self.unit * depth
        if isinstance(st, Field):
            key = self._names.get((st.key.text, False))
            if key is None:
                key = self._names[st.key.text, False] = keyword_in(st.key.text, self.lang, block=False)
            self.out.append(self._with_trailing(f"{pad}{key}：{self._value(st)}", "stmt", st))
            return False
        word = self._names.get((st.keyword.text, True))
        if word is None:
            word = self._names[st.keyword.text, True] = keyword_in(st.keyword.text, self.lang, block=True)
        head = " ".join([word, *(requote(a) for a in st.headers)])
        if st.body is None:
            self.out.append(self._with_trailing(pad + head, "stmt", st))
            return False
        self.out.append(self._with_trailing(f"{pad}{head} {{", "stmt", st))
        return True

    # -- values ----------------------------------------------------------------------------------------------

    def _join(self, atoms: list[Atom], canonical_quotes: bool) -> str:
        """Atoms with what lies between them as written, except that a run of white space becomes one space."""
        parts = [requote(atoms[0]) if canonical_quotes else atoms[0].text]
        for a, b in zip(atoms, atoms[1:]):
            parts.append(_WS_RUN.sub(" ", self.text[a.end:b.start]))
            parts.append(requote(b) if canonical_quotes else b.text)
        return "".join(parts)

    def _value(self, f: Field) -> str:
        if not f.items:
            return ""
        whole = self._whole.get(f.key.text)
        if whole is None:
            spec = kw.field_spec(f.key.text)
            whole = self._whole[f.key.text] = spec is None or spec.kind in _WHOLE_TEXT
        if whole and len(f.items) > 1:
            # read by the model as one text from the first item to the last: separators and quotes are content
            return self._join([a for it in f.items for a in it.atoms], False)
        # a string that is a whole item is read by its content, so its quotes are free; inside a longer item
        # the model reads the item as written, quotes included
        parts = []
        for it in f.items:
            atoms = it.atoms
            if len(atoms) == 1:
                a = atoms[0]
                parts.append(requote(a) if a.quoted else a.text)
            else:
                parts.append(self._join(atoms, False))
        return "、".join(parts)


@dataclass(slots=True)
class _Open:
    """A body being laid out: its statements, the next one to emit, and what the layout needs of the last."""

    statements: list[Statement]
    depth: int
    end: int  # comments before this offset belong to the body
    top: bool
    next: int = 0
    prev: Statement | None = None
    prev_end: int | None = None

    def done(self, st: Statement) -> None:
        self.prev, self.prev_end = st, st.end
        self.next += 1


def _has_body(st: Statement) -> bool:
    return isinstance(st, Block) and st.body is not None
