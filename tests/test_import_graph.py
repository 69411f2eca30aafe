"""Imports between generator modules go one way: no module imports, however lazily (inside a function, under
TYPE_CHECKING), one that imports it back. A cycle hides which stage lies below which (archive ↔ build was one)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT

PACKAGE = "generator"


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package under root by its dotted name (a package by its __init__)."""
    out = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The package's modules this module imports anywhere in its text (function bodies included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in known:
                    yield target  # `from . import archive`: the module itself
                elif base in known:
                    yield base


def cycles(root: Path) -> list[list[str]]:
    """The import graph's strongly connected components of more than one module (Tarjan's algorithm)."""
    known = modules(root)
    graph = {name: sorted(set(imports(name, path, known)) - {name}) for name, path in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for name in graph:
        if name not in index:
            visit(name)
    return found


def test_no_import_cycle_between_generator_modules() -> None:
    assert cycles(ROOT) == []


def test_the_check_sees_a_lazy_import_cycle(tmp_path: Path) -> None:
    """A function-level import back (as archive.create once imported build) is a cycle too."""
    pkg = tmp_path / PACKAGE
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", "utf-8")
    (pkg / "low.py").write_text("def f():\n    from .high import g\n    return g\n", "utf-8")
    (pkg / "high.py").write_text("from . import low\n\ndef g():\n    return low\n", "utf-8")
    (pkg / "other.py").write_text("from .low import f\n", "utf-8")
    assert cycles(tmp_path) == [["generator.high", "generator.low"]]


def test_the_archive_is_made_above_the_build_it_runs() -> None:
    known = modules(ROOT)
    assert "generator.build" in set(imports("generator.archiving", known["generator.archiving"], known))
    assert "generator.build" not in set(imports("generator.archive", known["generator.archive"], known))
