"""GeoPackage of postures and reports: two layers in EPSG:4326, written by GDAL in batches.

Field types follow each field's kind: Date, Boolean, Integer, Real, String.
Each layer has the generic geometry type, so points, lines and polygons share
it. GDAL's timestamps come from ``SOURCE_DATE_EPOCH``, else a fixed date, so
the same input gives the same file.
"""
from __future__ import annotations

import math
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import shapely

from geocore.errors import DataFileError, InputError
from geo.outputs.atomic import atomic_path
from geo.outputs.geometry import prepared_geometries
from geo.outputs.rows import CRS, Field, Rows

# Used for GeoPackage timestamps when SOURCE_DATE_EPOCH is not set, so two
# builds of the same input give the same file.
FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"
GPKG_BATCH = 2000  # features per GDAL write: bounded memory (country polygons are large), few transactions


def gdal_timestamp() -> str:
    """The timestamp GDAL stamps into a GeoPackage: SOURCE_DATE_EPOCH or a fixed one."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return FIXED_TIMESTAMP
    try:
        moment = datetime.fromtimestamp(int(raw.strip()), tz=timezone.utc)
    except (ValueError, OverflowError, OSError) as exc:
        raise InputError(f"SOURCE_DATE_EPOCH={raw!r} is not a Unix time in seconds") from exc
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _field_array(field: Field, values: list) -> np.ndarray:
    if field.kind == "date":
        # datetime64[D] is what makes GDAL create a Date (not DateTime) field.
        return np.array([np.datetime64(v) if v else np.datetime64("NaT") for v in values], dtype="datetime64[D]")
    if field.kind == "int":
        return np.array(values, dtype="int32")
    if field.kind == "bool":
        return np.array(values, dtype=bool)
    if field.kind == "float":
        return np.array([math.nan if v is None else v for v in values], dtype="float64")
    return np.array(values, dtype=object)


def _field_arrays(rows: Sequence[Mapping[str, Any]], fields: Sequence[Field]) -> list[np.ndarray]:
    return [_field_array(f, [row[f.name] for row in rows]) for f in fields]


def _batches(rows: Iterable[Any], size: int) -> Iterable[list]:
    """Lists of up to ``size`` rows; at least one list, so an empty layer is still created."""
    batch: list = []
    sent = False
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch, sent = [], True
    if batch or not sent:
        yield batch


def write_gpkg(postures: Any, reports: Any, path: str | os.PathLike) -> Path:
    """Write a GeoPackage with layers ``postures`` and ``reports``, atomically.

    Features are written in batches of :data:`GPKG_BATCH`.
    """
    import pyogrio
    from pyogrio.raw import write as raw_write

    layers = [("postures", Rows(postures, "postures")), ("reports", Rows(reports, "reports"))]
    target = Path(path)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": gdal_timestamp()})
    try:
        with atomic_path(target) as tmp:
            written = 0
            for layer, rows in layers:
                names = [f.name for f in rows.fields]
                prepared = prepared_geometries()
                for batch in _batches(rows, GPKG_BATCH):
                    geoms = np.array([prepared(row["geometry"]) for row in batch], dtype=object)
                    raw_write(str(tmp), shapely.to_wkb(geoms), _field_arrays(batch, rows.fields), names, layer=layer,
                              driver="GPKG", geometry_type="Unknown", crs=CRS, encoding="UTF-8", append=written > 0)
                    written += 1
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataFileError(f"{target}: cannot write GeoPackage: {exc}") from exc
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return target
