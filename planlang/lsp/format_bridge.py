"""The formatter as the language server uses it: the document's text in, the formatted text (or None) out; and
range formatting, which formats the top-level statements a range touches and never text outside them."""

from __future__ import annotations

import bisect
from pathlib import Path

from lsprotocol import types

from planlang.lsp.convert import offset as to_offset, position
from planlang.source import SourceFile


def format_document(text: str, path: Path, tab_size: int | None = None, lang: str | None = None) -> str | None:
    """Formatted text, or None when the text has syntax errors (the formatter never touches those). Keywords
    in `lang` (the client's setting) when given, else as the configuration says, else the file's own."""
    from planlang.config import ConfigError, load_config
    from planlang.syntax.format import format_text

    try:
        config = load_config(path)
    except ConfigError:
        return None
    result = format_text(text, lang=lang or config.lang, indent=config.indent)
    if getattr(result, "errors", None):
        return None
    return result.text


def format_statements(src: SourceFile, doc, lo: int, hi: int, path: Path, lang: str | None = None,
                      doc_lang=None) -> tuple[int, int, str] | None:
    """(start, end, new text) that formats the top-level statements of `doc` (the syntax tree of `src`) which
    [lo, hi] touches: from the start of the first one's line to the end of the last one's line, together with
    the comments and blank lines the range covers between them and their neighbours. None when the range touches
    no statement or that text has syntax errors. Keywords in the language the whole document would be
    formatted in, so a range comes out as it would in the whole document (`doc_lang`: a function that gives
    the document's own language, when the client and the configuration name none)."""
    from planlang.config import ConfigError, load_config
    from planlang.lsp.walk import block_end
    from planlang.syntax.format import dominant_lang
    from planlang.syntax.nodes import Block

    try:
        config = load_config(path)
    except ConfigError:
        return None
    text = src.text
    language = lang or config.lang or (doc_lang or (lambda: dominant_lang(doc)))()
    if lo <= 0 and hi >= len(text):  # the whole document: comments and blank lines outside statements too
        return _format(text, 0, len(text), language, config.indent)
    stmts = doc.statements
    if not stmts:
        return None
    ends = [block_end(st) if isinstance(st, Block) else st.end for st in stmts]
    first = bisect.bisect_left(ends, lo)  # the first statement that ends at or after lo
    last = bisect.bisect_right([st.start for st in stmts], hi) - 1  # the last that starts at or before hi
    if first > last:
        return None
    line = src.line_index
    first_line, last_line = line(stmts[first].start), line(ends[last])
    if first > 0 and line(ends[first - 1]) == first_line:
        return None  # a neighbouring statement shares the first line (`单位 甲；单位 乙`)
    if last + 1 < len(stmts) and line(stmts[last + 1].start) == last_line:
        return None  # … or the last one
    # whole lines: the statements' own, and those the range covers in the gaps around them (comments, blank
    # lines), but never a line of a neighbouring statement
    floor = line(ends[first - 1]) + 1 if first > 0 else 0
    start = src.line_start(max(floor, min(first_line, line(lo))))
    ceiling = line(stmts[last + 1].start) - 1 if last + 1 < len(stmts) else src.line_count - 1
    end_line = min(ceiling, max(last_line, line(hi)))
    end = len(text) if last + 1 == len(stmts) and end_line == ceiling else _line_end(src, end_line)
    return _format(text, start, end, language, config.indent)


def _format(text: str, start: int, end: int, lang: str, indent: int) -> tuple[int, int, str] | None:
    from planlang.syntax.format import format_text

    result = format_text(text[start:end], lang=lang, indent=indent)
    if result.errors:
        return None
    new = result.text
    if end < len(text) and new.endswith("\n"):
        new = new[:-1]  # the line end after the region stays as it is
    return start, end, new


def _line_end(src: SourceFile, line: int) -> int:
    """The offset of a line's end (before its line break)."""
    return src.line_start(line) + len(src.line_text(line))


def formatting(ls, uri: str, options: types.FormattingOptions) -> list[types.TextEdit]:
    text = ls.workspace.get_text_document(uri).source
    new = format_document(text, ls.store.open(uri).path, options.tab_size, ls.keyword_lang)
    if new is None or new == text:
        return []
    src = SourceFile("", text)
    return [types.TextEdit(range=types.Range(start=types.Position(line=0, character=0),
                                             end=position(src, len(text), ls.enc)), new_text=new)]


def range_formatting(ls, uri: str, rng: types.Range, options: types.FormattingOptions) -> list[types.TextEdit]:
    """The edit that formats the top-level statements the range touches; none while the compilation is of
    another text than the editor's (it is compiled now when it lags) or where the text has syntax errors."""
    st = ls.fresh(uri)
    if st is None or st.result is None:
        return []
    index = ls.index(st.result)
    f = index.file(st.path)
    text = ls.workspace.get_text_document(uri).source
    if f is None or f.document is None or f.source.text != text:
        return []
    src = f.source
    lo, hi = sorted((to_offset(src, rng.start, ls.enc), to_offset(src, rng.end, ls.enc)))
    from planlang.syntax.format import dominant_lang

    got = format_statements(src, f.document, lo, hi, st.path, ls.keyword_lang,
                            lambda: index.memo(("format lang", str(st.path)), lambda: dominant_lang(f.document)))
    if got is None:
        return []
    start, end, new = got
    if text[start:end] == new:
        return []
    return [types.TextEdit(range=types.Range(start=position(src, start, ls.enc), end=position(src, end, ls.enc)),
                           new_text=new)]
