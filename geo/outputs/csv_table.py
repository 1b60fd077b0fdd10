"""The reports as one CSV table for spreadsheets: UTF-8, ``\\n`` line ends, streamed.

Columns are the report fields, then ``wkt``, ``lat`` and ``lon``. Booleans
are ``true``/``false`` and missing values empty cells. Text cells that start
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading
apostrophe, so spreadsheet programs show them as text instead of running
them as formulas (article text is hostile); strip that one apostrophe to get
the original text back.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any, Iterable

import shapely

from geo.outputs.atomic import atomic_write_chunks
from geo.outputs.geometry import PRECISION, prepared_geometries
from geo.outputs.rows import REPORT_FIELDS, Field, Rows

CSV_COLUMNS = tuple(f.name for f in REPORT_FIELDS) + ("wkt", "lat", "lon")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_guard(text: str) -> str:
    """``text`` with a leading apostrophe if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(field: Field, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if field.kind == "text":
        return csv_guard(value)
    return repr(value) if isinstance(value, float) else str(value)


def csv_chunks(reports: Any) -> Iterable[str]:
    """The CSV text in pieces of about 64 KiB."""
    rows = Rows(reports, "reports")
    fields = rows.fields
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(tuple(f.name for f in fields) + ("wkt", "lat", "lon"))
    prepared = prepared_geometries()
    for row in rows:
        geom = prepared(row["geometry"])
        cells = [_cell(f, row[f.name]) for f in fields]
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
    return "".join(csv_chunks(reports))


def write_csv(reports: Any, path: str | os.PathLike) -> Path:
    """Write one CSV row per report, atomically, streaming."""
    return atomic_write_chunks(path, csv_chunks(reports))
