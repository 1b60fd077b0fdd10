"""Literalness: decide whether a resolved mention names a location or an actor.

A country or capital used as an actor ("Moscow said", "Baku insisted", "at the
request of Yerevan", "Russia's base"), a government seat ("the Kremlin"), a
demonym ("the Armenian side"), a dateline or a sea standing for the lands around it
("the Black Sea region") is marked ``literal=False``; only
literal mentions can become postures. Seats and demonyms are marked when they
are ranked (:mod:`geo.places.ranking`); this module reads the context of the
other names.
"""
from __future__ import annotations

import re

# Imported as a module (not names) so that gazetteer.index -> geocore.records -> geo
# -> geo.places does not need a fully initialised gazetteer.index.
import gazetteer.index as _gi

from geo.places.cues import ACTOR_VERBS, AGENT_OF_NOUNS
from geo.places.spotting import Span

# Context patterns run for every place name, compiled once.
_GOVERNED = re.compile(r"\b(?:in|at|near|from|into|to|inside|outside|around)\s+(?:the\s+)?$", re.I)
_OWNER_S = re.compile(r"['’]s\b")
_AROUND_WATER = re.compile(r"\s+(?:region|area|rim|littoral|states|countries|nations|basin)\b", re.I)
_SAID = re.compile(r"\s+(said|says|told|insisted|announced|denied|confirmed)\b")


def mark_literalness(text: str, spans: list[Span], g: "_gi.Gazetteer", capital_rows) -> None:
    """Set ``literal=False`` on the resolved spans that are used as actors, owners or datelines."""
    by_start = {o.start: o for o in spans}
    for s in reversed(spans):
        if s.chosen is None or s.kind in ("seat", "demonym", "border"):
            continue
        ft = g.feature_type(s.chosen)
        actor_like = ft == "country" or s.chosen in capital_rows
        after = text[s.end:s.end + 80]
        before = text[max(0, s.start - 60):s.start]
        governed = _GOVERNED.search(text[max(0, s.start - 12):s.start])
        if ft == "water" and _AROUND_WATER.match(after):
            s.literal = False  # "the Black Sea region", "Gulf states": the lands around it, no place of its own
        elif _OWNER_S.match(after):
            # "Russia's base", "Yerevan's airport": an owner, not a location;
            # but "in Mali's north" is a part of the place.
            if not (governed and re.match(r"['’]s\s+(?:far\s+)?(?:north|south|east|west|northern|southern|eastern|"
                                          r"western|central|centre|center|interior|part|border\s+region)\b", after)):
                s.literal = False
        elif governed:
            continue  # "headquarters in Bamako will remain": the object of a preposition is a place
        elif _is_dateline(text, s):
            s.literal = False
        elif actor_like and _followed_by_actor_verb(after):
            s.literal = False
        elif actor_like and _coordinated_with_actor(after, by_start, s):
            s.literal = False
        elif actor_like and re.search(r"\b(\w+)\s+of\s+(?:the\s+)?$", before) and \
                re.search(r"\b(\w+)\s+of\s+(?:the\s+)?$", before).group(1).lower() in AGENT_OF_NOUNS:
            s.literal = False
        elif actor_like and re.match(r"\s*[-–]\s*(led|backed|brokered|allied|aligned)\b", after):
            s.literal = False
        elif _SAID.match(after):
            s.literal = False


def _followed_by_actor_verb(after: str) -> bool:
    m = re.match(r"\s*(?:\([^)]{0,30}\)\s*)?((?:(?:has|have|had|also|previously|repeatedly|reportedly|again|already|"
                 r"then|now|not|never|all along|officially|publicly|firmly|\w+ly)\s+){0,3})(\w+)", after)
    if not m:
        return False
    verb = m.group(2).lower()
    if re.search(r"\b(has|have|had)\s", m.group(1) or ""):
        return True  # "Russia has withdrawn": the country is the subject
    return verb in ACTOR_VERBS or (verb.endswith("ed") and len(verb) > 4)


def _coordinated_with_actor(after: str, by_start: dict, s: Span) -> bool:
    """'Moscow and Baku confirmed': the first of two coordinated actors."""
    m = re.match(r"\s+and\s+", after)
    if not m:
        return False
    nxt = by_start.get(s.end + m.end())
    return nxt is not None and not nxt.literal


def _is_dateline(text: str, s: Span) -> bool:
    """'MOSCOW (Reuters) –' or 'KYIV, Ukraine —' at the start of a line."""
    line_start = text.rfind("\n", 0, s.start) + 1
    if text[line_start:s.start].strip():
        return False
    rest = text[s.end:s.end + 60]
    return s.text.isupper() and bool(re.match(r"(?:,\s*[\w .]+)?\s*(?:\([^)]*\)\s*)?[-–—]", rest))
