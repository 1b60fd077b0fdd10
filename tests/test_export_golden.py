"""Every export format still writes what the previous main wrote for the same postures and reports.

The expected files in tests/data/exports-b3aacd5 were built before the
outputs moved to one row model (geo.outputs.rows); see their README. The
byte-for-byte equality of that move was checked at the time; since then the
reports gained one column, ``rules``. So the comparison here is of every
column the previous main wrote: the new column is taken out of the new
files (it is empty for reports read from the old files) and the rest must
be the same, GeoJSON, CSV and KML to the byte.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyogrio
import pytest

from geo.outputs.export import export_frames, read_geojson

GOLDEN = Path(__file__).parent / "data" / "exports-b3aacd5"
ADDED = ("rules", "role")  # report columns added since the golden files were written


def _old_build(directory: Path):
    postures = read_geojson(directory / "posture.geojson", "postures")
    raw = json.loads((directory / "reports.geojson").read_text(encoding="utf-8"))
    for feature in raw["features"]:
        for name in ADDED:
            feature["properties"].setdefault(name, "")
    fixed = directory.parent / "reports-with-new-columns.geojson"
    fixed.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return postures, read_geojson(fixed, "reports")


def _without_added_geojson(text: str) -> str:
    for name in ADDED:
        text = re.sub(rf',"{name}":"[^"]*"', "", text)
    return text


def _without_added_csv(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    drop = [rows[0].index(n) for n in ADDED]
    return [[c for i, c in enumerate(r) if i not in drop] for r in rows]


def _without_added_kml(text: str) -> str:
    for name in ADDED:
        text = re.sub(rf'\n *<Data name="{name}">\n *<value ?/>\n *</Data>', "", text)
    return text


@pytest.mark.parametrize("report_geometry", ["full", "point"])
def test_exports_equal_the_previous_main_in_every_old_column(tmp_path, report_geometry):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("posture.geojson", "reports.geojson"):
        (src / name).write_bytes((GOLDEN / name).read_bytes())
    postures, reports = _old_build(src)
    out = tmp_path / "out"
    written = export_frames(postures, reports, out, ("geojson", "gpkg", "kml", "csv"), report_geometry=report_geometry)
    expected = GOLDEN if report_geometry == "full" else GOLDEN / "point"

    def old(name: str) -> Path:
        return expected / name if (expected / name).exists() else GOLDEN / name

    for name in ("posture.geojson", "reports.geojson"):
        new = written[name].read_text(encoding="utf-8")
        assert _without_added_geojson(new) == old(name).read_text(encoding="utf-8"), name
    new_csv = _without_added_csv(written["reports.csv"].read_text(encoding="utf-8"))
    assert new_csv == list(csv.reader(io.StringIO(old("reports.csv").read_text(encoding="utf-8"))))
    assert _without_added_kml(written["posture.kml"].read_text(encoding="utf-8")) == \
        old("posture.kml").read_text(encoding="utf-8")
    for layer in ("postures", "reports"):
        a = pyogrio.read_dataframe(written["posture.gpkg"], layer=layer).drop(columns=list(ADDED), errors="ignore")
        b = pyogrio.read_dataframe(old("posture.gpkg"), layer=layer)
        assert list(a.columns) == list(b.columns)
        assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
        assert a.geometry.to_wkb().tolist() == b.geometry.to_wkb().tolist()


def test_golden_files_are_not_trivial():
    """The comparison above means something only if the files hold every kind of geometry and field."""
    postures = read_geojson(GOLDEN / "posture.geojson", "postures")
    raw = json.loads((GOLDEN / "reports.geojson").read_text(encoding="utf-8"))
    assert len(postures) >= 10 and len(raw["features"]) >= 15
    kinds = {f["geometry"]["type"] for f in raw["features"]}
    assert "Point" in kinds and kinds & {"LineString", "MultiLineString", "Polygon", "MultiPolygon"}
    assert any(f["properties"]["published"] for f in raw["features"]) and postures["conflict"].dtype == bool
