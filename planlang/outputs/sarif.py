"""SARIF 2.1.0 output with full rule metadata, so code-scanning tools show each rule's documentation."""

from __future__ import annotations

import json
from pathlib import Path

from planlang import __version__
from planlang.diagnostics import Diagnostic, Severity
from planlang.outputs.rules_doc import rule_markdown, rules_doc_uri

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.OFF: "none"}


def _region(d_span) -> dict:
    f = d_span.file
    sl, sc = f.line_col(d_span.start)
    el, ec = f.line_col(d_span.end)
    return {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}


def _uri(path: str) -> str:
    return Path(path).as_posix()


def sarif_report(diags: list[Diagnostic], lang: str = "zh") -> str:
    """One SARIF log with one run: planlang's rules and the results, columns in Unicode code points."""
    from planlang.checks.registry import RULES

    index = {r.code: i for i, r in enumerate(RULES)}
    rules = []
    docs = rules_doc_uri()
    for r in RULES:
        summary = r.summary_en if lang == "en" else r.summary_zh
        doc = r.doc_in(lang)
        rules.append({
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": doc.split("\n\n", 1)[1].strip() if "\n\n" in doc else doc},
            "help": {"text": doc, "markdown": rule_markdown(r, lang)},
            "helpUri": f"{docs}#{r.code.lower()}",
            "defaultConfiguration": {"level": _LEVEL[r.severity], "enabled": r.severity is not Severity.OFF},
            "properties": {"summary_zh": r.summary_zh, "summary_en": r.summary_en},
        })
    results = []
    for d in diags:
        result = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": d.message.get(lang)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(d.file)},
                                                "region": _region(d.span)}}],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.related:
            result["relatedLocations"] = [
                {"id": i, "message": {"text": rel.message.get(lang)},
                 "physicalLocation": {"artifactLocation": {"uri": _uri(rel.span.file.path)},
                                      "region": _region(rel.span)}}
                for i, rel in enumerate(d.related)]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "planlang", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
