"""An editing session: one plan file compiled again after every edit, each time as `compile_file` would.

The language server keeps one session per open document. The session owns everything that outlives a
compilation: the previous compilation (whose documents are re-parsed by region), what each top-level statement
built (replayed when its text comes back), the deadlines already read against the plan year, and the last
compilation without syntax errors.

That last clean compilation is what the editor navigates from while the user types through a syntax error, so
nothing it holds may move until a new clean compilation replaces it. The session keeps that promise in one place
(`_Reader`): a compilation is clean when the root file's document has no syntax errors; while the root file's
new document has errors, its re-parse copies the clean document's statements instead of moving them, an
included file's document that the clean compilation holds is parsed afresh, and the statement parts the clean
compilation placed are not replayed.
"""

from __future__ import annotations

from pathlib import Path

from planlang.checks.settings import Settings
from planlang.model.incremental import BuildCache
from planlang.model.nodes import Deadline
from planlang.model.resolve import read_due
from planlang.model.symbols import DueItem, Fragment
from planlang.model.values import Year
from planlang.pipeline import Reader, Result, compile_with
from planlang.source import SourceFile
from planlang.syntax import Document, parse
from planlang.syntax.incremental import reparse


class Session:
    """One plan file under edit: `update(text)` compiles it again, re-using what the previous compilation built.
    Each result equals `compile_file` of the same texts; the result before it must no longer be used (its nodes
    and spans are re-used), except `clean`, which stays as it was until the next clean compilation."""

    def __init__(self, path: Path, *, root: Path | None = None, settings: Settings | None = None) -> None:
        self.path = path
        self.root = root
        self.settings = settings  # None: the configuration found above the file, read at every update
        self.result: Result | None = None  # the latest compilation
        self.clean: Result | None = None  # the latest compilation whose root document has no syntax errors
        self._builds = BuildCache()
        self._readings: dict[int, tuple[DueItem, int | None, Deadline | None]] = {}
        self._clean_readings: dict[int, tuple[DueItem, int | None, Deadline | None]] = {}  # those of `clean`

    @property
    def files(self) -> set[Path]:
        """Every file the latest compilation read (an edit of any of them calls for an update)."""
        return {f.path for f in self.result.files} if self.result is not None else set()

    @property
    def reused(self) -> dict[Path, int]:
        """How many top-level statements of each file the latest update replayed instead of building."""
        return dict(self._builds.reused)

    def update(self, text: str | None = None, overlay: dict[Path, str] | None = None) -> Result:
        """Compile the file with `text` as its content (None: as on disk) and `overlay` for other files.
        Raises what `compile_file` raises; the next update then compiles afresh (the previous compilation may
        have been partly re-used), and `clean` stays."""
        reader = _Reader(self)
        try:
            result = compile_with(reader, self.path, text=text, overlay=overlay, root=self.root,
                                  settings=self.settings)
        except BaseException:
            self.result, self._builds, self._readings = None, BuildCache(), {}
            raise
        self.result = result
        # the deadlines read for this compilation, and while the text is broken those of the clean one (its
        # statements are replayed by the first clean compilation after the errors)
        if not result.files[0].document.errors:
            self.clean = result
            self._readings = self._clean_readings = reader.readings
        else:
            self._readings = {**self._clean_readings, **reader.readings}
        return result


class _Reader(Reader):
    """Reads the files of one update: re-parses and rebuilds from the session's previous compilation."""

    def __init__(self, session: Session) -> None:
        self.session = session
        prev, clean = session.result, session.clean
        self.previous = {f.path: (f.source.text, f.document) for f in prev.files} if prev is not None else {}
        self.held = {id(f.document) for f in clean.files} if clean is not None else set()
        self.root_broken: bool | None = None  # known once the root file is parsed (it is read first)
        self.readings: dict[int, tuple[DueItem, int | None, Deadline | None]] = {}

    def parse(self, path: Path, text: str) -> Document:
        prev = self.previous.get(path)
        if prev is None:
            return parse(text)
        old_text, old_doc = prev
        held = id(old_doc) in self.held
        if self.root_broken and held and old_text != text:
            return parse(text)  # an included file the clean compilation holds, edited while the root is broken
        return reparse(old_text, old_doc, text, keep=held)

    def build(self, path: Path, doc: Document, source: SourceFile, relpath: str) -> Fragment:
        if self.root_broken is None:
            self.root_broken = bool(doc.errors)
        return self.session._builds.build(path, doc, source, relpath, keep=self.root_broken)

    def deadline(self, due: DueItem, year: Year) -> Deadline | None:
        # a replayed statement's deadlines are the same items: read again only when the plan year changed
        got = self.session._readings.get(id(due))
        if got is None or got[0] is not due or got[1] != year.value:
            got = (due, year.value, read_due(due, year))
        self.readings[id(due)] = got
        return got[2]
