"""A place named as a city where the force is a base: the curated site of that kind in the city."""
from __future__ import annotations

import re

from gazetteer.normalize import fold_cached as fold
from geocore.records import Mention

_MONITORING = re.compile(r"monitor|observ", re.I)


def upgrade_site(g, m: Mention, force_kind: str) -> Mention:
    """'the base in Gyumri' -> the curated base near Gyumri, when there is one."""
    if force_kind not in ("base", "monitoring centre") or m.feature_type not in ("city", "town"):
        return m
    kinds = ("base",) if force_kind == "base" else ("base", "site")
    rows = g.sites_near(fold(m.name), kinds) or g.sites_near(fold(m.text), kinds)
    if force_kind == "monitoring centre":
        rows = [r for r in rows if _MONITORING.search(" ".join((g.data.names[r], *g.data.aliases.get(r, ()))))] or rows
    if not rows:
        return m
    p = g.place(rows[0])
    return Mention(m.start, m.end, m.text, p.place_id, p.name, p.feature_type, p.country, p.lat, p.lon, True, m.score)
