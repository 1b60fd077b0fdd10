"""Every export format writes the bytes the previous main wrote for the same postures and reports.

The expected files in tests/data/exports-b3aacd5 were built before the
outputs moved to one row model (geo.outputs.rows); see their README.
"""
from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

from geo.outputs.export import export_frames, load_build

GOLDEN = Path(__file__).parent / "data" / "exports-b3aacd5"
GOLDEN_GDAL = "3.12.4"  # GDAL that wrote the golden GeoPackages; another version may order bytes differently
FILES = ("posture.geojson", "reports.geojson", "posture.kml", "reports.csv", "posture.gpkg")


def _same_gpkg(new: Path, old: Path) -> None:
    if pyogrio.__gdal_version_string__ == GOLDEN_GDAL:
        assert new.read_bytes() == old.read_bytes()
        return
    for layer in ("postures", "reports"):  # another GDAL: the same layers, fields and geometries
        a = pyogrio.read_dataframe(new, layer=layer)
        b = pyogrio.read_dataframe(old, layer=layer)
        assert list(a.columns) == list(b.columns)
        assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
        assert a.geometry.to_wkb().tolist() == b.geometry.to_wkb().tolist()


@pytest.mark.parametrize("report_geometry", ["full", "point"])
def test_exports_equal_the_previous_main(tmp_path, report_geometry):
    postures, reports = load_build(GOLDEN)
    written = export_frames(postures, reports, tmp_path, ("geojson", "gpkg", "kml", "csv"),
                            report_geometry=report_geometry)
    expected = GOLDEN if report_geometry == "full" else GOLDEN / "point"
    for name in FILES:
        old = expected / name
        if not old.exists():  # posture.geojson does not depend on the report geometry
            old = GOLDEN / name
        if name.endswith(".gpkg"):
            _same_gpkg(written[name], old)
        else:
            assert written[name].read_bytes() == old.read_bytes(), f"{name} differs from the previous main's"


def test_golden_files_are_not_trivial():
    """The comparison above means something only if the files hold every kind of geometry and field."""
    postures, reports = load_build(GOLDEN)
    assert len(postures) >= 10 and len(reports) >= 15
    kinds = set(reports.geometry.geom_type)
    assert {"Point", "LineString"} <= kinds or {"Point", "MultiPolygon"} <= kinds or {"Point", "Polygon"} <= kinds
    assert reports["published"].notna().any() and postures["conflict"].dtype == bool
