"""Spotting: find the spans of text that may name a gazetteer place.

Capitalised token runs are matched, longest first, against the folded names of
the gazetteer; ordinary words, acronyms and person names are skipped. Names the
offline index lacks can be spotted after a place preposition and resolved by an
injected fallback (the online geocoder). The :class:`Span` records made here are
what ranking (:mod:`geo.places.ranking`) and literalness
(:mod:`geo.places.literalness`) work on.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

# Imported as a module (not names) so that gazetteer.index -> geocore.records -> geo
# -> geo.places does not need a fully initialised gazetteer.index.
import gazetteer.index as _gi
from gazetteer.normalize import fold_cached as fold

from gazetteer.common_words import STOP_WORDS

_TOKEN = re.compile(r"[^\W_]+")
# A token that may start a name: ASCII capital or digit, or any non-ASCII letter (checked with isupper()).
_NAME_START = re.compile(r"(?<![^\W_])(?:[A-Z0-9]|(?=[^\x00-\x7f])[^\W_])[^\W_]*")
_GAP_OK = re.compile(r"[ \t\-–'’.]{0,3}\n?")  # hard-wrapped text: one line break may split a name
# Article tokens repeat a lot ("the", "said"): fold each distinct one once.
_fold_token = functools.lru_cache(maxsize=1 << 16)(fold)
MAX_SPAN = 6
_COMMA_COUNTRY = re.compile(r",\s*((?:[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'.-]*|of|and|the)){0,4})")
_UNKNOWN_NAME = re.compile(r"\b(?:in|at|near|outside|from|to|into|towards|around)\s+(?:the\s+)?"
                           r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})")
# A name followed by one of these words is an organisation's or a feature's, not a place's.
ORG_AFTER = re.compile(r"\s+(?:river|sea|mountains?|lake|valley|gulf|strait|news|agency|newspaper|times|post|daily|herald|tribune|television|tv|radio|"
                       r"university|club|fc|party|group|company|airlines|bank|institute|foundation|press)\b", re.I)


@functools.lru_cache(maxsize=1)
def name_parts() -> dict:
    """The word classes of ``data/name_parts.yaml``: compass, generic and kinds (folded), continent adjectives
    (-> the continent's id) and the place cue ("the town of", "from"), compiled once."""
    import yaml
    from importlib import resources

    spec = yaml.safe_load(resources.files("geo.places").joinpath("data/name_parts.yaml").read_text("utf-8"))
    parts = {k: frozenset(fold(w) for w in spec[k]) for k in ("compass", "generic", "kinds")}
    parts["continent_adjectives"] = {fold(a): f"continent:{code}" for code, adjs in spec["continent_adjectives"].items()
                                     for a in adjs}
    nouns = "|".join(re.escape(w) for w in spec["place_nouns"])
    preps = "|".join(re.escape(w) for w in spec["place_prepositions"])
    parts["place_cue"] = re.compile(rf"(?:\b(?:{nouns})\s+of|(?<![\w-])(?:{preps}))\s+(?:the\s+)?$", re.I)
    return parts


# Capitalised words that, after a single name, give the kind of place it is ("Kano State")
PLACE_GENERICS = name_parts()["kinds"]
_TWO_NAMES = re.compile(r"(?<![\w.’'-])([A-Z][a-z]{1,15}) ([A-Z][a-z]{2,20})(?![\w’'-])")
_WORD_ABBREVIATION = re.compile(r"[A-Z][a-z]+\.?")
_AFTER_NAME_COMMA = re.compile(r"[A-Z][\w.'’-]*,[ \t]*$")
_WORD_BEFORE = re.compile(r"([A-Z][\w-]*)[ \t]+$")


def after_compass(text: str, start: int) -> bool:
    """The name at ``start`` follows a capitalised compass word ("West Africa", "Northern Europe")."""
    m = _WORD_BEFORE.search(text, max(0, start - 24), start)
    return m is not None and fold(m.group(1)) in name_parts()["compass"]


# Seats of government whose names stand for the government itself.
GOVERNMENT_SEATS = {
    "kremlin": "RU", "white house": "US", "pentagon": "US", "elysee": "FR", "elysee palace": "FR",
    "downing street": "GB", "whitehall": "GB", "zhongnanhai": "CN", "bankova": "UA", "foggy bottom": "US",
    "quai d orsay": "FR", "blue house": "KR", "knesset": "IL",
}


@dataclass
class Span:
    """A candidate place mention: its characters, gazetteer rows and, once decided, its reading."""

    start: int
    end: int
    text: str
    rows: tuple[int, ...]
    kind: str = "name"  # name | demonym | seat | border | online | partial (a corpus span's known part)
    chosen: Optional[int] = None
    literal: bool = True
    score: float = 0.0
    own: Optional[tuple[str, float]] = None  # this span's own weight in the focus counter
    confidence: Optional[float] = None  # the ranker's softmax share of the chosen candidate
    explain: Optional[tuple] = None  # the ranker's (candidates, scores, weights), for explanations
    features: Optional[tuple] = None  # the ranker's first-pass feature matrix, reused by its second pass


class Spotter:
    """Find candidate name spans in a text.

    Parameters
    ----------
    g : Gazetteer
        The index names are looked up in.
    demonyms : dict
        Folded demonym -> ISO code.
    country_by_name : dict
        Folded country name -> ISO code.
    """

    def __init__(self, g: "_gi.Gazetteer", demonyms: dict[str, str], country_by_name: dict[str, str]):
        self.g = g
        self.demonyms = demonyms
        self.country_by_name = country_by_name
        self.seat_words = {k.split()[0] for k in GOVERNMENT_SEATS}

    def _adjective(self, key: str) -> bool:
        """A country's demonym ("german").

        Plurals ("Armenians") and continents' adjectives ("African") are not
        spotted: in running text they name people ("thousands of Armenians left
        their homes") and qualify organisations; both resolve when given as a span.
        """
        return key in self.demonyms

    def _surnames(self, text: str) -> frozenset:
        """Folded words the article uses as surnames: the second of two capitalised words ("John Kelly")
        whose first is no place and who together name no place."""
        out = set()
        for m in _TWO_NAMES.finditer(text):
            first, second = fold(m.group(1)), fold(m.group(2))
            if first in STOP_WORDS or second in STOP_WORDS or self.g.rows(f"{first} {second}"):
                continue
            rows = self.g.rows(first)
            if not rows or all(self.g.data.pops[r] < 5_000 and self.g.feature_type(r) in ("city", "town") for r in rows):
                out.add(second)
        return frozenset(out)

    def spot(self, text: str) -> list[Span]:
        """Gazetteer names, government seats and demonyms in ``text``, in text order."""
        spans: list[Span] = []
        surnames = self._surnames(text)
        max_words = self.g.data.max_words
        max_words2 = self.g.data.max_words2
        by_key = self.g.data.by_key
        resume = 0
        # Names start with a capital or a digit: only those tokens, and the few
        # words after them a name could cover, are folded and looked up.
        for cand in _NAME_START.finditer(text):
            a, b = cand.span()
            if a < resume:
                continue  # inside the name found last
            first = text[a]
            if not (first.isupper() or first.isdigit()):
                continue  # a non-ASCII token that is not a capital
            if _TITLE_BEFORE.search(text, max(0, a - 40), a):
                run = _CAPITALISED_RUN.match(text, a)
                resume = run.end() if run else b
                continue  # "Adm. Dave Nichols", "President Roxas": a person's name
            first_word = _fold_token(text[a:b])
            hit = None
            words = max_words.get(first_word, 0) if max_words else MAX_SPAN
            if words == 0 and max_words and first_word in by_key and " " not in first_word:
                words = 1  # max_words lists only names of 2+ words; a one-word name is a by_key key
            if first_word in self.seat_words:
                words = max(words, 3)
            if words == 0 and not self._adjective(first_word) and b - a > 6:
                continue  # no name starts with this word, and it is too long to be a code
            want = min(max(words, 1), MAX_SPAN)
            toks = [(a, b)]  # this token and the next ones (one more for the person test)
            for m in _TOKEN.finditer(text, b):
                toks.append(m.span())
                if len(toks) > want:
                    break
            top = min(len(toks), want)
            if top >= 3 and max_words2 and first_word not in self.seat_words:
                # No name of 3+ words starts with these two words: skip the longer spans,
                # but keep short ones, which may still be codes ("U.S.A").
                second = _fold_token(text[toks[1][0]:toks[1][1]])
                if " " not in first_word and " " not in second:
                    cap = max_words2.get(f"{first_word} {second}", 2)
                    while top > cap and toks[top - 1][1] - a > 8:
                        top -= 1
            folded = [first_word] + [_fold_token(text[x:y]) for x, y in toks[1:top]]
            gap_ok = [_GAP_OK.fullmatch(text, toks[k][1], toks[k + 1][0]) is not None for k in range(top - 1)]
            for j in range(top, 0, -1):
                if not all(gap_ok[:j - 1]):
                    continue
                key = " ".join(folded[:j])
                surface = text[a:toks[j - 1][1]]
                if key in GOVERNMENT_SEATS:
                    hit = (j, "seat", ())
                    break
                if j == 1 and not major_name(self.g, key) and self._adjective(key):
                    hit = (j, "demonym", ())  # "German" is the adjective, not San Germán
                    break
                exact = (self.g.exact_rows(surface) or self.g.exact_rows(surface + ".")) if len(surface) <= 7 else ()
                if exact and _WORD_ABBREVIATION.fullmatch(surface) and all(self.g.feature_type(r) == "region" for r in exact) \
                        and not _AFTER_NAME_COMMA.search(text, max(0, a - 40), a):
                    exact = ()  # "Tenn.", "Mass.": a state only as in "Dover, Del.", not "attended Mass."
                if exact:
                    hit = (j, "name", exact)
                    break
                if surface.isupper() and len(surface.replace(".", "")) <= 4:
                    continue  # an acronym ("UN", "EPA") is not a place unless it is a known code
                rows = self.g.rows(key)
                if rows:
                    if j == 1 and is_common_word(key, text, a) \
                            and not adjacent_country(text, toks[j - 1][1], self.country_by_name):
                        break  # an ordinary word, unless qualified like a place ("Nice, France")
                    if j == 1 and _looks_like_person(text, toks, j, self.g, rows):
                        break
                    if j == 1 and key in surnames and not any(
                            self.g.feature_type(r) in ("country", "region") for r in rows) and not major_name(self.g, key):
                        break  # "Kelly" in an article about John Kelly
                    if after_compass(text, a) and any(self.g.feature_type(r) == "continent" for r in rows):
                        rows = [r for r in rows if self.g.feature_type(r) != "continent"]
                        if not rows:
                            break  # "West Africa" is a region of its own, not the continent
                    hit = (j, "name", rows)
                    break
            if hit is None:
                continue
            j, kind, rows = hit
            end = toks[j - 1][1]
            if text[end:end + 1] == "." and self.g.exact_rows(text[a:end + 1]):
                end += 1  # "U.S." keeps its final period
            spans.append(Span(a, end, text[a:end], tuple(rows), kind))
            resume = toks[j - 1][1]
        return spans

    def unknown(self, text: str, spans: list[Span], focus: Counter, fallback) -> list[Span]:
        """Capitalised names after a place preposition that the index lacks, via the fallback."""
        out, asked = [], {}
        for m in _UNKNOWN_NAME.finditer(text):
            a, b = m.span("name")
            surface = m.group("name")
            if any(s.start < b and a < s.end for s in spans) or fold(surface) in self.demonyms:
                continue
            if ORG_AFTER.match(text[b:b + 30]) or all(fold(w) in STOP_WORDS for w in surface.split()):
                continue
            if surface not in asked:
                asked[surface] = fallback(surface, +focus)
            place = asked[surface]
            if place is None:
                continue
            row = self.g.add_place(place)
            out.append(Span(a, b, surface, (row,), "online", chosen=row, score=2.0))
        return out


def drop_overlaps(spans: list[Span]) -> list[Span]:
    """Keep border phrases over the country names inside them; else the longer span."""
    spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    borders = [s for s in spans if s.kind == "border"]
    out = []
    for s in spans:
        if s.kind != "border" and any(b.start <= s.start < b.end for b in borders):
            continue
        if s.kind != "border" and out and out[-1].kind != "border" and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def major_name(g: "_gi.Gazetteer", key: str) -> bool:
    """A curated place or a big city has this exact name (so it is not just an adjective)."""
    return any(r in g.data.curated or (g.data.pops[r] >= 100_000 and fold(g.data.names[r]) == key)
               for r in g.rows(key))


def is_common_word(key: str, text: str, start: int, lenient: bool = False) -> bool:
    """A single capitalised word that is ordinary English here, not a place."""
    if key in STOP_WORDS:
        return True
    if lenient:
        return False
    # The same word in lower case elsewhere in the article marks it as a common word.
    return key in _lower_words(text) and not key[:1].isdigit()


_LOWER_WORD = re.compile(r"(?<![\w-])[a-z0-9]+(?![\w-])")
_lower_cache: dict[int, tuple[str, frozenset]] = {}


def _lower_words(text: str) -> frozenset:
    """Every all-lower-case word of ``text`` (computed once per text, so lookups stay linear)."""
    got = _lower_cache.get(id(text))
    if got is None or got[0] is not text:
        got = (text, frozenset(_LOWER_WORD.findall(text)))
        _lower_cache.clear()
        _lower_cache[id(text)] = got
    return got[1]


def _person_titles() -> re.Pattern:
    from importlib import resources

    import yaml

    spec = yaml.safe_load(resources.files("geo.places").joinpath("data/person_titles.yaml").read_text("utf-8"))
    words = "|".join(sorted(map(re.escape, spec["titles"]), key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{words})\.?[ \t]+$")


_TITLE_BEFORE = _person_titles()
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*)*")


def _looks_like_person(text: str, toks: list, j: int, g: "_gi.Gazetteer", rows) -> bool:
    """'Vladimir Putin', 'Alban Kacher': a single name followed by a capitalised
    word that is not itself a place is a person's (or an organisation's) name."""
    if any(g.feature_type(r) == "country" for r in rows) or j >= len(toks):
        return False
    gap = text[toks[j - 1][1]:toks[j][0]]
    nxt = text[toks[j][0]:toks[j][1]]
    if gap != " " or not nxt[:1].isupper() or fold(nxt) in PLACE_GENERICS:
        return False  # "Kano State", "Basra Palace": a place's own kind, not a surname
    return not g.rows(fold(nxt)) or fold(nxt) in STOP_WORDS


def adjacent_country(text: str, end: int, country_by_name: dict) -> Optional[str]:
    """ISO code of a country named right after a place ("Gyumri, Armenia")."""
    m = _COMMA_COUNTRY.match(text, end, end + 60)
    if not m:
        return None
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        iso = country_by_name.get(fold(" ".join(words[:n])))
        if iso:
            return iso
    return None
