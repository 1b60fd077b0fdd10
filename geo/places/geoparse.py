"""Find place names in text, resolve them to gazetteer places, decide literalness.

The geoparser is rule-based and runs offline on a CPU:

1. **Spotting.** Capitalised token runs are matched, longest first, against the
   folded names of the gazetteer (GeoNames, airports, countries, curated sites).
   Border phrases ("X's borders with Y and Z", "the
   Armenia-Azerbaijan border", "the Turkish border") are parsed first.
2. **Disambiguation.** Each candidate gets explicit features (population,
   feature class, how the name matched, the countries and divisions of the
   article's other names, an adjacent country or division "Gyumri, Armenia",
   the distance to the places already resolved) and a linear score whose
   weights ``bench/fit_ranker.py`` fits on corpus data. A small place outside
   every focus country is *abstained on*, never guessed.
3. **Literalness.** A country or capital used as an actor ("Moscow said", "Baku
   insisted", "at the request of Yerevan", "Russia's base"), a government seat
   ("the Kremlin"), a demonym ("the Armenian side") or a dateline is marked
   ``literal=False``; only literal mentions can become postures.

Each step has its module: :mod:`geo.places.spotting` and
:mod:`geo.places.border_phrases` (1), :mod:`geo.places.ranking` (2) and
:mod:`geo.places.literalness` (3); :class:`Geoparser` composes them.

Examples
--------
>>> from geo.places.geoparse import Geoparser          # doctest: +SKIP
>>> [m.name for m in Geoparser().parse("Troops left Gyumri, Armenia.")]  # doctest: +SKIP
['Gyumri', 'Armenia']
"""
from __future__ import annotations

from typing import Optional, Sequence

# Imported as a module (not names) so that gazetteer.index -> geocore.records -> geo
# -> geo.places.geoparse does not need a fully initialised gazetteer.index.
import gazetteer.index as _gi
from gazetteer.normalize import fold_cached as fold

from geo.places.border_phrases import BorderPhrases, country_names
from geo.places.facilities import named_facilities, short_names
from geo.places.literalness import mark_literalness
from geo.places.ranking import Ranker
from geo.places.spotting import Span, Spotter, drop_overlaps
from geocore.records import Mention


class Geoparser:
    """Spot, resolve and classify place mentions.

    Composes a :class:`~geo.places.spotting.Spotter`, a
    :class:`~geo.places.border_phrases.BorderPhrases` finder, a
    :class:`~geo.places.ranking.Ranker` and
    :func:`~geo.places.literalness.mark_literalness`.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Injected for tests; the cached default index is loaded otherwise.
    ranker_weights : dict, optional
        The ranker's weights (``geo/places/ranker_weights.json`` by default;
        see :func:`geo.places.ranking.load_weights`).
    """

    def __init__(self, gazetteer: Optional["_gi.Gazetteer"] = None, fallback=None, ranker_weights: Optional[dict] = None):
        self.g = gazetteer or _gi.Gazetteer.load()
        # Optional resolver for names the offline index lacks (the online geocoder):
        # ``fallback(name, focus) -> Place | None``. Off unless injected.
        self.fallback = fallback
        from gazetteer.borders import DEMONYMS

        self.demonyms: dict[str, str] = {}
        for iso, adj in DEMONYMS.items():
            for a in ([adj] if isinstance(adj, str) else adj):
                self.demonyms[fold(a)] = iso
        self.capital_rows = self.g.data.capitals
        if not self.g.data.max_words:
            self.g.data.finish()  # an index built in code (tests) gets its lookup aids here
        names = country_names(self.g)
        self.country_by_name = {fold(n): iso for n, iso in names.items()}
        self.spotter = Spotter(self.g, self.demonyms, self.country_by_name)
        self.borders = BorderPhrases(self.g, names, DEMONYMS, self.country_by_name, self.demonyms)
        self.ranker = Ranker(self.g, self.demonyms, self.country_by_name, self.capital_rows, ranker_weights)

    # ------------------------------------------------------------------ API
    def parse(self, text: str) -> list[Mention]:
        """All place mentions in ``text``, resolved and classified, in text order."""
        spans = self.spotter.spot(text)
        focus = self.ranker.focus(text, spans)
        spans += self.borders.find(text, focus, spans)
        spans = drop_overlaps(spans)
        if self.fallback is not None:
            spans = drop_overlaps(spans + self.spotter.unknown(text, spans, focus, self.fallback))
        ranked = [(s, spans[k - 1] if k else None) for k, s in enumerate(spans) if s.kind not in ("border", "online")]
        ctx = self.ranker.context(spans, focus)
        self.ranker.resolve_all(text, [s for s, _ in ranked], ctx, strict=True, prevs=[p for _, p in ranked])
        mark_literalness(text, spans, self.g, self.capital_rows)
        out = short_names(text, named_facilities(text, [self._mention(s) for s in spans if s.chosen is not None], self.g))
        return sorted(out, key=lambda m: (m.start, m.end, m.place_id))

    def resolve(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Optional[Mention]]:
        """Resolve given character spans (for scoring on toponym corpora).

        Never abstains for lack of context (a corpus span is known to be a
        place); returns None only when no reading of the span is in the index.
        Tries the span as written, then without "the"/possessive "'s", as a
        demonym ("Syrian" -> Syria), then its longest known sub-name.
        """
        return [self._mention(s) if s is not None and s.chosen is not None else None
                for s in self.resolve_spans(text, spans)]

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Optional[Span]]:
        """The ranked :class:`Span` of each given span (None when no reading is in the index).

        The article's context is every name the spotter finds plus the given
        spans; ``self.ranker.explain(span)`` lists a span's top candidates.
        """
        found = self.spotter.spot(text)
        focus = self.ranker.focus(text, found)
        given = [self.ranker.span_for(text, start, end) for start, end in spans]
        known = [s for s in given if s is not None]
        ctx = self.ranker.context(known + found, focus)
        prevs, last = [], None
        for s in given:
            if s is not None:
                prevs.append(last)
                last = s
        self.ranker.resolve_all(text, known, ctx, strict=False, prevs=prevs)
        return given

    def explain(self, text: str, spans: Sequence[tuple[int, int]], top: int = 3) -> list[list[dict]]:
        """For each given span, its top candidates with scores and the features that decided."""
        return [self.ranker.explain(s, top) if s is not None else [] for s in self.resolve_spans(text, spans)]

    def _mention(self, s: Span) -> Mention:
        p = self.g.place(s.chosen)
        return Mention(
            start=s.start, end=s.end, text=s.text, place_id=p.place_id, name=p.name,
            feature_type=p.feature_type, country=p.country, lat=p.lat, lon=p.lon,
            literal=s.literal,
            score=round(s.confidence if s.confidence is not None else min(1.0, max(0.0, s.score / 10.0)), 3),
        )
