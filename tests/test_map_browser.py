"""The posture map in a real, offline Chromium: layers, popups, time control, safety.

Needs /usr/bin/chromium (Debian package ``chromium``) and the playwright Python
package. Skipped on a developer machine without Chromium; under CI (env CI
set) a missing browser fails the test instead, so the check cannot silently
vanish.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.outputs.map.page import build_map, save_map
from tests.map_fixtures import hostile_postures, two_countries

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Interactive vector features drawn by the status layers (country outlines are
# non-interactive, so they never match).
VISIBLE = "() => document.querySelectorAll('.leaflet-pane path.leaflet-interactive').length"


def _require_browser():
    in_ci = bool(os.environ.get("CI"))
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        if in_ci:
            pytest.fail("playwright is not installed but CI is set: the browser test must run in CI")
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} is missing but CI is set: install the Debian package 'chromium'")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); set CI=true to make this a failure")


@pytest.fixture(scope="module")
def map_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("map") / "map.html"
    save_map(build_map(hostile_postures(), countries=two_countries(), title="Test <b>map</b>"), path)
    return path.resolve().as_uri()


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


class Session:
    """One page with the map loaded, the network cut, errors and requests recorded."""

    def __init__(self, browser, url):
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.route("**/*", self._route)
        self.page.goto(url)
        self.page.wait_for_function("() => window.geomap !== undefined && window.geomap.counts !== null")

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def js(self, expr, arg=None):
        return self.page.evaluate(expr, arg)

    def click_latlng(self, lat, lon):
        """Click the map where (lat, lon) is drawn."""
        x, y = self.js(
            """([lat, lon]) => {
                const m = window.geomap.layers.staying._map;
                const p = m.latLngToContainerPoint([lat, lon]);
                const r = m.getContainer().getBoundingClientRect();
                return [r.left + p.x, r.top + p.y];
            }""",
            [lat, lon],
        )
        self.page.mouse.click(x, y)

    def first_site_is_on_top(self) -> bool:
        """Whether the point of the first 'staying' site hits that site's marker (nothing drawn over it)."""
        return self.js("""() => {
            const site = window.geomapLayers.staying.getLayers()[0];
            const m = site._map, p = m.latLngToContainerPoint(site.getLatLng());
            const r = m.getContainer().getBoundingClientRect();
            return document.elementFromPoint(r.left + p.x, r.top + p.y) === site._path; }""") is True

    def popup_text(self) -> str:
        self.page.wait_for_selector(".leaflet-popup-content .gm-pop")
        return self.page.inner_text(".leaflet-popup-content")

    def close_popup(self):
        self.js("() => window.geomap.layers.staying._map.closePopup()")
        # Leaflet fades a closed popup out before removing it; wait so the
        # next click cannot land on the old one.
        self.page.wait_for_selector(".leaflet-popup", state="detached")

    def finish(self):
        """Checks every test ends with: nothing ran, nothing loaded, nothing failed."""
        assert self.js("() => typeof window.pwned") == "undefined"
        assert self.blocked == [], f"network requests attempted: {self.blocked}"
        assert self.errors == []
        self.page.close()


@pytest.fixture
def session(browser, map_url):
    # The report list closed: these tests click places at map coordinates,
    # which the legend would cover on the map narrowed by the open list.
    s = Session(browser, map_url + "#feed=0")
    yield s
    s.finish()


def test_leaflet_loaded_offline_and_layers_counted(session):
    assert session.js("() => typeof window.L") == "object"
    counts = session.js(
        "() => Object.fromEntries(Object.entries(window.geomapLayers).map(([k, v]) => [k, v.getLayers().length]))"
    )
    assert counts == {"staying": 2, "withdrawing": 1, "withdrawn": 1}
    assert session.js(VISIBLE) == 4
    # Points are circle markers, the border a line, the region an area.
    kinds = session.js(
        """() => Object.entries(window.geomapLayers).map(([k, v]) => [k, v.getLayers().map(l =>
              l instanceof L.CircleMarker ? 'point' : (l instanceof L.Polygon ? 'area' : 'line')).sort()])"""
    )
    assert dict(kinds) == {"staying": ["point", "point"], "withdrawing": ["line"], "withdrawn": ["area"]}
    # Status colours reach the drawing.
    fills = session.js("() => window.geomapLayers.withdrawn.getLayers().map(l => l.options.fillColor)")
    assert fills == ["#762a83"]
    labels = session.page.inner_text(".leaflet-control-layers-overlays")
    for name in ["Staying (2)", "Withdrawing (1)", "Withdrawn (1)", "Force: border guards (1)", "Actor: Russia (3)"]:
        assert name in labels
    assert "{{7*7}}" in labels  # hostile actor name shown as text, not evaluated


def test_toggling_a_layer_hides_its_features(session):
    box = session.page.locator(".leaflet-control-layers-overlays label", has_text="Withdrawn (1)").locator("input")
    box.click()
    assert session.js(VISIBLE) == 3
    assert session.js("() => window.geomapLayers.withdrawn._map == null")
    box.click()
    assert session.js(VISIBLE) == 4
    # Group layers start hidden and draw their members when switched on.
    session.page.locator(".leaflet-control-layers-overlays label", has_text="Actor: Russia (3)").locator("input").click()
    assert session.js(VISIBLE) == 7


def test_popup_shows_hostile_evidence_as_literal_text(session):
    session.click_latlng(10.0, 10.0)
    text = session.popup_text()
    assert "Alpha Base" in text
    assert "{{7*7}}" in text and "49" not in text
    assert "{% if 1 %}X{% endif %}" in text
    assert '<img src=x onerror="window.pwned=1">' in text
    assert "</script><script>window.pwned=1</script>" in text
    assert "${window.pwned=1}" in text and "`tick`" in text
    assert "\u202e" not in text
    assert "2024-01-10" in text and "Outlet {{7*7}}" in text
    content = session.page.locator(".leaflet-popup-content")
    assert content.locator("mark").all_inner_texts() == ["will", "remain"]
    assert content.locator("img, script, iframe").count() == 0
    assert content.locator("a").count() == 0  # the javascript: URL was dropped


def test_popup_link_inferred_date_and_conflict_flag(session):
    session.click_latlng(10.5, 11.5)  # middle of the border line
    text = session.popup_text()
    assert "Beta Border" in text and "Withdrawing" in text and "withdraw" in text
    link = session.page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "https://news.example/b?x=1&y=2"
    assert link.get_attribute("rel") == "noopener noreferrer"
    session.close_popup()

    session.click_latlng(8.5, 13.0)  # inside the region
    text = session.popup_text()
    assert "Gamma Region" in text and "2024-03-01 (inferred)" in text
    session.close_popup()

    session.click_latlng(9.0, 11.0)  # the town with two disagreeing same-day reports
    text = session.popup_text()
    assert "Conflicting reports on 2024-02-01" in text
    assert text.count("2024-02-01") >= 3


def test_time_control_shows_posture_on_chosen_date(session):
    select = session.page.locator("#gm-date")
    assert select.input_value() == "2024-03-01"
    select.select_option("2024-01-10")
    assert session.js(VISIBLE) == 2
    assert session.js("() => window.geomap.counts") == {"staying": 2, "withdrawing": 0, "withdrawn": 0}
    # The border line was still 'staying' on that date: moved and recoloured.
    assert session.js("() => window.geomapLayers.staying.getLayers().some(l => !(l instanceof L.CircleMarker))")
    assert session.page.inner_text("#gm-asof") == "2024-01-10"
    assert "Staying (2)" in session.page.inner_text(".leaflet-control-layers-overlays")
    select.select_option("2024-02-01")
    assert session.js(VISIBLE) == 3
    assert session.js("() => window.geomap.counts") == {"staying": 2, "withdrawing": 1, "withdrawn": 0}
    select.select_option("2024-03-01")
    assert session.js(VISIBLE) == 4


def test_search_tools_and_screenshot(session):
    session.page.fill("#gm-search-input", "delta")
    session.page.locator("#gm-search-results li", has_text="Delta Town").click()
    assert "Delta Town" in session.popup_text()
    session.close_popup()

    session.page.click("#gm-measure")
    session.click_latlng(10.0, 9.0)
    session.click_latlng(10.0, 10.0)
    assert "km" in session.page.inner_text("#gm-measure-out")
    session.page.click("#gm-measure")

    session.page.click("#gm-about-toggle")
    about = session.page.inner_text("#gm-about")
    assert "How statuses are decided" in about and "No online tiles" in about
    session.page.click("#gm-about-toggle")
    assert not session.page.is_visible("#gm-about")

    session.page.fill("#gm-search-input", "")
    session.click_latlng(9.0, 11.0)
    session.popup_text()
    session.page.wait_for_timeout(400)  # let the popup finish fading in
    ARTIFACTS.mkdir(exist_ok=True)
    session.page.screenshot(path=str(ARTIFACTS / "map.png"))
