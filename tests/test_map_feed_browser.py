"""The analyst's map on the written 200-report corpus, in offline headless Chromium.

The report feed and its filters, labels, the timeline against the Python
consolidation, per-place history and the view kept in the URL fragment.
One page per test, one browser for the module.
"""
from __future__ import annotations

from collections import Counter

import pytest

from geo.outputs.map.page import build_map, save_map
from geo.postures.consolidate import consolidate
from tests.map_fixtures import CORPUS_OUTLETS, corpus_reports
from tests.test_map_browser import VISIBLE, Session, browser  # noqa: F401  (fixture re-used)

# {name: [status, conflict]} of every place drawn by a status layer.
SHOWN = """() => {
    const out = {};
    for (const [status, layer] of Object.entries(window.geomapLayers)) {
        layer.eachLayer(l => {
            const p = l.feature.properties;
            const e = window.geomap.statusAt(p.h, window.geomap.day);
            out[window.geomap.decode(p.n)] = [status, e[2]];
        });
    }
    return out;
}"""


@pytest.fixture(scope="module")
def corpus():
    return corpus_reports()


@pytest.fixture(scope="module")
def corpus_url(tmp_path_factory, corpus):
    path = tmp_path_factory.mktemp("corpusmap") / "map.html"
    save_map(build_map(consolidate(corpus), title="Written corpus"), path)
    return path.resolve().as_uri()


@pytest.fixture
def open_map(browser, corpus_url):  # noqa: F811
    sessions = []

    def _open(fragment=""):
        s = Session(browser, corpus_url + fragment)
        sessions.append(s)
        return s

    yield _open
    for s in sessions:
        s.finish()


def _consolidated(reports, day=None):
    kept = [r for r in reports if day is None or r.published is None or r.published.isoformat() <= day]
    return {p.name: [p.status, int(p.conflict)] for p in consolidate(kept)}


def _feed_texts(s):
    # The button, not scrolling (which also loads the next page but races a click).
    s.js("() => { const b = document.getElementById('gm-feed-more'); while (!b.classList.contains('gm-hidden')) b.click(); }")
    return s.page.locator("#gm-feed-list .gm-fi").all_inner_texts()


def test_feed_lists_every_report_newest_first(open_map, corpus):
    s = open_map()
    assert s.page.inner_text("#gm-feed-count") == f"({len(corpus)} of {len(corpus)})"
    assert s.page.locator("#gm-feed-list .gm-fi").count() == 100  # paged: the first hundred
    items = _feed_texts(s)
    assert len(items) == len(corpus)
    days = [t.split()[0] for t in items]
    assert days == sorted(days, reverse=True)
    assert Counter(days) == Counter(r.published.isoformat() for r in corpus)
    # Evidence is quoted with its trigger highlighted.
    first = s.page.locator("#gm-feed-list .gm-fi").first
    marked = first.locator("mark").all_inner_texts()
    assert len(marked) == 1 and marked[0] in first.inner_text()


def test_a_filter_narrows_the_feed_and_the_map(open_map, corpus):
    s = open_map()
    outlet = CORPUS_OUTLETS[2]
    index = sorted(CORPUS_OUTLETS).index(outlet)
    s.page.select_option("#gm-f-outlet", str(index))
    mine = [r for r in corpus if r.outlet == outlet]
    assert s.page.inner_text("#gm-feed-count") == f"({len(mine)} of {len(corpus)})"
    assert all(outlet in t for t in _feed_texts(s))
    assert s.js(VISIBLE) == len({r.place_id for r in mine})
    s.page.select_option("#gm-f-outlet", "")
    # Free text: one place's name narrows to its reports, and the map to that place.
    s.page.fill("#gm-f-text", "kettle pass")
    assert s.page.inner_text("#gm-feed-count") == f"({sum(r.name == 'Kettle Pass' for r in corpus)} of {len(corpus)})"
    assert s.js(VISIBLE) == 1
    s.page.fill("#gm-f-text", "")
    # Status: hiding 'withdrawn' drops its reports from the feed and its places from the map.
    s.page.locator(".gm-f-status[value=withdrawn]").uncheck()
    assert s.page.inner_text("#gm-feed-count") == f"({sum(r.status != 'withdrawn' for r in corpus)} of {len(corpus)})"
    latest = _consolidated(corpus)
    assert s.js(VISIBLE) == sum(v[0] != "withdrawn" for v in latest.values())
    assert "withdrawn" not in {v[0] for v in s.js(SHOWN).values()}


def test_clicking_a_report_opens_its_place_and_a_place_filters_the_feed(open_map, corpus):
    s = open_map()
    item = s.page.locator("#gm-feed-list .gm-fi").nth(3)
    name = item.locator("b").inner_text()
    item.click()
    text = s.popup_text()
    assert text.splitlines()[0].strip() == name
    s.close_popup()
    # A place clicked on the map narrows the feed to its reports.
    ll = s.js("""(name) => { for (const id in window.geomap.byId) { const r = window.geomap.byId[id];
                  if (window.geomap.decode(r.feature.properties.n) === name) { const p = r.layer.getLatLng(); return [p.lat, p.lng]; } } }""",
              "Brask")
    s.js("(ll) => window.geomap.map.setView(ll, 8, {animate: false})", ll)
    s.click_latlng(*ll)
    assert s.popup_text().splitlines()[0].strip() == "Brask"
    n = sum(r.name == "Brask" for r in corpus)
    assert s.page.inner_text("#gm-feed-count") == f"({n} of {len(corpus)})"
    assert s.page.inner_text("#gm-f-place-name") == "Brask"
    s.page.click("#gm-f-place-clear")
    assert s.page.inner_text("#gm-feed-count") == f"({len(corpus)} of {len(corpus)})"


def test_slider_shows_the_python_consolidation_on_every_date(open_map, corpus):
    s = open_map()
    days = sorted({r.published.isoformat() for r in corpus})
    first = s.js("() => window.geomap.dates[0]")
    assert first == days[0]
    for day in days:
        # Move the slider itself, as a user dragging it would.
        s.js("""(day) => { const el = document.getElementById('gm-slider');
                 const t = (d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 864e5;
                 el.value = String(t(day) - t(window.geomap.dates[0]));
                 el.dispatchEvent(new Event('input')); }""", day)
        assert s.js("() => window.geomap.day") == day
        assert s.js(SHOWN) == _consolidated(corpus, day), day
    # Places whose posture changed since the previous report date are marked.
    prev, day = days[-8], days[-7]
    s.js("(d) => window.geomap.setDate(d)", day)
    before, after = _consolidated(corpus, prev), _consolidated(corpus, day)
    changed = sorted(n for n in after if before.get(n) != after[n])
    got = sorted(s.js("() => window.geomap.changed.map(id => window.geomap.decode(window.geomap.name(id)))"))
    assert got == changed and changed
    assert f"changed since {prev}" in s.page.inner_text("#gm-changed")


def test_labels_are_visible_and_do_not_overlap(open_map):
    s = open_map()
    boxes = s.js("""() => [...document.querySelectorAll('.gm-label')].filter(e => e.style.display !== 'none')
                     .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, e.textContent]; })""")
    assert len(boxes) >= 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # Zoomed in on one place, its own label shows.
    s.js("() => { const r = Object.values(window.geomap.byId).find(r => window.geomap.decode(r.feature.properties.n) === 'Lisk');"
         " window.geomap.map.setView(r.layer.getLatLng(), 11, {animate: false}); }")
    assert "Lisk" in s.js("() => [...document.querySelectorAll('.gm-label')].filter(e => e.style.display !== 'none').map(e => e.textContent)")


def test_popup_history_flags_same_day_disagreement(open_map, corpus):
    s = open_map()
    by_day = Counter((r.name, r.published) for r in corpus)
    name, day = next(k for k, n in sorted(by_day.items(), key=lambda kv: (kv[0][0], kv[0][1])) if n > 1
                     and len({r.status for r in corpus if (r.name, r.published) == k}) > 1)
    s.page.fill("#gm-f-text", name.lower())
    s.page.locator("#gm-feed-list .gm-fi").first.click()
    s.popup_text()
    history = s.page.inner_text(".leaflet-popup-content .gm-hist")
    line = next(ln for ln in history.splitlines() if ln.startswith(day.isoformat()))
    assert "sources disagree" in line


def test_url_fragment_restores_the_view(open_map, corpus):
    s = open_map()
    day = sorted({r.published.isoformat() for r in corpus})[30]
    s.js("(d) => window.geomap.setDate(d)", day)
    s.page.select_option("#gm-f-force", "1")
    s.page.fill("#gm-f-text", "ministry")
    s.page.locator(".gm-f-status[value=staying]").uncheck()
    # A place opened on the map is the selected place.
    place = sorted(s.js(SHOWN))[0]
    s.js("(name) => Object.values(window.geomap.byId).find(r => window.geomap.decode(r.feature.properties.n) === name)"
         ".layer.openPopup()", place)
    state = (s.js("() => window.geomap.counts"), s.page.inner_text("#gm-feed-count"), s.js(SHOWN))
    url = s.page.url
    assert "d=" + day in url and "q=ministry" in url and "st=withdrawing,withdrawn" in url and "&p=" in url
    again = open_map("#" + url.split("#", 1)[1])
    assert again.js("() => window.geomap.day") == day
    assert (again.js("() => window.geomap.counts"), again.page.inner_text("#gm-feed-count"), again.js(SHOWN)) == state
    assert again.page.input_value("#gm-f-text") == "ministry"
    assert again.page.input_value("#gm-f-force") == "1"
    assert not again.page.is_checked(".gm-f-status[value=staying]")
    assert again.page.inner_text("#gm-f-place-name") == place
    assert again.popup_text().splitlines()[0].strip() == place
