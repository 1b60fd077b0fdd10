"""SIGKILL at every fault point of a build: --out is the complete old set or the complete new set (issue 15).

Finding 6 / point 3. The build is a real ``geomap build`` process that kills
itself with SIGKILL at one named point (``$GEOMAP_FAULT``, see
:func:`geo.outputs.atomic.fault_point`): after reading each article, inside
each cache transaction, in the middle of and right before the rename of each
output file and of build.json, and around the folder swap. The points come
from a real run (``$GEOMAP_FAULT_LOG``), so a new point is tested as soon as
it exists. After each kill the folder must equal, byte for byte, one of two
reference builds, the SQLite cache must pass its integrity check, and the
next build must succeed and give the new set.
"""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geo.cli import app

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
OLD = sorted(SEEDS.glob("*.txt"))[:1]
NEW = sorted(SEEDS.glob("*.txt"))[1:3]  # two articles: 31 kill points
ALL_FORMATS = "geojson,gpkg,kml,csv"
CACHE = ".geomap-cache.sqlite"
runner = CliRunner()


def _args(inputs, out: Path) -> list[str]:
    return ["build", *map(str, inputs), "--out", str(out), "--formats", ALL_FORMATS, "-q"]


def _cli(args: list[str]) -> list[str]:
    script = "import sys\nfrom geo.cli import main\nsys.argv = ['geomap'] + sys.argv[1:]\nmain()\n"
    return [sys.executable, "-c", script, *args]


def _outputs(folder: Path) -> dict[str, bytes]:
    """The build's files (not the cache) -> bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(CACHE)}


@pytest.fixture(scope="module")
def refs(tmp_path_factory) -> dict[str, Path]:
    """Reference builds: ``old`` (one article, with its cache) and ``new`` (two others)."""
    root = tmp_path_factory.mktemp("refs")
    for name, inputs in (("old", OLD), ("new", NEW)):
        res = runner.invoke(app, _args(inputs, root / name))
        assert res.exit_code == 0, res.output
    return {"old": root / "old", "new": root / "new"}


@pytest.fixture(scope="module")
def points(refs, tmp_path_factory) -> list[str]:
    """Every fault point an uninterrupted build from the old set to the new one passes, in order."""
    root = tmp_path_factory.mktemp("points")
    shutil.copytree(refs["old"], root / "out")
    log = root / "points.log"
    env = {**os.environ, "GEOMAP_FAULT_LOG": str(log)}
    proc = subprocess.run(_cli(_args(NEW, root / "out")), cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert _outputs(root / "out") == _outputs(refs["new"])
    return list(dict.fromkeys(log.read_text().split()))


def test_the_build_has_at_least_thirty_kill_points_in_every_phase(points):
    """Point 3: at least 30 kill points: parsing, cache writes, each exporter, the manifest and the swap."""
    assert len(points) >= 30, points
    for needed in ("article:1", "cache:put:1:before-commit", "write:posture.geojson:partial",
                   "write:posture.gpkg:before-rename", "write:posture.kml:before-rename",
                   "write:reports.csv:partial", "write:posture.html:before-rename", "write:build.json:renamed",
                   "swap:before", "swap:exchanged", "swap:done"):
        assert needed in points, needed


def _check(out: Path, refs: dict[str, Path], point: str) -> str:
    got = _outputs(out)
    which = [name for name, ref in refs.items() if got == _outputs(ref)]
    assert which, f"after SIGKILL at {point}: {sorted(got)} is neither the old nor the new set"
    cache = out / CACHE
    if cache.exists():
        with sqlite3.connect(cache) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",), point
    return which[0]


def test_sigkill_at_every_point_leaves_the_old_or_the_new_set(points, refs, tmp_path):
    """Finding 6 / point 3: after SIGKILL at each point --out is one complete set, the cache is sound,
    and the next build succeeds with the new set."""
    seen = {}
    pending = list(points)
    while pending:
        batch, pending = pending[:2], pending[2:]  # two at a time: the suite runs on two cores
        procs = []
        for point in batch:
            out = tmp_path / point.replace(":", "_") / "maps"
            shutil.copytree(refs["old"], out)
            env = {**os.environ, "GEOMAP_FAULT": point}
            procs.append((point, out, subprocess.Popen(_cli(_args(NEW, out)), cwd=REPO, env=env,
                                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
        for point, out, proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == -signal.SIGKILL, f"{point}: exit {proc.returncode} {err.decode()[-500:]}"
            seen[point] = _check(out, refs, point)
            again = runner.invoke(app, _args(NEW, out))
            assert again.exit_code == 0, f"after {point}: {again.output}"
            assert _outputs(out) == _outputs(refs["new"]), point
            assert not [p for p in out.parent.iterdir() if ".staging-" in p.name], point
    # a kill before the swap keeps the old set, one after it gives the new set
    assert seen["article:1"] == seen["write:build.json:renamed"] == seen["swap:before"] == "old"
    assert seen["swap:exchanged"] == seen["swap:done"] == "new"
