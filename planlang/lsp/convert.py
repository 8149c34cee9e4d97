"""Positions between planlang (offsets) and LSP (0-based line and character in the negotiated encoding)."""

from __future__ import annotations

import functools
from pathlib import Path

from lsprotocol import types

from planlang.diagnostics import Diagnostic, Severity
from planlang.outputs.rules_doc import rules_doc_uri
from planlang.source import SourceFile, Span

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def encoding_name(kind) -> str:
    """'utf-8', 'utf-16' or 'utf-32' from a PositionEncodingKind (or None: utf-16)."""
    value = getattr(kind, "value", kind) or "utf-16"
    return str(value)


def position(src: SourceFile, offset: int, enc: str) -> types.Position:
    line, char = src.lsp_position(offset, enc)
    return types.Position(line=line, character=char)


def to_range(span: Span, enc: str) -> types.Range:
    return types.Range(start=position(span.file, span.start, enc), end=position(span.file, span.end, enc))


def offset(src: SourceFile, pos: types.Position, enc: str) -> int:
    return src.offset_from_lsp(pos.line, pos.character, enc)


@functools.lru_cache(maxsize=1024)
def resolved(path: str | Path) -> Path:
    """A path made absolute with symlinks resolved, remembered: the server compares the paths of thousands of
    spans with its documents'."""
    return Path(path).resolve()


def to_diagnostic(d: Diagnostic, enc: str, uri_of, lang: str = "zh") -> types.Diagnostic:
    """A planlang diagnostic as an LSP one, with a link to the rule's documentation and related places."""
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri_of(r.span.file.path), range=to_range(r.span, enc)),
            message=r.message.get(lang))
        for r in d.related
    ]
    return types.Diagnostic(
        range=to_range(d.span, enc),
        message=d.message.get(lang),
        severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Information),
        code=d.code,
        code_description=types.CodeDescription(href=f"{rules_doc_uri()}#{d.code.lower()}"),
        source="planlang",
        related_information=related or None,
        data={"suggestions": list(d.suggestions)} if d.suggestions else None,
    )


class DiagnosticConverter:
    """Converts one document's diagnostics again and again, re-using the LSP object of every diagnostic that is
    the same as at the previous conversion (code, severity, message, positions, related places): after an edit
    most of them are, and building lsprotocol objects costs more than comparing."""

    def __init__(self) -> None:
        self.memo: dict[tuple, types.Diagnostic] = {}

    def convert(self, diags: list[Diagnostic], enc: str, uri_of, lang: str = "zh") -> list[types.Diagnostic]:
        """The LSP diagnostics, in order."""
        memo: dict[tuple, types.Diagnostic] = {}
        out = []
        for d in diags:
            key = (d.code, d.severity, d.message.get(lang), _where(d.span, enc), tuple(d.suggestions),
                   tuple((_where(r.span, enc), r.message.get(lang)) for r in d.related))
            lsp = memo.get(key) or self.memo.get(key)
            if lsp is None:
                lsp = to_diagnostic(d, enc, uri_of, lang)
            memo[key] = lsp
            out.append(lsp)
        self.memo = memo
        return out


def _where(span: Span, enc: str) -> tuple:
    f = span.file
    return f.path, f.lsp_position(span.start, enc), f.lsp_position(span.end, enc)
