"""A minimal JSON-RPC client for timing the planlang language server over stdio.

Only what the benchmark needs: start the server, initialize, send notifications and requests, and wait for a
response or for a notification that matches a predicate. A reader thread parses `Content-Length` framed
messages into a queue; the caller's clock runs from the moment a message is written.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable


class LspClient:
    """One running server: `LspClient([python, "-m", "planlang", "lsp"], cwd=...)`."""

    def __init__(self, command: list[str], cwd: Path | None = None) -> None:
        self.proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.inbox: "queue.Queue[tuple[float, dict]]" = queue.Queue()
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # transport ---------------------------------------------------------------------------------------------

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            body = out.read(length)
            self.inbox.put((time.perf_counter(), json.loads(body)))

    def _write(self, msg: dict) -> float:
        data = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()
        return time.perf_counter()

    def notify(self, method: str, params: Any) -> float:
        """Send a notification; returns the time it was written."""
        return self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method: str, params: Any) -> tuple[int, float]:
        self._next_id += 1
        t = time.perf_counter()  # before the write: a fast answer can be read before the write call returns
        self._write({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        return self._next_id, t

    def wait_for(self, match: Callable[[dict], bool], timeout: float = 120.0) -> tuple[float, dict]:
        """The first message that matches (earlier ones are dropped; server requests get a null answer)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message from the language server")
            t, msg = self.inbox.get(timeout=left)
            if "method" in msg and "id" in msg:  # a request from the server (e.g. registerCapability)
                self._write({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            if match(msg):
                return t, msg

    def request(self, method: str, params: Any, timeout: float = 120.0) -> tuple[float, dict]:
        """Send a request and wait for its response; returns (seconds, response)."""
        rid, t0 = self.send_request(method, params)
        t1, msg = self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout)
        return t1 - t0, msg

    # LSP -------------------------------------------------------------------------------------------------------

    def initialize(self, root: Path, options: dict | None = None) -> dict:
        params = {"processId": None, "rootUri": root.resolve().as_uri(), "capabilities": {
            "textDocument": {"publishDiagnostics": {"versionSupport": True},
                             "completion": {"completionItem": {"snippetSupport": True}}}}}
        if options is not None:
            params["initializationOptions"] = options
        _, resp = self.request("initialize", params)
        self.notify("initialized", {})
        return resp

    def wait_diagnostics(self, uri: str, version: int | None, timeout: float = 120.0) -> tuple[float, dict]:
        def match(m: dict) -> bool:
            p = m.get("params") or {}
            return (m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri
                    and (version is None or p.get("version") == version))
        return self.wait_for(match, timeout)

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 — a benchmark tears down whatever state the server is in
            self.proc.kill()
            self.proc.wait()


def utf16_col(line: str) -> int:
    return len(line.encode("utf-16-le")) // 2


if __name__ == "__main__":  # smoke test: open a file and print its diagnostics count
    path = Path(sys.argv[1]).resolve()
    c = LspClient([sys.executable, "-m", "planlang", "lsp"], cwd=path.parent)
    c.initialize(path.parent)
    t0 = c.notify("textDocument/didOpen", {"textDocument": {
        "uri": path.as_uri(), "languageId": "plan", "version": 1, "text": path.read_text(encoding="utf-8")}})
    t1, msg = c.wait_diagnostics(path.as_uri(), 1)
    print(f"{len(msg['params']['diagnostics'])} diagnostics after {1000 * (t1 - t0):.1f} ms")
    c.close()
