"""Popup content of a place: name, description, day-by-day history and report fields, escaped or fixed codes.

Every string from an article goes through :mod:`geo.outputs.escape` here; the page's
fixed JavaScript only assembles these rows.
"""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from geocore.errors import InputError
from geocore.records import STATUSES, Posture, Report
from geo.outputs.escape import safe_text


#: Most reports listed in one popup (newest first); the rest are counted.
MAX_POPUP_REPORTS = 20


def iso_date(d: Any) -> str:
    """``YYYY-MM-DD`` for a date or datetime; "" when unknown."""
    if isinstance(d, datetime):
        return d.date().isoformat()
    if isinstance(d, date):
        return d.isoformat()
    return ""


def check_status(status: Any, where: str) -> str:
    if status not in STATUSES:
        raise InputError(f"{where}: unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    return status


def sorted_reports(p: Posture) -> list[Report]:
    """Reports newest first, undated last, ties broken by fixed fields."""
    return sorted(
        p.reports,
        key=lambda r: (
            iso_date(r.published) == "",
            tuple(-ord(c) for c in iso_date(r.published)),
            str(r.doc),
            str(r.status),
            str(r.evidence),
        ),
    )


def history(p: Posture) -> list[list]:
    """Compact ``[[date, status index, conflict], ...]`` oldest first.

    Only dates and the fixed status vocabulary go here. Undated reports use
    "" (shown from the start). Each day's status is the one
    :func:`geo.postures.consolidate.consolidate` would give on that day: the
    most confident report of the day, then the greater doc name, then the
    first in the posture's own order; conflict when the day's reports
    disagree. The latest entry carries the posture's own status and conflict
    flag, so the map agrees with the posture stage.
    """
    by_day: dict[str, list[Report]] = {}
    for r in p.reports:
        check_status(r.status, f"posture {p.place_id!r}, report from {r.doc!r}")
        by_day.setdefault(iso_date(r.published), []).append(r)
    if not by_day:
        return [["", STATUSES.index(p.status), int(bool(p.conflict))]]
    hist = []
    for day in sorted(by_day):
        reports = by_day[day]
        best = max(reports, key=lambda r: (finite_or_zero(r.confidence), str(r.doc)))
        hist.append([day, STATUSES.index(best.status), int(len({r.status for r in reports}) > 1)])
    hist[-1][1] = STATUSES.index(p.status)
    hist[-1][2] = int(bool(p.conflict))
    return hist


def finite_or_zero(x: Any) -> float:
    return float(x) if isinstance(x, (int, float)) and math.isfinite(x) else 0.0


def source_label(r: Report) -> str:
    return r.outlet.strip() if isinstance(r.outlet, str) and r.outlet.strip() else str(r.doc)


def report_fields(r: Report) -> dict:
    """The fixed-code and escaped fields of one report the page shows.

    ``date`` (ISO or ""), ``inferred`` (0/1), ``status`` (index), ``doc``
    (escaped, None when it is also the source label), ``trigger`` (escaped or
    None), ``confidence`` (rounded or None).
    """
    source = source_label(r)
    day = iso_date(r.published)
    conf = r.confidence
    return {
        "date": day,
        "inferred": int(bool(day and r.published_inferred)),
        "status": STATUSES.index(check_status(r.status, f"report from {r.doc!r}")),
        "doc": None if source == str(r.doc) else safe_text(r.doc, 200),
        "trigger": safe_text(r.trigger, 200) if r.trigger else None,
        "confidence": round(float(conf), 2) if isinstance(conf, (int, float)) and math.isfinite(conf) else None,
    }


def popup_data(p: Posture) -> dict:
    """Escaped name and description of one place (its reports are rows of the page's report table)."""
    meta = [safe_text(p.feature_type, 100)]
    if p.country:
        meta.append(safe_text(p.country, 100))
    if p.force:
        meta.append("force: " + safe_text(p.force, 200))
    if p.actor:
        meta.append("actor: " + safe_text(p.actor, 200))
    return {"n": safe_text(p.name, 300), "m": " \u00b7 ".join(meta)}
