"""The import graph of ui/ and core/, read from the source (AST), not by importing anything.

Every import counts, also one inside a function: a lazy import hides a cycle from Python's import
machinery but not from the reader. Rules (issue 20):

- no cycle among the ui modules (ui.components and ui.loaders once imported each other);
- no cycle among the core modules;
- core imports neither ui nor streamlit (core is plain Python, ui is the only Streamlit layer);
- ui.loaders is data access only: it imports no other ui module than ui.cache (which imports none) and uses
  Streamlit only for its caches.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ui", "core")


def module_files(package: str) -> dict[str, Path]:
    """Module name → file for every .py file directly in the package (its __init__ is the package)."""
    return {(package if p.stem == "__init__" else f"{package}.{p.stem}"): p
            for p in sorted((ROOT / package).glob("*.py"))}


@cache
def modules() -> dict[str, Path]:
    return {name: path for package in PACKAGES for name, path in module_files(package).items()}


def imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name a module imports, anywhere in its body: `from ui import components` gives
    `ui` and `ui.components`; relative imports are resolved against the module's package."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module → the ui and core modules it imports (a package's own __init__ left out when it is empty)."""
    known = modules()
    edges = {}
    for name, path in known.items():
        targets = set()
        for imported in imported_names(name, path):
            # `import ui.components.x` or `from ui.components import y` both reach ui.components
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        edges[name] = frozenset(targets)
    return edges


def cycles(edges: dict[str, frozenset[str]], prefix: str) -> list[list[str]]:
    """The strongly connected components of more than one module among `prefix*` modules (Tarjan),
    each as a closed path that shows how the modules reach each other."""
    nodes = sorted(n for n in edges if n.startswith(prefix))
    sub = {n: sorted(t for t in edges[n] if t in nodes) for n in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sub[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(_closed_path(sorted(component), sub))

    for n in nodes:
        if n not in index:
            visit(n)
    return found


def _closed_path(component: list[str], sub: dict[str, list[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself (breadth first)."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sub[v]:
            if w == start:
                return paths[v] + [start]
            if w in members and w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    return component  # unreachable for a strongly connected component


def test_the_graph_is_read():
    """The walk finds the modules and the edges it is meant to judge (a guard against a silent empty graph)."""
    edges = graph()
    assert {"ui.components", "ui.loaders", "core.capacity", "core.i18n"} <= set(edges)
    assert {"core.capacity", "core.i18n"} <= edges["ui.loaders"]


def test_cycle_finder_finds_a_lazy_cycle():
    """The finder itself: a cycle through an import inside a function is found and shown as a path."""
    edges = {"ui.a": frozenset({"ui.b"}), "ui.b": frozenset({"ui.c"}), "ui.c": frozenset({"ui.a"}),
             "ui.d": frozenset({"ui.a"})}
    assert cycles(edges, "ui.") == [["ui.a", "ui.b", "ui.c", "ui.a"]]
    tree = ast.parse("def f():\n    from ui import loaders\n")
    assert any(isinstance(n, ast.ImportFrom) and n.module == "ui" for n in ast.walk(tree))


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package):
    found = cycles(graph(), f"{package}.")
    assert not found, "import cycles (also through imports inside functions):\n" + "\n".join(
        " → ".join(path) for path in found)


def test_core_imports_neither_ui_nor_streamlit():
    bad = {name: sorted(i for i in imported_names(name, path)
                        if i.split(".")[0] in ("ui", "streamlit"))
           for name, path in modules().items() if name.split(".")[0] == "core"}
    assert not {k: v for k, v in bad.items() if v}


def test_loaders_are_data_access_only():
    """ui.loaders imports no other ui module than ui.cache (the one cache decorator, which imports no ui
    module itself) and calls Streamlit only for its caches: no element, no session state, so any view can
    use it and it can use no view."""
    path = modules()["ui.loaders"]
    assert not {i for i in imported_names("ui.loaders", path)
                if i.split(".")[0] == "ui" and i != "ui" and i.split(".")[:2] != ["ui", "cache"]}
    assert not {i for i in imported_names("ui.cache", modules()["ui.cache"]) if i.split(".")[0] == "ui"}
    used = {node.attr for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "st"}
    assert used <= {"cache_data", "cache_resource"}, sorted(used)


def test_no_ui_module_is_named_like_a_page():
    """The naming rule in ui/__init__.py: a page's rendering is ui/<topic>_view.py, never ui/<page>.py
    (ui/kontor.py and ui/tiltak.py read as the pages themselves)."""
    pages = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert pages, "no pages found"
    assert not sorted(pages & {name.split(".", 1)[1] for name in module_files("ui") if "." in name})
