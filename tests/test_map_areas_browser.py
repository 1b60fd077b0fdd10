"""Readable map, in Chromium: areas as outlines beneath sites and lines, a marker shape per status, keyboard controls."""
from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import LineString, box

from geo.outputs.map.page import build_map, save_map
from tests.map_fixtures import posture, report, two_countries
from tests.test_map_browser import Session, browser  # noqa: F401  (shared module-scoped fixture)


@pytest.fixture(scope="module")
def map_url(tmp_path_factory) -> str:
    day = date(2024, 5, 1)
    area = posture("region-9", "Wide Region", "withdrawing",
                   [report("withdrawing", day, "Units are leaving the wide region.")],
                   geometry=box(9.0, 7.0, 15.0, 11.0), feature_type="region")
    site = posture("base-9", "Inner Base", "staying",
                   [report("staying", day, "The battalion stays at the inner base.")], lat=9.0, lon=12.0)
    line = posture("border-9", "Crossing Line", "withdrawn",
                   [report("withdrawn", day, "Guards have left the crossing line.")],
                   geometry=LineString([(10.0, 8.0), (14.0, 10.0)]), feature_type="border")
    going = posture("post-9", "Going Post", "withdrawing",
                    [report("withdrawing", day, "The company is pulling out of the post.")], lat=20.0, lon=20.0)
    gone = posture("camp-9", "Empty Camp", "withdrawn",
                   [report("withdrawn", day, "The last unit has left the camp.")], lat=21.0, lon=22.0)
    path = tmp_path_factory.mktemp("areas") / "map.html"
    save_map(build_map([area, site, line, going, gone], countries=two_countries()), path)
    return path.resolve().as_uri()


@pytest.fixture(scope="module")
def session(browser, map_url):  # noqa: F811
    s = Session(browser, map_url)
    yield s
    s.finish()


def test_area_is_an_outline_with_a_faint_fill(session):
    attrs = session.js("""() => { const l = window.geomapLayers.withdrawing.getLayers().find(l => l instanceof L.Polygon)._path;
        return [l.getAttribute('fill-opacity'), l.getAttribute('stroke')]; }""")
    assert float(attrs[0]) <= 0.1
    assert attrs[1] not in (None, "none")


def test_site_inside_the_area_is_what_a_click_hits(session):
    assert session.first_site_is_on_top()
    session.click_latlng(9.0, 12.0)
    assert "Inner Base" in session.popup_text()
    session.close_popup()


def test_lines_draw_above_areas(session):
    # In one SVG, later siblings paint over earlier ones.
    above = session.js("""() => {
        const area = window.geomapLayers.withdrawing.getLayers().find(l => l instanceof L.Polygon)._path;
        const line = window.geomapLayers.withdrawn.getLayers().find(l => !(l instanceof L.CircleMarker))._path;
        return area.parentNode === line.parentNode &&
               !!(area.compareDocumentPosition(line) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    assert above is True


def test_each_status_has_its_own_marker_shape(session):
    # The path outline, not the colour, tells the statuses apart: a circle is
    # drawn with arcs, a triangle with three corners, a square with four.
    paths = session.js("""() => Object.fromEntries(Object.entries(window.geomapLayers).map(([s, g]) =>
        [s, g.getLayers().filter(l => l instanceof L.CircleMarker).map(l => l._path.getAttribute('d'))]))""")
    (staying,), (withdrawing,), (withdrawn,) = paths["staying"], paths["withdrawing"], paths["withdrawn"]
    assert "a" in staying and "L" not in staying
    assert "a" not in withdrawing and withdrawing.count("L") == 2 and withdrawing.endswith("z")
    assert "a" not in withdrawn and withdrawn.count("L") == 3 and withdrawn.endswith("z")
    legend = session.js("() => [...document.querySelectorAll('.gm-legend .gm-sw')].map(e => e.className)")
    assert legend == ["gm-sw gm-sw-circle", "gm-sw gm-sw-triangle", "gm-sw gm-sw-square"]


def test_shaped_markers_still_open_their_popups(session):
    # Centred first: the panels (layer control, legend, report list) may cover it at the start.
    session.js("() => window.geomap.map.setView([20, 20], 6, {animate: false})")
    session.click_latlng(20.0, 20.0)
    assert "Going Post" in session.popup_text()
    session.close_popup()


def test_search_and_tools_work_from_the_keyboard(session):
    page = session.page
    page.focus("#gm-search-input")
    page.keyboard.type("inner")
    page.keyboard.press("ArrowDown")
    assert session.js("() => document.activeElement.textContent") == "Inner Base"
    page.keyboard.press("Enter")
    assert "Inner Base" in session.popup_text()
    session.close_popup()
    # The tool buttons take focus and act on Enter.
    page.focus("#gm-measure")
    page.keyboard.press("Enter")
    assert session.js("() => document.getElementById('gm-measure').classList.contains('gm-on')") is True
    page.keyboard.press("Enter")
    assert session.js("() => document.getElementById('gm-measure').classList.contains('gm-on')") is False
