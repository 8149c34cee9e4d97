"""Reading a plan document as plain text: .txt / .md (UTF-8, or GB18030 as older Word exports write) and .docx."""

from __future__ import annotations

from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
DOCX_SUFFIXES = (".docx",)
SUPPORTED = TEXT_SUFFIXES + DOCX_SUFFIXES


class DocumentError(Exception):
    """The document cannot be read: missing, unreadable, or of an unsupported type. The message is bilingual."""


def decode_text(data: bytes) -> str:
    """Bytes of a text document → str: UTF-8 (a BOM is dropped), else GB18030 (GBK's superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise DocumentError(f"无法识别文本编码（应为 UTF-8 或 GBK）/ cannot decode text (expected UTF-8 or GBK): {e}") from e


def read_document(path: Path) -> str:
    """The document's text, one paragraph a line. Raises DocumentError."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        if suffix == ".doc":
            raise DocumentError(f"不支持旧版 Word 格式 .doc，请另存为 .docx / .doc is not supported, save it as .docx: {path}")
        raise DocumentError(f"不支持的文件类型“{suffix or '（无扩展名）'}”，可用 .txt、.md、.docx / "
                            f"unsupported file type '{suffix}': use .txt, .md or .docx")
    if not path.is_file():
        raise DocumentError(f"找不到文件 / no such file: {path}")
    if suffix in DOCX_SUFFIXES:
        return read_docx(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DocumentError(f"无法读取 / cannot read {path}: {e.strerror or e}") from e
    if b"\x00" in data[:4096]:
        raise DocumentError(f"不是文本文件 / not a text file: {path}")
    return decode_text(data)


def read_docx(path: Path) -> str:
    """Paragraphs and table rows of a .docx, in body order. Heading styles become markdown '#' marks so the
    structure reader sees them; tables become one line per row, cells separated by ' | '."""
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as e:  # pragma: no cover - dependency declared in pyproject
        raise DocumentError("读取 .docx 需要 python-docx / reading .docx needs python-docx") from e
    try:
        document = docx.Document(str(path))
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds for a damaged file
        raise DocumentError(f"无法读取 Word 文件 / cannot read the .docx file {path}: {type(e).__name__}: {e}") from e
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text
            style = (para.style.name if para.style is not None else "") or ""
            level = _heading_level(style)
            if level and text.strip() and not text.lstrip().startswith("#"):
                text = "#" * level + " " + text.strip()
            lines.append(text)
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if not cells or cells[-1] != t:  # merged cells repeat
                        cells.append(t)
                lines.append(" | ".join(cells))
            lines.append("")
    return "\n".join(lines)


def _heading_level(style: str) -> int:
    s = style.strip().lower()
    if s == "title":
        return 1
    for prefix in ("heading ", "标题 "):
        if s.startswith(prefix) and s[len(prefix):].isdigit():
            return min(int(s[len(prefix):]) + 1, 6)
    return 0
