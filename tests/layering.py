"""An import-direction checker: which imports point up a layer, and which modules form cycles.

A *contract* is a list of layers, lowest first; each layer is a tuple of
module prefixes (its components). A module belongs to the component with the
longest matching prefix. An import may point down the list or stay inside its
own component; an import up the list, or sideways into another component of
the same layer, is a violation. Every ``import`` and ``from ... import``
counts, at module level or inside a function, so a lazy import cannot hide an
upward dependency. Cycles are found over the same graph.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable, Sequence


def modules_under(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """``{dotted module name: file}`` for every .py file of ``packages`` under ``root``."""
    found = {}
    for pkg in packages:
        for path in sorted((root / pkg.replace(".", "/")).rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported(module: str, path: Path, known: set[str]) -> set[str]:
    """Project modules that ``module`` imports (a name imported from a package counts as its submodule if one exists)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_pkg else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
        else:
            continue
        for name in targets:
            while name and name not in known:  # "import a.b.c" of a package path: the deepest known module
                name = name.rpartition(".")[0]
            if name and name != module:
                out.add(name)
    return out


def import_graph(root: Path, packages: Iterable[str]) -> dict[str, set[str]]:
    """``{module: project modules it imports}``."""
    mods = modules_under(root, packages)
    known = set(mods)
    return {m: _imported(m, p, known) for m, p in mods.items()}


def _component(module: str, layers: Sequence[Sequence[str]]) -> tuple[int, str] | None:
    best = None
    for rank, layer in enumerate(layers):
        for prefix in layer:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > len(best[1]):
                    best = (rank, prefix)
    return best


def violations(graph: dict[str, set[str]], layers: Sequence[Sequence[str]]) -> list[str]:
    """Each import that points up the layers or sideways into another component, as 'a -> b (why)'."""
    problems = []
    for mod in sorted(graph):
        here = _component(mod, layers)
        if here is None:
            problems.append(f"{mod}: in no layer of the contract")
            continue
        for dep in sorted(graph[mod]):
            there = _component(dep, layers)
            if there is None:
                problems.append(f"{mod} -> {dep}: {dep} is in no layer of the contract")
            elif there[0] > here[0]:
                problems.append(f"{mod} -> {dep}: points up from {here[1]} to {there[1]}")
            elif there[0] == here[0] and there[1] != here[1]:
                problems.append(f"{mod} -> {dep}: sideways from {here[1]} to {there[1]}")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)
