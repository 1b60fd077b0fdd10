"""A city named with a division noun stands for the division: "the Kharkiv region", "the regions of Kyiv and Chernihiv".

English news names most first-level divisions after their main city, while
the gazetteer's division may carry the local form ("Kharkivska"). When a
city or town mention is qualified by a division noun (``division_nouns`` in
``rules/roles.yaml``), it is replaced by the first-level division of the same
country whose name is the city's, or the city's stem with a short ending
("Kharkiv" -> "Kharkivska"). Without such a division the mention is kept.
"""
from __future__ import annotations

from typing import Optional

from gazetteer.normalize import fold_cached as fold
from geocore.records import Mention
from geo.postures.rulebook import Rulebook
from geo.postures.syntax import lemma, token_range

MAX_ENDING = 4  # "ska", "skaya": the adjectival endings of a division named after its city
_by_country: dict[int, dict[str, list[int]]] = {}


def division_spans(g, doc, spans: list, book: Rulebook) -> list:
    """``spans`` ((Mention, start, end) in the sentence) with division-qualified cities replaced."""
    out = []
    for m, a, b in spans:
        if m.feature_type in ("city", "town") and _qualified(doc, a, b, book):
            row = _division_named(g, m)
            if row is not None:
                p = g.place(row)
                m = Mention(m.start, m.end, m.text, p.place_id, p.name, p.feature_type, p.country, p.lat, p.lon,
                            m.literal, m.score)
        out.append((m, a, b))
    return out


def _qualified(doc, a: int, b: int, book: Rulebook) -> bool:
    idx = token_range(doc, a, b)
    if not idx:
        return False
    last = idx[-1]
    if last + 1 < len(doc) and doc[last + 1].lower_ in book.division_nouns:
        return True  # "Kharkiv region", "Kano State"
    t = doc[last]
    while t.dep_ == "conj" and t.head is not t:
        t = t.head  # "the Kyiv and Chernihiv regions", "the regions of Kyiv and Chernihiv"
    if t.dep_ in ("compound", "nmod") and t.head.lower_ in book.division_nouns:
        return True
    return t.dep_ == "pobj" and t.head.lower_ == "of" and lemma(t.head.head) in book.division_nouns


def _division_named(g, m: Mention) -> Optional[int]:
    """The country's first-level division named like the city, preferring a derived name over the city's own."""
    names = _divisions(g).get(m.country or "", {})
    city = fold(m.text)
    stem = city[:-1] if len(city) > 3 and city[-1] in "aeiouy" else city
    same, derived = None, None
    for name, rows in sorted(names.items()):
        if name == city:
            same = rows[0]
        elif name.startswith(stem) and 0 < len(name) - len(stem) <= MAX_ENDING and name[len(stem):].isalpha():
            derived = derived if derived is not None else rows[0]
    # A division named exactly like its city next to one with a derived name
    # is the city itself ("Kyiv" beside "Kyivska"): "the Kyiv region" is the latter.
    return derived if derived is not None else same


def _divisions(g) -> dict[str, dict[str, list[int]]]:
    got = _by_country.get(id(g))
    if got is None:
        got = {}
        for r in g.rows_of_type("region"):
            got.setdefault(g.data.countries[r] or "", {}).setdefault(fold(g.data.names[r]), []).append(r)
        _by_country.clear()
        _by_country[id(g)] = got
    return got
