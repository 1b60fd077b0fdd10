"""Tests for gazetteer.countries: the bundled polygons and point-in-country checks."""
import gzip
import json
import time

import pytest
from shapely.geometry import Point

from geocore.errors import DataFileError
from gazetteer import countries as C


def test_bundled_file_loads_fast_sorted_and_valid():
    C.load_countries.cache_clear()
    t0 = time.perf_counter()
    gdf = C.load_countries()
    assert time.perf_counter() - t0 < 2.0  # generous for CI; ~0.5 s here
    assert list(gdf.columns) == ["iso2", "iso3", "name", "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf["iso2"]) == sorted(gdf["iso2"])
    assert gdf["iso2"].is_unique and len(gdf) > 240
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
    assert C.load_countries() is gdf  # cached


def test_no_band_round_the_globe():
    # antimeridian rings are cut; no polygon part spans more than half the globe
    gdf = C.load_countries()
    for code, geom in zip(gdf["iso2"], gdf.geometry):
        if code == "AQ":
            continue
        for part in getattr(geom, "geoms", [geom]):
            assert part.bounds[2] - part.bounds[0] < 180, code


@pytest.mark.parametrize("lon,lat,code", [
    (44.51, 40.18, "AM"), (49.87, 40.41, "AZ"), (32.85, 39.93, "TR"), (51.39, 35.69, "IR"),
    (30.52, 50.45, "UA"), (37.62, 55.75, "RU"), (21.16, 42.66, "XK"), (44.06, 9.56, "SO"),
    (33.36, 35.19, "CY"), (12.4534, 41.9029, "VA"), (12.49, 41.89, "IT"), (-52.33, 4.93, "GF"),
    (178.44, -18.14, "FJ"), (-179.9, -16.6, "FJ"), (-100.0, 66.0, "CA"), (177.5, 64.7, "RU"),
])
def test_country_at(lon, lat, code):
    assert C.country_at(lon, lat) == code


def test_country_at_sea_and_out_of_range():
    assert C.country_at(-30.0, 40.0) is None
    assert C.country_at(200.0, 0.0) is None
    assert C.country_at(0.0, float("nan")) is None


def test_coastal_tolerance():
    # 5 km off the Spanish coast near Valencia
    assert C.country_at(-0.27, 39.45, tolerance_km=0) is None
    assert C.country_at(-0.27, 39.45, tolerance_km=15) == "ES"


def test_point_in_country():
    assert C.point_in_country(43.8464, 40.793, "AM")
    assert not C.point_in_country(49.86, 40.40, "AM")  # Baku is not in Armenia
    assert not C.point_in_country(49.86, 40.40, "ZZ")  # unknown code
    # Gyumri is ~10 km from Turkey: inside the 25 km tolerance, not inside 5 km
    assert C.point_in_country(43.8464, 40.793, "TR")
    assert not C.point_in_country(43.8464, 40.793, "TR", tolerance_km=5)


def test_disputed_areas_accept_both_claimants():
    sevastopol = (33.52, 44.6)
    assert C.country_at(*sevastopol) == "RU"  # Natural Earth's de-facto line
    assert C.point_in_country(*sevastopol, "UA") and C.point_in_country(*sevastopol, "RU")
    assert not C.point_in_country(*sevastopol, "TR")
    golan = (35.75, 33.0)
    assert C.point_in_country(*golan, "SY") and C.point_in_country(*golan, "IL")
    # a claimant code does not leak outside the disputed outline
    assert not C.point_in_country(37.62, 55.75, "UA")


def test_swapped_point_is_not_in_country():
    # Gyumri with lat/lon swapped lands in Iran's neighbourhood, not Armenia
    assert not C.point_in_country(40.793, 43.8464, "AM")


def test_custom_file_and_errors(tmp_path):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"iso2": "ZZ", "iso3": "ZZZ", "name": "Squareland"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}
    p = tmp_path / "c.geojson.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        json.dump(fc, fh)
    gdf = C.load_countries(str(p))
    assert C.country_at(0.5, 0.5, gdf) == "ZZ"
    assert C.point_in_country(1.1, 0.5, "ZZ", countries=gdf)
    with pytest.raises(DataFileError, match="not found"):
        C.load_countries(str(tmp_path / "missing.geojson"))
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                   '"properties": {"iso2": "ZZ"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}')
    with pytest.raises(DataFileError, match="missing properties"):
        C.load_countries(str(bad))


def test_distance_km():
    sq = Point(0, 0).buffer(1)
    assert C.distance_km(0, 0, sq) == 0
    assert 100 < C.distance_km(0, 2, sq) < 115
