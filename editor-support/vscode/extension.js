// planlang for VS Code: finds a Python, starts the bundled planlang language server with it, and offers the
// planlang commands (render, import, check) through the same interpreter.
"use strict";

const vscode = require("vscode");
const fs = require("fs");
const path = require("path");
const { execFile } = require("child_process");
const { LanguageClient, State } = require("vscode-languageclient/node");

const t = vscode.l10n.t;
const MINIMUM_PYTHON = [3, 11];
const LAUNCHER = path.join(__dirname, "bundled", "launch.py");

let client; // the running language client, if any
let server; // how planlang runs: { command, prefix, description }
let output; // the "planlang" log output channel (the language client writes its log there too)
let status; // the status-bar item
let checkResults; // diagnostics of Check Workspace, for files not open in an editor
let starting; // the start in progress, so that two triggers do not start two servers

// ------------------------------------------------------------------------------------------ running programs

/** Run a program; never rejects: { code, stdout, stderr, error }. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 30000, maxBuffer: 64 * 1024 * 1024, windowsHide: true, ...options,
                              env: { ...process.env, PYTHONIOENCODING: "utf-8", NO_COLOR: "1", ...(options.env || {}) } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout || ""), stderr: String(stderr || ""),
                  error: error && typeof error.code !== "number" ? error : undefined });
      });
  });
}

function log(line) {
  output.info(line);
}

// ------------------------------------------------------------------------------------------- finding planlang

/** The Python of the Python extension's active environment for this workspace, if that extension is there. */
async function pythonExtensionInterpreter() {
  const extension = vscode.extensions.getExtension("ms-python.python");
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api && api.environments;
    if (!environments) {
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    const active = environments.getActiveEnvironmentPath(folder && folder.uri);
    const resolved = active && (await environments.resolveEnvironment(active));
    const exe = resolved && resolved.executable && resolved.executable.uri && resolved.executable.uri.fsPath;
    return exe || undefined;
  } catch (e) {
    log(t("The Python extension did not name an interpreter: {0}", String(e)));
    return undefined;
  }
}

/** The Pythons to try, in order: [{ command, args, origin }]. */
async function pythonCandidates(config) {
  const candidates = [];
  const configured = (config.get("server.pythonPath") || "").trim();
  if (configured) {
    candidates.push({ command: configured, args: [], origin: "planlang.server.pythonPath" });
  }
  const fromExtension = await pythonExtensionInterpreter();
  if (fromExtension) {
    candidates.push({ command: fromExtension, args: [], origin: t("the Python extension's active environment") });
  }
  const onPath = process.platform === "win32"
    ? [["py", ["-3"]], ["python", []], ["python3", []]]
    : [["python3", []], ["python", []]];
  for (const [command, args] of onPath) {
    candidates.push({ command, args, origin: "PATH" });
  }
  return candidates;
}

function versionAtLeast(version, minimum) {
  const parts = String(version).split(".").map(Number);
  return parts[0] > minimum[0] || (parts[0] === minimum[0] && parts[1] >= minimum[1]);
}

/** How this Python can run planlang — the bundled copy, or one installed in it — or why it cannot. */
async function tryPython(candidate) {
  const label = [candidate.command, ...candidate.args].join(" ");
  const probe = await run(candidate.command, [...candidate.args, "-I", LAUNCHER, "--probe"]);
  if (probe.error) {
    return { problem: t("{0} ({1}): not found", label, candidate.origin) };
  }
  let info;
  try {
    info = JSON.parse(probe.stdout.trim().split("\n").pop());
  } catch (e) {
    // a Python too old to read the launcher, or not a Python at all
    return { problem: t("{0} ({1}): not a Python 3.11 or newer ({2})", label, candidate.origin,
                        (probe.stderr || probe.stdout).trim().split("\n").pop() || String(probe.code)) };
  }
  if (!versionAtLeast(info.python, MINIMUM_PYTHON)) {
    return { problem: t("{0} ({1}): Python {2} is too old; planlang needs Python 3.11 or newer", label,
                        candidate.origin, info.python) };
  }
  if (!info.problem) {
    return { server: { command: candidate.command, prefix: [...candidate.args, "-I", LAUNCHER],
                       description: t("bundled planlang {0} on Python {1} ({2})", info.planlang, info.python,
                                      info.executable) } };
  }
  // no bundled libraries for this platform or version: a planlang installed into this Python still works
  const installed = await run(candidate.command, [...candidate.args, "-m", "planlang", "--help"]);
  if (installed.code === 0) {
    return { server: { command: candidate.command, prefix: [...candidate.args, "-m", "planlang"],
                       description: t("planlang installed in Python {0} ({1})", info.python, info.executable) } };
  }
  return { problem: `${label} (${candidate.origin}): ${info.problem}` };
}

/** Find how to run planlang: `planlang.server.path` first, then a Python ≥ 3.11. Returns { server } or
 *  { problems }. */
async function findServer(config) {
  const explicit = (config.get("server.path") || "").trim();
  if (explicit) {
    const probe = await run(explicit, ["--help"]);
    if (probe.code === 0) {
      return { server: { command: explicit, prefix: [], description: explicit } };
    }
    return { problems: [t("planlang.server.path = {0}: does not run ({1})", explicit,
                          probe.error ? String(probe.error.message) : (probe.stderr.trim() || String(probe.code)))],
             explicit: true };
  }
  const problems = [];
  for (const candidate of await pythonCandidates(config)) {
    const found = await tryPython(candidate);
    if (found.server) {
      return found;
    }
    problems.push(found.problem);
  }
  return { problems };
}

// -------------------------------------------------------------------------------------------- the server

function setStatus(state, detail) {
  const icons = { starting: "$(sync~spin)", running: "$(check)", stopped: "$(debug-stop)", failed: "$(error)" };
  const words = { starting: t("starting"), running: t("running"), stopped: t("stopped"), failed: t("not started") };
  status.text = `${icons[state]} planlang`;
  status.tooltip = `planlang: ${words[state]}${detail ? "\n" + detail : ""}\n${t("Click to show the output")}`;
  status.backgroundColor = state === "failed" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  status.show();
}

async function startServer() {
  const config = vscode.workspace.getConfiguration("planlang");
  setStatus("starting");
  const found = await findServer(config);
  if (!found.server) {
    server = undefined;
    for (const problem of found.problems) {
      log(problem);
    }
    setStatus("failed", found.problems.join("\n"));
    const openSettings = t("Open Settings");
    const showOutput = t("Show Output");
    const message = found.explicit
      ? t("planlang: the language server could not start with planlang.server.path. Correct or clear the " +
          "setting (details in the output).")
      : t("planlang: no Python 3.11 or newer was found to run the language server. Install Python 3.11 or newer, " +
          "or set planlang.server.pythonPath to a Python 3.11+ interpreter, or planlang.server.path to a planlang " +
          "executable.");
    vscode.window.showErrorMessage(message, openSettings, showOutput).then((choice) => {
      if (choice === openSettings) {
        vscode.commands.executeCommand("workbench.action.openSettings", "planlang.server");
      } else if (choice === showOutput) {
        output.show(true);
      }
    });
    return;
  }
  server = found.server;
  log(t("Starting the language server: {0}", server.description));
  client = new LanguageClient(
    "planlang",
    "planlang",
    { command: server.command, args: [...server.prefix, "lsp"],
      options: { env: { ...process.env, PYTHONIOENCODING: "utf-8" } } },
    {
      documentSelector: [{ scheme: "file", language: "plan" }, { scheme: "untitled", language: "plan" }],
      initializationOptions: {
        lang: config.get("lang") || "zh",
        keywordLanguage: config.get("keywordLanguage") || "auto",
      },
      outputChannel: output,
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.plan") },
    }
  );
  client.onDidChangeState((event) => {
    if (event.newState === State.Running) {
      setStatus("running", server && server.description);
    } else if (event.newState === State.Starting) {
      setStatus("starting", server && server.description);
    } else {
      setStatus("stopped", server && server.description);
    }
  });
  try {
    await client.start();
  } catch (e) {
    log(t("The language server did not start: {0}", String(e)));
    setStatus("failed", String(e));
  }
}

async function stopServer() {
  if (client) {
    const running = client;
    client = undefined;
    try {
      await running.stop();
    } catch (e) {
      log(String(e));
    }
  }
}

async function restartServer() {
  if (starting) {
    await starting;
  }
  starting = (async () => {
    await stopServer();
    await startServer();
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

/** How to run planlang for a command; starts looking when the server has not been found yet. */
async function planlangCommand() {
  if (!server) {
    await restartServer();
  }
  return server;
}

// ------------------------------------------------------------------------------------------------ commands

/** The .plan file a command is about: the one clicked in the explorer / editor title, or the active editor's. */
async function planFile(uri) {
  let document;
  if (uri instanceof vscode.Uri) {
    document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!document) {
      return uri.scheme === "file" ? uri.fsPath : undefined;
    }
  } else {
    document = vscode.window.activeTextEditor && vscode.window.activeTextEditor.document;
  }
  if (!document || document.languageId !== "plan") {
    vscode.window.showWarningMessage(t("Open a .plan file first."));
    return undefined;
  }
  if (document.isUntitled || document.uri.scheme !== "file") {
    vscode.window.showWarningMessage(t("Save the plan to a file first."));
    return undefined;
  }
  if (document.isDirty) {
    await document.save();
  }
  return document.uri.fsPath;
}

async function render(format, uri) {
  const file = await planFile(uri);
  const planlang = file && (await planlangCommand());
  if (!planlang) {
    return;
  }
  const lang = vscode.workspace.getConfiguration("planlang").get("lang") || "zh";
  const target = file.replace(/\.plan$/i, "") + "." + format;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t("planlang: rendering {0}", path.basename(target)) },
    () => run(planlang.command, [...planlang.prefix, "render", file, "--to", format, "--lang", lang,
                                 "--output", target], { cwd: path.dirname(file), timeout: 120000 }));
  if (result.stderr.trim()) {
    log(result.stderr.trim());
  }
  if (result.code !== 0) {
    vscode.window.showErrorMessage(t("planlang: rendering failed: {0}", lastLine(result)), t("Show Output"))
      .then((choice) => choice && output.show(true));
    return;
  }
  const targetUri = vscode.Uri.file(target);
  if (vscode.workspace.getWorkspaceFolder(targetUri)) {
    vscode.commands.executeCommand("revealInExplorer", targetUri);
  }
  const open = t("Open");
  vscode.window.showInformationMessage(t("planlang: wrote {0}", path.basename(target)), open).then((choice) => {
    if (choice === open) {
      vscode.env.openExternal(targetUri);
    }
  });
}

function lastLine(result) {
  const text = (result.stderr || result.stdout || "").trim();
  return text.split("\n").pop() || (result.error ? String(result.error.message) : String(result.code));
}

async function importDocument() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: folder && folder.uri,
    openLabel: t("Import"),
    title: t("Import a plan document (.docx, .md or .txt)"),
    filters: { [t("Plan documents")]: ["docx", "md", "txt"] },
  });
  if (!picked || !picked.length) {
    return;
  }
  const document = picked[0].fsPath;
  const draft = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(document.replace(/\.[^./\\]+$/, "") + ".plan"),
    filters: { planlang: ["plan"] },
    saveLabel: t("Write the draft"),
    title: t("Where to write the draft .plan"),
  });
  const planlang = draft && (await planlangCommand());
  if (!planlang) {
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t("planlang: importing {0}", path.basename(document)) },
    () => run(planlang.command, [...planlang.prefix, "import", document, "--output", draft.fsPath],
              { cwd: path.dirname(draft.fsPath), timeout: 120000 }));
  if (result.stderr.trim()) {
    log(result.stderr.trim());
  }
  if (result.code !== 0) {
    vscode.window.showErrorMessage(t("planlang: import failed: {0}", lastLine(result)), t("Show Output"))
      .then((choice) => choice && output.show(true));
    return;
  }
  await vscode.window.showTextDocument(draft);
  vscode.window.showInformationMessage(
    t("planlang: draft written; what needs your decision is marked # 待确认 (the import report is in the output)."));
}

/** UTF-16 column of a 1-based code-point column on a line. */
function utf16Column(line, column) {
  let units = 0;
  let points = 0;
  for (const ch of line || "") {
    if (points >= column - 1) {
      break;
    }
    units += ch.length;
    points += 1;
  }
  return units;
}

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

async function checkWorkspace() {
  const folders = vscode.workspace.workspaceFolders || [];
  if (!folders.length) {
    vscode.window.showWarningMessage(t("Open a folder first: Check Workspace checks the .plan files in it."));
    return;
  }
  const planlang = await planlangCommand();
  if (!planlang) {
    return;
  }
  const lang = vscode.workspace.getConfiguration("planlang").get("lang") || "zh";
  checkResults.clear();
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  const counts = { error: 0, warning: 0, files: new Set() };
  for (const folder of folders) {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t("planlang: checking {0}", folder.name) },
      () => run(planlang.command, [...planlang.prefix, "check", ".", "--format", "json", "--lang", lang],
                { cwd: folder.uri.fsPath, timeout: 300000 }));
    let report;
    try {
      report = JSON.parse(result.stdout);
    } catch (e) {
      log(result.stderr.trim() || result.stdout.trim());
      if (/\.plan/.test(result.stderr) && result.code === 2) {
        continue; // no .plan files in this folder
      }
      vscode.window.showErrorMessage(t("planlang: Check Workspace failed: {0}", lastLine(result)));
      return;
    }
    const byFile = new Map();
    for (const d of report.diagnostics) {
      const file = path.resolve(folder.uri.fsPath, d.file);
      if (!byFile.has(file)) {
        byFile.set(file, []);
      }
      byFile.get(file).push(d);
      counts.files.add(file);
      if (d.severity === "error") counts.error += 1;
      if (d.severity === "warning") counts.warning += 1;
    }
    for (const [file, diags] of byFile) {
      const uri = vscode.Uri.file(file);
      if (open.has(uri.toString())) {
        continue; // the language server already reports this file: showing it twice would double every entry
      }
      let lines = [];
      try {
        lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
      } catch (e) {
        // the range stays in code points
      }
      checkResults.set(uri, diags.map((d) => {
        const start = new vscode.Position(d.range.start.line - 1,
                                          utf16Column(lines[d.range.start.line - 1], d.range.start.column));
        const end = new vscode.Position(d.range.end.line - 1,
                                        utf16Column(lines[d.range.end.line - 1], d.range.end.column));
        const diagnostic = new vscode.Diagnostic(new vscode.Range(start, end), d.message,
                                                 SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Warning);
        diagnostic.code = d.code;
        diagnostic.source = "planlang";
        return diagnostic;
      }));
    }
  }
  const summary = t("planlang: {0} errors and {1} warnings in {2} files", counts.error, counts.warning,
                    counts.files.size);
  log(summary);
  vscode.window.showInformationMessage(summary);
  vscode.commands.executeCommand("workbench.actions.view.problems");
}

// ------------------------------------------------------------------------------------------------ activation

async function activate(context) {
  output = vscode.window.createOutputChannel("planlang", { log: true });
  status = vscode.window.createStatusBarItem("planlang.status", vscode.StatusBarAlignment.Right, 100);
  status.name = "planlang";
  status.command = "planlang.showOutput";
  checkResults = vscode.languages.createDiagnosticCollection("planlang-check");
  context.subscriptions.push(output, status, checkResults);
  const register = (name, fn) => context.subscriptions.push(vscode.commands.registerCommand(name, fn));
  register("planlang.restartServer", restartServer);
  register("planlang.showOutput", () => output.show(true));
  register("planlang.renderDocx", (uri) => render("docx", uri));
  register("planlang.renderXlsx", (uri) => render("xlsx", uri));
  register("planlang.renderHtml", (uri) => render("html", uri));
  register("planlang.importDocument", importDocument);
  register("planlang.checkWorkspace", checkWorkspace);
  register("planlang.diffWithHead", require("./src/diffWithHead").command(vscode, {
    t, planlang: async () => {
      const found = await planlangCommand();
      return found && { command: found.command, args: found.prefix };
    },
  }));
  context.subscriptions.push(
    // a file opened in an editor is the language server's: its Check Workspace entries would double them
    vscode.workspace.onDidOpenTextDocument((d) => checkResults.delete(d.uri)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (["planlang.server", "planlang.lang", "planlang.keywordLanguage"].some((k) => event.affectsConfiguration(k))) {
        restartServer();
      }
    })
  );
  const python = vscode.extensions.getExtension("ms-python.python");
  if (python) {
    try {
      const api = python.isActive ? python.exports : await python.activate();
      if (api && api.environments && api.environments.onDidChangeActiveEnvironmentPath) {
        context.subscriptions.push(api.environments.onDidChangeActiveEnvironmentPath(() => {
          const config = vscode.workspace.getConfiguration("planlang");
          if (!(config.get("server.path") || "").trim() && !(config.get("server.pythonPath") || "").trim()) {
            restartServer();
          }
        }));
      }
    } catch (e) {
      log(String(e));
    }
  }
  await restartServer();
}

async function deactivate() {
  await stopServer();
}

// findServer is exported for the tests, which run it outside VS Code
module.exports = { activate, deactivate, findServer };
