"""Merge the reports of all articles into one posture per place.

Rules
-----
* Every report is kept (``Posture.reports``, newest first) for the popups.
* A place's status comes from its latest-published report; reports without a
  date count as older than any dated one.
* When reports of that latest date disagree on the status the posture is
  flagged ``conflict=True`` and the most confident of them sets the status.
* Order is deterministic: postures sorted by ``place_id``.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterable

from geocore.records import Posture, Report

_NO_DATE = date.min


def _key(r: Report):
    return (r.published or _NO_DATE, r.confidence, r.doc)


def consolidate(reports: Iterable[Report]) -> list[Posture]:
    """One :class:`Posture` per place from every article's reports.

    Examples
    --------
    >>> from geocore.records import Report
    >>> from datetime import date
    >>> r = lambda s, d: Report("site:x", "X", "base", "AM", 40.0, 44.0, s, "troops", None,
    ...                         f"{d}.txt", "e", "t", 0.8, published=date(2024, 5, d))
    >>> [p.status for p in consolidate([r("staying", 1), r("withdrawn", 9)])]
    ['withdrawn']
    """
    by_place: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        by_place[r.place_id].append(r)
    out = []
    for pid in sorted(by_place):
        history = sorted(by_place[pid], key=_key, reverse=True)
        latest_date = history[0].published
        latest = [r for r in history if r.published == latest_date]
        conflict = len({r.status for r in latest}) > 1
        lead = latest[0]
        dates = sorted(r.published for r in history if r.published is not None)
        sources = sorted({r.outlet or r.doc for r in history})
        out.append(Posture(
            place_id=pid, name=lead.name, feature_type=lead.feature_type, country=lead.country,
            lat=lead.lat, lon=lead.lon, status=lead.status, force=lead.force, actor=lead.actor,
            first_reported=dates[0] if dates else None, last_reported=dates[-1] if dates else None,
            n_reports=len(history), sources="; ".join(sources), evidence=lead.evidence,
            conflict=conflict, reports=tuple(history), geometry=lead.geometry, force_type=lead.force_type,
        ))
    return out
