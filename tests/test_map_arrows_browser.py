"""Movement arrows (issue 14, point 6) on the written corpus, in offline headless Chromium, and in the GeoJSON export."""
from __future__ import annotations

import json

import pytest

from geo.outputs.export import export
from geo.outputs.legend import STATUS_COLOURS
from geo.outputs.map.page import build_map, save_map
from geo.outputs.movements import movements_text
from geo.postures.consolidate import consolidate
from tests.map_fixtures import HOSTILE, corpus_movements, corpus_reports
from tests.test_map_browser import Session, browser  # noqa: F401  (fixture re-used)

MOVES = "() => window.geomap.arrows.filter(a => a.shown).map(a => window.geomap.decode(a.row[5]) + ' > ' + window.geomap.decode(a.row[6]))"


@pytest.fixture(scope="module")
def arrows_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("arrows") / "map.html"
    save_map(build_map(consolidate(corpus_reports()), movements=corpus_movements(hostile=True)), path)
    return path.resolve().as_uri()


@pytest.fixture(scope="module")
def session(browser, arrows_url):  # noqa: F811
    s = Session(browser, arrows_url + "#feed=0")
    yield s
    s.finish()


def test_every_movement_is_an_arrow_in_its_status_colour(session):
    moves = corpus_movements(hostile=True)
    shown = session.js(MOVES)
    assert len(shown) == len(moves) and "Varenko > Brask" in shown
    assert "Movements (7)" in session.page.inner_text(".leaflet-control-layers-overlays")
    drawn = session.js("""() => [...document.querySelectorAll('.leaflet-gm-moves-pane path')].map(p => p.getAttribute('stroke'))""")
    assert len(drawn) == 2 * len(moves)  # a curve and a head each
    want = sorted(STATUS_COLOURS[m.status] for m in moves for _ in (0, 1))
    assert sorted(drawn) == want
    # The head's tip is the destination, and the curve bows off the straight line.
    tip, dest, mid, straight = session.js("""() => { const a = window.geomap.arrows.find(a => a.row[6] === 'Brask');
        const t = a.head.getLatLngs()[0][0]; const m = a.pts[12];
        return [[t.lat, t.lng], [a.row[2], a.row[3]], [m.lat, m.lng], [(a.row[0] + a.row[2]) / 2, (a.row[1] + a.row[3]) / 2]]; }""")
    assert tip == pytest.approx(dest, abs=1e-6)
    assert abs(mid[0] - straight[0]) + abs(mid[1] - straight[1]) > 0.1


def test_an_arrow_opens_a_popup_quoting_its_evidence(session):
    ll = session.js("() => { const p = window.geomap.arrows.find(a => a.row[6] === 'Brask').pts[12]; return [p.lat, p.lng]; }")
    session.js("(ll) => window.geomap.map.setView(ll, 7, {animate: false})", ll)
    session.click_latlng(*ll)
    text = session.popup_text()
    assert "Movement: Varenko \u2192 Brask" in text
    assert "Columns of troops were moving from Varenko towards Brask" in text
    assert session.page.locator(".leaflet-popup-content mark").all_inner_texts() == ["moving"]
    session.close_popup()


def test_hostile_movement_is_plain_text(session):
    got = session.js("""() => { const a = window.geomap.arrows.find(a => a.row[1] === 46.1);
        a.line.openPopup(a.pts[12]);
        const el = document.querySelector('.leaflet-popup-content');
        const r = {text: el.innerText, bad: el.querySelectorAll('script,img,svg,iframe,object,embed,form,a').length};
        window.geomap.map.closePopup(); return r; }""")
    assert got["bad"] == 0  # no element from the payload, and the javascript: link dropped
    assert "{{7*7}}" in got["text"] and '<img src=x onerror="window.pwned=1">' in got["text"]
    assert "</script><script>window.pwned=1</script>" in got["text"] and "\u202e" not in got["text"]


def test_arrows_follow_the_timeline_and_the_status_filter(session):
    first = corpus_movements()[0].published.isoformat()
    session.js("(d) => window.geomap.setDate(d)", first)
    assert session.js(MOVES) == ["Varenko > Brask"]
    session.js("(d) => window.geomap.setDate(d)", "2024-04-29")
    session.page.evaluate("() => document.getElementById('gm-feed-open').click()")
    session.page.locator(".gm-f-status[value=withdrawing]").uncheck()
    shown = session.js(MOVES)
    assert "Varenko > Brask" not in shown and len(shown) == sum(m.status == "withdrawn" for m in corpus_movements(True))
    session.page.locator(".gm-f-status[value=withdrawing]").check()


def test_geojson_export_has_movement_linestrings(tmp_path):
    moves = corpus_movements(hostile=True)
    doc = json.loads(movements_text(moves))
    assert len(doc["features"]) == len(moves)
    for f in doc["features"]:
        assert f["properties"]["kind"] == "movement" and f["geometry"]["type"] == "LineString"
        assert len(f["geometry"]["coordinates"]) == 2
    brask = next(f for f in doc["features"] if f["properties"]["destination"] == "Brask")
    assert brask["geometry"]["coordinates"] == [[41.2, 44.1], [44.1, 45.3]]  # origin first, [lon, lat]
    dates = [f["properties"]["published"] for f in doc["features"]]
    assert dates == sorted(dates, reverse=True)
    evil = next(f for f in doc["features"] if f["properties"]["doc"] == "evil.txt")
    assert evil["properties"]["evidence"] == "Troops moved away. " + HOSTILE  # plain data, as the other exports
    reports = corpus_reports()
    written = export(consolidate(reports), reports, tmp_path, movements=moves)
    assert json.loads(written["movements.geojson"].read_text(encoding="utf-8")) == doc
    assert "movements.geojson" not in export(consolidate(reports), reports, tmp_path / "none")
