"""A build never destroys a good map, and a build folder holds one build's files (issue 15).

Each test names the finding (issue 15's table) or point it guards. Builds are
real CLI runs into real folders; the concurrency test runs real processes.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geo.cli import app

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ONE_SEED = SEEDS / "000_776ac4594c2c3628.txt"
ALL_FORMATS = "geojson,gpkg,kml,csv"
EXPORTS = ("posture.geojson", "reports.geojson", "posture.gpkg", "posture.kml", "reports.csv", "posture.html")
runner = CliRunner()


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) -> its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _siblings(folder: Path) -> list[str]:
    """Names beside ``folder`` that a build made: staging remains must not survive a finished command."""
    return sorted(p.name for p in folder.parent.iterdir() if ".staging-" in p.name)


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A finished build of the seeds with every export (a template: tests copy it)."""
    out = tmp_path_factory.mktemp("good") / "maps"
    res = runner.invoke(app, ["build", str(SEEDS), "--out", str(out), "--formats", ALL_FORMATS, "-q"])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture
def maps(good, tmp_path) -> Path:
    out = tmp_path / "maps"
    shutil.copytree(good, out)
    return out


def test_empty_input_folder_changes_nothing(maps, tmp_path):
    """Finding 2 / point 1: an empty input folder exits 3, names the folder, leaves every file as it was."""
    before = _tree(maps)
    (tmp_path / "empty").mkdir()
    res = runner.invoke(app, ["build", str(tmp_path / "empty"), "--out", str(maps)])
    assert res.exit_code == 3, res.output
    assert res.stderr.strip().splitlines() == [
        f"error: nothing to build: no article files (.txt, .md, .html) in {tmp_path / 'empty'}; "
        f"{maps} was left as it was"]
    assert _tree(maps) == before and _siblings(maps) == []


def test_folder_of_unusable_files_changes_nothing(maps, tmp_path):
    """Finding 3 / point 1: only unusable files: exit 3, each file listed with its reason, nothing replaced."""
    before = _tree(maps)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "zero.txt").write_bytes(b"")
    (bad / "random.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    res = runner.invoke(app, ["build", str(bad), "--out", str(maps)])
    assert res.exit_code == 3, res.output
    skipped = [line for line in res.stderr.splitlines() if line.startswith("skipped: ")]
    assert sorted(line.split(": ")[1] for line in skipped) == sorted(str(bad / n) for n in
                                                                     ("zero.txt", "random.txt", "image.html"))
    assert "none of the 3 input(s)" in res.stderr and "Traceback" not in res.output
    assert _tree(maps) == before


@pytest.mark.parametrize("value", ["-5", "0"])
def test_max_bytes_must_be_positive(maps, value):
    """Finding 4: --max-bytes -5 or 0 is a one-line usage error (exit 2), the map is kept."""
    before = _tree(maps)
    res = runner.invoke(app, ["build", str(SEEDS), "--out", str(maps), "--max-bytes", value])
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines() == [f"error: --max-bytes must be a positive number of bytes, got {value}"]
    assert _tree(maps) == before


def test_out_equal_to_the_input_folder_is_refused(tmp_path):
    """Finding 5: --out equal to the input folder (or inside it) is exit 2 and writes nothing there."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ONE_SEED, src / ONE_SEED.name)
    for out in (src, src / "maps"):
        res = runner.invoke(app, ["build", str(src), "--out", str(out)])
        assert res.exit_code == 2, res.output
        assert "input folder" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["in", ONE_SEED.name])


def test_narrower_rebuild_leaves_no_earlier_export_beside_the_new_ones(maps):
    """Finding 7 / point 2: a geojson-only rebuild removes the old GeoPackage, KML and CSV; user files stay."""
    (maps / ".gitkeep").write_bytes(b"")
    (maps / "notes.txt").write_text("my notes")
    res = runner.invoke(app, ["build", str(ONE_SEED), "--out", str(maps), "-q"])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in maps.iterdir())
    assert names == [".geomap-cache.sqlite", ".gitkeep", "build.json", "notes.txt", "posture.geojson",
                     "posture.html", "reports.geojson"]
    manifest = json.loads((maps / "build.json").read_text())
    assert sorted(manifest["outputs"]) == ["posture.geojson", "posture.html", "reports.geojson"]
    assert [i["doc"] for i in manifest["inputs"]] == [ONE_SEED.name]
    assert (maps / "notes.txt").read_text() == "my notes" and _siblings(maps) == []


def test_manifest_lists_inputs_options_versions_and_output_hashes(good):
    """Point 2: build.json holds inputs with hashes, options, versions and outputs with hashes; the map names it."""
    import hashlib

    manifest = json.loads((good / "build.json").read_text())
    assert manifest["format"] == "geomap-build/1"
    assert [i["doc"] for i in manifest["inputs"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
    for item in manifest["inputs"]:
        assert item["sha256"] == hashlib.sha256((SEEDS / item["doc"]).read_bytes()).hexdigest()
    assert manifest["options"]["formats"] == ["geojson", "gpkg", "kml", "csv"]
    assert manifest["versions"]["geomap"] and "/" in manifest["versions"]["extractor"]
    assert sorted(manifest["outputs"]) == sorted(EXPORTS)
    for name, entry in manifest["outputs"].items():
        data = (good / name).read_bytes()
        assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert f'<meta name="geomap-build" content="{manifest["build"]}">' in (good / "posture.html").read_text()


def test_export_refuses_files_of_different_builds(maps, tmp_path):
    """Point 2: `geomap export` refuses a changed output and an output left from another build."""
    ok = runner.invoke(app, ["export", "--format", "kml", "--from", str(maps), "--out", str(tmp_path / "a.kml")])
    assert ok.exit_code == 0, ok.output
    (maps / "posture.kml").unlink()  # a listed output missing
    res = runner.invoke(app, ["export", "--format", "csv", "--from", str(maps), "--out", str(tmp_path / "b.csv")])
    assert res.exit_code == 2 and f"{maps / 'posture.kml'}: listed in build.json but missing" in res.stderr
    shutil.copytree(maps, tmp_path / "other")
    narrow = runner.invoke(app, ["build", str(ONE_SEED), "--out", str(tmp_path / "other"), "-q"])
    assert narrow.exit_code == 0
    shutil.copy(maps / "posture.gpkg", tmp_path / "other" / "posture.gpkg")  # a file of the earlier build
    res = runner.invoke(app, ["export", "--format", "csv", "--from", str(tmp_path / "other")])
    assert res.exit_code == 2 and "not part of the build" in res.stderr and "posture.gpkg" in res.stderr
    (tmp_path / "other" / "posture.gpkg").unlink()
    with open(tmp_path / "other" / "posture.geojson", "a") as fh:
        fh.write(" ")
    res = runner.invoke(app, ["export", "--format", "csv", "--from", str(tmp_path / "other")])
    assert res.exit_code == 2 and "differs from the file build.json lists" in res.stderr


def test_export_into_the_build_folder_joins_the_manifest(tmp_path):
    """Point 2: a file `geomap export` writes into the build folder is listed, so the set stays checkable."""
    out = tmp_path / "maps"
    assert runner.invoke(app, ["build", str(ONE_SEED), "--out", str(out), "-q"]).exit_code == 0
    res = runner.invoke(app, ["export", "--format", "kml", "--from", str(out)])
    assert res.exit_code == 0, res.output
    assert "posture.kml" in json.loads((out / "build.json").read_text())["outputs"]
    again = runner.invoke(app, ["export", "--format", "csv", "--from", str(out)])
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("case", ["out-is-file", "out-under-file", "cache-under-file", "cache-folder-missing"])
def test_out_and_cache_paths_are_checked_with_one_line_errors(tmp_path, case):
    """Findings 11 and 14: --out FILE, --cache FILE/c.sqlite, --cache a/b/c.sqlite: one line, exit 2, no folders made."""
    file = tmp_path / "file.txt"
    file.write_text("x")
    args = {"out-is-file": ["--out", str(file)],
            "out-under-file": ["--out", str(file / "maps")],
            "cache-under-file": ["--out", str(tmp_path / "o"), "--cache", str(file / "c.sqlite")],
            "cache-folder-missing": ["--out", str(tmp_path / "o"), "--cache", str(tmp_path / "a" / "b" / "c.sqlite")]}
    res = runner.invoke(app, ["build", str(ONE_SEED), *args[case]])
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --") and "Traceback" not in res.output, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_gazetteer_lookup_options_are_checked():
    """Finding 14: `gazetteer lookup --limit -1` and `--country ZZZ` are usage errors, not "no place named"."""
    for args, fragment in ((["--limit", "-1"], "--limit must be at least 1"),
                           (["--country", "ZZZ"], "not a two-letter ISO 3166-1 code")):
        res = runner.invoke(app, ["gazetteer", "lookup", "Gyumri", *args])
        assert res.exit_code == 2 and fragment in res.stderr, res.output


def test_out_holding_a_user_folder_is_refused(maps):
    """Point 2: a build replaces the folder as a whole, so a folder geomap did not write stops it (nothing moved)."""
    (maps / "mine").mkdir()
    (maps / "mine" / "keep.txt").write_text("keep")
    before = _tree(maps)
    res = runner.invoke(app, ["build", str(ONE_SEED), "--out", str(maps)])
    assert res.exit_code == 2 and "mine/" in res.stderr, res.output
    assert _tree(maps) == before


def test_good_then_empty_then_narrower_never_leaves_a_mix(tmp_path):
    """Issue 15, "Done when" (findings 2 and 7): good build, empty folder, narrower build: first the good set
    untouched, then a complete new set with its manifest, never files of two builds."""
    from geo.pipeline.manifest import check_set

    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(SEEDS), "--out", str(out), "--formats", ALL_FORMATS]).exit_code == 0
    first = _tree(out)
    assert sorted(check_set(out)["outputs"]) == sorted(EXPORTS)
    (tmp_path / "empty").mkdir()
    assert runner.invoke(app, ["build", str(tmp_path / "empty"), "--out", str(out)]).exit_code == 3
    assert _tree(out) == first
    assert runner.invoke(app, ["build", str(ONE_SEED), "--out", str(out)]).exit_code == 0
    listed = check_set(out)["outputs"]
    assert sorted(listed) == ["posture.geojson", "posture.html", "reports.geojson"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted([*listed, "build.json"])


# ------------------------------------------------------------------ concurrent builds


def _cli(args: list[str]) -> list[str]:
    script = "import sys\nfrom geo.cli import main\nsys.argv = ['geomap'] + sys.argv[1:]\nmain()\n"
    return [sys.executable, "-c", script, *args]


def test_a_second_build_waits_on_the_lock_with_a_message(maps):
    """Finding 15 / point 5: while the lock is held, a build into the same --out says so and waits."""
    from geo.pipeline.lock import build_lock
    from geo.pipeline.manifest import check_set

    before = _tree(maps)
    with build_lock(maps):
        proc = subprocess.Popen(_cli(["build", str(ONE_SEED), "--out", str(maps), "-q"]), cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        line = proc.stderr.readline()  # blocks until the build reports the wait
        assert "waiting for it to finish" in line and str(maps) in line, line
        time.sleep(1.0)
        assert proc.poll() is None and _tree(maps) == before  # it really waits
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert sorted(check_set(maps)["outputs"]) == ["posture.geojson", "posture.html", "reports.geojson"]


def test_two_concurrent_builds_leave_one_complete_set(tmp_path):
    """Finding 15 / point 5: two builds started together into one --out end with one build's complete set."""
    from geo.pipeline.manifest import check_set

    out = tmp_path / "maps"
    runs = [["build", str(SEEDS), "--out", str(out), "--formats", ALL_FORMATS, "-q"],
            ["build", str(ONE_SEED), "--out", str(out), "-q"]]
    procs = [subprocess.Popen(_cli(args), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for args in runs]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    manifest = check_set(out)  # every listed file present with its hash, nothing of the other build beside it
    assert sorted(manifest["outputs"]) in (sorted(EXPORTS), ["posture.geojson", "posture.html", "reports.geojson"])
    assert _siblings(out) == []
    assert not [p for p in out.iterdir() if p.name.startswith(".") and not p.name.startswith(".geomap-cache")]
    assert not os.path.exists(out.parent / ".maps.lock")  # removed when the last build ended
