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


# ---------------------------------------------------------------- the written corpus

# Fictional places in a made-up border region: (place_id, name, type, lat, lon).
CORPUS_PLACES = (
    ("c01", "Varenko", "city", 44.10, 41.20), ("c02", "Tesh Airfield", "airport", 43.55, 42.05),
    ("c03", "Camp Ollin", "base", 42.80, 43.40), ("c04", "Brask", "town", 45.30, 44.10),
    ("c05", "Mirovane", "city", 41.90, 44.90), ("c06", "Hollow Ridge Post", "site", 43.05, 45.60),
    ("c07", "Pellan", "town", 44.75, 46.30), ("c08", "Sarn Harbour", "city", 42.35, 46.95),
    ("c09", "Kettle Pass", "site", 45.90, 42.70), ("c10", "Drovna", "town", 41.40, 42.30),
    ("c11", "Fort Ambry", "base", 44.20, 47.80), ("c12", "Lisk", "town", 43.70, 48.60),
    ("c13", "Upper Tamar", "town", 46.20, 45.40), ("c14", "Greyfield Depot", "base", 42.10, 48.20),
    ("c15", "Orrin Crossing", "site", 45.10, 49.10), ("c16", "Belova", "city", 40.90, 46.10),
    ("c17", "Nask", "town", 43.20, 40.60), ("c18", "Marrow Hill", "site", 44.60, 43.00),
    ("c19", "Quell Station", "base", 41.60, 40.90), ("c20", "Ostrava Bay", "city", 46.40, 47.90),
)
CORPUS_FORCES = ("troops", "peacekeepers", "border guards", "air defence unit", "naval infantry")
CORPUS_ACTORS = ("Northland", "Southern Union", "the Coalition")
CORPUS_OUTLETS = ("Harbour Courier", "Ridge Daily", "Plains Wire", "Valley Post", "Coast Radio")

# Sentences written for this corpus; {f} is the force, {p} the place; the trigger is the first word in brackets.
CORPUS_SENTENCES = {
    "staying": (
        "The {f} will [remain] in {p} through the winter, the ministry said.",
        "Officials said the {f} [stay] at {p} despite the talks.",
        "A fresh rotation of {f} [arrived] in {p} on Tuesday to keep the post manned.",
        "The mandate of the {f} in {p} was [extended] for another six months.",
        "Residents of {p} say the {f} are [still] patrolling the main road.",
    ),
    "withdrawing": (
        "The {f} [began] pulling out of {p} at dawn, witnesses said.",
        "Commanders announced the {f} would [withdraw] from {p} by the end of the month.",
        "Trucks loaded with equipment of the {f} were [leaving] {p} in a long column.",
        "Under the new agreement the {f} are to [pull] back from {p} in stages.",
    ),
    "withdrawn": (
        "The last {f} [left] {p} on Sunday, ending the deployment.",
        "The {f} have [completed] their withdrawal from {p}, the spokesman said.",
        "No {f} remain in {p} after the final convoy [departed] overnight.",
    ),
}
CORPUS_START = date(2024, 3, 1)


def _sentence(rng, status, force, name):
    template = rng.choice(CORPUS_SENTENCES[status])
    start = template.index("[")
    text = template.replace("[", "").replace("]", "")
    word_end = template.index("]") - 1
    # Offsets after filling in the force and place names.
    prefix = template[:start].replace("{f}", force).replace("{p}", name)
    word = template[start + 1:word_end + 1]
    text = text.replace("{f}", force).replace("{p}", name)
    return text, word, (len(prefix), len(prefix) + len(word))


def corpus_reports(n: int = 200, seed: int = 7) -> list[Report]:
    """``n`` reports on :data:`CORPUS_PLACES` over 60 days, written sentences.

    Each place gets a story: staying, then withdrawing, then mostly withdrawn,
    with some reports restating an older status (superseded by later ones)
    and, every 17th report, a second outlet contradicting the first on the
    same day. Docs are unique, so no two reports tie in consolidation.
    """
    import random
    from datetime import timedelta

    rng = random.Random(seed)
    out: list[Report] = []
    i = 0
    while len(out) < n:
        pid, name, ftype, lat, lon = CORPUS_PLACES[i % len(CORPUS_PLACES)]
        step = i // len(CORPUS_PLACES)
        day = CORPUS_START + timedelta(days=min(59, step * 6 + rng.randint(0, 5)))
        # Every fifth place keeps its force, the next one is still withdrawing at the end.
        cap = (0, 1, 2, 2, 2)[(i % len(CORPUS_PLACES)) % 5]
        stage = min(cap, step // 3 + (1 if rng.random() < 0.3 else 0))
        status = ("staying", "withdrawing", "withdrawn")[stage]
        force = CORPUS_FORCES[(i + step) % len(CORPUS_FORCES)] if rng.random() < 0.3 else CORPUS_FORCES[i % 3]
        statuses = [status]
        if len(out) % 17 == 16:
            statuses.append(rng.choice([s for s in STATUS_ORDER if s != status]))
        for s in statuses:
            text, word, span = _sentence(rng, s, force, name)
            out.append(Report(
                place_id=pid, name=name, feature_type=ftype, country="ZZ", lat=lat, lon=lon, status=s,
                force=force, actor=CORPUS_ACTORS[(i // 7) % len(CORPUS_ACTORS)], doc=f"r{len(out):03d}.txt",
                evidence=text, trigger=word, confidence=rng.choice((0.6, 0.7, 0.8, 0.9)),
                outlet=CORPUS_OUTLETS[(len(out) * 3) % len(CORPUS_OUTLETS)], published=day,
                url=f"https://news.example/corpus/{len(out)}", trigger_spans=(span,), force_type=force,
            ))
        i += 1
    return out[:n]


STATUS_ORDER = ("staying", "withdrawing", "withdrawn")


# Movement sentences written for the corpus: {f} force, {o} origin, {d} destination; [trigger].
MOVE_SENTENCES = (
    ("withdrawing", "Columns of {f} were [moving] from {o} towards {d} on Monday, residents said."),
    ("withdrawn", "The {f} [left] {o} for {d} overnight, and the base now stands empty."),
    ("withdrawing", "The {f} are being [redeployed] from {o} to {d} over the coming week."),
    ("withdrawn", "All {f} have [relocated] from {o} to {d}, the defence ministry confirmed."),
)


def _end(place, role: str, **fields) -> Report:
    """The report of one end of a movement: the place (id, name, type, lat, lon) and its role."""
    pid, name, ftype, lat, lon = place
    return Report(place_id=pid, name=name, feature_type=ftype, country="ZZ", lat=lat, lon=lon, role=role, **fields)


def corpus_movements(hostile: bool = False) -> list:
    """Six movements between :data:`CORPUS_PLACES`, on dates inside the corpus span.

    With ``hostile``, a seventh whose names, outlet, force, evidence and URL
    carry :data:`HOSTILE` payloads.
    """
    from datetime import timedelta

    from geo.outputs.movements import Movement

    places = {p[0]: p for p in CORPUS_PLACES}
    pairs = (("c01", "c04", 8), ("c03", "c05", 15), ("c11", "c12", 22), ("c09", "c13", 31), ("c06", "c07", 44),
             ("c19", "c10", 52))
    out = []
    for i, (o, d, days) in enumerate(pairs):
        status, template = MOVE_SENTENCES[i % len(MOVE_SENTENCES)]
        force = CORPUS_FORCES[i % 3]
        start = template.index("[")
        prefix = template[:start].replace("{f}", force).replace("{o}", places[o][1]).replace("{d}", places[d][1])
        word = template[start + 1:template.index("]")]
        text = template.replace("[", "").replace("]", "").replace("{f}", force).replace("{o}", places[o][1]) \
            .replace("{d}", places[d][1])
        common = dict(status=status, force=force, actor=CORPUS_ACTORS[i % 3], doc=f"m{i:02d}.txt", evidence=text,
                      trigger=word, confidence=0.8, outlet=CORPUS_OUTLETS[i % len(CORPUS_OUTLETS)],
                      published=CORPUS_START + timedelta(days=days), url=f"https://news.example/moves/{i}",
                      trigger_spans=((len(prefix), len(prefix) + len(word)),))
        out.append(Movement(_end(places[o], "origin", **common), _end(places[d], "destination", **common)))
    if hostile:
        common = dict(status="withdrawn", force="troops " + HOSTILE, actor=HOSTILE, doc="evil.txt",
                      evidence="Troops moved away. " + HOSTILE, trigger="moved", confidence=0.7,
                      outlet="Outlet " + HOSTILE, published=CORPUS_START + timedelta(days=20), url=HOSTILE_URL,
                      trigger_spans=((7, 12),))
        out.append(Movement(_end(("c16", "Belova " + HOSTILE, "town", 40.9, 46.1), "origin", **common),
                            _end(("c08", "Sarn " + HOSTILE, "town", 42.35, 46.95), "destination", **common)))
    return out


def armenia_postures() -> list[Posture]:
    """Two places in Armenia (Gyumri, Goris): their padded bounds hold Lake Sevan and Lake Van."""
    return [posture("g", "Gyumri base", "staying", [report("staying", date(2024, 1, 1), "x")], lat=40.79, lon=43.85),
            posture("k", "Goris", "withdrawing", [report("withdrawing", date(2024, 1, 2), "y")], lat=39.51, lon=46.34)]


def require_outlines() -> None:
    """Skip unless setup.sh has cached the map outlines; under CI (env CI set) fail instead."""
    import os

    import pytest

    from geo.outputs.map.outlines import cache_path

    if not cache_path().exists():
        msg = f"{cache_path()} is missing: run ./setup.sh (python -m geo.outputs.map.outlines)"
        if os.environ.get("CI"):
            pytest.fail(msg + " - CI is set, so the map outlines must be there")
        pytest.skip(msg)
