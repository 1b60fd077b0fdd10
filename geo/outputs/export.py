"""GIS exports of postures and reports: GeoJSON, GeoPackage, KML and CSV.

:func:`export_frames` writes the requested formats of one build. Every writer
reads the same rows (:mod:`geo.outputs.rows`) from records or frames, so
``geomap export --from maps/`` and a fresh build write the same bytes. Rows
are streamed to disk one feature at a time, so a build of 100,000 articles
never holds a whole output file in memory. Every writer is deterministic
(same input, same bytes) and atomic (temporary file in the target folder,
then ``os.replace``). Features keep input order: callers sort.

This module is also the one place to import the writers from.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Sequence

from geocore.errors import InputError
from geo.outputs.csv_table import CSV_COLUMNS, csv_text, write_csv
from geo.outputs.geojson import geojson_text, load_build, read_geojson, write_geojson
from geo.outputs.geometry import PRECISION, REPORT_GEOMETRIES, PerGeometry, prepare_geometry, report_points
from geo.outputs.geopackage import FIXED_TIMESTAMP, GPKG_BATCH, write_gpkg
from geo.outputs.kml import kml_bytes, write_kml
from geo.outputs.rows import (CRS, POSTURE_COLUMNS, REPORT_COLUMNS, Rows, normalize_frame, postures_frame,
                              reports_frame)
from geo.outputs.validate import load_schema, validate_geojson

__all__ = [
    "CRS", "CSV_COLUMNS", "FIXED_TIMESTAMP", "FORMATS", "GPKG_BATCH", "OUTPUT_FILES", "POSTURE_COLUMNS", "PRECISION",
    "REPORT_COLUMNS", "REPORT_GEOMETRIES", "PerGeometry", "Rows", "csv_text", "export", "export_frames",
    "geojson_text", "kml_bytes", "load_build", "load_schema", "normalize_frame", "postures_frame", "prepare_geometry",
    "read_geojson", "report_points", "reports_frame", "validate_geojson", "write_csv", "write_geojson", "write_gpkg",
    "write_kml",
]

FORMATS = ("geojson", "gpkg", "kml", "csv")
OUTPUT_FILES = {
    "geojson": ("posture.geojson", "reports.geojson"),
    "gpkg": ("posture.gpkg",),
    "kml": ("posture.kml",),
    "csv": ("reports.csv",),
}


def export_frames(postures: Any, reports: Any, out_dir: str | os.PathLike,
                  formats: Iterable[str] = ("geojson",), *, report_geometry: str = "full",
                  movements: Sequence[Any] = ()) -> dict[str, Path]:
    """Write the requested formats into ``out_dir`` from frames or records.

    With GeoJSON, ``movements`` (:class:`geo.outputs.movements.Movement`),
    when there are any, go to ``movements.geojson`` as LineString features
    with ``kind: "movement"``.

    ``report_geometry="point"`` writes each report at one point on its place
    (:func:`~geo.outputs.geometry.report_points`) instead of the place's full
    outline; postures always keep theirs.

    Returns
    -------
    dict[str, Path]
        Output file name ("posture.geojson", ...) -> path written.
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in OUTPUT_FILES]
    if unknown:
        raise InputError(f"unknown export format(s) {', '.join(map(repr, unknown))}; choose from {', '.join(FORMATS)}")
    if report_geometry not in REPORT_GEOMETRIES:
        raise InputError(f"report geometry {report_geometry!r} is not one of: {', '.join(REPORT_GEOMETRIES)}")
    postures, reports = Rows(postures, "postures"), Rows(reports, "reports")
    if report_geometry == "point":
        reports = report_points(reports)
    out = Path(out_dir)
    written: dict[str, Path] = {}
    for fmt in wanted:
        if fmt == "geojson":
            written["posture.geojson"] = write_geojson(postures, out / "posture.geojson")
            written["reports.geojson"] = write_geojson(reports, out / "reports.geojson")
            if movements:
                from geo.outputs.movements import write_movements

                written["movements.geojson"] = write_movements(movements, out / "movements.geojson")
        elif fmt == "gpkg":
            written["posture.gpkg"] = write_gpkg(postures, reports, out / "posture.gpkg")
        elif fmt == "kml":
            written["posture.kml"] = write_kml(postures, reports, out / "posture.kml")
        elif fmt == "csv":
            written["reports.csv"] = write_csv(reports, out / "reports.csv")
    return written


def export(postures: Sequence[Any], reports: Sequence[Any], out_dir: str | os.PathLike,
           formats: Iterable[str] = ("geojson",), *, report_geometry: str = "full",
           movements: Sequence[Any] = ()) -> dict[str, Path]:
    """Write Posture/Report records in the requested formats, streaming; see :func:`export_frames`."""
    return export_frames(postures, reports, out_dir, formats, report_geometry=report_geometry, movements=movements)
