"""`planlang render`: one compiled plan to the 任务分工表 (xlsx), the official document (docx), Markdown, or an
HTML page with the document and a report. Renders work on drafts with errors too: what the model holds is
rendered, and the HTML lists the diagnostics."""

from __future__ import annotations

FORMATS = ("xlsx", "docx", "md", "html")


def diagnostics_json(result, lang: str = "zh") -> list[dict]:
    """The result's diagnostics in the JSON shape of `check --format json`, with paths relative to the workspace
    root (so the report does not depend on the folder the command ran in)."""
    shown = {f.source.path: result.workspace.relative(f.path) for f in result.files}
    out = []
    for d in sorted(result.diagnostics, key=lambda d: d.sort_key()):
        j = d.to_json(lang)
        j["file"] = shown.get(j["file"], j["file"])
        out.append(j)
    out.sort(key=lambda j: (j["file"], j["range"]["start"]["line"], j["range"]["start"]["column"], j["code"]))
    return out


def render(result, fmt: str, lang: str = "zh") -> bytes:
    """The bytes of one render of a compiled plan (`planlang.pipeline.Result`)."""
    from planlang.outputs.views import source_order

    order = source_order(result)
    if fmt == "xlsx":
        from planlang.outputs.xlsx import render_xlsx

        return render_xlsx(result.model)
    if fmt == "docx":
        from planlang.outputs.docx import render_docx

        return render_docx(result.model, order)
    if fmt == "md":
        from planlang.outputs.document import render_markdown

        return render_markdown(result.model, order).encode("utf-8")
    if fmt == "html":
        from planlang.outputs.document import render_html

        return render_html(result.model, order, diagnostics_json(result, lang)).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
