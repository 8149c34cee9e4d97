"""A real VS Code for the end-to-end test: code-server from npm, installed once per version into the user's cache
folder, started on a free loopback port, and driven by headless Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

# 4.100.x is VS Code 1.100 and the last code-server line that runs on Node 20
CODE_SERVER_VERSION = "4.100.3"
# VS Code's native modules; the Windows-only ones are left out. @parcel/watcher ships a prebuilt binary.
NATIVE = ("node-pty", "@vscode/spdlog", "kerberos", "native-watchdog", "@vscode/deviceid")


def _npm(npm: str, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run([npm, *args, "--no-audit", "--no-fund"], cwd=cwd, capture_output=True, text=True,
                          timeout=900, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise RuntimeError(f"npm {' '.join(args)} in {cwd} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def install_code_server(npm: str, node: str, rg: str, cache: Path) -> Path:
    """code-server's entry script, installed under `cache` (done once: a marker file says it is complete).

    Its npm install scripts download ripgrep and Node headers from outside the package registry, which is not
    reachable here; so the packages are installed without scripts, the native modules are compiled against the
    headers of the Node that runs them, and VS Code's search uses the system's ripgrep."""
    home = cache / f"code-server-{CODE_SERVER_VERSION}"
    entry = home / "node_modules" / "code-server" / "out" / "node" / "entry.js"
    done = home / ".installed"
    if done.is_file():
        return entry
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    (home / "package.json").write_text('{"private": true}\n', encoding="utf-8")
    prefix = Path(node).resolve().parent.parent
    nodedir = [f"--nodedir={prefix}"] if (prefix / "include" / "node" / "node_version.h").is_file() else []
    _npm(npm, ["install", "--ignore-scripts", f"code-server@{CODE_SERVER_VERSION}"], home)
    _npm(npm, ["rebuild", "argon2", "--build-from-source", *nodedir], home)
    package = home / "node_modules" / "code-server"
    vscode = package / "lib" / "vscode"
    _npm(npm, ["install", "--omit=dev", "--ignore-scripts"], vscode)
    for module in NATIVE:
        # node-pty's install script ends by writing compile_commands.json with npx node-gyp: let npx fetch it
        _npm(npm, ["rebuild", module, *nodedir], vscode, env={"npm_config_yes": "true"})
    _npm(npm, ["install", "--omit=dev", "--ignore-scripts"], vscode / "extensions")
    ripgrep = vscode / "node_modules" / "@vscode" / "ripgrep" / "bin"
    ripgrep.mkdir(parents=True, exist_ok=True)
    (ripgrep / "rg").symlink_to(rg)
    # what code-server's own install script links
    (vscode / "node_modules.asar").symlink_to("node_modules")
    (vscode / "bin" / "remote-cli" / "code-server").symlink_to("code-linux.sh")
    (vscode / "bin" / "helpers" / "browser.sh").symlink_to("browser-linux.sh")
    done.write_text(CODE_SERVER_VERSION + "\n", encoding="utf-8")
    return entry


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CodeServer:
    """One code-server process with its own user-data and extensions folders."""

    def __init__(self, node: str, entry: Path, home: Path):
        self.node, self.entry, self.home = node, entry, home
        self.user_data = home / "user-data"
        self.extensions = home / "extensions"
        home.mkdir(parents=True, exist_ok=True)
        self.config = home / "config.yaml"
        self.config.write_text("auth: none\ncert: false\n", encoding="utf-8")
        self.log = home / "code-server.log"
        self.process: subprocess.Popen | None = None
        self.port = 0

    def _args(self) -> list[str]:
        return [self.node, str(self.entry), "--config", str(self.config), "--user-data-dir", str(self.user_data),
                "--extensions-dir", str(self.extensions), "--disable-telemetry", "--disable-update-check"]

    def install_extension(self, vsix: Path) -> str:
        proc = subprocess.run([*self._args(), "--install-extension", str(vsix)], capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"--install-extension failed:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def start(self, folder: Path) -> str:
        """Start on a free port; the URL of the workbench with `folder` open."""
        self.port = free_port()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [*self._args(), "--bind-addr", f"127.0.0.1:{self.port}", "--auth", "none",
                 "--disable-workspace-trust", "--disable-getting-started-override", "--ignore-last-opened"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "healthz", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"code-server did not start:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        return f"{url}?folder={folder}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=20)
