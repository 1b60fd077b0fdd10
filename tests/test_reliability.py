"""Bad input, scale and crashes: every problem is one clear line, the rest still builds,
and an interrupted build never leaves a half-written output behind.

The broken-input corpus comes from ``tests/hostile_corpus.py`` (built in code).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geo.cli import app
from hostile_corpus import READABLE, write_broken_inputs

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ALL_FORMATS = "geojson,gpkg,kml,csv"
OUTPUTS = ("posture.geojson", "reports.geojson", "posture.gpkg", "posture.kml", "reports.csv", "posture.html")
runner = CliRunner()


def _skip_lines(stderr: str) -> dict[str, str]:
    """file path -> its one-line skip message."""
    out = {}
    for line in stderr.splitlines():
        if line.startswith("skipped: "):
            path, _, problem = line[len("skipped: "):].partition(": ")
            out.setdefault(path, problem)
    return out


# ------------------------------------------------------------------ broken inputs


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken")
    expected = write_broken_inputs(root / "in")
    result = runner.invoke(app, ["build", str(root / "in"), "--out", str(root / "out"), "--formats", ALL_FORMATS])
    return root, expected, result


def test_broken_inputs_each_get_one_line_naming_file_and_problem(broken_build):
    root, expected, result = broken_build
    assert result.exit_code == 1, result.output  # 1 = something was skipped
    skips = _skip_lines(result.stderr)
    for name, fragment in expected.items():
        hits = [(p, msg) for p, msg in skips.items() if Path(p).name == name]
        assert hits, f"no skip line names {name}:\n{result.stderr}"
        path, msg = hits[0]
        assert fragment in msg, (name, msg)
        assert Path(path).parent in (root / "in", root / "in" / "sub")  # the full path of the file
    # each message is one line: no traceback, no multi-line dump
    assert "Traceback" not in result.output
    assert all(len(line) < 400 for line in result.stderr.splitlines())
    assert "raise it with --max-bytes" in skips[str(root / "in" / "big.txt")]


def test_broken_metadata_fields_are_reported_and_the_article_still_used(broken_build):
    root, _, result = broken_build
    meta = str(root / "in" / "metadata.json")
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"skipped: {meta}: ")]
    text = "\n".join(lines)
    assert "'published' must be a date like 2024-05-09, got '2022-13-45'" in text
    assert "'title' must be text or null, got a number" in text
    assert "unknown key 'colour'" in text and "unknown top-level key 'extra'" in text
    assert "'published_inferred' must be true or false" in text
    assert "'missing.txt' matches no article file" in text
    assert "expected an object, got text" in text
    reports = json.loads((root / "out" / "reports.geojson").read_text(encoding="utf-8"))
    docs = {f["properties"]["doc"] for f in reports["features"]}
    assert "good.txt" in docs  # bad metadata drops fields, not the article
    good = [f["properties"] for f in reports["features"] if f["properties"]["doc"] == "good.txt"]
    assert all(p["published"] == "2022-11-12" for p in good)  # the bad date fell back to the text's


def test_rest_of_the_corpus_is_still_built(broken_build):
    root, _, result = broken_build
    for name in OUTPUTS:
        assert (root / "out" / name).stat().st_size > 0, name
    reports = json.loads((root / "out" / "reports.geojson").read_text(encoding="utf-8"))
    docs = {f["properties"]["doc"] for f in reports["features"]}
    # the non-UTF-8, UTF-16 and script-laden HTML articles were decoded and extracted
    assert {"good.txt", "latin1.txt", "cp1251.txt", "utf16.txt", "nav.html", "inner.txt"} <= docs
    summary = [line for line in result.stderr.splitlines() if "articles," in line][0]
    assert summary.startswith(f"{len(READABLE)} articles,")


def test_non_utf8_articles_are_decoded_sensibly(tmp_path):
    from geo.text.articles import iter_articles

    write_broken_inputs(tmp_path / "in")
    texts = {a.doc: a.text for a in iter_articles([tmp_path / "in"]) if not isinstance(a, Exception)}
    for name, word in READABLE.items():
        assert word in texts[name], (name, texts[name][:200])
    assert "déjà" in texts["latin1.txt"] and "café" in texts["latin1.txt"]
    assert "Российские войска покинули Херсон" in texts["cp1251.txt"]
    assert "\ufeff" not in texts["utf16.txt"] and "\x00" not in texts["utf16.txt"]
    assert "console.log" not in texts["nav.html"] and "Section 12" not in texts["nav.html"]


@pytest.mark.parametrize("text", ["“No”", "“Smart quotes” – dashes… and €5 in Kherson"])
def test_short_windows_1252_text_is_decoded(tmp_path, text):
    from geo.text.articles import read_article

    p = tmp_path / "quotes.txt"
    p.write_bytes(text.encode("cp1252"))
    assert read_article(p).text == text


def test_article_without_places_builds_an_empty_map_only_with_allow_empty(tmp_path):
    """Finding 2 / point 1: zero postures in readable articles is exit 4 unless --allow-empty."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "budget.txt").write_text("The committee met on Tuesday to discuss the budget.\n")
    refused = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert refused.exit_code == 4, refused.output
    assert "--allow-empty" in refused.stderr and not (tmp_path / "out").exists()
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                                 "--formats", ALL_FORMATS, "--json", "--allow-empty"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["articles"] == 1 and summary["reports"] == 0 and summary["skipped"] == []
    geo = json.loads((tmp_path / "out" / "posture.geojson").read_text())
    assert geo == {"type": "FeatureCollection", "features": []}
    assert (tmp_path / "out" / "reports.csv").read_text().count("\n") == 1  # header only
    assert "<html" in (tmp_path / "out" / "posture.html").read_text()[:500].lower()


def test_size_cap_message_says_how_to_raise_it_and_raising_it_works(tmp_path):
    (tmp_path / "in").mkdir()
    big = tmp_path / "in" / "long.txt"
    big.write_text("Russian troops left Kherson, Ukraine.\n" + "The town was quiet. " * 100)
    small = tmp_path / "in" / "short.txt"
    small.write_text("Russian soldiers remain in Gyumri, Armenia.\n")
    capped = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "o1"), "--max-bytes", "1000"])
    assert capped.exit_code == 1
    assert _skip_lines(capped.stderr) == {
        str(big): f"file is {big.stat().st_size / 1000:.1f} kB, over the 1,000 bytes limit; raise it with --max-bytes"}
    raised = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "--max-bytes", "100000"])
    assert raised.exit_code == 0, raised.output
    docs = {f["properties"]["doc"] for f in json.loads((tmp_path / "o2" / "reports.geojson").read_text())["features"]}
    assert docs == {"long.txt", "short.txt"}


def test_unreadable_file_is_skipped_with_reason(tmp_path, monkeypatch):
    import builtins

    import geo.text.articles
    from geo.pipeline.run import build

    (tmp_path / "in").mkdir()
    locked = tmp_path / "in" / "locked.txt"
    locked.write_text("Russian troops left Kherson, Ukraine.\n")
    (tmp_path / "in" / "open.txt").write_text("Russian soldiers remain in Gyumri, Armenia.\n")
    if os.geteuid() != 0:
        locked.chmod(0)
    else:  # root reads anything: make open() fail the way a mode-000 file would
        real_open = builtins.open

        def deny(file, *args, **kwargs):
            if Path(file) == locked:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(geo.text.articles, "open", deny, raising=False)
    seen = []
    result = build([tmp_path / "in"], out=None, extractor=_Counting(), on_article=seen.append)
    assert [str(e) for e in result.skipped] == [f"{locked}: cannot read file: Permission denied"]
    assert result.n_articles == 1
    assert [type(x).__name__ for x in seen] == ["ArticleError", "Article"]  # progress saw both, in order


class _Counting:
    """A stand-in extractor that counts the articles it sees (no gazetteer)."""

    g = type("G", (), {"version": "fake-counting"})()

    def __init__(self):
        self.docs: list[str] = []

    def extract(self, article):
        self.docs.append(article.doc)
        return []


def test_ten_thousand_files_stream_through_a_build(tmp_path):
    from geo.pipeline.run import build

    root = tmp_path / "many"
    # ten folders holding the same 1,000 names: docs must still come out unique
    for d in range(10):
        folder = root / f"batch{d}"
        folder.mkdir(parents=True)
        for i in range(1000):
            fd = os.open(folder / f"a{i:04d}.txt", os.O_WRONLY | os.O_CREAT, 0o644)
            os.write(fd, f"Report {d}-{i}: troops left the town.\n".encode())
            os.close(fd)
    counting = _Counting()
    start = time.perf_counter()
    result = build([root], out=None, extractor=counting)
    elapsed = time.perf_counter() - start
    assert result.n_articles == 10_000 and result.skipped == []
    assert len(counting.docs) == 10_000 and len(set(counting.docs)) == 10_000
    assert counting.docs[:2] == ["batch0/a0000.txt", "batch0/a0001.txt"]  # sorted, depth first
    assert elapsed < 60, f"10,000 tiny files took {elapsed:.1f} s"


def test_output_folder_inside_the_input_is_refused(tmp_path):
    """Finding 5: --out inside (or equal to) an input folder is an error, nothing is written."""
    from geo.pipeline.run import build
    from geocore.errors import InputError

    (tmp_path / "a.txt").write_text("Russian troops left Kherson, Ukraine.\n")
    for out in (tmp_path / "maps", tmp_path):
        with pytest.raises(InputError, match="input folder"):
            build([tmp_path], out, extractor=_Counting())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


# ------------------------------------------------------------------ user gazetteers

_PLACE = "version: 1\nplaces:\n  - id: site:{id}\n    name: {name}\n    type: base\n    country: AM\n    lat: {lat}\n    lon: {lon}\n"
_FEATURE = ('{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"id":"site:g",'
            '"name":"G","type":"base","country":"AM"}},"geometry":{{"type":"Point","coordinates":[{x}, {y}]}}}}]}}')


@pytest.mark.parametrize("name, content, fragment", [
    ("broken.yaml", "version: 1\nplaces:\n  - id: site:x\n    name: X\n   type: base\n", "line 5: broken YAML"),
    ("broken.geojson", '{"type": "FeatureCollection", "features": [', "broken JSON"),
    ("range.yaml", _PLACE.format(id="far", name="Far", lat=140.2, lon=44.5), "field 'lat': 140.2 out of range -90..90"),
    ("range.geojson", _FEATURE.format(x=244.5, y=40.2), "field 'lon': 244.5 out of range -180..180"),
    ("swapped.yaml", _PLACE.format(id="sw", name="Sw", lat=44.5, lon=40.2), "lat/lon look swapped"),
    ("swapped.geojson", _FEATURE.format(x=40.2, y=44.5), "lat/lon look swapped"),
    ("nan.yaml", _PLACE.format(id="n", name="N", lat=".nan", lon=44.5), "field 'lat': expected a number"),
    ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "cannot read curated places"),
    ("hostile.yaml", _PLACE.format(id="h", name='"<script>x</script>"', lat="[1]", lon=44.5), "field 'lat'"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 20 and "\n" not in v else "")
def test_bad_user_gazetteer_is_a_one_line_error(tmp_path, name, content, fragment):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = runner.invoke(app, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "--gazetteer", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}: ") and fragment in lines[0], lines[0]
    assert not (tmp_path / "out" / "posture.html").exists()  # nothing built from a bad gazetteer


@pytest.mark.parametrize("name, content", [
    ("deep.yaml", "version: 1\nplaces: " + "[" * 5000 + "\n"),
    ("deep.geojson", "[" * 100_000),
], ids=["yaml", "geojson"])
def test_deeply_nested_user_gazetteer_is_a_one_line_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    result = runner.invoke(app, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "--gazetteer", str(path)])
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {path}: "), result.output[-500:]


# ------------------------------------------------------------------ interrupted builds


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in (*OUTPUTS, "build.json")}


def _check_loadable(out: Path) -> None:
    import pyogrio

    from geo.outputs.export import validate_geojson

    validate_geojson(out / "posture.geojson", "postures")
    validate_geojson(out / "reports.geojson", "reports")
    layers = {name for name, _ in pyogrio.list_layers(out / "posture.gpkg")}
    assert layers == {"postures", "reports"}
    assert pyogrio.read_info(out / "posture.gpkg", layer="reports")["features"] >= 0
    import xml.etree.ElementTree as ET

    ET.parse(out / "posture.kml")
    import csv

    with open(out / "reports.csv", newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh))[0] == "place_id"
    assert (out / "posture.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def _check_no_stray_files(out: Path) -> None:
    """Nothing besides the outputs, build.json and the cache: temporary files live in the staging folder."""
    for p in out.iterdir():
        assert p.name in (*OUTPUTS, "build.json") or p.name.startswith(".geomap-cache.sqlite"), p.name


def _check_cache(out: Path) -> None:
    cache = out / ".geomap-cache.sqlite"
    if cache.exists():
        with sqlite3.connect(cache) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _cli(args: list[str], prelude: str = "") -> list[str]:
    script = prelude + "\nimport sys\nfrom geo.cli import main\nsys.argv = ['geomap'] + sys.argv[1:]\nmain()\n"
    return [sys.executable, "-c", script, *args]


def _build_cmd(inputs, out: Path) -> list[str]:
    return ["build", *map(str, inputs), "--out", str(out), "--formats", ALL_FORMATS, "-q"]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Path:
    """Two finished CLI builds: ``small`` (one seed article) and ``full`` (all seeds)."""
    root = tmp_path_factory.mktemp("builds")
    procs = [subprocess.Popen(_cli(_build_cmd(inputs, root / name)), cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for name, inputs in (("small", [SEEDS / "000_776ac4594c2c3628.txt"]), ("full", [SEEDS]))]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    return root


def _previous_build(builds: Path, out: Path) -> dict[str, bytes]:
    """Put a complete earlier build (without its cache) into ``out``; return its bytes."""
    out.mkdir()
    for name in (*OUTPUTS, "build.json"):
        shutil.copy2(builds / "small" / name, out / name)
    return _snapshot(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """60 articles: 12 renamed copies of each seed article."""
    root = tmp_path_factory.mktemp("corpus")
    for i in range(12):
        for f in sorted(SEEDS.glob("*.txt")):
            (root / f"copy{i:02d}_{f.name}").write_bytes(f.read_bytes())
    return root


def test_sigkill_during_a_build_leaves_previous_outputs_intact(tmp_path, builds, corpus):
    out = tmp_path / "out"
    before = _previous_build(builds, out)
    proc = subprocess.Popen(_cli(_build_cmd([corpus], out)), cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = out / ".geomap-cache.sqlite"
    deadline = time.monotonic() + 2.5
    # kill while articles are being extracted: soon after the cache is written to, else after 2.5 s
    while time.monotonic() < deadline and proc.poll() is None:
        if cache.exists() and cache.stat().st_size > 0:
            time.sleep(0.5)
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the build finished before it could be killed; use a bigger corpus"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert _snapshot(out) == before  # killed before writing: the previous outputs, byte for byte
    _check_loadable(out)
    _check_no_stray_files(out)
    _check_cache(out)
    again = runner.invoke(app, _build_cmd([corpus], out)[:-1] + ["--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["articles"] == 60
    _check_loadable(out)
    _check_cache(out)
    reports = json.loads((out / "reports.geojson").read_text())
    assert len({f["properties"]["doc"] for f in reports["features"]}) == 60
