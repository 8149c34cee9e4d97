"""How well `planlang import` reads the seed plans, measured against the hand-written examples.

Run `.venv/bin/python tests/import_measure.py` to print, per seed: tasks found, owned tasks found / expected,
exact lead + responsible matches and their share, and goal indicators matched. tests/test_import.py asserts on
the same figures.
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planlang.importer import import_document  # noqa: E402
from planlang.pipeline import compile_file  # noqa: E402

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
EXAMPLES = ROOT / "examples"
PAIRS = {
    "000": "nanhu-2023.plan",
    "001": "hecheng-2024.plan",
    "002": "huli-2023.plan",
    "003": "yueyanglou-2017.plan",
    "004": "pingjiang-2023.plan",
}


def seed_path(n: str) -> Path:
    return next(SEEDS.glob(f"{n}_*.txt"))


def norm_title(t: str) -> str:
    """Titles compared without quotes, punctuation and spaces."""
    return re.sub(r"[\s“”「」\"'‘’，,。、；;：:（）()《》]", "", t)


def walk(tasks):
    for t in tasks:
        yield t
        yield from walk(t.children)


def walk_goals(goals):
    for g in goals:
        yield g
        yield from walk_goals(g.children)


@dataclass
class Figures:
    seed: str
    tasks_expected: int = 0
    tasks_found: int = 0  # expected tasks with an imported task of the same title
    owned_expected: int = 0
    owned_found: int = 0  # expected owned tasks found with owners
    exact: int = 0  # exactly right lead and responsible sets
    mismatches: list[str] = field(default_factory=list)
    goals_expected: int = 0
    goals_matched: int = 0  # same title and same normalized growth and total values
    goal_mismatches: list[str] = field(default_factory=list)
    values_expected: int = 0  # every goal value (growth, total, target) of the example
    values_found: int = 0  # … also among the imported goals' values
    diagnostics: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.exact / self.owned_expected if self.owned_expected else 1.0

    def line(self) -> str:
        return (f"seed {self.seed}: tasks {self.tasks_found}/{self.tasks_expected}; owned tasks found "
                f"{self.owned_found}/{self.owned_expected}; exact lead+responsible {self.exact}/{self.owned_expected} "
                f"= {self.share:.1%}; goals with indicators {self.goals_matched}/{self.goals_expected}; "
                f"goal values {self.values_found}/{self.values_expected}")


def import_seed(n: str, folder: Path):
    """Import a seed into `folder`; returns (ImportResult, compile Result of the draft)."""
    out = folder / f"seed-{n}.plan"
    result = import_document(seed_path(n), out_path=out)
    out.write_text(result.text, encoding="utf-8")
    return result, compile_file(out)


def _match_title(expected: str, candidates: dict[str, list], prefix: bool) -> object | None:
    key = norm_title(expected)
    if candidates.get(key):
        return candidates[key].pop(0)
    if prefix:
        for k, items in candidates.items():
            if items and (k.startswith(key) or key.startswith(k)) and min(len(k), len(key)) >= 4:
                return items.pop(0)
    return None


def measure(n: str, folder: Path, prefix_titles: bool = False) -> Figures:
    """Compare the import of seed `n` with its example."""
    _, got = import_seed(n, folder)
    want = compile_file(EXAMPLES / PAIRS[n])
    f = Figures(n)
    f.diagnostics = {}
    for d in got.diagnostics:
        f.diagnostics[d.code] = f.diagnostics.get(d.code, 0) + 1
    pool: dict[str, list] = {}
    for t in walk(got.model.tasks):
        pool.setdefault(norm_title(t.title), []).append(t)
    for t in walk(want.model.tasks):
        f.tasks_expected += 1
        mine = _match_title(t.title, pool, prefix_titles)
        if mine is not None:
            f.tasks_found += 1
        if not (t.lead or t.responsible):
            continue
        f.owned_expected += 1
        if mine is None:
            f.mismatches.append(f"not found: {t.title}")
            continue
        if mine.lead or mine.responsible:
            f.owned_found += 1
        if set(mine.lead) == set(t.lead) and set(mine.responsible) == set(t.responsible):
            f.exact += 1
        else:
            f.mismatches.append(f"{t.title}: lead {mine.lead} vs {t.lead}; responsible {mine.responsible} vs "
                                f"{t.responsible}")
    goals = {norm_title(g.title): g for g in walk_goals(got.model.goals)}
    for g in walk_goals(want.model.goals):
        if not (g.growth or g.total):
            continue
        f.goals_expected += 1
        mine = goals.get(norm_title(g.title))
        if mine is None:
            f.goal_mismatches.append(f"not found: {g.title}")
            continue
        if _values(mine) == _values(g):
            f.goals_matched += 1
        else:
            f.goal_mismatches.append(f"{g.title}: {_values(mine)} vs {_values(g)}")
    have = _all_values(got.model.goals)
    for v in _all_values(want.model.goals):
        f.values_expected += 1
        if v in have:
            have.remove(v)
            f.values_found += 1
    return f


def _all_values(goals) -> list[tuple]:
    """(normalized value, base unit) of every growth, total and target of a goal tree."""
    out = []
    for g in walk_goals(goals):
        for q in [*g.growth, *g.total, *(t.quantity for t in g.targets if t.quantity is not None)]:
            out.append((q.normalized, q.base_unit))
    return out


def _values(goal) -> tuple[list, list]:
    return (sorted(q.normalized for q in goal.growth), sorted(q.normalized for q in goal.total))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n in PAIRS:
            f = measure(n, Path(tmp), prefix_titles=n in ("001", "002"))
            print(f.line())
            for m in f.mismatches:
                print("    task:", m)
            for m in f.goal_mismatches:
                print("    goal:", m)


if __name__ == "__main__":
    main()
