"""Syntax errors in the user's words: a parser issue as a PL001 diagnostic that names what was found and what
was expected, at most one per line.

The parser reports what it could not read (`SyntaxIssue`); the wording lives here, so a compilation (through
the builder) and `planlang fmt`, which builds no model, word the same mistake the same way.
"""

from __future__ import annotations

from planlang.diagnostics import Diagnostic, error
from planlang.source import SourceFile, Span
from planlang.syntax.nodes import MAX_DEPTH

_OPEN_CLOSE = {"“": "”", "「": "」", '"': '"'}


def quoted(text: str) -> str:
    """A text in the message's quotes “…”, unless it is already one quoted string (never ““…””)."""
    if len(text) >= 2 and _OPEN_CLOSE.get(text[0]) == text[-1]:
        return text
    return f"“{text}”"


def one_syntax_error_per_line(diags: list[Diagnostic], source: SourceFile) -> list[Diagnostic]:
    """The parser reports at most one syntax error per line; the builder's PL001s (a missing `：`, an extra
    header) keep to the same limit together with the parser's: per line, the first PL001 stays — the later
    ones on that line are usually knock-on effects of it."""
    first: dict[int, Diagnostic] = {}
    for d in diags:
        if d.code == "PL001":
            line = source.line_index(d.span.start)
            if line not in first or d.span.start < first[line].span.start:
                first[line] = d
    kept = {id(d) for d in first.values()}
    return [d for d in diags if d.code != "PL001" or id(d) in kept]


_TOKEN_NAMES = {
    "WORD": ("名称或值", "a name or value"), "STRING": ("带引号的文本", "a quoted string"),
    "COLON": ("“：”", "':'"), "LBRACE": ("“{”", "'{'"), "RBRACE": ("“}”", "'}'"), "_NL": ("换行", "a line end"),
    "_SEMI": ("“；”", "';'"), "_LISTSEP": ("“、”", "','"), "$END": ("文件结尾", "the end of the file"),
}


def syntax_diagnostic(issue, source: SourceFile) -> Diagnostic:
    """A PL001 in the user's words from a parser issue."""
    span = Span(source, issue.start, max(issue.end, issue.start))
    def names(lang: int) -> str:
        sep = "、" if lang == 0 else ", "
        return sep.join(_TOKEN_NAMES.get(e, (e, e))[lang] for e in issue.expected if e in _TOKEN_NAMES)
    if issue.kind == "unclosed":
        return error("PL001", span, "这个“{”没有对应的“}”", "this '{' is never closed")
    if issue.kind == "string":
        return error("PL001", span, "引号没有闭合（字符串不能跨行）", "unterminated string (strings stay on one line)")
    if issue.kind == "deep":
        return error("PL001", span, f"嵌套超过 {MAX_DEPTH} 层，更深的内容未读取",
                    f"blocks nest more than {MAX_DEPTH} levels deep; the deeper content was not read")
    if issue.kind == "forbidden":
        code = f"U+{ord(issue.found):04X}"
        if issue.found in "\u2028\u2029\x85":
            return error("PL001", span, f"{code} 不是换行符（编辑器不把它当作行尾）：请改用普通换行或删除",
                        f"{code} is not a line end (editors do not break the line there): use a plain line break "
                        f"or remove it")
        return error("PL001", span, f"文件中不能有控制字符 {code}：请删除", f"control character {code} is not "
                    f"allowed in a plan: remove it")
    if issue.kind == "char":
        return error("PL001", span, f"无法识别的字符“{issue.found}”", f"unexpected character '{issue.found}'")
    found = _TOKEN_NAMES.get(issue.found, (issue.found, issue.found))
    exp_zh, exp_en = names(0), names(1)
    if issue.found == "_NL":  # the token is the line break itself: name it, never quote it
        what_zh, what_en = "行尾", "end of line"
    elif issue.found == "STRING" and span.text:  # a string is shown in its own quotes, never ““…””
        what_zh, what_en = f"带引号的文本{span.text}", f"the quoted string {span.text}"
    else:
        what_zh, what_en = quoted(span.text) if span.text else found[0], f"'{span.text or found[1]}'"
    zh = f"语法错误：此处不应出现{what_zh}" + (f"，应为{exp_zh}" if exp_zh else "")
    en = f"syntax error: unexpected {what_en}" + (f", expected {exp_en}" if exp_en else "")
    return error("PL001", span, zh, en)
