"""`planlang rules` and docs/rules.md, generated from the rules' docstrings."""

from __future__ import annotations


def rules_table(lang: str = "zh") -> str:
    """Every code with its default severity and one line."""
    from planlang.checks.registry import RULES

    rows = []
    for r in RULES:
        summary = r.summary_en if lang == "en" else r.summary_zh
        rows.append(f"{r.code}  {r.severity.value:<7}  {r.name:<26}  {summary}")
    return "\n".join(rows) + "\n"


def rules_doc_uri() -> str:
    """A file URI of docs/rules.md: the copy inside the installed package, or the source tree's."""
    from importlib import resources
    from pathlib import Path

    packaged = resources.files("planlang").joinpath("docs/rules.md")
    path = Path(str(packaged)) if packaged.is_file() else Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    return path.as_uri()


def rules_markdown() -> str:
    """docs/rules.md: the catalogue table, then each rule's documentation."""
    from planlang.checks.registry import RULES
    from planlang.outputs.sarif import rule_markdown

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
