"""GIS exports of postures and reports: GeoJSON, GeoPackage, KML and CSV.

Every writer takes records (:class:`~geocore.records.Posture`,
:class:`~geocore.records.Report`) or GeoDataFrames (:func:`postures_frame`,
:func:`reports_frame`, or frames read back with :func:`load_build`) and turns
both into the same rows, so ``geomap export --from maps/`` and a fresh build
write the same bytes. Rows are streamed to disk one feature at a time, so a
build of 100,000 articles never holds a whole output file in memory.

Every writer is deterministic (same input, same bytes) and atomic (temporary
file in the target folder, then ``os.replace``). Features keep input order:
callers sort.

GeoJSON follows RFC 7946: a FeatureCollection in WGS 84 [lon, lat] without a
``crs`` member, exterior rings counter-clockwise and holes clockwise,
coordinates rounded to 6 decimals (about 0.1 m), dates as ISO 8601
``YYYY-MM-DD`` strings, ``null`` for missing values. It is written with the
json module, not GDAL, so its bytes do not depend on the GDAL version.

CSV cells of text columns that start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return get a leading apostrophe so spreadsheet programs show them as
text instead of running them as formulas (article text is hostile). Strip one
leading apostrophe from such cells to get the original text back.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import os
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, mapping, shape

from geo.outputs.atomic import atomic_path, atomic_write_chunks
from geocore.errors import DataFileError, InputError

POSTURE_COLUMNS = (
    "place_id", "name", "feature_type", "country", "status", "force", "actor",
    "first_reported", "last_reported", "n_reports", "sources", "evidence", "conflict",
    "geometry",
)
REPORT_COLUMNS = (
    "place_id", "name", "feature_type", "country", "status", "force", "actor",
    "doc", "outlet", "published", "published_inferred", "url", "evidence", "trigger",
    "confidence", "geometry",
)
CSV_COLUMNS = tuple(c for c in REPORT_COLUMNS if c != "geometry") + ("wkt", "lat", "lon")

DATE_COLUMNS = frozenset({"first_reported", "last_reported", "published"})
BOOL_COLUMNS = frozenset({"conflict", "published_inferred"})
INT_COLUMNS = frozenset({"n_reports"})
FLOAT_COLUMNS = frozenset({"confidence"})
_NON_TEXT = DATE_COLUMNS | BOOL_COLUMNS | INT_COLUMNS | FLOAT_COLUMNS | {"geometry"}

FORMATS = ("geojson", "gpkg", "kml", "csv")
PRECISION = 6
CRS = "EPSG:4326"
# Used for GeoPackage timestamps when SOURCE_DATE_EPOCH is not set, so two
# builds of the same input give the same file.
FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- frames

def postures_frame(postures: Iterable[Any]) -> gpd.GeoDataFrame:
    """Turn :class:`geocore.records.Posture` records into a GeoDataFrame (EPSG:4326).

    Columns are :data:`POSTURE_COLUMNS` in that order; a record without a
    geometry gets ``Point(lon, lat)``.
    """
    return _records_frame(postures, POSTURE_COLUMNS)


def reports_frame(reports: Iterable[Any]) -> gpd.GeoDataFrame:
    """Turn :class:`geocore.records.Report` records into a GeoDataFrame (EPSG:4326).

    Columns are :data:`REPORT_COLUMNS` in that order; a record without a
    geometry gets ``Point(lon, lat)``.
    """
    return _records_frame(reports, REPORT_COLUMNS)


def _records_frame(records: Iterable[Any], columns: Sequence[str]) -> gpd.GeoDataFrame:
    data: dict[str, list] = {c: [] for c in columns}
    for rec in records:
        for col in columns:
            if col == "geometry":
                geom = getattr(rec, "geometry", None)
                data[col].append(geom if geom is not None else Point(rec.lon, rec.lat))
            else:
                data[col].append(getattr(rec, col))
    return normalize_frame(pd.DataFrame(data, columns=list(columns)), _kind_of(columns))


def normalize_frame(frame: pd.DataFrame, kind: str) -> gpd.GeoDataFrame:
    """Return ``frame`` with the canonical columns, order and dtypes of ``kind``.

    Text columns are ``object`` with None for missing, dates ``datetime64[s]``
    with NaT, flags ``bool``, ``n_reports`` ``int64``, ``confidence`` ``float64``.

    Raises
    ------
    InputError
        If a column is missing or a value cannot be converted.
    """
    columns = _columns_of(kind)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{kind} frame lacks column(s): {', '.join(missing)}")
    out: dict[str, Any] = {}
    for col in columns[:-1]:
        values = list(frame[col])
        try:
            if col in DATE_COLUMNS:
                series = pd.to_datetime(
                    pd.Series([None if _missing(v) else v for v in values], dtype=object),
                    format="ISO8601",
                )
                out[col] = series.astype("datetime64[s]").to_numpy()
            elif col in BOOL_COLUMNS:
                out[col] = np.array([False if _missing(v) else bool(v) for v in values], dtype=bool)
            elif col in INT_COLUMNS:
                out[col] = np.array([0 if _missing(v) else int(v) for v in values], dtype="int64")
            elif col in FLOAT_COLUMNS:
                out[col] = np.array([math.nan if _missing(v) else float(v) for v in values], dtype="float64")
            else:
                out[col] = np.array([None if _missing(v) else str(v) for v in values], dtype=object)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InputError(f"{kind} column {col!r}: cannot convert value: {exc}") from exc
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


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if np.ndim(value) == 0 else False
    except (TypeError, ValueError):
        return False


def _columns_of(kind: str) -> tuple[str, ...]:
    if kind == "postures":
        return POSTURE_COLUMNS
    if kind == "reports":
        return REPORT_COLUMNS
    raise InputError(f"kind must be 'postures' or 'reports', not {kind!r}")


def _kind_of(columns: Iterable[str]) -> str:
    return "reports" if "doc" in set(columns) else "postures"


# ---------------------------------------------------------------- geometry

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


def _listify(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _listify(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_listify(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj)
    return obj


# ---------------------------------------------------------------- values

def _json_value(col: str, value: Any) -> Any:
    """Convert one frame cell into its JSON value (ISO dates, None for missing)."""
    if _missing(value):
        return None
    if col in DATE_COLUMNS:
        return pd.Timestamp(value).date().isoformat()
    if col in BOOL_COLUMNS:
        return bool(value)
    if col in INT_COLUMNS:
        return int(value)
    if col in FLOAT_COLUMNS:
        return float(value)
    return str(value)


def _rows(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> Iterable[dict[str, Any]]:
    """Yield each row as {column: JSON value} plus the raw ``geometry``."""
    props = [c for c in columns if c != "geometry"]
    cols = {c: frame[c].tolist() if c not in DATE_COLUMNS else list(frame[c]) for c in props}
    geoms = list(frame.geometry)
    for i in range(len(frame)):
        row = {c: _json_value(c, cols[c][i]) for c in props}
        row["geometry"] = geoms[i]
        yield row


def _record_rows(records: Iterable[Any], columns: Sequence[str]) -> Iterable[dict[str, Any]]:
    """The rows :func:`_rows` gives for the frame of ``records``, without building the frame."""
    props = [c for c in columns if c != "geometry"]
    for rec in records:
        row = {c: _record_value(c, getattr(rec, c)) for c in props}
        geom = getattr(rec, "geometry", None)
        row["geometry"] = geom if geom is not None else Point(rec.lon, rec.lat)
        yield row


def _record_value(col: str, value: Any) -> Any:
    # The value normalize_frame() then _json_value() would give.
    try:
        if col in DATE_COLUMNS:
            return None if _missing(value) else pd.Timestamp(value).date().isoformat()
        if col in BOOL_COLUMNS:
            return False if _missing(value) else bool(value)
        if col in INT_COLUMNS:
            return 0 if _missing(value) else int(value)
        if col in FLOAT_COLUMNS:
            return None if _missing(value) else float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"column {col!r}: cannot convert value {value!r}: {exc}") from exc
    return None if _missing(value) else str(value)


class _Normalized:
    """A frame normalized once for all the writers that iterate it."""

    def __init__(self, frame: gpd.GeoDataFrame, kind: str):
        self.frame, self.kind = frame, kind


def iter_rows(obj: Any, kind: str) -> Iterable[dict[str, Any]]:
    """Rows of records or of a frame: {column: JSON value} plus the raw ``geometry``.

    A frame is normalized first; records are converted one at a time.
    """
    columns = _columns_of(kind)
    if isinstance(obj, _Normalized):
        return _rows(obj.frame, columns)
    if isinstance(obj, pd.DataFrame):
        return _rows(normalize_frame(obj, kind), columns)
    return _record_rows(obj, columns)


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


def _prepared() -> PerGeometry:
    return PerGeometry(prepare_geometry)


# ---------------------------------------------------------------- report points

REPORT_GEOMETRIES = ("full", "point")


def report_points(reports: Any) -> Any:
    """The reports with every geometry reduced to one point on it.

    For large builds: a country or border named in thousands of reports
    otherwise repeats its outline in every report feature. Points stay as
    they are; a line or polygon becomes its ``representative_point()``
    (always on the line or inside the area), taken after rounding, so a build
    and ``geomap export --from`` give the same point.
    """
    source, _ = _source(reports, "reports")
    if isinstance(source, _Normalized):
        frame = source.frame
        points = frame.set_geometry(gpd.GeoSeries([_point_on(g) for g in frame.geometry], crs=CRS))
        return _Normalized(points, "reports")
    return _PointReports(source)


def _point_on(geom: Any) -> Any:
    if geom is None or geom.geom_type == "Point":
        return geom
    prepared = prepare_geometry(geom)
    return None if prepared is None else prepared.representative_point()


class _PointReports(Sequence):
    """A read-only view of report records with point geometries, made one at a time."""

    def __init__(self, records: Sequence[Any]):
        self._records = records
        self._points: dict[int, tuple[Any, Any]] = {}  # id(geometry) -> (geometry, its point)

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._one(r) for r in self._records[i]]
        return self._one(self._records[i])

    def _one(self, rec: Any) -> Any:
        geom = getattr(rec, "geometry", None)
        if geom is None or geom.geom_type == "Point":
            return rec
        hit = self._points.get(id(geom))
        if hit is None or hit[0] is not geom:
            hit = self._points[id(geom)] = (geom, _point_on(geom))
        return dataclasses.replace(rec, geometry=hit[1])


# ---------------------------------------------------------------- GeoJSON

def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _geometry_json(geom: Any) -> str:
    prepared = prepare_geometry(geom)
    return "null" if prepared is None else _dumps(_listify(mapping(prepared)))


def _geojson_chunks(frame_or_records: Any, kind: str | None = None) -> Iterable[str]:
    frame_or_records, kind = _source(frame_or_records, kind)
    geometry_json = PerGeometry(_geometry_json)
    yield '{"type":"FeatureCollection","features":[\n'
    first = True
    for row in iter_rows(frame_or_records, kind):
        geom = row.pop("geometry")
        # Same bytes as dumping the whole feature dict; the geometry text is reused.
        text = '{"type":"Feature","properties":' + _dumps(row) + ',"geometry":' + \
            ("null" if geom is None else geometry_json(geom)) + "}"
        yield text if first else ",\n" + text
        first = False
    yield ("" if first else "\n") + "]}\n"


def geojson_text(frame_or_records: Any, kind: str | None = None) -> str:
    """Return the RFC 7946 FeatureCollection text for postures or reports.

    One feature per line, properties in the documented column order,
    non-ASCII kept as UTF-8, one trailing newline.
    """
    return "".join(_geojson_chunks(frame_or_records, kind))


def write_geojson(frame_or_records: Any, path: str | os.PathLike, kind: str | None = None) -> Path:
    """Write postures or reports as RFC 7946 GeoJSON, atomically, one feature at a time.

    Parameters
    ----------
    frame_or_records : GeoDataFrame or iterable of Posture/Report
        What to write; the kind is read from the columns or record type
        unless ``kind`` ("postures" or "reports") is given.
    path : str or os.PathLike
        Destination file.
    """
    return atomic_write_chunks(path, _geojson_chunks(frame_or_records, kind))


def _source(obj: Any, kind: str | None) -> tuple[Any, str]:
    """``obj`` as a normalized frame or a sequence of records, and its kind ("postures" or "reports")."""
    if isinstance(obj, _Normalized):
        return obj, obj.kind
    if isinstance(obj, pd.DataFrame):
        kind = kind or _kind_of(obj.columns)
        _columns_of(kind)
        return _Normalized(normalize_frame(obj, kind), kind), kind
    obj = obj if isinstance(obj, Sequence) else list(obj)
    kind = kind or ("reports" if obj and hasattr(obj[0], "doc") else "postures")
    _columns_of(kind)
    return obj, kind


# ---------------------------------------------------------------- GeoPackage

def _gdal_timestamp() -> str:
    """The timestamp GDAL stamps into a GeoPackage: SOURCE_DATE_EPOCH or a fixed one."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return FIXED_TIMESTAMP
    try:
        moment = datetime.fromtimestamp(int(raw.strip()), tz=timezone.utc)
    except (ValueError, OverflowError, OSError) as exc:
        raise InputError(f"SOURCE_DATE_EPOCH={raw!r} is not a Unix time in seconds") from exc
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


GPKG_BATCH = 2000  # features per GDAL write: bounded memory (country polygons are large), few transactions


def _gpkg_fields(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[np.ndarray]:
    arrays = []
    for col in columns:
        if col == "geometry":
            continue
        values = [row[col] for row in rows]
        if col in DATE_COLUMNS:
            # datetime64[D] is what makes GDAL create a Date (not DateTime) field.
            arrays.append(np.array([np.datetime64(v) if v else np.datetime64("NaT") for v in values], dtype="datetime64[D]"))
        elif col in INT_COLUMNS:
            arrays.append(np.array(values, dtype="int32"))
        elif col in BOOL_COLUMNS:
            arrays.append(np.array(values, dtype=bool))
        elif col in FLOAT_COLUMNS:
            arrays.append(np.array([math.nan if v is None else v for v in values], dtype="float64"))
        else:
            arrays.append(np.array(values, dtype=object))
    return arrays


def _batches(rows: Iterable[Any], size: int, at_least_one: bool = False) -> Iterable[list]:
    batch: list = []
    sent = False
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch, sent = [], True
    if batch or (at_least_one and not sent):
        yield batch


def write_gpkg(postures: Any, reports: Any, path: str | os.PathLike) -> Path:
    """Write a GeoPackage with layers ``postures`` and ``reports``, atomically.

    Dates become GDAL Date fields, ``conflict``/``published_inferred`` Boolean,
    ``n_reports`` Integer, ``confidence`` Real. Each layer has the generic
    geometry type so points, lines and polygons can share it. Features are
    written in batches of :data:`GPKG_BATCH`. GDAL's timestamps come from
    SOURCE_DATE_EPOCH, else a fixed date.
    """
    import pyogrio
    from pyogrio.raw import write as raw_write

    layers = [("postures", *_source(postures, "postures")), ("reports", *_source(reports, "reports"))]
    target = Path(path)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _gdal_timestamp()})
    try:
        with atomic_path(target) as tmp:
            written = 0
            for layer, source, kind in layers:
                columns = _columns_of(kind)
                names = [c for c in columns if c != "geometry"]
                prepared = _prepared()
                # An empty layer is still created (one empty batch), so every GeoPackage has both.
                for batch in _batches(iter_rows(source, kind), GPKG_BATCH, at_least_one=True):
                    geoms = np.array([prepared(row["geometry"]) for row in batch], dtype=object)
                    raw_write(str(tmp), shapely.to_wkb(geoms), _gpkg_fields(batch, columns), names, layer=layer,
                              driver="GPKG", geometry_type="Unknown", crs=CRS, encoding="UTF-8", append=written > 0)
                    written += 1
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataFileError(f"{target}: cannot write GeoPackage: {exc}") from exc
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return target


# ---------------------------------------------------------------- KML

def write_kml(postures: Any, reports: Any, path: str | os.PathLike) -> Path:
    """Write a KML file styled by status, atomically; see :mod:`geo.outputs.kml`."""
    from geo.outputs.kml import write_kml as _write

    return _write(postures, reports, path)


def kml_bytes(postures: Any, reports: Any) -> bytes:
    """Return the KML document (UTF-8 bytes); see :mod:`geo.outputs.kml`."""
    from geo.outputs.kml import kml_bytes as _bytes

    return _bytes(postures, reports)


# ---------------------------------------------------------------- CSV

def _csv_guard(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_chunks(reports: Any) -> Iterable[str]:
    reports, _ = _source(reports, "reports")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    prepared = _prepared()
    for row in iter_rows(reports, "reports"):
        geom = prepared(row.pop("geometry"))
        cells = []
        for col, value in row.items():
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif col in _NON_TEXT:
                cells.append(repr(value) if isinstance(value, float) else str(value))
            else:
                cells.append(_csv_guard(value))
        is_point = geom is not None and geom.geom_type == "Point"
        cells.append("" if geom is None else shapely.to_wkt(geom, rounding_precision=PRECISION, trim=True))
        cells.append(repr(geom.y) if is_point else "")
        cells.append(repr(geom.x) if is_point else "")
        writer.writerow(cells)
        if buf.tell() > 1 << 16:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def csv_text(reports: Any) -> str:
    """Return the reports CSV: :data:`CSV_COLUMNS`, one row per report."""
    return "".join(_csv_chunks(reports))


def write_csv(reports: Any, path: str | os.PathLike) -> Path:
    """Write one CSV row per report (UTF-8, ``\\n`` line ends), atomically, streaming."""
    return atomic_write_chunks(path, _csv_chunks(reports))


# ---------------------------------------------------------------- whole builds

OUTPUT_FILES = {
    "geojson": ("posture.geojson", "reports.geojson"),
    "gpkg": ("posture.gpkg",),
    "kml": ("posture.kml",),
    "csv": ("reports.csv",),
}


def export_frames(postures: Any, reports: Any, out_dir: str | os.PathLike,
                  formats: Iterable[str] = ("geojson",), *, report_geometry: str = "full") -> dict[str, Path]:
    """Write the requested formats into ``out_dir`` from frames or records.

    ``report_geometry="point"`` writes each report at one point on its place
    (:func:`report_points`) instead of the place's full outline; postures
    always keep theirs.

    Returns
    -------
    dict[str, Path]
        Output file name stem key ("posture.geojson", ...) -> path written.
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in OUTPUT_FILES]
    if unknown:
        raise InputError(f"unknown export format(s) {', '.join(map(repr, unknown))}; choose from {', '.join(FORMATS)}")
    if report_geometry not in REPORT_GEOMETRIES:
        raise InputError(f"report geometry {report_geometry!r} is not one of: {', '.join(REPORT_GEOMETRIES)}")
    postures, _ = _source(postures, "postures")
    reports, _ = _source(reports, "reports")
    if report_geometry == "point":
        reports = report_points(reports)
    out = Path(out_dir)
    written: dict[str, Path] = {}
    for fmt in wanted:
        if fmt == "geojson":
            written["posture.geojson"] = write_geojson(postures, out / "posture.geojson", "postures")
            written["reports.geojson"] = write_geojson(reports, out / "reports.geojson", "reports")
        elif fmt == "gpkg":
            written["posture.gpkg"] = write_gpkg(postures, reports, out / "posture.gpkg")
        elif fmt == "kml":
            written["posture.kml"] = write_kml(postures, reports, out / "posture.kml")
        elif fmt == "csv":
            written["reports.csv"] = write_csv(reports, out / "reports.csv")
    return written


def export(postures: Sequence[Any], reports: Sequence[Any], out_dir: str | os.PathLike,
           formats: Iterable[str] = ("geojson",), *, report_geometry: str = "full") -> dict[str, Path]:
    """Write Posture/Report records in the requested formats, streaming; see :func:`export_frames`."""
    return export_frames(postures, reports, out_dir, formats, report_geometry=report_geometry)


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
    columns = _columns_of(kind)
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


# ---------------------------------------------------------------- validation

def validate_geojson(path_or_obj: Any, kind: str = "postures") -> None:
    """Check a posture/reports GeoJSON against its schema and RFC 7946; see :mod:`geo.outputs.validate`."""
    from geo.outputs.validate import validate_geojson as _validate

    _validate(path_or_obj, kind)


def load_schema(kind: str) -> dict:
    """The JSON Schema of a posture or reports FeatureCollection; see :mod:`geo.outputs.validate`."""
    from geo.outputs.validate import load_schema as _load

    return _load(kind)
