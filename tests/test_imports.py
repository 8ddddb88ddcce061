"""The package's import structure: no cycles among top-level imports, and no function-local
imports of kkr modules used to dodge one.

Every .py under kkr/, ingest/, index/, service/ and ontology/ is mapped to its installed name
(the roots of setup.py: ingest/ is kkr.ingest, ...), parsed with `ast` (nothing is imported), and
its imports of kkr modules (`import kkr.x`, `from kkr.x import y`, relative imports; `from kkr.x
import y` counts as an import of kkr.x.y when that is a module) become edges of a graph.

A function-local import of a kkr module is allowed only with a comment `# lazy: <reason>` on its
line: for modules backed by heavy third-party libraries (the model, the index, spaCy) loaded on
demand so that start-up stays fast."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOTS = {
    "kkr": "kkr",
    "kkr.ingest": "ingest",
    "kkr.index": "index",
    "kkr.service": "service",
    "kkr.ontology": "ontology",
}
LAZY = re.compile(r"#\s*lazy:\s*\S")

# Cycles of top-level imports that this test knows of, each as the sorted tuple of its modules,
# with why it is there. There are none.
ALLOWED_CYCLES: dict[tuple[str, ...], str] = {}

_CLI = (
    "the command loads it when it runs: torch, faiss and spaCy take seconds to load, which "
    "`kkr --help` and the other commands need not wait for"
)
# Function-local imports of kkr modules outside service/ that carry no `# lazy:` comment, as
# (module, imported module), with why each is local.
ALLOWED_LOCAL: dict[tuple[str, str], str] = {
    ("kkr.cli_ingest", "kkr.ingest.pipeline"): _CLI,
    ("kkr.cli_ingest", "kkr.index.paragraph_index"): _CLI,
    ("kkr.cli_query", "kkr.index.paragraph_index"): _CLI,
    ("kkr.cli_query", "kkr.index.search"): _CLI,
    ("kkr.cli_query", "kkr.index.evaluate"): _CLI,
    ("kkr.cli_query", "kkr.qa.answer"): _CLI,
    ("kkr.cli_query", "kkr.qa.evaluate"): _CLI,
    ("kkr.cli_query", "kkr.extraction_eval"): _CLI,
    ("kkr.cli_serve", "kkr.service.app"): "Flask, rdflib and the service's modules load only when serving",
    ("kkr.backup", "kkr.store"): "pyoxigraph is loaded only to count the triples of a backup being checked",
    ("kkr.ingest.pipeline", "kkr.ontology"): "rdflib (behind kkr.ontology) is loaded only when the "
    "ontology graph is written",
}


def _modules() -> dict[str, Path]:
    found = {}
    for name, folder in ROOTS.items():
        base = ROOT / folder
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(base)
            if "__pycache__" in rel.parts or (name == "kkr" and rel.parts[0] in ROOTS.values()):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([name, *parts])] = path
    return found


MODULES = _modules()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The kkr modules `node` (in `module`) imports."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module if _is_package(module) else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{node.module}" if node.module else package
        else:
            base = node.module or ""
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    found = []
    for name in names:
        while name and name not in MODULES:  # import kkr.a.b of a module kkr.a → kkr.a
            name = name.rpartition(".")[0]
        if name and name != module and name not in found:
            found.append(name)
    return found


def _imports() -> tuple[dict[str, set[str]], list[tuple[str, int, str]]]:
    """(the graph of top-level imports, the function-local kkr imports without `# lazy:`)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    dodges = []
    for module, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source, filename=str(path))

        def visit(node: ast.AST, in_function: bool) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    targets = _targets(module, child)
                    if in_function:
                        line = lines[child.lineno - 1]
                        for target in targets:
                            if not LAZY.search(line) and (module, target) not in ALLOWED_LOCAL:
                                dodges.append((module, child.lineno, target))
                    elif not _type_checking(node):
                        graph[module].update(targets)
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

        visit(tree, False)
    return graph, dodges


def _type_checking(node: ast.AST) -> bool:
    """An `if TYPE_CHECKING:` block: imports for annotations only, never run."""
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
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
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def _path(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One cycle through the component's first module, to print."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    todo = [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                todo.append(w)
    return component


GRAPH, DODGES = _imports()


def test_the_modules_are_found():
    assert {"kkr.errors", "kkr.ingest.pipeline", "kkr.index.search", "kkr.service.app"} <= set(MODULES)


def test_no_import_cycles():
    cycles = [c for c in _cycles(GRAPH) if tuple(c) not in ALLOWED_CYCLES]
    for component in cycles:
        print("import cycle:", " → ".join(_path(GRAPH, component)), f"(modules: {', '.join(component)})")
    assert not cycles, f"{len(cycles)} import cycle(s); see the output"


def test_no_function_local_kkr_imports():
    for module, line, target in DODGES:
        print(f"{MODULES[module].relative_to(ROOT)}:{line}: {module} imports {target} inside a function")
    assert not DODGES, (
        "function-local imports of kkr modules (a dodged cycle?); import at the top, "
        "or mark a heavy on-demand load with '# lazy: <reason>'"
    )


@pytest.mark.parametrize("allowed", sorted(ALLOWED_LOCAL))
def test_the_allowed_local_imports_are_still_there(allowed):
    everywhere = {(module, target) for module, _line, target in _imports_everywhere()}
    assert allowed in everywhere, f"{allowed} is no longer imported in a function: drop it from ALLOWED_LOCAL"


def _imports_everywhere() -> list[tuple[str, int, str]]:
    """Every function-local kkr import, allowed or not."""
    saved = dict(ALLOWED_LOCAL)
    ALLOWED_LOCAL.clear()
    try:
        return _imports()[1]
    finally:
        ALLOWED_LOCAL.update(saved)


@pytest.mark.parametrize("allowed", sorted(ALLOWED_CYCLES))
def test_the_allowed_cycles_are_still_there(allowed):
    assert list(allowed) in _cycles(GRAPH), f"{allowed} is no longer a cycle: drop it from ALLOWED_CYCLES"
