// planlang for VS Code: starts `planlang lsp` and connects it to .plan documents.
"use strict";

const vscode = require("vscode");
const { spawnSync } = require("child_process");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

/** The command that starts the server: the configured path, a configured Python, or `planlang` on PATH. */
function serverCommand(config) {
  const path = (config.get("server.path") || "").trim();
  if (path) {
    return { command: path, args: ["lsp"] };
  }
  const python = (config.get("server.pythonPath") || "").trim();
  if (python) {
    return { command: python, args: ["-m", "planlang", "lsp"] };
  }
  return { command: "planlang", args: ["lsp"] };
}

/** True when the command runs (`planlang --help` or `python -m planlang --help` exits 0). */
function runs(server) {
  const probe = spawnSync(server.command, [...server.args.slice(0, -1), "--help"], { timeout: 15000 });
  return !probe.error && probe.status === 0;
}

/** Start the client with the current settings; when the server cannot run, say so and offer the settings. */
async function start() {
  const config = vscode.workspace.getConfiguration("planlang");
  const server = serverCommand(config);
  if (!runs(server)) {
    const choice = await vscode.window.showErrorMessage(
      `planlang: cannot start the language server with "${server.command}". ` +
        "Install planlang (pip install planlang) or set planlang.server.path / planlang.server.pythonPath.",
      "Open Settings"
    );
    if (choice === "Open Settings") {
      vscode.commands.executeCommand("workbench.action.openSettings", "planlang.server");
    }
    return;
  }
  client = new LanguageClient(
    "planlang",
    "planlang",
    { command: server.command, args: server.args },
    {
      documentSelector: [{ scheme: "file", language: "plan" }, { scheme: "untitled", language: "plan" }],
      initializationOptions: {
        lang: config.get("lang") || "zh",
        keywordLanguage: config.get("keywordLanguage") || "auto",
      },
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.plan") },
    }
  );
  await client.start();
}

async function activate(context) {
  // registered once: a change of the server or language settings restarts the client with the new ones
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (["planlang.server", "planlang.lang", "planlang.keywordLanguage"].some((k) => event.affectsConfiguration(k))) {
        await deactivate();
        await start();
      }
    })
  );
  context.subscriptions.push(require("./src/diffWithHead").register(vscode));
  await start();
}

async function deactivate() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

module.exports = { activate, deactivate };
