"""Checks of posture and reports GeoJSON: the JSON Schemas in ``geo/outputs/schema`` and RFC 7946.

Examples
--------
>>> validate_geojson({"type": "FeatureCollection", "features": []}, "reports")
"""
from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from geocore.errors import DataFileError, InputError
from geo.outputs.geometry import PRECISION


def load_schema(kind: str) -> dict:
    """Return the JSON Schema (draft 2020-12) of a posture or reports FeatureCollection."""
    name = {"postures": "posture.schema.json", "reports": "reports.schema.json"}.get(kind)
    if name is None:
        raise InputError(f"kind must be 'postures' or 'reports', not {kind!r}")
    return json.loads(resources.files("geo.outputs").joinpath("schema", name).read_text(encoding="utf-8"))


def validate_geojson(path_or_obj: Any, kind: str = "postures") -> None:
    """Check a posture/reports GeoJSON against its schema and RFC 7946.

    Beyond the JSON Schema: no ``crs`` member, longitudes in [-180, 180],
    latitudes in [-90, 90], at most 6 decimals, closed rings of 4+ positions,
    exterior rings counter-clockwise and holes clockwise.

    Raises
    ------
    InputError
        Listing every problem found (up to 50).
    """
    import jsonschema

    label = "GeoJSON"
    if isinstance(path_or_obj, (str, os.PathLike)):
        label = str(path_or_obj)
        try:
            obj = json.loads(Path(path_or_obj).read_text(encoding="utf-8"))
        except OSError as exc:
            raise DataFileError(f"{label}: cannot read: {exc}") from exc
        except ValueError as exc:
            raise InputError(f"{label}: not valid JSON: {exc}") from exc
    else:
        obj = path_or_obj
    validator = jsonschema.Draft202012Validator(load_schema(kind), format_checker=jsonschema.FormatChecker())
    problems = [
        f"{'/'.join(map(str, err.absolute_path)) or '(root)'}: {err.message}"
        for err in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if isinstance(obj, dict):
        if "crs" in obj:
            problems.append("(root): has a 'crs' member, which RFC 7946 removed")
        for i, feat in enumerate(obj.get("features") or []):
            if isinstance(feat, dict):
                if "crs" in feat:
                    problems.append(f"features/{i}: has a 'crs' member")
                problems.extend(f"features/{i}/geometry: {p}" for p in _geometry_problems(feat.get("geometry")))
    if problems:
        shown = problems[:50]
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise InputError(f"{label}: not a valid {kind} GeoJSON:\n  " + "\n  ".join(shown) + more)


def _geometry_problems(geom: Any) -> list[str]:
    if not isinstance(geom, dict):
        return []  # null geometry, or a shape error the schema already reports
    kind = geom.get("type")
    if kind == "GeometryCollection":
        return [p for g in geom.get("geometries") or [] for p in _geometry_problems(g)]
    coords = geom.get("coordinates")
    problems: list[str] = []
    positions: list = []
    rings: list[tuple[list, bool]] = []  # (ring, is_exterior)
    try:
        if kind == "Point":
            positions = [coords]
        elif kind in ("MultiPoint", "LineString"):
            positions = list(coords)
        elif kind == "MultiLineString":
            positions = [pt for line in coords for pt in line]
        elif kind == "Polygon":
            rings = [(r, i == 0) for i, r in enumerate(coords)]
        elif kind == "MultiPolygon":
            rings = [(r, i == 0) for poly in coords for i, r in enumerate(poly)]
        positions += [pt for r, _ in rings for pt in r]
    except TypeError:
        return [f"{kind} coordinates are malformed"]
    for pt in positions:
        if not (isinstance(pt, list) and len(pt) >= 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pt)):
            problems.append(f"bad position {pt!r}")
            continue
        lon, lat = pt[0], pt[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"position {pt!r} is outside lon [-180, 180] / lat [-90, 90] (is it [lat, lon]?)")
        if any(round(v, PRECISION) != v for v in pt[:2]):
            problems.append(f"position {pt!r} has more than {PRECISION} decimals")
    if problems:
        return problems
    for ring, exterior in rings:
        if len(ring) < 4 or ring[0] != ring[-1]:
            problems.append("a polygon ring is not closed or has fewer than 4 positions")
            continue
        area = sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:]))
        if exterior and area < 0:
            problems.append("an exterior ring is clockwise; RFC 7946 wants counter-clockwise")
        if not exterior and area > 0:
            problems.append("a hole is counter-clockwise; RFC 7946 wants clockwise")
    return problems
