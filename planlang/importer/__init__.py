"""Import: turn an existing plan document (.txt, .md, .docx, or a 分解表 in .xlsx / .csv) into a draft `.plan`.

    result = import_document(Path("方案.docx"), out_path=Path("方案.plan"), units_path=Path("units.plan"))
    result.text        # the draft, which always parses
    result.units_text  # the unit registry to write (merged into the existing one), or None
    result.report      # what was found and what needs a person's decision (str(report) for text)

The pipeline: `read` (file → text, tables as pipe rows) → `script` (traditional characters → simplified) →
`tables` (a 分解表 → numbered items with owner lines) → `clean` (furniture out, broken lines joined) →
`structure` (outline) → `analyze` (goals, tasks, owners, mechanisms, units) → `units` (the registry, near
duplicates) → `emit` (.plan text) → verified with the real compiler.
What the importer cannot decide is written as a `# 待确认：…` comment and left for `planlang check` to flag.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from planlang.importer.read import SUPPORTED, DocumentError, read_document

__all__ = ["DocumentError", "ImportReport", "ImportResult", "SUPPORTED", "import_document"]

_SYNTAX_CODES = ("PL001", "PL002", "PL003")


@dataclass(slots=True)
class ImportReport:
    """Counts of what the importer found, and what needs attention."""

    source: str
    sections: int = 0
    tasks: int = 0
    owned_tasks: int = 0
    owner_notes: int = 0
    unread_owner_notes: int = 0
    unconfirmed: int = 0  # 待确认 lines: owner phrases the importer could not place (each is a PL205)
    goals: int = 0
    indicators: int = 0
    task_indicators: int = 0
    mechanisms: int = 0
    texts: int = 0
    units: int = 0
    new_units: int = 0
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)
    furniture_lines: int = 0
    joined_lines: int = 0
    diagnostics: dict[str, int] = field(default_factory=dict)

    def render(self) -> str:
        lines = [
            f"planlang import: {self.source}",
            f"  章节 sections: {self.sections}",
            f"  任务 tasks: {self.tasks}（写明牵头/负责 with owners: {self.owned_tasks}；"
            f"责任单位说明 owner notes: {self.owner_notes}，未能识别 unread: {self.unread_owner_notes}；"
            f"待确认的责任表述 owner phrases to confirm: {self.unconfirmed}）",
            f"  目标 goals: {self.goals}（指标 indicators: {self.indicators}；任务指标 task indicators: "
            f"{self.task_indicators}）",
            f"  机制 mechanisms: {self.mechanisms}",
            f"  文本 text parts: {self.texts}",
            f"  单位 units: {self.units}（新增到登记表 new in the registry: {self.new_units}；疑似重复 near-duplicates: "
            f"{len(self.near_duplicates)}）",
            f"  清理 clean-up: 删除页面杂项 {self.furniture_lines} 行 furniture lines dropped，"
            f"接续断行 {self.joined_lines} 处 broken lines joined",
        ]
        if self.diagnostics:
            shown = "，".join(f"{code} ×{n}" for code, n in sorted(self.diagnostics.items()))
            lines.append(f"  检查 planlang check: {shown}")
        if self.near_duplicates:
            lines.append("  疑似同一单位 possible duplicates:")
            lines.extend(f"    - {a} / {b}" for a, b in self.near_duplicates)
        if self.attention:
            lines.append(f"  待确认 needs attention ({len(self.attention)}):")
            lines.extend(f"    - {a}" for a in self.attention)
        else:
            lines.append("  待确认 needs attention: 无 none")
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.render()


@dataclass(slots=True)
class ImportResult:
    """The draft plan text, the unit registry text (when a registry is used) and the report."""

    text: str
    units_text: str | None
    report: ImportReport


def import_document(source: Path | str, *, out_path: Path | None = None, units_path: Path | None = None,
                    name: str | None = None) -> ImportResult:
    """Import a plan document. `source` is a path (.txt, .md, .docx) or the document's text itself.

    `out_path`: where the draft will be written (includes are made relative to it; default: the current
    folder). `units_path`: a unit registry to create or extend; the draft then includes it instead of
    declaring the units itself. Raises DocumentError when the document cannot be read."""
    from planlang.importer.emit import render

    if isinstance(source, Path):
        raw = read_document(source)
        label = source.name
        name = name or source.stem
    else:
        raw = source
        label = name or "document"
        name = name or "document"
    draft, doc = _analyzed(raw, label, name)
    units = _place_units(draft, label, out_path, units_path)
    text = render(draft, units.include, units.inline)

    verify_path = out_path if out_path is not None else Path.cwd() / f"{_safe_stem(name)}.plan"
    if units_path is not None and units.text is not None and not units_path.is_file():
        # the registry is written after the import: check the draft with the registry's text appended
        text, diags = _verify(verify_path, text, None, appended=units.text)
    else:
        overlay = {units_path.resolve(): units.text} if units_path is not None and units.text is not None else None
        text, diags = _verify(verify_path, text, overlay)
    return ImportResult(text, units.text, _report(label, draft, doc, units, diags, units_path is not None))


def _analyzed(raw: str, label: str, name: str):
    """The document's text read into a draft plan — simplified script, tables expanded, furniture out, outlined
    and analyzed — with the draft's opening comments; and the cleaned document (its clean-up counts)."""
    from planlang.importer.analyze import analyze
    from planlang.importer.clean import clean
    from planlang.importer.script import to_simplified
    from planlang.importer.structure import outline
    from planlang.importer.tables import expand_tables

    script = to_simplified(raw)
    doc = clean(expand_tables(script.text))
    draft = analyze(outline(doc), name)
    if script.converted:
        draft.head_comments.insert(0, f"# 待确认：原文为繁体字，已转换为简体（{script.converted} 处）；请核对单位名称和专名")
        draft.attention.insert(0, f"原文为繁体字，已转换为简体（{script.converted} 处）/ traditional script converted")
    draft.head_comments.insert(0, f"# 由 planlang import 从“{label}”生成的草稿：请核对全文，逐条处理标有“待确认”的地方。")
    return draft, doc


@dataclass(slots=True)
class _Units:
    """Where the draft's units go: `inline` (declared in the draft) or a registry the draft includes (`include`,
    and the registry's new `text`); which of them are new, and which look like another unit written another way."""

    include: str | None
    inline: str
    text: str | None
    new: dict[str, object]
    near: list


def _place_units(draft, label: str, out_path: Path | None, units_path: Path | None) -> _Units:
    """The draft's units declared in the draft, or added to the unit registry at `units_path` (read when it
    exists); a unit that looks like another one written differently gets a 待确认 note at the draft's head."""
    from planlang.importer.emit import units_block
    from planlang.importer.units import near_duplicates, registry_names

    existing_text = ""
    existing_names: list[str] = []
    if units_path is not None and units_path.is_file():
        try:
            existing_text = units_path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise DocumentError(f"无法读取单位登记表 / cannot read the unit registry {units_path}: {e}") from e
        ids, aliases = registry_names(units_path, existing_text)
        existing_names = ids + aliases
    names = list(draft.units)
    near = near_duplicates(names, existing_names)
    flagged: dict[str, str] = {}
    for nd in near:
        new = nd.b if nd.b not in existing_names else nd.a
        other = nd.a if new == nd.b else nd.b
        note = (f"# 待确认：“{new}”与“{other}”可能是同一单位（写法不同）；若是，请只保留一个，另一个写成 别名")
        flagged.setdefault(new, note)
        draft.head_comments.append(note)
    known = set(existing_names)
    new_units = {n: k for n, k in draft.units.items() if n not in known}
    include = None
    units_text = None
    if units_path is not None:
        base = (out_path.parent if out_path is not None else Path.cwd())
        include = os.path.relpath(units_path.resolve(), base.resolve()).replace(os.sep, "/")
        if new_units:
            header = f"# 由 planlang import 从“{label}”添加的单位"
            block = units_block(new_units, flagged, header)
            sep = "" if not existing_text or existing_text.endswith("\n\n") else ("\n" if existing_text.endswith("\n") else "\n\n")
            if not existing_text:
                existing_text = "# 单位登记表（由 planlang import 创建）\n\n"
                sep = ""
            units_text = existing_text + sep + block
        else:
            units_text = existing_text or "# 单位登记表（由 planlang import 创建）\n"
        inline = ""
    else:
        inline = units_block(draft.units, flagged, "# 单位（原文只写简称；类型按名称推断，请核对）" if draft.units else None)
    return _Units(include, inline, units_text, new_units, near)


def _report(label: str, draft, doc, units: _Units, diags: list, registry: bool) -> ImportReport:
    """What was found, and what needs a person's decision: the draft's counts, the clean-up's, the checks'."""
    report = ImportReport(label)
    report.sections = draft.sections
    tasks = list(draft.tasks())
    report.tasks = len(tasks)
    report.owned_tasks = sum(1 for t in tasks if t.owned)
    report.unread_owner_notes = sum(1 for t in tasks if t.note_failed)
    report.owner_notes = sum(1 for t in tasks if t.owned or t.note_failed)
    texts = [it for it in draft.items if type(it).__name__ == "DText"]
    report.unconfirmed = sum(len(x.unconfirmed) for x in (*tasks, *draft.goals(), draft.plan, *texts))
    goals = list(draft.goals())
    report.goals = sum(1 for g in goals if g.growth or g.total or g.targets)
    report.indicators = sum(len(g.growth) + len(g.total) + len(g.targets) for g in goals)
    report.task_indicators = sum(len(t.targets) for t in tasks)
    report.mechanisms = len(draft.mechanisms())
    report.texts = sum(1 for it in draft.items if type(it).__name__ == "DText")
    report.units = len(draft.units)
    report.new_units = len(units.new) if registry else len(draft.units)
    report.near_duplicates = [(nd.a, nd.b) for nd in units.near]
    report.furniture_lines, report.joined_lines = doc.dropped, doc.joined
    report.diagnostics = dict(Counter(d.code for d in diags))
    report.attention = list(draft.attention)
    unowned = report.diagnostics.get("PL201", 0)
    if unowned:
        report.attention.append(f"{unowned} 项任务没有牵头或责任单位（PL201）/ {unowned} tasks have no owner")
    return report


def _safe_stem(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", name) or "draft"


def _verify(path: Path, text: str, overlay: dict[Path, str] | None, appended: str | None = None):
    """Compile the draft; a line the front end cannot read (PL001–PL003) is turned into a comment.
    `appended`: a registry's text to check as if it were included (it is appended, the include line blanked)."""
    from planlang.importer.emit import quote
    from planlang.pipeline import compile_file

    diags = []
    for _ in range(5):
        checked = text
        if appended is not None:
            checked = re.sub(r"(?m)^引用 .*$", "#", text) + "\n" + appended
        result = compile_file(path, text=checked, overlay=overlay)
        diags = result.diagnostics
        if appended is not None:
            draft_end = len(text)
            diags = [d for d in diags if not (d.code == "PL105" and d.span.start > draft_end)]
        bad_lines = sorted({_line_of(text, d.span.start) for d in diags
                            if d.code in _SYNTAX_CODES and d.span.file.path == result.workspace.display(path.resolve())})
        if not bad_lines:
            return text, diags
        lines = text.split("\n")
        changed = False
        for n in bad_lines:
            if 0 <= n < len(lines) and re.match(r"^\s*[^\s{}#]+\s*[：:]", lines[n]):
                indent = re.match(r"^\s*", lines[n]).group(0)
                if lines[n].strip().startswith("待确认：") or not indent:
                    lines[n] = f"{indent}# 待确认（无法解析，已改为注释）：{lines[n].strip()}"
                else:  # kept as a 待确认 line, so the draft cannot check clean with it unread (PL205)
                    lines[n] = f"{indent}待确认：{quote('无法解析：' + lines[n].strip())}"
                changed = True
        text = "\n".join(lines)
        if not changed:
            break
    return text, diags


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)
