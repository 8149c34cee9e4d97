"""The formatter as the language server uses it: the document's text in, the formatted text (or None) out."""

from __future__ import annotations

from pathlib import Path


def format_document(text: str, path: Path, tab_size: int | None = None) -> str | None:
    """Formatted text, or None when the text has syntax errors (the formatter never touches those)."""
    from planlang.config import ConfigError, load_config
    from planlang.syntax.format import format_text

    try:
        config = load_config(path)
    except ConfigError:
        return None
    result = format_text(text, lang=config.lang, indent=config.indent)
    if getattr(result, "errors", None):
        return None
    return result.text
