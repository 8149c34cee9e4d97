// planlang for VS Code: the command "Compare with last commit" (planlang.diffWithHead). The plan in the editor
// (unsaved edits included) is compared with its version in the last commit by `planlang diff --git`, the same
// driver git uses, so includes are found beside the real file; the result opens in a new editor.
"use strict";

const { execFile } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

/** The `planlang` command: the configured path, a configured Python, or `planlang` on PATH. */
function planlangCommand(config) {
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

/** The text of `planlang diff` between HEAD's version of `file` and `text`, or throws with a message. */
async function diffWithHead(file, text, config) {
  const dir = path.dirname(file);
  const top = await run("git", ["rev-parse", "--show-toplevel"], { cwd: dir });
  if (top.code !== 0) {
    throw new Error(`${path.basename(file)} is not in a git repository`);
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
    const planlang = planlangCommand(config);
    const result = await run(planlang.command,
      [...planlang.args, "diff", "--git", rel, oldFile, "HEAD", "100644", newFile, "0", "100644"], { cwd: root });
    if (result.code !== 0) {
      throw new Error(result.stderr.trim() || `planlang diff exited with ${result.code}`);
    }
    return result.stdout;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Register the command; returns its disposable. `vscode` is passed in (the tests pass a stand-in). */
function register(vscode) {
  return vscode.commands.registerCommand("planlang.diffWithHead", async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.isUntitled || editor.document.uri.scheme !== "file") {
      vscode.window.showInformationMessage("planlang: open a saved .plan file to compare it with the last commit.");
      return;
    }
    const config = vscode.workspace.getConfiguration("planlang");
    try {
      const text = await diffWithHead(editor.document.uri.fsPath, editor.document.getText(), config);
      const doc = await vscode.workspace.openTextDocument({ content: text, language: "plaintext" });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    } catch (e) {
      vscode.window.showErrorMessage(`planlang: ${e.message}`);
    }
  });
}

module.exports = { register, diffWithHead };
