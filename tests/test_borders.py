"""Tests for gazetteer.borders: derived border lines, names, aliases, demonyms."""
import time

import geopandas as gpd
import pytest
from geopy.distance import geodesic
from shapely.geometry import Point, box
from shapely.ops import nearest_points

from gazetteer.borders import DEMONYMS, border_aliases, borders_of, derive_borders, load_borders
from gazetteer.countries import load_countries


@pytest.fixture(scope="module")
def borders():
    return {b.place_id: b for b in load_borders()}


def _km_to_line(line, lat, lon):
    near = nearest_points(line, Point(lon, lat))[0]
    return geodesic((lat, lon), (near.y, near.x)).km


@pytest.mark.parametrize("pair,lat,lon", [
    ("AM-TR", 40.35, 43.65), ("AM-IR", 38.88, 46.25), ("AM-AZ", 40.05, 45.75),
])
def test_seed_borders_are_lines_near_truth(borders, pair, lat, lon):
    b = borders[f"border:{pair}"]
    assert b.feature_type == "border" and b.country == pair
    assert b.geometry.geom_type in ("LineString", "MultiLineString")
    assert _km_to_line(b.geometry, lat, lon) < 60
    # the representative point lies on the line
    assert b.geometry.distance(Point(b.lon, b.lat)) < 1e-4  # on the line (5-decimal rounding)


@pytest.mark.parametrize("pair", ["AZ-IR", "RU-UA", "IL-LB", "AZ-TR", "GE-RU", "CN-IN", "IN-PK",
                                  "MD-UA", "BY-PL", "LT-RU", "CN-MO", "IT-VA"])
def test_other_neighbours_found(borders, pair):
    assert f"border:{pair}" in borders


def test_no_border_between_non_neighbours(borders):
    assert "border:AM-RU" not in borders and "border:FR-US" not in borders


def test_names_and_aliases(borders):
    b = borders["border:AM-TR"]
    assert b.name == "Armenia–Turkey border"
    for alias in ("Armenia-Turkey border", "Turkey-Armenia border", "Armenian-Turkish border",
                  "Turkish-Armenian border", "border between Armenia and Turkey"):
        assert alias in b.aliases
    assert b.name not in b.aliases and len(set(b.aliases)) == len(b.aliases)
    assert borders["border:IR-TR"].name == "Iran–Turkey border"
    assert borders["border:RU-UA"].name == "Russia–Ukraine border"


def test_sorted_deterministic_and_fast():
    gdf = load_countries()
    t0 = time.perf_counter()
    first = derive_borders(gdf)
    assert time.perf_counter() - t0 < 3.0
    ids = [b.place_id for b in first]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) and len(ids) > 300
    second = derive_borders(gdf)
    assert [(b.place_id, b.lat, b.lon, b.geometry.wkb) for b in first] == \
           [(b.place_id, b.lat, b.lon, b.geometry.wkb) for b in second]


def test_tiny_synthetic_map():
    gdf = gpd.GeoDataFrame(
        {"iso2": ["AA", "BB", "CC"], "name": ["Aland", "Beeland", "Celand"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)], crs="EPSG:4326")
    out = derive_borders(gdf)
    assert [b.place_id for b in out] == ["border:AA-BB"]
    b = out[0]
    assert b.name == "Aland–Beeland border" and b.country == "AA-BB"
    assert abs(b.geometry.length - 1.0) < 1e-9 and (b.lon, b.lat) == (1.0, 0.5)
    assert borders_of("BB", out) == out and borders_of("CC", out) == []


def test_borders_of(borders):
    am = borders_of("AM", borders.values())
    assert {b.country for b in am} == {"AM-AZ", "AM-GE", "AM-IR", "AM-TR"}


def test_demonyms():
    assert len(DEMONYMS) >= 190
    assert DEMONYMS["AM"] == "Armenian" and DEMONYMS["TR"] == "Turkish"
    assert DEMONYMS["AZ"] == "Azerbaijani" and DEMONYMS["IR"] == "Iranian"
    assert all(k.isupper() and len(k) == 2 and v.strip() == v for k, v in DEMONYMS.items())


def test_aliases_without_demonym():
    out = border_aliases("QQ", "Qland", "RR", "Rland")
    assert "Qland-Rland border" in out and not any("None" in a for a in out)
