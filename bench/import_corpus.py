"""How well `planlang import` reads plans it has never seen: the import corpus of issue 16, measured.

    .venv/bin/python bench/import_corpus.py [-v] [--json] [NAME …]

Every document of tests/fixtures/import/corpus/ (.txt, .md, .csv there; .docx and .xlsx built by build_tables.py
into a temporary folder) goes through the real importer (`import_document`) and the draft through the real
pipeline (`compile_file`). Each gold task and goal is found in the draft by its `match` (a substring of a task's
or goal's title or description), and per document and in total the script prints:

- tasks found / gold (goals included);
- exact owners: gold items whose effective lead and responsible sets are both exactly right (an item not found
  counts as wrong; an item the gold leaves without owners must have none);
- leaders: gold items with leaders whose effective leaders are right (a leader matches when one text contains the
  other: 县长王某 / 王某);
- sections kept: gold section headings whose text is in the draft;
- lost: sentences of the source (page furniture dropped) with a piece of text that is nowhere in the draft;
- phrase units: declared units whose name is an owner phrase (牵头, 负责, 完成, 月底 …);
- whether the draft parses (no syntax diagnostic, no exception), and whether the title is the gold title.

`-v` lists what is wrong per document; `--json` prints the same figures as JSON. tests/test_import_corpus.py
asserts the thresholds of issue 16 on these figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import tempfile
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "import" / "corpus"
for p in (ROOT, ROOT / "tests", CORPUS):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from import_measure import norm_title, walk, walk_goals  # noqa: E402
from planlang.importer import import_document  # noqa: E402
from planlang.pipeline import compile_file  # noqa: E402

TEXT_SUFFIXES = (".txt", ".md", ".csv")
SYNTAX = ("PL001", "PL002", "PL003")
ROLES = ("lead", "responsible", "cooperate", "leaders", "due")

# Lines of a saved web page that are the site's, not the document's.
FURNITURE = re.compile(
    r"索\s*引\s*号|发布机构|发文机构|主题分类|组配分类|成文日期|发布日期|发布时间|生成日期|公开日期|公开方式|公开范围|"
    r"有\s*效\s*性|浏览次数|访问次数|点击量|浏览量|阅读次数|字体[:：]?\s*[【\[]?\s*大|字\s*号[:：]|打印本页|打印整页|关闭窗口|"
    r"分享到|扫一扫|无障碍|长者模式|关怀版|所在位置|当前位置|返回顶部|^\s*首页\s*[>＞›]|^\s*返\s*回\s*$|^\s*[-—–]+\s*\d+\s*[-—–]+\s*$|来源[:：]\s*作者|^\s*来源[:：].{0,20}编辑")

# Words that only say who does what: a piece of source text is looked for with them taken out (on both sides), so a
# note `（县发改局牵头，各乡镇负责）` written as `牵头：县发改局` / `负责：各乡镇` is not lost.
ROLE_WORDS = sorted([
    "牵头负责领导", "牵头责任单位", "协同责任单位", "主要责任单位", "其他责任单位", "牵头单位", "责任单位", "配合单位",
    "协办单位", "参与单位", "汇总单位", "责任领导", "牵头领导", "分管领导", "包抓领导", "责任人", "完成时限", "时间节点",
    "按职责分工负责", "按职责负责", "牵头负责", "牵头实施", "牵头", "负责", "配合", "协同", "参与", "由", "等",
], key=len, reverse=True)
_ROLE_RE = re.compile("|".join(map(re.escape, ROLE_WORDS)))

# A declared unit whose name holds one of these is an owner phrase or a deadline, not a unit.
PHRASE_UNIT = re.compile(r"牵头|负责|配合|协同|完成|时限|月底|年底|年内|月前|日前|季度|责任领导|牵头领导|责任人|单位[:：]|领导[:：]|"
                         r"\d+月")

_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+\*?[\.．、]|第[一二三四五六七八九十]+[章节条])\s*")
_SENTENCE = re.compile(r"[。！？；;!?\n]")
_PIECE = re.compile(r"[，,、：:（）()\[\]〔〕【】“”《》〈〉\"'‘’\s·／/①②③④⑤⑥⑦⑧⑨⑩]+")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# Column headings of a 分解表: the table's frame, not its text.
HEADER_WORDS = {"序号", "指标名称", "预期目标", "目标任务", "工作任务", "重点任务", "主要任务", "任务内容", "民生实事", "备注",
                "工作措施", "具体措施", "主要指标", "项目名称", "建设内容", "重点工作"}

_t2s = None


def simplified(text: str) -> str:
    global _t2s
    if _t2s is None:
        import opencc

        _t2s = opencc.OpenCC("t2s")
    return _t2s.convert(text)


def norm(text: str) -> str:
    """Compare texts without script, width, punctuation, spaces, role words; dates as YYYYMMDD."""
    text = unicodedata.normalize("NFKC", simplified(text))
    text = _DATE.sub(lambda m: f"{m[1]}{int(m[2]):02d}{int(m[3]):02d}", text)
    text = _ISO.sub(lambda m: f"{m[1]}{int(m[2]):02d}{int(m[3]):02d}", text)
    text = _ROLE_RE.sub("", text)
    return "".join(c for c in text if not unicodedata.category(c)[0] in "PSZC")


def norm_unit(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", simplified(name)))


# -- reading the source: the text a person sees ------------------------------------------------------------------


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")  # a .csv saved by a Chinese-locale spreadsheet


def source_lines(path: Path) -> list[str]:
    """The document's text as lines (table cells one per line), for the lost-text count and the gold check."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [cell for row in csv.reader(io.StringIO(_text(path))) for cell in row if cell.strip()]
    if suffix == ".txt":
        return _text(path).splitlines()
    if suffix == ".md":
        lines = []
        for line in _text(path).splitlines():
            line = re.sub(r"^\s*#+\s*", "", line).replace("**", "")
            if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line) and "-" in line:
                continue  # a table's rule row
            if line.strip().startswith("|"):
                lines.extend(c.strip() for c in line.strip().strip("|").split("|"))
            else:
                lines.append(line)
        return lines
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                seen = []
                for cell in row.cells:
                    if any(cell._tc is s for s in seen):
                        continue  # a merged cell is returned once per grid column
                    seen.append(cell._tc)
                    lines.extend(p.text for p in cell.paragraphs)
        return lines
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(str(path))
        return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    raise ValueError(f"unknown document type {path}")


def is_furniture(line: str) -> bool:
    return bool(FURNITURE.search(simplified(line)))


def _label_only(line: str) -> bool:
    """A furniture label whose value is on the next line (`• 主题分类：` / `综合政务`)."""
    return is_furniture(line) and bool(re.search(r"[:：]\s*$", line))


def _join_open_brackets(lines: list[str]) -> list[str]:
    """A note broken over lines (`（县发改局牵` / `头，各乡镇负责）`) is read as the one line it was."""
    out: list[str] = []
    for line in lines:
        if out and line.strip() and out[-1].count("（") + out[-1].count("(") > out[-1].count("）") + out[-1].count(")"):
            out[-1] += line.strip()
        else:
            out.append(line)
    return out


def source_sentences(path: Path) -> list[str]:
    out = []
    value_next = False
    for line in _join_open_brackets(source_lines(path)):
        if value_next and line.strip():
            value_next = False
            continue
        if is_furniture(line):
            value_next = _label_only(line)
            continue
        line = _NUMBERING.sub("", line)
        out.extend(s.strip() for s in _SENTENCE.split(line) if s.strip())
    return out


def lost_sentences(path: Path, draft: str) -> list[str]:
    """Sentences with a piece (between punctuation) of two or more characters that the draft does not hold."""
    have = norm(draft)
    lost = []
    for sentence in source_sentences(path):
        for piece in _PIECE.split(sentence):
            p = norm(_NUMBERING.sub("", piece))
            if len(p) < 2 or p.isdigit() or p in HEADER_WORDS:
                continue
            if p not in have:
                lost.append(sentence)
                break
    return lost


# -- the documents -----------------------------------------------------------------------------------------------


def documents(folder: Path, names: list[str] | None = None) -> list[tuple[str, Path, dict]]:
    """(name, path, gold) for every corpus document; the table documents are built into `folder`."""
    import build_tables

    paths = [p for p in sorted(CORPUS.iterdir()) if p.suffix in TEXT_SUFFIXES]
    paths += build_tables.build(folder)
    out = []
    for path in sorted(paths, key=lambda p: p.name):
        gold_path = CORPUS / f"{path.stem}.gold.json"
        if not gold_path.exists() or (names and path.stem not in names):
            continue
        out.append((path.stem, path, json.loads(gold_path.read_text(encoding="utf-8"))))
    return out


# -- the measurement ---------------------------------------------------------------------------------------------


@dataclass
class Figures:
    name: str
    layout: list[str] = field(default_factory=list)
    items: int = 0  # gold tasks and goals
    found: int = 0
    exact: int = 0  # lead and responsible sets exactly right
    with_leaders: int = 0
    leaders_right: int = 0
    cooperate: int = 0  # gold items with cooperating units …
    cooperate_right: int = 0  # … found with exactly those
    dues: int = 0
    dues_right: int = 0
    sections: int = 0
    sections_kept: int = 0
    lost: list[str] = field(default_factory=list)
    phrase_units: list[str] = field(default_factory=list)
    parses: bool = False
    title_ok: bool | None = None
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        leaders = f"{self.leaders_right}/{self.with_leaders}" if self.with_leaders else "-"
        title = {True: "ok", False: "WRONG", None: "-"}[self.title_ok]
        return (f"{self.name}: tasks {self.found}/{self.items}; exact owners {self.exact}/{self.items}; leaders {leaders}; "
                f"sections {self.sections_kept}/{self.sections}; lost {len(self.lost)}; phrase units "
                f"{len(self.phrase_units)}; parses {'yes' if self.parses else 'NO'}; title {title}"
                + (f"; ERROR {self.error}" if self.error else ""))


def _names_of(model) -> dict[str, set[str]]:
    """unit id → the normalized names it goes by (id, full name, aliases)."""
    out = {}
    for u in model.units:
        names = {norm_unit(u.id)} | {norm_unit(a) for a in u.aliases}
        if u.full_name:
            names.add(norm_unit(u.full_name))
        out[u.id] = names
    return out


def _same_units(got: list[str], want: list[str], names: dict[str, set[str]]) -> bool:
    want_n = {norm_unit(w) for w in want}
    got_n = set()
    for g in got:
        alias = names.get(g, {norm_unit(g)})
        hit = alias & want_n
        got_n.add(next(iter(hit)) if hit else norm_unit(g))
    return got_n == want_n


def _same_leaders(got: list[str], want: list[str]) -> bool:
    g = [norm(x) for x in got]
    w = [norm(x) for x in want]
    if len(g) != len(w):
        return False
    return all(any(a in b or b in a for b in g) for a in w) and all(any(a in b or b in a for b in w) for a in g)


def _parents(model) -> tuple[dict, dict]:
    tasks, goals = {}, {}

    def down(items, parent, into, children):
        for x in items:
            into[id(x)] = parent
            down(getattr(x, children), x, into, children)

    down(model.tasks, None, tasks, "children")
    down(model.goals, None, goals, "children")
    return tasks, goals


def _owners(item, model, parents) -> dict[str, list[str]]:
    """Effective owners of a draft task or goal: as the compiled model states them, inherited down the tree."""
    is_task = hasattr(item, "effective_owners") and hasattr(item, "due")
    task_parents, goal_parents = parents
    up = task_parents if is_task else goal_parents
    eff = getattr(item, "effective_owners", None)
    if eff is not None:
        lead, responsible, cooperate = list(eff.lead), list(eff.responsible), list(eff.cooperate)
    else:
        node = item
        while node is not None and not (node.lead or node.responsible):
            node = up.get(id(node))
        src = node if node is not None else item
        lead, responsible, cooperate = list(src.lead), list(src.responsible), list(src.cooperate)
    if hasattr(item, "effective_leaders"):  # a goal: its own leaders, else its group's, else the plan's
        leaders = item.effective_leaders
    elif not is_task and eff is not None:
        leaders = None
    else:
        leaders = getattr(eff, "leaders", None) if eff is not None else None
    if leaders is None:
        node = item
        while node is not None and not getattr(node, "leaders", None):
            node = up.get(id(node))
        leaders = list(node.leaders) if node is not None else list(getattr(model.plan, "leaders", None) or [])
    due = [d.text for d in getattr(item, "due", [])]
    return {"lead": lead, "responsible": responsible, "cooperate": cooperate, "leaders": list(leaders), "due": due}


def _texts(x) -> list[str]:
    """What a draft task or goal can be recognized by: its title, for a goal also the title with its values
    (`地区生产总值` + `增长：8.5%左右` reads 地区生产总值增长8.5%左右)."""
    out = [x.title]
    for q in getattr(x, "growth", []):
        out.append(f"{x.title}增长{q.text}")
    for q in getattr(x, "total", []):
        out.append(f"{x.title}{q.text}")
    return out


def _find(match: str, model, goal_first: bool):
    """The draft task or goal a gold item is: the match in its title, else in one of its description lines. A
    description line that starts with an item's number is an item the importer did not make a task of (kept as
    text inside another block), so it does not count."""
    key = norm(match)
    tasks = list(walk(model.tasks))
    goals = list(walk_goals(model.goals))
    pools = [goals, tasks] if goal_first else [tasks, goals]
    for pool in pools:
        for x in pool:
            if any(key in norm(t) for t in _texts(x)):
                return x
    for pool in pools:
        for x in pool:
            if any(key in norm(line) and not _NUMBERING.match(line.lstrip("“「\"'")) for line in x.description):
                return x
    return None


def measure(name: str, path: Path, gold: dict, folder: Path) -> Figures:
    f = Figures(name, layout=list(gold.get("layout", [])))
    items = [(t, False) for t in gold["tasks"]] + [(g, True) for g in gold["goals"]]
    f.items = len(items)
    f.with_leaders = sum(1 for it, _ in items if it.get("leaders"))
    f.cooperate = sum(1 for it, _ in items if it.get("cooperate"))
    f.dues = sum(1 for it, _ in items if it.get("due"))
    f.sections = len(gold["sections"])
    out = folder / f"{name}.plan"
    try:
        result = import_document(path, out_path=out)
        out.write_text(result.text, encoding="utf-8")
        compiled = compile_file(out)
    except Exception as e:  # noqa: BLE001 - a document the importer cannot take is a measured failure
        f.error = f"{type(e).__name__}: {e}"
        f.lost = lost_sentences(path, "")
        return f
    draft = result.text + "\n" + (result.units_text or "")
    f.parses = not any(d.code in SYNTAX for d in compiled.diagnostics)
    model = compiled.model
    if gold.get("title"):
        f.title_ok = model.plan is not None and norm_title(simplified(model.plan.title)) == norm_title(gold["title"])
        if not f.title_ok:
            f.problems.append(f"title: {model.plan.title if model.plan else None!r} vs {gold['title']!r}")
    names = _names_of(model)
    parents = _parents(model)
    for it, is_goal in items:
        mine = _find(it["match"], model, goal_first=is_goal)
        if mine is None:
            f.problems.append(f"not found: {it['match']}")
            continue
        f.found += 1
        got = _owners(mine, model, parents)
        if _same_units(got["lead"], it["lead"], names) and _same_units(got["responsible"], it["responsible"], names):
            f.exact += 1
        else:
            f.problems.append(f"owners of {it['match']}: lead {got['lead']} vs {it['lead']}; responsible "
                              f"{got['responsible']} vs {it['responsible']}")
        if it.get("leaders"):
            if _same_leaders(got["leaders"], it["leaders"]):
                f.leaders_right += 1
            else:
                f.problems.append(f"leaders of {it['match']}: {got['leaders']} vs {it['leaders']}")
        if it.get("cooperate"):
            if _same_units(got["cooperate"], it["cooperate"], names):
                f.cooperate_right += 1
            else:
                f.problems.append(f"cooperating of {it['match']}: {got['cooperate']} vs {it['cooperate']}")
        if it.get("due"):
            have = [norm(d) for d in got["due"]]
            if all(any(norm(w) in h or h in norm(w) for h in have if h) for w in it["due"]):
                f.dues_right += 1
            else:
                f.problems.append(f"deadline of {it['match']}: {got['due']} vs {it['due']}")
    have = norm(draft)
    for s in gold["sections"]:
        if norm(s) in have:
            f.sections_kept += 1
        else:
            f.problems.append(f"section dropped: {s}")
    f.lost = lost_sentences(path, draft)
    f.phrase_units = [u.id for u in model.units if PHRASE_UNIT.search(u.id)]
    return f


@dataclass
class Totals:
    documents: int = 0
    items: int = 0
    found: int = 0
    exact: int = 0
    with_leaders: int = 0
    leaders_right: int = 0
    cooperate: int = 0
    cooperate_right: int = 0
    dues: int = 0
    dues_right: int = 0
    sections: int = 0
    sections_kept: int = 0
    lost: int = 0
    phrase_units: int = 0
    not_parsing: int = 0
    titles_wrong: int = 0
    errors: int = 0

    @property
    def exact_recall(self) -> float:
        return self.exact / self.items if self.items else 1.0

    @property
    def leader_recall(self) -> float:
        return self.leaders_right / self.with_leaders if self.with_leaders else 1.0

    def line(self) -> str:
        pct = lambda a, b: f"{a}/{b} = {a / b:.1%}" if b else f"{a}/{b}"  # noqa: E731
        return (f"TOTAL {self.documents} documents: tasks found {pct(self.found, self.items)}; exact owners "
                f"{pct(self.exact, self.items)}; leaders {pct(self.leaders_right, self.with_leaders)}; cooperating "
                f"{pct(self.cooperate_right, self.cooperate)}; deadlines {pct(self.dues_right, self.dues)}; sections "
                f"kept {pct(self.sections_kept, self.sections)}; lost sentences {self.lost}; phrase units "
                f"{self.phrase_units}; drafts not parsing {self.not_parsing}; titles wrong {self.titles_wrong}; "
                f"import errors {self.errors}")


def total(figures: list[Figures]) -> Totals:
    t = Totals(documents=len(figures))
    for f in figures:
        for k in ("items", "found", "exact", "with_leaders", "leaders_right", "cooperate", "cooperate_right", "dues",
                  "dues_right", "sections", "sections_kept"):
            setattr(t, k, getattr(t, k) + getattr(f, k))
        t.lost += len(f.lost)
        t.phrase_units += len(f.phrase_units)
        t.not_parsing += not f.parses
        t.titles_wrong += f.title_ok is False
        t.errors += f.error is not None
    return t


def by_layout(figures: list[Figures]) -> dict[str, dict[str, int]]:
    """Per layout tag: documents, and how many of them miss owners, leaders, sections, text, or do not parse."""
    out: dict[str, dict[str, int]] = {}
    for f in figures:
        for tag in f.layout:
            row = out.setdefault(tag, {"documents": 0, "owners_wrong": 0, "items": 0, "leaders_wrong": 0,
                                       "lost": 0, "sections_dropped": 0, "phrase_units": 0, "not_parsing": 0})
            row["documents"] += 1
            row["items"] += f.items
            row["owners_wrong"] += f.items - f.exact
            row["leaders_wrong"] += f.with_leaders - f.leaders_right
            row["lost"] += len(f.lost)
            row["sections_dropped"] += f.sections - f.sections_kept
            row["phrase_units"] += len(f.phrase_units)
            row["not_parsing"] += not f.parses
    return dict(sorted(out.items()))


def run(names: list[str] | None = None) -> list[Figures]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        built = tmp_path / "built"
        drafts = tmp_path / "drafts"
        drafts.mkdir()
        return [measure(n, p, g, drafts) for n, p, g in documents(built, names)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", help="only these documents (file names without extension)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list what is wrong per document")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    figures = run(args.names or None)
    t = total(figures)
    if args.json:
        print(json.dumps({"documents": [asdict(f) for f in figures], "total": asdict(t),
                          "exact_recall": t.exact_recall, "leader_recall": t.leader_recall,
                          "by_layout": by_layout(figures)}, ensure_ascii=False, indent=1))
        return 0
    for f in figures:
        print(f.line())
        if args.verbose:
            for p in f.problems:
                print("    ", p)
            for s in f.lost:
                print("     lost:", s)
            for u in f.phrase_units:
                print("     phrase unit:", u)
    print(t.line())
    if args.verbose:
        print("by layout (documents / items: owners wrong, leaders wrong, lost, sections dropped, phrase units, "
              "not parsing):")
        for tag, row in by_layout(figures).items():
            print(f"  {tag}: {row['documents']} docs / {row['items']} items: {row['owners_wrong']}, "
                  f"{row['leaders_wrong']}, {row['lost']}, {row['sections_dropped']}, {row['phrase_units']}, "
                  f"{row['not_parsing']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
