"""The house rules of the code, checked from every file's imports (also those inside functions).

* every third-party package the runtime imports is declared in pyproject.toml (not only
  pulled in by another one);
* the roles of ``skizzen/`` import downwards only (doors → outputs → steps → documents →
  intake → domain), and no two files import each other in a circle.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ["skizzen", "lab", "flows", "extractors", "models", "expectations"]
LOCAL = {*RUNTIME, "tests"}
# lower rank = lower layer; a file may import its own rank or lower
RANKS = {"domain": 0, "intake": 1, "documents": 2, "steps": 3, "outputs": 4, "doors": 5}


def _imports(path: Path) -> list[str]:
    """Absolute module names imported anywhere in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return out


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_third_party_package_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_norm(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in project["dependencies"]}
    owners = md.packages_distributions()
    missing: dict[str, set[str]] = {}
    for pkg in RUNTIME:
        for path in (ROOT / pkg).rglob("*.py"):
            for name in _imports(path):
                top = name.split(".")[0]
                if top in LOCAL or top in sys.stdlib_module_names:
                    continue
                dists = {_norm(d) for d in owners.get(top, [])}
                if dists and not dists & declared:
                    missing.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] in {"extractors", "models", "expectations"}:
        return RANKS["domain"]
    if parts[0] != "skizzen" or len(parts) < 2:
        return None
    if parts[1] in {"settings", "german", "labels"}:
        return RANKS["domain"]
    return RANKS.get(parts[1])


def _graph() -> dict[str, set[str]]:
    files = {
        _module(p): p
        for pkg in ("skizzen", "extractors", "models")
        for p in (ROOT / pkg).rglob("*.py")
    }
    files = {m: p for m, p in files.items() if "migrations" not in m}
    graph: dict[str, set[str]] = {}
    for mod, path in files.items():
        targets = set()
        for name in _imports(path):
            # "from a.b import c": the module a.b.c if it is one, else a.b
            while name and name not in files:
                name = name.rpartition(".")[0]
            if name and name != mod and files[name].name != "__init__.py":
                targets.add(name)
        graph[mod] = targets
    return graph


def test_roles_import_downwards_only() -> None:
    upward = [
        f"{a} -> {b}"
        for a, targets in _graph().items()
        for b in targets
        if (la := _layer(a)) is not None and (lb := _layer(b)) is not None and lb > la
    ]
    assert not upward, "imports against the layering: " + ", ".join(sorted(upward))


def test_no_import_circles() -> None:
    graph = _graph()
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = done
    circles: list[str] = []

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if seen.get(nxt) == 1:
                circles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in seen:
                visit(nxt, [*path, nxt])
        seen[node] = 2

    for start in sorted(graph):
        if start not in seen:
            visit(start, [start])
    assert not circles, "import circles: " + "; ".join(circles)


@pytest.mark.parametrize("module", ["skizzen.doors.cli", "skizzen.steps.pipeline"])
def test_the_graph_sees_the_imports(module: str) -> None:
    """The checks above would pass on an empty graph: make sure it is not empty."""
    assert _graph()[module], module
