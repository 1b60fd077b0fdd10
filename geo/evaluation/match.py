"""Matching gold entries to reports: geodesic distance and one-to-one greedy assignment.

The rules are listed in :mod:`geo.evaluation.score`.
"""
from __future__ import annotations

import math
from typing import Any, Optional

import shapely
from geopy.distance import geodesic
from shapely.geometry import Point
from shapely.ops import nearest_points

from geo.evaluation.gold import CODE_FEATURES, GoldEntry
from geo.evaluation.reports import ReportEntry

MATCH_KM = 25.0


def distance_km(geometry: Any, lat: float, lon: float) -> float:
    """Geodesic km from (lat, lon) to the nearest point of ``geometry``.

    A polygon containing the point gives 0. The nearest point is found in a
    local equirectangular frame centred on the point (longitudes scaled by
    cos(lat), wrapped across the antimeridian) and measured with geopy.
    """
    if geometry is None or geometry.is_empty:
        return math.inf
    scale = math.cos(math.radians(lat)) or 1e-12

    def to_local(xy):
        out = xy.copy()
        out[:, 0] = ((xy[:, 0] - lon + 180.0) % 360.0 - 180.0) * scale
        out[:, 1] = xy[:, 1] - lat
        return out

    local = shapely.transform(geometry, to_local)
    origin = Point(0.0, 0.0)
    if local.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection") and local.covers(origin):
        return 0.0
    near = nearest_points(local, origin)[0]
    near_lat = max(-90.0, min(90.0, near.y + lat))
    near_lon = (near.x / scale + lon + 180.0) % 360.0 - 180.0
    return geodesic((lat, lon), (near_lat, near_lon)).km


def _candidate(g: GoldEntry, r: ReportEntry) -> Optional[float]:
    """Distance used for ordering if ``r`` may match ``g``, else None."""
    def dist() -> float:
        if g.lat is None or g.lon is None:
            return 0.0
        d = distance_km(r.geometry, g.lat, g.lon)
        return d if math.isfinite(d) else 0.0

    if g.feature == "border":
        codes = frozenset(c.strip().upper() for c in (r.country or "").split("-") if c.strip())
        return dist() if r.feature_type == "border" and codes == g.countries else None
    if g.feature == "country":
        return dist() if r.feature_type == "country" and (r.country or "").upper() == g.country else None
    if r.feature_type in CODE_FEATURES:
        return None
    d = distance_km(r.geometry, g.lat, g.lon)
    return d if d <= MATCH_KM else None


def assign(golds: list[GoldEntry], reps: list[ReportEntry]) -> list[tuple[GoldEntry, ReportEntry, float]]:
    """Greedy one-to-one matching, nearest first, required gold entries first."""
    pairs = []
    for g in golds:
        for r in reps:
            d = _candidate(g, r)
            if d is not None:
                pairs.append((not g.required, d, g.index, r.place_id, r.order, g, r))
    pairs.sort(key=lambda p: p[:5])
    used_g: set[int] = set()
    used_r: set[int] = set()
    out = []
    for _optional, d, _gi, _pid, _order, g, r in pairs:
        if g.index in used_g or r.order in used_r:
            continue
        used_g.add(g.index)
        used_r.add(r.order)
        out.append((g, r, d))
    return out
