// Runs the extension's findServer outside VS Code: node vscode_find_server.js EXTENSION_DIR SCENARIO_JSON, where the
// scenario gives the settings and, optionally, the interpreter the Python extension reports. Prints the result.
const Module = require("module");
const path = require("path");
const [ext, scenarioJson] = process.argv.slice(2);
const scenario = JSON.parse(scenarioJson);
const python = scenario.pythonExtension && {
  isActive: true,
  exports: { environments: {
    getActiveEnvironmentPath: () => ({ id: "active", path: scenario.pythonExtension }),
    resolveEnvironment: async (p) => ({ executable: { uri: { fsPath: p.path } } }),
  } },
};
const known = {
  l10n: { t: (s, ...a) => s.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)])) },
  extensions: { getExtension: (id) => (id === "ms-python.python" ? python : undefined) },
  workspace: {}, window: {}, commands: {}, languages: {}, env: {}, Uri: class {}, ThemeColor: class {},
  DiagnosticSeverity: {}, StatusBarAlignment: {}, ProgressLocation: {},
};
// the language client's modules subclass VS Code's classes when they load: any other name is an empty class
const vscode = new Proxy(known, { get: (target, key) => (key in target ? target[key] : class {}) });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "vscode" ? "vscode" : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: vscode };
const { findServer } = require(path.join(ext, "extension.js"));
findServer({ get: (key) => scenario.settings[key] || "" }).then((r) => process.stdout.write(JSON.stringify(r)));
