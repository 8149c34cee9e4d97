"""`planlang rules` and docs/rules.md, generated from the rules' docstrings."""

from __future__ import annotations

import functools


def rules_table(lang: str = "zh") -> str:
    """Every code with its default severity and one line."""
    from planlang.checks.registry import RULES

    rows = []
    for r in RULES:
        summary = r.summary_en if lang == "en" else r.summary_zh
        rows.append(f"{r.code}  {r.severity.value:<7}  {r.name:<26}  {summary}")
    return "\n".join(rows) + "\n"


@functools.cache
def rules_doc_uri() -> str:
    """A file URI of docs/rules.md: the copy inside the installed package, or the source tree's (looked up once:
    the language server links every diagnostic to it)."""
    from importlib import resources
    from pathlib import Path

    packaged = resources.files("planlang").joinpath("docs/rules.md")
    path = Path(str(packaged)) if packaged.is_file() else Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    return path.as_uri()


def rules_markdown() -> str:
    """docs/rules.md: the catalogue table, then each rule's documentation."""
    from planlang.checks.registry import RULES

    out = ["# planlang rules", "",
           "Generated from the rules' docstrings by `planlang rules --markdown`; do not edit by hand. Each rule is",
           "documented in English, then in Chinese (`planlang rules CODE` prints one language: Chinese by default,",
           "`--lang en` for English).", "",
           "由各规则的文档字符串生成，请勿手工修改。每条规则先列英文说明，再列中文说明。", "",
           "| code | name | default | 说明 | what |", "|---|---|---|---|---|"]
    for r in RULES:
        out.append(f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity.value} | {r.summary_zh} | {r.summary_en} |")
    out.append("")
    for r in RULES:
        out.append(f'<a id="{r.code.lower()}"></a>')
        out.append("")
        out.append(rule_markdown(r))
    return "\n".join(out).rstrip() + "\n"


def rule_markdown(rule, lang: str | None = None) -> str:
    """A rule's documentation as Markdown: in `lang` (zh or en; SARIF help), or both halves (docs/rules.md)."""
    en, zh = rule.doc_en, rule.doc_zh
    if lang == "en" or en == zh:  # (a docstring without its Chinese half: the English text in both)
        halves = [(en, False)]
    else:
        halves = [(zh, True)] if lang == "zh" else [(en, False), (zh, True)]
    out = []
    for i, (text, chinese) in enumerate(halves):
        lines = text.splitlines()
        title = lines[0] if lines else rule.code
        body = "\n".join(lines[1:]).strip()
        if i == 0:
            out += [f"## {title}", "", f"- name: `{rule.name}`", f"- default severity: {rule.severity.value}",
                    f"- 中文：{rule.summary_zh}", ""]
        else:
            out += [f"**【中文】{title}**", ""]
        for para in body.split("\n\n"):
            p = para.strip()
            if p.startswith(("Example", "示例")):
                out.append("\n".join(f"    {l.strip()}" for l in p.splitlines()))
            else:
                lines = [l.strip() for l in p.splitlines()]
                out.append("".join(_joined(lines)) if chinese else " ".join(lines))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _joined(lines: list[str]) -> list[str]:
    """A paragraph's lines joined for Markdown: with a space between words, with none between CJK text (a
    space there would show in the rendered page)."""
    out: list[str] = []
    for line in lines:
        if out and not (_cjk(out[-1][-1:]) and _cjk(line[:1])) and out[-1][-1:] not in "，。；：、（）“”" \
                and line[:1] not in "，。；：、（）“”":
            out.append(" ")
        out.append(line)
    return out


def _cjk(ch: str) -> bool:
    return bool(ch) and ("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
