"""Gold files: loading and validating the hand-made answers a build is scored against.

Format::

    {"docs": [{"doc": "001.txt",
               "postures": [{"place": "Gyumri", "feature": "base", "lat": 40.79,
                             "lon": 43.85, "status": "staying", "accept": [],
                             "required": true}]}]}

A ``border`` entry gives ``countries`` (both ISO2 codes) instead of lat/lon, a
``country`` entry gives ``country``; ``accept`` and ``required`` are optional.
:func:`load_gold` raises :class:`~geocore.errors.InputError` on a malformed file.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from geocore.errors import DataFileError, InputError

CODE_FEATURES = frozenset({"border", "country"})


@dataclass(frozen=True)
class GoldEntry:
    """One gold posture of one doc (``index``: its position among that doc's entries)."""

    doc: str
    index: int
    place: str
    feature: str
    country: Optional[str]
    countries: frozenset
    lat: Optional[float]
    lon: Optional[float]
    status: str
    accept: frozenset
    required: bool


def load_json(source: Any, what: str) -> Any:
    """``source`` decoded if it is a path to a JSON file, else ``source`` itself."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise DataFileError(f"{path}: cannot read {what}: {exc}") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: {what} is not valid UTF-8 JSON: {exc}") from exc
    return source


def load_gold(gold: Any) -> dict[str, list[GoldEntry]]:
    """Gold entries per doc, validated; raises InputError on a malformed file."""
    label = str(gold) if isinstance(gold, (str, os.PathLike)) else "gold"
    data = load_json(gold, "gold file")
    if not isinstance(data, dict) or not isinstance(data.get("docs"), list):
        raise InputError(f"{label}: expected an object with a 'docs' list")
    out: dict[str, list[GoldEntry]] = {}
    for d, entry in enumerate(data["docs"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("doc"), str):
            raise InputError(f"{label}: docs[{d}] has no 'doc' file name")
        doc = entry["doc"]
        items = out.setdefault(doc, [])
        for i, g in enumerate(entry.get("postures") or []):
            where = f"{label}: {doc} postures[{i}]"
            if not isinstance(g, dict):
                raise InputError(f"{where}: not an object")
            feature = g.get("feature")
            status = g.get("status")
            if not isinstance(feature, str) or not isinstance(status, str):
                raise InputError(f"{where}: needs 'feature' and 'status' strings")
            countries = g.get("countries")
            if feature == "border" and (not isinstance(countries, list) or len(countries) < 2):
                raise InputError(f"{where}: a border needs 'countries' with both codes")
            if feature == "country" and not isinstance(g.get("country"), str):
                raise InputError(f"{where}: a country entry needs a 'country' code")
            lat, lon = g.get("lat"), g.get("lon")
            if feature not in CODE_FEATURES and not (is_number(lat) and is_number(lon)):
                raise InputError(f"{where}: a {feature} entry needs numeric 'lat' and 'lon'")
            items.append(GoldEntry(
                doc=doc, index=len(items), place=str(g.get("place", "")), feature=feature,
                country=(g.get("country") or "").upper() or None,
                countries=frozenset(str(c).upper() for c in countries or ()),
                lat=float(lat) if is_number(lat) else None, lon=float(lon) if is_number(lon) else None,
                status=status, accept=frozenset(g.get("accept") or ()),
                required=g.get("required", True) is not False,
            ))
    return out


def is_number(v: Any) -> bool:
    """A finite int or float (not a bool)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
