"""Spelling of units: one unit written one way in a plan (PL106), and no two declared units that look like one
(PL107). Both are warnings: an office makes the document consistent before it is issued."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Message, Related, Severity
from planlang.model.nodes import Unit


def unit_written_two_ways(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL106 — one unit written two ways in one plan.

    What it checks: every unit is referred to in one spelling throughout the plan (its files taken together).
    When some references use the unit's name and others one of its aliases (区税务局 here, 区税务分局 there),
    each reference in a less used spelling is reported, naming the spelling that dominates (the most used; on a
    tie, the unit's declared name).

    Why it matters: the registry's alias lets the checker see that both spellings are one unit, but the issued
    document will show both, and readers will ask whether they are two units. Offices unify the spelling before
    the document goes out.

    Example (fails):   `牵头：区税务局` in one task, `成员：区税务分局` in the working group, with
                       `单位 区税务局 { 别名：区税务分局 }`
    Example (passes):  `区税务局` in both places

    How to fix: write the dominant spelling everywhere (the alias can stay in the registry for other plans),
    or, if the spellings are two units, declare the second as a unit of its own.

    【中文】
    检查内容：同一单位在整个方案（含引用的文件）中只用一种写法。有的地方用单位名称、有的地方用其别名（此处“区税务局”，
    彼处“区税务分局”）时，报告用法较少的每一处，并指出占多数的写法（次数相同时取单位声明的名称）。
    原因：登记表中的别名使检查器知道两种写法是同一单位，但印发的文件会同时出现两种写法，读者会以为是两个单位。
    文件印发前应统一写法。
    示例（不通过）：一项任务写 `牵头：区税务局`，工作专班写 `成员：区税务分局`，且 `单位 区税务局 { 别名：区税务分局 }`
    示例（通过）：两处都写 `区税务局`
    修改方法：各处统一为占多数的写法（登记表中的别名可保留给其他方案使用）；如果确是两个单位，另行声明第二个单位。
    """
    uses: dict[int, list] = {}
    units: dict[int, Unit] = {}
    for r in ctx.symbols.refs:
        if isinstance(r.target, Unit) and r.ref.field != "filed_by":  # (a progress report's filer is not the plan)
            uses.setdefault(id(r.target), []).append(r)
            units[id(r.target)] = r.target
    for key, refs in uses.items():
        counts = Counter(r.ref.name for r in refs)
        if len(counts) < 2:
            continue
        unit = units[key]
        top = max(counts.values())
        tied = [name for name in counts if counts[name] == top]  # in order of first use
        dominant = unit.id if unit.id in tied else tied[0]
        first = next(r for r in refs if r.ref.name == dominant)
        listing_zh = "、".join(f"“{n}”{c} 处" for n, c in counts.items())
        listing_en = ", ".join(f"'{n}' {c}×" for n, c in counts.items())
        for r in refs:
            if r.ref.name == dominant:
                continue
            yield Diagnostic("PL106", Severity.WARNING, r.ref.span, Message(
                f"单位“{unit.id}”在本方案中有多种写法（{listing_zh}），此处写作“{r.ref.name}”；建议统一为“{dominant}”",
                f"unit '{unit.id}' is written several ways in this plan ({listing_en}); here '{r.ref.name}'. "
                f"Write '{dominant}' throughout"),
                related=[Related(first.ref.span, Message(f"写作“{dominant}”", f"written '{dominant}'"))],
                suggestions=[dominant])


# An ending that makes another body of the same name (区政府 / 区政府办, 区委 / 区委办): never one unit.
_DISTINCT_TAILS = ("办", "党组", "党委", "机关", "支部")


def near_identical(a: str, b: str) -> str | None:
    """How two unit names look like one unit: "inserted" (区税务局 / 区税务分局, 区城管局 / 区城管执法局: one or
    two characters more inside the name), "longer" (区委办 / 区委办公室: the same name written out), "homophone"
    (区发改局 / 区发该局: one character that sounds the same); None for names that only share most characters
    (区教育局 / 区教体局, 区农业局 / 区林业局, 区政府 / 区政府办)."""
    if a == b:
        return None
    short, long_ = sorted((a, b), key=len)
    if len(short) < 3:
        return None
    if len(long_) == len(short):
        diff = [i for i, (x, y) in enumerate(zip(short, long_)) if x != y]
        if len(diff) != 1:
            return None
        # the readings of single characters are read only here: when two declared units differ by one character
        from planlang.suggest import _has_cjk, char_sound

        x, y = short[diff[0]], long_[diff[0]]
        return "homophone" if _has_cjk(x) and _has_cjk(y) and char_sound(x) == char_sound(y) else None
    if not 1 <= len(long_) - len(short) <= 2 or not _inside(short, long_):
        return None
    if long_.startswith(short):
        tail = long_[len(short):]
        return None if tail.endswith(_DISTINCT_TAILS) else "longer"
    return "inserted"


def _inside(short: str, long_: str) -> bool:
    """True when `long_` is `short` with characters inserted (`short` is a subsequence of it)."""
    chars = iter(long_)
    return all(ch in chars for ch in short)


def near_identical_units(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL107 — two declared units with near-identical names.

    What it checks: no two declared units have names that differ only by one or two characters inserted
    (区税务局 / 区税务分局, 区城管局 / 区城管执法局), by the name written out (区委办 / 区委办公室), or by one character
    that sounds the same (区发改局 / 区发该局). Names that share most characters but name different bodies are
    not reported: one character replaced by another that sounds different (区教育局 / 区教体局, 区农业局 /
    区林业局), or an ending that makes another body (区政府 / 区政府办, 区委 / 区委办). The later declaration is
    reported and points to the earlier one.

    Why it matters: a registry that declares one unit twice splits its work: the 责任清单 lists half of its
    tasks under each name, and nobody sees the unit's whole load.

    Example (fails):   `单位 区税务局` and `单位 区税务分局`
    Example (passes):  `单位 区税务局 { 别名：区税务分局 }`, or 区教育局 and 区教体局 (two bodies)

    How to fix: if they are one unit, keep one declaration and give it the other name as `别名`; if they are
    two, leave them (and suppress the warning on the line with a reason).

    【中文】
    检查内容：已声明的单位中，没有两个名称仅差一两个插入的字（区税务局 / 区税务分局，区城管局 / 区城管执法局）、
    仅为全称与简称（区委办 / 区委办公室），或仅有一个同音字不同（区发改局 / 区发该局）。多数字相同但确为不同机构的
    名称不报告：一个字换成读音不同的字（区教育局 / 区教体局，区农业局 / 区林业局），或结尾表示另一机构（区政府 /
    区政府办，区委 / 区委办）。报告后声明的一个，并指向先声明的一个。
    原因：登记表把一个单位声明两次，会把它的工作分成两份：责任清单把它的任务分列在两个名称下，谁也看不到该单位的
    全部任务量。
    示例（不通过）：`单位 区税务局` 和 `单位 区税务分局`
    示例（通过）：`单位 区税务局 { 别名：区税务分局 }`，或 区教育局 和 区教体局（两个机构）
    修改方法：如果是同一单位，只保留一个声明，把另一个名称写作它的 `别名`；如果确是两个单位，保持不变（并在该行用
    忽略注释说明原因）。
    """
    seen: list[tuple[str, object]] = []
    done: set[int] = set()
    aliases = {d.name for d in ctx.symbols.defs if d.kind == "alias"}
    for d in ctx.symbols.defs:
        if d.kind != "unit" or id(d.node) in done:
            continue
        done.add(id(d.node))
        if d.name in aliases:
            continue  # a unit declared under another's alias is PL104's
        for name, prev in seen:
            how = near_identical(name, d.name)
            if how is None:
                continue
            zh = {"inserted": "只差一两个字", "longer": "一个是另一个的全称", "homophone": "只差一个同音字"}[how]
            en = {"inserted": "differ by one or two characters", "longer": "one is the other written out",
                  "homophone": "differ by one character that sounds the same"}[how]
            yield Diagnostic("PL107", Severity.WARNING, d.span, Message(
                f"单位“{d.name}”与“{name}”{zh}：是同一单位还是两个单位？同一单位请只声明一次，另一个名称写作“别名”",
                f"units '{d.name}' and '{name}' {en}: one unit or two? If one, declare it once and give it the "
                f"other name as an alias"),
                related=[Related(prev.span, Message(f"“{name}”声明在此", f"'{name}' is declared here"))])
            break
        seen.append((d.name, d))
