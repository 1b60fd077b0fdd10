"""Tests for geo.outputs.map.page (no browser): safety, air-gap, determinism, layers and data."""
from __future__ import annotations

import json
import random
import re
from datetime import date

import pytest
from shapely.geometry import Point, box

from geocore.errors import InputError
from geo.outputs.map.assets import external_asset_urls
from geo.outputs.map.page import build_map, render_map, save_map
from tests.map_fixtures import HOSTILE, hostile_postures, posture, report, two_countries


@pytest.fixture(scope="module")
def page() -> str:
    return render_map(build_map(hostile_postures(), countries=two_countries()))


def _geojson_payloads(html: str) -> dict[str, dict]:
    """Every GeoJSON document embedded in the page, by JS layer name."""
    out = {}
    for name, payload in re.findall(r"\n\s*(geo_json_\d+)_add\((\{.*\})\);\n", html):
        out[name] = json.loads(payload)
    return out


def _features(html: str) -> list[dict]:
    return [f for doc in _geojson_payloads(html).values() for f in doc["features"] if f["properties"]]


def test_hostile_text_never_appears_in_executable_form(page):
    for raw in [
        "<script>window.pwned",
        "</script><script>",
        'onerror="window',
        "onerror=\\\"window",
        "<img src=x",
        "{{7*7}}",
        "{% if 1 %}",
        "${window.pwned",
        "`tick`",
        "javascript:window.pwned",
        "\u202e",
        "Westland",  # country attributes are dropped, not escaped
    ]:
        assert raw not in page, raw
    # The payload is there, inert: braces and markup are entities inside JSON.
    assert "\\u0026#123;\\u0026#123;7*7\\u0026#125;\\u0026#125;" in page
    assert "\\u0026lt;img src=x onerror=\\u0026quot;window.pwned=1\\u0026quot;\\u0026gt;" in page


def test_no_external_scripts_or_stylesheets(page):
    assert external_asset_urls(page) == []
    assert not re.search(r"<script[^>]+src=", page, re.IGNORECASE)
    assert not re.search(r"<link[^>]+stylesheet", page, re.IGNORECASE)
    # Leaflet itself is inlined.
    assert "window.L=" in page or "window.L =" in page
    assert "tile.openstreetmap.org" not in page


def test_layer_names_with_counts(page):
    for name in ["Staying (2)", "Withdrawing (1)", "Withdrawn (1)", "Force: troops (2)",
                 "Force: border guards (1)", "Actor: Russia (3)"]:
        assert json.dumps(name) in page, name
    # A group named by hostile text is escaped, cut to 40 characters.
    assert '"Actor: \\u0026#123;\\u0026#123;7*7' in page


def test_status_layers_hold_features_and_groups_are_filled_by_id(page):
    # The reference outlines (lakes, provinces: one attribute-less feature each) aside.
    docs = {k: d for k, d in _geojson_payloads(page).items()
            if not (len(d["features"]) == 1 and not d["features"][0]["properties"])}
    counts = sorted(len(d["features"]) for d in docs.values())
    # countries (2) + staying (2) + withdrawing (1) + withdrawn (1); group layers are empty.
    assert counts.count(0) == 5  # 3 force groups + 2 actor groups
    assert sorted(c for c in counts if c) == [1, 1, 2, 2]
    statuses = sorted(f["properties"]["s"] for f in _features(page))
    assert statuses == ["staying", "staying", "withdrawing", "withdrawn"]
    assert '"groups": [[' in page  # ids only


def page_cfg(html: str) -> dict:
    """The configuration object the page passes to geomapControls."""
    call = re.search(r"\n\s*geomapControls\(\s*\w+,\s*", html)
    return json.JSONDecoder().raw_decode(html, call.end())[0]


def test_report_rows_carry_escaped_sources_dates_evidence_and_safe_links(page):
    feats = {f["properties"]["n"].split(" ")[0]: f for f in _features(page)}
    cfg = page_cfg(page)
    rows = cfg["reports"]
    # Every report once, newest first, undated last.
    assert len(rows) == 6
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    base = feats["Alpha"]["properties"]
    (k,) = base["r"]
    fid, day, inferred, status, outlet, force, actor, evidence, url, doc, trigger, conf = rows[k]
    assert fid == feats["Alpha"]["id"]
    assert cfg["outlets"][outlet].startswith("Outlet &#123;&#123;7*7")
    assert (day, inferred, status, conf) == ("2024-01-10", 0, 0, 0.8)
    assert cfg["forces"][force] == "troops" and cfg["actors"][actor] == "Russia"
    assert evidence.startswith("Troops <mark>will</mark> <mark>remain</mark> at the base. &#123;&#123;")
    assert url is None  # javascript: dropped
    assert doc == "a.txt" and trigger == "stay"
    assert re.sub(r"</?mark>", "", evidence).count("<") == 0

    line = feats["Beta"]["properties"]
    newest, older = (rows[k] for k in line["r"])
    assert newest[8] == "https://news.example/b?x=1&amp;y=2"
    assert cfg["outlets"][newest[4]] == "b.txt" and newest[9] is None  # no outlet: the doc is the source
    assert older[1] == "2024-01-10"
    assert line["h"] == [["2024-01-10", 0, 0], ["2024-02-01", 1, 0]]

    region = feats["Gamma"]["properties"]
    assert rows[region["r"][0]][2] == 1  # inferred date flagged
    town = feats["Delta"]["properties"]
    assert town["c"] == 1 and town["h"] == [["2024-02-01", 0, 1]]
    assert "force: &#123;&#123;7*7" in town["m"]
    # Filter choices are the escaped labels; a hostile force is one of them, inert.
    assert any(f.startswith("&#123;&#123;7*7") for f in cfg["forces"])
    # Labels are placed most important first: the two-report places lead.
    assert set(cfg["rank"][:2]) == {feats["Beta"]["id"], feats["Delta"]["id"]}


def test_geometry_types_and_rounding(page):
    kinds = sorted(f["geometry"]["type"] for f in _features(page))
    assert kinds == ["LineString", "Point", "Point", "Polygon"]
    countries = [d for d in _geojson_payloads(page).values() if len(d["features"]) == 2 and not d["features"][0]["properties"]]
    assert len(countries) == 1
    coords = json.dumps(countries[0])
    assert not re.search(r"\d\.\d{3,}", coords)


def test_same_input_same_bytes(tmp_path):
    postures = hostile_postures()
    a = tmp_path / "a.html"
    b = tmp_path / "b.html"
    save_map(build_map(postures, countries=two_countries()), a)
    shuffled = list(postures)
    random.Random(4).shuffle(shuffled)
    m = build_map(shuffled, countries=two_countries())
    save_map(m, b)
    assert a.read_bytes() == b.read_bytes()
    save_map(m, b)  # saving the same map again changes nothing
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]  # no temp files left


def test_time_control_lists_dates_and_as_of():
    html = render_map(build_map(hostile_postures()))
    select = re.search(r'<select id="gm-date">(.*?)</select>', html).group(1)
    assert re.findall(r'<option value="([\d-]+)"', select) == ["2024-01-10", "2024-02-01", "2024-03-01"]
    assert '<option value="2024-03-01" selected>' in html
    html = render_map(build_map(hostile_postures(), as_of=date(2024, 2, 15)))
    assert '<option value="2024-02-15" selected>' in html
    assert '"initial": "2024-02-15"' in html


def test_legend_and_about_panel():
    html = render_map(build_map(hostile_postures()))
    for text in ["The force remains", "withdrawal is complete", "How statuses are decided", "No online tiles",
                 "Places with conflicting reports: 1", "Outlet D (1)", "b.txt (1)", "#1b7837", "#e08214", "#762a83"]:
        assert text in html, text


def test_tiles_options():
    osm = render_map(build_map(hostile_postures(), tiles="osm"))
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in osm
    assert "revealing the area of interest" in osm
    assert external_asset_urls(osm) == []
    custom = render_map(build_map(hostile_postures(), tiles="https://tiles.example/{z}/{x}/{y}.png"))
    assert "https://tiles.example/{z}/{x}/{y}.png" in custom
    for bad in ["javascript:alert(1)", "https://tiles.example/{{7*7}}/{x}/{y}", "https://t.example/a.png",
                "https://t.example/{z}/{x}/{y}\"><script>", "ftp://t.example/{z}/{x}/{y}"]:
        with pytest.raises(InputError):
            build_map(hostile_postures(), tiles=bad)


def test_bad_postures_raise_clear_errors():
    bad_status = posture("p", "P", "leaving", [report("staying", date(2024, 1, 1), "x")])
    with pytest.raises(InputError, match="'p'.*unknown status 'leaving'"):
        build_map([bad_status])
    bad_report = posture("q", "Q", "staying", [report("gone", date(2024, 1, 1), "x")])
    with pytest.raises(InputError, match="'q'.*unknown status 'gone'"):
        build_map([bad_report])
    bad_coords = posture("r", "R", "staying", [report("staying", None, "x")], lat=float("nan"))
    with pytest.raises(InputError, match="'r'.*invalid coordinates"):
        build_map([bad_coords])


def test_empty_and_undated_inputs_still_build():
    empty = render_map(build_map([]))
    assert '"Staying (0)"' in empty and external_asset_urls(empty) == []
    undated = render_map(build_map([posture("u", "U", "withdrawn", [report("withdrawn", None, "Left.")])]))
    assert '<option value="" selected>undated reports</option>' in undated
    assert '"h": [["", 2, 0]]' in undated


def test_size_scales_to_10k_postures_under_10mb():
    # 1,000 places with two reports each; the page must stay under 1/10 of the
    # 10 MB budget for 10,000 plus the fixed ~0.2 MB of inlined Leaflet.
    postures = []
    for i in range(1000):
        reps = [
            report("staying", date(2024, 1, 1 + i % 28), f"Troops remain at site {i} said the ministry on Monday.",
                   spans=[(7, 13)], url=f"https://news.example/{i}", doc=f"d{i % 50}.txt", outlet=f"Outlet {i % 30}"),
            report("withdrawing", date(2024, 2, 1 + i % 28), f"Troops began withdrawing from site {i} this week.",
                   spans=[(13, 24)], doc=f"d{i % 40}.txt"),
        ]
        geom = box(i % 50, i % 40, i % 50 + 0.3, i % 40 + 0.2) if i % 10 == 0 else None
        postures.append(posture(f"s{i}", f"Site {i}", "withdrawing", reps, lat=(i % 80) - 40, lon=(i % 170) - 85,
                                geometry=geom, force=f"force {i % 7}", actor=f"actor {i % 9}"))
    html = render_map(build_map(postures))
    assert len(html.encode()) < 1.0e6 + 0.25e6


def test_point_geometry_from_lat_lon_and_given_geometry():
    p = posture("g", "G", "staying", [report("staying", date(2024, 1, 1), "x")], lat=45.1234567, lon=7.7654321)
    q = posture("h", "H", "staying", [report("staying", date(2024, 1, 1), "y")], geometry=Point(3.0, 4.0))
    feats = sorted(_features(render_map(build_map([p, q]))), key=lambda f: f["properties"]["n"])
    assert feats[0]["geometry"] == {"type": "Point", "coordinates": [7.76543, 45.12346]}
    assert feats[1]["geometry"] == {"type": "Point", "coordinates": [3.0, 4.0]}


def test_hostile_payload_constant_is_what_we_think():
    # Guard against the fixture silently losing its teeth.
    for piece in ["{{7*7}}", "{% if", "onerror=", "</script>", "${", "`", "\u202e"]:
        assert piece in HOSTILE


def test_reference_layer_holds_capitals_and_major_cities_near_the_postures():
    near = [posture("g", "Gyumri base", "staying", [report("staying", date(2024, 1, 1), "x")], lat=40.79, lon=43.85),
            posture("k", "Goris", "withdrawing", [report("withdrawing", date(2024, 1, 2), "y")], lat=39.51, lon=46.34)]
    ref = page_cfg(render_map(build_map(near, reference=True)))["ref"]
    by_name = {r[0]: r for r in ref}
    assert by_name["Yerevan"][3] == 1 and by_name["Tbilisi"][3] == 1
    assert ref[0][3] == 1  # capitals first
    assert all(30 < r[1] < 50 and 35 < r[2] < 55 for r in ref)  # only around the postures
    assert page_cfg(render_map(build_map(near)))["ref"] == []  # no basemap, no reference unless asked


def test_corpus_map_with_movements_is_byte_identical_whatever_the_input_order():
    from geo.postures.consolidate import consolidate
    from tests.map_fixtures import corpus_movements, corpus_reports

    postures, moves = consolidate(corpus_reports()), corpus_movements(hostile=True)
    a = render_map(build_map(postures, movements=moves, countries=two_countries()))
    rng = random.Random(3)
    postures, moves = list(postures), list(moves)
    rng.shuffle(postures)
    rng.shuffle(moves)
    assert render_map(build_map(postures, movements=moves, countries=two_countries())) == a
    cfg = page_cfg(a)
    assert len(cfg["reports"]) == 200 and len(cfg["moves"]) == 7
    assert "{{" not in a and "\u202e" not in a  # hostile movement text arrives escaped


def _outline_payloads(html: str) -> dict[str, dict]:
    """The lakes (MultiPolygon) and division boundaries (MultiLineString) geometries on the page."""
    out = {}
    for doc in _geojson_payloads(html).values():
        if len(doc["features"]) == 1 and not doc["features"][0]["properties"]:
            geom = doc["features"][0]["geometry"]
            out[{"MultiPolygon": "lakes", "MultiLineString": "divisions"}.get(geom["type"], geom["type"])] = geom
    return out


def test_reference_outlines_hold_provinces_and_lakes_around_the_postures():
    from shapely.geometry import shape

    from tests.map_fixtures import armenia_postures, require_outlines

    require_outlines()
    html = render_map(build_map(armenia_postures(), reference=True))
    found = _outline_payloads(html)
    assert set(found) == {"lakes", "divisions"}
    lakes, divisions = shape(found["lakes"]), shape(found["divisions"])
    assert lakes.contains(Point(45.3, 40.35))  # Lake Sevan
    assert lakes.contains(Point(42.9, 38.6))  # Lake Van
    assert divisions.intersects(box(44.0, 39.5, 45.5, 41.0))  # Armenia's provinces (marzer)
    # Only around the postures: the padded bounds, about 37.9-42.4 N, 41.6-48.6 E.
    minx, miny, maxx, maxy = lakes.union(divisions).bounds
    assert 41 < minx and maxx < 49 and 37 < miny and maxy < 43
    assert not re.search(r"\d\.\d{3,}", json.dumps(found))  # rounded like the country outlines
    # Beneath everything: in the basemap pane, out of the layer control, never interactive.
    for name in re.findall(r"var (geo_json_\d+) = L\.geoJson\(null, \{[^;]*?\"pane\": \"geomapBase\"", html, re.S):
        assert name in _geojson_payloads(html)
    assert len(re.findall(r"L\.geoJson\(null, \{[^;]*?\"pane\": \"geomapBase\"", html, re.S)) >= 2
    assert '"interactive": false' in html and "Provinces and states" not in html and "Lakes" not in html
    no_ref = render_map(build_map(armenia_postures()))  # no basemap: no reference unless asked
    assert _outline_payloads(no_ref) == {}


def test_map_with_reference_outlines_is_byte_identical_across_builds(tmp_path):
    from geo.outputs.map import outlines
    from tests.map_fixtures import armenia_postures, require_outlines

    require_outlines()
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    save_map(build_map(armenia_postures(), countries=two_countries()), a)
    outlines._world.cache_clear()  # the second build reads the cache file afresh
    save_map(build_map(list(reversed(armenia_postures())), countries=two_countries()), b)
    assert a.read_bytes() == b.read_bytes()
    assert set(_outline_payloads(a.read_text())) == {"lakes", "divisions"}


@pytest.mark.parametrize("content", [None, b"not a geomap file\n{}"])
def test_map_builds_with_a_warning_when_the_outlines_are_missing_or_bad(tmp_path, monkeypatch, caplog, content):
    from geo.outputs.map import outlines
    from tests.map_fixtures import armenia_postures

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path))
    if content is not None:
        outlines.cache_path().write_bytes(content)
        outlines.cache_path().chmod(0o600)
    outlines._world.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="geo.outputs.map.outlines"):
            html = render_map(build_map(armenia_postures(), countries=two_countries()))
    finally:
        outlines._world.cache_clear()
    assert _outline_payloads(html) == {}
    assert page_cfg(html)["reports"]  # the rest of the map is there
    (msg,) = [r.getMessage() for r in caplog.records if r.name == "geo.outputs.map.outlines"]
    assert "provinces, lakes" in msg and str(outlines.cache_path()) in msg
    assert ("missing" if content is None else "not usable") in msg


def test_wide_map_outlines_are_simplified_to_the_point_budget():
    import shapely
    from shapely.geometry import shape

    from geo.outputs.map.outlines import MAX_OUTLINE_POINTS, reference_outlines
    from tests.map_fixtures import require_outlines

    require_outlines()
    # The Balkans to the Caspian (the hostile corpus's map), padded: over 20,000 points at the base tolerance.
    wide = reference_outlines([[25.7, 2.2], [65.0, 70.6]])
    points = sum(int(shapely.get_num_coordinates(shape(g))) for g in wide.values())
    assert points <= MAX_OUTLINE_POINTS
    assert shape(wide["divisions"]).intersects(box(30.0, 45.0, 40.0, 52.0))  # Ukraine's oblasts still drawn
    assert shape(wide["lakes"]).contains(Point(31.5, 60.8))  # Lake Ladoga, at the base tolerance
