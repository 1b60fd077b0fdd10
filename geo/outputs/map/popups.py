"""Popup content of a place: its reports newest first, as escaped strings and fixed codes.

Every string from an article goes through :mod:`geo.outputs.escape` here; the page's
fixed JavaScript only assembles these rows.
"""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from geocore.errors import InputError
from geocore.records import STATUSES, Posture, Report
from geo.outputs.escape import highlight, safe_text, safe_url


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
    "" (shown from the start); the latest entry carries the posture's own
    status and conflict flag so the map agrees with the posture stage.
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
        # Highest confidence wins within a day; ties go to the status listed
        # first in STATUSES, so the choice never depends on report order.
        best = min(reports, key=lambda r: (-finite_or_zero(r.confidence), STATUSES.index(r.status)))
        hist.append([day, STATUSES.index(best.status), int(len({r.status for r in reports}) > 1)])
    hist[-1][1] = STATUSES.index(p.status)
    hist[-1][2] = int(bool(p.conflict))
    return hist


def finite_or_zero(x: Any) -> float:
    return float(x) if isinstance(x, (int, float)) and math.isfinite(x) else 0.0


def source_label(r: Report) -> str:
    return r.outlet.strip() if isinstance(r.outlet, str) and r.outlet.strip() else str(r.doc)


def report_row(r: Report) -> list:
    """One report as a compact row of escaped strings, dates and fixed codes.

    ``[source, date, inferred, status index, evidence HTML, url, doc, trigger,
    confidence]``; ``doc`` is null when it is also the source label. The page's
    fixed JavaScript assembles the popup from these rows; every string in them
    is already inert (:func:`safe_text`, :func:`highlight`, :func:`safe_url`).
    """
    source = source_label(r)
    day = iso_date(r.published)
    conf = round(float(r.confidence), 2) if isinstance(r.confidence, (int, float)) and math.isfinite(r.confidence) else None
    return [
        safe_text(source, 200),
        day,
        int(bool(day and r.published_inferred)),
        STATUSES.index(r.status),
        highlight(r.evidence, r.trigger_spans),
        safe_url(r.url),
        None if source == str(r.doc) else safe_text(r.doc, 200),
        safe_text(r.trigger, 200) if r.trigger else None,
        conf,
    ]


def popup_data(p: Posture) -> dict:
    """Escaped name, description and report rows (newest first) of one place."""
    meta = [safe_text(p.feature_type, 100)]
    if p.country:
        meta.append(safe_text(p.country, 100))
    if p.force:
        meta.append("force: " + safe_text(p.force, 200))
    if p.actor:
        meta.append("actor: " + safe_text(p.actor, 200))
    reports = sorted_reports(p)
    data = {"n": safe_text(p.name, 300), "m": " \u00b7 ".join(meta), "r": [report_row(r) for r in reports[:MAX_POPUP_REPORTS]]}
    if len(reports) > MAX_POPUP_REPORTS:
        data["k"] = len(reports) - MAX_POPUP_REPORTS
    return data
