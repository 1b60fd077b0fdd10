"""Place eligibility and linking: which places of a sentence can take a status, and from which trigger.

* **Eligible places** (:func:`place_role`) are literal mentions governed by a
  locative preposition or named right next to a force; the preposition gives
  the role (location, origin, destination, transit). Meeting venues and places
  that only qualify another place are not eligible.
* **Anaphora** (:data:`ANAPHORA`, :func:`antecedent`): "there", "the region",
  "the base" refer to a recent eligible place (:func:`remember`).
* **Governing trigger** (:func:`governing`): the status word nearest the place.
* **Sites** (:func:`upgrade_site`): a base in a city with a curated base is
  placed on the base.
"""
from __future__ import annotations

import re
from typing import Optional

from gazetteer.normalize import fold_cached as fold

from geo.postures.forces import FORCE, WORD, Force
from geo.postures.triggers import Trigger
from geo.postures.vocabulary import LOCATIVE_PREPS, PLACE_FILLERS, VENUE_WORDS
from geocore.records import Mention


_WORD_OR_COMMA = re.compile(r"[\w’'-]+|,")
ANAPHORA = re.compile(r"\b(there(?!\s+(?:is|are|was|were|has|have|had|will|would|seems?|appears?|remains?)\b)|(?:the|that|this)\s+(?:air\s+|naval\s+|military\s+)?(?:region|area|base|city|town|territory|enclave|zone|facility|country|province))\b", re.I)
_DESTINATION_PREPS = ("to", "into", "towards", "toward")
_ORIGIN_PREPS = ("from", "out of", "off")
_TRANSIT_PREPS = ("through", "via", "across")
_HOST_BASE = re.compile(r"['’]s\s+(?:\w+\s+)?(?:naval\s+|air\s+|military\s+)?(?:base|airbase|port|facility|garrison)\b", re.I)


def remember(si: int, s_mentions: list, eligible, last_places: list) -> None:
    """Antecedents: eligible places, and specific places named in any role ("hosts the base")."""
    named = {m.place_id for m, (role, _) in eligible if role in ("location", "origin")}
    for m in s_mentions:
        if m.place_id in named or (m.literal and m.feature_type in ("base", "site", "airport", "corridor", "region")):
            last_places.append((si, m))


def place_role(s_text: str, s_start: int, m: Mention, ends: dict) -> Optional[tuple[str, int]]:
    """(role, position) of a mention that can be a posture place, else None."""
    a, b = m.start - s_start, m.end - s_start
    if not m.literal:
        # "Djibouti's naval base": the possessive may name the host, not the owner;
        # the report loop keeps it only when the force is someone else's.
        if m.feature_type == "country" and _HOST_BASE.match(s_text[b:b + 40]):
            return ("host", a)
        return None
    # A bounded window: the rules look a few words back, and a hostile
    # sentence with thousands of places must stay linear.
    before = s_text[max(0, a - 300):a]
    # "Gyumri, Armenia", "Hmeimim Air Base in Syria": the country only qualifies the place before it.
    if m.feature_type == "country":
        link = re.search(r"\s*(?:,|in|,\s*in)\s*$", before)
        if link:
            prev = ends.get(m.start - len(link.group(0)))
            if prev is not None and prev.feature_type != "country":
                return None
    prep = _governing_prep(before)
    if prep is not None:
        word, at = prep
        if _is_venue(before[:at]):
            return None
        if word in _ORIGIN_PREPS:
            return ("origin", a)
        if word in _DESTINATION_PREPS:
            return ("destination", a)
        if word in _TRANSIT_PREPS:
            return ("transit", a)
        return ("location", a)
    # A place right after a trigger verb ("left Kherson") or before a force ("the Gyumri base").
    if re.search(r"\b(left|leave|leaves|leaving|vacated|abandoned|evacuated|quit|entered|enter|enters|entering|crossed|reached)\s+(?:the\s+)?$", before, re.I):
        verb = re.search(r"(\w+)\s+(?:the\s+)?$", before).group(1).lower()
        return ("destination" if verb.startswith(("enter", "cross", "reach")) else "origin", a)
    if FORCE.match(s_text[b:].lstrip()) and not re.match(r"['’]s", s_text[b:]):
        return ("location", a)
    return None


def antecedent(word: str, last_places: list, si: int) -> Optional[Mention]:
    """The recent place an anaphor ("there", "the base", "the region") refers to."""
    for sj, m in reversed(last_places):
        if si - sj > 3:
            break
        if "base" in word or "facility" in word:
            if m.feature_type in ("base", "site", "city", "town"):
                return m
            continue
        if any(k in word for k in ("region", "territory", "enclave", "zone", "province")) and m.feature_type not in ("region", "corridor"):
            continue
        if "country" in word and m.feature_type != "country":
            continue
        return m
    return None


def _governing_prep(before: str) -> Optional[tuple[str, int]]:
    """The locative preposition governing a place that follows ``before``."""
    toks = list(_WORD_OR_COMMA.finditer(before))
    skipped = 0
    i = len(toks) - 1
    while i >= 0 and skipped <= 6:
        t = toks[i].group(0)
        low = t.lower()
        if low == "of" and i >= 1 and toks[i - 1].group(0).lower() == "out":
            return ("out of", toks[i - 1].start())
        if low in LOCATIVE_PREPS and low != "of":
            return (low, toks[i].start())
        if low in PLACE_FILLERS or t[:1].isupper() or t[:1].isdigit() or t == "," or re.match(r".+['’]s$", t):
            skipped += 1
            i -= 1
            continue
        return None
    return None


def _is_venue(before: str) -> bool:
    words = WORD.findall(before)[-6:]
    return any(w.lower() in VENUE_WORDS for w in words)


def governing(triggers: list[Trigger], pos: int, role: str, s_text: str = "") -> Optional[Trigger]:
    """The trigger nearest to the place, preferring one before it."""
    best, best_d = None, None
    for t in triggers:
        if t.kind == "unaffected" and t.start > pos and not re.search(r"(affected|exempt\w*|excluded)\b", s_text[t.start:t.end]):
            continue  # "does not affect the base" governs what follows; "X is not affected" what precedes
        d = pos - t.end if t.end <= pos else (t.start - pos) * 1.5
        if best_d is None or d < best_d:
            best, best_d = t, d
    return best


def upgrade_site(g, m: Mention, force: Force) -> Mention:
    """'the base in Gyumri' -> the curated base near Gyumri, when there is one."""
    if force.kind not in ("base", "monitoring centre") or m.feature_type not in ("city", "town"):
        return m
    kinds = ("base",) if force.kind == "base" else ("base", "site")
    rows = g.sites_near(fold(m.name), kinds) or g.sites_near(fold(m.text), kinds)
    if force.kind == "monitoring centre":
        rows = [r for r in rows if re.search(r"monitor|observ", " ".join((g.data.names[r], *g.data.aliases.get(r, ()))), re.I)] or rows
    if not rows:
        return m
    p = g.place(rows[0])
    return Mention(m.start, m.end, m.text, p.place_id, p.name, p.feature_type, p.country, p.lat, p.lon, True, m.score)
