"""Reading a plan document as plain text: .txt / .md (UTF-8, or GB18030 as older Word exports write), .docx, and
the 任务分解表 sheets offices attach (.xlsx, .csv). Tables come out as markdown pipe rows, cells in grid order, a
merged cell repeated over the cells it covers (see `tables.expand_tables`)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
DOCX_SUFFIXES = (".docx",)
SHEET_SUFFIXES = (".xlsx", ".csv")
SUPPORTED = TEXT_SUFFIXES + DOCX_SUFFIXES + SHEET_SUFFIXES

# A plan's Word file or sheet holds a few megabytes of XML once unpacked; a zip that unpacks to more than this is
# refused before anything is read (a compressed file can hold gigabytes of repeated text).
MAX_UNPACKED = 64 * 1024 * 1024
# A text document larger than this is not a plan.
MAX_TEXT = 64 * 1024 * 1024


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
        raise DocumentError(f"不支持的文件类型“{suffix or '（无扩展名）'}”，可用 .txt、.md、.docx、.xlsx、.csv / "
                            f"unsupported file type '{suffix}': use .txt, .md, .docx, .xlsx or .csv")
    if not path.is_file():
        raise DocumentError(f"找不到文件 / no such file: {path}")
    if suffix in DOCX_SUFFIXES:
        check_unpacked_size(path)
        return read_docx(path)
    if suffix == ".xlsx":
        check_unpacked_size(path)
        return read_xlsx(path)
    try:
        if path.stat().st_size > MAX_TEXT:
            raise DocumentError(f"文件过大（{path.stat().st_size // 1048576} MB，上限 {MAX_TEXT // 1048576} MB）/ "
                                f"the file is too large for a plan ({path.stat().st_size} bytes, limit {MAX_TEXT}): {path}")
        data = path.read_bytes()
    except OSError as e:
        raise DocumentError(f"无法读取 / cannot read {path}: {e.strerror or e}") from e
    if suffix == ".csv":
        return read_csv(decode_text(data))
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
    counters: list[int] = []  # Word's automatic numbering (List Number, w:numPr): the numbers are not in the text
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
                counters = []
            elif text.strip() and (depth := _list_level(para, style)) is not None and not _numbered(text):
                del counters[depth + 1:]
                while len(counters) <= depth:
                    counters.append(0)
                counters[depth] += 1
                n = counters[depth]
                text = (f"{n}. " if depth == 0 else f"（{n}）" if depth == 1 else f"{'①②③④⑤⑥⑦⑧⑨⑩'[(n - 1) % 10]}") \
                    + text.strip()
            lines.append(text)
        elif tag == "tbl":
            table = Table(child, document)
            lines.append("")
            for row in table.rows:
                lines.append(pipe_row(["<br>".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                                       for cell in row.cells]))
            lines.append("")
    return "\n".join(lines)


def pipe_row(cells: list[str]) -> str:
    """One table row as a markdown pipe row; a `|` inside a cell is escaped, line breaks become <br>."""
    clean = [" ".join(str(c).replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>").split())
             for c in cells]
    return "| " + " | ".join(clean) + " |"


def check_unpacked_size(path: Path) -> None:
    """Refuse a .docx / .xlsx whose parts unpack to more than MAX_UNPACKED bytes, before reading any of them.
    (The sizes are those the zip declares; reading stops at the declared size, so they bound the work.)"""
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise DocumentError(f"无法读取（不是有效的 {path.suffix} 文件）/ cannot read {path}: not a valid "
                            f"{path.suffix} file ({e})") from e
    if total > MAX_UNPACKED:
        raise DocumentError(f"文档解压后过大（{total // 1048576} MB，上限 {MAX_UNPACKED // 1048576} MB），拒绝读取 / "
                            f"refused: the document unpacks to {total} bytes, more than the limit of {MAX_UNPACKED}: "
                            f"{path}")


def read_xlsx(path: Path) -> str:
    """Every sheet of a workbook as a table (merged cells filled with their value), sheet by sheet."""
    try:
        import openpyxl
    except ImportError as e:  # pragma: no cover - dependency declared in pyproject
        raise DocumentError("读取 .xlsx 需要 openpyxl / reading .xlsx needs openpyxl") from e
    try:
        book = openpyxl.load_workbook(str(path), data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise DocumentError(f"无法读取 Excel 文件 / cannot read the .xlsx file {path}: {type(e).__name__}: {e}") from e
    lines: list[str] = []
    for sheet in book.worksheets:
        grid = [["" if v is None else _cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for rng in sheet.merged_cells.ranges:
            value = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(grid) else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                    grid[r][c] = value
        lines.append("")
        lines.extend(pipe_row(row) for row in grid if any(c.strip() for c in row))
        lines.append("")
    return "\n".join(lines)


def _cell_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "strftime"):
        return f"{v.year}年{v.month}月{v.day}日"
    return str(v).strip()


def read_csv(text: str) -> str:
    """A .csv 分解表: one table (comma- or tab-separated)."""
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return "\n".join(pipe_row(r) for r in rows if any(c.strip() for c in r))


def _numbered(text: str) -> bool:
    from planlang.importer.patterns import marker

    return marker(text.strip()) is not None


def _list_level(para, style: str) -> int | None:
    """The level of a paragraph Word numbers itself (a List Number style, or numbering in its properties)."""
    ppr = para._p.pPr
    num = ppr.numPr if ppr is not None else None
    if num is not None and num.numId is not None and num.numId.val != 0:
        return int(num.ilvl.val) if num.ilvl is not None else 0
    m = re.match(r"list number\s*(\d)?$", style.strip().lower())
    if m:
        return int(m[1]) - 1 if m[1] else 0
    return None


def _heading_level(style: str) -> int:
    s = style.strip().lower()
    if s == "title":
        return 1
    for prefix in ("heading ", "标题 "):
        if s.startswith(prefix) and s[len(prefix):].isdigit():
            return min(int(s[len(prefix):]) + 1, 6)
    return 0
