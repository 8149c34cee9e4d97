"""The `planlang` command line. Commands are thin: each calls the pipeline and an output.

Only typer loads at start; everything else is imported inside the command that needs it, because the
pre-commit hook runs `planlang check` on every commit.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="planlang",
    help="planlang — 把工作方案写成可检查的文本。A checked language for government work plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Message language: zh (default) or en.")]


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    typer.echo(f"planlang: {message}", err=True)
    raise typer.Exit(code)


def _plan_files(paths: list[Path]) -> list[Path]:
    """Files as given, and every `*.plan` below each folder, sorted; missing paths are usage errors."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.plan") if q.is_file()))
        elif p.is_file():
            out.append(p)
        else:
            _fail(f"找不到文件或目录 / no such file or folder: {p}")
    seen: set[Path] = set()
    unique = []
    for p in out:
        r = p.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(p)
    return unique


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (folders are searched for *.plan).")],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    lang: LangOpt = Lang.zh,
) -> None:
    """Check plans: exit 0 when clean or warnings only, 1 on errors, 2 on usage or I/O errors."""
    from planlang.config import ConfigError
    from planlang.diagnostics import Severity
    from planlang.outputs.report import github_report, json_report, summary, text_report
    from planlang.pipeline import compile_file

    files = _plan_files(paths)
    if not files:
        _fail("没有找到 .plan 文件 / no .plan files found")
    diags = []
    seen: set[tuple] = set()
    io_error = False
    for f in files:
        try:
            result = compile_file(f)
        except ConfigError as e:
            _fail(f"配置错误 / invalid configuration: {e}")
        except OSError as e:
            typer.echo(f"planlang: 无法读取 / cannot read {f}: {e.strerror or e}", err=True)
            io_error = True
            continue
        for d in result.diagnostics:
            key = (d.span.file.path, d.span.start, d.span.end, d.code, d.message.zh)
            if key not in seen:
                seen.add(key)
                diags.append(d)
    diags.sort(key=lambda d: d.sort_key())
    if format is CheckFormat.json:
        sys.stdout.write(json_report(diags, lang.value))
    elif format is CheckFormat.sarif:
        from planlang.outputs.sarif import sarif_report

        sys.stdout.write(sarif_report(diags, lang.value))
    elif format is CheckFormat.github:
        sys.stdout.write(github_report(diags, lang.value))
    else:
        sys.stdout.write(text_report(diags, lang.value, color=sys.stdout.isatty()))
        typer.echo(summary(diags, len(files), lang.value))
    if io_error:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_ERRORS if any(d.severity is Severity.ERROR for d in diags) else EXIT_OK)


@app.command(name="compile")
def compile_cmd(
    file: Annotated[Path, typer.Argument(help="The plan file to compile.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSON here (default: stdout).")] = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Compile a plan to JSON. Nothing is written when the plan has errors (they are printed, exit 1)."""
    from planlang.config import ConfigError
    from planlang.outputs.files import write_atomic
    from planlang.outputs.jsonout import plan_json
    from planlang.outputs.report import text_report
    from planlang.pipeline import compile_file

    if not file.is_file():
        _fail(f"找不到文件 / no such file: {file}")
    try:
        result = compile_file(file)
    except ConfigError as e:
        _fail(f"配置错误 / invalid configuration: {e}")
    except OSError as e:
        _fail(f"无法读取 / cannot read {file}: {e.strerror or e}")
    if result.has_errors:
        sys.stderr.write(text_report(result.diagnostics, lang.value))
        raise typer.Exit(EXIT_ERRORS)
    data = plan_json(result.model)
    if output is None:
        sys.stdout.write(data)
        return
    try:
        write_atomic(output, data.encode("utf-8"))
    except OSError as e:
        _fail(f"无法写入 / cannot write {output}: {e.strerror or e}")


@app.command()
def rules(
    code: Annotated[Optional[str], typer.Argument(help="A rule code, e.g. PL201: print its documentation.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/rules.md (every rule's documentation).")] = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """List the rule catalogue, or print one rule's documentation."""
    from planlang.outputs.rules_doc import rules_markdown, rules_table

    if markdown:
        sys.stdout.write(rules_markdown())
        return
    if code is None:
        sys.stdout.write(rules_table(lang.value))
        return
    from planlang.checks import RULE_BY_CODE

    rule = RULE_BY_CODE.get(code.strip().upper())
    if rule is None:
        _fail(f"没有规则 / no rule {code}; `planlang rules` lists them")
    summary = rule.summary_en if lang is Lang.en else rule.summary_zh
    typer.echo(f"{rule.code} {rule.name} ({rule.severity.value}) — {summary}\n")
    typer.echo(rule.doc)


@app.command()
def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the schema here.")] = None,
) -> None:
    """Print the JSON Schema of `planlang compile` output (generated from the model)."""
    from planlang.outputs.files import write_atomic
    from planlang.outputs.jsonout import schema_json

    data = schema_json()
    if output is None:
        sys.stdout.write(data)
    else:
        write_atomic(output, data.encode("utf-8"))


@app.command()
def lsp() -> None:
    """Start the language server on stdio (for editors)."""
    from planlang.lsp.server import run

    run()


def main() -> None:
    """Console entry point: no traceback ever reaches the user."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 — last line of defence; report and exit with the I/O code
        sys.stderr.write(f"planlang: 内部错误 / internal error: {type(e).__name__}: {e}\n"
                         "请报告此问题 / please report this.\n")
        sys.exit(EXIT_USAGE)
