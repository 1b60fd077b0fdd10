"""Same inputs and version give the same bytes.

Two ``geomap build`` processes with different hash seeds (so any dependence on
set or dict-of-hash order shows), a build from a copy of the corpus whose
files were created in the opposite order and placed elsewhere, and a rebuild
served from the cache must all write identical HTML, GeoJSON, CSV, KML and
GeoPackage files. GeoPackage timestamps come from SOURCE_DATE_EPOCH.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hostile_corpus import write_hostile_corpus

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ALL_FORMATS = "geojson,gpkg,kml,csv"
# build.json too (point 7 of issue 15): the manifest holds no time, host or absolute path
OUTPUTS = ("posture.html", "posture.geojson", "reports.geojson", "reports.csv", "posture.kml", "posture.gpkg",
           "build.json")


def _cmd(corpus: Path, out: Path) -> list[str]:
    script = "import sys\nfrom geo.cli import main\nsys.argv = ['geomap'] + sys.argv[1:]\nmain()\n"
    return [sys.executable, "-c", script, "build", str(corpus), "--out", str(out), "--formats", ALL_FORMATS, "-q"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(extra)
    return env


def _gpkg_stamps(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return sorted(row[0] for row in db.execute("SELECT last_change FROM gpkg_contents"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seed articles (with their metadata) plus the hostile articles, in one folder."""
    root = tmp_path_factory.mktemp("repro") / "corpus"
    shutil.copytree(SEEDS, root / "seeds")
    write_hostile_corpus(root / "hostile", long_line=False)
    return root


@pytest.fixture(scope="module")
def builds(corpus, tmp_path_factory):
    """Three builds of the corpus run side by side, in separate processes."""
    root = tmp_path_factory.mktemp("outs")
    runs = {
        "a": _env(PYTHONHASHSEED="1"),
        "b": _env(PYTHONHASHSEED="2"),
        "epoch": _env(PYTHONHASHSEED="3", SOURCE_DATE_EPOCH="1700000000"),
    }
    procs = {name: subprocess.Popen(_cmd(corpus, root / name), cwd=REPO, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for name, env in runs.items()}
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, f"{name}: {err}"  # 1: the hostile metadata's bad URLs are skipped
    return root


def test_two_builds_are_byte_identical(builds):
    for name in OUTPUTS:
        a, b = (builds / "a" / name).read_bytes(), (builds / "b" / name).read_bytes()
        assert len(a) > 0 and a == b, name


def test_gpkg_timestamps_come_from_source_date_epoch(builds):
    expected = datetime.fromtimestamp(1700000000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert _gpkg_stamps(builds / "epoch" / "posture.gpkg") == [expected, expected]
    # without it a fixed date, never the wall clock
    assert _gpkg_stamps(builds / "a" / "posture.gpkg") == ["2000-01-01T00:00:00.000Z"] * 2


def test_source_date_epoch_changes_nothing_but_gpkg_timestamps(builds):
    for name in OUTPUTS:
        a, epoch = (builds / "a" / name).read_bytes(), (builds / "epoch" / name).read_bytes()
        if name == "build.json":  # lists the GeoPackage's hash, which the timestamps change
            import json

            a, epoch = json.loads(a), json.loads(epoch)
            a["outputs"].pop("posture.gpkg"), epoch["outputs"].pop("posture.gpkg")
            assert a == epoch, name
        elif name != "posture.gpkg":
            assert a == epoch, name
    # the GeoPackages hold the same rows; only the metadata timestamps differ
    import pyogrio

    for layer in ("postures", "reports"):
        fa = pyogrio.read_dataframe(builds / "a" / "posture.gpkg", layer=layer)
        fe = pyogrio.read_dataframe(builds / "epoch" / "posture.gpkg", layer=layer)
        assert fa.equals(fe), layer


def test_file_creation_order_and_location_do_not_matter(builds, corpus, tmp_path):
    """Files written in reverse order to another folder: directory order differs, output must not."""
    from geo.pipeline.run import build

    copy = tmp_path / "elsewhere" / "corpus"
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    for src in reversed(files):
        dst = copy / src.relative_to(corpus)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)
    out = tmp_path / "out"
    old = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        build([copy], out, formats=ALL_FORMATS.split(","))
    finally:
        if old is not None:
            os.environ["SOURCE_DATE_EPOCH"] = old
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (builds / "a" / name).read_bytes(), name


def test_rebuild_from_the_cache_gives_the_same_bytes(builds, corpus, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(builds / "a", out)  # outputs and (if any) the cache of a finished build
    for path in out.iterdir():
        if not path.name.startswith(".geomap-cache"):
            path.unlink()
    done = subprocess.run(_cmd(corpus, out), cwd=REPO, env=_env(PYTHONHASHSEED="4"),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (builds / "a" / name).read_bytes(), name
