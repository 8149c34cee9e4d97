"""Parse `.plan` text with Lark's LALR parser, keeping comments and recovering from syntax errors.

Recovery follows what worked for this grammar shape: on an unexpected token, look for at most two tokens that,
inserted before it, make it acceptable (a missing `：` or `}`); otherwise drop it. At the end of the file, close
every open block. At most one syntax error is reported per line so one slip does not become a cascade.
"""

from __future__ import annotations

import bisect
import re
import threading
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_analysis import Shift

from planlang.collector import gc_paused
from planlang.source import lf_line_ends
from planlang.syntax.lalr import Driver
from planlang.syntax.nodes import Atom, Block, Comment, Document, Field, Item, SyntaxIssue

_local = threading.local()
_parser: Lark | None = None
_driver: Driver | None = None  # the fast loop over the parser's tables; None: Lark's own parse (same result)
_lock = threading.Lock()

# Tokens the recovery may invent, in the order it tries them.
_INSERTABLE = ("COLON", "RBRACE", "_NL", "WORD", "LBRACE", "STRING")


def grammar_text() -> str:
    """The grammar: inside the installed package, or the repository's top-level `grammar/` folder."""
    packaged = resources.files("planlang").joinpath("grammar/planlang.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "grammar" / "planlang.lark").read_text(encoding="utf-8")


def _on_comment(tok: Token) -> None:
    # a CRLF line's comment token ends with the '\r'; the comment's text and span both stop before it
    text = tok.value.rstrip("\r")
    _local.comments.append(Comment(text, tok.start_pos, tok.start_pos + len(text)))


def _string(text: str, start: int, end: int) -> Atom:
    return Atom(text, start, end, True)


class _Build(Transformer):
    """Inline transformer: Lark calls these as it reduces, so no generic tree is built. Words and strings
    become Atoms as they are shifted; recovery's placeholders are Atoms without text."""

    # the values of WORD and STRING made straight from the lexer's match by the fast loop (planlang.syntax.lalr);
    # Lark's own parse (and a token the recovery feeds) goes through the methods below: the same Atoms
    from_match = {"WORD": Atom, "STRING": _string}  # Atom(text, start, end): a word

    def WORD(self, tok: Token) -> Atom:  # noqa: N802 — Lark calls a terminal's method by the terminal's name
        return Atom(tok.value, tok.start_pos, tok.end_pos, False)

    def STRING(self, tok: Token) -> Atom:  # noqa: N802
        return Atom(tok.value, tok.start_pos, tok.end_pos, True)

    def start(self, children):
        return [c for c in children if c is not None]

    body = start

    def block(self, c):
        keyword, *rest = c
        if not keyword.text:
            return None
        lbrace = next(t for t in rest if isinstance(t, Token) and t.type == "LBRACE")
        rbrace = rest[-1]
        body = next(x for x in rest if isinstance(x, list))
        headers = [a for a in rest if isinstance(a, Atom) and a.text]
        return Block(keyword, headers, body, lbrace.start_pos, rbrace.start_pos if rbrace.value else -1)

    def directive(self, c):
        keyword, *headers = c
        if not keyword.text:
            return None
        return Block(keyword, [a for a in headers if a.text], None)

    def field(self, c):
        key, colon, *value = c
        if not key.text:
            return None
        return Field(key, colon.end_pos, value[0] if value else [])

    def value(self, c):
        return [i for i in c if i is not None]

    def item(self, c):
        atoms = [a for a in c if a.text]
        return Item(atoms) if atoms else None


def _get_parser() -> Lark:
    global _parser, _driver
    if _parser is None:
        with _lock:
            if _parser is None:
                transformer = _Build()
                lark = Lark(
                    grammar_text(),
                    parser="lalr",
                    lexer="basic",  # the terminals never collide, and it is a third faster
                    transformer=transformer,
                    lexer_callbacks={"COMMENT": _on_comment},
                    cache=True,
                )
                _driver = Driver.build(lark, transformer)
                _parser = lark
    return _parser


def _placeholder(kind: str, at: Token | None, pos: int) -> Token:
    p = at.start_pos if at is not None and at.start_pos is not None else pos
    return Token(kind, "", start_pos=p, end_pos=p, line=getattr(at, "line", 1), column=getattr(at, "column", 1))


def _step(ip, depth: int, extra: list, kind: str) -> tuple[int, list] | None:
    """Feed one token of type `kind` to a simulated parser — the first `depth` states of the real parser's
    stack with the states `extra` above them — and return its new (depth, extra), or None when the token is
    not acceptable. The real stack is never copied: a probe costs what its reductions cost, where copying the
    parser (what Lark's `accepts()` does, once per terminal) costs the whole nesting depth and made recovery
    quadratic."""
    conf = ip.parser_state.parse_conf
    states = conf.states
    base = ip.parser_state.state_stack
    extra = list(extra)
    while True:
        top = extra[-1] if extra else base[depth - 1]
        action = states[top].get(kind)
        if action is None:
            return None
        act, arg = action
        if act is Shift:
            extra.append(arg)
            return depth, extra
        size = len(arg.expansion)
        if size <= len(extra):
            del extra[len(extra) - size:]
        else:
            depth -= size - len(extra)
            extra.clear()
        top = extra[-1] if extra else base[depth - 1]
        extra.append(states[top][arg.origin.name][1])
        if kind == "$END" and extra[-1] == conf.end_state:
            return depth, extra  # accepted: the end of input reduces to the start symbol


def _feeds(ip, kinds: tuple[str, ...]) -> bool:
    """True when the parser would accept tokens of the types `kinds` in turn (simulated, see `_step`)."""
    at: tuple[int, list] | None = (len(ip.parser_state.state_stack), [])
    for kind in kinds:
        at = _step(ip, *at, kind)
        if at is None:
            return False
    return True


def _accepts(ip) -> set[str]:
    """The terminals acceptable next (Lark's `accepts()` without its copies)."""
    state = ip.parser_state.state_stack[-1]
    return {t for t in ip.parser_state.parse_conf.states[state] if t.isupper() and _feeds(ip, (t,))}


def _insertion(ip, target: str, depth: int = 2) -> list[str] | None:
    """Shortest list of tokens (at most `depth`) that makes `target` acceptable next, trying `_INSERTABLE` in
    order. Each candidate extends its prefix's simulated state by one token."""
    frontier: list[tuple[tuple[str, ...], int, list]] = [((), len(ip.parser_state.state_stack), [])]
    for _ in range(depth):
        nxt = []
        for seq, at_depth, extra in frontier:
            for kind in _INSERTABLE:
                after = _step(ip, at_depth, extra, kind)
                if after is None:
                    continue
                longer = (*seq, kind)
                if _step(ip, *after, target) is not None:
                    return list(longer)
                nxt.append((longer, *after))
        frontier = nxt
    return None


class _Recovery:
    """The on_error callback: records issues and repairs the parser state."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.issues: list[SyntaxIssue] = []
        self._lines: set[int] = set()
        self._starts: list[int] | None = None  # line starts, computed at the first error
        self.end = "clean"  # how the end of the text was reached: clean, repaired (blocks closed) or gave-up

    def _line(self, offset: int) -> int:
        if self._starts is None:
            text, starts = self.text, [0]
            i = text.find("\n")
            while i != -1:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._starts = starts
        return bisect.bisect_right(self._starts, offset) - 1

    def _fresh(self, offset: int) -> bool:
        """True while no syntax error has been reported on the line of `offset`."""
        return self._line(offset) not in self._lines

    def _report(self, issue: SyntaxIssue) -> None:
        line = self._line(issue.start)
        if line not in self._lines:
            self._lines.add(line)
            self.issues.append(issue)

    def __call__(self, e: UnexpectedInput) -> bool:
        if isinstance(e, UnexpectedCharacters):
            ch = self.text[e.pos_in_stream:e.pos_in_stream + 1]
            kind = "string" if ch in "“「\"" else "char"
            self._report(SyntaxIssue(e.pos_in_stream, e.pos_in_stream + 1, kind, ch))
            return True
        if not isinstance(e, UnexpectedToken):
            return False
        ip = e.interactive_parser
        tok = e.token
        if tok.type == "$END":
            return self._close_all(ip)
        if self._fresh(tok.start_pos):  # what was expected is only worked out for an error that is reported
            self._report(SyntaxIssue(tok.start_pos, tok.end_pos, "token", tok.type, sorted(_accepts(ip) - {"$END"})))
        seq = _insertion(ip, tok.type)
        if seq is not None:
            for kind in seq:
                ip.feed_token(_placeholder(kind, tok, tok.start_pos))
            ip.feed_token(tok)
        return True

    def _close_all(self, ip) -> bool:
        """At the end of the file: report unclosed blocks at their `{`, then close them."""
        self.end = "repaired"
        open_braces = [v for v in ip.parser_state.value_stack if isinstance(v, Token) and v.type == "LBRACE"]
        if open_braces:
            for brace in open_braces:
                self._report(SyntaxIssue(brace.start_pos, brace.end_pos, "unclosed", "LBRACE", ["RBRACE"]))
        else:
            end = len(self.text)
            self._report(SyntaxIssue(end, end, "eof", "$END", sorted(_accepts(ip) - {"$END"})))
        # each round closes a block or finishes a statement, so the stack's height bounds the rounds
        for _ in range(2 * len(ip.parser_state.state_stack) + 16):
            if _feeds(ip, ("$END",)):
                return True
            if _feeds(ip, ("RBRACE",)) and not _feeds(ip, ("COLON",)):
                seq = ["RBRACE"]  # what the search below finds here, without its dozen probes
            else:
                seq = _insertion(ip, "$END", 1) or _insertion(ip, "RBRACE", 2)
            if seq is None:
                return False
            for kind in seq:
                ip.feed_token(_placeholder(kind, None, len(self.text)))
        return False


def parse(text: str) -> Document:
    """Parse a whole file. Never raises on bad input: problems come back in `Document.errors`."""
    return parse_part(text)[0]


def parse_part(text: str) -> tuple[Document, str]:
    """Parse `text` as `parse` does, and tell how its end was reached: "clean" (the text ended where a file
    may end), "repaired" (recovery closed what was still open) or "gave-up" (recovery could not go on and the
    statements are lost). The incremental re-parse needs to know: text after a repaired end would have been
    parsed inside what was open."""
    parser = _get_parser()
    _local.comments = []
    if text.startswith("\ufeff"):
        # a byte order mark (an editor buffer keeps it; a file read from disk has it decoded away) is white
        # space, but the grammar's WORD would take it as the first character of the first keyword: lex a
        # space of the same length in its place, so every offset still indexes `text`
        text = " " + text[1:]
    # line ends are read as editors read them: a lone CR (old Mac files) ends a line as LF and CRLF do. It
    # becomes LF here, one character for one, so every offset still indexes the caller's text.
    text = lf_line_ends(text)
    recovery = _Recovery(text)
    try:
        with gc_paused():  # the cyclic GC slows big parses almost twofold and finds nothing to free here
            if _driver is not None:
                statements = _driver.parse(text, recovery)
            else:
                statements = parser.parse(text, on_error=recovery)
    except UnexpectedInput as e:  # recovery gave up: keep what we know
        pos = getattr(e, "pos_in_stream", None) or len(text)
        recovery._report(SyntaxIssue(pos, pos, "eof", "$END"))
        recovery.end = "gave-up"
        statements = []
    comments = _local.comments
    _local.comments = []
    issues = recovery.issues
    if _FORBIDDEN.search(text):
        issues = sorted([*issues, *_forbidden_characters(text)], key=lambda e: e.start)
    return Document(statements or [], comments, issues), recovery.end


# Characters a plan may not hold anywhere, comments and strings included (a PL001 each, one per run): control
# characters other than TAB and the line ends (XML cannot carry them, so no document could be rendered, and in
# a terminal they are commands), U+FFFE/U+FFFF and lone surrogates, and the separators U+2028, U+2029 and U+0085,
# which some programs show as line ends and editors and the language server do not — text after one would look
# like a new line while it still belongs to the line (or the comment) before it.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]+")


def _forbidden_characters(text: str) -> list[SyntaxIssue]:
    return [SyntaxIssue(m.start(), m.end(), "forbidden", m.group()[0]) for m in _FORBIDDEN.finditer(text)]
