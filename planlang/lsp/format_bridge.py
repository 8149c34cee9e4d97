"""The formatter as the language server uses it: the document's text in, the formatted text (or None) out."""

from __future__ import annotations

from pathlib import Path


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
