"""Posture fixtures for the map tests, built in code, hostile strings included."""
from __future__ import annotations

from datetime import date

import geopandas as gpd
from shapely.geometry import LineString, box

from geocore.records import Posture, Report

# Every payload an article could carry to attack the page.
HOSTILE = (
    "{{7*7}} {% if 1 %}X{% endif %} "
    '<img src=x onerror="window.pwned=1"> '
    "</script><script>window.pwned=1</script> "
    "${window.pwned=1} `tick` \u202eRTL"
)
HOSTILE_URL = "javascript:window.pwned=1"


def report(status, day, evidence, *, spans=(), url=None, doc="a.txt", outlet="Outlet A", inferred=False,
           force="troops", actor="Russia", confidence=0.8, trigger="stay"):
    """A Report with the fields the map reads; place fields are not used by it."""
    return Report(
        place_id="unused", name="unused", feature_type="base", country="XA", lat=0.0, lon=0.0,
        status=status, force=force, actor=actor, doc=doc, evidence=evidence, trigger=trigger,
        confidence=confidence, outlet=outlet, published=day, published_inferred=inferred, url=url,
        trigger_spans=tuple(spans),
    )


def posture(place_id, name, status, reports, *, lat=1.0, lon=1.0, geometry=None, feature_type="base",
            conflict=False, force="troops", actor="Russia"):
    """A Posture whose summary fields agree with its reports."""
    days = [r.published for r in reports if r.published]
    return Posture(
        place_id=place_id, name=name, feature_type=feature_type, country="XA", lat=lat, lon=lon,
        status=status, force=force, actor=actor,
        first_reported=min(days) if days else None, last_reported=max(days) if days else None,
        n_reports=len(reports), sources="; ".join(sorted({r.doc for r in reports})),
        evidence=reports[0].evidence if reports else "", conflict=conflict,
        reports=tuple(reports), geometry=geometry, force_type=force,
    )


def hostile_postures() -> list[Posture]:
    """Base point staying, border line withdrawing, region withdrawn, conflict town.

    Dates: the base is reported on 2024-01-10, the line on 2024-01-10 (staying)
    and 2024-02-01 (withdrawing), the region on 2024-03-01 (inferred), the town
    twice on 2024-02-01 with opposite statuses. So on 2024-01-10 only two
    places exist, both staying.
    """
    ev = "Troops will remain at the base. " + HOSTILE
    base = posture(
        "base-1", "Alpha Base " + HOSTILE, "staying",
        [report("staying", date(2024, 1, 10), ev, spans=[(7, 11), (12, 18)], url=HOSTILE_URL, outlet="Outlet " + HOSTILE)],
        lat=10.0, lon=10.0,
    )
    line = posture(
        "border-1", "Beta Border", "withdrawing",
        [
            report("withdrawing", date(2024, 2, 1), "Border guards began to withdraw.", spans=[(24, 32)],
                   url="https://news.example/b?x=1&y=2", force="border guards", doc="b.txt", outlet=None),
            report("staying", date(2024, 1, 10), "Border guards stay.", force="border guards", doc="c.txt"),
        ],
        geometry=LineString([(11.0, 10.0), (12.0, 11.0)]), feature_type="border", force="border guards",
    )
    region = posture(
        "region-1", "Gamma Region", "withdrawn",
        [report("withdrawn", date(2024, 3, 1), "All units have left the region.", inferred=True, doc="d.txt",
                outlet="Outlet D")],
        geometry=box(12.5, 8.0, 13.5, 9.0), feature_type="region", actor=HOSTILE,
    )
    town = posture(
        "town-1", "Delta Town", "staying",
        [
            report("staying", date(2024, 2, 1), "The garrison stays in town.", doc="e.txt"),
            report("withdrawing", date(2024, 2, 1), "The garrison is withdrawing from town.", doc="f.txt", force=HOSTILE),
        ],
        lat=9.0, lon=11.0, conflict=True, force=HOSTILE,
    )
    return [base, line, region, town]


def two_countries() -> gpd.GeoDataFrame:
    """Two adjacent squares with attribute text that must not reach the page."""
    return gpd.GeoDataFrame(
        {"name": ["Westland <b>secret</b>", "Eastland"]},
        geometry=[box(8.0, 6.0, 12.0, 12.0), box(12.0, 6.0, 16.0, 12.0)],
        crs="EPSG:4326",
    )
