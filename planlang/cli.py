"""The `planlang` command line: each command is a function registered with the app, and thin — it calls the
pipeline and an output.

Nothing heavy loads at start, because the pre-commit hook runs `planlang check` on every commit: every command
imports what it needs inside its body. How the command line starts — the typer app built on first use (`app` is
importable as before), the plain forms of `planlang check` and `planlang diff` run without typer, the garbage
collector off while modules load — is in `planlang.startup`; `main` hands it the app, `check` and `diff`.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

from planlang.collector import startup_done
from planlang.startup import LazyApp, plain_args, plain_check_args, run_entry_point
from planlang.usage import compile_failure, not_a_file, overwrites_plan

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

_app = LazyApp(
    globals(),
    name="planlang",
    help="planlang — 把工作方案写成可检查的文本。A checked language for government work plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_command = _app.command
_echo = _app.echo
typer = None  # bound to the typer module when the app is built (`LazyApp.build`)


def __getattr__(name: str):
    if name == "app":
        return _app.build()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


_LANG_HELP = "Message language: zh (default) or en."


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    from planlang.source import visible

    _echo(visible(f"planlang: {message}"), err=True)  # a path the user gave may hold control characters
    raise SystemExit(code)


def _compile_or_fail(file: Path):
    """The compilation of one plan; an invalid configuration or an unreadable file is a usage error (exit 2)."""
    from planlang.config import ConfigError
    from planlang.pipeline import compile_file

    try:
        return compile_file(file)
    except (ConfigError, OSError) as e:
        _fail(compile_failure(e, file))


def _visible_lines(text: str) -> str:
    """Text for a terminal, line by line: control characters in it shown, not obeyed (line ends kept)."""
    from planlang.source import visible

    return visible(text)


def _need_file(p: Path) -> None:
    why = not_a_file(p)
    if why is not None:
        _fail(why)


def _plan_files(paths: list[Path]) -> list[Path]:
    """Files as given, and every `*.plan` below each folder, sorted; missing paths are usage errors."""
    out: list[Path] = []
    for p in paths:
        if str(p) == "":
            _fail("空的路径 / an empty path: give a file or folder ('.' for the current folder)")
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.plan") if q.is_file()))
        elif p.is_file():
            out.append(p)
        elif p.exists() or p.is_symlink():
            _fail(not_a_file(p) or f"无法读取 / cannot read {p}")
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


def _workspace_plans(root: Path) -> list[Path]:
    """Every `*.plan` below a workspace root, sorted, outside hidden folders (.git, .venv …)."""
    out = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        out.extend(Path(folder) / n for n in names if n.endswith(".plan"))
    return sorted(out)


def _with_dependents(files: list[Path], checker) -> tuple[list[Path], dict]:
    """`files`, then every plan of their workspaces that includes one of them, directly or through other
    includes, and the outcomes of them all (keyed by the paths returned). A plan's compilation reads
    exactly what it includes, transitively, so it is what says whether the plan depends on a file (the cache
    keeps what each plan includes: a warm run compiles none of them)."""
    from planlang.config import ConfigError
    from planlang.workspace import find_root

    wanted = {f.resolve() for f in files}
    out, have, compiled = list(files), set(wanted), {}
    plans = [p for root in sorted({find_root(f.resolve()) for f in files}) for p in _workspace_plans(root)
             if p.resolve() not in wanted]
    plans = list(dict.fromkeys(plans))
    outcomes = checker.run([*files, *plans])  # one batch: one pool at most
    compiled.update(zip(files, outcomes))
    for plan, outcome in zip(plans, outcomes[len(files):]):
        if plan.resolve() in have:
            continue
        if outcome.config_error is not None:
            raise ConfigError(outcome.config_error)
        if outcome.io_error is not None:
            continue  # unreadable: not one of ours to report
        if wanted & {Path(p) for p in outcome.includes}:
            out.append(plan)
            have.add(plan.resolve())
            compiled[plan] = outcome
    return out, compiled


@_command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (folders are searched for *.plan).")],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help=_LANG_HELP)] = Lang.zh,
    dependents: Annotated[bool, typer.Option(
        "--dependents", help="Also check every plan in the workspace that includes one of the files, directly or "
                             "through other includes (for pre-commit: a changed unit registry checks its plans)."
    )] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for files not in the cache (default: the cores).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the result cache (also PLANLANG_NO_CACHE=1).")] = False,
) -> None:
    """Check plans: exit 0 when clean or warnings only, 1 on errors, 2 on usage or I/O errors."""
    # no typer here: this body also runs on the fast path (see `_fast_check`)
    from planlang.batch import Checker
    from planlang.config import ConfigError
    from planlang.diagnostics import Severity
    from planlang.outputs.report import github_report, json_report, summary, text_report

    startup_done()
    files = _plan_files(paths)
    if not files:
        _fail("没有找到 .plan 文件 / no .plan files found")
    checker = Checker(jobs, use_cache=not no_cache)
    compiled = {}
    if dependents:
        try:
            files, compiled = _with_dependents(files, checker)
        except ConfigError as e:
            _fail(f"配置错误 / invalid configuration: {e}")
    todo = [f for f in files if f not in compiled]
    compiled.update(zip(todo, checker.run(todo)))
    diags = []
    seen: set[tuple] = set()
    io_error = False
    for f in files:
        result = compiled[f]
        if result.config_error is not None:
            _fail(f"配置错误 / invalid configuration: {result.config_error}")
        if result.io_error is not None:
            _echo(f"planlang: 无法读取 / cannot read {f}: {result.io_error}", err=True)
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
        _echo(summary(diags, len(files), lang.value))
    if io_error:
        raise SystemExit(EXIT_USAGE)
    raise SystemExit(EXIT_ERRORS if any(d.severity is Severity.ERROR for d in diags) else EXIT_OK)


@_command(name="compile")
def compile_cmd(
    file: Annotated[Path, typer.Argument(help="The plan file to compile.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSON here (default: stdout).")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help=_LANG_HELP)] = Lang.zh,
) -> None:
    """Compile a plan to JSON. Nothing is written when the plan has errors (they are printed, exit 1)."""
    from planlang.outputs.files import write_atomic
    from planlang.outputs.jsonout import plan_json
    from planlang.outputs.report import text_report

    _need_file(file)
    if output is not None and overwrites_plan(file, output):
        _fail(f"输出会覆盖方案文件 / the output would overwrite the plan: {output}")
    result = _compile_or_fail(file)
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


@_command()
def rules(
    code: Annotated[Optional[str], typer.Argument(help="A rule code, e.g. PL201: print its documentation.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/rules.md (every rule's documentation, in both languages).")] = False,
    lang: Annotated[Lang, typer.Option("--lang", help=_LANG_HELP)] = Lang.zh,
) -> None:
    """List the rule catalogue, or print one rule's documentation."""
    from planlang.outputs.rules_doc import rules_markdown, rules_table

    if markdown:
        sys.stdout.write(rules_markdown())
        return
    if code is None:
        sys.stdout.write(rules_table(lang.value))
        return
    from planlang.checks.registry import RULE_BY_CODE

    rule = RULE_BY_CODE.get(code.strip().upper())
    if rule is None:
        _fail(f"没有规则 / no rule {code}; `planlang rules` lists them")
    summary = rule.summary_en if lang is Lang.en else rule.summary_zh
    typer.echo(f"{rule.code} {rule.name} ({rule.severity.value}) — {summary}\n")
    typer.echo(rule.doc_in(lang.value))


@_command()
def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the schema here.")] = None,
    diff: Annotated[bool, typer.Option("--diff", help="The schema of `planlang diff --format json` instead.")] = False,
    status: Annotated[bool, typer.Option("--status", help="The schema of `planlang status --format json` instead.")] = False,
) -> None:
    """Print the JSON Schema of `planlang compile` output (generated from the model)."""
    from planlang.outputs.files import write_atomic
    from planlang.outputs.jsonout import schema_json

    if diff:
        from planlang.diff.report import diff_schema_json

        data = diff_schema_json()
    elif status:
        from planlang.progress.report import status_schema_json

        data = status_schema_json()
    else:
        data = schema_json()
    if output is None:
        sys.stdout.write(data)
        return
    if output.suffix.lower() == ".plan":
        _fail(f"输出会覆盖方案文件 / the output would overwrite a plan: {output}")
    try:
        write_atomic(output, data.encode("utf-8"))
    except OSError as e:
        _fail(f"无法写入 / cannot write {output}: {e.strerror or e}")


@_command()
def lsp() -> None:
    """Start the language server on stdio (for editors)."""
    from planlang.lsp.server import run

    run()


@_command()
def fmt(
    paths: Annotated[list[str], typer.Argument(
        help="Files or folders (folders are searched for *.plan); `-` reads stdin and writes stdout.")],
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 and name the files that would change.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Write nothing; print a unified diff of the changes.")] = False,
    lang: Annotated[Optional[Lang], typer.Option(
        "--lang", help="Keyword language: zh or en (default: `lang` in the configuration, else the file's own).")] = None,
    indent: Annotated[Optional[int], typer.Option(
        "--indent", min=1, max=8, help="Spaces per level (default: `indent` in the configuration, else 2).")] = None,
) -> None:
    """Format plans in the canonical layout. Exit 0: done (or nothing to change); 1: syntax errors, or files
    that would change under --check; 2: usage, configuration or I/O error."""
    from planlang.outputs.report import text_report

    msg = "en" if lang is Lang.en else "zh"
    targets: list[Optional[Path]] = [None] if "-" in paths else []
    targets += _plan_files([Path(p) for p in paths if p != "-"])
    if not targets:
        _fail("没有找到 .plan 文件 / no .plan files found")
    configs = _fmt_configs(targets)
    out = sys.stdout.buffer
    errors = io_error = False
    changed: list[str] = []
    unchanged = 0
    for t in targets:
        name = "-" if t is None else str(t)
        try:
            data = sys.stdin.buffer.read() if t is None else t.read_bytes()
        except OSError as e:
            typer.echo(f"planlang: 无法读取 / cannot read {name}: {e.strerror or e}", err=True)
            io_error = True
            continue
        texts, diags = _formatted(data, name, lang.value if lang else configs[t].lang, indent or configs[t].indent)
        if diags:  # not UTF-8, or syntax errors: left untouched
            sys.stderr.write(text_report(diags, msg))
            errors = True
            if t is None and not (check or diff):
                out.write(data)
            continue
        new = texts[1].encode("utf-8")
        if new == data:
            unchanged += 1
        else:
            changed.append(name)
        if not _fmt_output(t, name, data, texts, out, check, diff):
            io_error = True
    out.flush()
    if targets != [None]:
        n = len(changed)
        if check or diff:
            typer.echo(f"{n} 个文件需要格式化，{unchanged} 个无需改动 / {n} file(s) would be reformatted, "
                       f"{unchanged} unchanged", err=True)
        else:
            typer.echo(f"已格式化 {n} 个文件，{unchanged} 个无需改动 / reformatted {n} file(s), {unchanged} unchanged",
                       err=True)
    if io_error:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_ERRORS if errors or (check and changed) else EXIT_OK)


def _fmt_configs(targets: list[Optional[Path]]) -> dict:
    """Each target's configuration (stdin's: the current folder's), every one read and checked as `check` checks
    it before anything is written; an invalid one is a usage error."""
    from planlang.checks.settings import settings_from
    from planlang.config import ConfigError, load_config

    configs = {}
    for t in targets:
        try:
            configs[t] = load_config(t if t is not None else Path.cwd())
            settings_from(configs[t])
        except ConfigError as e:
            _fail(f"配置错误 / invalid configuration: {e}")
    return configs


def _formatted(data: bytes, name: str, lang: Optional[str], indent: int) -> tuple[tuple[str, str] | None, list]:
    """A file's bytes formatted: ((text as read, text formatted), []); or (None, diagnostics) when it is not
    UTF-8 or has syntax errors (worded as `check` words them)."""
    from planlang.syntax.errors import syntax_diagnostic
    from planlang.syntax.format import format_text
    from planlang.workspace import decode

    src, diags = decode(data, name)
    if diags:
        return None, diags
    result = format_text(src.text, lang=lang, indent=indent)
    if result.errors:
        return None, [syntax_diagnostic(e, src) for e in result.errors]
    return (src.text, result.text), []


def _fmt_output(target: Optional[Path], name: str, data: bytes, texts: tuple[str, str], out, check: bool,
                diff: bool) -> bool:
    """What `fmt` does with one formatted file: print its diff (--diff), name it if it would change (--check),
    else write it (stdout for `-`, the file atomically when it changed). False when the file cannot be written."""
    from planlang.outputs.files import write_atomic

    old, formatted = texts
    new = formatted.encode("utf-8")
    if diff and new != data:
        import difflib

        from planlang.source import split_lines

        lines = difflib.unified_diff(split_lines(old), split_lines(formatted), f"{name}", f"{name} (formatted)")
        out.write(_visible_lines("".join(lines)).encode("utf-8"))
    if check or diff:  # write nothing
        if check and new != data:
            out.write(f"需要格式化 / would reformat: {name}\n".encode("utf-8"))
    elif target is None:
        out.write(new)
    elif new != data:
        try:
            write_atomic(target, new)
        except OSError as e:
            typer.echo(f"planlang: 无法写入 / cannot write {name}: {e.strerror or e}", err=True)
            return False
    return True


class RenderFormat(str, Enum):
    xlsx = "xlsx"
    docx = "docx"
    md = "md"
    html = "html"


@_command()
def render(
    file: Annotated[Path, typer.Argument(help="The plan file to render.")],
    to: Annotated[Optional[RenderFormat], typer.Option(
        "--to", "-t", help="xlsx: 任务分工表 · docx: the plan as an official document · md · html: document and "
                           "report. Default: from the suffix of -o.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write here (default: FILE with the format's suffix, beside it; `-`: stdout).")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help=_LANG_HELP)] = Lang.zh,
) -> None:
    """Render a plan: the 任务分工表 (xlsx), the official document (docx), Markdown, or HTML with a report.
    Drafts with errors are rendered too (the HTML lists the diagnostics). Exit 0: written; 2: usage or I/O
    error."""
    from planlang.outputs.files import emit
    from planlang.outputs.render import render as render_plan

    to_stdout = output is not None and str(output) == "-"
    if to is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None and not to_stdout else ""
        if suffix not in {f.value for f in RenderFormat}:
            _fail("请用 --to 指定格式 / say which format with --to: xlsx, docx, md or html")
        to = RenderFormat(suffix)
    _need_file(file)
    target = output if output is not None else file.with_suffix(f".{to.value}")
    if not to_stdout and overwrites_plan(file, target):
        _fail(f"输出会覆盖方案文件 / the output would overwrite the plan: {target}")
    result = _compile_or_fail(file)
    data = render_plan(result, to.value, lang.value)
    emit(data, None if to_stdout else target, _fail)
    errors = sum(1 for d in result.diagnostics if d.severity.value == "error")
    if errors:
        typer.echo(f"planlang: 方案有 {errors} 个错误，仍已生成；`planlang check {file}` 列出它们 / the plan has "
                   f"{errors} error(s); rendered anyway", err=True)
    if not to_stdout:
        typer.echo(f"已生成 / wrote {target}", err=True)


@_command(name="import")
def import_cmd(
    document: Annotated[Path, typer.Argument(help="The plan document: .txt, .md, .docx, or a 分解表 as .xlsx or .csv.")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the draft .plan here (default: stdout).")] = None,
    units: Annotated[Optional[Path], typer.Option(
        "--units", help="A unit registry (.plan) to create or extend with the units found; the draft includes it "
                        "instead of declaring them.")] = None,
) -> None:
    """Turn an existing plan document into a draft .plan. The report goes to stderr; what needs a person's
    decision is marked `# 待确认` in the draft. Exit 0: draft written; 2: unreadable or unsupported document."""
    from planlang.config import ConfigError
    from planlang.importer import DocumentError, import_document
    from planlang.outputs.files import write_atomic

    if units is not None and units.suffix.lower() != ".plan":
        _fail(f"单位登记表应是 .plan 文件 / the unit registry must be a .plan file: {units}")
    if output is not None and output.suffix.lower() != ".plan":
        _fail(f"草稿应写成 .plan 文件 / the draft must be a .plan file: {output}")
    for target in (output, units):
        if target is not None and not target.resolve().parent.is_dir():
            _fail(f"目录不存在 / no such folder: {target.parent}")
    if output is not None and units is not None and output.resolve() == units.resolve():
        _fail("草稿和单位登记表不能是同一个文件 / the draft and the unit registry must be different files")
    try:
        result = import_document(document, out_path=output, units_path=units)
    except DocumentError as e:
        _fail(str(e))
    except ConfigError as e:
        _fail(f"配置错误 / invalid configuration: {e}")
    except OSError as e:
        _fail(f"无法读取 / cannot read {document}: {e.strerror or e}")
    try:
        if units is not None and result.units_text is not None:
            write_atomic(units, result.units_text.encode("utf-8"))
        if output is not None:
            write_atomic(output, result.text.encode("utf-8"))
    except OSError as e:
        _fail(f"无法写入 / cannot write: {e.strerror or e}")
    if output is None:
        sys.stdout.write(result.text)
        sys.stdout.flush()
    sys.stderr.write(_visible_lines(result.report.render()))
    if output is not None:
        typer.echo(f"已生成 / wrote {output}", err=True)


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"
    docx = "docx"
    html = "html"


@_command(name="diff")
def diff_cmd(
    files: Annotated[list[str], typer.Argument(
        help="OLD NEW (either may be /dev/null: an empty plan); with --git, the arguments git passes to a diff "
             "driver (path old-file old-hex old-mode new-file new-hex new-mode).")],
    format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help="text (the terminal), json, md, docx (修改对照表) or html.")] = DiffFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write here, atomically (default: stdout; docx needs -o).")] = None,
    unit: Annotated[Optional[str], typer.Option(
        "--unit", help="Only what changed for this unit (its id, full name or alias).")] = None,
    git: Annotated[bool, typer.Option(
        "--git", help="Run as git's diff driver (diff.planlang.command): always exit 0.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Compile both versions afresh: neither read nor write the result cache.")] = False,
) -> None:
    """Compare two versions of a plan as plans: tasks (matched by id, else by title and position: renamed and
    moved, not deleted and added), owners and their roles, leaders, deadlines, indicators (normalized values),
    descriptions (word by word), goals, mechanisms and units. Numbers that shift because of an insertion are not
    changes. Exit 0: no changes; 1: changes (like diff); 2: usage or I/O error. With --git: 0 unless an error."""
    # no typer here: this body also runs on the fast path (see `_fast_diff`)
    from planlang.diff.cli import run_diff

    startup_done()
    raise SystemExit(run_diff(files, format.value, output, unit, git, _fail, use_cache=not no_cache))


class StatusFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"
    docx = "docx"


@_command(name="status")
def status_cmd(
    plan: Annotated[Path, typer.Argument(help="The plan file the progress files report on.")],
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="The date to report as of (default: the end of the latest reported period).")] = None,
    format: Annotated[StatusFormat, typer.Option(
        "--format", "-f", help="text, json (schema: planlang schema --status), md, html (dashboard) or docx "
                               "(月通报).")] = StatusFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write here, atomically (default: stdout; docx needs -o).")] = None,
    progress: Annotated[Optional[Path], typer.Option(
        "--progress", help="The folder of progress files (default: 进展/ beside the plan).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Compile the plan and read every progress file afresh (not from the result cache).")] = False,
) -> None:
    """Where a plan stands, from its progress files: each task's latest state, the overdue, behind-schedule and
    unreported lists, completion per unit and per section, the 通报 categories (已完成, 超进度, 达进度, 欠进度,
    其他) and red / yellow / green. Exit 0: written; 2: usage or I/O error."""
    from planlang.progress.cli import run_status

    raise typer.Exit(run_status(plan, as_of, format.value, output, progress, _fail, not no_cache))


class TrackAction(str, Enum):
    export = "export"
    import_ = "import"


@_command(name="track")
def track_cmd(
    action: Annotated[TrackAction, typer.Argument(help="export: write the 推进情况表 · import: merge returned ones.")],
    files: Annotated[list[Path], typer.Argument(help="export: the PLAN · import: the filled workbooks.")],
    period: Annotated[Optional[str], typer.Option("--period", help="export: the period, e.g. 2023-06.")] = None,
    unit: Annotated[Optional[list[str]], typer.Option("--unit", help="export: only this unit (repeatable).")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="export: the .xlsx to write · import: the progress file (default: the period's "
                               "file in the progress folder).")] = None,
    plan: Annotated[Optional[Path], typer.Option(
        "--plan", help="import: the plan (default: the one the workbook was exported from).")] = None,
    progress: Annotated[Optional[Path], typer.Option(
        "--progress", help="The folder of progress files (default: 进展/ beside the plan).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Compile the plan and read every progress file afresh (not from the result cache).")] = False,
) -> None:
    """The 推进情况表 round trip: export a workbook with a sheet per unit (plan columns locked, 状态 as a drop-down,
    last period's report beside), and import the returned workbooks into the period's progress file. Import
    refuses, cell by cell, what it cannot match or read, and edits to locked columns. Exit 0: done; 1: some cells
    refused (the rest is merged); 2: usage or I/O error."""
    from planlang.progress.cli import run_track

    raise typer.Exit(run_track(action.value, files, period, unit, output, plan, progress, _fail, not no_cache))


class _Jobs(int):
    """`--jobs`' value as typer reads it (an integer, at least 1); anything else raises ValueError."""

    def __new__(cls, value: str):
        n = int(value)
        if n < 1:
            raise ValueError(value)
        return super().__new__(cls, n)


_CHECK_OPTIONS = {"--format": CheckFormat, "-f": CheckFormat, "--lang": Lang, "--jobs": _Jobs, "-j": _Jobs}


def _fast_check(args: list[str]):
    """`check` with plainly valid arguments, ready to run without typer (see `planlang.startup`); else None."""
    plain = plain_check_args(args, _CHECK_OPTIONS, ("--dependents", "--no-cache"))
    if plain is None:
        return None
    paths, values, flags = plain
    return lambda: check(paths, values.get(CheckFormat, CheckFormat.text), values.get(Lang, Lang.zh),
                         "--dependents" in flags, values.get(_Jobs), "--no-cache" in flags)


_DIFF_OPTIONS = {"--format": DiffFormat, "-f": DiffFormat, "--output": Path, "-o": Path, "--unit": str}


def _fast_diff(args: list[str]):
    """`diff` with plainly valid arguments (files, `--format` / `-f`, `--output` / `-o`, `--unit`, `--git`,
    `--no-cache`), ready to run without typer — a git diff driver starts it once per changed plan; else None."""
    plain = plain_args(args, "diff", _DIFF_OPTIONS, ("--git", "--no-cache"), readable=False)
    if plain is None:
        return None
    files, values, flags = plain
    return lambda: diff_cmd(files, values.get(DiffFormat, DiffFormat.text), values.get(Path), values.get(str),
                            "--git" in flags, "--no-cache" in flags)


def main() -> None:
    """Console entry point: no traceback ever reaches the user."""
    run_entry_point(_app, lambda args: _fast_check(args) or _fast_diff(args), _fail, EXIT_USAGE)
