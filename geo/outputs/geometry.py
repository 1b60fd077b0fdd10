"""Geometry as the outputs write it: rounded, RFC 7946-oriented, serialized once per shared object."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

import numpy as np
import shapely

from geocore.errors import InputError
from geo.outputs.rows import Rows

PRECISION = 6  # decimals of every written coordinate (about 0.1 m)
REPORT_GEOMETRIES = ("full", "point")


def prepare_geometry(geom: Any) -> Any:
    """Round to :data:`PRECISION` decimals and orient polygons RFC 7946 style.

    Exterior rings become counter-clockwise and holes clockwise. Rounding comes
    first so the orientation is that of the coordinates actually written.
    Returns None for a missing or empty geometry.

    Raises
    ------
    InputError
        If a coordinate is not finite.
    """
    if geom is None or geom.is_empty:
        return None
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        raise InputError(f"geometry has a non-finite coordinate: {shapely.to_wkt(geom, rounding_precision=6)}")
    # "+ 0.0" turns -0.0 into 0.0 so equal inputs print equally.
    rounded = shapely.transform(geom, lambda xy: np.round(xy, PRECISION) + 0.0)
    return shapely.orient_polygons(rounded, exterior_cw=False)


class PerGeometry:
    """``fn(geometry)`` memoized per geometry object, for the last ``size`` objects.

    Reports of one place share its geometry object and come one after the
    other (sorted by place), so a country polygon is rounded, oriented and
    serialized once per run of reports instead of once per report. The memo is
    bounded: a frame read back from a file has a distinct object per row.
    """

    def __init__(self, fn: Callable[[Any], Any], size: int = 256) -> None:
        self.fn = fn
        self.size = size
        self._memo: OrderedDict[int, tuple[Any, Any]] = OrderedDict()

    def __call__(self, geom: Any) -> Any:
        if geom is None:
            return None
        key = id(geom)
        hit = self._memo.get(key)
        if hit is not None and hit[0] is geom:
            self._memo.move_to_end(key)
            return hit[1]
        value = self.fn(geom)
        self._memo[key] = (geom, value)  # the geometry is kept so its id is not reused meanwhile
        if len(self._memo) > self.size:
            self._memo.popitem(last=False)
        return value


def prepared_geometries() -> PerGeometry:
    """A fresh memo of :func:`prepare_geometry`, one per file written."""
    return PerGeometry(prepare_geometry)


def point_on(geom: Any) -> Any:
    """The geometry itself if a point (or None), else its representative point after rounding."""
    if geom is None or geom.geom_type == "Point":
        return geom
    prepared = prepare_geometry(geom)
    return None if prepared is None else prepared.representative_point()


def report_points(reports: Any) -> Rows:
    """The reports with every geometry reduced to one point on it.

    For large builds: a country or border named in thousands of reports
    otherwise repeats its outline in every report feature. Points stay as
    they are; a line or polygon becomes its ``representative_point()``
    (always on the line or inside the area), taken after rounding, so a build
    and ``geomap export --from`` give the same point.
    """
    return Rows(reports, "reports").with_geometries(point_on)
