"""The layout is the pipeline (issue 22), checked from the source: every module's imports are read with
``ast``, those inside functions and ``TYPE_CHECKING`` blocks included, so an import that only runs
later cannot hide a cycle or a step backwards.

The stages, bottom to top; a module imports only its own stage and those below it:

    text → model → sources → analysis → build → render → export → cli

``demo`` builds the demo repository from sources' primitives; only ``cli`` (and tests) import it.
MkDocs and ``site_plugins`` are reached only from ``cli``; ``site_plugins`` reaches ``generator`` only
through the names ``generator/__init__.py`` exports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import generator

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("generator", "site_plugins")
STAGES = ("text", "model", "sources", "analysis", "build", "render", "export", "cli")
#: The stage the demo builder stands on: it writes a repository with git and a forge cache.
DEMO_STAGE = "sources"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path) -> set[str]:
    """Every module a file names in an import, wherever the import stands, and each imported name as
    a possible submodule (``from generator.text import slugs``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imports() -> dict[str, set[str]]:
    """Module → the project's modules it imports anywhere in its source: inside functions, and in
    ``TYPE_CHECKING`` blocks too (a type named from a module that imports back is the same tangle, only
    postponed)."""
    modules = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    return {name: {target for target in imported_names(path) if target in modules and target != name}
            for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found



def stage_of(module: str) -> str:
    """``generator.analysis.history.changes`` → ``analysis``; the package root is the public API."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "api"


def generator_modules(graph: dict[str, set[str]]) -> list[str]:
    return sorted(name for name in graph if name.startswith("generator.") and stage_of(name) != "api")


def test_no_import_cycle() -> None:
    assert cycles(imports()) == []


def test_no_import_upward() -> None:
    graph = imports()
    upward = []
    for module in generator_modules(graph):
        stage = stage_of(module)
        if stage == "demo":
            allowed = set(STAGES[:STAGES.index(DEMO_STAGE) + 1]) | {"demo"}
        else:
            allowed = set(STAGES[:STAGES.index(stage) + 1]) | ({"demo"} if stage == "cli" else set())
        upward += [f"{module} imports {target}" for target in sorted(graph[module])
                   if target.startswith("generator.") and stage_of(target) not in allowed]
    assert upward == []


def test_only_the_cli_reaches_mkdocs_and_site_plugins() -> None:
    outside = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        module = module_name(path)
        if stage_of(module) == "cli":
            continue
        outside += [f"{module} imports {name}" for name in sorted(imported_names(path))
                    if name.split(".")[0] in ("mkdocs", "material", "site_plugins")]
    assert outside == []


def test_site_plugins_use_only_the_public_api() -> None:
    private = []
    for path in sorted((ROOT / "site_plugins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                private += [f"{path.name}: import {a.name}" for a in node.names if a.name.startswith("generator.")]
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "generator":
                if node.module != "generator":
                    private.append(f"{path.name}: from {node.module} import …")
                else:
                    private += [f"{path.name}: {a.name}" for a in node.names if a.name not in generator.__all__]
    assert private == []


def test_the_reader_sees_every_kind_of_import() -> None:
    """Imports inside functions once hid a cycle (changelog ↔ cli ↔ sync): the reader must see them."""
    graph = imports()
    assert "generator.build" in graph["generator.export.changelog"]  # imported inside changelog_from_repo
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_only_the_cli_prints() -> None:
    """The library returns text and findings; only ``cli`` decides what reaches the terminal (the plugin
    logs through MkDocs), so a library call never writes to a caller's standard streams. A maintainer's
    script kept beside its data (``python -m …`` runs its ``main``) is an edge of its own."""
    printing = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if stage_of(module_name(path)) == "cli":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scripts = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main"]
        in_scripts = {id(inner) for script in scripts for inner in ast.walk(script)}
        for node in ast.walk(tree):
            if id(node) in in_scripts:
                continue
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            if isinstance(function, ast.Name) and function.id == "print":
                printing.append(f"{module_name(path)}:{node.lineno} print()")
            elif (isinstance(function, ast.Attribute) and function.attr == "write"
                  and isinstance(function.value, ast.Attribute) and function.value.attr in ("stdout", "stderr")):
                printing.append(f"{module_name(path)}:{node.lineno} sys.{function.value.attr}.write()")
    assert printing == []
