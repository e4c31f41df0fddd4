"""The package's layers only point down, and no module imports itself round a cycle.

Lowest first: ``model``/``errors`` ← ``sources``/``pricing`` ← ``routing``/``flows``/``policy``
← ``audit`` ← ``fix`` ← ``report`` ← ``cli``. Imports inside a function count too: a lazy
import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import vpcpath

PACKAGE = Path(vpcpath.__file__).parent

LAYER = {
    "model": 0,
    "errors": 0,
    "sources": 1,
    "pricing": 1,
    "routing": 2,
    "flows": 2,
    "policy": 2,
    "audit": 3,
    "fix": 4,
    "report": 5,
    "cli": 6,
}
TOP_LEVEL_MODULES = {"__init__", "__main__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vpcpath"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("vpcpath"))
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_package_has_a_layer() -> None:
    unknown = {
        _layer(m)
        for m in _graph()
        if _layer(m) not in LAYER and _layer(m) not in TOP_LEVEL_MODULES | {None}
    }
    assert not unknown, f"packages without a layer in this test: {sorted(map(str, unknown))}"


def test_no_upward_imports() -> None:
    upward = []
    for module, imports in _graph().items():
        own = _layer(module)
        if own not in LAYER:
            continue
        for target in imports:
            other = _layer(target)
            if other in LAYER and LAYER[other] > LAYER[own]:
                upward.append(f"{module} imports {target}")
    assert not upward, "upward imports:\n" + "\n".join(sorted(upward))


def test_no_import_cycles() -> None:
    graph = _graph()
    modules = set(graph)

    def resolve(target: str) -> str | None:
        # "from vpcpath.x import y" may name a module y or a name in x.
        return target if target in modules else None

    edges = {m: {t for t in map(resolve, imps) if t and t != m} for m, imps in graph.items()}
    # Package __init__ re-exports are not cycles of behaviour: skip edges into packages.
    packages = {_module_name(p) for p in PACKAGE.rglob("__init__.py")}
    edges = {m: {t for t in ts if t not in packages} for m, ts in edges.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_this_test_sees_an_upward_import(tmp_path: Path) -> None:
    # The checker must be able to fail: a fabricated model module that imports the CLI.
    bad = tmp_path / "bad.py"
    bad.write_text("from vpcpath.cli.common import EXIT_OK\n", encoding="utf-8")
    assert _imports(bad) == {"vpcpath.cli.common"}
    assert LAYER[_layer("vpcpath.cli.common") or ""] > LAYER["model"]
