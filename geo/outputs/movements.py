"""Movements: a force going from one place (origin) to another (destination).

The frame extractor gives places the roles ``origin`` and ``destination``,
but reports do not pair them yet; until they do, callers build
:class:`Movement` records themselves (or with :func:`pair`, from the two
reports one sentence made) and pass them to the map and to
:func:`write_movements`. The GeoJSON is a FeatureCollection of straight
LineString features, origin first, each with ``kind: "movement"``; the map
draws them curved.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Optional

from geocore.errors import InputError
from geocore.records import STATUSES, Report
from geo.outputs.atomic import atomic_write_chunks

#: Decimal places of movement coordinates (as the other GeoJSON outputs).
DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Movement:
    """What one article says about a force moving from ``origin`` to ``destination``."""

    origin_id: str
    origin: str
    origin_lat: float
    origin_lon: float
    destination_id: str
    destination: str
    destination_lat: float
    destination_lon: float
    status: str
    force: str
    actor: Optional[str]
    doc: str
    evidence: str
    trigger: str
    confidence: float
    outlet: Optional[str] = None
    published: Optional[date] = None
    published_inferred: bool = False
    url: Optional[str] = None
    trigger_spans: tuple[tuple[int, int], ...] = ()


def pair(origin: Report, destination: Report) -> Movement:
    """The movement of two reports from one sentence: the place left and the place reached.

    The status is the origin report's (what happens where the force leaves).

    Raises
    ------
    InputError
        If the reports come from different documents or sentences.
    """
    if origin.doc != destination.doc or origin.evidence != destination.evidence:
        raise InputError(f"a movement pairs two reports of one sentence, not {origin.doc!r} and {destination.doc!r}")
    return Movement(
        origin_id=origin.place_id, origin=origin.name, origin_lat=origin.lat, origin_lon=origin.lon,
        destination_id=destination.place_id, destination=destination.name, destination_lat=destination.lat,
        destination_lon=destination.lon, status=origin.status, force=origin.force, actor=origin.actor,
        doc=origin.doc, evidence=origin.evidence, trigger=origin.trigger, confidence=origin.confidence,
        outlet=origin.outlet, published=origin.published, published_inferred=origin.published_inferred,
        url=origin.url, trigger_spans=origin.trigger_spans,
    )


def check(m: Movement) -> Movement:
    """``m`` if its status and coordinates are usable, else InputError naming it."""
    if m.status not in STATUSES:
        raise InputError(f"movement {m.origin_id!r} -> {m.destination_id!r}: unknown status {m.status!r}")
    for lat, lon in ((m.origin_lat, m.origin_lon), (m.destination_lat, m.destination_lon)):
        if not all(isinstance(v, (int, float)) for v in (lat, lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"movement {m.origin_id!r} -> {m.destination_id!r}: invalid coordinates {lat!r}, {lon!r}")
    return m


def sort_key(m: Movement) -> tuple:
    """Newest first, undated last, then fixed fields: the order of the map and the file."""
    day = m.published.isoformat() if m.published else ""
    return (day == "", tuple(-ord(c) for c in day), m.origin_id, m.destination_id, m.doc, m.status, m.evidence)


def movement_feature(m: Movement) -> dict:
    """One movement as a GeoJSON LineString feature with ``kind: "movement"`` (plain data, not escaped)."""
    check(m)
    return {
        "type": "Feature",
        "properties": {
            "kind": "movement", "origin_id": m.origin_id, "origin": m.origin, "destination_id": m.destination_id,
            "destination": m.destination, "status": m.status, "force": m.force, "actor": m.actor, "doc": m.doc,
            "outlet": m.outlet, "published": m.published.isoformat() if m.published else None,
            "published_inferred": bool(m.published_inferred), "url": m.url, "evidence": m.evidence,
            "trigger": m.trigger, "confidence": float(m.confidence),
        },
        "geometry": {"type": "LineString", "coordinates": [
            [round(float(m.origin_lon), DECIMALS), round(float(m.origin_lat), DECIMALS)],
            [round(float(m.destination_lon), DECIMALS), round(float(m.destination_lat), DECIMALS)],
        ]},
    }


def movements_chunks(movements: Iterable[Movement]) -> Iterable[str]:
    """The FeatureCollection text in pieces, one feature a line, newest first."""
    from geo.outputs.geojson import _dumps

    yield '{"type":"FeatureCollection","features":[\n'
    ordered = sorted(movements, key=sort_key)
    for i, m in enumerate(ordered):
        yield ("" if i == 0 else ",\n") + _dumps(movement_feature(m))
    yield ("\n" if ordered else "") + "]}\n"


def write_movements(movements: Iterable[Movement], path: str | os.PathLike) -> Path:
    """Write movements as RFC 7946 GeoJSON (``movements.geojson``), atomically."""
    return atomic_write_chunks(path, movements_chunks(list(movements)))


def movements_text(movements: Iterable[Any]) -> str:
    """The movements GeoJSON as one string."""
    return "".join(movements_chunks(movements))
