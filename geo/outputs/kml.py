"""KML export for Google Earth and other KML viewers.

One Placemark per posture (folder "Postures") and per report (folder
"Reports"), styled by status. Each report carries a TimeSpan from its
publication date to the next later report of the same place (open if none),
for Google Earth's time slider. All text is XML-escaped; balloon text is also
HTML-escaped. Placemarks are serialized one at a time and streamed to disk.
"""
from __future__ import annotations

import bisect
import html
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from geo.outputs.atomic import atomic_write_chunks
from geo.outputs.geometry import PerGeometry, prepared_geometries
from geo.outputs.legend import STATUS_COLOURS, STATUS_DEFINITIONS
from geo.outputs.rows import Rows, balloon_of

_KML_NS = "http://www.opengis.net/kml/2.2"
# Characters XML 1.0 forbids even when escaped; article text may contain them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SLOT = "geomap-placemarks-{}"
_FOLDER_LEVEL = 2  # kml > Document > Folder: placemarks sit one level deeper
_GEOMETRY_SLOT = "geomap-geometry"  # stands for the geometry while a placemark is serialized


def _kml_colour(hex_rgb: str, alpha: str = "ff") -> str:
    """'#rrggbb' -> KML 'aabbggrr'."""
    h = hex_rgb.lstrip("#").lower()
    return f"{alpha}{h[4:6]}{h[2:4]}{h[0:2]}"


def _xml_text(value: Any) -> str:
    """Text safe for XML 1.0: ElementTree escapes markup, this drops illegal characters."""
    return _XML_ILLEGAL.sub("\ufffd", "" if value is None else str(value))


def _html_text(value: Any) -> str:
    """Escape for Google Earth balloons, which render <description> as HTML."""
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


def _placemark(row: Mapping[str, Any], rows: Rows, title: str, span: tuple | None, geom: Any,
               geometry_xml: Callable[[Any], str]) -> str:
    """One Placemark, serialized and indented as it sits in its folder."""
    mark = ET.Element("Placemark")
    _sub(mark, "name", title)
    # The balloon shows only this escaped description (see the BalloonStyle),
    # so hostile text in names or ExtendedData is never rendered as HTML.
    lines = [(f.label, _balloon_value(f.kind, row[f.name])) for f in balloon_of(rows.kind)]
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
    for field in rows.fields:
        value = row[field.name]
        data = _sub(extended, "Data", name=field.name)
        _sub(data, "value", "" if value is None else (str(value).lower() if isinstance(value, bool) else value))
    if geom is not None:
        ET.SubElement(mark, _GEOMETRY_SLOT)
    ET.indent(mark, space=" ", level=_FOLDER_LEVEL + 1)
    text = ET.tostring(mark, encoding="unicode")
    if geom is not None:
        text = text.replace(f"<{_GEOMETRY_SLOT} />", geometry_xml(geom), 1)
    return "\n" + " " * (_FOLDER_LEVEL + 1) + text


def _balloon_value(kind: str, value: Any) -> Any:
    """A flag shows as "yes" when set and is left out otherwise; other values as they are."""
    if kind == "bool":
        return "yes" if value else None
    return value


def _geometry_xml(geom: Any) -> str:
    """The geometry element as it is indented inside a Placemark (serialized once per geometry)."""
    holder = ET.Element("Placemark")
    _kml_geometry(holder, geom)
    ET.indent(holder, space=" ", level=_FOLDER_LEVEL + 1)
    element = holder[0]
    element.tail = None
    return ET.tostring(element, encoding="unicode")


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


def _skeleton() -> tuple[str, str, str]:
    """The document around the two folders' placemarks: (head, between, tail)."""
    root = ET.Element("kml", xmlns=_KML_NS)
    doc = _sub(root, "Document")
    _sub(doc, "name", "geomap force posture")
    _sub(doc, "description", "; ".join(f"{k}: {v}" for k, v in STATUS_DEFINITIONS.items()))
    _kml_styles(doc)
    for i, name in enumerate(("Postures", "Reports")):
        folder = _sub(doc, "Folder")
        _sub(folder, "name", name)
        _sub(folder, _SLOT.format(i))
    ET.indent(root, space=" ")
    text = ET.tostring(root, encoding="utf-8", xml_declaration=True).decode("utf-8") + "\n"
    indent = "\n" + " " * (_FOLDER_LEVEL + 1)
    head, rest = text.split(f"{indent}<{_SLOT.format(0)} />")
    between, tail = rest.split(f"{indent}<{_SLOT.format(1)} />")
    return head, between, tail


def _report_dates(reports: Rows) -> dict[str, list[str]]:
    """Publication dates of each place's reports, sorted: a first pass for the TimeSpans."""
    dates: dict[str, set[str]] = {}
    for row in reports:
        if row["published"] is not None:
            dates.setdefault(row["place_id"], set()).add(row["published"])
    return {k: sorted(v) for k, v in dates.items()}


def _kml_chunks(postures: Any, reports: Any) -> Iterable[str]:
    postures, reports = Rows(postures, "postures"), Rows(reports, "reports")
    head, between, tail = _skeleton()
    prepared = prepared_geometries()
    geometry_xml = PerGeometry(_geometry_xml)  # of prepared geometries, which reports of a place share
    yield head
    for row in postures:
        yield _placemark(row, postures, f"{row['name']} ({row['status']})", None,
                         prepared(row["geometry"]), geometry_xml)
    yield between
    dates = _report_dates(reports)
    for row in reports:
        begin = row["published"]
        span = None
        if begin is not None:
            days = dates[row["place_id"]]
            k = bisect.bisect_right(days, begin)
            span = (begin, days[k] if k < len(days) else None)
        title = f"{row['name']} ({row['status']}, {row['published'] or 'undated'})"
        yield _placemark(row, reports, title, span, prepared(row["geometry"]), geometry_xml)
    yield tail


def kml_bytes(postures: Any, reports: Any) -> bytes:
    """Return the KML document (UTF-8 bytes) for postures and reports."""
    return "".join(_kml_chunks(postures, reports)).encode("utf-8")


def write_kml(postures: Any, reports: Any, path: str | os.PathLike) -> Path:
    """Write a KML file styled by status, atomically, one placemark at a time.

    Parameters
    ----------
    postures, reports : GeoDataFrame or sequence of records
        What to write (frames as :func:`geo.outputs.geojson.load_build` reads them back).
    path : str or os.PathLike
        Destination file.
    """
    return atomic_write_chunks(path, _kml_chunks(postures, reports))
