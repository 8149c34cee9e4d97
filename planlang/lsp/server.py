"""The planlang language server: handler registration only. Features live in `hover`, `completion`, `symbols`
(navigation, outline, folding, rename), `tokens`, `hints`, `actions` and `format_bridge`, document state in
`store`; every handler is guarded so one failure never takes the server down."""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from planlang import __version__
from planlang.lsp import actions, completion as completion_, format_bridge, hints, hover as hover_, symbols, tokens
from planlang.lsp.convert import DiagnosticConverter, encoding_name, resolved
from planlang.lsp.index import Index
from planlang.lsp.protocol import PlanProtocol, serve
from planlang.lsp import workspace
from planlang.lsp.store import DocState, Store, path_to_uri, uri_to_path
from planlang.lsp.view import View, source_of
from planlang.lsp.workspace import WorkspaceIndex
from planlang.source import SourceFile

log = logging.getLogger("planlang.lsp")


class PlanServer(LanguageServer):
    """pygls server with planlang's document store."""

    def __init__(self) -> None:
        super().__init__("planlang", __version__, protocol_cls=PlanProtocol)
        self.store = Store()
        self.pending: dict[str, asyncio.Task] = {}
        self.debounce = 0.025
        self.lang = "zh"
        self.keyword_lang: str | None = None  # zh / en from the client's settings; None: the document's own
        self._index: dict[int, Index] = {}
        self.converters: dict[str, DiagnosticConverter] = {}  # per document: LSP diagnostics re-used
        self.last_change: dict[str, float] = {}  # per document: event-loop time of the latest change
        self.pull = False  # the client pulls diagnostics (decided at initialize): then nothing is pushed
        self.workspace_index = WorkspaceIndex()  # names and ranges of every plan in the workspace folders

    @property
    def enc(self) -> str:
        return encoding_name(self.workspace.position_encoding)

    def index(self, result) -> Index:
        idx = self._index.get(id(result))
        if idx is None or idx.result is not result:
            if len(self._index) > 64:
                self._index.clear()
            idx = self._index[id(result)] = Index(result)
        return idx

    def texts(self) -> dict[str, str]:
        out = {}
        for uri in self.store.docs:
            try:
                out[uri] = self.workspace.get_text_document(uri).source
            except Exception:  # noqa: BLE001 — a document the workspace no longer has
                continue
        return out

    def state(self, uri: str) -> DocState | None:
        """The document's state, compiled now if it has not been yet."""
        st = self.store.docs.get(uri)
        if st is None:
            return None
        if st.result is None:
            self.check(uri, publish=False)
        return st

    def fresh(self, uri: str) -> DocState | None:
        """The document's state compiled from the editor's current text (compiled now when the latest
        compilation is of an older version or a check is still waiting for a typing burst to end)."""
        st = self.store.docs.get(uri)
        if st is None:
            return None
        try:
            version = self.workspace.get_text_document(uri).version
        except Exception:  # noqa: BLE001 — a document the workspace no longer has
            return None
        if st.result is None or st.version != version or uri in self.pending:
            waiting = self.pending.pop(uri, None)
            if waiting is not None:
                waiting.cancel()  # this compilation is the one the typing burst was waiting for
            st = self.check(uri)
            if waiting is not None and st is not None:
                self.recheck_dependents(st.path)
        return st

    def current_source(self, st: DocState) -> SourceFile | None:
        """The editor's text of a document (the compilation's own SourceFile when they are equal)."""
        try:
            text = self.workspace.get_text_document(st.uri).source
        except Exception:  # noqa: BLE001 — a document the workspace no longer has
            return None
        if st.result is not None:
            src = source_of(st.result, st.path)
            if src is not None and src.text == text:
                return src
        return SourceFile(str(st.path), text)

    def views(self, st: DocState, good: bool = True) -> list[View]:
        """Views of the document's compilations to answer from, best first: while the latest has syntax errors,
        the last one without them (then the latest, for the region being typed)."""
        current = self.current_source(st)
        if current is None or st.result is None:
            return []
        results = [st.result]
        if good and st.good is not None and st.good is not st.result and _has_syntax_errors(st):
            results.insert(0, st.good)
        out = []
        for result in results:
            src = source_of(result, st.path)
            if src is not None:
                out.append(View.of(result, self.index(result), st.path, src, current, self.enc))
        return out

    def check(self, uri: str, publish: bool = True) -> DocState | None:
        texts = self.texts()
        if uri not in texts:
            return None
        doc = self.workspace.get_text_document(uri)
        st = self.store.compile(uri, texts[uri], doc.version, texts)
        if publish:
            self.publish(st)
        return st

    def lsp_diagnostics(self, st: DocState) -> list[types.Diagnostic]:
        if st.result is None:
            return []
        mine = resolved(st.path)
        converter = self.converters.setdefault(st.uri, DiagnosticConverter())
        return converter.convert([d for d in st.result.diagnostics if resolved(d.span.file.path) == mine],
                                 self.enc, path_to_uri, self.lang)

    def publish(self, st: DocState) -> None:
        """Push a document's diagnostics — only to a client that does not pull them (never both: a client that
        pulls and also shows pushed diagnostics lists every one twice)."""
        if self.pull:
            return
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=st.uri, version=st.version, diagnostics=self.lsp_diagnostics(st)))

    def recheck_dependents(self, path: Path) -> None:
        deps = self.store.dependents(path)
        for dep in deps:
            self.check(dep.uri)
        if deps:
            self.refresh()

    def refresh(self) -> None:
        """A pulling client is asked to pull again (other documents' diagnostics changed), when it can be."""
        if self.pull and features_get(self, "workspace.diagnostics.refresh_support"):
            self.workspace_diagnostic_refresh(None)

    def schedule(self, uri: str) -> None:
        """Debounced check: typing bursts produce one compilation. The first change after a pause is checked
        at once; a change that follows another within the debounce interval waits for the burst to end."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        now = asyncio.get_event_loop().time()
        burst = old is not None or now - self.last_change.get(uri, float("-inf")) < self.debounce
        self.last_change[uri] = now
        delay = self.debounce if burst else 0

        async def later() -> None:
            await asyncio.sleep(delay)
            self.pending.pop(uri, None)
            try:
                st = self.check(uri)
                if st is not None:
                    self.recheck_dependents(st.path)
            except Exception:  # noqa: BLE001
                log.error("check failed for %s:\n%s", uri, traceback.format_exc())

        self.pending[uri] = asyncio.ensure_future(later())


server = PlanServer()


def guarded(default=None):
    """Log a handler's exception and answer with `default` instead of failing the request."""
    def wrap(fn):
        @functools.wraps(fn)
        def inner(ls: PlanServer, params):
            try:
                return fn(ls, params)
            except JsonRpcException:
                raise  # a deliberate error answer (e.g. a refused rename)
            except Exception:  # noqa: BLE001 — never let one feature take the server down
                log.error("%s failed:\n%s", fn.__name__, traceback.format_exc())
                try:
                    ls.window_log_message(types.LogMessageParams(type=types.MessageType.Error,
                                                                 message=f"planlang: {fn.__name__} failed"))
                except Exception:  # noqa: BLE001
                    pass
                return default() if callable(default) else default
        return inner
    return wrap


def _has_syntax_errors(st: DocState) -> bool:
    return server.index(st.result).has_syntax_errors(st.path)


# -- lifecycle and synchronization -----------------------------------------------------------------------------

@server.feature(types.INITIALIZE)
@guarded()
def initialize(ls: PlanServer, params: types.InitializeParams):
    opts = params.initialization_options or {}
    if isinstance(opts, dict) and opts.get("lang") in ("zh", "en"):
        ls.lang = opts["lang"]
    if isinstance(opts, dict) and opts.get("keywordLanguage") in ("zh", "en"):
        ls.keyword_lang = opts["keywordLanguage"]
    if isinstance(opts, dict) and isinstance(opts.get("debounce"), (int, float)):
        ls.debounce = max(0.0, float(opts["debounce"]) / 1000)
    # Diagnostics are pulled by a client that declares it can pull, pushed to every other: the pull feature
    # is registered (and so advertised) only here, before pygls computes the server's capabilities.
    ls.pull = features_get(ls, "text_document.diagnostic") is not None
    if ls.pull and types.TEXT_DOCUMENT_DIAGNOSTIC not in ls.protocol.fm.features:
        ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                   types.DiagnosticOptions(identifier="planlang", inter_file_dependencies=True,
                                           workspace_diagnostics=False))(pull_diagnostics)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded()
def did_open(ls: PlanServer, params: types.DidOpenTextDocumentParams):
    ls.workspace_index.hold()
    ls.workspace_index.opened(ls.store.open(params.text_document.uri).path, params.text_document.uri)
    st = ls.check(params.text_document.uri)
    if st is not None:
        ls.recheck_dependents(st.path)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded()
def did_change(ls: PlanServer, params: types.DidChangeTextDocumentParams):
    ls.workspace_index.hold()
    ls.store.open(params.text_document.uri)
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@guarded()
def did_save(ls: PlanServer, params: types.DidSaveTextDocumentParams):
    st = ls.store.docs.get(params.text_document.uri)
    if st is not None:
        ls.recheck_dependents(st.path)
        ls.workspace_index.enqueue(ls.workspace_index.readers_of(st.path))
        if st.path.parent.name == "进展":  # a progress file: the plan's hover and inlay hints show its states
            _refresh_hints(ls)


def _refresh_hints(ls: PlanServer) -> None:
    """Ask the client to request inlay hints again (progress files changed), when it can be asked."""
    if features_get(ls, "workspace.inlay_hint.refresh_support"):
        ls.workspace_inlay_hint_refresh(None)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded()
def did_close(ls: PlanServer, params: types.DidCloseTextDocumentParams):
    uri = params.text_document.uri
    st = ls.store.docs.get(uri)
    ls.store.close(uri)
    ls.converters.pop(uri, None)
    if not ls.pull:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    if st is not None:
        ls.recheck_dependents(st.path)
        ls.workspace_index.closed(st.path)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded()
def watched_files(ls: PlanServer, params: types.DidChangeWatchedFilesParams):
    """A registry changed on disk: re-check every open document (cheap, and includes may have moved)."""
    for change in params.changes:
        ls.workspace_index.changed(uri_to_path(change.uri), deleted=change.type == types.FileChangeType.Deleted)
    for uri in list(ls.store.docs):
        ls.check(uri)
    ls.refresh()
    _refresh_hints(ls)  # a progress file may have changed: tasks' latest states


@server.feature(types.INITIALIZED)
@guarded()
def initialized(ls: PlanServer, params: types.InitializedParams):
    workspace.start(ls)
    dynamic = features_get(ls, "workspace.did_change_watched_files.dynamic_registration")
    if dynamic:
        ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="planlang-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern="**/*.plan")]))]))


def features_get(ls: PlanServer, dotted: str):
    obj = ls.client_capabilities
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


# -- diagnostics (pull; registered at initialize for a client that pulls) ----------------------------------------

@guarded(lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
def pull_diagnostics(ls: PlanServer, params: types.DocumentDiagnosticParams):
    uri = params.text_document.uri
    ls.store.open(uri)
    st = ls.fresh(uri)
    return types.RelatedFullDocumentDiagnosticReport(items=ls.lsp_diagnostics(st) if st else [])


# -- features: each handler fetches what the request names and delegates ---------------------------------------

@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded()
def hover(ls: PlanServer, params: types.HoverParams):
    return hover_.hover(ls, params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@guarded()
def definition(ls: PlanServer, params: types.DefinitionParams):
    return symbols.definition(ls, params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@guarded(list)
def references(ls: PlanServer, params: types.ReferenceParams):
    return symbols.references(ls, params.text_document.uri, params.position, params.context.include_declaration)


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
@guarded()
def prepare_rename(ls: PlanServer, params: types.PrepareRenameParams):
    return symbols.prepare_rename(ls, params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
@guarded()
def rename(ls: PlanServer, params: types.RenameParams):
    return symbols.rename(ls, params.text_document.uri, params.position, params.new_name)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@guarded(list)
def document_symbol(ls: PlanServer, params: types.DocumentSymbolParams):
    return symbols.document_symbol(ls, params.text_document.uri)


@server.feature(types.WORKSPACE_SYMBOL)
@guarded(list)
def workspace_symbol(ls: PlanServer, params: types.WorkspaceSymbolParams):
    return symbols.workspace_symbol(ls, params.query or "")


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
@guarded(list)
def folding_range(ls: PlanServer, params: types.FoldingRangeParams):
    return symbols.folding_range(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=["：", ":", "、", "，", ",", " "]))
@guarded(list)
def completion(ls: PlanServer, params: types.CompletionParams):
    return completion_.completion(ls, params.text_document.uri, params.position)


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
@guarded(list)
def formatting(ls: PlanServer, params: types.DocumentFormattingParams):
    return format_bridge.formatting(ls, params.text_document.uri, params.options)


@server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING)
@guarded(list)
def range_formatting(ls: PlanServer, params: types.DocumentRangeFormattingParams):
    return format_bridge.range_formatting(ls, params.text_document.uri, params.range, params.options)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix,
                                                           types.CodeActionKind.SourceFixAll]))
@guarded(list)
def code_action(ls: PlanServer, params: types.CodeActionParams):
    return actions.code_action(ls, params)


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, tokens.LEGEND)
@guarded(lambda: types.SemanticTokens(data=[]))
def semantic_tokens(ls: PlanServer, params: types.SemanticTokensParams):
    return tokens.full(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA, tokens.LEGEND)
@guarded(lambda: types.SemanticTokens(data=[]))
def semantic_tokens_delta(ls: PlanServer, params: types.SemanticTokensDeltaParams):
    return tokens.delta(ls, params.text_document.uri, params.previous_result_id)


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, tokens.LEGEND)
@guarded(lambda: types.SemanticTokens(data=[]))
def semantic_tokens_range(ls: PlanServer, params: types.SemanticTokensRangeParams):
    return tokens.in_range(ls, params.text_document.uri, params.range)


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
@guarded(list)
def inlay_hint(ls: PlanServer, params: types.InlayHintParams):
    return hints.inlay_hint(ls, params.text_document.uri, params.range)


def run() -> None:
    """Serve on stdio until the client exits; exit 0 after `shutdown` and `exit`, 1 when `exit` came alone."""
    logging.basicConfig(level=logging.WARNING)
    raise SystemExit(serve(server))
