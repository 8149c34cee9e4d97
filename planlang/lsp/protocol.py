"""The language server's side of the wire, where pygls 2.x leaves gaps: how documents take edits, how frames are
read, and what is answered outside the normal life of a session.

- Documents: the LSP counts lines at LF, CRLF and a lone CR only. pygls splits with `str.splitlines`, which also
  breaks at U+2028, U+2029, U+0085, VT, FF and U+001C–U+001E, so the server's copy of a buffer holding one of
  them drifted from the editor's at the first incremental edit. `PlanDocument` applies edits through
  `planlang.source.SourceFile`, the one place positions are converted (a character past a line's end means its
  end; a line past the last means the end of the text).
- Frames: a header block without a usable Content-Length (missing, negative, not a number, absurdly large) is
  skipped, and reading resumes at the next `Content-Length:` header — pygls' reader stayed out of step for good.
- Messages: a body that is not JSON gets a parse error (−32700); a request whose parameters do not fit its
  method gets −32602; a request before `initialize` gets −32002, after `shutdown` −32600; notifications then
  are dropped (but `exit`). `exit` ends the process with 0 after `shutdown`, 1 without.
- `didChange` for a document that was never opened is logged and ignored.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import threading

from lsprotocol import types
from pygls.exceptions import (JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcParseError,
                              JsonRpcServerNotInitialized)
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.workspace import TextDocument, Workspace

from planlang.source import SourceFile, split_lines

log = logging.getLogger("planlang.lsp")

# The largest frame read. A plan of 100k lines is a few MB; a header announcing more than this is treated as
# broken (its frame is skipped) rather than read into memory.
MAX_FRAME = 256 * 1024 * 1024

_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\S*)[ \t]*", re.IGNORECASE)
_HEADER_AT = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)


def _encoding(codec) -> str:
    from planlang.lsp.convert import encoding_name

    enc = encoding_name(getattr(codec, "encoding", None)).lower()
    return enc if enc in ("utf-8", "utf-16", "utf-32") else "utf-16"


class PlanDocument(TextDocument):
    """A text document whose lines and positions are the LSP's (LF, CRLF, CR)."""

    @property
    def lines(self):
        return tuple(split_lines(self.source))

    def _offset(self, src: SourceFile, pos: types.Position) -> int:
        return src.offset_from_lsp(max(0, pos.line), max(0, pos.character), _encoding(self.position_codec))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        text = self.source
        src = SourceFile("", text)
        start, end = self._offset(src, change.range.start), self._offset(src, change.range.end)
        if end < start:
            start, end = end, start
        self._source = text[:start] + change.text + text[end:]

    def offset_at_position(self, client_position: types.Position) -> int:
        return self._offset(SourceFile("", self.source), client_position)


class PlanWorkspace(Workspace):
    """pygls' workspace with `PlanDocument`s; an edit to a document that is not open is ignored."""

    def _create_text_document(self, doc_uri, source=None, version=None, language_id=None) -> TextDocument:
        return PlanDocument(doc_uri, source=source, version=version, language_id=language_id,
                            sync_kind=self._sync_kind, position_codec=self._position_codec)

    def is_open(self, uri: str) -> bool:
        from urllib.parse import unquote

        return unquote(uri) in self._text_documents

    def update_text_document(self, text_doc, change) -> None:
        if not self.is_open(text_doc.uri):
            log.warning("didChange for %s, which is not open: ignored", text_doc.uri)
            return
        super().update_text_document(text_doc, change)


class PlanProtocol(LanguageServerProtocol):
    """pygls' protocol with the session rules of the LSP enforced."""

    def __init__(self, server, converter):
        super().__init__(server, converter)
        self.initialized = False
        self.exit_code: int | None = None

    # -- session life -------------------------------------------------------------------------------------

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        gen = LanguageServerProtocol.lsp_initialize(self, params)
        step = next(gen)  # pygls made its Workspace; documents must be PlanDocuments before any arrives
        ws = self._workspace
        self._workspace = PlanWorkspace(ws.root_uri, ws._sync_kind, list(ws.folders.values()),
                                        ws.position_encoding)
        try:
            while True:
                value = yield step
                step = gen.send(value)
        except StopIteration as done:
            self.initialized = True
            return done.value

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args):
        self.exit_code = 0 if self._shutdown else 1
        yield from LanguageServerProtocol.lsp_exit(self, *args)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        if not self.workspace.is_open(params.text_document.uri):
            log.warning("didChange for %s, which is not open: ignored", params.text_document.uri)
            return
        yield from LanguageServerProtocol.lsp_text_document__did_change(self, params)

    def handle_message(self, message) -> None:
        method = getattr(message, "method", None)
        is_request = method is not None and getattr(message, "id", None) is not None
        if method == types.EXIT:
            return super().handle_message(message)
        if self._shutdown and method is not None:
            if is_request:
                self._send_response(message.id, None, JsonRpcInvalidRequest(
                    "the server is shutting down: only 'exit' is accepted").to_response_error())
            return
        if not self.initialized and method is not None and method != types.INITIALIZE:
            if is_request:
                self._send_response(message.id, None, JsonRpcServerNotInitialized(
                    "the server is not initialized: send 'initialize' first").to_response_error())
            return
        return super().handle_message(message)

    # -- frames -------------------------------------------------------------------------------------------

    def receive(self, body: bytes) -> None:
        """One frame's body: decode, check, hand on. Nothing here raises."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            self._send_response(None, None, JsonRpcParseError("the message is not JSON").to_response_error())
            return
        if not isinstance(data, dict):
            self._send_response(None, None, JsonRpcInvalidRequest("a message is a JSON object").to_response_error())
            return
        msg_id = data.get("id") if isinstance(data.get("id"), (int, str)) else None
        try:
            message = self.structure_message(data)
        except JsonRpcException as exc:
            if msg_id is not None and "method" in data:
                error = exc if isinstance(exc, JsonRpcInvalidParams) else JsonRpcInvalidParams()
                error.message = f"invalid parameters for '{data.get('method')}'"
                self._send_response(msg_id, None, error.to_response_error())
            else:
                log.warning("dropped a message that does not fit its method %r", data.get("method"))
            return
        if not hasattr(message, "jsonrpc"):  # no "jsonrpc" member: pygls returns the raw dict
            if msg_id is not None:
                self._send_response(msg_id, None, JsonRpcInvalidRequest("not a JSON-RPC 2.0 message")
                                    .to_response_error())
            return
        try:
            self.handle_message(message)
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception:  # noqa: BLE001 — one message never ends the session
            log.exception("failed to handle a message")


def _content_length(headers: list[bytes]) -> int | None:
    """The frame's body length, or None when the headers give no usable one."""
    value = None
    for h in headers:
        m = _CONTENT_LENGTH.fullmatch(h.rstrip(b"\r\n"))
        if m:
            value = m.group(1)
    if value is None or not value.isdigit() or len(value) > 12:
        return None
    n = int(value)
    return n if 0 < n <= MAX_FRAME else None


async def read_frames(stop: threading.Event, reader, protocol: PlanProtocol) -> None:
    """Read frames until the input ends or `stop` is set; a broken frame is skipped to the next header."""
    headers: list[bytes] = []
    while not stop.is_set():
        line = await reader.readline()
        if not line:
            break
        if not headers:
            # between frames only a Content-Length header may start one; anything before it (the body of a
            # broken frame, stray bytes) is skipped, up to a header that may follow on the same line
            m = _HEADER_AT.search(line)
            if m is None:
                continue
            if m.start() > 0:
                log.warning("skipped %d bytes before a frame header", m.start())
                line = line[m.start():]
        if line.strip():
            headers.append(line)
            if len(headers) > 32:  # no real header block is this long
                log.warning("a header block without end: skipped")
                headers = []
            continue
        length = _content_length(headers)
        if length is None:
            log.warning("a frame without a usable Content-Length (%r): skipped", b"".join(headers)[:200])
            headers = []
            continue
        headers = []
        body = await reader.readexactly(length)
        if len(body) < length:
            break
        protocol.receive(body)


def serve(server, stdin=None, stdout=None) -> int:
    """Serve on stdio until `exit` or the end of input; the process's exit code."""
    from pygls.io_ import StdinAsyncReader, StdoutWriter

    stop = server._stop_event = threading.Event()
    reader = StdinAsyncReader(stdin or sys.stdin.buffer, server.thread_pool)
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    try:
        asyncio.run(read_frames(stop, reader, server.protocol))
    except BrokenPipeError:
        log.error("the connection to the client is lost")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
    code = server.protocol.exit_code
    return 0 if code is None else code
