"""Units found in a document: their kind, near-duplicate names, and merging into a district's registry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

# Long official words and the short forms offices write (区发展改革局 = 区发改局).
_SHORT = [
    ("发展和改革", "发改"), ("发展改革", "发改"), ("人力资源和社会保障", "人社"), ("人力资源社会保障", "人社"),
    ("市场监督管理", "市场监管"), ("住房和城乡建设", "住建"), ("住房城乡建设", "住建"), ("自然资源和规划", "自然资源"),
    ("农业农村", "农业农村"), ("文化旅游广电体育", "文旅广体"), ("文化和旅游", "文旅"), ("文化旅游", "文旅"),
    ("工业和信息化", "工信"), ("科技和工业信息化", "科工信"), ("生态环境", "生态环境"), ("卫生健康", "卫健"),
    ("交通运输", "交通"), ("商务粮食", "商粮"), ("应急管理", "应急"), ("退役军人事务", "退役军人"),
    ("人民政府办公室", "政府办"), ("政府办公室", "政府办"), ("党工委", "党工委"), ("办公室", "办"),
    ("管理委员会", "管委会"), ("人民政府", "政府"), ("分局", "局"),
]
_SCOPE = re.compile(r"^(?:[\u4e00-\u9fff]{1,6}?(?:省|市|县|区|州|旗)(?=[\u4e00-\u9fff]{2,}))?(?:区|县|市|镇|乡)?")

KIND_ZH = {"department": "部门", "collective": "集体", "enterprise": "企业", "position": "职务", "external": "外部"}


def unit_kind(name: str) -> str:
    """collective for 各… and …有关单位 / 相关单位 / 等单位; enterprise for 集团 / 公司 / …投; position for posts."""
    if name.startswith("各") or re.search(r"(?:等单位|有关单位|相关单位|有关部门|相关部门|各单位|成员单位)$", name):
        return "collective"
    if re.search(r"(?:领导|书记|区长|县长|市长|乡长|镇长|负责人|主任|同志)$", name):
        return "position"
    if re.search(r"集团|公司|城投|建投|投资$|投$", name) and not re.search(r"(?:中心|局|办|委)$", name):
        return "enterprise"
    return "department"


def core(name: str) -> str:
    """A name reduced for comparison: no leading scope (区、县、某某市), long words shortened."""
    s = name
    for long, short in _SHORT:
        s = s.replace(long, short)
    s = _SCOPE.sub("", s, count=1) or s
    return s


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """Two unit names that may be the same unit."""

    a: str
    b: str
    score: float


def near_duplicates(names: list[str], existing: list[str] = ()) -> list[NearDuplicate]:
    """Pairs of names that look like one unit written two ways (区发改局 / 区发展改革局 / 发改局).
    New names are compared with each other and with the registry's names; registry pairs are not reported."""
    out: list[NearDuplicate] = []
    pool = list(dict.fromkeys([*existing, *names]))
    old = set(existing)
    for i, a in enumerate(pool):
        for b in pool[i + 1:]:
            if a in old and b in old:
                continue
            ca, cb = core(a), core(b)
            if len(ca) < 2 or len(cb) < 2:
                continue
            if ca == cb:
                score = 100.0
            else:
                score = fuzz.ratio(ca, cb)
                if score < 85 or min(len(ca), len(cb)) < 3:
                    continue
                if unit_kind(a) != unit_kind(b):
                    continue
            out.append(NearDuplicate(a, b, round(score, 1)))
    return out


def registry_names(path: Path, text: str) -> tuple[list[str], list[str]]:
    """The unit ids and aliases a registry declares (read with the real front end)."""
    from planlang.pipeline import compile_file

    result = compile_file(path, text=text)
    ids, aliases = [], []
    for u in result.model.units:
        ids.append(u.id)
        aliases.extend(u.aliases)
    return ids, aliases
