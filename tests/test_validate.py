"""geo.outputs.validate: schema and RFC 7946 checks of posture and reports GeoJSON."""

import pytest

from geocore.errors import InputError
from geo.outputs.validate import load_schema, validate_geojson


def test_validate_geojson_lists_problems():
    bad = {
        "type": "FeatureCollection",
        "crs": {"type": "name"},
        "features": [{
            "type": "Feature",
            "properties": {"place_id": "x", "status": "leaving"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]},
        }, {
            "type": "Feature", "properties": {},
            "geometry": {"type": "Point", "coordinates": [40.1234567, 200.0]},
        }],
    }
    with pytest.raises(InputError) as err:
        validate_geojson(bad, "postures")
    text = str(err.value)
    for needle in ("crs", "leaving", "clockwise", "decimals", "outside lon", "'name' is a required property"):
        assert needle in text


def test_an_empty_collection_is_valid_and_a_bad_kind_is_refused():
    validate_geojson({"type": "FeatureCollection", "features": []}, "reports")
    with pytest.raises(InputError, match="postures' or 'reports'"):
        load_schema("places")


def test_a_file_that_is_not_json_is_named(tmp_path):
    bad = tmp_path / "broken.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="broken.geojson"):
        validate_geojson(bad, "postures")
    assert load_schema("reports")["type"] == "object"
