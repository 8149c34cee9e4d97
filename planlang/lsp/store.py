"""Per-document state of the language server: each open document's version and editing session (its latest
compilation, the last one without syntax errors, the files it read), and which open documents depend on which
files."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from planlang.lsp.convert import resolved
from planlang.pipeline import Result
from planlang.session import Session


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
    """What the server knows about one open document; its compilations belong to its session."""

    uri: str
    path: Path
    session: Session
    version: int | None = None

    @property
    def result(self) -> Result | None:
        """The latest compilation."""
        return self.session.result

    @property
    def good(self) -> Result | None:
        """The latest compilation without syntax errors in this document (navigation answers from it)."""
        return self.session.clean

    @property
    def files(self) -> set[Path]:
        """Every file the latest compilation read."""
        return self.session.files


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
            path = uri_to_path(uri)
            state = self.docs[uri] = DocState(uri, path, Session(path))
        return state

    def close(self, uri: str) -> None:
        self.docs.pop(uri, None)

    def compile(self, uri: str, text: str, version: int | None, texts: dict[str, str]) -> DocState:
        """Compile an open document against the editor's view of every open document."""
        state = self.open(uri)
        # a compilation pauses the cyclic GC itself, but re-enables it on return: the next allocation would then
        # start a young-generation collection over the whole new compilation (~20 ms at 10k lines). Here the
        # survivors are frozen first, and only then is the collector enabled again.
        paused = gc.isenabled()
        gc.disable()
        try:
            state.session.update(text, self.overlay(texts))
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
        return state

    def dependents(self, path: Path) -> list[DocState]:
        """Open documents whose latest compilation read `path`."""
        p = resolved(path)
        return [s for s in self.docs.values() if p in s.files and resolved(s.path) != p]
