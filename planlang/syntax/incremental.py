"""Re-parse after an edit by parsing only the top-level statements the edit touched.

The result equals `parse(new_text)`: a file is a flat list of top-level statements, so statements outside the
edited region parse the same and only move by the edit's length. Whenever there is any doubt — the old text had
syntax errors, or the region's new text does not parse cleanly on its own — this falls back to a full parse.
"""

from __future__ import annotations

from planlang.syntax.nodes import Comment, Document, Field, SyntaxIssue
from planlang.syntax.parser import parse


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


def reparse(old_text: str, old_doc: Document, new_text: str) -> Document:
    """The Document of `new_text`, re-using `old_doc` (the Document of `old_text`) outside the edit."""
    if old_text == new_text:
        return old_doc
    stmts = old_doc.statements
    if old_doc.errors or not stmts:
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
    region = new_text[rs:re_ + delta]
    sub = parse(region)
    if sub.errors:
        return parse(new_text)
    before = stmts[:i] if i >= 0 else []
    after = stmts[j + 1:] if j < len(stmts) else []
    for st in sub.statements:
        _shift(st, rs)
    for st in after:
        _shift(st, delta)
    statements = before + sub.statements + after
    comments = ([c for c in old_doc.comments if c.end <= rs]
                + [Comment(c.text, c.start + rs, c.end + rs) for c in sub.comments]
                + [Comment(c.text, c.start + delta, c.end + delta) for c in old_doc.comments if c.start >= re_])
    return Document(statements, comments, [])


__all__ = ["edit_bounds", "reparse", "SyntaxIssue"]
