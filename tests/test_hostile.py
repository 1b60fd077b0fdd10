"""Hostile article text and metadata end up inert in every output.

A corpus of real-looking articles laced with Jinja, HTML/JS, template-literal
syntax, javascript:/data: URLs, bidi overrides, control characters and a 1 MB
single line (``tests/hostile_corpus.py``) is mixed into the seed articles and
built with every format. The payloads must reach the outputs (otherwise this
proves nothing) as data: literal text in GeoJSON/CSV/GPKG/KML, escaped text in
the map, and nothing runs in a real browser.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from typer.testing import CliRunner

from geo.cli import app
from hostile_corpus import (ARTICLES, EXTRA_DOCS, FORBIDDEN_IN_HTML, IMG, JINJA_EXPR, SCRIPT,
                            write_hostile_corpus)

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ALL_FORMATS = "geojson,gpkg,kml,csv"
HOSTILE_DOCS = {name for name, _ in ARTICLES.values()} | {"h06_long_line.txt"} | set(EXTRA_DOCS)
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(hostile out folder, clean out folder, CLI result) built with the same extractor."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = write_hostile_corpus(root / "in")
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, corpus / f"seed_{f.name}")  # real articles around the hostile ones
    clean = root / "clean_in"
    clean.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, clean / f"seed_{f.name}")
    result = runner.invoke(app, ["build", str(corpus), "--out", str(root / "out"), "--formats", ALL_FORMATS, "--json"])
    ok = runner.invoke(app, ["build", str(clean), "--out", str(root / "clean"), "--formats", ALL_FORMATS])
    assert ok.exit_code == 0, ok.output
    return root / "out", root / "clean", result


@pytest.fixture(scope="module")
def reports(built):
    out, _, _ = built
    return [f["properties"] for f in json.loads((out / "reports.geojson").read_text(encoding="utf-8"))["features"]]


def test_hostile_corpus_builds_and_only_bad_urls_are_reported(built, reports):
    out, _, result = built
    summary = json.loads(result.stdout)
    assert summary["articles"] == len(HOSTILE_DOCS) + 5
    # javascript:/data: URLs are dropped with a message; every article is still used
    assert result.exit_code == 1
    problems = [s["problem"] for s in summary["skipped"]]
    assert all(Path(s["path"]).name == "metadata.json" for s in summary["skipped"]), summary["skipped"]
    assert len(problems) == 4 and all("only http(s) URLs are kept" in p for p in problems)
    # the payloads travelled with the reports: this test would prove nothing otherwise
    assert HOSTILE_DOCS <= {r["doc"] for r in reports}


def test_geojson_carries_payloads_as_plain_data(built, reports):
    from geo.outputs.export import validate_geojson

    out, _, _ = built
    validate_geojson(out / "posture.geojson", "postures")
    validate_geojson(out / "reports.geojson", "reports")
    evidence = {r["evidence"] for r in reports}
    assert f"Russian troops left Kherson, Ukraine {JINJA_EXPR} {SCRIPT}." in evidence
    assert any(IMG in e and "<svg/onload=window.pwned=1>" in e for e in evidence)
    assert any(IMG in (r["outlet"] or "") for r in reports)
    urls = {r["url"] for r in reports if r["url"]}
    assert urls == {'https://example.org/a?b="><script>window.pwned=1</script>&c={{7*7}}'}
    for name in ("posture.geojson", "reports.geojson", "posture.kml", "reports.csv"):
        raw = (out / name).read_text(encoding="utf-8")
        assert "\u202e" not in raw and "\u2067" not in raw, name  # bidi overrides never survive
        assert "\x07" not in raw and "\x1b" not in raw, name  # nor terminal control codes
        assert "javascript:" not in raw.lower() and "data:text/html" not in raw, name


def test_control_characters_and_bidi_do_not_hide_the_evidence(reports):
    evidence = [r["evidence"] for r in reports if r["doc"] == "h05_controls.txt"]
    assert evidence == ["Russian peacekeepers left Khankendi [31m evil on April 17, 2024 {{7*7}}."]


def test_csv_cells_are_text_not_formulas(built, reports):
    out, _, _ = built
    limit = csv.field_size_limit()
    csv.field_size_limit(10_000_000)  # the 1 MB line's evidence (see the xfail below)
    try:
        with open(out / "reports.csv", newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    finally:
        csv.field_size_limit(limit)
    assert len(rows) == len(reports)
    assert {r["evidence"] for r in rows} >= {f"Russian troops left Kherson, Ukraine {JINJA_EXPR} {SCRIPT}."}
    for row in rows:
        for key, cell in row.items():
            if key not in ("lat", "lon", "confidence", "wkt"):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (key, cell[:80])


def test_kml_balloons_hold_only_escaped_text(built):
    out, _, _ = built
    tree = ET.parse(out / "posture.kml")
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    descriptions = [d.text or "" for d in tree.getroot().iterfind(".//k:description", ns)]
    assert any("window.pwned" in d for d in descriptions)
    for desc in descriptions:
        # Google Earth renders a description as HTML: only the fixed <b> and <br/> tags may be in it
        tags = {node.tag for node in HTMLParser(desc).body.traverse() if node.tag not in ("-text", "body")}
        assert tags <= {"b", "br"}, tags
        assert not any(attr.lower().startswith("on") for node in HTMLParser(desc).body.traverse()
                       for attr in (node.attributes or {}))
    shown = " ".join(HTMLParser(d).body.text() for d in descriptions)
    assert f"Kherson, Ukraine {JINJA_EXPR} {SCRIPT}." in shown  # displayed literally


def test_gpkg_holds_the_same_text(built, reports):
    import pyogrio

    out, _, _ = built
    frame = pyogrio.read_dataframe(out / "posture.gpkg", layer="reports")
    assert sorted(frame["evidence"]) == sorted(r["evidence"] for r in reports)
    assert sorted(frame["outlet"].fillna("")) == sorted(r["outlet"] or "" for r in reports)


def test_map_html_has_no_payload_in_executable_position(built):
    out, clean, _ = built
    page = (out / "posture.html").read_text(encoding="utf-8")
    clean_page = (clean / "posture.html").read_text(encoding="utf-8")
    # the page's data is JSON with <, >, & and ' as \\u escapes; undo them to see what the popup code gets
    data = re.sub(r"\\u00(26|3c|3e|27)", lambda m: chr(int(m.group(1), 16)), page)
    for bad in FORBIDDEN_IN_HTML:
        assert bad not in page and bad not in data, bad
    # the payloads add no element, handler or URL: counts match a build of clean articles
    for marker in ("<script", "</script", "<img", "<svg", "<iframe", "<object", "<a ", "javascript:", "srcdoc"):
        assert page.lower().count(marker) == clean_page.lower().count(marker), marker
    handlers = re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.I)  # a tag with an inline event handler
    assert len(handlers.findall(page)) == len(handlers.findall(clean_page))
    tree = HTMLParser(page)
    assert len(tree.css("script")) == page.count("<script")
    # the evidence is there, escaped: Jinja never saw it (no 49, comment and statement kept)
    assert "Kherson, Ukraine &#123;&#123;7*7&#125;&#125; &lt;script&gt;window.pwned=1&lt;/script&gt;." in data
    assert "Kherson, Ukraine 49" not in data
    assert "&#123;% if 1 %&#125;JINJA-STATEMENT-RAN&#123;% endif %&#125;" in data
    assert "&#123;# hidden-jinja-comment #&#125;" in data
    assert "&#36;&#123;window.pwned=1&#125;" in data
    assert "&#96;tick&#96;" in data


def test_one_megabyte_line_is_capped_on_the_map(built, reports):
    out, clean, _ = built
    long_reports = [r for r in reports if r["doc"] == "h06_long_line.txt"]
    assert long_reports  # the 1 MB line was read and extracted, not skipped
    page_size = (out / "posture.html").stat().st_size
    # the map shows a capped excerpt, never the megabyte
    assert page_size < (clean / "posture.html").stat().st_size + 200_000


def test_deeply_nested_page_is_read_with_its_report(built, reports):
    """Finding 8 of issue 15: 100,000 nested <div> are parsed (deeper tags dropped), the sentence still reported."""
    _, _, result = built
    deep = [r for r in reports if r["doc"] == "h07_deep_nesting.html"]
    assert deep and all(r["name"] == "Kherson" for r in deep), deep
    assert deep[0]["evidence"] == "Russian troops left Kherson, Ukraine in November."  # the script element is dropped
    assert "deep-html" in result.stderr


def test_evidence_of_a_one_megabyte_line_is_bounded(built, reports):
    out, _, _ = built
    long_reports = [r for r in reports if r["doc"] == "h06_long_line.txt"]
    assert long_reports and all(len(r["evidence"]) <= 32_767 for r in long_reports)
    with open(out / "reports.csv", newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(reports)  # default field limit suffices


# ------------------------------------------------------------------ real browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def page(built):
    import os

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is missing but CI is set")
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing but CI is set")
        pytest.skip(f"{CHROMIUM} is missing")
    out, _, _ = built
    blocked: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 800})
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
        pg.route("**/*", route)
        pg.goto((out / "posture.html").resolve().as_uri())
        pg.wait_for_function("() => window.geomap !== undefined && window.geomap.counts !== null")
        yield pg, blocked, errors
        browser.close()


_EACH_FEATURE = """() => {
    const seen = [];
    for (const group of Object.values(window.geomapLayers)) {
        group.eachLayer(l => { if (!seen.includes(l)) seen.push(l); });
    }
    window.__features = seen;
    return seen.length;
}"""

_OPEN = """(i) => {
    const l = window.__features[i];
    const map = Object.values(window.geomapLayers)[0]._map;
    if (!l._map) { l.addTo(map); }  // layers of hidden groups: show them to click them
    const at = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
    l.fire('click', {latlng: at});
    l.openTooltip(at);
    // this layer's own popup and tooltip (a closed one may still be fading out in the page)
    const pop = l.getPopup() && l.isPopupOpen() ? l.getPopup().getElement().querySelector('.leaflet-popup-content') : null;
    const tip = l.getTooltip() ? l.getTooltip().getElement() : null;
    const root = [pop, tip].filter(Boolean);
    const bad = root.flatMap(r => [...r.querySelectorAll('script,img,svg,iframe,object,embed,form,style')]);
    const handlers = root.flatMap(r => [...r.querySelectorAll('*')])
        .flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'));
    const hrefs = pop ? [...pop.querySelectorAll('a')].map(a => a.href) : [];
    return {text: pop ? pop.innerText : null, bad: bad.map(e => e.outerHTML), handlers, hrefs};
}"""


def test_browser_runs_nothing_when_every_popup_is_opened(page):
    pg, blocked, errors = page
    n = pg.evaluate(_EACH_FEATURE)
    assert n >= 10
    texts = []
    for i in range(n):
        got = pg.evaluate(_OPEN, i)
        assert got["text"], f"feature {i} opened no popup"
        assert got["bad"] == [] and got["handlers"] == [], got
        assert all(h.startswith("https://example.org/") for h in got["hrefs"]), got["hrefs"]
        texts.append(got["text"])
        pg.evaluate("() => { Object.values(window.geomapLayers)[0]._map.closePopup(); }")
    shown = "\n".join(texts)
    # the payloads are displayed as the literal text the article contained
    assert f"Kherson, Ukraine {JINJA_EXPR} {SCRIPT}." in shown
    assert "${window.pwned=1}" in shown and "{% if 1 %}JINJA-STATEMENT-RAN{% endif %}" in shown
    assert IMG in shown
    assert pg.evaluate("() => typeof window.pwned") == "undefined"
    assert blocked == [] and errors == []


def test_browser_link_is_the_exact_url_and_cannot_break_out(page):
    pg, _, _ = page
    pg.evaluate(_EACH_FEATURE)
    hrefs = pg.evaluate("""() => {
        const out = new Set();
        for (const l of window.__features) {
            const map = Object.values(window.geomapLayers)[0]._map;
            if (!l._map) { l.addTo(map); }
            l.fire('click', {latlng: l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()});
            document.querySelectorAll('.leaflet-popup-content a').forEach(a => out.add(a.getAttribute('href')));
            map.closePopup();
        }
        return [...out];
    }""")
    assert hrefs == ['https://example.org/a?b="><script>window.pwned=1</script>&c={{7*7}}']
    assert pg.evaluate("() => typeof window.pwned") == "undefined"


_VIOLATIONS = """document.addEventListener('securitypolicyviolation',
    e => { (window.__csp = window.__csp || []).push(e.violatedDirective); });"""


def test_content_security_policy_runs_only_the_pages_own_scripts(built, page, tmp_path):
    """Point 6 (Content-Security-Policy): the map runs under its policy with no violation, and a script
    or handler added to the file afterwards (as a payload that escaped the escaping would be) never runs."""
    out, _, _ = built
    html = (out / "posture.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'sha256-' in html
    tampered = tmp_path / "tampered.html"
    tampered.write_text(html.replace("</body>", '<script>window.pwned=1</script>'
                                     '<img src="data:," onerror="window.pwned=2"></body>'), encoding="utf-8")
    browser = page[0].context.browser
    results = []
    for path in (out / "posture.html", tampered):
        pg = browser.new_page()
        pg.add_init_script(_VIOLATIONS)
        pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        pg.goto(path.resolve().as_uri())
        pg.wait_for_function("() => window.geomap !== undefined && window.geomap.counts !== null")
        pg.wait_for_timeout(300)
        results.append((pg.evaluate(_EACH_FEATURE), pg.evaluate("() => window.__csp || []"),
                        pg.evaluate("() => typeof window.pwned")))
        pg.close()
    (clean_n, clean_violations, _), (tampered_n, violations, pwned) = results
    assert clean_n >= 10 and clean_violations == []  # the policy lets the map itself work
    assert tampered_n == clean_n and pwned == "undefined"
    assert "script-src-elem" in violations and "script-src-attr" in violations, violations


_FEED_AND_LABELS = """() => {
    document.getElementById('gm-f-place-clear').click();  // earlier clicks on places filtered the feed
    const more = document.getElementById('gm-feed-more');
    while (!more.classList.contains('gm-hidden')) { more.click(); }
    const roots = [document.getElementById('gm-feed'), ...document.querySelectorAll('.gm-label')];
    const bad = roots.flatMap(r => [...r.querySelectorAll('script,img,svg,iframe,object,embed,form,style,a[href]')])
        .filter(e => e.id !== 'gm-feed-close' && e.id !== 'gm-f-place-clear');
    const handlers = roots.flatMap(r => [r, ...r.querySelectorAll('*')])
        .flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'));
    const labels = [...document.querySelectorAll('.gm-label')];
    return {feed: document.getElementById('gm-feed').innerText, bad: bad.map(e => e.outerHTML), handlers,
            labelChildren: labels.filter(e => e.children.length).length, labels: labels.map(e => e.textContent)};
}"""


def test_browser_feed_and_labels_show_payloads_as_text(page):
    """Issue 14: the report feed, its filter choices and the place labels carry the payloads as inert text."""
    pg, blocked, errors = page
    got = pg.evaluate(_FEED_AND_LABELS)
    assert got["bad"] == [] and got["handlers"] == [] and got["labelChildren"] == 0, got["bad"]
    assert f"Kherson, Ukraine {JINJA_EXPR} {SCRIPT}." in got["feed"]
    assert "${window.pwned=1}" in got["feed"]
    assert got["labels"]  # labels are drawn, as plain text (no child elements, checked above)
    # Filtering by the hostile text itself runs nothing and still finds its report.
    pg.fill("#gm-f-text", JINJA_EXPR)
    assert "Kherson" in pg.inner_text("#gm-feed-list")
    pg.fill("#gm-f-text", "")
    assert pg.evaluate("() => typeof window.pwned") == "undefined"
    assert blocked == [] and errors == []
