"""RFC 7946 GeoJSON of postures and reports, written and read back.

A FeatureCollection in WGS 84 [lon, lat] without a ``crs`` member, exterior
rings counter-clockwise and holes clockwise, coordinates rounded to 6
decimals, dates as ``YYYY-MM-DD`` strings, ``null`` for missing values. It is
written with the json module, not GDAL, so its bytes do not depend on the
GDAL version, and streamed one feature at a time.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Optional

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from geocore.errors import DataFileError, InputError
from geo.outputs.atomic import atomic_write_chunks
from geo.outputs.geometry import PerGeometry, prepare_geometry
from geo.outputs.rows import Rows, columns_of, normalize_frame


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _plain(obj: Any) -> Any:
    """``mapping()`` output as lists and Python floats, so json prints it like a literal."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj)
    return obj


def _geometry_json(geom: Any) -> str:
    prepared = prepare_geometry(geom)
    return "null" if prepared is None else _dumps(_plain(mapping(prepared)))


def geojson_chunks(postures_or_reports: Any, kind: Optional[str] = None) -> Iterable[str]:
    """The FeatureCollection text in pieces, one feature a piece."""
    rows = Rows(postures_or_reports, kind)
    geometry_json = PerGeometry(_geometry_json)
    yield '{"type":"FeatureCollection","features":[\n'
    first = True
    for row in rows:
        geom = row.pop("geometry")
        # Same bytes as dumping the whole feature dict; the geometry text is reused.
        text = '{"type":"Feature","properties":' + _dumps(row) + ',"geometry":' + \
            ("null" if geom is None else geometry_json(geom)) + "}"
        yield text if first else ",\n" + text
        first = False
    yield ("" if first else "\n") + "]}\n"


def geojson_text(postures_or_reports: Any, kind: Optional[str] = None) -> str:
    """Return the RFC 7946 FeatureCollection text for postures or reports.

    One feature per line, properties in the documented column order,
    non-ASCII kept as UTF-8, one trailing newline.
    """
    return "".join(geojson_chunks(postures_or_reports, kind))


def write_geojson(postures_or_reports: Any, path: str | os.PathLike, kind: Optional[str] = None) -> Path:
    """Write postures or reports as RFC 7946 GeoJSON, atomically, one feature at a time.

    Parameters
    ----------
    postures_or_reports : Rows, GeoDataFrame or iterable of Posture/Report
        What to write; the kind is read from the columns or record type
        unless ``kind`` ("postures" or "reports") is given.
    path : str or os.PathLike
        Destination file.
    """
    return atomic_write_chunks(path, geojson_chunks(postures_or_reports, kind))


def read_geojson(path: str | os.PathLike, kind: str) -> gpd.GeoDataFrame:
    """Read a posture or reports GeoJSON written by :func:`write_geojson` into a frame.

    Raises
    ------
    InputError
        If the file is not a FeatureCollection of the expected properties.
    DataFileError
        If the file cannot be read.
    """
    p = Path(path)
    try:
        obj = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(f"{p}: cannot read: {exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: not valid UTF-8 JSON: {exc}") from exc
    columns = columns_of(kind)
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection" or not isinstance(obj.get("features"), list):
        raise InputError(f"{p}: not a GeoJSON FeatureCollection")
    data: dict[str, list] = {c: [] for c in columns}
    for i, feat in enumerate(obj["features"]):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            raise InputError(f"{p}: feature {i} has no properties object")
        lacking = [c for c in columns[:-1] if c not in props]
        if lacking:
            raise InputError(f"{p}: feature {i} lacks {', '.join(lacking)} (is this a {kind} file?)")
        for c in columns[:-1]:
            data[c].append(props[c])
        try:
            data["geometry"].append(shape(feat["geometry"]) if feat.get("geometry") else None)
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError) as exc:
            raise InputError(f"{p}: feature {i} has a bad geometry: {exc}") from exc
    try:
        return normalize_frame(pd.DataFrame(data, columns=list(columns)), kind)
    except InputError as exc:
        raise InputError(f"{p}: {exc}") from exc


def load_build(build_dir: str | os.PathLike) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read a finished build's posture.geojson and reports.geojson back as frames."""
    d = Path(build_dir)
    for name in ("posture.geojson", "reports.geojson"):
        if not (d / name).is_file():
            raise InputError(f"{d}: no {name} here; run 'geomap build' first or point at its output folder")
    return read_geojson(d / "posture.geojson", "postures"), read_geojson(d / "reports.geojson", "reports")
