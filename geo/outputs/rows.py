"""The one row model every output format is written from.

A posture or a report becomes a *row*: ``{field: value}`` in the documented
field order, each value already in its JSON form (ISO date strings, ``None``
for missing, ``bool``, ``int``, ``float`` or ``str``), plus the raw shapely
``geometry``. The fields and their types are declared once, in
:data:`POSTURE_FIELDS` and :data:`REPORT_FIELDS`; every writer (GeoJSON,
GeoPackage, KML, CSV) maps a field's ``kind`` to its own format, so a new
column is added here and nowhere else.

Rows come from records (:class:`geocore.records.Posture`,
:class:`geocore.records.Report`) or from frames (a build's GeoDataFrames, or
files read back with :func:`geo.outputs.geojson.load_build`); both give the
same rows, so ``geomap export --from maps/`` writes a fresh build's bytes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geocore.errors import InputError

CRS = "EPSG:4326"
KINDS = ("postures", "reports")
FIELD_KINDS = ("text", "date", "bool", "int", "float")


@dataclass(frozen=True)
class Field:
    """One column of an output: its name, value kind and balloon label.

    ``kind`` is one of :data:`FIELD_KINDS`. ``label`` names the field in
    human-readable views (the KML balloon); None leaves it out of them.
    """

    name: str
    kind: str = "text"
    label: Optional[str] = None


POSTURE_FIELDS = (
    Field("place_id"), Field("name", label="Place"), Field("feature_type"), Field("country"),
    Field("status", label="Status"), Field("force", label="Force"), Field("actor", label="Actor"),
    Field("first_reported", "date", "First reported"), Field("last_reported", "date", "Last reported"),
    Field("n_reports", "int", "Reports"), Field("sources", label="Sources"), Field("evidence", label="Evidence"),
    Field("conflict", "bool", "Conflicting reports"),
)
REPORT_FIELDS = (
    Field("place_id"), Field("name", label="Place"), Field("feature_type"), Field("country"),
    Field("status", label="Status"), Field("force", label="Force"), Field("actor", label="Actor"),
    Field("doc", label="Document"), Field("outlet", label="Outlet"), Field("published", "date", "Published"),
    Field("published_inferred", "bool"), Field("url", label="URL"), Field("evidence", label="Evidence"),
    Field("trigger", label="Trigger"), Field("confidence", "float"), Field("rules", label="Rules"),
    Field("role", label="Role"),
)
# The order of the labelled fields in a balloon, where it differs from the column order.
POSTURE_BALLOON = ("name", "status", "force", "actor", "first_reported", "last_reported", "n_reports",
                   "conflict", "sources", "evidence")
REPORT_BALLOON = ("name", "status", "force", "actor", "published", "outlet", "doc", "url", "evidence", "trigger", "rules")

POSTURE_COLUMNS = tuple(f.name for f in POSTURE_FIELDS) + ("geometry",)
REPORT_COLUMNS = tuple(f.name for f in REPORT_FIELDS) + ("geometry",)


def fields_of(kind: str) -> tuple[Field, ...]:
    """The fields of ``kind`` ("postures" or "reports"), in column order."""
    if kind == "postures":
        return POSTURE_FIELDS
    if kind == "reports":
        return REPORT_FIELDS
    raise InputError(f"kind must be 'postures' or 'reports', not {kind!r}")


def columns_of(kind: str) -> tuple[str, ...]:
    """The column names of ``kind``, ``geometry`` last."""
    return tuple(f.name for f in fields_of(kind)) + ("geometry",)


def balloon_of(kind: str) -> tuple[Field, ...]:
    """The labelled fields of ``kind`` in balloon order."""
    by_name = {f.name: f for f in fields_of(kind)}
    return tuple(by_name[n] for n in (POSTURE_BALLOON if kind == "postures" else REPORT_BALLOON))


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' missing markers."""
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if np.ndim(value) == 0 else False
    except (TypeError, ValueError):
        return False


def cell_value(field: Field, value: Any) -> Any:
    """A record attribute or a frame cell as the row's JSON value.

    Missing flags are False and missing counts 0 (as in a normalized frame);
    other missing values are None.

    Raises
    ------
    InputError
        If the value cannot be converted to the field's kind.
    """
    missing = is_missing(value)
    try:
        if field.kind == "bool":
            return False if missing else bool(value)
        if field.kind == "int":
            return 0 if missing else int(value)
        if missing:
            return None
        if field.kind == "date":
            return pd.Timestamp(value).date().isoformat()
        if field.kind == "float":
            return float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"column {field.name!r}: cannot convert value {value!r}: {exc}") from exc
    return str(value)


# ---------------------------------------------------------------- frames

def records_frame(records: Iterable[Any], kind: str) -> gpd.GeoDataFrame:
    """Turn Posture or Report records into a normalized GeoDataFrame (EPSG:4326).

    A record without a geometry gets ``Point(lon, lat)``.
    """
    columns = columns_of(kind)
    data: dict[str, list] = {c: [] for c in columns}
    for rec in records:
        for col in columns[:-1]:
            data[col].append(getattr(rec, col))
        geom = getattr(rec, "geometry", None)
        data["geometry"].append(geom if geom is not None else Point(rec.lon, rec.lat))
    return normalize_frame(pd.DataFrame(data, columns=list(columns)), kind)


def postures_frame(postures: Iterable[Any]) -> gpd.GeoDataFrame:
    """Posture records as a GeoDataFrame with :data:`POSTURE_COLUMNS`."""
    return records_frame(postures, "postures")


def reports_frame(reports: Iterable[Any]) -> gpd.GeoDataFrame:
    """Report records as a GeoDataFrame with :data:`REPORT_COLUMNS`."""
    return records_frame(reports, "reports")


def _frame_values(field: Field, values: list) -> np.ndarray:
    missing = [is_missing(v) for v in values]
    if field.kind == "date":
        series = pd.to_datetime(pd.Series([None if m else v for v, m in zip(values, missing)], dtype=object),
                                format="ISO8601")
        return series.astype("datetime64[s]").to_numpy()
    if field.kind == "bool":
        return np.array([False if m else bool(v) for v, m in zip(values, missing)], dtype=bool)
    if field.kind == "int":
        return np.array([0 if m else int(v) for v, m in zip(values, missing)], dtype="int64")
    if field.kind == "float":
        return np.array([math.nan if m else float(v) for v, m in zip(values, missing)], dtype="float64")
    return np.array([None if m else str(v) for v, m in zip(values, missing)], dtype=object)


def normalize_frame(frame: pd.DataFrame, kind: str) -> gpd.GeoDataFrame:
    """Return ``frame`` with the canonical columns, order and dtypes of ``kind``.

    Text columns are ``object`` with None for missing, dates ``datetime64[s]``
    with NaT, flags ``bool``, counts ``int64``, ``confidence`` ``float64``.

    Raises
    ------
    InputError
        If a column is missing or a value cannot be converted.
    """
    fields = fields_of(kind)
    columns = columns_of(kind)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{kind} frame lacks column(s): {', '.join(missing)}")
    out: dict[str, np.ndarray] = {}
    for field in fields:
        try:
            out[field.name] = _frame_values(field, list(frame[field.name]))
        except (TypeError, ValueError, OverflowError) as exc:
            raise InputError(f"{kind} column {field.name!r}: cannot convert value: {exc}") from exc
    geoms = list(frame["geometry"])
    for i, g in enumerate(geoms):
        if g is not None and not isinstance(g, shapely.Geometry):
            raise InputError(f"{kind} row {i}: geometry is {type(g).__name__}, not a shapely geometry")
    result = gpd.GeoDataFrame(
        pd.DataFrame({c: pd.Series(v, dtype=v.dtype) for c, v in out.items()}, columns=list(columns[:-1])),
        geometry=gpd.GeoSeries(geoms, crs=CRS),
        crs=CRS,
    )
    return result[list(columns)]


# ---------------------------------------------------------------- row sources

class Rows:
    """Postures or reports, from records or a frame, ready to be iterated as rows any number of times.

    A frame is normalized once, here, for all the writers that read it.

    Parameters
    ----------
    obj : Rows, GeoDataFrame or iterable of records
        What to write.
    kind : str, optional
        "postures" or "reports"; read from the columns or the record type if None.
    """

    def __init__(self, obj: Any, kind: Optional[str] = None):
        if isinstance(obj, Rows):
            if kind is not None and kind != obj.kind:
                raise InputError(f"expected {kind}, got {obj.kind}")
            self.kind, self.frame, self.records = obj.kind, obj.frame, obj.records
            return
        if isinstance(obj, pd.DataFrame):
            self.kind = kind or ("reports" if "doc" in set(obj.columns) else "postures")
            self.frame, self.records = normalize_frame(obj, self.kind), None
        else:
            records = obj if isinstance(obj, Sequence) else list(obj)
            self.kind = kind or ("reports" if records and hasattr(records[0], "doc") else "postures")
            self.frame, self.records = None, records
        fields_of(self.kind)

    @property
    def fields(self) -> tuple[Field, ...]:
        return fields_of(self.kind)

    def __len__(self) -> int:
        return len(self.frame) if self.frame is not None else len(self.records)

    def __iter__(self) -> Iterable[dict[str, Any]]:
        """Yield ``{field: JSON value, ..., "geometry": shapely geometry or None}`` per row."""
        fields = self.fields
        if self.frame is not None:
            cols = [self.frame[f.name].tolist() if f.kind != "date" else list(self.frame[f.name]) for f in fields]
            for i, geom in enumerate(self.frame.geometry):
                row = {f.name: cell_value(f, col[i]) for f, col in zip(fields, cols)}
                row["geometry"] = geom
                yield row
            return
        for rec in self.records:
            row = {f.name: cell_value(f, getattr(rec, f.name)) for f in fields}
            geom = getattr(rec, "geometry", None)
            row["geometry"] = geom if geom is not None else Point(rec.lon, rec.lat)
            yield row

    def with_geometries(self, fn: Any) -> "Rows":
        """A copy whose every geometry is ``fn(geometry)`` (one call per distinct geometry object)."""
        if self.frame is not None:
            frame = self.frame.set_geometry(gpd.GeoSeries([fn(g) for g in self.frame.geometry], crs=CRS))
            return Rows(frame, self.kind)
        return Rows(_MappedRecords(self.records, fn), self.kind)


class _MappedRecords(Sequence):
    """A read-only view of records with ``fn`` applied to each geometry, made one at a time."""

    def __init__(self, records: Sequence[Any], fn: Any):
        self._records, self._fn = records, fn
        self._memo: dict[int, tuple[Any, Any]] = {}  # id(geometry) -> (geometry, fn(geometry))

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._one(r) for r in self._records[i]]
        return self._one(self._records[i])

    def _one(self, rec: Any) -> Any:
        import dataclasses

        geom = getattr(rec, "geometry", None)
        if geom is None:
            return rec
        hit = self._memo.get(id(geom))
        if hit is None or hit[0] is not geom:
            hit = self._memo[id(geom)] = (geom, self._fn(geom))
        return rec if hit[1] is geom else dataclasses.replace(rec, geometry=hit[1])
