"""The seeds' own map, opened as a new user would, offline in headless Chromium.

Issue "posture map" done-when: all places show with the right colours, every
layer toggles, every popup has its sources, the time control changes what is shown.
"""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from geo.outputs.legend import STATUS_COLOURS
from tests.test_map_browser import VISIBLE, Session, browser  # noqa: F401  (fixture re-used)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory):
    import geo

    tmp = tmp_path_factory.mktemp("seedsmap")
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    result = geo.build([str(tmp / "seeds")], out=str(tmp / "maps"))
    return result, (tmp / "maps" / "posture.html").resolve().as_uri()


@pytest.fixture
def seeds_session(browser, seeds_build):  # noqa: F811
    s = Session(browser, seeds_build[1])
    yield s, seeds_build[0]
    s.finish()


def test_every_place_drawn_in_its_status_colour(seeds_session):
    s, result = seeds_session
    expected = Counter(p.status for p in result.posture_records)
    counts = s.js("() => Object.fromEntries(Object.entries(window.geomapLayers).map(([k, v]) => [k, v.getLayers().length]))")
    assert {k: v for k, v in counts.items() if v} == dict(expected)
    colours = s.js("""() => Object.fromEntries(Object.entries(window.geomapLayers).map(([k, v]) =>
                        [k, [...new Set(v.getLayers().map(l => l.options.color || l.options.fillColor))]]))""")
    for status, cols in colours.items():
        if counts[status]:
            assert STATUS_COLOURS[status] in cols
    assert s.js(VISIBLE) == len(result.posture_records)


def test_every_layer_toggles(seeds_session):
    s, result = seeds_session
    total = len(result.posture_records)
    for status, n in Counter(p.status for p in result.posture_records).items():
        box = s.page.locator(".leaflet-control-layers-overlays label", has_text=f"{status.capitalize()} ({n})").locator("input")
        box.click()
        assert s.js(VISIBLE) == total - n
        box.click()
        assert s.js(VISIBLE) == total


def test_every_popup_quotes_its_sources(seeds_session):
    s, result = seeds_session
    by_name = {p.name: p for p in result.posture_records}
    texts = s.js("""() => {
        const out = [];
        for (const layer of Object.values(window.geomapLayers)) {
            for (const f of layer.getLayers()) {
                f.openPopup();
                const pop = f.getPopup();
                const el = pop && pop.getElement() ? pop.getElement().querySelector('.leaflet-popup-content') : null;
                out.push(el ? el.innerText : '');
                f.closePopup();
            }
        }
        return out;
    }""")
    assert len(texts) == len(by_name)
    for name, p in by_name.items():
        matching = [t for t in texts if t.strip().splitlines()[0].strip() == name]
        assert len(matching) == 1, (name, [t[:60] for t in texts])
        text = matching[0]
        for r in p.reports[:20]:
            assert (r.outlet or r.doc) in text
        assert " ".join(p.reports[0].evidence.split())[:40] in " ".join(text.split())


def test_time_control_changes_what_is_shown(seeds_session):
    s, result = seeds_session
    dates = sorted({r.published.isoformat() for p in result.posture_records for r in p.reports if r.published})
    assert len(dates) >= 2
    first_day = sum(1 for p in result.posture_records if any(r.published and r.published.isoformat() <= dates[0] for r in p.reports))
    s.page.locator("#gm-date").select_option(dates[0])
    assert s.js(VISIBLE) == first_day < len(result.posture_records)
    s.page.locator("#gm-date").select_option(dates[-1])
    assert s.js(VISIBLE) == len(result.posture_records)


def test_site_and_reference_labels_show_without_overlap(seeds_session):
    s, result = seeds_session
    assert "Reference: capitals and cities" in s.page.inner_text(".leaflet-control-layers-overlays")
    n = sum(len(p.reports) for p in result.posture_records)
    assert s.page.inner_text("#gm-feed-count") == f"({n} of {n})"  # the list holds every report
    boxes = s.js("""() => [...document.querySelectorAll('.gm-label')].filter(e => e.style.display !== 'none')
                     .map(e => { const r = e.getBoundingClientRect();
                                 return [r.left, r.top, r.right, r.bottom, e.classList.contains('gm-ref-label')]; })""")
    assert sum(not b[4] for b in boxes) >= 4 and any(b[4] for b in boxes)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
