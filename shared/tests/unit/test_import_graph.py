"""The production code has no import cycles, and no service imports another.

Imports inside functions count too: a late import that closes a cycle still
makes two modules that can only be understood together (and that break as
soon as someone moves the import to the top). Only `if TYPE_CHECKING:`
blocks are left out. Tests and migrations are not production code.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SKIPPED_FOLDERS = {"tests", "migrations", "__pycache__", ".venv", "node_modules"}


def production_modules() -> dict[str, Path]:
    roots = [ROOT / "shared" / "carebridge", *sorted((ROOT / "services").glob("*/carebridge_*")),
             *sorted(path.parent for path in (ROOT / "clients").glob("*/*/__init__.py"))]
    found = {}
    for package in roots:
        for path in package.rglob("*.py"):
            relative = path.relative_to(package.parent)
            if SKIPPED_FOLDERS & set(relative.parts):
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(tree: ast.Module):
    """Every Import/ImportFrom node, except those under `if TYPE_CHECKING:`."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        pending.extend(ast.iter_child_nodes(node))


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    package = package[:len(package) - (node.level - 1)]
                    base = ".".join(package + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(start: str) -> None:
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter[0]
                    counter[0] += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def test_the_production_code_has_no_import_cycle():
    found = cycles(import_graph(production_modules()))
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(cycle) for cycle in found)


# The services' packages (the clients, `carebridge_client` and
# `carebridge_console`, are not services: the console uses the client).
SERVICE_PACKAGES = {path.name for path in (ROOT / "services").glob("*/carebridge_*")}


def test_no_service_imports_another_service():
    modules = production_modules()
    graph = import_graph(modules)
    crossings = sorted(
        f"{module} imports {target}" for module, targets in graph.items() for target in targets
        if module.split(".")[0] in SERVICE_PACKAGES and target.split(".")[0] in SERVICE_PACKAGES
        and module.split(".")[0] != target.split(".")[0])
    assert crossings == []


def test_the_kit_and_the_clients_import_no_service():
    graph = import_graph(production_modules())
    crossings = sorted(f"{module} imports {target}" for module, targets in graph.items() for target in targets
                       if not module.startswith("carebridge_") and target.startswith("carebridge_")
                       and not target.startswith("carebridge_client"))  # a client is not a service
    assert crossings == []


def test_the_check_finds_a_cycle_through_a_late_import():
    graph = import_graph({"pkg": Path(__file__)}) | {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
