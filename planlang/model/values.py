"""Readers for typed values: quantities, deadlines, cadences, periods. Pure functions of text.

Each reader returns the value, or None when the text is not of its form; the builder turns None into a PL003.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from planlang.model.nodes import Baseline, Cadence, Deadline, Period, Quantity, Reporting, Target

# Units of measure: base unit, dimension and factor to the base unit.
_UNITS: dict[str, tuple[str, str, float]] = {
    "元": ("元", "money", 1.0),
    "美元": ("美元", "money_usd", 1.0),
    "%": ("ratio", "ratio", 0.01),
    "‰": ("ratio", "ratio", 0.001),
    "个百分点": ("percentage_point", "points", 0.01),
    "百分点": ("percentage_point", "points", 0.01),
    "亩": ("平方米", "area", 10000 / 15),
    "公顷": ("平方米", "area", 10000.0),
    "平方公里": ("平方米", "area", 1e6),
    "平方千米": ("平方米", "area", 1e6),
    "平方米": ("平方米", "area", 1.0),
    "吨": ("千克", "mass", 1000.0),
    "千克": ("千克", "mass", 1.0),
    "公斤": ("千克", "mass", 1.0),
    "公里": ("米", "length", 1000.0),
    "千米": ("米", "length", 1000.0),
    "米": ("米", "length", 1.0),
    "千瓦": ("千瓦", "power", 1.0),
    "兆瓦": ("千瓦", "power", 1000.0),
    "千瓦时": ("千瓦时", "energy", 1.0),
    "度": ("千瓦时", "energy", 1.0),
    "标准箱": ("标准箱", "count:标准箱", 1.0),
    "倍": ("倍", "multiple", 1.0),
}
COUNT_WORDS = (
    "家 个 项 人 人次 户 条 次 场 期 名 所 座 套 辆 栋 批 台 件 处 家次 篇 部 只 头 株 棵 张 份 起 宗 艘 架 "
    "类 种 款 支 位 门 盏 间 床 张次 例 亿人次 个村 个点 片 园 区 镇 村 单 笔 课时 学时 天 年 月 小时 分钟 "
    "星 级 分 本 册 首 部 集 期次 轮 批次 对 组 队 届 所次 站 网点 枚"
).split()
for _w in COUNT_WORDS:
    _UNITS.setdefault(_w, (_w, f"count:{_w}", 1.0))

_MAGNITUDES = (("千亿", 1e11), ("百亿", 1e10), ("十亿", 1e9), ("亿", 1e8), ("千万", 1e7), ("百万", 1e6),
               ("十万", 1e5), ("万", 1e4), ("千", 1e3))

KNOWN_UNITS: tuple[str, ...] = tuple(sorted(_UNITS, key=len, reverse=True))

# What an editor offers after a number: the units offices write most, magnitudes included.
COMMON_UNITS: tuple[str, ...] = (
    "亿元", "万元", "元", "万美元", "亿美元", "%", "个百分点", "家", "个", "项", "人", "万人", "人次", "万人次",
    "户", "亩", "万亩", "公顷", "平方公里", "平方米", "万平方米", "吨", "万吨", "公里", "千瓦", "万千瓦",
    "千瓦时", "亿千瓦时", "条", "次", "场", "名", "所", "座", "套", "辆", "批", "倍",
)

_FIRMNESS = {"确保": "floor", "保底": "floor", "floor": "floor", "力争": "stretch", "争取": "stretch",
             "stretch": "stretch", "预期": "expected", "预计": "expected", "expected": "expected"}
_PRE = {"突破": "gt", "超过": "gt", "高于": "gt", ">": "gt", "达到": "ge", "不低于": "ge", "不少于": "ge",
        "≥": "ge", ">=": "ge", "不超过": "le", "不高于": "le", "控制在": "le", "低于": "lt", "<=": "le",
        "≤": "le", "<": "lt", "约": "approx", "~": "approx", "≈": "approx", "为": "eq", "=": "eq",
        "稳定在": "approx", "保持在": "approx", "维持在": "approx"}
_POST = {"以上": "ge", "及以上": "ge", "以内": "le", "以下": "le", "左右": "approx", "内": "le"}
_VERBS = {"增长": 1, "提高": 1, "提升": 1, "增加": 1, "新增": 1, "下降": -1, "降低": -1, "减少": -1}

_NUM = r"[+-]?\d+(?:\.\d+)?"
_MEASURE = re.compile(
    r"^(?P<annual>年均)?(?P<verb0>增长|提高|提升|增加|新增|下降|降低|减少)?"
    r"(?P<firm>确保|保底|力争|争取|预期|预计|floor|stretch|expected)?(?P<annual2>年均)?"
    r"(?P<verb>增长|提高|提升|增加|新增|下降|降低|减少)?(?P<to>到|至)?"
    r"(?P<pre>不低于|不少于|不超过|不高于|控制在|稳定在|保持在|维持在|突破|超过|高于|达到|低于|约|>=|<=|≥|≤|≈|>|<|~|=|为)?"
    rf"(?P<num>{_NUM})(?:[—\-~至到](?P<num2>{_NUM}))?(?P<unit>.*?)(?P<post>及以上|以上|以内|以下|左右|内)?$"
)


def _norm(text: str) -> str:
    """Fold full-width digits and signs to ASCII and drop white space."""
    return re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", text))


def split_unit(unit: str) -> tuple[float, str] | None:
    """Split a unit as written into magnitude and a known base unit (亿元 → 1e8, 元); None if unknown."""
    if unit in _UNITS:
        return 1.0, unit
    for prefix, factor in _MAGNITUDES:
        if unit.startswith(prefix):
            rest = unit[len(prefix):]
            if rest == "" or rest in _UNITS:
                return factor, rest
    return None


def read_quantity(text: str) -> Quantity | None:
    """`力争突破 52亿元`, `8%以上`, `年均 9.5%`, `控制在 4.5%以内`, `1000万` → Quantity, or None."""
    fields = _quantity_fields(text)
    return None if fields is None else Quantity(**fields)


@lru_cache(maxsize=4096)
def _quantity_fields(text: str) -> dict | None:
    q = _read_quantity(text)
    return None if q is None else q.model_dump()


def _read_quantity(text: str) -> Quantity | None:
    m = _MEASURE.match(_norm(text))
    if not m:
        return None
    unit = m["unit"]
    value = float(m["num"])
    split = split_unit(unit)
    normalized = base = None
    if split is not None:
        magnitude, base_word = split
        if base_word == "":
            base, dimension, factor = "1", "count", 1.0
        else:
            base, dimension, factor = _UNITS[base_word]
        normalized = _round(value * magnitude * factor)
    else:
        dimension = "unknown"
    comparator = _POST.get(m["post"] or "") or _PRE.get(m["pre"] or "") or ("ge" if m["num2"] else None)
    verb = m["verb"] or m["verb0"] or ""
    sign = _VERBS.get(verb, 1)
    # 增加 2亿元 / 新增 40家 / 提高 2个百分点: an amount of change; 增长 8% is a rate, 提高到 60% a level
    change = None
    if verb and not m["to"] and dimension != "ratio":
        change = "increase" if sign > 0 else "decrease"
    elif m["to"]:
        sign = 1
    return Quantity(
        text=text.strip(), value=value, unit=unit, normalized=normalized, base_unit=base, dimension=dimension,
        comparator=comparator, firmness=_FIRMNESS.get(m["firm"] or ""),
        annual=bool(m["annual"] or m["annual2"]), sign=sign, change=change,
    )


# Relational targets, kept as such (与经济增长基本同步, 高于全市平均水平): (pattern, relation). The reference is
# what follows the relation word; it holds no number (a number makes it a quantity).
_RELATIONS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^(?P<m>.*?)与(?P<r>[^\d]+?)(?:基本|保持)?(?:同步|相适应|相协调|相匹配)$", "sync"),
    (r"^(?P<m>.*?)与(?P<r>[^\d]+?)(?:基本)?持平$", "eq"),
    (r"^(?P<m>.*?)(?:不低于|不少于|不慢于)(?P<r>[^\d]+)$", "ge"),
    (r"^(?P<m>.*?)(?:不高于|不超过|不快于)(?P<r>[^\d]+)$", "le"),
    (r"^(?P<m>.*?)(?:高于|快于|超过|优于|领先于)(?P<r>[^\d]+)$", "gt"),
    (r"^(?P<m>.*?)(?:低于|慢于)(?P<r>[^\d]+)$", "lt"),
))
_FIRM_ONLY = re.compile(r"^(?:确保|力争|争取|预期|预计|保持|实现|增长|增速|增幅)*$")


def read_relation(text: str) -> Target | None:
    """`城乡居民收入增长与经济增长基本同步`, `高于全市平均水平` → a Target without quantity, with its relation and
    reference; None when the text is not relational."""
    t = re.sub(r"[\s\u3000]+", "", text.strip())
    for pattern, relation in _RELATIONS:
        m = pattern.match(t)
        if m and m["r"]:
            metric = m["m"] if not _FIRM_ONLY.match(m["m"]) else ""
            return Target(text=text.strip(), metric=_unquote(metric), quantity=None, relation=relation,
                          reference=m["r"])
    return None


# Verbs a 分别 phrase writes once for all its values (分别增长8%、8.5%).
SPREAD_VERBS = ("增长", "提高", "提升", "增加", "新增", "下降", "降低", "减少", "达到")


def read_respective_targets(items: list[str]) -> tuple[list[Target] | None, list[int] | tuple[int, int]] | None:
    """`甲、乙分别增长8%、8.5%` as list items (甲 / 乙分别增长8% / 8.5%): one target per indicator, in order,
    with the index of the item each value was written in. None when no item holds 分别; (None, (indicators,
    values)) when the counts differ."""
    at = next((i for i, t in enumerate(items) if "分别" in t), None)
    if at is None:
        return None
    before, after = items[at].split("分别", 1)
    metrics = [t.strip() for t in items[:at]] + [before.strip()]
    after = after.strip()
    verb = next((v for v in SPREAD_VERBS if after.startswith(v)), "")
    measures = [(after, at)] + [(verb + t.strip(), at + 1 + j) for j, t in enumerate(items[at + 1:])]
    if len(metrics) != len(measures) or not all(metrics):
        return None, (len(metrics), len(measures))
    out: list[Target] = []
    where: list[int] = []
    for metric, (measure, index) in zip(metrics, measures):
        q = read_quantity(measure)
        if q is None:
            return None, (len(metrics), len(measures))
        out.append(Target(text=f"{metric} {measure}", metric=_unquote(metric), quantity=q))
        where.append(index)
    return out, where


# What PL003 says a measure may look like.
MEASURE_FORMS_ZH = ("可写：8%、52亿元、力争 8%、8%以上、不低于 90%、不超过 3%、控制在 4.5%以内、稳定在 95%、5%左右、"
                    "增加 2亿元（增量）、年均 9.5%，或相对的表述如 与经济增长基本同步、高于全市平均水平")
MEASURE_FORMS_EN = ("accepted: 8%, 52亿元, 力争 8%, 8%以上, 不低于 90%, 不超过 3%, 控制在 4.5%以内, 稳定在 95%, 5%左右, "
                    "增加 2亿元 (an increment), 年均 9.5%, or a relation such as 与经济增长基本同步, 高于全市平均水平")


def _round(x: float) -> float:
    """Drop binary noise (0.08 not 0.08000000000000002) so output stays stable."""
    return float(f"{x:.12g}")


_W = r"[\s\u3000]*"
_METRIC_SPLIT = re.compile(
    r"^(?P<metric>.*?)" + _W + r"(?P<measure>(?:年均)?" + _W + r"(?:增长|提高|提升|增加|新增|下降|降低|减少)?" + _W
    + r"(?:确保|保底|力争|争取|预期|预计)?" + _W + r"(?:年均)?" + _W + r"(?:增长|提高|提升|增加|新增|下降|降低|减少)?" + _W
    + r"(?:不低于|不少于|不超过|不高于|控制在|突破|超过|高于|达到|低于|约)?" + _W
    + r"[+-]?[0-9０-９]+(?:[.．][0-9０-９]+)?[^\s\u3000]*)$"
)


def read_target(text: str) -> Target | None:
    """`争资争项 力争 1.9亿元` → metric 争资争项 and the quantity; a target without a number is kept as text."""
    text = text.strip()
    m = _METRIC_SPLIT.match(text)
    if m and m["metric"].strip():
        q = read_quantity(m["measure"])
        if q is not None:
            return Target(text=text, metric=_unquote(m["metric"].strip()), quantity=q)
    if m and not m["metric"].strip():
        q = read_quantity(text)
        if q is not None:
            return Target(text=text, metric="", quantity=q)
    rel = read_relation(text)
    if rel is not None:
        return rel
    if not re.search(r"\d", text):
        return Target(text=text, metric=text, quantity=None)
    return None


_QUOTES = {"“": "”", "「": "」", '"': '"'}


def _unquote(text: str) -> str:
    """A metric written as one quoted string loses its quotes; quotes inside a metric stay."""
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1] and text[0] not in text[1:-1]:
        return text[1:-1]
    return text


def read_baseline(text: str) -> Baseline | None:
    """`2022年 48亿元` → year 2022 and the quantity; `48亿元` alone has no year."""
    t = _norm(text)
    m = re.match(r"^(?:(\d{4})年?(?:基数|基期)?[:：]?)?(.*)$", t)
    year = int(m[1]) if m and m[1] else None
    rest = m[2] if m else t
    q = read_quantity(rest) if rest else None
    if q is None and not (year and not rest):
        return None
    return Baseline(text=text.strip(), year=year, quantity=q)


# -- dates ----------------------------------------------------------------------------------------------------

_ONGOING = ("长期坚持", "持续推进", "长期", "持续", "常态化", "全年", "贯穿全年", "ongoing", "continuous")
_PERIODS = {"日": "day", "天": "day", "周": "week", "旬": "dekad", "月": "month", "季": "quarter",
            "季度": "quarter", "半年": "half_year", "年": "year", "年度": "year"}
_EN_PERIODS = {"daily": "day", "weekly": "week", "dekadly": "dekad", "dekad": "dekad", "monthly": "month",
               "quarterly": "quarter", "half-yearly": "half_year", "semiannual": "half_year",
               "yearly": "year", "annually": "year", "annual": "year"}
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12}


@dataclass(frozen=True, slots=True)
class Year:
    """The year a relative deadline (年底前, 6月底前) is read against; None when the plan has no period."""

    value: int | None


def _end_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _iso(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        if not 1 <= month <= 12 or not 1 <= day <= _end_of_month(year, month):
            return None
    except (ValueError, OverflowError):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


_SUFFIX = r"(?:前|之前|以前|底前|末前|止|完成|内)?"
_DATE_FORMS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _SUFFIX + "$"), "ymd"),
    (re.compile(r"^(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2})[日号]" + _SUFFIX + "$"), "ymd"),
    (re.compile(r"^(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(上旬|中旬|下旬|初|中|底|末|份)?" + _SUFFIX + "$"), "ym"),
    (re.compile(r"^(?:(\d{4})年)?(?:年底|年末|底|年内|年度内|全年)" + _SUFFIX + "$"), "year_end"),
    (re.compile(r"^(?:(\d{4})年)?(上半年|下半年)" + r"(?:末|底)?" + _SUFFIX + "$"), "half"),
    (re.compile(r"^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度?(?:末|底)?" + _SUFFIX + "$"), "quarter"),
    (re.compile(r"^(\d{4})年?" + _SUFFIX + "$"), "year"),
]


def _month(s: str) -> int:
    return int(s) if s.isdigit() else _CN_MONTHS.get(s, 0)


def read_deadline(text: str, year: Year) -> Deadline | None:
    """A deadline as written → Deadline, resolved against the plan year; None when not a deadline form."""
    fields = _deadline_fields(text, year.value)
    return None if fields is None else Deadline(text=text.strip(), **fields)


@lru_cache(maxsize=4096)
def _deadline_fields(text: str, year_value: int | None) -> dict | None:
    """The reading of a deadline, cached: plans repeat the same few forms (年底前, 6月底前) many times."""
    year = Year(year_value)
    d = _read_deadline(text, year)
    return None if d is None else {"kind": d.kind, "date": d.date, "cadence": d.cadence}


def _read_deadline(text: str, year: Year) -> Deadline | None:
    t = _norm(text)
    low = t.lower()
    if t in _ONGOING or low in _ONGOING:
        return Deadline(text=text.strip(), kind="ongoing")
    cadence = _recurring(t)
    if cadence is not None:
        return Deadline(text=text.strip(), kind="recurring", cadence=cadence)
    for pattern, form in _DATE_FORMS:
        m = pattern.match(t)
        if not m:
            continue
        y = int(m[1]) if m[1] else year.value
        if form == "ymd":
            date = _iso(y, _month(m[2]), int(m[3]))
            if date is None and y is not None:
                return None
        elif form == "ym":
            month = _month(m[2])
            if not 1 <= month <= 12:
                return None
            part = m[3] or "底"
            day = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}.get(part)
            date = _iso(y, month, day or (_end_of_month(y, month) if y else 28))
        elif form == "year_end":
            date = _iso(y, 12, 31)
        elif form == "half":
            date = _iso(y, 6, 30) if m[2] == "上半年" else _iso(y, 12, 31)
        elif form == "quarter":
            q = _CN_DIGITS[m[2]]
            date = _iso(y, q * 3, 30 if q in (2, 3) else 31)
        else:
            date = _iso(y, 12, 31)
        return Deadline(text=text.strip(), kind="date", date=date)
    return None


def _recurring(t: str) -> str | None:
    """每月 / 每季度 / 每季度最后一个月的30日前 / monthly → the period."""
    low = t.lower()
    for word, period in _EN_PERIODS.items():
        if low == word or low.startswith(word + " ") or low.startswith("every " + word):
            return period
    m = re.match(r"^(?:每|按)(半年|季度|季|年度|年|月|旬|周|日|天)", t)
    return _PERIODS[m[1]] if m else None


def read_cadence(text: str) -> Cadence | None:
    """`旬调度` → dekad + 调度; `每季度` → quarter; `monthly report` → month + report."""
    t = _norm(text)
    low = text.strip().lower()
    for word, period in _EN_PERIODS.items():
        if low == word or low.startswith(word + " "):
            action = text.strip()[len(word):].strip() or None
            return Cadence(text=text.strip(), period=period, action=action)
    m = re.match(r"^(?:每|按)?(半年|季度|季|年度|年|月|旬|周|日|天)(度)?(.*)$", t)
    if not m:
        return None
    return Cadence(text=text.strip(), period=_PERIODS[m[1]], action=m[3] or None)


def read_date(text: str) -> str | None:
    """An exact date: 2023-06-30 or 2023年6月30日 → ISO."""
    d = read_deadline(text, Year(None))
    return d.date if d is not None and d.kind == "date" and d.date and _has_day(text) else None


def _has_day(text: str) -> bool:
    return bool(re.search(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|日|号", text))


def read_period(text: str) -> Period | None:
    """`2023-01-01 至 2023-12-31`, `2023年`, `2017年至2020年`, `2017—2020年` → Period."""
    t = _norm(text)
    parts = re.split(r"至|到|~|—|–|－|to", t, maxsplit=1)
    if len(parts) == 1:
        m = re.fullmatch(r"(\d{4})年?(?:度)?", t)
        if m:
            y = int(m[1])
            return Period(text=text.strip(), start=f"{y:04d}-01-01", end=f"{y:04d}-12-31")
        return None
    a, b = parts[0], parts[1]
    if re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{4}年?", b):
        return Period(text=text.strip(), start=f"{a}-01-01", end=f"{b[:4]}-12-31")
    start = _period_end(a, first=True)
    end = _period_end(b, first=False)
    if start is None or end is None or start > end:
        return None
    return Period(text=text.strip(), start=start, end=end)


def _period_end(s: str, first: bool) -> str | None:
    m = re.fullmatch(r"(\d{4})年?", s)
    if m:
        return f"{m[1]}-01-01" if first else f"{m[1]}-12-31"
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})[日号]?|月)?", s)
    if not m:
        return None
    y, mo = int(m[1]), int(m[2])
    if not 1 <= mo <= 12:
        return None
    day = int(m[3]) if m[3] else (1 if first else _end_of_month(y, mo))
    return _iso(y, mo, day)


# -- reporting schedules (报送) --------------------------------------------------------------------------------

_REPORT_VERB = re.compile(r"报送至|报送到|报送|上报至|上报|报至|报到|送至|送|报|\bsubmit\s+to\b|\breport\s+to\b|\bto\b")
_REPORT_PERIOD = {"周": "week", "旬": "dekad", "月": "month", "季": "quarter", "季度": "quarter",
                  "半年": "half_year", "年": "year", "年度": "year"}
_MONTHS_IN = {"quarter": 3, "half_year": 6, "year": 12, "month": 1}
_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_EN_REPORT = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "half-yearly": "half_year",
              "yearly": "year", "annually": "year"}


def _cn_int(s: str) -> int | None:
    """1–31 written in digits or Chinese numerals (二十五, 十, 三十一)."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in "一二三四五六七八九十" for c in s):
        return None
    if "十" not in s:
        return _CN_MONTHS.get(s)
    tens, _, ones = s.partition("十")
    return (_CN_MONTHS.get(tens, 0) if tens else 1) * 10 + (_CN_MONTHS.get(ones, 0) if ones else 0)


_REPORT_WHEN = re.compile(
    r"^(?:每|按|逢)?(?P<period>周|旬|月|季度|季|半年|年度|年)"
    r"(?:(?:的)?(?:第?(?P<nth>[一二三四五六七八九十\d]{1,2})个月|(?P<mon>[一二三四五六七八九十\d]{1,2})月(?:份)?(?:底|末)?"
    r"|(?P<first>首月|第一个月|初)|(?P<last>最后一个月|末月|末|底)))?"
    r"(?:(?:的)?(?P<day>[一二三四五六七八九十\d]{1,3})[日号])?"
    r"(?:星期|周)?(?P<weekday>[一二三四五六日天])?"
    r"(?:前|之前|以前|内)?$"
)


def read_reporting(text: str, year: Year) -> Reporting | None:
    """One 报送 item: when (每月25日前, 每季度末, 每季度最后一个月30日前, 年中, 年末, 6月底前) then optionally 报 /
    报送 / 送 and the recipient. None when the date cannot be read (PL502). The recipient is returned as written
    (the builder records it as a unit reference); `what` is set by the builder from a quoted text."""
    t = text.strip()
    m = _REPORT_VERB.search(t)
    when, recipient = (t[:m.start()], t[m.end():].strip() or None) if m else (t, None)
    when = _norm(when)
    fields = _reporting_when(when, year)
    if fields is None:
        return None
    return Reporting(text=t, recipient=recipient, **fields)


def _reporting_when(when: str, year: Year) -> dict | None:
    if not when:
        return None
    low = when.lower()
    if low in _EN_REPORT:
        return {"period": _EN_REPORT[low]}
    if when in ("年中", "年中前", "半年", "每半年"):
        return {"period": "year" if when.startswith("年中") else "half_year", "month": 6 if when.startswith("年中")
                else None}
    if when in ("年末", "年底", "年终", "年末前", "年底前"):
        return {"period": "year", "month": 12}
    m = _REPORT_WHEN.match(when)
    if m and (m["period"] != "周" or m["weekday"] or not (m["nth"] or m["day"])):
        period = _REPORT_PERIOD[m["period"]]
        months = _MONTHS_IN[period] if period in _MONTHS_IN else None
        month = None
        if m["nth"] or m["mon"]:  # 每季度第2个月, 每年12月
            if m["mon"] and period != "year":
                return None
            month = _cn_int(m["nth"] or m["mon"])
            if month is None or months is None or not 1 <= month <= months or period == "month":
                return None
        elif m["first"]:  # 每季度首月 (10日前); 每月初 / 每季度初 without a day: the 1st
            month = 1 if period not in ("month", "week", "dekad") else None
            if not m["day"]:
                return {"period": period, "month": month, "day": 1}
        elif m["last"] and period not in ("month", "week", "dekad"):
            month = months
        day = None
        if m["day"]:
            day = _cn_int(m["day"])
            if day is None or not 1 <= day <= 31 or period in ("week", "dekad"):
                return None
        if m["weekday"]:
            if period != "week":
                return None
            day = _WEEKDAYS[m["weekday"]]
        return {"period": period, "month": month, "day": day}
    d = read_deadline(when, year)
    if d is not None and d.kind == "date":
        return {"date": d.date}
    return None
