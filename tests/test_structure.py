"""The shape of the house: the `planlang` package imports itself without a cycle, and the command line's module
is registration, its start-up machinery elsewhere. Read statically (ast), never by importing."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planlang"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the package by dotted name: (file, is a package's __init__)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported: at the top, or inside a module-level `if`,
    `try`, `with`, loop or class body — never inside a function, and never under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(statements: list[ast.stmt]) -> None:
        for s in statements:
            if isinstance(s, (ast.Import, ast.ImportFrom)):
                found.append(s)
            elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue  # a function-level import runs when the function does: lazy, allowed
            elif isinstance(s, ast.If):
                if not _is_type_checking(s.test):
                    visit(s.body)
                visit(s.orelse)
            elif isinstance(s, ast.Try):
                visit(s.body)
                for h in s.handlers:
                    visit(h.body)
                visit(s.orelse)
                visit(s.finalbody)
            elif isinstance(s, (ast.With, ast.For, ast.While, ast.ClassDef)):
                visit(s.body)
                visit(getattr(s, "orelse", []))

    visit(tree.body)
    return found


def import_graph() -> dict[str, set[str]]:
    """module → the package modules that importing it runs, directly.

    `import a.b.c` / `from a.b import c` runs `a.b.c` (when it is a module; else `a.b`) and, before it, the
    packages `a` and `a.b` — except a package that holds the importer itself, which is already running when the
    importer runs (a submodule importing its sibling does not re-run their package). A package named outright
    (`from planlang.checks import RULES` inside `planlang.checks.x`) is counted."""
    modules = _modules()

    def owning(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        base = name if is_package else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
                continue
            if node.level:
                anchor = base
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                source = f"{anchor}.{node.module}" if node.module else anchor
            else:
                source = node.module or ""
            for a in node.names:
                targets.add(f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source)
        edges: set[str] = set()
        for target in targets:
            if target != "planlang" and not target.startswith("planlang."):
                continue
            module = owning(target)
            if module is None:
                continue
            parts = module.split(".")
            for i in range(1, len(parts) + 1):
                ancestor = ".".join(parts[:i])
                running = name == ancestor or name.startswith(ancestor + ".")
                if ancestor in modules and (not running or (ancestor == module and ancestor != name)):
                    edges.add(ancestor)
        edges.discard(name)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_package_has_no_import_cycle():
    """Counted: every module-level import of a `planlang` module (inside a module-level `if`, `try` or class
    too), and the packages an import runs before its module. Not counted: imports inside functions — lazy
    imports are how start-up stays fast, and they run after every module involved has loaded — and imports
    under `if TYPE_CHECKING:`, which never run (annotations are strings under `from __future__ import
    annotations`), so they cannot take part in an import-time cycle."""
    graph = import_graph()
    assert len(graph) > 50 and "planlang.checks.registry" in graph["planlang.checks.engine"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_cycle_finder_reports_a_cycle_through_a_package():
    """The finder itself: a package whose module imports, through a sibling, the package back is a cycle;
    a package importing its own submodules is not."""
    acyclic = {"p": {"p.a"}, "p.a": {"p.b"}, "p.b": set()}
    assert find_cycle(acyclic) is None
    cyclic = {"p": {"p.a"}, "p.a": {"q"}, "q": {"p"}}
    assert find_cycle(cyclic) == ["p", "p.a", "q", "p"]


def test_a_rule_module_does_not_run_the_registry_that_lists_it():
    """The registry sits in its own module: the checks package imports none of its rule modules, so a rule
    module (or progress.checks) importing `planlang.checks.context` never runs the list of rules."""
    graph = import_graph()
    assert graph["planlang.checks"] == set()
    assert "planlang.checks.registry" not in graph["planlang.checks.settings"]
    assert "planlang.progress.checks" in graph["planlang.checks.registry"]


def test_cli_is_registration_and_start_up_lives_in_startup():
    """cli.py maps verbs to functions. How the command line starts — the typer app built on first use, `check`
    run without typer, the garbage collector paused while modules load, pydantic's plugins skipped — is
    planlang.startup's: cli.py imports neither typer nor gc, touches no `sys.modules` or environment, and its
    `main` is one call."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"typer", "click", "gc", "errno", "types"}, imported
    attributes = {f"{n.value.id}.{n.attr}" for n in ast.walk(tree)
                  if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    assert not attributes & {"sys.modules", "os.environ", "sys.argv"}, attributes
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    body = [s for s in main.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    assert len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call)
    assert ast.unparse(body[0].value.func) == "run_entry_point"


def test_one_gc_pause():
    """The cyclic collector is paused in one way, by planlang.collector: no other module of the package
    disables it itself (the language server's store, which freezes what a compilation leaves, aside)."""
    pausing = sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                     if "gc.disable()" in p.read_text(encoding="utf-8"))
    assert "planlang/collector.py" in pausing
    assert set(pausing) <= {"planlang/collector.py", "planlang/lsp/store.py"}, pausing
