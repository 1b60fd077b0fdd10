"""Reports to score: GeoJSON features, flat dicts or Report records -> comparable entries.

:func:`load_reports` reads them (from a reports.geojson path or in memory),
checks the fields scoring needs and keeps one report per (doc, place_id): the
most confident, ties to the first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

import shapely
from shapely.geometry import Point, shape

from geo.evaluation.gold import is_number, load_json
from geocore.errors import InputError


@dataclass(frozen=True)
class ReportEntry:
    """The fields of one report that scoring reads (``order``: its position in the input)."""

    doc: str
    order: int
    place_id: str
    name: str
    feature_type: str
    country: Optional[str]
    status: str
    confidence: float
    geometry: Any


def _report_items(reports: Any) -> list:
    data = load_json(reports, "reports")
    if isinstance(data, dict):
        if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
            raise InputError("reports: expected a GeoJSON FeatureCollection or a list of reports")
        return data["features"]
    try:
        return list(data)
    except TypeError as exc:
        raise InputError(f"reports: expected a list of reports, not {type(data).__name__}") from exc


def _to_rep(item: Any, order: int) -> ReportEntry:
    """Accept a GeoJSON feature, a flat dict or a geocore.records.Report."""
    geometry = None
    if isinstance(item, dict) and isinstance(item.get("properties"), dict):
        props = item["properties"]
        geometry = item.get("geometry")
    elif isinstance(item, dict):
        props = item
        geometry = item.get("geometry")
    else:
        props = {k: getattr(item, k, None) for k in
                 ("doc", "place_id", "name", "feature_type", "country", "status", "confidence", "lat", "lon")}
        geometry = getattr(item, "geometry", None)
    missing = [k for k in ("doc", "place_id", "feature_type", "status") if not isinstance(props.get(k), str)]
    if missing:
        raise InputError(f"reports[{order}]: lacks {', '.join(missing)}")
    try:
        if isinstance(geometry, dict):
            geometry = shape(geometry)
        if geometry is not None and not isinstance(geometry, shapely.Geometry):
            raise TypeError(f"geometry is {type(geometry).__name__}")
    except (TypeError, ValueError, AttributeError, KeyError, shapely.errors.ShapelyError) as exc:
        raise InputError(f"reports[{order}] ({props.get('doc')}, {props.get('place_id')}): bad geometry: {exc}") from exc
    if (geometry is None or geometry.is_empty) and is_number(props.get("lat")) and is_number(props.get("lon")):
        geometry = Point(float(props["lon"]), float(props["lat"]))
    conf = props.get("confidence")
    return ReportEntry(
        doc=props["doc"], order=order, place_id=props["place_id"], name=str(props.get("name") or props["place_id"]),
        feature_type=props["feature_type"], country=(props.get("country") or None), status=props["status"],
        confidence=float(conf) if is_number(conf) else 0.0,
        geometry=geometry if geometry is not None and not geometry.is_empty else None,
    )


def _dedupe(reps: Iterable[ReportEntry]) -> list[ReportEntry]:
    best: dict[tuple[str, str], ReportEntry] = {}
    for r in reps:
        key = (r.doc, r.place_id)
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    return sorted(best.values(), key=lambda r: r.order)


def load_reports(reports: Any) -> list[ReportEntry]:
    """Reports in input order, one per (doc, place_id); see :func:`geo.evaluation.score.evaluate`."""
    return _dedupe(_to_rep(item, i) for i, item in enumerate(_report_items(reports)))
