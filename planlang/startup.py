"""How the command line starts: fast, because the pre-commit hook runs `planlang check` on every commit.

Three things keep start-up short. The typer app is built on first use (`LazyApp`): its commands are registered
as plain functions when `planlang.cli` is imported, and typer loads only when the app is needed. The plain forms
of `planlang check` (paths, `--format`, `--lang`, `--jobs`, `--dependents`, `--no-cache`: `plain_check_args`)
and of `planlang diff` (`plain_args`) skip typer altogether and run as typer would run them (`run_like_typer`).
And the cyclic garbage collector stays off while modules load (`planlang.collector`), and pydantic is not
asked to look for plugins. `run_entry_point` puts these together behind the one guard that keeps tracebacks
from the user.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from planlang.collector import startup_begins, startup_done


class LazyApp:
    """A typer app whose commands are registered now and which is built on first use.

    `namespace` is the commands' module globals: building the app binds `typer` there, which the commands'
    annotations (strings, evaluated by typer) and bodies use."""

    def __init__(self, namespace: dict, **settings) -> None:
        self._namespace = namespace
        self._settings = settings
        self._commands: list[tuple[Callable, dict]] = []  # (function, typer's command options), in help order
        self._app = None

    def command(self, **options) -> Callable[[Callable], Callable]:
        """Register a command (typer's `app.command` options); the function is returned unchanged."""
        def register(fn: Callable) -> Callable:
            self._commands.append((fn, options))
            return fn
        return register

    @property
    def built(self) -> bool:
        """True once the typer app exists (the command line is going through typer)."""
        return self._app is not None

    def build(self):
        """The typer app, with every registered command."""
        if self._app is None:
            import typer

            self._namespace["typer"] = typer
            self._app = typer.Typer(**self._settings)
            for fn, options in self._commands:
                self._app.command(**options)(fn)
        return self._app

    def echo(self, message: str, err: bool = False) -> None:
        """`typer.echo` under the typer app; on the fast path (where the streams are known to be text streams
        that are not ASCII-only, so typer would write to them as they are) the same: the line, ANSI escapes
        removed when the stream is not a terminal, flushed."""
        if self._app is not None:
            self._namespace["typer"].echo(message, err=err)
            return
        stream = sys.stderr if err else sys.stdout
        text = f"{message}\n"
        if not stream.isatty():
            import re

            text = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", text)
        stream.write(text)
        stream.flush()


_ASCII = ("ascii", "us-ascii", "646", "ansi-x3.4-1968")


def plain_args(args: list[str], command: str, options: dict[str, type], flags: tuple[str, ...], readable: bool
               ) -> tuple[list[str], dict[type, object], set[str]] | None:
    """`command`'s arguments when they are plainly valid — arguments not starting with `-` (with `readable`:
    none an existing file that cannot be read), each option of `options` (name → the type its value converts
    to, one type an option) at most once with a valid value (`--format json`, `--format=json`, `-f json`,
    `-fjson`), each of `flags` at most once — as (arguments, value by type, flags given); else None, and typer
    handles the command line (help, usage errors and their messages, anything unusual). Then the command runs as
    typer would run it, without loading typer."""
    if not args or args[0] != command or os.name == "nt":
        return None
    if any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):  # shell completion
        return None
    for stream in (sys.stdout, sys.stderr):  # typer re-wraps missing or ASCII-only streams
        if stream is None or (getattr(stream, "encoding", None) or "ascii").lower().replace("_", "-") in _ASCII:
            return None
    positional: list[str] = []
    values: dict[type, object] = {}
    given: set[str] = set()
    rest = iter(args[1:])
    for arg in rest:
        if not arg:
            return None
        if arg in flags:
            if arg in given:
                return None
            given.add(arg)
            continue
        if not arg.startswith("-"):
            if readable and os.path.exists(arg) and not os.access(arg, os.R_OK):  # typer: "… is not readable"
                return None
            positional.append(arg)
            continue
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
        elif len(arg) > 2 and arg[:2] in options:  # a short option with its value attached: -fjson, -j2
            name, eq, value = arg[:2], "=", arg[2:]
        else:
            name, eq, value = arg, "", ""
        kind = options.get(name)
        if kind is None or kind in values:
            return None
        if not eq:
            value = next(rest, None)
            if value is None or (value.startswith("-") and value != "-"):
                return None
        try:
            values[kind] = kind(value)
        except ValueError:
            return None
    if not positional:
        return None
    return positional, values, given


def plain_check_args(args: list[str], options: dict[str, type], flags: tuple[str, ...] = ("--dependents",)
                     ) -> tuple[list[Path], dict[type, object], set[str]] | None:
    """`check`'s arguments when they are plainly valid (paths, each option of `options` — name → the type of its
    value, an enum or a type whose constructor raises ValueError —, each of `flags`: see `plain_args`) as (paths,
    value by type, the flags given); else None. Then `check` runs as typer would run it, without loading typer:
    the pre-commit hook's path."""
    plain = plain_args(args, "check", options, flags, readable=True)
    if plain is None:
        return None
    paths, values, given = plain
    return [Path(p) for p in paths], values, given


def skip_pydantic_plugins() -> None:
    """pydantic looks for plugins when it builds its first model: that imports importlib.metadata and reads the
    entry points of every installed distribution, ~20 ms of the command's start. planlang's models are
    internal, so the command line does not offer them to plugins — unless PYDANTIC_DISABLE_PLUGINS names
    particular plugins to leave out (then pydantic decides, as usual)."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS", "__all__") not in ("__all__", "1", "true"):
        return
    if "pydantic.plugin._loader" in sys.modules:
        return
    import types

    loader = types.ModuleType("pydantic.plugin._loader", "planlang: pydantic plugins are not loaded")
    loader.get_plugins = lambda: ()
    sys.modules["pydantic.plugin._loader"] = loader


def run_like_typer(command: Callable[[], None], echo: Callable[..., None]) -> None:
    """Run a command as typer's main runs one: Ctrl-C exits 130, end of input "Aborted!" and 1, a closed pipe
    exits 1 quietly; the command itself ends with SystemExit."""
    import errno

    try:
        command()
    except EOFError:
        echo("", err=True)
        echo("Aborted!", err=True)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except OSError as e:
        if e.errno != errno.EPIPE:
            raise
        try:  # typer ≥ 0.2x carries its own click
            from typer._click.utils import PacifyFlushWrapper
        except ImportError:
            from click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        raise SystemExit(1) from None


def run_entry_point(app: LazyApp, fast: Callable[[list[str]], Callable[[], None] | None],
                    fail: Callable[[str], None], usage_exit: int) -> None:
    """The console entry point: `fast(arguments)` is the command to run without typer (None: typer runs the
    command line). No traceback ever reaches the user: an unexpected error is reported in one line and exits
    with `usage_exit`."""
    startup_begins()  # until the end of start-up: see `startup_done`
    try:
        skip_pydantic_plugins()
        if "" in sys.argv[2:]:  # a path '' would read as the current folder: no command takes an empty argument
            fail("空的参数 / an empty argument: give a file or folder ('.' for the current folder)")
        command = fast(sys.argv[1:])
        if command is not None:
            run_like_typer(command, app.echo)
        else:
            typer_app = app.build()
            startup_done()
            typer_app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 — last line of defence; report and exit with the I/O code
        sys.stderr.write(f"planlang: 内部错误 / internal error: {type(e).__name__}: {e}\n"
                         "请报告此问题 / please report this.\n")
        sys.exit(usage_exit)
