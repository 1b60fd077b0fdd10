"""GIS exports of postures and reports: GeoJSON, GeoPackage, KML and CSV.

Records are turned into GeoDataFrames once (:func:`postures_frame`,
:func:`reports_frame`) and every format is written from those frames, so
``geomap export --from maps/`` (frames read back with :func:`load_build`) and a
fresh build write the same bytes.

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
import io
import json
import math
import os
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, mapping, shape

from geo.atomic import atomic_path, atomic_write
from geo.errors import DataFileError, InputError
from geo.style import STATUS_COLOURS, STATUS_DEFINITIONS

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

_KML_NS = "http://www.opengis.net/kml/2.2"
# Characters XML 1.0 forbids even when escaped; article text may contain them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- frames

def postures_frame(postures: Iterable[Any]) -> gpd.GeoDataFrame:
    """Turn :class:`geo.records.Posture` records into a GeoDataFrame (EPSG:4326).

    Columns are :data:`POSTURE_COLUMNS` in that order; a record without a
    geometry gets ``Point(lon, lat)``.
    """
    return _records_frame(postures, POSTURE_COLUMNS)


def reports_frame(reports: Iterable[Any]) -> gpd.GeoDataFrame:
    """Turn :class:`geo.records.Report` records into a GeoDataFrame (EPSG:4326).

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


def _as_frame(obj: Any, kind: str | None = None) -> tuple[gpd.GeoDataFrame, str]:
    """Accept records or a frame; return a normalized frame and its kind."""
    if isinstance(obj, pd.DataFrame):
        kind = kind or _kind_of(obj.columns)
        return normalize_frame(obj, kind), kind
    records = list(obj)
    if kind is None:
        kind = "reports" if records and hasattr(records[0], "doc") else "postures"
    return (reports_frame(records) if kind == "reports" else postures_frame(records)), kind


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


def _geojson_geometry(geom: Any) -> dict | None:
    prepared = prepare_geometry(geom)
    if prepared is None:
        return None
    return _listify(mapping(prepared))


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


# ---------------------------------------------------------------- GeoJSON

def geojson_text(frame_or_records: Any, kind: str | None = None) -> str:
    """Return the RFC 7946 FeatureCollection text for postures or reports.

    One feature per line, properties in the documented column order,
    non-ASCII kept as UTF-8, one trailing newline.
    """
    frame, kind = _as_frame(frame_or_records, kind)
    columns = _columns_of(kind)
    lines = []
    for row in _rows(frame, columns):
        geom = row.pop("geometry")
        feature = {"type": "Feature", "properties": row, "geometry": _geojson_geometry(geom)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    body = ",\n".join(lines)
    return '{"type":"FeatureCollection","features":[\n' + body + ("\n" if lines else "") + "]}\n"


def write_geojson(frame_or_records: Any, path: str | os.PathLike, kind: str | None = None) -> Path:
    """Write postures or reports as RFC 7946 GeoJSON, atomically.

    Parameters
    ----------
    frame_or_records : GeoDataFrame or iterable of Posture/Report
        What to write; the kind is read from the columns or record type
        unless ``kind`` ("postures" or "reports") is given.
    path : str or os.PathLike
        Destination file.
    """
    return atomic_write(path, geojson_text(frame_or_records, kind))


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


def _gpkg_fields(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> list[np.ndarray]:
    arrays = []
    for col in columns:
        if col == "geometry":
            continue
        if col in DATE_COLUMNS:
            # datetime64[D] is what makes GDAL create a Date (not DateTime) field.
            arrays.append(frame[col].to_numpy(dtype="datetime64[s]").astype("datetime64[D]"))
        elif col in INT_COLUMNS:
            arrays.append(frame[col].to_numpy(dtype="int32"))
        elif col in BOOL_COLUMNS:
            arrays.append(frame[col].to_numpy(dtype=bool))
        elif col in FLOAT_COLUMNS:
            arrays.append(frame[col].to_numpy(dtype="float64"))
        else:
            arrays.append(np.array([None if _missing(v) else str(v) for v in frame[col]], dtype=object))
    return arrays


def write_gpkg(postures: Any, reports: Any, path: str | os.PathLike) -> Path:
    """Write a GeoPackage with layers ``postures`` and ``reports``, atomically.

    Dates become GDAL Date fields, ``conflict``/``published_inferred`` Boolean,
    ``n_reports`` Integer, ``confidence`` Real. Each layer has the generic
    geometry type so points, lines and polygons can share it. GDAL's
    timestamps come from SOURCE_DATE_EPOCH, else a fixed date.
    """
    import pyogrio
    from pyogrio.raw import write as raw_write

    layers = [("postures", *_as_frame(postures, "postures")), ("reports", *_as_frame(reports, "reports"))]
    target = Path(path)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _gdal_timestamp()})
    try:
        with atomic_path(target) as tmp:
            for i, (layer, frame, kind) in enumerate(layers):
                columns = _columns_of(kind)
                geoms = np.array([prepare_geometry(g) for g in frame.geometry], dtype=object)
                raw_write(
                    str(tmp),
                    shapely.to_wkb(geoms),
                    _gpkg_fields(frame, columns),
                    [c for c in columns if c != "geometry"],
                    layer=layer,
                    driver="GPKG",
                    geometry_type="Unknown",
                    crs=CRS,
                    encoding="UTF-8",
                    append=i > 0,
                )
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataFileError(f"{target}: cannot write GeoPackage: {exc}") from exc
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return target


# ---------------------------------------------------------------- KML

def _kml_colour(hex_rgb: str, alpha: str = "ff") -> str:
    """'#rrggbb' -> KML 'aabbggrr'."""
    h = hex_rgb.lstrip("#").lower()
    return f"{alpha}{h[4:6]}{h[2:4]}{h[0:2]}"


def _xml_text(value: Any) -> str:
    """Text safe for XML 1.0: ElementTree escapes markup, this drops illegal characters."""
    return _XML_ILLEGAL.sub("\ufffd", "" if value is None else str(value))


def _html_text(value: Any) -> str:
    """Escape for Google Earth balloons, which render <description> as HTML."""
    import html

    return html.escape(_xml_text(value), quote=True).replace("\n", "<br/>")


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = _xml_text(text)
    return el


def _kml_coords(coords: Iterable[Sequence[float]]) -> str:
    return " ".join(f"{repr(float(x))},{repr(float(y))}" for x, y, *_ in coords)


def _kml_geometry(parent: ET.Element, geom: Any) -> None:
    kind = geom.geom_type
    if kind == "Point":
        _sub(_sub(parent, "Point"), "coordinates", _kml_coords(geom.coords))
    elif kind in ("LineString", "LinearRing"):
        line = _sub(parent, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "coordinates", _kml_coords(geom.coords))
    elif kind == "Polygon":
        poly = _sub(parent, "Polygon")
        _sub(poly, "tessellate", "1")
        ring = _sub(_sub(poly, "outerBoundaryIs"), "LinearRing")
        _sub(ring, "coordinates", _kml_coords(geom.exterior.coords))
        for hole in geom.interiors:
            _sub(_sub(_sub(poly, "innerBoundaryIs"), "LinearRing"), "coordinates", _kml_coords(hole.coords))
    else:  # Multi* and GeometryCollection
        multi = _sub(parent, "MultiGeometry")
        for part in geom.geoms:
            if not part.is_empty:
                _kml_geometry(multi, part)


def _kml_placemark(folder: ET.Element, row: Mapping[str, Any], columns: Sequence[str],
                   title: str, lines: Sequence[tuple[str, Any]], span: tuple | None) -> None:
    mark = _sub(folder, "Placemark")
    _sub(mark, "name", title)
    # The balloon shows only this escaped description (see the BalloonStyle),
    # so hostile text in names or ExtendedData is never rendered as HTML.
    desc = "".join(f"<b>{_html_text(k)}</b>: {_html_text(v)}<br/>" for k, v in lines if v not in (None, ""))
    _sub(mark, "description", desc)
    if span is not None:
        timespan = _sub(mark, "TimeSpan")
        _sub(timespan, "begin", span[0])
        if span[1] is not None:
            _sub(timespan, "end", span[1])
    status = row.get("status")
    _sub(mark, "styleUrl", f"#status-{status}" if status in STATUS_COLOURS else "#status-unknown")
    extended = _sub(mark, "ExtendedData")
    for col in columns:
        if col == "geometry":
            continue
        value = row[col]
        data = _sub(extended, "Data", name=col)
        _sub(data, "value", "" if value is None else (str(value).lower() if isinstance(value, bool) else value))
    geom = prepare_geometry(row["geometry"])
    if geom is not None:
        _kml_geometry(mark, geom)


def _kml_styles(doc: ET.Element) -> None:
    for status, colour in [*STATUS_COLOURS.items(), ("unknown", "#808080")]:
        style = _sub(doc, "Style", id=f"status-{status}")
        icon = _sub(style, "IconStyle")
        _sub(icon, "color", _kml_colour(colour))
        # No Icon href: a remote icon URL would make viewers on air-gapped
        # machines try the network; the default icon takes the colour.
        _sub(icon, "scale", "1.1")
        line = _sub(style, "LineStyle")
        _sub(line, "color", _kml_colour(colour))
        _sub(line, "width", "3")
        poly = _sub(style, "PolyStyle")
        _sub(poly, "color", _kml_colour(colour, "66"))
        _sub(_sub(style, "BalloonStyle"), "text", "$[description]")


def _report_spans(rows: Sequence[Mapping[str, Any]]) -> list[tuple | None]:
    """TimeSpan per report: begin = published, end = next later report of the same place."""
    dates: dict[str, list[str]] = {}
    for row in rows:
        if row["published"] is not None:
            dates.setdefault(row["place_id"], []).append(row["published"])
    for key in dates:
        dates[key] = sorted(set(dates[key]))
    spans: list[tuple | None] = []
    for row in rows:
        begin = row["published"]
        if begin is None:
            spans.append(None)
            continue
        later = [d for d in dates[row["place_id"]] if d > begin]
        spans.append((begin, later[0] if later else None))
    return spans


def kml_bytes(postures: Any, reports: Any) -> bytes:
    """Return the KML document (UTF-8 bytes) for postures and reports."""
    pframe, _ = _as_frame(postures, "postures")
    rframe, _ = _as_frame(reports, "reports")
    root = ET.Element("kml", xmlns=_KML_NS)
    doc = _sub(root, "Document")
    _sub(doc, "name", "geomap force posture")
    _sub(doc, "description", "; ".join(f"{k}: {v}" for k, v in STATUS_DEFINITIONS.items()))
    _kml_styles(doc)

    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Postures")
    for row in _rows(pframe, POSTURE_COLUMNS):
        lines = [("Place", row["name"]), ("Status", row["status"]), ("Force", row["force"]),
                 ("Actor", row["actor"]), ("First reported", row["first_reported"]),
                 ("Last reported", row["last_reported"]), ("Reports", row["n_reports"]),
                 ("Conflicting reports", "yes" if row["conflict"] else None),
                 ("Sources", row["sources"]), ("Evidence", row["evidence"])]
        _kml_placemark(folder, row, POSTURE_COLUMNS, f"{row['name']} ({row['status']})", lines, None)

    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Reports")
    rows = list(_rows(rframe, REPORT_COLUMNS))
    for row, span in zip(rows, _report_spans(rows)):
        lines = [("Place", row["name"]), ("Status", row["status"]), ("Force", row["force"]),
                 ("Actor", row["actor"]), ("Published", row["published"]),
                 ("Outlet", row["outlet"]), ("Document", row["doc"]), ("URL", row["url"]),
                 ("Evidence", row["evidence"]), ("Trigger", row["trigger"])]
        title = f"{row['name']} ({row['status']}, {row['published'] or 'undated'})"
        _kml_placemark(folder, row, REPORT_COLUMNS, title, lines, span)

    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_kml(postures: Any, reports: Any, path: str | os.PathLike) -> Path:
    """Write a KML file styled by status, atomically.

    One Placemark per posture (folder "Postures") and per report (folder
    "Reports"); each report carries a TimeSpan from its publication date to
    the next later report of the same place (open if none) for Google Earth's
    time slider. All text is XML-escaped; balloon text is also HTML-escaped.
    """
    return atomic_write(path, kml_bytes(postures, reports))


# ---------------------------------------------------------------- CSV

def _csv_guard(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(reports: Any) -> str:
    """Return the reports CSV: :data:`CSV_COLUMNS`, one row per report."""
    frame, _ = _as_frame(reports, "reports")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for row in _rows(frame, REPORT_COLUMNS):
        geom = prepare_geometry(row.pop("geometry"))
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
    return buf.getvalue()


def write_csv(reports: Any, path: str | os.PathLike) -> Path:
    """Write one CSV row per report (UTF-8, ``\\n`` line ends), atomically."""
    return atomic_write(path, csv_text(reports))


# ---------------------------------------------------------------- whole builds

OUTPUT_FILES = {
    "geojson": ("posture.geojson", "reports.geojson"),
    "gpkg": ("posture.gpkg",),
    "kml": ("posture.kml",),
    "csv": ("reports.csv",),
}


def export_frames(postures: Any, reports: Any, out_dir: str | os.PathLike,
                  formats: Iterable[str] = ("geojson",)) -> dict[str, Path]:
    """Write the requested formats from frames (or records) into ``out_dir``.

    Returns
    -------
    dict[str, Path]
        Output file name stem key ("posture.geojson", ...) -> path written.
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in OUTPUT_FILES]
    if unknown:
        raise InputError(f"unknown export format(s) {', '.join(map(repr, unknown))}; choose from {', '.join(FORMATS)}")
    pframe, _ = _as_frame(postures, "postures")
    rframe, _ = _as_frame(reports, "reports")
    out = Path(out_dir)
    written: dict[str, Path] = {}
    for fmt in wanted:
        if fmt == "geojson":
            written["posture.geojson"] = write_geojson(pframe, out / "posture.geojson", "postures")
            written["reports.geojson"] = write_geojson(rframe, out / "reports.geojson", "reports")
        elif fmt == "gpkg":
            written["posture.gpkg"] = write_gpkg(pframe, rframe, out / "posture.gpkg")
        elif fmt == "kml":
            written["posture.kml"] = write_kml(pframe, rframe, out / "posture.kml")
        elif fmt == "csv":
            written["reports.csv"] = write_csv(rframe, out / "reports.csv")
    return written


def export(postures: Sequence[Any], reports: Sequence[Any], out_dir: str | os.PathLike,
           formats: Iterable[str] = ("geojson",)) -> dict[str, Path]:
    """Write Posture/Report records in the requested formats; see :func:`export_frames`."""
    return export_frames(postures_frame(postures), reports_frame(reports), out_dir, formats)


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

def load_schema(kind: str) -> dict:
    """Return the JSON Schema (draft 2020-12) of a posture or reports FeatureCollection."""
    name = {"postures": "posture.schema.json", "reports": "reports.schema.json"}.get(kind)
    if name is None:
        raise InputError(f"kind must be 'postures' or 'reports', not {kind!r}")
    return json.loads(resources.files("geo").joinpath("schema", name).read_text(encoding="utf-8"))


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
