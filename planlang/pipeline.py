"""The one pipeline: text → syntax → model → checks. The CLI, the renderers, the diff and the importer's own
check call `compile_file`; the language server's editing sessions (`planlang.session`) and its workspace index
call `compile_with`, the same pipeline reading through a `Reader` of their own; nothing reads a `.plan` file
another way (the formatter works on the syntax tree alone, from the same parser)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planlang.checks.context import CheckContext
from planlang.checks.engine import run_checks
from planlang.checks.settings import Settings, settings_from
from planlang.collector import gc_paused
from planlang.config import load_config
from planlang.diagnostics import Diagnostic, Message, Severity
from planlang.model.build import build
from planlang.model.nodes import CompiledPlan, Deadline
from planlang.model.resolve import read_due, resolve
from planlang.model.symbols import Def, DueItem, Fragment, Include, Symbols
from planlang.model.values import Year
from planlang.source import SourceFile
from planlang.syntax import Document, parse
from planlang.workspace import (IncludeOutcome, Workspace, find_root, read_file, resolve_include,
                                unreadable_include)


@dataclass(slots=True)
class FileUnit:
    """One file read for a compilation."""

    path: Path
    source: SourceFile
    document: Document
    fragment: Fragment


@dataclass(slots=True)
class Result:
    """Everything one compilation knows."""

    root: Path
    workspace: Workspace
    files: list[FileUnit]  # the root file first, then what it includes, depth first
    model: CompiledPlan
    symbols: Symbols
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """True when any diagnostic is an error."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


# How deep includes may nest: real plans use two or three levels; a chain this long is a mistake (or an attack),
# and reading it would exhaust the stack.
MAX_INCLUDE_DEPTH = 64


class Reader:
    """How a compilation reads each file: parse its text, build its fragment, and (in resolution) read its
    deadlines against the plan year. This one is the plain pipeline's; an editor session (`planlang.session`)
    reads through one that re-uses its previous compilation, with the same result."""

    def parse(self, path: Path, text: str) -> Document:
        """The file's syntax."""
        return parse(text)

    def build(self, path: Path, doc: Document, source: SourceFile, relpath: str) -> Fragment:
        """The file's fragment (the root file is built first)."""
        return build(doc, source, relpath)

    def deadline(self, due: DueItem, year: Year) -> Deadline | None:
        """A deadline as written, read against the plan year."""
        return read_due(due, year)


class _Loader:
    """Reads the root file and, depth first, everything it includes."""

    def __init__(self, ws: Workspace, overlay: dict[Path, str], reader: Reader) -> None:
        self.ws = ws
        self.overlay = overlay
        self.reader = reader
        self.files: dict[Path, FileUnit] = {}
        self.front: list[Diagnostic] = []
        self.order: list[object] = []
        self.defs: list[Def] = []  # every file's definitions, in include-expanded order

    def source(self, path: Path) -> SourceFile | None:
        shown = self.ws.display(path)
        if path in self.overlay:
            return SourceFile(shown, self.overlay[path])
        src, diags = read_file(path, shown)
        self.front.extend(diags)
        return src

    def load(self, path: Path, stack: list[Path], via: Include | None = None) -> None:
        if path in self.files:
            return  # included twice (not a cycle): its content counts once
        src = self.source(path)
        if src is None:
            if via is not None:  # (the root file's own failure is compile_file's to raise)
                self.front.append(unreadable_include(via.path, via.span))
            return
        doc = self.reader.parse(path, src.text)
        if any(d.code == "PL004" and d.span.file is src for d in self.front[-1:]):
            # not UTF-8: the PL004 says it; the control characters of a binary file's best-effort text are noise
            doc.errors = [e for e in doc.errors if e.kind != "forbidden"]
        rel = self.ws.relative(path)
        frag = self.reader.build(path, doc, src, rel)
        self.files[path] = FileUnit(path, src, doc, frag)
        self.front.extend(frag.diagnostics)
        done = 0
        for item in frag.items:
            if not isinstance(item, Include):
                self.order.append(item)
                continue
            # what the file defines before the include comes before what the included file defines, so
            # "first defined" (resolution, PL104) follows the text with its includes expanded
            self.defs.extend(frag.defs[done:item.defs_before])
            done = item.defs_before
            outcome = resolve_include(path, item.path, self.ws.root, item.span, [*stack, path])
            if outcome.diagnostic is None and len(stack) + 1 >= MAX_INCLUDE_DEPTH:
                outcome = IncludeOutcome(None, Diagnostic("PL005", Severity.ERROR, item.span, Message(
                    f"引用嵌套过深（超过 {MAX_INCLUDE_DEPTH} 层），不再读取“{item.path}”",
                    f"includes nested more than {MAX_INCLUDE_DEPTH} deep: '{item.path}' is not read")))
            if outcome.diagnostic is not None:
                self.front.append(outcome.diagnostic)
            elif outcome.path is not None:
                self.load(outcome.path, [*stack, path], item)
        self.defs.extend(frag.defs[done:])


# Objects left in the collector's youngest generation (made, less freed) above which a compilation's survivors
# are frozen when it ends (a 4k-line plan makes about this many): its next young collection would otherwise walk
# every one of them — over a million objects at 100k lines, a tenth of the compilation's time — to find nothing.
FREEZE_AFTER = 50_000


def compile_file(path: Path, *, text: str | None = None, overlay: dict[Path, str] | None = None,
                 root: Path | None = None, settings: Settings | None = None) -> Result:
    """Compile one plan file and what it includes. `text` replaces the file's content on disk (an editor
    buffer); `overlay` does the same for other files; `settings` default to the configuration found above the
    file. Raises OSError when the root file cannot be read, ConfigError when the configuration is invalid.
    (An editor compiling one file again and again uses a `planlang.session.Session`.)"""
    return compile_with(_PLAIN, path, text=text, overlay=overlay, root=root, settings=settings)


_PLAIN = Reader()


def compile_with(reader: Reader, path: Path, *, text: str | None = None, overlay: dict[Path, str] | None = None,
                 root: Path | None = None, settings: Settings | None = None, checks: bool = True) -> Result:
    """`compile_file`, reading the files through `reader`. Without `checks`, the result is the resolved plan
    with only what reading said (the workspace index of the language server needs names, not judgements)."""
    with gc_paused(freeze_after=FREEZE_AFTER):
        return _compile(path, text, overlay, root, settings, reader, checks)


def _compile(path: Path, text: str | None, overlay: dict[Path, str] | None, root: Path | None,
             settings: Settings | None, reader: Reader, checks: bool = True) -> Result:
    path = path.resolve()
    if settings is None and checks:
        settings = settings_from(load_config(path))
    ws = Workspace(root.resolve() if root else find_root(path))
    over = dict(overlay or {})
    if text is not None:
        over[path] = text
    loader = _Loader(ws, over, reader)
    if path not in over and not path.is_file():
        raise FileNotFoundError(str(path))
    loader.load(path, [])
    if path not in loader.files:
        raise OSError(f"cannot read {path}")
    files = list(loader.files.values())
    fragments = [f.fragment for f in files]
    model, symbols = resolve(fragments, loader.order, [ws.relative(f.path) for f in files], loader.defs,
                             reader.deadline)
    if not checks:
        return Result(ws.root, ws, files, model, symbols, list(loader.front))
    comments = {f.source.path: (f.source, f.document.comments) for f in files}
    ctx = CheckContext(model, symbols, fragments)
    if loader.files[path].fragment.progress:  # a progress file: earlier periods in its folder are its history
        from planlang.progress.history import sibling_history
        ctx.history = sibling_history(path)
    diagnostics = run_checks(ctx, loader.front, settings, comments)
    return Result(ws.root, ws, files, model, symbols, diagnostics)
