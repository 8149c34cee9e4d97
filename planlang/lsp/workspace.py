"""The workspace index: where each unit, goal, task and mechanism of every plan in the workspace folders is
declared and used, for workspace symbols, references and rename across files that are not open.

On `initialized` a background thread finds the folders' `*.plan` files and compiles each (the one pipeline,
without the checks), keeping of each compilation only names and ranges: every declaration in the file (with
the name the outline shows) and every reference written in it, each to a key (kind, id, file that declares
it), with its range in the client's position encoding. The compilation itself is dropped, so memory grows with
the number of names, not with the plans. Files it includes (a shared registry) are parsed and built once and
replayed into the next file's compilation, as an editor session replays unchanged statements.

The index follows file events (created, changed, deleted: the file and every file that read it are indexed
again) and the open documents: an open document's entry comes from its own latest compilation (the editor's
text wins over the disk), taken when a request needs it; when it is closed, the disk's text is indexed again.
Requests are answered while the scan runs, from what it has indexed so far.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import traceback
from array import array
from dataclasses import dataclass
from pathlib import Path

from planlang.lsp.convert import resolved
from planlang.model.build import build
from planlang.model.incremental import BuildCache
from planlang.model.nodes import Goal, Mechanism, Task, Unit
from planlang.model.symbols import DueItem, Fragment, walk_goals
from planlang.pipeline import Reader, Result, compile_with
from planlang.source import SourceFile, Span
from planlang.syntax import Document, parse
from planlang.syntax.incremental import reparse

log = logging.getLogger("planlang.lsp")

KINDS = ("unit", "goal", "task", "mechanism")
_KIND_OF = {Unit: 0, Goal: 1, Task: 2, Mechanism: 3}
_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages"}
MAX_FILES = 20_000  # a client rooted in a home folder must not make the server index a disk

# flags of a use
USE_REF = 1  # a reference (else a declaration of the name: its definition or an alias)
USE_EXACT = 2  # written as the id itself (not an alias or a title): rename rewrites it


@dataclass(slots=True)
class Entry:
    """What the index keeps of one file."""

    decls: array  # per declaration: key (-1: a task without an id of its own), kind, range (4 numbers)
    names: str  # per declaration, the name the outline shows, each followed by a line end
    uses: array  # per use: key, flags, range (4 numbers)
    used: array  # the keys of `uses` alone (looked through in C before the uses are read)
    reads: tuple[Path, ...]  # the other files its compilation read
    stamp: tuple | None  # (mtime_ns, size) of the file as indexed from disk; None: from the editor


class WorkspaceIndex:
    """Names and ranges of every plan in the workspace, built and kept current in a background thread."""

    def __init__(self, enc: str = "utf-16") -> None:
        self.enc = enc
        self.entries: dict[Path, Entry] = {}
        self.editor: dict[Path, tuple[str, int | None]] = {}  # open documents: uri and the version indexed
        self.overlay: dict[Path, str] = {}  # the open documents' texts, for the files that read them
        self._keys: dict[tuple[int, str, str], int] = {}
        self._key_list: list[tuple[int, str, str]] = []
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: dict[Path, None] = {}  # files to index from disk, in order, each once
        self._thread: threading.Thread | None = None
        self._stop = False
        self.scanned = threading.Event()  # the first scan of the folders is indexed
        self.on_scanned = None  # called from the thread with (files indexed, seconds) when the first scan ends
        self._quiet_from = 0.0  # (monotonic) the thread starts no file before: the user is typing
        self._reader = _SharedReader()

    # -- the background thread ----------------------------------------------------------------------------------

    def start(self, folders: list[Path]) -> None:
        """Scan the folders and index their plans in a background thread."""
        if self._thread is not None:
            return
        self.hold(1.0)  # a client opens its first documents right after `initialized`: they go first
        self._thread = threading.Thread(target=self._run, args=(list(folders),), name="planlang-index",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify()

    def _run(self, folders: list[Path]) -> None:
        began = time.perf_counter()
        try:
            found = []
            for folder in folders:
                found.extend(plan_files(folder))
            self.enqueue(found[:MAX_FILES])
            if len(found) > MAX_FILES:
                log.warning("the workspace holds %d plans: only the first %d are indexed", len(found), MAX_FILES)
        except Exception:  # noqa: BLE001 — an unreadable folder leaves the index smaller, not the server down
            log.error("workspace scan failed:\n%s", traceback.format_exc())
        while True:
            with self._wake:
                while not self._queue and not self._stop:
                    if not self.scanned.is_set():
                        self.scanned.set()
                        if self.on_scanned is not None:
                            self.on_scanned(len(self.entries), time.perf_counter() - began)
                    self._wake.wait()
                if self._stop:
                    return
                path = next(iter(self._queue))
                del self._queue[path]
            while (left := self._quiet_from - time.monotonic()) > 0 and not self._stop:
                time.sleep(min(left, 0.1))
            try:
                self._index_disk(path)
            except Exception:  # noqa: BLE001
                log.error("indexing %s failed:\n%s", path, traceback.format_exc())

    def hold(self, seconds: float = 0.5) -> None:
        """The editor is busy (a document opened or changed): start no file for a moment, so that the compilation
        the user waits for has the interpreter to itself."""
        self._quiet_from = time.monotonic() + seconds

    def enqueue(self, paths) -> None:
        """Index these files again from disk (in the background)."""
        with self._wake:
            for p in paths:
                self._queue[resolved(p)] = None
            self._wake.notify()

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    # -- keeping entries ----------------------------------------------------------------------------------------

    def changed(self, path: Path, deleted: bool = False) -> None:
        """A file was created, changed or deleted on disk: it and every file that read it are indexed again."""
        p = resolved(path)
        if deleted:
            self.entries.pop(p, None)
        self.enqueue([p, *self.readers_of(p)])

    def readers_of(self, path: Path) -> list[Path]:
        """The indexed files whose compilation read `path`."""
        p = resolved(path)
        return [q for q, e in list(self.entries.items()) if p in e.reads]

    def opened(self, path: Path, uri: str) -> None:
        self.editor[resolved(path)] = (uri, None)

    def closed(self, path: Path) -> None:
        """An open document was closed: the disk's text is indexed again (unless it is the text its entry was
        taken from: a document closed as saved keeps its entry)."""
        p = resolved(path)
        self.editor.pop(p, None)
        taken = self.overlay.get(p)
        self.overlay = {q: t for q, t in self.overlay.items() if q != p}
        entry = self.entries.get(p)
        try:
            if entry is not None and taken is not None and p.read_text(encoding="utf-8") == taken:
                st = p.stat()
                entry.stamp = (st.st_mtime_ns, st.st_size)
                return
        except (OSError, ValueError):
            pass
        self.hold(1.0)  # a document closed is often opened again at once (a reload): then there is nothing to do
        self.enqueue([p])

    def take(self, path: Path, result: Result, version: int | None, text: str) -> None:
        """An open document's latest compilation, indexed as its entry (its spans are read now: the next edit
        moves them)."""
        p = resolved(path)
        uri = self.editor.get(p, (None, None))[0]
        self.entries[p] = self._entry(result, p, None)
        self.editor[p] = (uri, version)
        if self.overlay.get(p) != text:
            self.overlay = {**self.overlay, p: text}

    def _index_disk(self, path: Path) -> None:
        if path in self.editor:
            return  # an open document: its entry comes from the editor's text
        try:
            st = path.stat()
        except OSError:
            self.entries.pop(path, None)
            return
        stamp = (st.st_mtime_ns, st.st_size)
        old = self.entries.get(path)
        if old is not None and old.stamp == stamp and not any(q in self.overlay for q in old.reads):
            return
        try:
            result = compile_with(self._reader, path, overlay=self.overlay, checks=False)
        finally:
            self._reader._root = True
        self._reader.done(result)
        if path not in self.editor:
            self.entries[path] = self._entry(result, path, stamp)

    def _key(self, kind: int, name: str, decl: str) -> int:
        t = (kind, name, decl)
        k = self._keys.get(t)
        if k is None:
            with self._lock:
                k = self._keys.get(t)
                if k is None:
                    k = self._keys[t] = len(self._key_list)
                    self._key_list.append(t)
        return k

    def key_of(self, node: object, decl: Span | None) -> int | None:
        """The key of a node declared at `decl` (None for a node of another kind)."""
        kind = _KIND_OF.get(type(node))
        if kind is None or decl is None:
            return None
        return self._key(kind, node.id, str(resolved(decl.file.path)))

    def _entry(self, result: Result, path: Path, stamp: tuple | None) -> Entry:
        sym = result.symbols
        enc = self.enc
        decls, names, uses = array("i"), [], array("i")

        def mine(span: Span) -> bool:
            return resolved(span.file.path) == path

        def rng(span: Span) -> tuple[int, int, int, int]:
            a, b = span.file.lsp_position(span.start, enc), span.file.lsp_position(span.end, enc)
            return a[0], a[1], b[0], b[1]

        m = result.model
        for node in (*m.units, *walk_goals(m.goals), *(t for t, _ in sym.task_list), *m.mechanisms):
            span = sym.spans.get(id(node))
            if span is None or not mine(span):
                continue
            own = not isinstance(node, Task) or node.__pydantic_private__["_explicit_id"]
            decls.extend((self.key_of(node, span) if own else -1, _KIND_OF[type(node)], *rng(span)))
            names.append(f"{node.number}{node.title}" if isinstance(node, Task) else
                         (getattr(node, "title", "") or node.id))
        for d in sym.defs:
            if d.kind not in ("unit", "alias", "goal", "task", "mechanism") or not mine(d.span):
                continue
            key = self.key_of(d.node, sym.spans.get(id(d.node)))
            if key is not None:
                uses.extend((key, USE_EXACT if d.name == d.node.id else 0, *rng(d.span)))
        for r in sym.refs:
            if r.target is None or not mine(r.ref.span):
                continue
            key = self.key_of(r.target, sym.spans.get(id(r.target)))
            if key is not None:
                uses.extend((key, USE_REF | (USE_EXACT if r.ref.name == r.target.id else 0), *rng(r.ref.span)))
        reads = tuple(resolved(f.path) for f in result.files if resolved(f.path) != path)
        text = "".join(n.replace("\n", " ") + "\n" for n in names)
        return Entry(decls, text, uses, array("i", uses[0::6]), reads, stamp)

    # -- questions ----------------------------------------------------------------------------------------------

    def uses(self, key: int, *, refs: bool = True, decls: bool = False, exact: bool = False,
             skip: set[Path] = frozenset()) -> list[tuple[Path, tuple[int, int, int, int]]]:
        """Where a key is used, in the indexed files not in `skip`: references, and with `decls` the names its
        declarations write (its definition and aliases); with `exact`, only where the id itself is written."""
        out = []
        for path, e in list(self.entries.items()):
            if path in skip or key not in e.used:
                continue
            u = e.uses
            for i in range(0, len(u), 6):
                if u[i] != key:
                    continue
                flags = u[i + 1]
                if (flags & USE_REF and not refs) or (not flags & USE_REF and not decls):
                    continue
                if exact and not flags & USE_EXACT:
                    continue
                out.append((path, (u[i + 2], u[i + 3], u[i + 4], u[i + 5])))
        return out

    def declaration(self, key: int) -> tuple[Path, tuple[int, int, int, int]] | None:
        """Where the node of a key is declared (its header), if indexed."""
        decl = Path(self._key_list[key][2])
        e = self.entries.get(decl)
        if e is None:
            return None
        d = e.decls
        for i in range(0, len(d), 6):
            if d[i] == key:
                return decl, (d[i + 2], d[i + 3], d[i + 4], d[i + 5])
        return None

    def declared(self, kind: str, name: str, paths) -> bool:
        """True when a node of `kind` named `name` is declared in any of `paths` or in what they read."""
        kind_no = KINDS.index(kind)
        around = set()
        for p in paths:
            around.add(p)
            e = self.entries.get(p)
            if e is not None:
                around.update(e.reads)
        return any((kind_no, name, str(p)) in self._keys and self.declaration(self._keys[(kind_no, name, str(p))])
                   for p in around)

    def symbols(self, query: str, skip: set[Path] = frozenset(), limit: int = 1000):
        """(name, kind, path, range) of the declarations whose name or id holds `query`, at most `limit`."""
        out = []
        for path, e in list(self.entries.items()):
            if path in skip:
                continue
            if query and query not in e.names and not any(
                    query in self._key_list[k][1] for k in e.decls[0::6] if k >= 0):
                continue
            d = e.decls
            for n, name in enumerate(e.names.split("\n")[:-1]):
                i = n * 6
                if query and query not in name and (d[i] < 0 or query not in self._key_list[d[i]][1]):
                    continue
                out.append((name, KINDS[d[i + 1]], path, (d[i + 2], d[i + 3], d[i + 4], d[i + 5])))
                if len(out) >= limit:
                    return out
        return out

    def sync(self, docs, skip: set[Path] = frozenset()) -> None:
        """Take the open documents' latest compilations that are not indexed yet (`docs`: the store's states),
        but for the files in `skip` (a question answers for those from a compilation of its own)."""
        for st in docs:
            p = resolved(st.path)
            if p in skip or st.result is None or self.editor.get(p, (None, None))[1] == st.version and p in self.entries:
                continue
            src = next((f.source for f in st.result.files if resolved(f.path) == p), None)
            if src is not None:
                self.take(p, st.result, st.version, src.text)


class _SharedReader(Reader):
    """Reads for the index: an included file (a registry that many plans read) is parsed and built once, and
    what it built is replayed into the next compilation that reads it; a file read only as a root is not kept."""

    def __init__(self) -> None:
        self.builds = BuildCache()
        self.docs: dict[Path, tuple[str, Document]] = {}
        self.included: set[Path] = set()
        self._root = True  # the next file built is a compilation's root (the root is built first)

    def parse(self, path: Path, text: str) -> Document:
        old = self.docs.get(path)
        doc = reparse(old[0], old[1], text) if old is not None else parse(text)
        self.docs[path] = (text, doc)
        return doc

    def build(self, path: Path, doc: Document, source: SourceFile, relpath: str) -> Fragment:
        root, self._root = self._root, False
        if root and path not in self.included:
            return build(doc, source, relpath)  # nothing to keep: a plain build costs less
        return self.builds.build(path, doc, source, relpath)

    def deadline(self, due: DueItem, year):
        return None  # the index needs names, not dates

    def done(self, result: Result) -> None:
        """After a compilation: keep what the files it included built, forget its root's."""
        self._root = True
        self.included.update(f.path for f in result.files[1:])
        root = result.files[0].path
        if root not in self.included:
            self.docs.pop(root, None)
            self.builds.files.pop(root, None)
            self.builds.rough.pop(root, None)
            self.builds.reused.pop(root, None)


def plan_files(folder: Path):
    """The `*.plan` files under a folder, hidden folders and tool folders left out."""
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for f in sorted(files):
            if f.endswith(".plan"):
                yield Path(top) / f


# -- answers for the language server's handlers ----------------------------------------------------------------

def _location(path: Path, r: tuple[int, int, int, int]):
    from lsprotocol import types

    return types.Location(uri=path.as_uri(), range=types.Range(start=types.Position(line=r[0], character=r[1]),
                                                               end=types.Position(line=r[2], character=r[3])))


def references_elsewhere(ls, covered, node, decl: Span | None, include_declaration: bool) -> list:
    """Locations of a node's references in the indexed files its compilation did not read (`covered`)."""
    idx: WorkspaceIndex = ls.workspace_index
    skip = {resolved(p) for p in covered}
    idx.sync(ls.store.docs.values(), skip)
    key = idx.key_of(node, decl)
    if key is None:
        return []
    out = [_location(p, r) for p, r in idx.uses(key, skip=skip)]
    if include_declaration:
        d = idx.declaration(key)
        if d is not None and d[0] not in skip:
            out.insert(0, _location(*d))
    return out


def rename_elsewhere(ls, covered, node, decl: Span | None, new: str) -> dict | str:
    """The edits renaming a node in the indexed files the open compilations did not read (`covered`), by uri;
    or a message why not (the new name is taken where the node is used)."""
    from lsprotocol import types

    idx: WorkspaceIndex = ls.workspace_index
    skip = {resolved(p) for p in covered}
    idx.sync(ls.store.docs.values(), skip)
    key = idx.key_of(node, decl)
    if key is None:
        return {}
    found = idx.uses(key, refs=True, decls=True, exact=True, skip=skip)
    if found and idx.declared(KINDS[_KIND_OF[type(node)]], new, {p for p, _ in found}):
        return f"“{new}”已存在 / '{new}' already exists"
    changes: dict[str, list] = {}
    for p, r in found:
        loc = _location(p, r)
        changes.setdefault(loc.uri, []).append(types.TextEdit(range=loc.range, new_text=new))
    return changes


def symbols_elsewhere(ls, covered, query: str) -> list:
    """Workspace symbols of the indexed files the open compilations did not read (`covered`)."""
    from lsprotocol import types

    from planlang.lsp.kinds import BY_NAME

    idx: WorkspaceIndex = ls.workspace_index
    skip = {resolved(p) for p in covered}
    return [types.WorkspaceSymbol(name=name, kind=BY_NAME[kind].symbol, location=_location(p, r))
            for name, kind, p, r in idx.symbols(query, skip)]


def start(ls) -> None:
    """Start indexing the client's workspace folders (at `initialized`); say in the client's log when the first
    scan is done."""
    import asyncio

    from lsprotocol import types

    idx: WorkspaceIndex = ls.workspace_index
    idx.enc = ls.enc
    loop = asyncio.get_event_loop()

    def scanned(files: int, seconds: float) -> None:
        loop.call_soon_threadsafe(ls.window_log_message, types.LogMessageParams(
            type=types.MessageType.Info, message=f"planlang: indexed {files} plans in {seconds:.1f} s"))

    idx.on_scanned = scanned
    idx.start(workspace_folders(ls))


def workspace_folders(ls) -> list[Path]:
    """The client's workspace folders (its root when it names none)."""
    from planlang.lsp.store import uri_to_path

    folders = [uri_to_path(f.uri) for f in ls.workspace.folders.values()]
    if not folders and ls.workspace.root_path:
        folders = [Path(ls.workspace.root_path)]
    return folders
