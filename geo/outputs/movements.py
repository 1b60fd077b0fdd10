"""Movements: a force going from one place (origin) to another (destination).

The frame extractor gives each report its place's role in the frame
(``Report.role``); :func:`movements_of` pairs, within one sentence, every
place a force leaves with every place it goes to. The GeoJSON is a
FeatureCollection of straight LineString features, origin first, each with
``kind: "movement"``; the map draws them curved.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from geocore.errors import InputError
from geocore.records import STATUSES, Report
from geo.outputs.atomic import atomic_write_chunks

#: Decimal places of movement coordinates (as the other GeoJSON outputs).
DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Movement:
    """What one sentence says about a force moving from one report's place to another's.

    The force, the source and the status are the origin report's (what
    happens where the force leaves); both reports quote the same sentence.
    """

    origin: Report
    destination: Report

    def __getattr__(self, name: str) -> Any:
        if name in _SHARED:
            return getattr(self.origin, name)
        raise AttributeError(f"'Movement' object has no attribute {name!r}")


#: What a movement reads from its origin report.
_SHARED = frozenset({"status", "force", "actor", "doc", "evidence", "trigger", "trigger_spans", "confidence",
                     "outlet", "published", "published_inferred", "url"})


def pair(origin: Report, destination: Report) -> Movement:
    """The movement of two reports from one sentence: the place left and the place reached.

    Raises
    ------
    InputError
        If the reports come from different documents or sentences.
    """
    if origin.doc != destination.doc or origin.evidence != destination.evidence:
        raise InputError(f"a movement pairs two reports of one sentence, not {origin.doc!r} and {destination.doc!r}")
    return Movement(origin, destination)


def movements_of(reports: Iterable[Report]) -> list[Movement]:
    """Every (origin, destination) pair of reports that share a sentence, a trigger and a force.

    Reports without a role (read from older outputs) pair with nothing.
    """
    groups: dict[tuple, tuple[list[Report], list[Report]]] = {}
    for r in reports:
        if r.role in ("origin", "destination"):
            ends = groups.setdefault((r.doc, r.evidence, r.trigger, r.force), ([], []))
            ends[r.role == "destination"].append(r)
    out = [Movement(o, d) for origins, destinations in groups.values() for o in origins for d in destinations
           if o.place_id != d.place_id]
    return sorted(out, key=sort_key)


def check(m: Movement) -> Movement:
    """``m`` if its status and coordinates are usable, else InputError naming it."""
    o, d = m.origin, m.destination
    if o.status not in STATUSES:
        raise InputError(f"movement {o.place_id!r} -> {d.place_id!r}: unknown status {o.status!r}")
    for lat, lon in ((o.lat, o.lon), (d.lat, d.lon)):
        if not all(isinstance(v, (int, float)) for v in (lat, lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"movement {o.place_id!r} -> {d.place_id!r}: invalid coordinates {lat!r}, {lon!r}")
    return m


def sort_key(m: Movement) -> tuple:
    """Newest first, undated last, then fixed fields: the order of the map and the file."""
    day = m.published.isoformat() if m.published else ""
    return (day == "", tuple(-ord(c) for c in day), m.origin.place_id, m.destination.place_id, m.doc, m.status,
            m.evidence)


def movement_feature(m: Movement) -> dict:
    """One movement as a GeoJSON LineString feature with ``kind: "movement"`` (plain data, not escaped)."""
    check(m)
    return {
        "type": "Feature",
        "properties": {
            "kind": "movement", "origin_id": m.origin.place_id, "origin": m.origin.name,
            "destination_id": m.destination.place_id, "destination": m.destination.name, "status": m.status,
            "force": m.force, "actor": m.actor, "doc": m.doc,
            "outlet": m.outlet, "published": m.published.isoformat() if m.published else None,
            "published_inferred": bool(m.published_inferred), "url": m.url, "evidence": m.evidence,
            "trigger": m.trigger, "confidence": float(m.confidence),
        },
        "geometry": {"type": "LineString", "coordinates": [
            [round(float(m.origin.lon), DECIMALS), round(float(m.origin.lat), DECIMALS)],
            [round(float(m.destination.lon), DECIMALS), round(float(m.destination.lat), DECIMALS)],
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
