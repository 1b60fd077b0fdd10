"""Candidates and ranking: choose the gazetteer place a spotted name refers to.

Each candidate row of a span is scored by feature class and prominence, the
article's focus countries (countries named or implied by demonyms), an adjacent
country or first-level region ("Gyumri, Armenia", "Paris, Texas") and a
preceding place the name qualifies. A small place outside every focus country
is *abstained on*, never guessed; below ``MIN_SCORE`` no place is chosen.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

# Imported as a module (not names) so that gazetteer.index -> geocore.records -> geo
# -> geo.places does not need a fully initialised gazetteer.index.
import gazetteer.index as _gi
from gazetteer.normalize import fold_cached as fold

from geo.places.spotting import GOVERNMENT_SEATS, ORG_AFTER, Span, adjacent_country, is_common_word

_COMMA_REGION = re.compile(r",\s*([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})")
MIN_SCORE = 1.5


class Ranker:
    """Resolve spans to gazetteer rows.

    Parameters
    ----------
    g : Gazetteer
    demonyms, country_by_name : dict
        Folded demonym / country name -> ISO code.
    capital_rows
        Rows of the capitals (``g.data.capitals``).
    """

    def __init__(self, g: "_gi.Gazetteer", demonyms: dict[str, str], country_by_name: dict[str, str],
                 capital_rows):
        self.g = g
        self.demonyms = demonyms
        self.country_by_name = country_by_name
        self.capital_rows = capital_rows

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

    def span_for(self, text: str, start: int, end: int) -> Optional[Span]:
        """A span for given characters (a corpus toponym), with its candidate rows."""
        surface = text[start:end]
        clean = re.sub(r"^(?:the|The|THE)\s+|['’]s$", "", surface.strip())
        for cand in (surface, clean):
            rows = self.g.rows(fold(cand)) or self.g.exact_rows(cand)
            if rows:
                return Span(start, end, surface, tuple(rows))
        iso = self.demonyms.get(fold(clean))
        if iso and iso in self.g.country_rows:
            row = self.g.country_rows[iso]
            return Span(start, end, surface, (row,), chosen=row, score=3.0)
        words = clean.split()
        for n in range(len(words) - 1, 0, -1):
            for i in range(0, len(words) - n + 1):
                rows = self.g.rows(fold(" ".join(words[i:i + n])))
                if rows:
                    return Span(start, end, surface, tuple(rows))
        return None

    def choose(self, text: str, s: Span, focus: Counter, spans: list[Span], strict: bool = True,
               prev: Optional[Span] = None) -> None:
        """Set ``s.chosen`` (and its score) to the best candidate row, or leave it None."""
        key = fold(s.text)
        if s.kind == "name" and ORG_AFTER.match(text[s.end:s.end + 30]):
            return  # "Turan news agency", "The Moscow Times": an organisation's name
        if s.kind == "seat":
            cap = self.capital(GOVERNMENT_SEATS[key])
            s.chosen, s.literal, s.score = cap, False, 5.0
            return
        if s.kind == "demonym":
            s.chosen = self.g.country_rows.get(self.demonyms[key])
            s.literal, s.score = False, 3.0
            return
        adjacent = adjacent_country(text, s.end, self.country_by_name)
        region = self._adjacent_region(text, s.end)
        near = {c for c in (adjacent, region[0] if region else None) if c}
        # "Athens, Georgia": the name after the comma qualifies the place before it.
        host = None
        if prev is not None and prev.chosen is not None and re.fullmatch(r",\s*", text[prev.end:s.start]):
            host = self.g.data.countries[prev.chosen]
        if s.own:
            focus = focus.copy()
            focus[s.own[0]] -= s.own[1]
            focus = +focus
        total = sum(focus.values()) or 1.0
        best, best_score = None, float("-inf")
        for r in sorted(s.rows):
            ft = self.g.feature_type(r)
            cc = self.g.data.countries[r] or ""
            score = _gi.prominence(self.g, r)
            score += 4.0 * focus.get(cc, 0) / total
            if near:
                score += 5.0 if cc in near else -3.0
            if host:
                score += 4.0 if cc == host else (-3.0 if ft == "country" else 0.0)
            if region and cc == region[0] and self.g.data.admin1.get(r) == region[1]:
                score += 3.0  # "Paris, Texas", "Athens, Georgia": the city in that state
            if ft == "country" and fold(self.g.data.names[r]) == key:
                score += 1.0
            in_focus = focus.get(cc, 0) > 0 or cc in near
            primary = fold(self.g.data.names[r]) == key
            if strict and not in_focus and not primary and r not in self.g.data.curated and ft != "country" \
                    and self.g.data.pops[r] < 100_000:
                continue  # a minor place's alias, in a country the article is not about
            if strict and ft in ("town", "city") and not in_focus and r not in self.g.data.curated:
                # A small place in a country the article never mentions: abstain,
                # unless it is by far the main bearer of its name.
                if not self._dominant(r, s.rows) or is_common_word(key, text, s.start, lenient=True):
                    continue
            if score > best_score:
                best, best_score = r, score
        if best is not None and best_score >= MIN_SCORE:
            s.chosen, s.score = best, best_score

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

    def _dominant(self, r: int, rows: tuple[int, ...]) -> bool:
        pop = self.g.data.pops[r]
        if pop >= 100_000:
            return True
        others = [self.g.data.pops[o] for o in rows if o != r]
        return pop >= 20_000 and all(o * 10 <= pop for o in others)

    def capital(self, iso: str) -> Optional[int]:
        """Row of the capital of ``iso`` (the country's row when it has none)."""
        for r in sorted(self.capital_rows):
            if self.g.data.countries[r] == iso:
                return r
        return self.g.country_rows.get(iso)
