"""The language server at the edges of the protocol, over a raw stdio pipe: broken frames, requests outside a
session's life, invalid parameters, the exit code; and documents whose lines only the LSP's rules split right."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies as S

TIMEOUT = 60


class Wire:
    """The server as a byte pipe: frames written as given, answers read into a queue."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "planlang", "lsp"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr: list[bytes] = []
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if not line.strip():
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def raw(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **msg}, ensure_ascii=False).encode("utf-8")
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def answer(self, msg_id) -> dict:
        """The response to request `msg_id` (notifications met on the way are dropped)."""
        while True:
            msg = self.inbox.get(timeout=TIMEOUT)
            if msg.get("id") == msg_id and "method" not in msg:
                return msg

    def notification(self, method: str, match=lambda p: True) -> dict:
        while True:
            msg = self.inbox.get(timeout=TIMEOUT)
            if msg.get("method") == method and match(msg.get("params")):
                return msg["params"]

    def initialize(self, root: Path | None, encodings: list[str] | None = None) -> None:
        caps = {"general": {"positionEncodings": encodings}} if encodings else {}
        self.send({"id": 0, "method": "initialize", "params": {
            "processId": None, "rootUri": root.as_uri() if root else None, "capabilities": caps}})
        assert "result" in self.answer(0)
        self.send({"method": "initialized", "params": {}})

    def close(self) -> int:
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def wire(tmp_path):
    (tmp_path / "planlang.toml").touch()
    w = Wire(tmp_path)
    yield w
    if w.proc.poll() is None:
        w.proc.kill()
        w.proc.wait()


def _symbols(wire: Wire, msg_id: int, uri: str) -> dict:
    wire.send({"id": msg_id, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}})
    return wire.answer(msg_id)


def _open(wire: Wire, uri: str, text: str) -> list[dict]:
    wire.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "plan", "version": 1, "text": text}}})
    return wire.notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"]


PLAN = "单位 区财政局\n任务 t1 “做好一件事” {\n  牵头：区财政局\n}\n"


@pytest.mark.parametrize("header", [
    b"",  # no Content-Length at all
    b"Content-Length: -12\r\n",
    b"Content-Length: twelve\r\n",
    b"Content-Length: 99999999999999999999\r\n",
    b"Content-Length: 999999999999\r\n",  # a number, but far more than any frame read
])
def test_a_broken_frame_is_skipped_and_the_session_goes_on(wire, tmp_path, header):
    wire.initialize(tmp_path)
    uri = (tmp_path / "a.plan").as_uri()
    _open(wire, uri, PLAN)
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "textDocument/documentSymbol",
                       "params": {"textDocument": {"uri": uri}}}).encode()
    wire.raw(header + b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + body)
    for i in range(2, 22):  # every later request is answered
        assert "result" in _symbols(wire, i, uri)
    wire.send({"id": 99, "method": "shutdown"})
    wire.answer(99)
    wire.send({"method": "exit"})
    assert wire.close() == 0


def test_session_rules_not_initialized_invalid_params_after_shutdown_and_exit_code(wire, tmp_path):
    uri = (tmp_path / "a.plan").as_uri()
    # before initialize: −32002, and notifications are dropped
    assert _symbols(wire, 1, uri)["error"]["code"] == -32002
    wire.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "plan", "version": 1, "text": PLAN}}})
    wire.initialize(tmp_path)
    # a request whose parameters do not fit its method: −32602
    wire.send({"id": 2, "method": "textDocument/hover", "params": {"textDocument": 5}})
    assert wire.answer(2)["error"]["code"] == -32602
    # not JSON at all: a parse error, and the session goes on
    wire.raw(b"Content-Length: 5\r\n\r\n{{{{{")
    assert wire.answer(None)["error"]["code"] == -32700
    # a change to a document that was never opened is ignored, and the server still answers
    wire.send({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": (tmp_path / "never.plan").as_uri(), "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                            "text": "x"}]}})
    assert _open(wire, uri, PLAN) == []
    wire.send({"id": 3, "method": "shutdown"})
    assert "result" in wire.answer(3)
    # after shutdown: −32600
    assert _symbols(wire, 4, uri)["error"]["code"] == -32600
    wire.send({"method": "exit"})
    assert wire.close() == 0
    log = b"".join(wire.stderr).decode()
    assert "never.plan, which is not open: ignored" in log and "KeyError: 'file:" not in log


def test_exit_without_shutdown_exits_1(wire, tmp_path):
    wire.initialize(tmp_path)
    wire.send({"method": "exit"})
    assert wire.close() == 1


def _edit(wire: Wire, uri: str, version: int, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
    wire.send({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": {"line": start[0], "character": start[1]},
                                      "end": {"line": end[0], "character": end[1]}}, "text": text}]}})


def _formatted(wire: Wire, msg_id: int, uri: str) -> str | None:
    wire.send({"id": msg_id, "method": "textDocument/formatting",
               "params": {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}})
    edits = wire.answer(msg_id)["result"]
    return edits[0]["newText"] if edits else None


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
def test_a_separator_the_lsp_does_not_count_never_shifts_an_edit(wire, tmp_path, sep):
    """The editor counts lines at LF, CRLF and CR only: an edit on a line after one of these characters lands
    where the editor put it."""
    wire.initialize(tmp_path)
    uri = (tmp_path / "a.plan").as_uri()
    text = f"# 说明{sep}仍是这一行\n单位 区财政局\n单位 区教育局\n任务 t1 “事” {{\n  牵头：区财政局\n}}\n"
    _open(wire, uri, text)
    # line 4 (0-based) holds "  牵头：区财政局": replace 区财政局 by 区教育局 in editor coordinates
    _edit(wire, uri, 2, (4, 5), (4, 9), "区教育局")
    diags = wire.notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"]
    assert [d for d in diags if d["code"] == "PL001"]  # the separator itself is reported ...
    assert [d["code"] for d in diags] == ["PL001"]  # ... and nothing else: the edit made no PL101
    # the server's text is the editor's: with the separator replaced by a space (another edit in editor
    # coordinates), formatting answers the formatter's layout of exactly the editor's text
    expected = text.replace("  牵头：区财政局", "  牵头：区教育局")
    line0 = f"# 说明{sep}仍是这一行"
    _edit(wire, uri, 4, (0, 0), (0, len(line0.encode("utf-16-le")) // 2), "# 说明 仍是这一行")
    wire.notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
    from planlang.syntax.format import format_text

    assert _formatted(wire, 6, uri) == format_text(expected.replace(line0, "# 说明 仍是这一行")).text


@pytest.mark.parametrize("eol", ["\r", "\r\n", "\n"])
def test_lone_cr_lines_are_lines_for_edits_and_diagnostics(wire, tmp_path, eol):
    wire.initialize(tmp_path)
    uri = (tmp_path / "a.plan").as_uri()
    text = eol.join(["单位 区财政局", "任务 t1 “事” {", "  牵头：区财政局", "}", ""])
    assert _open(wire, uri, text) == []
    _edit(wire, uri, 2, (2, 5), (2, 9), "区教育局")  # an unknown unit on line 2
    diags = wire.notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"]
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diags] == [
        ("PL101", 2, 5)]
    _edit(wire, uri, 3, (2, 5), (2, 9), "区财政局")
    assert wire.notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"] == []
    from planlang.syntax.format import format_text

    new = _formatted(wire, 7, uri)
    assert new == (format_text(text).text if format_text(text).changed else None)
    assert new is None or new.count("任务") == 1


def test_a_plan_outside_any_workspace_includes_only_from_its_own_folder(tmp_path):
    """`file:///x.plan` with no root: its folder is the file system's root, which is no workspace."""
    secret = tmp_path / "secret.plan"
    secret.write_text("单位 秘密单位\n", encoding="utf-8")
    w = Wire(tmp_path)
    try:
        w.initialize(None)
        rel = secret.relative_to("/").as_posix()
        diags = _open(w, "file:///x.plan", f"引用 “{rel}”\n单位 区财政局\n")
        assert [d["code"] for d in diags] == ["PL005"]
    finally:
        w.proc.kill()
        w.proc.wait()


def test_an_include_chain_a_thousand_files_deep_still_gets_diagnostics(wire, tmp_path):
    n = 1000
    for i in range(n):
        nxt = f"引用 “f{i + 1}.plan”\n" if i < n - 1 else ""
        (tmp_path / f"f{i}.plan").write_text(f"{nxt}单位 单位{i}\n", encoding="utf-8")
    wire.initialize(tmp_path)
    uri = (tmp_path / "f0.plan").as_uri()
    _open(wire, uri, (tmp_path / "f0.plan").read_text(encoding="utf-8"))
    # the chain is cut where it gets too deep (a PL005 in a file the document includes): the document itself
    # is checked and answered
    assert "result" in _symbols(wire, 1, uri)


@pytest.fixture(scope="module")
def shared_wire(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wire")
    (folder / "planlang.toml").touch()
    w = Wire(folder)
    w.initialize(folder)
    uri = (folder / "a.plan").as_uri()
    _open(w, uri, PLAN)
    w.uri = uri
    w.next_id = 1000
    yield w
    w.proc.kill()
    w.proc.wait()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frames=st.lists(S.broken_frame(), min_size=1, max_size=4))
def test_no_run_of_broken_frames_stops_the_server_for_good(shared_wire, frames):
    w = shared_wire
    for frame in frames:
        w.raw(frame)
    w.raw(b"\r\n")  # ends a header block left open
    # the first request after the damage may be eaten by a frame that announced more bytes than it had; the
    # reader then finds the next header, so the second is answered
    ids = [w.next_id, w.next_id + 1]
    w.next_id += 2
    for i in ids:
        body = json.dumps({"jsonrpc": "2.0", "id": i, "method": "textDocument/documentSymbol",
                           "params": {"textDocument": {"uri": w.uri}}}).encode()
        w.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert "result" in w.answer(ids[1])
    assert w.proc.poll() is None


@pytest.mark.parametrize("encoding,unit", [("utf-8", 3), ("utf-16", 1), ("utf-32", 1)])
def test_incremental_edits_in_every_position_encoding(wire, tmp_path, encoding, unit):
    """Lone CR line ends, CJK text and a U+2028 inside a comment, edited in the negotiated encoding's units."""
    wire.initialize(tmp_path, [encoding])
    uri = (tmp_path / "a.plan").as_uri()
    text = "单位 区财政局\r任务 t1 “做” {\r  牵头：区财政局 # 注释\u2028仍是注释\r}\r"
    start = 2 + 3 * unit  # after "  牵头："
    sep = start + 4 * unit + 3 + 2 * unit  # the U+2028
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"])
            for d in _open(wire, uri, text)] == [("PL001", 2, sep)]
    _edit(wire, uri, 2, (2, start), (2, start + 4 * unit), "区教育局局")  # one character longer
    diags = wire.notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"]
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diags] == [
        ("PL001", 2, sep + unit)]
    _edit(wire, uri, 3, (2, start + 5 * unit), (2, 999), "")  # the comment goes, to the line's end (clamped)
    diags = wire.notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"]
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diags] == [
        ("PL101", 2, start)]
    assert _formatted(wire, 9, uri) == "单位 区财政局\n\n任务 t1 “做” {\n  牵头：区教育局局\n}\n"
