"""Code actions: apply a did-you-mean, declare an undefined unit, add a missing 牵头, normalize punctuation,
suppress a rule on a line."""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types

from planlang.diagnostics import Diagnostic
from planlang.lsp.convert import offset as to_offset, position, resolved
from planlang.lsp.index import Index
from planlang.lsp.walk import block_end, walk_statements
from planlang.model.nodes import Task
from planlang.source import SourceFile
from planlang.syntax.nodes import Block, Document

_SUPPRESS = re.compile(r"(#|//)\s*planlang:\s*ignore(\[[^\]]*\])?((?:[\s:：，,；;—-].*)?)$")  # 3: the reason


def _edit(src: SourceFile, start: int, end: int, text: str, enc: str) -> types.TextEdit:
    return types.TextEdit(range=types.Range(start=position(src, start, enc), end=position(src, end, enc)),
                          new_text=text)


def _action(title: str, uri: str, edits: list[types.TextEdit], diag: types.Diagnostic | None = None,
            kind=types.CodeActionKind.QuickFix, preferred: bool = False) -> types.CodeAction:
    return types.CodeAction(title=title, kind=kind, diagnostics=[diag] if diag else None, is_preferred=preferred or None,
                            edit=types.WorkspaceEdit(changes={uri: edits}))


def code_action(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Actions for the server's own diagnostics that touch the requested range, in the current text. The
    diagnostics a client sends back in `context` are not used: their ranges are in the client's units."""
    st = ls.fresh(params.text_document.uri)
    if st is None or st.result is None:
        return []
    index = ls.index(st.result)
    f = index.file(st.path)
    if f is None or f.document is None or f.source is None:
        return []
    doc, src = f.document, f.source
    lo, hi = sorted((to_offset(src, params.range.start, ls.enc), to_offset(src, params.range.end, ls.enc)))
    mine = resolved(st.path)
    own = [d for d in st.result.diagnostics if resolved(d.span.file.path) == mine]
    at = [(d, lsp) for d, lsp in zip(own, ls.lsp_diagnostics(st)) if d.span.start <= hi and lo <= d.span.end]
    out = code_actions(index, doc, src, st.path, st.uri, ls.enc, at, ls.lang)
    only = params.context.only
    if only:
        wanted = [str(getattr(k, "value", k)) for k in only]
        out = [a for a in out if any((kind := str(getattr(a.kind, "value", a.kind))) == k or kind.startswith(k + ".")
                                     for k in wanted)]
    return out


def code_actions(index: Index, doc: Document, src: SourceFile, path: Path, uri: str, enc: str,
                 diagnostics: list[tuple[Diagnostic, types.Diagnostic]], lang: str) -> list[types.CodeAction]:
    """The actions for the server's own diagnostics at the requested place (each with the LSP diagnostic the
    client was sent). Edits are built from the diagnostics' spans in `src`, never from what a client sends back:
    clients return ranges in their own units (Neovim 0.7 in UTF-8 bytes)."""
    out: list[types.CodeAction] = []
    for diag, d in diagnostics:
        code = diag.code
        start, end = diag.span.start, diag.span.end
        for i, s in enumerate(diag.suggestions):
            out.append(_action(f"改为“{s}” / change to '{s}'", uri, [_edit(src, start, end, s, enc)], d, preferred=i == 0))
        name = src.text[start:end].strip()
        if code == "PL101" and name:
            out.append(_action(f"声明单位“{name}” / declare unit '{name}'", uri,
                               [_edit(src, *_declaration_point(doc, src), f"单位 {name}\n", enc)], d))
        if code == "PL201":
            task = index.enclosing_task(path, start)
            edit = _add_lead(index, task, src, enc) if task is not None else None
            if edit is not None:
                out.append(_action("添加“牵头：” / add a lead field", uri, [edit], d))
        if code and code != "PL001":
            out.append(_action(f"在此行忽略 {code} / ignore {code} on this line", uri, [_suppress(src, start, code, enc)], d))
    edits = _punctuation_edits(doc, src, enc)
    if edits:
        out.append(_action("规范标点（：、） / normalize punctuation", uri, edits, kind=types.CodeActionKind.SourceFixAll))
    return out


def _declaration_point(doc: Document, src: SourceFile) -> tuple[int, int]:
    """After the last top-level 单位 declaration, or after the plan block, or at the start."""
    from planlang import keywords as kw

    at = 0
    for st in doc.statements:
        if isinstance(st, Block):
            w = kw.block_word(st.keyword.text)
            if w is not None and w.name in ("unit", "plan", "include"):
                line = src.line_index(block_end(st))
                at = src.line_start(line + 1) if line + 1 < src.line_count else len(src.text)
    if at == len(src.text) and not src.text.endswith("\n"):
        return at, at
    return at, at


def _add_lead(index: Index, task: Task, src: SourceFile, enc: str) -> types.TextEdit | None:
    block = index.block(task)
    if block is None:
        return None
    text = src.text
    brace = text.find("{", block.start, block.end)
    if brace < 0:
        brace = text.find("｛", block.start, block.end)
    if brace < 0:
        return None
    line = src.line_index(block.start)
    indent = re.match(r"[ \t\u3000]*", src.line_text(line))[0] + "  "
    return _edit(src, brace + 1, brace + 1, f"\n{indent}牵头：", enc)


def _suppress(src: SourceFile, offset: int, code: str, enc: str) -> types.TextEdit:
    line = src.line_index(offset)
    text = src.line_text(line)
    start = src.line_start(line)
    m = _SUPPRESS.search(text)
    if m and m[2]:
        codes = [c.strip() for c in m[2][1:-1].split(",") if c.strip()]
        if code not in codes:
            codes.append(code)
        return _edit(src, start + m.start(), start + len(text),
                     f"{m[1]} planlang: ignore[{', '.join(codes)}]{m[3].rstrip()}", enc)
    end = start + len(text)
    return _edit(src, end, end, f"  # planlang: ignore[{code}]", enc)


def _punctuation_edits(doc: Document, src: SourceFile, enc: str) -> list[types.TextEdit]:
    """Half-width colons after field names become ：, list separators , and ， become 、."""
    edits: list[types.TextEdit] = []
    text = src.text

    for st in walk_statements(doc.statements):
        if isinstance(st, Block):
            continue
        colon = st.colon_end - 1
        if 0 <= colon < len(text) and text[colon] == ":":
            edits.append(_edit(src, colon, colon + 1, "：", enc))
        for a, b in zip(st.items, st.items[1:]):
            for i in range(a.end, b.start):
                if text[i] in ",，":
                    edits.append(_edit(src, i, i + 1, "、", enc))
    return edits
