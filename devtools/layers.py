"""Check the floor plan of `shared/`: every import runs down the layers, and no modules import each other in a circle.

    .venv/bin/python -m devtools.layers

A module may import from its own layer or any layer below it; `shared/` never imports
`functions/`, `devtools/`, `bench/` or `tests/`. Imports inside functions and under
TYPE_CHECKING count too: a lazy import back up is still a dependency back up. Prints each
violation and exits with 1 when there is one; `./dev test` runs it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. Each package may use the ones listed before it.
LAYERS = (
    "core",  # settings, errors, support-hours schedule, addresses
    "text",  # language, personal data, conversation turns
    "handover",  # the rules of the human side: states, triggers, hours in words
    "auth",  # tokens, Google ID tokens
    "schemas",  # the wire contract and the knowledge-base file format
    "web",  # the HTTP edge: requests, responses, routing, logging
    "clients",  # outbound connections: Gemini, webhooks, e-mail, usage metering
    "db",  # SQL
    "embeddings",  # the encoders
    "knowledge",  # retrieval, entries, the lexical and vector indexes
    "actions",  # the shop's own API: the actions file, arguments, requests, cards, matching
    "answering",  # prompts, guard, providers
    "services",  # use cases (`functions/` calls these) and their private steps (`_name.py`)
    "cli",  # the admin command
)
ALIASES = {"operators": "cli"}  # `python -m shared.operators`, the admin command's earlier name
OUTSIDE = ("functions", "devtools", "bench", "tests", "main")


@dataclass(frozen=True)
class Import:
    """`importer` (a dotted module) imports `imported` at `line`."""

    importer: str
    imported: str
    line: int


def module_name(path: Path, root: Path) -> str:
    """The dotted name of a source file under `root`."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def shared_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of `root/shared/` but the migrations, by dotted name."""
    paths = (p for p in (root / "shared").rglob("*.py") if "migrations" not in p.parts)
    return {module_name(path, root): path for path in paths}


def imports_of(name: str, path: Path, known: set[str]) -> Iterator[Import]:
    """The modules `name` imports (a `from package import module` names the module).

    A `if __name__ == "__main__":` block is a command's alias, not part of the module others
    import, so what it imports does not count.
    """
    tree = ast.parse(path.read_text(), str(path))
    tree.body = [node for node in tree.body if not _is_main_block(node)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (Import(name, alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield Import(name, submodule if submodule in known else node.module, node.lineno)


def layer_of(module: str) -> int | None:
    """The index in LAYERS of a `shared` module's package, None outside `shared`."""
    parts = module.split(".")
    if parts[0] != "shared" or len(parts) < 2:
        return None
    package = ALIASES.get(parts[1], parts[1])
    return LAYERS.index(package) if package in LAYERS else None


def violations(modules: dict[str, Path]) -> list[str]:
    """Each import that runs up the layers or out of `shared/`, and each module outside the plan."""
    found = [f"{name}: not in a layer (devtools/layers.py LAYERS)" for name in modules if _unplaced(name)]
    for name, path in sorted(modules.items()):
        for edge in imports_of(name, path, set(modules)):
            if edge.imported.split(".")[0] in OUTSIDE:
                found.append(f"{_where(edge, modules)}: imports {edge.imported}, outside shared/")
                continue
            own, other = layer_of(edge.importer), layer_of(edge.imported)
            if own is not None and other is not None and other > own:
                found.append(f"{_where(edge, modules)}: {LAYERS[own]} imports {edge.imported} ({LAYERS[other]}, above)")
    return found


def cycles(modules: dict[str, Path]) -> list[list[str]]:
    """Groups of modules that import each other in a circle (Tarjan's strongly connected components)."""
    graph = {
        name: {e.imported for e in imports_of(name, path, set(modules)) if e.imported in modules}
        for name, path in modules.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node] - {node}:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            if group:
                found.append(sorted([node, *group]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _is_main_block(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("__name__ == '__main__'", '__name__ == "__main__"')


def _unplaced(name: str) -> bool:
    return name != "shared" and layer_of(name) is None


def _where(edge: Import, modules: dict[str, Path]) -> str:
    path = modules[edge.importer]
    return f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{edge.line}"


def main() -> None:
    modules = shared_modules()
    problems = violations(modules) + [f"import cycle: {' -> '.join(group)}" for group in cycles(modules)]
    for problem in problems:
        print(problem)
    print(f"{len(modules)} modules in {len(LAYERS)} layers: {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    main()
