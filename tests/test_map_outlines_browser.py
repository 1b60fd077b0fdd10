"""Reference outlines in Chromium: province boundaries and lakes drawn beneath the sites, over the country fill."""
from __future__ import annotations

import pytest

from geo.outputs.map.outlines import DIVISION_STYLE, LAKE_STYLE
from geo.outputs.map.page import build_map, save_map
from tests.map_fixtures import armenia_postures, require_outlines, two_countries
from tests.test_map_browser import Session, browser  # noqa: F401  (shared module-scoped fixture)

# The basemap pane's paths by role: [lake paths, boundary paths, country paths, index of each in the pane's SVG].
_BASE_PATHS = """(cfg) => {
    const paths = Array.from(document.querySelectorAll('.leaflet-geomapBase-pane svg path'));
    const pick = (test) => paths.map((p, i) => [p, i]).filter(([p]) => test(p));
    const lakes = pick(p => p.getAttribute('fill') === cfg.lake);
    const lines = pick(p => p.getAttribute('fill') === 'none' && p.getAttribute('stroke') === cfg.line);
    const countries = pick(p => p.getAttribute('fill') === '#f4f3ef');
    return {lakes: lakes.map(x => x[1]), lines: lines.map(x => x[1]), countries: countries.map(x => x[1]),
            interactive: paths.filter(p => p.classList.contains('leaflet-interactive')).length};
}"""


@pytest.fixture(scope="module")
def map_url(tmp_path_factory) -> str:
    require_outlines()
    path = tmp_path_factory.mktemp("outlines") / "map.html"
    save_map(build_map(armenia_postures(), countries=two_countries()), path)
    return path.resolve().as_uri()


@pytest.fixture(scope="module")
def session(browser, map_url):  # noqa: F811
    s = Session(browser, map_url + "#feed=0")
    yield s
    s.finish()


def _base_paths(session) -> dict:
    return session.js(_BASE_PATHS, {"lake": LAKE_STYLE["fillColor"], "line": DIVISION_STYLE["color"]})


def test_lakes_and_boundaries_are_drawn_in_the_basemap_pane_above_the_country_fill(session):
    base = _base_paths(session)
    assert len(base["lakes"]) == 1 and len(base["lines"]) == 1 and len(base["countries"]) >= 1
    assert max(base["countries"]) < base["lakes"][0] < base["lines"][0]  # later in the SVG = drawn on top
    assert base["interactive"] == 0  # nothing in the basemap pane catches a click
    # Lake Sevan is inside the drawn lake fill.
    inside = session.js("""(fill) => {
        const m = window.geomap.layers.staying._map;
        const path = Array.from(document.querySelectorAll('.leaflet-geomapBase-pane svg path'))
            .find(p => p.getAttribute('fill') === fill);
        const lp = m.latLngToLayerPoint([40.35, 45.3]);
        return path.isPointInFill(new DOMPoint(lp.x, lp.y)); }""", LAKE_STYLE["fillColor"])
    assert inside is True


def test_basemap_pane_is_under_the_sites_and_a_click_hits_the_site(session):
    z = session.js("""() => ['geomapBase', 'overlay', 'marker'].map(
        n => Number(getComputedStyle(document.querySelector('.leaflet-' + n + '-pane')).zIndex))""")
    assert z[0] < z[1] < z[2]
    assert session.first_site_is_on_top()
    session.click_latlng(40.79, 43.85)
    assert "Gyumri base" in session.popup_text()
    session.close_popup()
