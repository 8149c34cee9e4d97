"""Per-document state of the language server: the text, the latest compilation, the last one without syntax
errors, and which open documents depend on which files."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from planlang.lsp.convert import resolved
from planlang.model.incremental import BuildCache
from planlang.pipeline import Result, compile_file


def uri_to_path(uri: str) -> Path:
    """A file URI as a path; other schemes map to a path named after the URI (never read from disk)."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    return Path.cwd() / ("_" + "".join(c if c.isalnum() else "_" for c in uri)[-80:] + ".plan")


def path_to_uri(path: str | Path) -> str:
    """The file URI of a path."""
    return resolved(path).as_uri()


@dataclass(slots=True)
class DocState:
    """What the server knows about one open document."""

    uri: str
    path: Path
    version: int | None = None
    result: Result | None = None
    good: Result | None = None  # the latest result without syntax errors
    files: set[Path] = field(default_factory=set)  # every file the latest compilation read
    builds: BuildCache = field(default_factory=BuildCache)  # what the latest compilation's statements built


class Store:
    """Open documents and their compilations. Compiling uses the editor's text for every open document."""

    def __init__(self) -> None:
        self.docs: dict[str, DocState] = {}
        self._compiles = 0

    def overlay(self, texts: dict[str, str]) -> dict[Path, str]:
        return {resolved(self.docs[u].path): t for u, t in texts.items() if u in self.docs}

    def open(self, uri: str) -> DocState:
        state = self.docs.get(uri)
        if state is None:
            state = self.docs[uri] = DocState(uri, uri_to_path(uri))
        return state

    def close(self, uri: str) -> None:
        self.docs.pop(uri, None)

    def compile(self, uri: str, text: str, version: int | None, texts: dict[str, str]) -> DocState:
        """Compile an open document against the editor's view of every open document."""
        state = self.open(uri)
        # compile_file pauses the cyclic GC itself, but re-enables it on return: the next allocation would then
        # start a young-generation collection over the whole new compilation (~20 ms at 10k lines). Here the
        # survivors are frozen first, and only then is the collector enabled again.
        paused = gc.isenabled()
        gc.disable()
        try:
            result = compile_file(state.path, text=text, overlay=self.overlay(texts), previous=state.result,
                                  builds=state.builds)
        finally:
            self._compiles += 1
            if self._compiles % 64 == 0:  # now and then, what the frozen generation holds is collected again
                gc.unfreeze()
            else:
                # what lives now (mostly the new compilation) is left out of later collections: a full collection
                # of a big plan's model would otherwise interrupt the next edits every few compilations
                gc.freeze()
            if paused:
                gc.enable()
        state.version = version
        state.result = result
        state.files = {f.path for f in result.files}
        # `good` is the latest compilation whose text of this document the parser accepted. Such a text re-uses
        # (moves, re-resolves) what the previous clean compilation built, so the previous one is never kept as
        # `good` past it; a text the parser rejects re-uses only what earlier texts with errors built, and its
        # parse copies the clean document's nodes, so `good` stays whole while the user types through the
        # errors. (A builder PL001, a field without its `：`, still gives a complete model.)
        if not result.files[0].document.errors:
            state.good = result
        return state

    def dependents(self, path: Path) -> list[DocState]:
        """Open documents whose latest compilation read `path`."""
        p = resolved(path)
        return [s for s in self.docs.values() if p in s.files and resolved(s.path) != p]
