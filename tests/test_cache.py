"""Incremental cache: exact round trip, keys, version invalidation, crash safety, incremental builds."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import LineString, Polygon

from geo.pipeline.cache import (CACHE_NAME, ReportCache, article_key, dump_reports, extractor_version, load_reports,
                       rules_version)
from geocore.errors import DataFileError
from geo.pipeline.run import build
from geocore.records import Article, Report

ROOT = Path(__file__).resolve().parents[1]

TEXTS = {
    "a.txt": "Russian troops withdrew from Gyumri on Monday.\n\nOfficials confirmed it.",
    "b.txt": "Russian border guards will remain along the Armenia-Turkey border.",
    "c.txt": "Russian troops will stay in Gyumri, officials said.",
}


def _report(**kw) -> Report:
    base = dict(place_id="border:AM-TR", name="Armenia–Turkey border", feature_type="border", country="AM-TR",
                lat=40.123456789, lon=43.1 + 1e-9, status="staying", force="Russian border guards", actor="Russia",
                doc="a.txt", evidence="They <script>alert('x')</script> “stay” \u202e\ud800 here.",
                trigger="remain", confidence=0.8, outlet="O'Outlet & Co", published=date(2024, 5, 9),
                published_inferred=True, url="https://example.org/a?b=1&c=<2>", title="Ti\"tle\n",
                trigger_spans=((3, 9), (12, 20)), geometry=LineString([(43.45, 41.1), (43.6, 40.6000001)]),
                force_type="border guards")
    base.update(kw)
    return Report(**base)


class Counting:
    """Wraps an extractor and counts extract() calls (dependency injection)."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[str] = []

    def extract(self, article):
        self.calls.append(article.doc)
        return self.inner.extract(article)

    def __getattr__(self, name):  # g, gp ... of the wrapped extractor
        return getattr(self.inner, name)


def test_reports_round_trip_identical():
    reports = [
        _report(),
        _report(geometry=Polygon([(0, 0), (1, 0), (1, 1), (0, 0)]), published=None, published_inferred=False,
                trigger_spans=(), actor=None, outlet=None, url=None, title=None, country=None),
        _report(geometry=None, place_id="geonames:616635", lat=-0.0, lon=1 / 3),
    ]
    back = load_reports(dump_reports(reports))
    assert back == reports
    assert all(type(span) is tuple for r in back for span in r.trigger_spans)
    assert back[0].geometry.equals_exact(reports[0].geometry, 0)
    assert load_reports(dump_reports([])) == []


def test_key_depends_on_text_and_metadata_only():
    a = Article(doc="a.txt", text="Troops left.", path="/x/a.txt", sha256="f" * 64)
    assert article_key(a) == article_key(replace(a, path="/elsewhere/a.txt"))
    for change in (dict(text="Troops left!"), dict(doc="b.txt"), dict(title="T"), dict(outlet="O"),
                   dict(url="https://e.org"), dict(published=date(2024, 1, 1)), dict(published_inferred=True)):
        assert article_key(replace(a, **change)) != article_key(a), change


def test_version_combines_gazetteer_and_rules(tiny_extractor):
    v = extractor_version(tiny_extractor)
    assert v == f"tiny-1/{rules_version()}"
    assert extractor_version(object()) is None  # no gazetteer version: not cacheable
    assert len(rules_version()) == 16


def test_get_put_and_prune_other_versions(tmp_path):
    path = tmp_path / "sub" / "c.sqlite"
    art = Article(doc="a.txt", text="x")
    with ReportCache(path, "v1") as c:
        assert c.get(art) is None
        c.put(art, [_report()])
        assert c.get(art) == [_report()]
        assert (c.hits, c.misses) == (1, 1)
    with ReportCache(path, "v1") as c:
        assert c.get(art) == [_report()] and len(c) == 1
    with ReportCache(path, "v2") as c:  # new gazetteer or rules: old rows gone on open
        assert len(c) == 0 and c.get(art) is None


def test_unreadable_row_is_a_miss(tmp_path):
    path = tmp_path / "c.sqlite"
    art = Article(doc="a.txt", text="x")
    with ReportCache(path, "v1") as c:
        c.put(art, [_report()])
    db = sqlite3.connect(path)
    db.execute("UPDATE reports SET data='{not json'")
    db.commit()
    db.close()
    with ReportCache(path, "v1") as c:
        assert c.get(art) is None


def test_corrupt_file_is_a_clear_error(tmp_path):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DataFileError, match=r"c\.sqlite.*--no-cache"):
        ReportCache(path, "v1")


def test_survives_sigkill(tmp_path):
    path = tmp_path / "c.sqlite"
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from geo.pipeline.cache import ReportCache
        from geocore.records import Article
        c = ReportCache({str(path)!r}, "v1")
        for i in range(50):
            c.put(Article(doc=f"{{i}}.txt", text=str(i)), [])
        c._db.execute("BEGIN IMMEDIATE")  # a write in flight when the process dies
        c._db.execute("INSERT INTO reports VALUES ('half', 'v1', 'x', '[]', '')")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    with ReportCache(path, "v1") as c:
        assert len(c) == 50  # every committed article, not the uncommitted one
        assert c.get(Article(doc="49.txt", text="49")) == []
        assert c._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _write(folder: Path, texts: dict) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_incremental_build_extracts_only_new_or_changed(tmp_path, tiny_extractor):
    src = tmp_path / "in"
    _write(src, TEXTS)
    cache = tmp_path / "cache.sqlite"
    ex = Counting(tiny_extractor)
    first = build([src], out=None, extractor=ex, cache_path=cache)
    assert sorted(ex.calls) == ["a.txt", "b.txt", "c.txt"] and first.report_records

    ex.calls.clear()
    again = build([src], out=None, extractor=ex, cache_path=cache)
    assert ex.calls == []
    assert again.report_records == first.report_records and again.posture_records == first.posture_records

    _write(src, {"d.txt": "French troops withdrew from the Armenia-Iran border."})
    ex.calls.clear()
    added = build([src], out=None, extractor=ex, cache_path=cache)
    assert ex.calls == ["d.txt"] and added.n_articles == 4

    _write(src, {"a.txt": TEXTS["a.txt"].replace("withdrew from", "stayed in")})
    ex.calls.clear()
    edited = build([src], out=None, extractor=ex, cache_path=cache)
    assert ex.calls == ["a.txt"]
    plain = build([src], out=None, extractor=tiny_extractor, cache=False)
    assert edited.report_records == plain.report_records and edited.posture_records == plain.posture_records


def test_changed_gazetteer_version_reextracts(tmp_path, tiny_extractor):
    src = tmp_path / "in"
    _write(src, TEXTS)
    cache = tmp_path / "cache.sqlite"
    build([src], out=None, extractor=tiny_extractor, cache_path=cache)

    class NewGazetteer(Counting):
        g = type("G", (), {"version": "tiny-2"})()

    ex = NewGazetteer(tiny_extractor)
    build([src], out=None, extractor=ex, cache_path=cache)
    assert sorted(ex.calls) == ["a.txt", "b.txt", "c.txt"]


def test_no_cache_and_default_location(tmp_path, tiny_extractor):
    src = tmp_path / "in"
    _write(src, {"a.txt": TEXTS["a.txt"]})
    ex = Counting(tiny_extractor)
    build([src], out=None, extractor=ex, cache=False)
    build([src], out=None, extractor=ex, cache=False)
    assert ex.calls == ["a.txt", "a.txt"]
    out = tmp_path / "out"
    build([src], out=out, extractor=ex)
    assert (out / CACHE_NAME).is_file()
    assert not any(p.name.endswith(("-wal", "-shm")) for p in out.iterdir())  # closed cleanly


def test_geometry_is_stored_once_per_place_and_shared_on_read(tmp_path):
    square = Polygon([(44, 40), (45, 40), (45, 41), (44, 41), (44, 40)])
    arts = [Article(doc=f"{i}.txt", text=f"Text {i}.") for i in range(3)]
    with ReportCache(tmp_path / "c.sqlite", "v1") as c:
        for a in arts:
            c.put(a, [_report(doc=a.doc, place_id="country:AM", geometry=square), _report(doc=a.doc)])
    db = sqlite3.connect(tmp_path / "c.sqlite")
    assert db.execute("SELECT COUNT(*) FROM geometries").fetchone()[0] == 2  # the country and the border
    assert all("POLYGON" not in d and "0103" not in d for (d,) in db.execute("SELECT data FROM reports"))
    db.close()
    with ReportCache(tmp_path / "c.sqlite", "v1") as c:  # a new session reads them back
        got = [c.get(a) for a in arts]
    assert [r.geometry.equals_exact(square, 0) for rs in got for r in rs if r.place_id == "country:AM"] == [True] * 3
    assert len({id(r.geometry) for rs in got for r in rs if r.place_id == "country:AM"}) == 1
    assert got[0] == [_report(doc="0.txt", place_id="country:AM", geometry=square), _report(doc="0.txt")]


def test_report_whose_geometry_row_is_gone_is_a_miss(tmp_path):
    a = Article(doc="a.txt", text="Text.")
    with ReportCache(tmp_path / "c.sqlite", "v1") as c:
        c.put(a, [_report()])
    db = sqlite3.connect(tmp_path / "c.sqlite")
    db.execute("DELETE FROM geometries")
    db.commit()
    db.close()
    with ReportCache(tmp_path / "c.sqlite", "v1") as c:
        assert c.get(a) is None and c.misses == 1


def test_geometry_by_reference_needs_a_resolver():
    text = dump_reports([_report()], by_place=True)
    with pytest.raises(ValueError, match="geometry_of"):
        load_reports(text)
    line = LineString([(0, 0), (1, 1)])
    assert load_reports(text, lambda pid: line)[0].geometry is line
