"""Facilities named after a place the gazetteer has: "Basra Palace", "Kandahar airfield".

A place name followed by a facility head (``data/facility_heads.yaml``) names
a facility at that place. When the gazetteer has no such facility, the
mention becomes it: the whole name, the head's feature type, and the named
place's coordinates, under the id ``facility:<place id>/<name>``. A name the
gazetteer has ("Incirlik Air Base") is spotted whole before this step and
never reaches it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Sequence

import yaml

from gazetteer.normalize import fold_cached as fold
from geocore.records import Mention

#: Feature types of the places a facility can be named after.
NAMED_AFTER = ("city", "town", "region", "site")


@lru_cache(maxsize=1)
def _spec() -> dict:
    return yaml.safe_load(resources.files("geo.places").joinpath("data/facility_heads.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def _heads() -> tuple[str, dict[str, str]]:
    """The regex of a facility head (with an optional qualifier) and the feature type of each head."""
    spec = _spec()
    types, alts = {}, []
    for head in spec["heads"]:
        for words in head["words"]:
            types[words.lower()] = head["type"]
            if head["case"] == "title":
                esc = r"\s+".join(re.escape(w[:1].upper()) + re.escape(w[1:]) for w in words.split())
            else:  # any case of the first letters, the rest as written
                esc = r"\s+".join(f"[{re.escape(w[0].upper())}{re.escape(w[0])}]{re.escape(w[1:])}" for w in words.split())
            alts.append((len(words), esc))
    quals = "|".join(r"\s+".join(map(re.escape, q.split())) for q in sorted(spec["qualifiers"], key=len, reverse=True))
    heads = "|".join(a for _, a in sorted(alts, key=lambda x: -x[0]))
    return rf"((?:(?:{quals})[ \t]+)?(?:{heads}))\b(?![-’'])", types


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, str]]:
    head, types = _heads()
    return re.compile(rf"[ \t]+{head}"), types


def named_facilities(text: str, mentions: Sequence[Mention], g) -> list[Mention]:
    """``mentions`` with each place name that heads a facility name replaced by the facility.

    A mention inside the head ("Garrison", a town somewhere) goes with it. A
    facility named after a division is placed at the division's namesake city
    or town ("Basra Palace" is in the city of Basra), when the country has one.
    """
    rx, types = _pattern()
    out: list[Mention] = []
    swallowed: set[tuple[int, int]] = set()
    for m in mentions:
        hit = rx.match(text, m.end) if m.feature_type in NAMED_AFTER and m.literal else None
        if hit is None or any(o.start < m.end < o.end for o in mentions):
            out.append(m)
            continue
        swallowed |= {(o.start, o.end) for o in mentions if o.start >= m.end and o.end <= hit.end()}
        head = " ".join(hit.group(1).split())
        words = head.lower().split()
        kind = next(types[" ".join(words[k:])] for k in range(len(words)) if " ".join(words[k:]) in types)
        name = f"{m.text} {head}"
        slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
        at = _settlement(g, m) if m.feature_type == "region" else m
        out.append(Mention(m.start, hit.end(), text[m.start:hit.end()], f"facility:{at.place_id}/{slug}", name, kind,
                           at.country, at.lat, at.lon, True, m.score))
    return [m for m in out if (m.start, m.end) not in swallowed]


def _settlement(g, m: Mention):
    """The biggest city or town of the division's country with the division's name, else the division."""
    for p in g.lookup(m.text, country=m.country, limit=10):
        if p.feature_type in ("city", "town"):  # by name or alias: "Basra" is the city of Basrah
            return p
    return m


#: Feature types of the facilities whose short names are looked for.
FACILITY_TYPES = ("base", "airport", "site")


@lru_cache(maxsize=1)
def _affixes() -> tuple[re.Pattern, re.Pattern]:
    prefixes = "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(_spec()["prefixes"], key=len, reverse=True))
    return re.compile(rf"^(?:{prefixes})\s+"), re.compile(rf"\s+{_heads()[0]}$")


def short_name(name: str) -> str | None:
    """'Prince Sultan Air Base' -> 'Prince Sultan', 'Camp Humphreys' -> 'Humphreys'; None if neither affix is there."""
    prefix, head = _affixes()
    short = head.sub("", prefix.sub("", name)).strip()
    return short if short != name and len(short) >= 4 and short[:1].isupper() else None


def short_names(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` and, for each facility named in full, every other mention of it by its short name.

    Only facilities the index has count (not one placed at a namesake town,
    whose short name is the town), and only where no other mention stands.
    """
    found = list(mentions)
    for m in mentions:
        if m.feature_type not in FACILITY_TYPES or m.place_id.startswith("facility:") or not m.literal:
            continue
        short = short_name(m.text)
        if short is None:
            continue
        for hit in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
            a, b = hit.span()
            if not any(o.start < b and a < o.end for o in found):
                found.append(Mention(a, b, short, m.place_id, m.name, m.feature_type, m.country, m.lat, m.lon,
                                     True, m.score))
    return found
