"""The one pipeline: text → syntax → model → checks. The CLI, the language server, the formatter and the
renderers all call `compile_file`; nothing reads a `.plan` file another way."""

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
from planlang.model.incremental import BuildCache
from planlang.model.nodes import CompiledPlan
from planlang.model.resolve import resolve
from planlang.model.symbols import Def, Fragment, Include, Symbols
from planlang.source import SourceFile
from planlang.syntax import Document, parse
from planlang.syntax.incremental import reparse
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


class _Loader:
    """Reads the root file and, depth first, everything it includes."""

    def __init__(self, ws: Workspace, overlay: dict[Path, str],
                 previous: dict[Path, tuple[str, Document]] | None = None, builds: BuildCache | None = None) -> None:
        self.ws = ws
        self.overlay = overlay
        self.previous = previous or {}
        self.builds = builds
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
        prev = self.previous.get(path)
        doc = reparse(prev[0], prev[1], src.text) if prev is not None else parse(src.text)
        if any(d.code == "PL004" and d.span.file is src for d in self.front[-1:]):
            # not UTF-8: the PL004 says it; the control characters of a binary file's best-effort text are noise
            doc.errors = [e for e in doc.errors if e.kind != "forbidden"]
        rel = self.ws.relative(path)
        frag = self.builds.build(path, doc, src, rel) if self.builds is not None else build(doc, src, rel)
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


def compile_file(path: Path, *, text: str | None = None, overlay: dict[Path, str] | None = None,
                 root: Path | None = None, settings: Settings | None = None,
                 previous: Result | None = None, builds: BuildCache | None = None) -> Result:
    """Compile one plan file and what it includes. `text` replaces the file's content on disk (an editor
    buffer); `overlay` does the same for other files; `settings` default to the configuration found above the
    file; `previous`, an earlier compilation of the same file, lets unchanged top-level statements be re-used
    (the result is the same); `builds`, kept by the caller from one compilation of the file to the next, re-uses
    what unchanged top-level statements built (the previous result's model must no longer be used: its nodes are
    re-used). Raises OSError when the root file cannot be read, ConfigError when the
    configuration is invalid."""
    with gc_paused():
        return _compile(path, text, overlay, root, settings, previous, builds)


def _compile(path: Path, text: str | None, overlay: dict[Path, str] | None, root: Path | None,
             settings: Settings | None, previous: Result | None, builds: BuildCache | None) -> Result:
    path = path.resolve()
    if settings is None:
        settings = settings_from(load_config(path))
    ws = Workspace(root.resolve() if root else find_root(path))
    over = dict(overlay or {})
    if text is not None:
        over[path] = text
    earlier = {f.path: (f.source.text, f.document) for f in previous.files} if previous is not None else None
    loader = _Loader(ws, over, earlier, builds)
    if path not in over and not path.is_file():
        raise FileNotFoundError(str(path))
    loader.load(path, [])
    if path not in loader.files:
        raise OSError(f"cannot read {path}")
    files = list(loader.files.values())
    fragments = [f.fragment for f in files]
    model, symbols = resolve(fragments, loader.order, [ws.relative(f.path) for f in files], loader.defs)
    comments = {f.source.path: (f.source, f.document.comments) for f in files}
    ctx = CheckContext(model, symbols, fragments)
    if loader.files[path].fragment.progress:  # a progress file: earlier periods in its folder are its history
        from planlang.progress.history import sibling_history
        ctx.history = sibling_history(path)
    diagnostics = run_checks(ctx, loader.front, settings, comments)
    return Result(ws.root, ws, files, model, symbols, diagnostics)
