"""References: every name resolves (PL101–PL103) and every id is defined once (PL104)."""

from __future__ import annotations

from collections.abc import Iterator

from planlang.checks.context import CheckContext
from planlang.diagnostics import Diagnostic, Message, Related, Severity
from planlang.model.symbols import GOAL, OWNER, TASK, UNIT
from planlang.suggest import suggest


def _undefined(code: str, span, zh: str, en: str, sugg: list[str]) -> Diagnostic:
    if sugg:
        zh += f"，是否想写“{sugg[0]}”？"
        en += f"; did you mean '{sugg[0]}'?"
    return Diagnostic(code, Severity.ERROR, span, Message(zh, en), suggestions=sugg)


def undefined_unit(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL101 — undefined unit, with "did you mean".

    What it checks: every unit named in 牵头 / 负责 / 配合 / 成员 / 办公室 / 制定单位 (and 召集人 when not quoted)
    is declared with `单位`, by its id or one of its aliases.

    Why it matters: unit names drift (发改局 / 区发改局 / 区发展改革局) and IME slips slip through: 区发该局 for
    区发改局 (gǎi / gāi). A task owned by a unit that does not exist is owned by nobody. Suggestions rank
    homophones first (pinyin), then edit distance and aliases.

    Example (fails):   `牵头：区发该局`   → did you mean “区发改局”?
    Example (passes):  `牵头：区发改局`   with `单位 区发改局` declared (here or in an included registry)

    How to fix: use the suggested name, add an alias (`别名：发改局`) to the unit, or declare the unit.

    【中文】
    检查内容：牵头、负责、配合、成员、办公室、制定单位（以及未加引号的召集人）中写到的每个单位，都已用 `单位`
    声明过，写法是它的标识或某个别名。

    原因：单位名称容易写得五花八门（发改局 / 区发改局 / 区发展改革局），输入法也常出错：把“区发改局”打成“区发该局”
    （gǎi / gāi）。由一个并不存在的单位牵头的任务，等于没人负责。提示的候选名按同音（拼音）优先，其次是编辑距离和别名。

    示例（不通过）：`牵头：区发该局`（提示：是否应为“区发改局”？）
    示例（通过）：`牵头：区发改局`，且在本文件或引用的单位登记表中声明了 `单位 区发改局`

    修改方法：改用提示的名称；或给该单位加别名（`别名：发改局`）；或补充声明这个单位。
    """
    cands: dict[str, str] = {}
    for name, unit in ctx.symbols.units.items():
        cands[name] = unit.id
    with_mech = dict(cands)
    for name in ctx.symbols.mechanisms:
        with_mech.setdefault(name, name)
    for r in ctx.symbols.refs:
        if r.target is None and r.ref.kind in (UNIT, OWNER):
            sugg = suggest(r.ref.name, with_mech if r.ref.kind == OWNER else cands)
            name = r.ref.name
            before = name.split("等", 1)[0]
            if "等" in name and before and before in cands:
                # 区发改局等区财政局: a 等 inside the name, after a declared unit
                yield Diagnostic("PL101", Severity.ERROR, r.ref.span, Message(
                    f"未定义的单位“{name}”：“等”在名称中间；“等”只能写在列表中某一项的末尾，"
                    f"如“{before}、……等，各街道办事处”，单位之间用“、”分隔",
                    f"undefined unit '{name}': '等' is inside the name; '等' may only close an item of the list "
                    f"(e.g. {before}、…等，各街道办事处), with 、 between units"), suggestions=[before])
                continue
            if name.count("（") > name.count("）") or name.count("(") > name.count(")"):
                # 各区县政府（甲新区、乙区管委会 without its ）: the 、 inside split the name
                yield _undefined("PL101", r.ref.span, f"未定义的单位“{name}”：括号没有闭合，括号内的“、”把名称分成了几项；"
                                 f"补上“）”后括号内的内容属于名称", f"undefined unit '{name}': the bracket is not "
                                 f"closed, so the separators inside it split the name; close it and its content "
                                 f"belongs to the name", sugg)
                continue
            yield _undefined("PL101", r.ref.span, f"未定义的单位“{name}”", f"undefined unit '{name}'", sugg)


def undefined_goal(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL102 — undefined goal.

    What it checks: every goal named in a task's 支撑 field is declared with `目标 <id>`.

    Why it matters: goal ↔ task links are how an office shows each indicator is covered by work; a link to a
    goal that does not exist covers nothing.

    Example (fails):   `支撑：社零额`   with only `目标 社零` declared
    Example (passes):  `支撑：社零`

    How to fix: use the goal's id as declared (the word after 目标), or give the goal that id.

    【中文】
    检查内容：任务的 支撑 字段中写到的每个目标，都已用 `目标 <标识>` 声明。

    原因：目标与任务的对应关系，是一个方案说明“每项指标都有工作支撑”的依据；指向不存在的目标，什么也支撑不了。

    示例（不通过）：只声明了 `目标 社零`，却写 `支撑：社零额`
    示例（通过）：`支撑：社零`

    修改方法：按目标声明时的标识（目标 后面的那个词）填写，或把目标的标识改成所用的名称。
    """
    cands = {name: name for name in ctx.symbols.goals}
    for r in ctx.symbols.refs:
        if r.target is None and r.ref.kind == GOAL:
            yield _undefined("PL102", r.ref.span, f"未定义的目标“{r.ref.name}”", f"undefined goal '{r.ref.name}'",
                             suggest(r.ref.name, cands))


def undefined_task(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL103 — undefined task or mechanism.

    What it checks: every name in 依赖 (a task's predecessors) and 覆盖 (what a mechanism reviews) is the id of
    a task or a mechanism.

    Why it matters: a dependency on a task that does not exist cannot be scheduled or checked for cycles.

    Example (fails):   `依赖：储备项目`   with no task of that id
    Example (passes):  `任务 储备项目 “精准谋划储备项目” { … }` and `依赖：储备项目`

    How to fix: give the task an id (`任务 <id> “标题”`) and refer to it by that id.

    【中文】
    检查内容：依赖（任务的前置任务）和 覆盖（机制所督办的对象）中写到的每个名称，都是某项任务或某个机制的标识。

    原因：依赖一项不存在的任务，就无法安排先后，也无法检查有没有循环。

    示例（不通过）：没有标识为“储备项目”的任务，却写 `依赖：储备项目`
    示例（通过）：`任务 储备项目 “精准谋划储备项目” { … }`，再写 `依赖：储备项目`

    修改方法：给被依赖的任务加上标识（`任务 <标识> “标题”`），并用这个标识来引用它。
    """
    cands = {name: name for name in ctx.symbols.tasks if not name.startswith("task-")}
    cands.update({name: name for name in ctx.symbols.mechanisms})
    for r in ctx.symbols.refs:
        if r.target is None and r.ref.kind == TASK:
            yield _undefined("PL103", r.ref.span, f"未定义的任务或机制“{r.ref.name}”",
                             f"undefined task or mechanism '{r.ref.name}'", suggest(r.ref.name, cands))


_KIND_ZH = {"unit": "单位", "alias": "单位别名", "goal": "目标", "task": "任务", "mechanism": "机制", "text": "文本"}


def duplicate_id(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL104 — duplicate id, across included files too.

    What it checks: each unit (with its aliases), goal, task, mechanism and text id is declared once in the
    whole workspace of a plan — the plan file and every file it includes.

    Why it matters: a reference to a doubly defined name is ambiguous: which 区发改局 leads the task?

    Example (fails):   `单位 区发改局` in both the plan and its included registry
    Example (passes):  declare it once, in the registry

    How to fix: remove one declaration, or rename one of them. The diagnostic is at the second declaration in
    the text with its includes expanded (a unit the plan declares again after including the registry is
    reported in the plan) and points to the first one, which references resolve to.

    【中文】
    检查内容：每个单位（连同别名）、目标、任务、机制和文本的标识，在一个方案的整个工作区——方案文件和它引用的
    所有文件——里只声明一次。

    原因：名称重复定义，引用它的地方就有了歧义：到底是哪一个“区发改局”牵头？

    示例（不通过）：方案文件和它引用的单位登记表里都写了 `单位 区发改局`
    示例（通过）：只在登记表里声明一次

    修改方法：删去其中一处声明，或把其中一个改名。诊断标在按引用展开后的文本中第二次出现的位置（方案在引用登记表之后
    再次声明的单位，报在方案里），并指向第一次声明——引用解析到的正是那一处。
    """
    first: dict[tuple[str, str], object] = {}
    for d in ctx.symbols.defs:
        space = "unit" if d.kind == "alias" else d.kind
        key = (space, d.name)
        prev = first.get(key)
        if prev is None:
            first[key] = d
            continue
        if prev.node is d.node:
            continue  # an alias equal to its own unit's id
        zh_kind = _KIND_ZH.get(d.kind, d.kind)
        yield Diagnostic(
            "PL104", Severity.ERROR, d.span,
            Message(f"{zh_kind}“{d.name}”重复定义", f"duplicate {d.kind} id '{d.name}'"),
            related=[Related(prev.span, Message("首次定义在此", "first defined here"))],
        )


def unused_unit(ctx: CheckContext) -> Iterator[Diagnostic]:
    """PL105 — unit declared but never used.

    What it checks: every unit declared in a file that holds a plan (a `方案` block) is named somewhere in the
    plan — as an owner, member, office, issuer or convener. Shared registries (files with units and no plan,
    maintained once for a whole district and included by many plans) are exempt: most of their units are used
    by other plans.

    Why it matters: a unit declared in the plan but given no work is usually a task whose owner was forgotten,
    or a leftover from last year's plan.

    Example (fails):   `单位 区统计局` in the plan, and no task, member or office names 区统计局
    Example (passes):  `单位 区统计局` and `配合：区统计局` in some task

    How to fix: give the unit its work, move it to the shared registry, or delete the declaration.

    【中文】
    检查内容：含有方案（`方案` 块）的文件里声明的每个单位，都在方案中被用到——作为牵头、负责、配合、成员、办公室、
    制定单位或召集人。共用的单位登记表（只有单位、没有方案，由全区统一维护、供多个方案引用的文件）不在此列：其中
    多数单位是给别的方案用的。

    原因：在方案里声明了却没有分配任何工作的单位，往往意味着某项任务忘了写责任单位，或是去年方案留下的旧条目。

    示例（不通过）：方案中声明了 `单位 区统计局`，但没有任何任务、成员或办公室写到区统计局
    示例（通过）：声明 `单位 区统计局`，并在某项任务中写 `配合：区统计局`

    修改方法：给这个单位分配工作；或把它移到共用的单位登记表；或删除这条声明。
    """
    used = {id(r.target) for r in ctx.symbols.refs if r.target is not None}
    for frag in ctx.fragments:
        if frag.plan is None:
            continue
        for d in frag.defs:
            if d.kind != "unit" or ctx.symbols.units.get(d.name) is not d.node:
                continue  # (a second declaration of a unit is PL104's, and names resolve to the first)
            if id(d.node) not in used:
                yield Diagnostic("PL105", Severity.WARNING, d.span,
                                 Message(f"单位“{d.name}”已声明但未使用", f"unit '{d.name}' is declared but never used"))
