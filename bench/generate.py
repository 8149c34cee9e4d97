"""Deterministic synthetic work plans for the benchmarks.

For each size (1k, 5k, 10k and 100k lines of the main plan) this writes, into OUT/<size>/:

- `units.plan`  — a 60-unit registry (departments, collectives, an enterprise, a position, an external unit);
- `plan.plan`   — the plan: 方案, `引用 “units.plan”`, goals with indicators (growth, total, baseline),
                  a task tree (sections → tasks → sub-tasks) with owners, targets and deadlines, and mechanisms
                  (专班 with members, 调度 with a cadence, 督查, 考核);
- `plan.yaml`   — the same content as YAML, the way an office would otherwise keep it;

and OUT/plan.schema.json, the JSON Schema that `check-jsonschema` validates the YAML against (unit references
are an enum of the registry, quantities and deadlines are patterns, tasks are recursive).

The content is seeded (`random.Random(SEED + size)`), so the same command always writes the same bytes.
Each generated plan is checked with planlang's own pipeline, and the generator fails if it has any error.

    .venv/bin/python bench/generate.py [OUT]        # default OUT: bench/out/
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20230628
SIZES = {"1k": 1_000, "5k": 5_000, "10k": 10_000, "100k": 100_000}
YEAR = 2023

# -- the registry ----------------------------------------------------------------------------------------------

DEPARTMENTS = [
    ("区发改局", "区发展和改革局"), ("区财政局", "区财政局"), ("区教育局", "区教育局"),
    ("区科工局", "区科技和工业信息化局"), ("区公安分局", "市公安局区分局"), ("区民政局", "区民政局"),
    ("区司法局", "区司法局"), ("区人社局", "区人力资源和社会保障局"), ("区自然资源局", "区自然资源局"),
    ("区住建局", "区住房和城乡建设局"), ("区城管局", "区城市管理和综合执法局"), ("区交通局", "区交通运输局"),
    ("区水利局", "区水利局"), ("区农业农村局", "区农业农村局"), ("区商务局", "区商务局"),
    ("区文旅广体局", "区文化旅游广电体育局"), ("区卫健局", "区卫生健康局"), ("区退役军人局", "区退役军人事务局"),
    ("区应急局", "区应急管理局"), ("区审计局", "区审计局"), ("区市场监管局", "区市场监督管理局"),
    ("区统计局", "区统计局"), ("区医保局", "区医疗保障局"), ("区林业局", "区林业局"),
    ("区数据局", "区数据资源管理局"), ("区税务局", "国家税务总局区税务局"), ("区金融办", "区地方金融服务中心"),
    ("区招商局", "区招商合作事务中心"), ("区行政审批局", "区行政审批服务局"), ("区信访局", "区信访局"),
    ("区残联", "区残疾人联合会"), ("区团委", "共青团区委"), ("区妇联", "区妇女联合会"),
    ("区工商联", "区工商业联合会"), ("区科协", "区科学技术协会"), ("区融媒体中心", "区融媒体中心"),
    ("区重点办", "区重点建设项目事务中心"), ("区委组织部", "中共区委组织部"), ("区委宣传部", "中共区委宣传部"),
    ("区委统战部", "中共区委统战部"), ("区委政法委", "中共区委政法委员会"), ("区委编办", "区委机构编制委员会办公室"),
    ("区委督查室", "区委办公室督查室"), ("区政府办", "区人民政府办公室"), ("区国资中心", "区国有资产事务中心"),
    ("区征拆中心", "区征收补偿安置事务中心"), ("区生态环境分局", "市生态环境局区分局"), ("区供销社", "区供销合作社联合社"),
    ("区城发集团", "区城市发展集团有限公司"), ("区高新区管委会", "区高新技术产业开发区管理委员会"),
]
COLLECTIVES = ["各街道办事处", "各乡镇人民政府", "各园区管委会", "各相关单位", "各项目责任单位", "各行业主管部门",
               "各村（社区）"]
ENTERPRISES = ["区供电公司"]
POSITIONS = ["区政府分管领导同志"]
EXTERNAL = ["市直有关部门"]
ISSUER = "区政府办"
assert len(DEPARTMENTS) + len(COLLECTIVES) + len(ENTERPRISES) + len(POSITIONS) + len(EXTERNAL) == 60
DEPT_IDS = [d for d, _ in DEPARTMENTS]
UNIT_IDS = DEPT_IDS + COLLECTIVES + ENTERPRISES + POSITIONS + EXTERNAL

# -- vocabulary ------------------------------------------------------------------------------------------------

# (goal id, title, unit of the total, baseline range in that unit)
GOALS = [
    ("GDP", "地区生产总值", "亿元", (300, 1800)), ("社零", "社会消费品零售总额", "亿元", (50, 600)),
    ("固投", "固定资产投资", "亿元", (80, 900)), ("财政收入", "地方一般公共预算收入", "亿元", (10, 120)),
    ("规工增加值", "规模以上工业增加值", "亿元", (40, 400)), ("外贸", "外贸进出口总额", "亿元", (5, 300)),
    ("引资", "招商引资到位资金", "亿元", (20, 200)), ("服务业", "服务业增加值", "亿元", (100, 900)),
    ("居民收入", "城镇居民人均可支配收入", "元", (30000, 60000)), ("农民收入", "农村居民人均可支配收入", "元", (15000, 30000)),
    ("旅游收入", "旅游总收入", "亿元", (20, 300)), ("研发投入", "全社会研发经费投入", "亿元", (3, 60)),
    ("数字经济", "数字经济核心产业增加值", "亿元", (10, 200)), ("建筑业", "建筑业总产值", "亿元", (50, 500)),
    ("电商交易额", "网络零售额", "亿元", (5, 150)), ("实际外资", "实际使用外资", "万美元", (500, 20000)),
]
PLACES = ["城东", "城西", "城南", "城北", "滨湖", "高新", "临港", "金桥", "白沙", "云溪", "枫林", "梅溪", "桃源",
          "青石", "龙山", "凤凰", "花港", "柳林", "新塘", "清水"]
SECTIONS = [
    ("扩大有效投资", "充分发挥投资对稳定经济增长、优化供给结构的关键性作用，树牢项目为王的理念"),
    ("激发消费潜力", "把恢复和扩大消费摆在优先位置，增强消费对经济发展的基础性作用"),
    ("招商引资突破", "聚焦主导产业链精准招商，全力推动招商引资优化结构、提升质量、加快落地"),
    ("壮大市场主体", "把发展经济的着力点放在实体经济上，大力实施市场主体倍增工程"),
    ("推动产业升级", "坚持工业立区、产业强区，推动制造业高端化、智能化、绿色化发展"),
    ("强化科技创新", "深入实施创新驱动发展战略，加快建设区域科技创新高地"),
    ("推进城市更新", "统筹推进老旧小区改造、城市基础设施补短板和公共空间品质提升"),
    ("全面乡村振兴", "坚持农业农村优先发展，巩固拓展脱贫攻坚成果同乡村振兴有效衔接"),
    ("优化营商环境", "深化“放管服”改革，持续打造市场化法治化国际化一流营商环境"),
    ("保障改善民生", "坚持在发展中保障和改善民生，办好群众“急难愁盼”的实事"),
    ("防范化解风险", "统筹发展和安全，守住不发生系统性风险的底线"),
    ("扩大对外开放", "主动融入国内国际双循环，推动外贸外资稳规模、优结构"),
]
VERBS = ["加快推进", "扎实开展", "全面实施", "持续深化", "大力推动", "着力提升", "统筹抓好", "积极争取", "规范提升",
         "有序推进"]
OBJECTS = ["重点项目建设", "项目谋划储备", "专项债券申报", "要素保障", "消费促进活动", "夜间经济示范街区建设",
           "“四上”企业培育", "专精特新企业梯度培育", "产业链招商", "以商招商", "总部经济集聚", "老旧小区改造",
           "城市道路提质", "农村人居环境整治", "高标准农田建设", "政务服务“一网通办”", "企业纾困帮扶",
           "就业创业服务", "养老托育服务体系建设", "安全生产专项整治", "外贸企业“破零倍增”", "跨境电商发展",
           "科技成果转化", "高新技术企业认定", "文旅融合发展", "智慧商圈建设", "园区标准化厂房建设", "水利设施补短板",
           "耕地保护", "财源建设"]
DETAILS = ["建立项目清单、责任清单、时限清单，实行挂图作战、销号管理",
           "紧盯国家政策和资金投向，超前储备一批大项目、好项目、战略性项目",
           "强化土地、资金、能源等要素配置，对重大项目采取一事一议",
           "定期组织银企对接活动，引导金融机构加大信贷投放",
           "开展“进企业、解难题、促发展”走访活动，及时协调解决企业困难",
           "建立周调度、月通报工作机制，确保各项任务按时间节点推进",
           "用好用足各类补贴政策措施，促进汽车、家电、家装等大宗消费",
           "完善考核评价办法，将完成情况纳入年度绩效考核"]
# (metric word, unit of measure, low, high, decimals) — task targets
METRICS = [("争资争项", "亿元", 1, 9, 1), ("新增“四上”企业", "家", 10, 80, 0), ("完成投资", "亿元", 2, 60, 1),
           ("新开工项目", "个", 5, 40, 0), ("新增就业", "人", 500, 5000, 0), ("改造老旧小区", "个", 3, 30, 0),
           ("新建高标准农田", "万亩", 1, 6, 1), ("新认定高新技术企业", "家", 5, 40, 0), ("实际到位内资", "亿元", 5, 60, 1),
           ("新增市场主体", "家", 300, 3000, 0), ("跨境电商交易额", "万美元", 100, 900, 0),
           ("新建道路", "公里", 2, 30, 1), ("接待游客", "万人次", 50, 900, 0), ("新增标准化厂房", "万平方米", 1, 20, 1)]
FIRMNESS = ["", "确保 ", "力争 "]
COMPARATORS_AFTER = ["", "以上"]
MONTHS_ZH = ["2023年{m}月底前", "{m}月底前", "2023年{m}月20日"]
CADENCES = ["旬调度、月通报、季讲评", "每月", "每季度", "周调度、月通报"]


@dataclass
class Task:
    title: str
    description: str
    id: str | None = None
    supports: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperate: list[str] = field(default_factory=list)
    targets: list[tuple[str, str]] = field(default_factory=list)  # (metric, measure text)
    due: str | None = None
    due_month: int = 12
    tasks: list["Task"] = field(default_factory=list)


@dataclass
class Goal:
    id: str
    title: str
    growth: str
    total: str
    baseline: tuple[int, str]


def _q(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}" if decimals else str(int(round(x)))


class Generator:
    """One synthetic plan of about `lines` lines."""

    def __init__(self, size: str, lines: int) -> None:
        self.size, self.target = size, lines
        self.rng = random.Random(SEED + lines)
        self.metric_values: dict[str, str] = {}  # the same metric name always gets the same value (no PL305)
        self.goals = self._goals()

    # content ---------------------------------------------------------------------------------------------------

    def _goals(self) -> list[Goal]:
        rng = self.rng
        count = max(len(GOALS) // 2, self.target // 250)
        out = []
        for i in range(count):
            gid, title, unit, (lo, hi) = GOALS[i % len(GOALS)]
            rnd = i // len(GOALS)
            if rnd:
                place = PLACES[(rnd - 1) % len(PLACES)] + ("" if rnd <= len(PLACES) else str(rnd))
                gid, title = f"{gid}{place}", f"{place}片区{title}"
            base = rng.uniform(lo, hi)
            growth = rng.choice([5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 12, 15])
            dec = 1 if unit == "亿元" else 0
            base_s = _q(base, dec)
            total = float(base_s) * (1 + growth / 100)
            out.append(Goal(gid, title, f"{rng.choice(FIRMNESS)}{growth}%{rng.choice(COMPARATORS_AFTER)}",
                            f"{rng.choice(['', '力争', '确保'])}{rng.choice(['', '突破 ', '达到 '])}{_q(total, dec)}{unit}"
                            .replace("力争突破", "力争突破").strip(),
                            (YEAR - 1, f"{base_s}{unit}")))
        return out

    def _owners(self) -> tuple[list[str], list[str], list[str]]:
        rng = self.rng
        pool = rng.sample(DEPT_IDS, 5)
        lead = pool[:rng.choice([1, 1, 1, 2])]
        rest = [u for u in pool if u not in lead]
        responsible = rng.sample(COLLECTIVES, rng.choice([0, 1, 1, 2])) + rest[:rng.choice([0, 1])]
        cooperate = [u for u in rest if u not in responsible][:rng.choice([0, 1, 2])]
        return lead, responsible, cooperate

    def _target(self) -> tuple[str, str]:
        rng = self.rng
        word, unit, lo, hi, dec = rng.choice(METRICS)
        metric = f"{rng.choice(PLACES)}{word}"
        if metric not in self.metric_values:
            v = _q(rng.uniform(lo, hi), dec)
            self.metric_values[metric] = f"{rng.choice(FIRMNESS)}{v}{unit}{rng.choice(COMPARATORS_AFTER)}"
        return metric, self.metric_values[metric]

    def _due(self, limit: int, child: bool) -> tuple[str, int]:
        rng = self.rng
        if not child and rng.random() < 0.08:
            return rng.choice(["长期坚持", "持续推进", "每季度"]), 12
        if child:  # a sub-task ends in an earlier month than its parent (no PL402)
            limit -= 1
        m = rng.randint(max(1, limit - 6), limit)
        if m == 12 and rng.random() < 0.5:
            return "年底前", 12
        return rng.choice(MONTHS_ZH).format(m=m), m

    def _task(self, depth: int, limit: int) -> Task:
        rng = self.rng
        title = f"{rng.choice(VERBS)}{rng.choice(PLACES)}{rng.choice(OBJECTS)}"
        t = Task(title, "，".join(rng.sample(DETAILS, 2)) + "。")
        t.lead, t.responsible, t.cooperate = self._owners()
        if depth == 2 and rng.random() < 0.3:  # a task whose sub-tasks inherit its owners
            t.responsible, t.cooperate = [], []
        for _ in range(rng.choice([0, 1, 1, 2])):
            t.targets.append(self._target())
        t.due, t.due_month = self._due(limit, depth > 2)
        return t

    def build(self) -> tuple[list[Goal], list[Task]]:
        rng = self.rng
        sections: list[Task] = []
        lines = 11 + 5 * len(self.goals) + 28  # header, goals, mechanisms
        per_section_goals = {i: [] for i in range(len(SECTIONS))}
        for i, g in enumerate(self.goals):
            per_section_goals[i % len(SECTIONS)].append(g.id)
        n = 0
        while lines < self.target - 3:
            name, desc = SECTIONS[n % len(SECTIONS)]
            rnd = n // len(SECTIONS)
            sid = name if not rnd else f"{name}{rnd + 1}"
            sec = Task(name if not rnd else f"{name}（第{rnd + 1}批）", desc + "。", id=sid)
            sec.supports = per_section_goals[n % len(SECTIONS)] if not rnd else \
                [rng.choice(self.goals).id]
            lines += 5
            for _ in range(rng.randint(3, 6)):
                if lines >= self.target - 3:
                    break
                t = self._task(2, 12)
                lines += 4 + len(t.targets) + sum(bool(x) for x in (t.lead, t.responsible, t.cooperate))
                for _ in range(rng.randint(0, 4)):
                    s = self._task(3, t.due_month)
                    t.tasks.append(s)
                    lines += 4 + len(s.targets) + sum(bool(x) for x in (s.lead, s.responsible, s.cooperate))
                sec.tasks.append(t)
            sections.append(sec)
            n += 1
        for sec in sections:  # every section has at least one task
            if not sec.tasks:
                sec.tasks.append(self._task(2, 12))
        supported = {g for sec in sections for g in sec.supports}
        for i, g in enumerate(x for x in self.goals if x.id not in supported):  # every goal has a task
            sections[i % len(sections)].supports.append(g.id)
        return self.goals, sections


# -- writers ---------------------------------------------------------------------------------------------------

def units_plan() -> str:
    out = ["# 区级单位登记（60 个单位）。各方案以 引用 “units.plan” 引入。", ""]
    out.append("# 部门")
    for uid, full in DEPARTMENTS:
        if full == uid:
            out.append(f"单位 {uid}")
        else:
            out += [f"单位 {uid} {{", f"  全称：“{full}”", "}"]
    out += ["", "# 集体"]
    for uid in COLLECTIVES:
        out += [f"单位 {uid} {{", "  类型：集体", "}"]
    out += ["", "# 企业、职务、外部单位"]
    out += [f"单位 {ENTERPRISES[0]} {{", "  类型：企业", "}"]
    out += [f"单位 {POSITIONS[0]} {{", "  类型：职务", "}"]
    out += [f"单位 {EXTERNAL[0]} {{", "  类型：外部", "}"]
    return "\n".join(out) + "\n"


def _task_plan(t: Task, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    head = f"任务 {t.id} “{t.title}”" if t.id else f"任务 “{t.title}”"
    out.append(f"{pad}{head} {{")
    p = pad + "  "
    out.append(f"{p}说明：“{t.description}”")
    if t.supports:
        out.append(f"{p}支撑：{'、'.join(t.supports)}")
    for metric, measure in t.targets:
        out.append(f"{p}指标：{metric} {measure}")
    for key, units in (("牵头", t.lead), ("负责", t.responsible), ("配合", t.cooperate)):
        if units:
            out.append(f"{p}{key}：{'、'.join(units)}")
    if t.due:
        out.append(f"{p}时限：{t.due}")
    for s in t.tasks:
        _task_plan(s, depth + 1, out)
    out.append(f"{pad}}}")


def _mechanism_members() -> list[str]:
    return DEPT_IDS + ENTERPRISES


def plan_text(size: str, goals: list[Goal], sections: list[Task]) -> str:
    out = [f"# 合成基准方案（{size}），由 bench/generate.py 生成，内容为虚构。",
           f"方案 稳增长{size} “某区{YEAR}年打好经济增长主动仗工作方案” {{",
           f"  制定单位：{ISSUER}", f"  周期：{YEAR}-01-01 至 {YEAR}-12-31", "}", "",
           "引用 “units.plan”", "", "# 一、主要目标"]
    for g in goals:
        out += [f"目标 {g.id} “{g.title}” {{", f"  基数：{g.baseline[0]}年 {g.baseline[1]}", f"  增长：{g.growth}",
                f"  总量：{g.total}", "}"]
    out += ["", "# 二、重点任务"]
    for sec in sections:
        _task_plan(sec, 0, out)
        out.append("")
    members = _mechanism_members()
    out += ["# 三、保障措施",
            "机制 专班 “打好经济增长主动仗工作专班” {", "  类型：专班", f"  召集人：{POSITIONS[0]}",
            "  副召集人：区发改局", f"  成员：{'、'.join(members)}", "  办公室：区发改局",
            "  说明：“专班办公室设在区发改局，负责日常协调和调度工作。”", "}", "",
            "机制 调度 “完善调度机制” {", "  类型：调度", f"  频次：{CADENCES[0]}", "  牵头：专班",
            f"  说明：“{COLLECTIVES[3]}要细化工作进度安排，确保各项任务扎实推进。”", "}", "",
            "机制 督查 “严肃督查问责” {", "  类型：督查", "  牵头：区委督查室", "  频次：每月", "}", "",
            "机制 考核 “考核问效” {", "  类型：考核", "  牵头：区委督查室", "  频次：每季度",
            f"  说明：“考核结果纳入{YEAR}年度绩效考核，{EXTERNAL[0]}、{ENTERPRISES[0]}按职责参与。”", "}"]
    return "\n".join(out) + "\n"


def _yq(s: str) -> str:
    """A YAML scalar, always double-quoted (JSON string syntax is valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def _task_yaml(t: Task, indent: int, out: list[str]) -> None:
    pad = " " * indent
    out.append(f"{pad}- title: {_yq(t.title)}")
    p = pad + "  "
    if t.id:
        out.append(f"{p}id: {_yq(t.id)}")
    out.append(f"{p}description: {_yq(t.description)}")
    if t.supports:
        out.append(f"{p}supports: [{', '.join(_yq(s) for s in t.supports)}]")
    if t.targets:
        out.append(f"{p}targets:")
        for metric, measure in t.targets:
            out.append(f"{p}  - metric: {_yq(metric)}")
            out.append(f"{p}    value: {_yq(measure)}")
    for key, units in (("lead", t.lead), ("responsible", t.responsible), ("cooperate", t.cooperate)):
        if units:
            out.append(f"{p}{key}: [{', '.join(_yq(u) for u in units)}]")
    if t.due:
        out.append(f"{p}due: {_yq(t.due)}")
    if t.tasks:
        out.append(f"{p}tasks:")
        for s in t.tasks:
            _task_yaml(s, indent + 4, out)


def plan_yaml(size: str, goals: list[Goal], sections: list[Task]) -> str:
    out = [f"# 合成基准方案（{size}）的 YAML 等价形式，由 bench/generate.py 生成。",
           "plan:", f"  id: {_yq('稳增长' + size)}", f"  title: {_yq(f'某区{YEAR}年打好经济增长主动仗工作方案')}",
           f"  issuer: {_yq(ISSUER)}", f"  period: {{start: \"{YEAR}-01-01\", end: \"{YEAR}-12-31\"}}", "units:"]
    full = dict(DEPARTMENTS)
    kinds = {**{u: "部门" for u in DEPT_IDS}, **{u: "集体" for u in COLLECTIVES}, **{u: "企业" for u in ENTERPRISES},
             **{u: "职务" for u in POSITIONS}, **{u: "外部" for u in EXTERNAL}}
    for u in UNIT_IDS:
        out.append(f"  - id: {_yq(u)}")
        out.append(f"    kind: {_yq(kinds[u])}")
        if full.get(u, u) != u:
            out.append(f"    full_name: {_yq(full[u])}")
    out.append("goals:")
    for g in goals:
        out += [f"  - id: {_yq(g.id)}", f"    title: {_yq(g.title)}",
                f"    baseline: {{year: {g.baseline[0]}, value: {_yq(g.baseline[1])}}}",
                f"    growth: {_yq(g.growth)}", f"    total: {_yq(g.total)}"]
    out.append("tasks:")
    for sec in sections:
        _task_yaml(sec, 2, out)
    members = _mechanism_members()
    out += ["mechanisms:",
            "  - id: 专班", f"    title: {_yq('打好经济增长主动仗工作专班')}", "    kind: 专班",
            f"    convener: {_yq(POSITIONS[0])}", "    deputy: 区发改局",
            f"    members: [{', '.join(_yq(m) for m in members)}]", "    office: 区发改局",
            "  - id: 调度", f"    title: {_yq('完善调度机制')}", "    kind: 调度", f"    cadence: {_yq(CADENCES[0])}",
            "    lead: [专班]",
            "  - id: 督查", f"    title: {_yq('严肃督查问责')}", "    kind: 督查", "    lead: [区委督查室]",
            f"    cadence: {_yq('每月')}",
            "  - id: 考核", f"    title: {_yq('考核问效')}", "    kind: 考核", "    lead: [区委督查室]",
            f"    cadence: {_yq('每季度')}"]
    return "\n".join(out) + "\n"


UOM = "元|万元|亿元|万美元|美元|%|个百分点|家|个|项|人|万人|人次|万人次|亩|万亩|公顷|平方公里|平方米|万平方米|吨|万吨|公里"
QUANTITY = (rf"^(确保|力争|预期)?\s*(突破|超过|达到|不低于|不超过|控制在|约)?\s*\d+(\.\d+)?({UOM})(以上|以内|以下|左右)?$")
DEADLINE = (r"^((\d{4}年)?(1[0-2]|[1-9])月(底前|底|上旬前|中旬前|下旬前|([12]\d|30|31|[1-9])日(前)?)|年底前|年内|上半年|"
            r"下半年|[一二三四]季度末|长期坚持|持续推进|每月|每季度|每年|\d{4}-\d{2}-\d{2})$")


def json_schema() -> dict:
    """What an office would write to validate the YAML: shapes, enums, patterns, unit names."""
    unit_ref = {"$ref": "#/$defs/unitRef"}
    units = {"type": "array", "items": unit_ref, "minItems": 1, "uniqueItems": True}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/planlang-bench/plan.schema.json",
        "title": "工作方案（YAML）",
        "type": "object",
        "required": ["plan", "units", "goals", "tasks", "mechanisms"],
        "additionalProperties": False,
        "properties": {
            "plan": {"type": "object", "required": ["id", "title", "period"], "additionalProperties": False,
                     "properties": {"id": {"type": "string"}, "title": {"type": "string", "minLength": 1},
                                    "issuer": unit_ref,
                                    "period": {"type": "object", "required": ["start", "end"],
                                               "properties": {"start": {"type": "string", "format": "date"},
                                                              "end": {"type": "string", "format": "date"}}}}},
            "units": {"type": "array", "items": {
                "type": "object", "required": ["id", "kind"], "additionalProperties": False,
                "properties": {"id": unit_ref, "kind": {"enum": ["部门", "集体", "企业", "职务", "外部"]},
                               "full_name": {"type": "string", "minLength": 1}}}},
            "goals": {"type": "array", "items": {
                "type": "object", "required": ["id", "title"], "additionalProperties": False,
                "properties": {"id": {"type": "string", "pattern": r"^[^\d\s]\S*$"},
                               "title": {"type": "string", "minLength": 1},
                               "baseline": {"type": "object", "required": ["year", "value"],
                                            "properties": {"year": {"type": "integer", "minimum": 1949},
                                                           "value": {"$ref": "#/$defs/quantity"}}},
                               "growth": {"$ref": "#/$defs/quantity"}, "total": {"$ref": "#/$defs/quantity"}}}},
            "tasks": {"type": "array", "items": {"$ref": "#/$defs/task"}},
            "mechanisms": {"type": "array", "items": {
                "type": "object", "required": ["id", "kind"], "additionalProperties": False,
                "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                               "kind": {"enum": ["专班", "领导小组", "调度", "通报", "讲评", "督查", "考核", "问责"]},
                               "convener": unit_ref, "deputy": unit_ref, "members": units, "office": unit_ref,
                               "lead": {"type": "array", "items": {"type": "string"}},
                               "cooperate": units,
                               "cadence": {"type": "string", "pattern": r"(日|周|旬|月|季|年)"}}}},
        },
        "$defs": {
            "unitRef": {"enum": UNIT_IDS},
            "quantity": {"type": "string", "pattern": QUANTITY},
            "task": {
                "type": "object", "required": ["title"], "additionalProperties": False,
                "anyOf": [{"required": ["lead"]}, {"required": ["responsible"]}, {"required": ["tasks"]}],
                "properties": {
                    "id": {"type": "string"}, "title": {"type": "string", "minLength": 1},
                    "description": {"type": "string"},
                    "supports": {"type": "array", "items": {"type": "string"}},
                    "targets": {"type": "array", "items": {
                        "type": "object", "required": ["metric", "value"], "additionalProperties": False,
                        "properties": {"metric": {"type": "string", "minLength": 1},
                                       "value": {"$ref": "#/$defs/quantity"}}}},
                    "lead": units, "responsible": units, "cooperate": units,
                    "due": {"type": "string", "pattern": DEADLINE},
                    "tasks": {"type": "array", "items": {"$ref": "#/$defs/task"}},
                }},
        },
    }


def write(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "planlang.toml").write_text("# benchmark workspace root (defaults only)\n", encoding="utf-8")
    (out / "plan.schema.json").write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")
    written = {}
    for size, lines in SIZES.items():
        goals, sections = Generator(size, lines).build()
        d = out / size
        d.mkdir(exist_ok=True)
        (d / "units.plan").write_text(units_plan(), encoding="utf-8")
        (d / "plan.plan").write_text(plan_text(size, goals, sections), encoding="utf-8")
        (d / "plan.yaml").write_text(plan_yaml(size, goals, sections), encoding="utf-8")
        written[size] = d / "plan.plan"
    return written


def verify(paths: dict[str, Path]) -> None:
    """Every generated plan checks with no error (warnings are allowed, and counted)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from collections import Counter

    from planlang.diagnostics import Severity
    from planlang.pipeline import compile_file

    for size, path in paths.items():
        result = compile_file(path)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        codes = Counter(d.code for d in result.diagnostics)
        lines = path.read_text(encoding="utf-8").count("\n")
        print(f"{size:>5}: {path} — {lines} lines, diagnostics {dict(sorted(codes.items())) or 'none'}")
        assert not errors, f"{path} has errors: " + "; ".join(
            f"{d.code} {d.span.file.path}:{d.span.start} {d.message.en}" for d in errors[:10])


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "out"
    verify(write(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
