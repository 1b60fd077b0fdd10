"""Movement arrows on the map: each movement as a row of escaped strings, dates and fixed codes."""
from __future__ import annotations

from typing import Iterable

from geocore.records import STATUSES
from geo.outputs.escape import highlight, safe_text, safe_url
from geo.outputs.movements import Movement, check, sort_key
from geo.outputs.map.popups import iso_date


def movement_rows(movements: Iterable[Movement]) -> list[list]:
    """``[[olat, olon, dlat, dlon, status, origin, destination, date, inferred, outlet, force, actor, evidence, url], ...]``.

    Newest first; names, outlet, force and actor are escaped text, the
    evidence escaped HTML with its trigger in ``<mark>``, the URL a checked
    http(s) link or None.
    """
    rows = []
    for m in sorted((check(m) for m in movements), key=sort_key):
        day = iso_date(m.published)
        rows.append([
            round(float(m.origin.lat), 5), round(float(m.origin.lon), 5),
            round(float(m.destination.lat), 5), round(float(m.destination.lon), 5),
            STATUSES.index(m.status), safe_text(m.origin.name, 200), safe_text(m.destination.name, 200), day,
            int(bool(day and m.published_inferred)), safe_text(m.outlet or m.doc, 200), safe_text(m.force, 200),
            safe_text(m.actor, 200), highlight(m.evidence, m.trigger_spans), safe_url(m.url),
        ])
    return rows
