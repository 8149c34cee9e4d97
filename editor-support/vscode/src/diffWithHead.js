// planlang for VS Code: the command "Compare with last commit" (planlang.diffWithHead). The plan in the editor
// (unsaved edits included) is compared with its version in the last commit by `planlang diff --git`, the same
// driver git uses, so includes are found beside the real file; the result opens in a new editor.
"use strict";

const { execFile } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

/** The `planlang` command when none is passed in (the stand-in tests): the configured path, a configured
 * Python, or `planlang` on PATH. In VS Code the extension passes the one its language server runs with. */
function planlangFromSettings(config) {
  const configured = (config.get("server.path") || "").trim();
  if (configured) {
    return { command: configured, args: [] };
  }
  const python = (config.get("server.pythonPath") || "").trim();
  if (python) {
    return { command: python, args: ["-m", "planlang"] };
  }
  return { command: "planlang", args: [] };
}

/** Run a program; resolves to { code, stdout, stderr } (never rejects on a non-zero exit). stdout is a string,
 * or a Buffer with `encoding: "buffer"`. */
function run(command, args, options) {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr: String(stderr || (error && error.message) || "") });
    });
  });
}

/** A message in the extension's language: `t` is vscode.l10n.t in VS Code; without it, {0} is filled in. */
function english(message, ...args) {
  return message.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
}

/** The text of `planlang diff` between HEAD's version of `file` and `text`, or throws with a message.
 * `planlang` is { command, args }; `t` translates the messages. */
async function diffWithHead(file, text, planlang, t = english) {
  const dir = path.dirname(file);
  const top = await run("git", ["rev-parse", "--show-toplevel"], { cwd: dir });
  if (top.code !== 0) {
    throw new Error(t("{0} is not in a git repository", path.basename(file)));
  }
  const root = top.stdout.trim();
  const rel = path.relative(fs.realpathSync(root), fs.realpathSync(file)).split(path.sep).join("/");
  const committed = await run("git", ["show", `HEAD:${rel}`], { cwd: root, encoding: "buffer" });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "planlang-diff-"));
  try {
    let oldFile = "/dev/null";
    if (committed.code === 0) {
      oldFile = path.join(tmp, "HEAD.plan");
      fs.writeFileSync(oldFile, committed.stdout);
    }
    const newFile = path.join(tmp, "current.plan");
    fs.writeFileSync(newFile, text, "utf8");
    const result = await run(planlang.command,
      [...planlang.args, "diff", "--git", rel, oldFile, "HEAD", "100644", newFile, "0", "100644"], { cwd: root });
    if (result.code !== 0) {
      throw new Error(result.stderr.trim() || t("planlang diff exited with {0}", result.code));
    }
    return result.stdout;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The command's handler. `options.t` translates (vscode.l10n.t in the extension); `options.planlang` is an
 * async function giving { command, args } or undefined (the extension's: the server's Python or launcher). */
function command(vscode, options = {}) {
  const t = options.t || english;
  const planlang = options.planlang
    || (async () => planlangFromSettings(vscode.workspace.getConfiguration("planlang")));
  return async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.isUntitled || editor.document.uri.scheme !== "file") {
      vscode.window.showInformationMessage(t("planlang: open a saved .plan file to compare it with the last commit."));
      return;
    }
    const program = await planlang();
    if (!program) {
      return; // the extension has already said that planlang was not found
    }
    try {
      const text = await diffWithHead(editor.document.uri.fsPath, editor.document.getText(), program, t);
      const doc = await vscode.workspace.openTextDocument({ content: text, language: "plaintext" });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    } catch (e) {
      vscode.window.showErrorMessage(t("planlang: comparing with the last commit failed: {0}", e.message));
    }
  };
}

/** Register the command on its own; returns its disposable (the stand-in tests; the extension registers
 * `command(...)` beside its other commands). */
function register(vscode, options = {}) {
  return vscode.commands.registerCommand("planlang.diffWithHead", command(vscode, options));
}

module.exports = { register, command, diffWithHead };
