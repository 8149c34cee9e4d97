"""Editor support generated from the one keyword table: the VS Code TextMate grammar and snippets.

`python -m planlang.editor editor-support/vscode` rewrites them; a test fails when the committed files are stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from planlang import keywords as kw
from planlang.model.values import COUNT_WORDS, KNOWN_UNITS


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def tm_grammar() -> dict:
    """The TextMate grammar: both keyword sets, comments, strings in every quote style, quantities, dates,
    role fields and the other fields."""
    blocks = [s for w in kw.BLOCKS for s in w.spellings()]
    roles = [s for f in kw.FIELDS if f.word.name in ("lead", "responsible", "cooperate", "leader", "convener",
                                                       "deputy", "members", "office") for s in f.word.spellings()]
    others = [s for f in kw.FIELDS for s in f.word.spellings() if s not in roles]
    units = [u for u in KNOWN_UNITS if u not in COUNT_WORDS or len(u) == 1] + list(COUNT_WORDS)
    unit_alt = _alt(units)
    sep = r"[ \t\u3000]*[：:]"
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "planlang",
        "scopeName": "source.plan",
        "fileTypes": ["plan"],
        "patterns": [{"include": "#comment"}, {"include": "#block"}, {"include": "#field"}, {"include": "#value"}],
        "repository": {
            "comment": {"patterns": [
                {"name": "comment.line.number-sign.plan", "match": "#.*$"},
                {"name": "comment.line.double-slash.plan", "match": "//.*$"},
            ]},
            "block": {"match": rf"(?<![^\s{{}}｛｝;；])({_alt(blocks)})(?=[ \t\u3000]|$)",
                      "captures": {"1": {"name": "keyword.control.block.plan"}}},
            "field": {"patterns": [
                {"match": rf"({_alt(roles)})({sep})",
                 "captures": {"1": {"name": "keyword.other.role.plan"},
                              "2": {"name": "punctuation.separator.key-value.plan"}}},
                {"match": rf"({_alt(others)})({sep})",
                 "captures": {"1": {"name": "variable.other.field.plan"},
                              "2": {"name": "punctuation.separator.key-value.plan"}}},
            ]},
            "value": {"patterns": [
                {"include": "#string"},
                {"name": "constant.other.date.plan",
                 "match": r"\d{4}-\d{1,2}-\d{1,2}|(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号]|上旬|中旬|下旬|底|末)?(?:前|之前)?"
                          r"|(?:\d{4}年)?(?:年底|年末|上半年|下半年)前?|\d{4}年(?:底|末)?前?|长期坚持|持续推进|每(?:月|季度|年|周|旬|半年)"},
                {"name": "constant.numeric.quantity.plan",
                 "match": rf"[+-]?\d+(?:\.\d+)?(?:[—\-~]\d+(?:\.\d+)?)?(?:千亿|百亿|十亿|亿|千万|百万|十万|万|千)?(?:{unit_alt})?(?:以上|以内|以下|左右)?"},
                {"name": "keyword.operator.firmness.plan", "match": "确保|力争|预期|突破|达到|超过|不低于|不超过|控制在"},
                {"name": "punctuation.section.block.begin.plan", "match": "[{｛]"},
                {"name": "punctuation.section.block.end.plan", "match": "[}｝]"},
                {"name": "punctuation.separator.list.plan", "match": "[、，,]"},
                {"name": "punctuation.terminator.statement.plan", "match": "[；;]"},
            ]},
            "string": {"patterns": [
                {"name": "string.quoted.double.cjk.plan", "begin": "“", "end": "”|$",
                 "patterns": [{"include": "#nested-quote"}]},
                {"name": "string.quoted.corner.plan", "begin": "「", "end": "」|$"},
                {"name": "string.quoted.double.plan", "begin": "\"", "end": "\"|$"},
            ]},
            "nested-quote": {"begin": "“", "end": "”", "patterns": [{"include": "#nested-quote"}]},
        },
    }


def snippets() -> dict:
    """Snippets for plan, goal, task and mechanism, in Chinese and English."""
    def s(prefix: str, body: list[str], desc: str) -> dict:
        return {"prefix": prefix, "body": body, "description": desc}

    return {
        "方案": s("方案", ["方案 ${1:标识} “${2:方案标题}” {", "  制定单位：${3:单位}", "  周期：${4:2025-01-01 至 2025-12-31}", "}", "$0"], "方案（plan）"),
        "目标": s("目标", ["目标 ${1:标识} “${2:指标名称}” {", "  增长：${3:力争 8%}", "  总量：${4:达到 52亿元}", "}", "$0"], "目标与指标（goal）"),
        "任务": s("任务", ["任务 “${1:任务标题}” {", "  说明：“${2:}”", "  牵头：${3:牵头单位}", "  负责：${4:责任单位}", "  时限：${5:年底前}", "}", "$0"], "任务（task）"),
        "机制": s("机制", ["机制 ${1:专班} “${2:工作专班}” {", "  类型：${3|专班,领导小组,调度,通报,讲评,督查,考核,问责|}", "  召集人：“${4:职务}”", "  成员：${5:成员单位}", "  办公室：${6:单位}", "  频次：${7:旬调度、月通报、季讲评}", "}", "$0"], "推进机制（mechanism）"),
        "plan": s("plan", ["plan ${1:id} \"${2:Plan title}\" {", "  issuer: ${3:unit}", "  period: ${4:2025-01-01 to 2025-12-31}", "}", "$0"], "a plan (方案)"),
        "goal": s("goal", ["goal ${1:id} \"${2:indicator}\" {", "  growth: ${3:stretch 8%}", "  total: ${4:>= 52亿元}", "}", "$0"], "a goal with indicators (目标)"),
        "task": s("task", ["task \"${1:title}\" {", "  lead: ${2:unit}", "  responsible: ${3:unit}", "  due: ${4:2025-12-31}", "}", "$0"], "a task (任务)"),
        "mechanism": s("mechanism", ["mechanism ${1:id} \"${2:title}\" {", "  kind: ${3|working_group,leading_group,dispatch,report,review,inspection,assessment,accountability|}", "  convener: \"${4:post}\"", "  members: ${5:units}", "  cadence: ${6:monthly}", "}", "$0"], "a mechanism (机制)"),
    }


def write(folder: Path) -> list[Path]:
    """Write the generated files into the VS Code extension folder."""
    out = {folder / "syntaxes" / "plan.tmLanguage.json": tm_grammar(), folder / "snippets" / "plan.json": snippets()}
    for path, data in out.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return list(out)


if __name__ == "__main__":
    for p in write(Path(sys.argv[1] if len(sys.argv) > 1 else "editor-support/vscode")):
        print(p)
