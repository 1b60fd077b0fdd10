"""The extractor: from one article to reports through event frames, a status table and rule ids.

:func:`geo.postures.document.article_frames` reads the article's event frames
from the dependency parse (:mod:`geo.postures.frames`); the status table
decides each (frame, place) pair; the most confident decision of each place
becomes its report. Every report names the rules that made it (``rules``).
"""
from __future__ import annotations

from typing import Optional, Union

from geocore.records import Article, Report
from geo.places.geoparse import Geoparser
from geo.postures.document import Decision, article_frames, best_per_place, decisions
from geo.postures.rulebook import rulebook
from geo.postures.sites import upgrade_site

# A spreadsheet cell holds 32,767 characters; a "sentence" of a hostile or
# unpunctuated page can be megabytes, so evidence is a window around the trigger.
MAX_EVIDENCE = 32_767
MIN_CONFIDENCE = 0.35


class FrameExtractor:
    """Turn article text into reports through frames.

    Parameters
    ----------
    geoparser : Geoparser, optional
        Injected for tests; a default one (and its gazetteer) is loaded otherwise.
    """

    def __init__(self, geoparser: Optional[Geoparser] = None):
        self.gp = geoparser or Geoparser()
        self.g = self.gp.g
        self.book = rulebook()

    def extract(self, article: Union[Article, str], meta: Optional[dict] = None) -> list[Report]:
        """Reports for one article: one per place, the most confident one.

        Examples
        --------
        >>> FrameExtractor().extract("Russian troops left Kherson.")   # doctest: +SKIP
        [Report(place_id='geonames:706448', ..., status='withdrawn', ...)]
        """
        article = _as_article(article, meta)
        decs, sentences = self.decisions(article)
        best = [d for d in best_per_place(decs) if d.row.confidence >= MIN_CONFIDENCE]
        reports = [self._report(article, sentences[d.frame.sentence].text, d) for d in best]
        return sorted(reports, key=lambda r: r.place_id)

    def decisions(self, article: Article) -> tuple[list[Decision], list]:
        """Every (frame, place) decision of the article, in text order, and its sentences."""
        frames, sentences, _ctx = article_frames(article, self.gp, self.book)
        return decisions(frames, self.book), sentences

    def sentence_reports(self, article: Article) -> list[Report]:
        """A report for every decision, before the per-place merge."""
        decs, sentences = self.decisions(article)
        return [self._report(article, sentences[d.frame.sentence].text, d) for d in decs]

    def _report(self, article: Article, sentence: str, d: Decision) -> Report:
        m = upgrade_site(self.g, d.mention, d.force.kind)
        place = self.g.get(m.place_id)
        actor = "; ".join(_country_name(self.g, a) for a in d.force.actors) or None
        spans = [d.frame.span, *(c.span for c in d.frame.cues)]
        evidence, spans = _evidence(sentence, tuple(sorted(set(spans))))
        lo = min(a for a, _ in [d.frame.span, *(c.span for c in d.frame.cues)])
        trigger = sentence[lo:d.frame.span[1]] if lo < d.frame.span[0] and d.frame.span[0] - lo < 80 else d.frame.trigger
        return Report(
            place_id=m.place_id, name=m.name, feature_type=m.feature_type, country=m.country,
            lat=m.lat, lon=m.lon, status=d.row.status, force=d.force.phrase[:MAX_EVIDENCE], actor=actor,
            doc=article.doc, evidence=evidence, trigger=trigger[:MAX_EVIDENCE], confidence=round(d.row.confidence, 3),
            outlet=article.outlet, published=article.published, published_inferred=article.published_inferred,
            url=article.url, title=article.title, trigger_spans=spans,
            geometry=place.geometry if place is not None else None, force_type=d.force.kind,
            rules=" ".join(dict.fromkeys(d.rules)), role=d.role,
        )


def _as_article(article: Union[Article, str], meta: Optional[dict]) -> Article:
    if isinstance(article, Article):
        return article
    meta = meta or {}
    return Article(doc=meta.get("doc", "<text>"), text=article, outlet=meta.get("outlet"), title=meta.get("title"))


def _evidence(sentence: str, spans: tuple) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The evidence text and its highlight spans, cut to ``MAX_EVIDENCE`` around the trigger."""
    if len(sentence) <= MAX_EVIDENCE:
        return sentence, spans
    room = MAX_EVIDENCE - 2  # two ellipses
    first = spans[0][0] if spans else 0
    start = max(0, min(first - room // 2, len(sentence) - room))
    text = ("…" if start else "") + sentence[start:start + room] + ("…" if start + room < len(sentence) else "")
    shift = (1 if start else 0) - start
    return text, tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= start + room)


def _country_name(g, iso: str) -> str:
    if len(iso) != 2:
        return iso  # an organisation ("United Nations")
    p = g.country(iso)
    return p.name if p is not None else iso
