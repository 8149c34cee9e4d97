"""Same plan, same bytes, for Office files too: an xlsx or docx package is rewritten with every zip entry
timestamp and every date in its document properties set to one constant (the plan's issue date)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date

# Characters XML 1.0 cannot carry (a PL001 in a plan, but drafts with errors are rendered too): each becomes
# U+FFFD, so a render never fails on them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if isinstance(text, str) else text


_CORE_DATES = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
_PRINTED = re.compile(r"(<cp:lastPrinted>)[^<]*(</cp:lastPrinted>)")


def normalize_package(data: bytes, when: date, edits: dict[str, Callable[[str], str]] | None = None) -> bytes:
    """The package with entries in their original order, stored with the date `when` (00:00), deflated, and
    docProps/core.xml's created / modified / lastPrinted set to `when`. `edits` rewrite named XML parts."""
    stamp = f"{when.isoformat()}T00:00:00Z"
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = _CORE_DATES.sub(lambda m: f"{m.group(1)}{stamp}{m.group(3)}", text)
                text = _PRINTED.sub(lambda m: f"{m.group(1)}{stamp}{m.group(2)}", text)
                body = text.encode("utf-8")
            if edits and info.filename in edits:
                body = edits[info.filename](body.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=(max(when.year, 1980), when.month, when.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            dst.writestr(entry, body, compresslevel=6)
    return out.getvalue()
