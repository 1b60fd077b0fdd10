"""Gold files: loading and validating the hand-made answers a build is scored against.

Format::

    {"docs": [{"doc": "001.txt",
               "postures": [{"place": "Gyumri", "feature": "base", "lat": 40.79,
                             "lon": 43.85, "status": "staying", "accept": [],
                             "required": true}]}]}

A ``border`` entry gives ``countries`` (both ISO2 codes) instead of lat/lon, a
``country`` entry gives ``country``; ``accept`` and ``required`` are optional.
:func:`load_gold` checks the file against this schema (each field's type,
statuses, two-letter codes, coordinate ranges, one entry per doc) and raises
:class:`~geocore.errors.InputError` with one line naming the field. Other keys
(``note``, ``evidence``, ``force``) are free annotations.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from geocore.errors import DataFileError, InputError
from geocore.records import STATUSES

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
        except RecursionError:
            raise InputError(f"{path}: {what} is nested too deeply to be a {what}") from None
    return source


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true/false"
    return {int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}.get(type(v), "a value")


def _code(v: Any) -> bool:
    return isinstance(v, str) and len(v) == 2 and v.isascii() and v.isalpha()


def _check_posture(g: Any, where: str) -> None:
    """Raise InputError naming the first field of gold posture ``g`` that breaks the schema."""
    if not isinstance(g, dict):
        raise InputError(f"{where}: expected an object, got {_kind(g)}")
    feature, status = g.get("feature"), g.get("status")
    if not isinstance(feature, str) or not feature:
        raise InputError(f"{where}.feature: expected text such as 'base' or 'border', got {_kind(feature)}")
    if status not in STATUSES:
        raise InputError(f"{where}.status: expected one of {', '.join(STATUSES)}, got {status!r}"[:300])
    if "place" in g and not isinstance(g["place"], str):
        raise InputError(f"{where}.place: expected text, got {_kind(g['place'])}")
    accept = g.get("accept", [])
    if accept is not None and (not isinstance(accept, list) or not all(a in STATUSES for a in accept)):
        raise InputError(f"{where}.accept: expected a list of statuses ({', '.join(STATUSES)}), got "
                         f"{_kind(accept) if not isinstance(accept, list) else 'other values'}")
    if "required" in g and not isinstance(g["required"], bool):
        raise InputError(f"{where}.required: expected true or false, got {_kind(g['required'])}")
    if g.get("country") is not None and not _code(g["country"]):
        raise InputError(f"{where}.country: expected a two-letter ISO code, got {_kind(g['country'])}")
    countries = g.get("countries")
    if countries is not None and (not isinstance(countries, list) or not all(_code(c) for c in countries)):
        raise InputError(f"{where}.countries: expected a list of two-letter ISO codes")
    if feature == "border" and (not isinstance(countries, list) or len(countries) < 2):
        raise InputError(f"{where}.countries: a border needs both countries' codes")
    if feature == "country" and not _code(g.get("country")):
        raise InputError(f"{where}.country: a country entry needs a two-letter 'country' code")
    for name, bound in (("lat", 90), ("lon", 180)):
        v = g.get(name)
        if v is None and feature in CODE_FEATURES:
            continue
        if not is_number(v) or abs(v) > bound:
            raise InputError(f"{where}.{name}: expected a number from -{bound} to {bound}, got "
                             f"{_kind(v) if not is_number(v) else v}")


def load_gold(gold: Any) -> dict[str, list[GoldEntry]]:
    """Gold entries per doc, checked against the schema; raises InputError naming the bad field."""
    label = str(gold) if isinstance(gold, (str, os.PathLike)) else "gold"
    data = load_json(gold, "gold file")
    if not isinstance(data, dict) or not isinstance(data.get("docs"), list):
        raise InputError(f"{label}: expected an object with a 'docs' list")
    out: dict[str, list[GoldEntry]] = {}
    for d, entry in enumerate(data["docs"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("doc"), str) or not entry["doc"]:
            raise InputError(f"{label}: docs[{d}].doc: expected the article's file name")
        doc = entry["doc"]
        if doc in out:
            raise InputError(f"{label}: docs[{d}].doc: {doc!r} is listed twice; merge its postures into one entry"[:300])
        postures = entry.get("postures") or []
        if not isinstance(postures, list):
            raise InputError(f"{label}: docs[{d}].postures: expected a list, got {_kind(postures)}")
        items = out.setdefault(doc, [])
        for i, g in enumerate(postures):
            _check_posture(g, f"{label}: docs[{d}].postures[{i}]")
            lat, lon, countries = g.get("lat"), g.get("lon"), g.get("countries")
            items.append(GoldEntry(
                doc=doc, index=len(items), place=str(g.get("place", "")), feature=g["feature"],
                country=(g.get("country") or "").upper() or None,
                countries=frozenset(str(c).upper() for c in countries or ()),
                lat=float(lat) if is_number(lat) else None, lon=float(lon) if is_number(lon) else None,
                status=g["status"], accept=frozenset(g.get("accept") or ()),
                required=g.get("required", True) is not False,
            ))
    return out


def is_number(v: Any) -> bool:
    """A finite int or float (not a bool)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
