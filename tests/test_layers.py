"""Imports point one way through the pipeline's stages, and no modules import each other in a cycle."""
from __future__ import annotations

import sys
from pathlib import Path

from layering import cycles, import_graph, violations

ROOT = Path(__file__).resolve().parents[1]
# Lowest first. A module may import its own component and anything below it.
CONTRACT = [
    ("geocore",),
    ("gazetteer",),
    ("geo.text",),
    ("geo.places",),
    ("geo.postures",),
    ("geo.outputs",),
    ("geo.pipeline", "geo.evaluation"),
    ("geo",),  # geo/__init__.py, geo.api and geo.cli: the public surface
]
PACKAGES = ("geocore", "gazetteer", "geo")


def test_project_imports_point_down_the_stages():
    graph = import_graph(ROOT, PACKAGES)
    assert len(graph) > 30  # the walk found the package
    assert violations(graph, CONTRACT) == []


def test_project_has_no_import_cycles():
    assert cycles(import_graph(ROOT, PACKAGES)) == []


def test_gazetteer_and_geocore_import_nothing_of_geo():
    graph = import_graph(ROOT, PACKAGES)
    for mod, deps in graph.items():
        if mod.split(".")[0] in ("gazetteer", "geocore"):
            assert not [d for d in deps if d.split(".")[0] == "geo"], mod
        if mod.split(".")[0] == "geocore":
            assert not [d for d in deps if not d.startswith("geocore")], mod


def test_geocore_and_gazetteer_load_without_geo(tmp_path):
    """At run time too: importing the gazetteer never executes geo/__init__.py."""
    import subprocess

    code = "import sys, gazetteer.index, gazetteer.online, geocore.errors; print('geo' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- the checker itself, on planted fixtures

def _package(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


FIXTURE_CONTRACT = [("pkg.core",), ("pkg.low",), ("pkg.high",), ("pkg",)]
CLEAN = {
    "pkg/__init__.py": "",
    "pkg/core/__init__.py": "",
    "pkg/core/records.py": "import json\n",
    "pkg/low/__init__.py": "",
    "pkg/low/a.py": "from pkg.core.records import json\nfrom . import b\n",
    "pkg/low/b.py": "from ..core import records\n",
    "pkg/high/__init__.py": "",
    "pkg/high/c.py": "import pkg.low.a\n",
}


def test_checker_passes_a_clean_fixture(tmp_path):
    _package(tmp_path, CLEAN)
    graph = import_graph(tmp_path, ["pkg"])
    assert graph["pkg.low.a"] == {"pkg.core.records", "pkg.low.b"}
    assert graph["pkg.low.b"] == {"pkg.core.records"}
    assert violations(graph, FIXTURE_CONTRACT) == [] and cycles(graph) == []


def test_checker_catches_a_planted_upward_import(tmp_path):
    # A lazy import inside a function counts as much as one at the top.
    _package(tmp_path, {**CLEAN, "pkg/low/b.py": "def f():\n    from pkg.high import c\n    return c\n"})
    problems = violations(import_graph(tmp_path, ["pkg"]), FIXTURE_CONTRACT)
    assert problems == ["pkg.low.b -> pkg.high.c: points up from pkg.low to pkg.high"]


def test_checker_catches_a_planted_cycle_and_a_sideways_import(tmp_path):
    files = {**CLEAN, "pkg/low/b.py": "from pkg.low.a import json\n", "pkg/side/__init__.py": "",
             "pkg/side/d.py": "from pkg.low import a\n", "pkg/low/c.py": "import pkg.side.d\n"}
    _package(tmp_path, files)
    graph = import_graph(tmp_path, ["pkg"])
    assert cycles(graph) == [["pkg.low.a", "pkg.low.b"]]
    contract = [("pkg.core",), ("pkg.low", "pkg.side"), ("pkg.high",), ("pkg",)]
    assert violations(graph, contract) == ["pkg.low.c -> pkg.side.d: sideways from pkg.low to pkg.side",
                                           "pkg.side.d -> pkg.low.a: sideways from pkg.side to pkg.low"]
