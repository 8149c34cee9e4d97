"""Tables → the lines of a plan: a 任务分解表 read as numbered items with owner lines.

Offices attach the division of work as a table (.docx table, .xlsx or .csv sheet, a markdown table) with columns
such as 序号 / 目标任务 / 工作任务 / 牵头单位 / 责任单位 / 配合单位 / 责任领导 / 完成时限. Every reader hands its
tables over as markdown pipe rows (`| 1 | 推进项目建设 | 区发改局 |`), cells in grid order, a merged cell repeated
in every row and column it covers, line breaks inside a cell written `<br>`. `expand_tables` turns each block of
such rows into the lines the rest of the importer reads anyway:

    一、扩大有效投资                ← a section row (one merged cell), or a new value of a category column
    1. 推进重点项目建设。           ← the task column, numbered by 序号 (or counted)
    牵头单位：区发改局              ← one line per owner column, under the canonical label
    责任单位：各街道
    完成时限：6月底前

A table saved as text comes in three more forms, all turned into such rows first: cells separated by tabs; each
cell closed by ` |` on its own line or a whole row to a line (`1 | 推进… | 王某某 | 区住建局 | 全年 |`, a web page's
table copied out), and markdown rows holding one cell each — these two grouped into rows by the width of the header
they start with, found by its column names (no header, no table: the lines stay as they are).

Header rows repeated on each page are dropped; rows before the header (the table's title) are kept as lines; a
table without a recognisable header is written cell by cell, so no text is lost.
"""

from __future__ import annotations

import re

from planlang.importer.patterns import marker

# column role → header words (matched after removing spaces and brackets' content like 牵头单位（部门）)
_COLUMNS: list[tuple[str, re.Pattern]] = [
    ("number", re.compile(r"^(?:序号|编号|序|号|项目编号|任务编号)$")),
    ("leader", re.compile(r"^(?:[\u4e00-\u9fff]{0,6}领导(?:同志)?|责任人|具体责任人|牵头责任人)$")),
    ("lead", re.compile(r"^(?:牵头(?:责任)?(?:单位|部门)|主办单位|主责单位|牵头)$")),
    ("cooperate", re.compile(r"^(?:(?:配合|协同|协办|协助|参与)(?:责任)?(?:单位|部门)|配合)$")),
    ("collector", re.compile(r"^汇总(?:单位|部门)$")),
    ("responsible", re.compile(r"^(?:(?:具体|主要)?责任(?:单位|部门)|承办单位|负责单位|落实单位|实施单位|"
                               r"责任(?:（配合）|\(配合\))单位)$")),
    ("due", re.compile(r"^(?:完成时限|时限|时间节点|完成时间|时限要求|完成时限要求|进度安排|时间安排|计划完成时间)$")),
    ("task", re.compile(r"^(?:工作任务|具体任务|任务内容|主要任务|重点任务|工作内容|工作措施|具体措施|主要措施|"
                        r"重点工作|工作事项|任务|措施|具体工作|任务事项|工作举措|重点工作任务|具体工作任务|项目名称|项目|指标名称|"
                        r"指标|民生实事|实事项目|事项)$")),
    ("section", re.compile(r"^(?:目标任务|任务类别|类别|类型|领域|板块|方面|项目类别|分类|重点领域|目标|工作目标|"
                           r"一级任务|二级任务|工作类别|重点方向)$")),
]
_LABEL = {"lead": "牵头单位", "responsible": "责任单位", "cooperate": "配合单位", "leader": "责任领导",
          "due": "完成时限", "collector": "汇总单位"}
_ROLE_ORDER = ("leader", "lead", "responsible", "cooperate", "collector", "due")
_CN = "一二三四五六七八九十"


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    if n < 20:
        return "十" + (_CN[n - 11] if n > 10 else "")
    return _CN[n // 10 - 1] + "十" + (_CN[n % 10 - 1] if n % 10 else "")


def column_role(header: str) -> str | None:
    """The role of a column from its header text, or None."""
    h = re.sub(r"[\s\u3000*]|<br>", "", header)
    h = re.sub(r"[（(][^）)]*[）)]$", "", h) if not re.fullmatch(r"责任[（(]配合[）)]单位", h) else h
    for role, pattern in _COLUMNS:
        if pattern.match(h):
            return role
    return None


def split_row(line: str) -> list[str] | None:
    """A markdown table row → its cells; None when the line is not one."""
    s = line.strip()
    if not s.startswith("|") or s.count("|") < 2:
        return None
    s = s[1:-1] if s.endswith("|") else s[1:]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


def _is_rule(cells: list[str]) -> bool:
    return all(re.fullmatch(r":?-{2,}:?|", c) for c in cells) and any(cells)


def _tab_row(line: str) -> list[str] | None:
    """A row of a table saved as text with tabs between its cells (two tabs at least)."""
    if line.count("\t") < 2:
        return None
    return [c.strip() for c in line.rstrip("\r").split("\t")]


_PIPE_END = re.compile(r"\s*[|｜]\s*$")


def _pipe_cells(line: str) -> list[str] | None:
    """A line of a table saved as text with each cell closed by ` |` (one cell, or a whole row: `1 | 推进… | 全年 |`);
    None when the line does not end with a pipe or is a markdown row."""
    s = line.strip()
    if not _PIPE_END.search(s) or s.startswith(("|", "｜")):
        return None
    return [c.strip() for c in re.split(r"[|｜]", _PIPE_END.sub("", s))]


def _heading_cell(cell: str) -> bool:
    return bool(cell) and len(cell) <= 16 and not re.search(r"[。，,；;：:]|^\d+$", cell)


def _pipe_table(lines: list[str], i: int) -> tuple[list[list[str]], int] | None:
    """A table flattened to text whose cells each end with ` |` — a cell to a line, or a row to a line — starting
    at line `i` with its header (its column names read by `column_role`). Returns the rows, grouped by the
    header's width, and the index of the first line after the table; None when no header starts there."""
    first = _pipe_cells(lines[i])
    if first is None:
        return None
    # the header: the run of short heading cells from line i on
    header: list[str] = []
    j = i
    while j < len(lines) and (cells := _pipe_cells(lines[j])) is not None and all(_heading_cell(c) for c in cells):
        header.extend(cells)
        j += 1
        if len(cells) > 1:  # a header row on one line is the whole header
            break
    if j - i == len(header):  # a cell to a line: the first row's short cells are not part of the header
        while header and column_role(header[-1]) is None and not re.fullmatch(r"备注|附注|说明", header[-1]):
            header.pop()
            j -= 1
    roles = {k: r for k, c in enumerate(header) if (r := column_role(c)) is not None}
    if len(header) < 2 or len(roles) < 2 or not set(roles.values()) & {"task", "lead", "responsible"}:
        return None
    width = len(header)
    stream: list[str] = []
    pending: list[str] = []  # a cell's text broken over lines without a pipe, waiting for the line that closes it
    end = j
    while j < len(lines):
        line = lines[j].strip()
        cells = _pipe_cells(line)
        if cells is not None:
            if pending:
                cells[0] = "".join(pending) + cells[0]
                pending = []
            stream.extend(cells)
            j += 1
            end = j
            continue
        if not line:
            j += 1
            continue
        if len(stream) % width == 0 or split_row(line) is not None or len(pending) >= 6:
            break  # a row is complete and the text goes on: the table has ended
        pending.append(line)
        j += 1
    rows = [header] + [stream[k:k + width] for k in range(0, len(stream), width)]
    return rows, end


def expand_tables(text: str) -> str:
    """Every table in `text` — runs of markdown `| … |` lines, of two or more lines with tab-separated cells, or of
    lines whose cells each end with ` |` under a header of column names — replaced by the lines it stands for."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if (piped := _pipe_table(lines, i)) is not None:
            rows, i = piped
        elif split_row(lines[i]) is not None:
            rows = []
            while i < len(lines) and (cells := split_row(lines[i])) is not None:
                if not _is_rule(cells):
                    rows.append([c.replace("\\|", "|") for c in cells])
                i += 1
            rows = _regrouped(rows)
        elif _tab_row(lines[i]) is not None and i + 1 < len(lines) and _tab_row(lines[i + 1]) is not None:
            rows = []
            while i < len(lines) and (cells := _tab_row(lines[i])) is not None:
                rows.append(cells)
                i += 1
        else:
            out.append(lines[i])
            i += 1
            continue
        out.extend(table_lines(rows))
        out.append("")
    return "\n".join(out)


def _regrouped(rows: list[list[str]]) -> list[list[str]]:
    """Markdown rows holding one cell each (`| 序号 |`, `| 重点工作 |` …, a table flattened a cell to a line):
    grouped into rows by the width of the header they start with; other tables as they are."""
    if not rows or any(len(r) != 1 for r in rows) or _header_index(rows) is not None:
        return rows
    cells = [r[0] for r in rows]
    start = next((k for k, c in enumerate(cells[:8]) if column_role(c) is not None), None)
    if start is None:
        return rows
    width = 0
    while start + width < len(cells) and _heading_cell(cells[start + width]) \
            and (column_role(cells[start + width]) is not None or width == 0):
        width += 1
    roles = [column_role(c) for c in cells[start:start + width]]
    if width < 2 or not set(roles) & {"task", "lead", "responsible"}:
        return rows
    body = cells[start:]
    return [[c] for c in cells[:start]] + [body[k:k + width] for k in range(0, len(body), width)]


def _header_index(rows: list[list[str]]) -> tuple[int, dict[int, str]] | None:
    for k, row in enumerate(rows[:8]):
        roles = {j: r for j, c in enumerate(row) if c and (r := column_role(c)) is not None}
        kinds = set(roles.values())
        if len(roles) >= 2 and (kinds & {"task", "lead", "responsible"}):
            return k, roles
    return None


def _cell(row: list[str], j: int) -> str:
    return row[j] if j < len(row) else ""


def _joined(cell: str, sep: str) -> str:
    parts = [p.strip() for p in cell.split("<br>") if p.strip()]
    return sep.join(parts)


def table_lines(rows: list[list[str]]) -> list[str]:
    """The lines one table stands for (see the module's docstring)."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    found = _header_index(rows)
    if found is None:
        out = []
        for row in rows:
            for c in dict.fromkeys(x for x in row if x.strip()):
                out.extend(p for p in (q.strip() for q in c.split("<br>")) if p)
        return out
    k, roles = found
    header = list(rows[k])
    # a second header row under the first (责任单位 over 牵头单位 | 配合单位): its words name the columns
    if k + 1 < len(rows):
        below = rows[k + 1]
        sub = {j: column_role(c) for j, c in enumerate(below) if c.strip()}
        if sub and all(r is not None for r in sub.values()) and any(r in _LABEL for r in sub.values()):
            for j, r in sub.items():
                roles[j] = r
                if j < len(header):
                    header[j] = below[j]
                else:
                    header.append(below[j])
            rows = rows[:k + 1] + rows[k + 2:]
    tasks = sorted(j for j, r in roles.items() if r == "task")
    for j in tasks[:-1]:  # 重点任务 | 工作任务: the broader column groups the rows of the narrower one
        roles[j] = "section"
    if not tasks:  # 目标任务 alone: it holds the work itself
        sections = sorted(j for j, r in roles.items() if r == "section")
        if sections:
            roles[sections[-1]] = "task"
    out: list[str] = []
    for row in rows[:k]:  # the table's title
        for c in dict.fromkeys(x for x in row if x.strip()):
            out.append(_joined(c, ""))
    # a heading that states how to read its column (责任单位（牵头单位列首位）) is kept as a note, where the
    # importer looks for stated conventions
    for c in dict.fromkeys(header):
        note = re.search(r"[（(]([^）)]*(?:首位|第一|最前)[^）)]*)[）)]", c)
        if note:
            out.append(f"注：{_squeeze(c)}")
    task_col = next((j for j, r in roles.items() if r == "task"), None)
    section_cols = [j for j, r in roles.items() if r == "section"]
    number_col = next((j for j, r in roles.items() if r == "number"), None)
    other_cols = [j for j, c in enumerate(header) if c.strip() and j not in roles]
    if task_col is None:  # the first unnamed wide column holds the work
        task_col = next((j for j in other_cols), None)
        if task_col is not None:
            other_cols.remove(task_col)
    current_sections: list[str] = ["" for _ in section_cols]
    section_count = 0
    sub_count = [0]
    task_count = 0
    last_task = None
    held_extras: list[str] = []  # the current task's lines, written when the next row starts another
    held_labels: list[str] = []
    for row in rows[k + 1:]:
        if [c.strip() for c in row] == [c.strip() for c in header]:
            continue  # the header repeated on a new page
        values = [c for c in row if c.strip()]
        distinct = list(dict.fromkeys(values))
        task_text = _joined(_cell(row, task_col), "") if task_col is not None else ""
        owners_here = any(_cell(row, j).strip() for j, r in roles.items() if r in _LABEL)
        # a section row: one merged cell across the row, or a number and a title with nothing else
        if len(distinct) == 1 and (len(values) > 1 or not owners_here) and (not task_text or len(values) == len(row)):
            section_count += 1
            out.extend(held_extras + held_labels)
            held_extras, held_labels = [], []
            out.append(_section_line(_joined(distinct[0], ""), section_count, level=0))
            last_task = None
            current_sections = ["" for _ in section_cols]
            continue
        if not task_text and not owners_here and len(distinct) == 2 and number_col is not None \
                and _cell(row, number_col).strip() in distinct:
            section_count += 1
            num = _cell(row, number_col).strip()
            title = next(v for v in distinct if v != num)
            out.extend(held_extras + held_labels)
            held_extras, held_labels = [], []
            out.append(_section_line(_joined(title, ""), section_count, level=0, number=num))
            last_task = None
            continue
        for level, j in enumerate(section_cols):
            value = _joined(_cell(row, j), "")
            if value and value != current_sections[level]:
                out.extend(held_extras + held_labels)
                held_extras, held_labels = [], []
                current_sections[level] = value
                for deeper in range(level + 1, len(current_sections)):
                    current_sections[deeper] = ""
                if level == 0:
                    section_count += 1
                    sub_count[0] = 0
                    out.append(_section_line(value, section_count, level=0))
                else:
                    sub_count[0] += 1
                    out.append(_section_line(value, sub_count[0], level=1))
                last_task = None
        if not task_text:
            if not owners_here:
                continue
            if last_task is None and not any(section_cols):
                task_text = ""
        labels = []
        for role in _ROLE_ORDER:
            for j, r in roles.items():
                if r == role and _cell(row, j).strip():
                    sep = "、" if role in ("lead", "responsible", "cooperate", "collector", "leader") else "，"
                    labels.append(f"{_LABEL[role]}：{_joined(_cell(row, j), sep)}")
        extras = [f"{_squeeze(header[j])}：{_joined(_cell(row, j), '')}" for j in other_cols if _cell(row, j).strip()]
        if task_text and task_text == last_task:
            # a task cell merged down over several rows: more of the same task (its detail before its owner lines)
            held_extras.extend(extras)
            held_labels.extend(x for x in labels if x not in held_labels)
            continue
        out.extend(held_extras + held_labels)
        held_extras, held_labels = [], []
        if task_text:
            task_count += 1
            num = _cell(row, number_col).strip() if number_col is not None else ""
            out.append(_task_line(task_text, num, task_count))
            last_task = task_text
        held_extras, held_labels = list(extras), list(labels)
    out.extend(held_extras + held_labels)
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+|<br>", "", text)


def _section_line(text: str, n: int, level: int, number: str = "") -> str:
    """A section heading: kept as written when it carries its own numbering, else numbered 一、 / （一）."""
    if number:
        if re.fullmatch(r"[一二三四五六七八九十]+", number):
            return f"{number}、{text}"
        if re.fullmatch(r"\d+", number):
            return f"{_cn_number(int(number))}、{text}" if int(number) > 0 else text
        return f"{number} {text}" if marker(f"{number} {text}") is not None else f"{_cn_number(n)}、{text}"
    if marker(text) is not None:
        return text
    return f"{_cn_number(n)}、{text}" if level == 0 else f"（{_cn_number(n)}）{text}"


def _task_line(text: str, number: str, n: int) -> str:
    """A task row as a numbered item `1. …` (by its 序号 when it has one)."""
    if marker(text) is not None and marker(text).kind in ("num", "pnum", "rnum", "circ"):
        return text
    num = number if re.fullmatch(r"\d{1,3}", number) else str(n)
    return f"{num}. {text}"
