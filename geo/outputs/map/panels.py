"""Markup of the map's fixed panels: legend with time control, search, tools, mouse position, about.

Fixed text plus escaped text only.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional, Sequence

from geocore.records import STATUSES, Posture
from geo.outputs.escape import safe_text
from geo.outputs.legend import STATUS_COLOURS, STATUS_DEFINITIONS, STATUS_SHAPES
from geo.outputs.map.popups import source_label


#: Most sources listed in the about panel.
MAX_SOURCES = 200


STATUS_LABELS = {s: s.capitalize() for s in STATUSES}


_HEX = re.compile(r"#[0-9a-fA-F]{6}")


# Fixed inline icons: no icon font or image file to ship.
_ICON_FULLSCREEN = (
    '<svg viewBox="0 0 16 16" fill="none" stroke="#333" stroke-width="2">'
    '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/></svg>'
)


_ICON_MEASURE = (
    '<svg viewBox="0 0 16 16" fill="none" stroke="#333" stroke-width="1.5">'
    '<path d="M1 11L11 1l4 4L5 15z M4 8l2 2 M6.5 5.5l1.5 1.5 M9 3l2 2"/></svg>'
)


_HOW_DECIDED = (
    "Each article sentence that names a place and a force is read for trigger words. "
    "<b>Withdrawn</b> needs a completed departure (left, pulled out, completed withdrawal); "
    "<b>withdrawing</b> covers announced, agreed, planned or ongoing withdrawals; "
    "<b>staying</b> covers deployments that remain, are extended or reinforced. "
    "A place takes the status of its most recently published report; when reports of that "
    "same date disagree the place is flagged as a conflict (dashed outline). "
    "Dates marked (inferred) were read from the article text, not its metadata."
)


# Slider, histogram, step and play controls; timeline.js shows them when there are dates.
_TIMELINE = (
    '<div id="gm-timeline" class="gm-timeline gm-hidden">'
    '<canvas id="gm-hist" width="300" height="34" aria-hidden="true"></canvas>'
    '<input type="range" id="gm-slider" min="0" max="0" value="0" step="1" aria-label="Date shown">'
    '<div class="gm-steps"><button type="button" id="gm-prev" aria-label="Previous report date">&#9664;&#9664;</button>'
    '<button type="button" id="gm-play" aria-label="Play">&#9654;</button>'
    '<button type="button" id="gm-next" aria-label="Next report date">&#9654;&#9654;</button> '
    '<span id="gm-changed" class="gm-meta"></span></div></div>'
)


def panels_html(
    *, title: str, postures: Sequence[Posture], counts: Counter, dates: list[str], initial: Optional[str],
    tiles_host: str,
) -> str:
    """Markup of the legend, search, tools, mouse and about panels (fixed text + escaped text)."""
    rows = []
    for s in STATUSES:
        colour = STATUS_COLOURS[s] if _HEX.fullmatch(STATUS_COLOURS[s]) else "#888888"
        shape = STATUS_SHAPES.get(s, "circle")
        rows.append(
            f'<tr><td><span class="gm-sw gm-sw-{shape}" style="background:{colour}"></span></td>'
            f'<td><b>{STATUS_LABELS[s]}</b> (<span id="gm-count-{s}">{counts[s]}</span>)'
            f'<div class="gm-def">{safe_text(STATUS_DEFINITIONS.get(s, ""), 300)}</div></td></tr>'
        )
    if dates:
        options = "".join(
            f'<option value="{d}"{" selected" if d == initial else ""}>{d}</option>' for d in dates
        )
    else:
        options = '<option value="" selected>undated reports</option>'
    legend = (
        f'<div id="gm-legend" class="gm-legend"><div class="gm-title">{safe_text(title, 200)}</div>'
        f'<div>As of <b id="gm-asof">{initial or "undated"}</b></div>'
        f'<table>{"".join(rows)}</table>'
        '<div class="gm-note">Markers: bases, cities, sites. Lines: borders and corridors. '
        "Areas: regions. Dashed outline: same-day reports disagree.</div>"
        '<div class="gm-time"><label for="gm-date">Show posture on </label>'
        f'<select id="gm-date">{options}</select></div>{_TIMELINE}</div>'
    )
    search = (
        '<div id="gm-search"><input id="gm-search-input" type="search" placeholder="Search place&hellip;" '
        'aria-label="Search place by name" autocomplete="off"><ul id="gm-search-results"></ul></div>'
    )
    tools = (
        '<div id="gm-tools"><a href="#" id="gm-fullscreen" title="Full screen" role="button" aria-label="Full screen">'
        f"{_ICON_FULLSCREEN}</a>"
        '<a href="#" id="gm-measure" title="Measure distance: click points on the map; click here again to stop" '
        f'role="button" aria-label="Measure distance">{_ICON_MEASURE}</a></div>'
        '<div id="gm-measure-box">Distance: <span id="gm-measure-out" class="gm-measure-out"></span></div>'
    )
    mouse = '<div id="gm-mouse">lat, lon</div>'

    sources = Counter(source_label(r) for p in postures for r in p.reports)
    listed = sorted(sources.items(), key=lambda kv: kv[0])
    source_items = "".join(
        f"<li>{safe_text(name, 200)} ({n})</li>" for name, n in listed[:MAX_SOURCES]
    )
    if len(listed) > MAX_SOURCES:
        source_items += f"<li>&hellip; and {len(listed) - MAX_SOURCES} more</li>"
    n_reports = sum(len(p.reports) for p in postures)
    conflicts = sum(1 for p in postures if p.conflict)
    count_items = "".join(f"<li>{STATUS_LABELS[s]}: {counts[s]}</li>" for s in STATUSES)
    if tiles_host:
        privacy = (
            f"Online background tiles are loaded from {safe_text(tiles_host, 200)}: every pan and zoom "
            "sends the area being viewed to that host, revealing the area of interest."
        )
    else:
        privacy = (
            "No online tiles: this file loads nothing from the network; scripts, styles and "
            "country outlines are embedded."
        )
    about = (
        '<div id="gm-about-box"><a href="#" id="gm-about-toggle" role="button">About this map</a>'
        '<div id="gm-about" class="gm-about gm-hidden">'
        f"<h4>Counts</h4><ul>{count_items}<li>Places: {len(postures)}</li><li>Reports: {n_reports}</li>"
        f"<li>Places with conflicting reports: {conflicts}</li></ul>"
        f"<h4>How statuses are decided</h4><div>{_HOW_DECIDED}</div>"
        f"<h4>Sources</h4><ul>{source_items or '<li>none</li>'}</ul>"
        f"<h4>Network</h4><div>{privacy}</div></div></div>"
    )
    return legend + search + tools + mouse + about
