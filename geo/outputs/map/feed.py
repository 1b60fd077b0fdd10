"""The map's report table and report-feed panel: every report once, as escaped strings and fixed codes.

The page keeps one table of all reports, newest first (:func:`report_table`);
popups, the feed, its filters and the per-place history all read it by index,
so no report is written twice. Outlets, forces and actors are interned into
short lists the filters offer as choices.
"""
from __future__ import annotations

from typing import Sequence

from geocore.records import STATUSES, Posture, Report
from geo.outputs.escape import highlight, safe_text, safe_url
from geo.outputs.map.popups import iso_date, report_fields, source_label


def _label(value: object) -> str:
    """A force or actor as one line of text ('' when missing)."""
    return " ".join(value.split()) if isinstance(value, str) else ""


class Vocab:
    """Distinct escaped labels, sorted, each with a fixed index."""

    def __init__(self, values: Sequence[str]):
        self.labels = sorted({safe_text(v, 200) for v in values if v})
        self._index = {label: i for i, label in enumerate(self.labels)}

    def index(self, value: str) -> int:
        """Index of ``value``'s escaped label, -1 when it is empty."""
        return self._index[safe_text(value, 200)] if value else -1


def _newest_first(item: tuple[int, int, Report]) -> tuple:
    fid, k, r = item
    day = iso_date(r.published)
    return (day == "", tuple(-ord(c) for c in day), fid, k)


def report_table(postures: Sequence[Posture], ordered: Sequence[Sequence[Report]]) -> dict:
    """The page's report table and vocabularies.

    Parameters
    ----------
    postures : sequence of Posture
        In feature-id order.
    ordered : sequence of sequence of Report
        Each posture's reports in popup order (newest first).

    Returns
    -------
    dict
        ``rows``: one ``[fid, date, inferred, status index, outlet, force,
        actor, evidence HTML, url, doc, trigger, confidence]`` per report,
        newest first (outlet, force and actor are vocabulary indices, -1 when
        missing); ``by_place``: each posture's row indices in popup order;
        ``outlets``, ``forces``, ``actors``: the escaped labels.
    """
    items = [(fid, k, r) for fid, reports in enumerate(ordered) for k, r in enumerate(reports)]
    outlets = Vocab([source_label(r) for _, _, r in items])
    forces = Vocab([_label(r.force) for _, _, r in items])
    actors = Vocab([_label(r.actor) for _, _, r in items])
    rows: list[list] = []
    by_place: list[list[int]] = [[0] * len(reports) for reports in ordered]
    for fid, k, r in sorted(items, key=_newest_first):
        by_place[fid][k] = len(rows)
        f = report_fields(r)
        rows.append([
            fid, f["date"], f["inferred"], f["status"], outlets.index(source_label(r)),
            forces.index(_label(r.force)), actors.index(_label(r.actor)),
            highlight(r.evidence, r.trigger_spans), safe_url(r.url), f["doc"], f["trigger"], f["confidence"],
        ])
    return {"rows": rows, "by_place": by_place, "outlets": outlets.labels, "forces": forces.labels,
            "actors": actors.labels}


def _options(labels: Sequence[str], everything: str) -> str:
    return f'<option value="">{everything}</option>' + "".join(
        f'<option value="{i}">{label}</option>' for i, label in enumerate(labels)
    )


def feed_html(table: dict) -> str:
    """Markup of the feed panel and its filters (fixed text plus escaped labels)."""
    statuses = "".join(
        f'<label class="gm-chipbox"><input type="checkbox" class="gm-f-status" value="{s}" checked> '
        f'<span class="gm-s gm-s-{s}">{s.capitalize()}</span></label>'
        for s in STATUSES
    )
    selects = "".join(
        f'<select id="gm-f-{key}" aria-label="Filter by {key}">{_options(table[key + "s"], "All " + key + "s")}</select>'
        for key in ("force", "actor", "outlet")
    )
    return (
        '<div id="gm-feed" class="gm-feed" role="region" aria-label="Reports">'
        '<div class="gm-feed-head"><b>Reports</b> <span id="gm-feed-count"></span>'
        '<a href="#" id="gm-feed-close" role="button" aria-label="Hide the report list" title="Hide">&times;</a></div>'
        f'<div class="gm-feed-filters"><div>{statuses}</div><div>{selects}</div>'
        '<input id="gm-f-text" type="search" placeholder="Filter reports by text&hellip;" '
        'aria-label="Filter reports by text" autocomplete="off">'
        '<div id="gm-f-place" class="gm-hidden">Place: <b id="gm-f-place-name"></b> '
        '<a href="#" id="gm-f-place-clear" role="button">show all places</a></div></div>'
        '<ol id="gm-feed-list" class="gm-feed-list"></ol>'
        '<button type="button" id="gm-feed-more" class="gm-hidden">Show more reports</button></div>'
        '<div id="gm-feed-open-box"><a href="#" id="gm-feed-open" role="button" title="Show the report list">'
        "&#9776; Reports</a></div>"
    )
