"""Re-parse after an edit by parsing only the top-level statements the edit touched.

The result equals `parse(new_text)`: a file is a flat list of top-level statements, so statements outside the
edited region parse the same and only move by the edit's length.

Syntax errors are allowed on both sides of an edit when they cannot reach across the region's edges: the region
holds whole lines (so no line's one reported error is shared with the outside), no error sits between the region
and its neighbouring statements (the parser meets the region, and what follows it, between two statements, as a
full parse would), and a region whose end recovery had to repair — an unclosed block would take in what follows
— is parsed on to the end of the file. Whenever that cannot be shown, this falls back to a full parse.

The old Document's nodes after the edit are moved in place, except when the caller keeps the old document
(`keep`: an editor session keeps its last compilation without syntax errors, and navigates from it while the user
types through them) and the new one has errors: then the new one is made of copies.
"""

from __future__ import annotations

import re

from planlang.source import lf_line_ends
from planlang.syntax.nodes import Atom, Block, Comment, Document, Field, Item, SyntaxIssue
from planlang.syntax.parser import parse, parse_part

# the grammar's white space (less U+FEFF, which lexes as a word inside a text); and what may follow the end of a
# line's last statement (a comment, the line end)
_LINE_START = re.compile(r"[ \t\u3000\r\f\v]*\Z")
_LINE_END = re.compile(r"[ \t\u3000\r\f\v]*(?:(?:#|//)[^\n]*)?(?:\n|\Z)")


def _shift(st, d: int) -> None:
    """Move a statement by `d` characters, in place. The old Document is not used after a re-parse (its
    model and spans were built already and keep their own offsets), so its nodes can be re-used."""
    if d == 0:
        return
    stack = [st]
    while stack:
        node = stack.pop()
        if isinstance(node, Field):
            node.key.start += d
            node.key.end += d
            node.colon_end += d
            for it in node.items:
                for a in it.atoms:
                    a.start += d
                    a.end += d
            continue
        node.keyword.start += d
        node.keyword.end += d
        for h in node.headers:
            h.start += d
            h.end += d
        if node.lbrace >= 0:
            node.lbrace += d
        if node.rbrace >= 0:
            node.rbrace += d
        if node.body:
            stack.extend(node.body)


def _moved(st, d: int):
    """A copy of a statement moved by `d` characters (the old document stays as it was)."""
    def atom(a: Atom) -> Atom:
        return Atom(a.text, a.start + d, a.end + d, a.quoted)

    if isinstance(st, Field):
        return Field(atom(st.key), st.colon_end + d, [Item([atom(a) for a in it.atoms]) for it in st.items])
    return Block(atom(st.keyword), [atom(h) for h in st.headers],
                 None if st.body is None else [_moved(x, d) for x in st.body],
                 st.lbrace + d if st.lbrace >= 0 else -1, st.rbrace + d if st.rbrace >= 0 else -1)


_CHUNK = 4096


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix; compares in chunks so the work is done by string comparison."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i:i + _CHUNK] == b[i:i + _CHUNK]:
        i += _CHUNK
    if i >= n:
        return n
    lo, hi = i, min(i + _CHUNK, n)  # the first difference is in [lo, hi)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[lo:mid + 1] == b[lo:mid + 1]:
            lo = mid + 1
        else:
            hi = mid
    return lo


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix, at most `limit`."""
    la, lb = len(a), len(b)
    n = min(limit, la, lb)
    i = 0
    while i < n and a[la - i - min(_CHUNK, n - i):la - i] == b[lb - i - min(_CHUNK, n - i):lb - i]:
        i += min(_CHUNK, n - i)
    if i >= n:
        return n
    lo, hi = i, min(i + _CHUNK, n)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[la - mid - 1:la - lo] == b[lb - mid - 1:lb - lo]:
            lo = mid + 1
        else:
            hi = mid
    return lo


def edit_bounds(old: str, new: str) -> tuple[int, int, int]:
    """(start, old end, new end) of the region where two texts differ, by common prefix and suffix."""
    a = common_prefix(old, new)
    s = common_suffix(old, new, min(len(old), len(new)) - a)
    return a, len(old) - s, len(new) - s


def reparse(old_text: str, old_doc: Document, new_text: str, keep: bool = False) -> Document:
    """The Document of `new_text`, re-using `old_doc` (the Document of `old_text`) outside the edit. With `keep`,
    `old_doc` stays as it was when the new text has syntax errors."""
    if old_text == new_text:
        return old_doc
    if "\r" in new_text and lf_line_ends(new_text) != new_text:
        return parse(new_text)  # lone CRs end lines: the region checks below look for LF only
    stmts = old_doc.statements
    if not stmts:
        return parse(new_text)
    a, b_old, b_new = edit_bounds(old_text, new_text)
    delta = len(new_text) - len(old_text)
    i = max((k for k, st in enumerate(stmts) if st.start <= a), default=-1)
    j = min((k for k, st in enumerate(stmts) if st.end >= b_old), default=len(stmts))
    rs = stmts[i].start if i >= 0 else 0
    re_ = stmts[j].end if j < len(stmts) else len(old_text)
    if i >= 0 and j < len(stmts) and j < i:
        j = i
        re_ = stmts[j].end
    if rs > 0 and new_text.startswith("\ufeff", rs):
        return parse(new_text)  # a region's first character would be read as a byte order mark, which it is not
    sub, end = parse_part(new_text[rs:re_ + delta])
    if sub.errors or old_doc.errors:
        if end == "repaired" and j < len(stmts):
            j, re_ = len(stmts), len(old_text)  # what follows would have been parsed inside what was left open
            sub, end = parse_part(new_text[rs:])
        if end == "gave-up" or not _apart(old_text, old_doc, new_text, i, j, rs, re_):
            return parse(new_text)
    before = stmts[:i] if i >= 0 else []
    after = stmts[j + 1:] if j < len(stmts) else []
    for st in sub.statements:
        _shift(st, rs)
    if sub.errors and keep:  # the kept old document stays whole: the new one gets copies
        before = [_moved(st, 0) for st in before]
        after = [_moved(st, delta) for st in after]
    else:
        for st in after:
            _shift(st, delta)
    statements = before + sub.statements + after
    comments = ([c for c in old_doc.comments if c.end <= rs]
                + [Comment(c.text, c.start + rs, c.end + rs) for c in sub.comments]
                + [Comment(c.text, c.start + delta, c.end + delta) for c in old_doc.comments if c.start >= re_])
    errors = ([e for e in old_doc.errors if e.start < rs]
              + [SyntaxIssue(e.start + rs, e.end + rs, e.kind, e.found, e.expected) for e in sub.errors]
              + [SyntaxIssue(e.start + delta, e.end + delta, e.kind, e.found, e.expected)
                 for e in old_doc.errors if e.start > re_])
    return Document(statements, comments, errors)


def _apart(old_text: str, old_doc: Document, new_text: str, i: int, j: int, rs: int, re_: int) -> bool:
    """True when syntax errors inside or outside the region [rs, re_) of the old text (statements i..j) cannot
    reach across its edges: it holds whole lines, and no error lies between it and its neighbouring statements
    (there the parser is between two statements, as at the start of a file)."""
    stmts = old_doc.statements
    if not _LINE_START.match(new_text, new_text.rfind("\n", 0, rs) + 1, rs):
        return False
    if not _LINE_END.match(new_text, re_ + len(new_text) - len(old_text)):
        return False
    gap_from = stmts[i - 1].end if i >= 1 else 0
    gap_to = stmts[j + 1].start if j + 1 < len(stmts) else len(old_text)
    tail = j < len(stmts)  # the region ends before the end of the file
    return not any(gap_from <= e.start <= rs or (tail and re_ <= e.start <= gap_to) for e in old_doc.errors)


__all__ = ["edit_bounds", "reparse", "SyntaxIssue"]
