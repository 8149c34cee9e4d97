"""The language reference documents every spelling the keyword table accepts, and the README's commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planlang.keywords import BLOCKS, FIELDS, MECHANISM_KINDS, UNIT_KINDS

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


@pytest.mark.parametrize("word", [*BLOCKS, *(f.word for f in FIELDS)], ids=lambda w: w.en)
def test_every_keyword_and_alias_is_in_a_reference_table(word):
    row = next((r for r in _table_rows(REFERENCE) if re.search(rf"\|\s*{re.escape(word.zh)}[ |(]", r)
                and f"| {word.en} " in r), None)
    assert row is not None, f"docs/language.md has no table row for {word.zh} / {word.en}"
    for alias in word.aliases:
        assert alias in row, f"alias {alias} of {word.zh} is not documented in its row: {row}"


@pytest.mark.parametrize("value", [*UNIT_KINDS, *MECHANISM_KINDS], ids=lambda v: v.en)
def test_every_enumeration_value_and_alias_is_documented(value):
    section = REFERENCE.split("### Enumerations", 1)[1].split("\n## ", 1)[0]
    for spelling in (value.zh, value.en, *value.aliases):
        assert spelling in section, f"{spelling} ({value.en}) is missing from the Enumerations section"


def test_every_cli_command_is_in_the_readme_table():
    from planlang.cli import app

    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert commands >= {"check", "compile", "fmt", "render", "import", "schema", "rules", "lsp"}
    rows = "\n".join(_table_rows(README))
    for name in commands:
        assert f"`planlang {name}" in rows, f"`planlang {name}` is not in the README's command table"
