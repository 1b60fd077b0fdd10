"""Readers of the index's offline sources (gazetteer.sources): country points, continents, physical features."""
from __future__ import annotations

import csv

import pycountry
import pytest
import shapely

from gazetteer import countries as C, sources


def km(lat1, lon1, lat2, lon2):
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_country_points_file_is_one_sourced_point_per_iso_country():
    path = sources.pathlib.Path(sources.__file__).with_name("data") / "country_points.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = [r["iso2"] for r in rows]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    assert set(codes) <= {c.alpha_2 for c in pycountry.countries} | {"XK"}
    assert len(codes) >= 240
    for r in rows:
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
        assert r["source"] and int(r["geonameid"]) > 0, r


@pytest.fixture(scope="module")
def country_records():
    return {r.country: r for r in sources.countries(C.load_countries())}


def test_a_country_sits_at_its_geonames_point(country_records):
    # GeoNames puts the United States in Kansas (39.76 N, 98.5 W) and India at 22 N, 79 E
    us, india = country_records["US"], country_records["IN"]
    assert km(us.lat, us.lon, 39.76, -98.5) < 1
    assert km(india.lat, india.lon, 22.0, 79.0) < 1


def test_a_point_far_from_its_outline_falls_back(monkeypatch):
    frame = C.load_countries()
    france = frame[frame["iso2"] == "FR"].geometry.iloc[0]
    monkeypatch.setattr(sources, "_geonames_country_points", lambda: {"FR": (-30.0, 10.0)})  # in the Atlantic
    p = sources._country_point("FR", france)
    assert france.buffer(0.1).contains(p)
    assert km(p.y, p.x, -30.0, 10.0) > 5000


def test_continents_are_seven_named_points():
    got = {r.place_id: r for r in sources.continents()}
    assert len(got) == 7 and all(r.feature_type == "continent" and r.country is None for r in got.values())
    africa = got["continent:AF"]
    assert africa.name == "Africa" and "Africa" in africa.names
    # Each continent's point lies in one of its countries or close to it (Antarctica has none)
    frame = C.load_countries()
    for code, iso2 in (("AF", "CF"), ("EU", "DE"), ("SA", "BR"), ("AS", "CN")):
        geom = frame[frame["iso2"] == iso2].geometry.iloc[0]
        assert shapely.dwithin(geom, shapely.Point(got[f"continent:{code}"].lon, got[f"continent:{code}"].lat), 1.0), code


def test_real_index_resolves_a_continent_over_its_namesake_towns(real_parser):

    text = "The ministry said the brigade would leave Africa and return to Europe next spring."
    spans = [(text.index("Africa"), text.index("Africa") + 6), (text.index("Europe"), text.index("Europe") + 6)]
    got = real_parser.resolve(text, spans)
    assert [p.place_id if p else None for p in got] == ["continent:AF", "continent:EU"]


def test_physical_file_is_one_sourced_row_per_feature():
    rows = list(csv.DictReader(sources.PHYSICAL_FILE.open(encoding="utf-8", newline="")))
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) and len(ids) > 2000
    assert {r["feature_type"] for r in rows} == {"water", "landform"}
    assert all(r["source"].startswith("Natural Earth") and r["name"] for r in rows)
    assert all(-90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180 for r in rows)


def test_real_index_adds_a_short_name_only_where_it_is_free(real_gazetteer):
    g = real_gazetteer
    ids = lambda name: [p.place_id for p in g.lookup(name, limit=50)]  # noqa: E731
    assert "ne:river:euphrates" in ids("Euphrates") and "ne:river:euphrates" in ids("Euphrates River")
    assert "region:US-AL" in ids("Alabama") and "ne:river:alabama" not in ids("Alabama")  # the state keeps its name
    assert "ne:river:alabama" in ids("Alabama River")
    assert "ne:ocean:atlantic-ocean" in ids("Atlantic")  # an ocean keeps its short name beside the towns
    assert "ne:sea:black-sea" not in ids("Black")


def test_real_parser_spots_seas_and_ranges_as_areas(real_parser):
    text = "Two frigates sailed from the Black Sea into the Mediterranean while patrols crossed the Hindu Kush."
    got = {m.text: m.feature_type for m in real_parser.parse(text)}
    assert got == {"Black Sea": "water", "Mediterranean": "water", "Hindu Kush": "landform"}
