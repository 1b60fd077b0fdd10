"""Caches, gold files and links are untrusted input (issue 15).

Each test names the finding (issue 15's table) or point it guards. Caches
are real SQLite files damaged on disk; builds are real CLI runs.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geo.cli import app

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
TWO = sorted(SEEDS.glob("*.txt"))[:2]
CACHE = ".geomap-cache.sqlite"
OUTPUTS = ("posture.geojson", "reports.geojson", "posture.html", "build.json")
runner = CliRunner()


def _build(out: Path, *extra: str):
    return runner.invoke(app, ["build", *map(str, TWO), "--out", str(out), *extra])


def _outputs(out: Path) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in OUTPUTS}


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """A build of two seed articles with its cache (a template)."""
    out = tmp_path_factory.mktemp("clean") / "maps"
    res = _build(out, "-q")
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture
def maps(clean, tmp_path) -> Path:
    shutil.copytree(clean, tmp_path / "maps")
    return tmp_path / "maps"


def _warnings(res) -> list[str]:
    return [line for line in res.stderr.splitlines() if line.startswith("warning: ")]


def test_cache_corrupt_inside_a_page_is_a_warning_and_a_fresh_cache(maps, clean):
    """Finding 10 / point 4: a cache page overwritten (header intact) gives a warning naming the file, exit 0,
    the same outputs, and a new sound cache, never a traceback."""
    cache = maps / CACHE
    data = bytearray(cache.read_bytes())
    assert len(data) >= 3 * 4096
    data[4096:len(data)] = os.urandom(len(data) - 4096)  # every page after the header page
    cache.write_bytes(bytes(data))
    res = _build(maps)
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    warned = _warnings(res)
    assert warned and str(cache) in warned[0], res.stderr
    assert _outputs(maps) == _outputs(clean)
    with sqlite3.connect(maps / CACHE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = _build(maps)
    assert again.exit_code == 0 and _warnings(again) == [], again.stderr


def test_truncated_cache_is_a_warning(maps, clean):
    """Point 4: a truncated cache file is warned about and the build goes on."""
    cache = maps / CACHE
    cache.write_bytes(cache.read_bytes()[:5000])
    res = _build(maps)
    assert res.exit_code == 0 and _warnings(res), res.output
    assert _outputs(maps) == _outputs(clean)


def test_foreign_sqlite_database_as_cache_is_never_modified(tmp_path, clean):
    """Point 4: --cache naming another program's SQLite file (even with a 'reports' table) is left untouched."""
    other = tmp_path / "app.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE reports (key TEXT, version TEXT, doc TEXT, data TEXT)")
        db.execute("INSERT INTO reports VALUES ('k', 'v', 'd', 'precious')")
    before = other.read_bytes()
    res = _build(tmp_path / "maps", "--cache", str(other))
    assert res.exit_code == 0, res.output
    assert any("not a geomap build cache" in w and str(other) in w for w in _warnings(res)), res.stderr
    assert other.read_bytes() == before
    assert _outputs(tmp_path / "maps") == _outputs(clean)


def test_immutable_cache_does_not_abort_the_build(maps, clean):
    """Finding 14: a read-only (immutable) cache is a warning; the build runs without it."""
    cache = maps / CACHE
    if subprocess.run(["chattr", "+i", str(cache)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not permitted here")
    try:
        res = _build(maps)
        assert res.exit_code == 0, res.output
        assert any(str(cache) in w for w in _warnings(res)), res.stderr
        assert _outputs(maps) == _outputs(clean)
    finally:
        for p in maps.parent.rglob(CACHE):
            subprocess.run(["chattr", "-i", str(p)], capture_output=True)


def test_cached_row_that_does_not_match_its_digest_is_recomputed(maps, clean):
    """Point 4: a cache row edited on disk (valid JSON, wrong places) is a miss, never a wrong result."""
    with sqlite3.connect(maps / CACHE) as db:
        rows = db.execute("SELECT key, data FROM reports").fetchall()
        assert rows
        for key, data in rows:
            forged = data.replace('"lat":', '"lat":1') if '"lat":' in data else data
            db.execute("UPDATE reports SET data=? WHERE key=?", (forged, key))
    res = _build(maps, "-q")
    assert res.exit_code == 0, res.output
    assert _outputs(maps) == _outputs(clean)


# ------------------------------------------------------------------ the basemap cache


@pytest.mark.parametrize("content", [
    b'{"type": "FeatureCollection"}',                                   # the old format, cut short
    b"\x00garbage" * 50,
    None,                                                               # right header, features with text
], ids=["foreign", "garbage", "forged-with-text"])
def test_tampered_basemap_cache_is_rebuilt_and_never_trusted(tmp_path, monkeypatch, caplog, content):
    """Finding 13: a tampered basemap-*.json is warned about (naming it), rebuilt, and no text from it is used."""
    import gazetteer.index
    from geo.outputs.map import basemap

    monkeypatch.setattr(gazetteer.index, "cache_dir", lambda: tmp_path)
    good = basemap.cached_basemap()
    (path,) = tmp_path.glob("basemap-*.json")
    key = path.stem.split("-", 1)[1]
    if content is None:
        evil = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": 0, "properties": {"name": "</script><script>window.pwned=1</script>"},
             "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}
        content = basemap.basemap_cache_text(evil, key).encode()
    path.write_bytes(content)
    os.chmod(path, 0o600)
    with caplog.at_level("WARNING", logger="geo"):
        again = basemap.cached_basemap()
    assert json.dumps(again) == json.dumps(good)
    assert any(str(path) in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert json.dumps(basemap.read_basemap_cache(path, key)) == json.dumps(good)  # rewritten, valid


def test_basemap_cache_writable_by_others_is_not_read(tmp_path, monkeypatch):
    """Point 4 (every cache file is untrusted): a basemap cache others may write is rebuilt, not read."""
    import gazetteer.index
    from geo.outputs.map import basemap

    monkeypatch.setattr(gazetteer.index, "cache_dir", lambda: tmp_path)
    basemap.cached_basemap()
    (path,) = tmp_path.glob("basemap-*.json")
    os.chmod(path, 0o666)
    with pytest.raises(ValueError, match="writable by others"):
        basemap.read_basemap_cache(path, path.stem.split("-", 1)[1])


# ------------------------------------------------------------------ gold files


@pytest.mark.parametrize("gold, fragment", [
    ({"docs": [{"doc": "a.txt", "postures": [{"feature": "base", "status": "staying", "lat": 1, "lon": 2,
                                              "accept": 5}]}]}, "docs[0].postures[0].accept: expected a list"),
    ({"docs": [{"doc": "a.txt", "postures": [{"feature": "base", "status": "leaving", "lat": 1, "lon": 2}]}]},
     "docs[0].postures[0].status: expected one of staying, withdrawing, withdrawn"),
    ({"docs": [{"doc": "a.txt", "postures": [{"feature": "country", "status": "staying", "country": 7}]}]},
     "docs[0].postures[0].country: expected a two-letter ISO code"),
    ({"docs": [{"doc": "a.txt", "postures": [{"feature": "border", "status": "staying",
                                              "countries": ["AM", 3]}]}]}, "docs[0].postures[0].countries"),
    ({"docs": [{"doc": "a.txt"}, {"doc": "a.txt"}]}, "docs[1].doc: 'a.txt' is listed twice"),
    ({"docs": [{"doc": "a.txt", "postures": [{"feature": "base", "status": "staying", "lat": 91, "lon": 2}]}]},
     "docs[0].postures[0].lat: expected a number from -90 to 90"),
    ('{"docs": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
], ids=["accept-number", "unknown-status", "country-number", "countries-number", "duplicate-doc", "lat-range",
        "deep-arrays"])
def test_malformed_gold_file_is_a_one_line_error_naming_the_field(tmp_path, clean, gold, fragment):
    """Finding 12 / point 6: `geomap evaluate` checks the gold file's schema; one line, exit 2, no traceback."""
    path = tmp_path / "gold.json"
    path.write_text(gold if isinstance(gold, str) else json.dumps(gold))
    res = runner.invoke(app, ["evaluate", str(path), "--reports", str(clean / "reports.geojson")])
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: ") and fragment in lines[0], lines


def test_the_seed_gold_file_still_passes_the_schema():
    """Point 6: the schema accepts the project's own gold file (the check must not be stricter than the format)."""
    from geo.evaluation.gold import load_gold

    assert sum(len(v) for v in load_gold(REPO / "tests" / "data" / "seeds.gold.json").values()) == 25


# ------------------------------------------------------------------ the input folder's bounds


def _secret_setup(tmp_path: Path) -> Path:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "diary.txt").write_text("Russian troops left Kherson, Ukraine, wrote SECRET-DIARY-TOKEN.\n")
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(TWO[0], src / TWO[0].name)
    os.symlink(outside / "diary.txt", src / "diary.txt")
    os.symlink(outside, src / "linked")
    os.symlink("loop.txt", src / "loop.txt")
    return src


def test_links_out_of_the_input_folder_are_skipped_unless_followed(tmp_path):
    """Finding 9 / point 6: links leaving the input folder are skipped with a message, their text reaches
    no output; --follow-links reads them; a link loop is named as a loop (finding 14)."""
    src = _secret_setup(tmp_path)
    res = runner.invoke(app, ["build", str(src), "--out", str(tmp_path / "out"), "--formats", "geojson,gpkg,kml,csv"])
    assert res.exit_code == 1, res.output
    skips = {line.split(": ")[1]: line for line in res.stderr.splitlines() if line.startswith("skipped: ")}
    assert "outside the input folder" in skips[str(src / "diary.txt")] and "--follow-links" in skips[str(src / "diary.txt")]
    assert "outside the input folder" in skips[str(src / "linked")]
    assert "symbolic link loop" in skips[str(src / "loop.txt")]
    for p in (tmp_path / "out").iterdir():
        assert b"SECRET-DIARY-TOKEN" not in p.read_bytes(), p.name
    followed = runner.invoke(app, ["build", str(src), "--out", str(tmp_path / "out2"), "--follow-links"])
    assert b"SECRET-DIARY-TOKEN" in (tmp_path / "out2" / "reports.geojson").read_bytes(), followed.output


def test_invalid_utf16_is_warned_about(tmp_path, caplog):
    """Finding 14: invalid UTF-16 in a file with a byte-order mark is replaced by U+FFFD with a warning."""
    from geo.text.articles import read_article

    path = tmp_path / "bad16.txt"
    path.write_bytes(b"\xff\xfe" + "Troops left Gyumri ".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le"))
    with caplog.at_level("WARNING", logger="geo"):
        text = read_article(path).text
    assert "\ufffd" in text
    assert any("invalid UTF-16-LE" in r.getMessage() and str(path) in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------------ linear time (sizes, not clocks)


def test_unpunctuated_megabyte_is_cut_into_bounded_sentences(tmp_path, caplog):
    """Finding 8: a 1 MB article without punctuation reaches the extractor as sentences of at most
    MAX_SENTENCE_CHARS, with the named warning (the timing is in bench/bench_hostile.py)."""
    from geo.text.articles import read_article
    from geo.text.sentences import MAX_SENTENCE_CHARS, split_sentences

    path = tmp_path / "long.txt"
    path.write_text(("troops left the town near Gyumri Armenia " * 25_000)[:1_000_000])
    with caplog.at_level("WARNING", logger="geo"):
        text = read_article(path).text
    sentences = split_sentences(text)
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS and len(sentences) >= 1000
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert any("long-sentence" in r.getMessage() for r in caplog.records)


def test_deeply_nested_html_is_flattened_below_the_limit(tmp_path, caplog):
    """Finding 8: 100,000 nested <div> lose the tags below MAX_HTML_DEPTH (named warning), the text is kept."""
    from geo.text.articles import read_article
    from geo.text.html_depth import MAX_HTML_DEPTH, cap_depth

    html = "<html><body>" + "<div>" * 100_000 + "Russian troops left Kherson." + "</div>" * 100_000 + "</body></html>"
    capped, dropped = cap_depth(html)
    assert dropped == 100_002 - MAX_HTML_DEPTH and capped.count("<div>") == MAX_HTML_DEPTH - 2
    path = tmp_path / "deep.html"
    path.write_text(html)
    with caplog.at_level("WARNING", logger="geo"):
        assert read_article(path).text == "Russian troops left Kherson."
    assert any("deep-html" in r.getMessage() for r in caplog.records)
