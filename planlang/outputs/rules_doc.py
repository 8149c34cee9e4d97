"""`planlang rules` and docs/rules.md, generated from the rules' docstrings."""

from __future__ import annotations


def rules_table(lang: str = "zh") -> str:
    """Every code with its default severity and one line."""
    from planlang.checks import RULES

    rows = []
    for r in RULES:
        summary = r.summary_en if lang == "en" else r.summary_zh
        rows.append(f"{r.code}  {r.severity.value:<7}  {r.name:<26}  {summary}")
    return "\n".join(rows) + "\n"


def rules_markdown() -> str:
    """docs/rules.md: the catalogue table, then each rule's documentation."""
    from planlang.checks import RULES
    from planlang.outputs.sarif import rule_markdown

    out = ["# planlang rules", "",
           "Generated from the rules' docstrings by `planlang rules --markdown`; do not edit by hand.", "",
           "| code | name | default | 说明 | what |", "|---|---|---|---|---|"]
    for r in RULES:
        out.append(f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity.value} | {r.summary_zh} | {r.summary_en} |")
    out.append("")
    for r in RULES:
        out.append(f'<a id="{r.code.lower()}"></a>')
        out.append("")
        out.append(rule_markdown(r))
    return "\n".join(out).rstrip() + "\n"
