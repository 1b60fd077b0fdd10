"""From one article to force-posture reports.

For each sentence the extractor finds status triggers (:mod:`geo.postures.triggers`),
force phrases (troops, border guards, a base ...) and literal place mentions
(:mod:`geo.places.geoparse`), then links each eligible place to the trigger that
governs it:

* **Eligible places** are literal mentions governed by a locative preposition
  ("in", "at", "along", "from", "through" ...) or named right next to a force
  ("the Gyumri base"). Meeting venues ("talks in Moscow"), the home country a
  force returns to, countries crossed in transit and places that only qualify
  another place ("Gyumri, Armenia") are not postures.
* **Coordination**: every place in "in Goris and Sisian" gets the status.
* **Anaphora**: "there", "the region", "the base" in a sentence without an
  explicit place refer to the last eligible place of the previous sentences;
  "they"/"their" refer to the last force.
* **Civilians**: a trigger whose subject is a population ("Armenians",
  "residents", "left their homes") is not about a force.
* **Motion** verbs (entered, went, crossed) only take a status from a
  withdrawal the article already reported.
* A force that is a base or monitoring centre in a city with a curated site of
  that kind is placed on the site ("the base in Gyumri" -> 102nd Military Base).

Within one article the report with the highest confidence wins for each place
(ties: the later sentence), so a superseded plan ("were due to stay") yields to
"began withdrawing"; a place whose best report is below ``MIN_CONFIDENCE``
(only a superseded plan) gets no report.

The rules live in :mod:`geo.postures.forces` (force and actor phrases) and
:mod:`geo.postures.linking` (eligible places, anaphora, governing trigger,
sites); :class:`Extractor` runs them sentence by sentence and assembles the
reports.
"""
from __future__ import annotations

import bisect
import re
from typing import Optional, Union

from geo.places.geoparse import Geoparser
from geo.postures.forces import FORCE, PRONOUN_FORCE, Force, about_civilians, article_actor, find_forces, nearest_force
from geo.postures.linking import ANAPHORA, antecedent, governing, place_role, remember, upgrade_site
from geocore.records import Article, Mention, Report
from geo.text.sentences import split_sentences
from geo.postures.triggers import StemIndex, Trigger, find_triggers

MIN_CONFIDENCE = 0.35
_CAUSATIVE = re.compile(r"(?:push|dr[io]v|forc|kick|expel)", re.I)


class Extractor:
    """Turn article text into reports.

    Parameters
    ----------
    geoparser : Geoparser, optional
        Injected for tests; a default one (and its gazetteer) is loaded otherwise.
    """

    def __init__(self, geoparser: Optional[Geoparser] = None):
        self.gp = geoparser or Geoparser()
        self.g = self.gp.g

    def extract(self, article: Union[Article, str], meta: Optional[dict] = None) -> list[Report]:
        """Reports for one article: one per place, the most confident one.

        Examples
        --------
        >>> Extractor().extract("Russian troops left Kherson.")   # doctest: +SKIP
        [Report(place_id='geonames:706448', ..., status='withdrawn', ...)]
        """
        if isinstance(article, str):
            article = Article(doc=(meta or {}).get("doc", "<text>"), text=article,
                              outlet=(meta or {}).get("outlet"), title=(meta or {}).get("title"))
        reports = self.sentence_reports(article)
        # Equally confident reports of one place: the article's main actor (the
        # side most of its reports are about) wins, then the later sentence.
        counts: dict[str, int] = {}
        for rep in reports:
            counts[rep.actor or ""] = counts.get(rep.actor or "", 0) + 1
        main = max(sorted(counts), key=lambda a: counts[a]) if counts else ""
        best: dict[str, tuple[tuple, Report]] = {}
        for order, rep in enumerate(reports):
            key = (rep.confidence, rep.actor == main and bool(main), order)
            cur = best.get(rep.place_id)
            if cur is None or key >= cur[0]:
                best[rep.place_id] = (key, rep)
        # A superseded plan alone ("were due to stay until 2025") says nothing about now.
        return sorted((v[1] for v in best.values() if v[1].confidence >= MIN_CONFIDENCE), key=lambda r: r.place_id)

    def sentence_reports(self, article: Article) -> list[Report]:
        """Every sentence-level report, in text order (before per-place merging)."""
        text = article.text
        mentions = self.gp.parse(text)
        starts = [m.start for m in mentions]
        sentences = split_sentences(text)
        stems = StemIndex(text)
        actor_memo: list = []

        def doc_actor() -> Optional[str]:  # computed only if some force needs it
            if not actor_memo:
                actor_memo.append(article_actor(self.gp, text))
            return actor_memo[0]

        def forces_of(s_text: str, s_mentions: list, s_start: int) -> list[Force]:
            return [f for f in find_forces(self.gp, s_text, s_mentions, doc_actor, s_start)
                    if not any(m.start - s_start <= f.start < m.end - s_start for m in s_mentions)]

        reports: list[Report] = []
        last_places: list[tuple[int, Mention]] = []  # (sentence index, mention)
        resolved_force: Optional[Force] = None
        pending: list[tuple] = []  # sentences with force words whose forces are not computed yet

        def last_force_now() -> Optional[Force]:
            nonlocal resolved_force
            while pending:
                found = forces_of(*pending.pop())
                if found:
                    resolved_force = found[-1]
                    pending.clear()
                    break
            return resolved_force

        withdrawal_actors: set[str] = set()
        for si, sent in enumerate(sentences):
            s_text = sent.text
            lo = bisect.bisect_left(starts, sent.start)
            hi = bisect.bisect_left(starts, sent.end, lo)
            s_mentions = mentions[lo:hi]
            all_triggers = find_triggers(s_text, has_stem=True) if stems.has_stem(sent.start, sent.end) else []
            if not all_triggers:
                # No status word: only remember where the last force was named (for "they").
                if FORCE.search(s_text):
                    pending.append((s_text, s_mentions, sent.start))
                if s_mentions:
                    ends = {o.end: o for o in s_mentions}
                    eligible = [(m, role) for m in s_mentions for role in [place_role(s_text, sent.start, m, ends)] if role]
                    remember(si, s_mentions, eligible, last_places)
                continue
            ends = {o.end: o for o in s_mentions}
            forces = forces_of(s_text, s_mentions, sent.start)
            last_force = last_force_now()
            civilian = {id(t) for t in all_triggers if about_civilians(s_text, t)}
            triggers = [t for t in all_triggers if id(t) not in civilian]
            if any(t.kind != "motion" for t in all_triggers):
                # A real status word outranks a bare motion verb in the same sentence.
                all_triggers = [t for t in all_triggers if t.kind != "motion"]
            eligible = [(m, role) for m in s_mentions for role in [place_role(s_text, sent.start, m, ends)] if role]
            pronoun_force = bool(PRONOUN_FORCE.search(s_text)) and last_force is not None
            if triggers and (forces or pronoun_force):
                if not eligible:
                    ana = ANAPHORA.search(s_text)
                    if ana and last_places:
                        ref = antecedent(ana.group(1).lower(), last_places, si)
                        if ref is not None:
                            eligible = [(ref, ("anaphora", ana.start()))]
                            if pronoun_force:
                                # "They will stay at the base": "the base" is the place, "they" the force.
                                forces = [f for f in forces if not (ana.start() <= f.start < ana.end())]
                for m, (role, pos) in eligible:
                    trig = governing(all_triggers, pos, role, s_text)
                    if trig is None or id(trig) in civilian:
                        continue  # the nearest status word is about civilians
                    status, conf = trig.status, trig.confidence
                    force = nearest_force(forces, trig.start, s_text) or last_force
                    if _CAUSATIVE.match(s_text, trig.start):
                        # "Ukrainian forces pushed Russian troops out": the object is the force that left.
                        moved = [f for f in forces if f.start >= trig.start + 4]
                        force = moved[0] if moved else force
                    if force is None:
                        continue
                    if trig.kind == "motion":
                        # A move takes its status only from a withdrawal of the same side already reported.
                        if role == "destination" or not (set(force.actors) & withdrawal_actors):
                            continue
                        status = "withdrawing"
                    if status is None:
                        continue
                    if role == "destination" and trig.kind in ("withdraw", "motion"):
                        continue
                    if role == "transit" and m.feature_type == "country":
                        continue
                    if m.feature_type == "country" and m.country in force.actors:
                        continue  # a force at or back in its own country is not a foreign posture
                    if role == "host" and not force.actors:
                        continue  # whose base it is cannot be told
                    if m.country in force.actors and re.match(r"(?i)arriv|land", s_text[trig.start:trig.end]):
                        continue  # landing at home is the end of a withdrawal, not a deployment
                    site_force = force
                    if role == "anaphora" and "base" in s_text[pos:pos + 30].lower():
                        site_force = Force(force.start, force.end, force.phrase, "base", force.actors)
                    place_m = upgrade_site(self.g, m, site_force)
                    reports.append(self._report(article, sent, place_m, trig, status, conf, force))
            if any(t.kind == "withdraw" and t.status in ("withdrawing", "withdrawn") for t in triggers) and (forces or pronoun_force):
                for f in forces or [last_force]:
                    withdrawal_actors.update(f.actors)
            if forces:
                resolved_force = forces[-1]
                pending.clear()
            remember(si, s_mentions, eligible, last_places)
        return reports

    def _report(self, article: Article, sent, m: Mention, trig: Trigger, status: str, conf: float, force: Force) -> Report:
        place = self.g.get(m.place_id)
        actor = "; ".join(_country_name(self.g, a) for a in force.actors) or None
        evidence, spans = _evidence(sent.text, trig)
        return Report(
            place_id=m.place_id, name=m.name, feature_type=m.feature_type, country=m.country,
            lat=m.lat, lon=m.lon, status=status, force=force.phrase[:MAX_EVIDENCE], actor=actor, doc=article.doc,
            evidence=evidence, trigger=trig.words(sent.text)[:MAX_EVIDENCE], confidence=round(conf, 3),
            outlet=article.outlet, published=article.published, published_inferred=article.published_inferred,
            url=article.url, title=article.title, trigger_spans=spans,
            geometry=place.geometry if place is not None else None, force_type=force.kind,
        )


# A spreadsheet cell holds 32,767 characters; a "sentence" of a hostile or
# unpunctuated page can be megabytes, so evidence is a window around the trigger.
MAX_EVIDENCE = 32_767


def _evidence(sentence: str, trig: Trigger) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The evidence text and its trigger spans, cut to ``MAX_EVIDENCE`` around the trigger."""
    if len(sentence) <= MAX_EVIDENCE:
        return sentence, trig.spans()
    room = MAX_EVIDENCE - 2  # two ellipses
    start = max(0, min(trig.start - room // 2, len(sentence) - room))
    text = ("…" if start else "") + sentence[start:start + room] + ("…" if start + room < len(sentence) else "")
    shift = (1 if start else 0) - start
    spans = tuple((a + shift, b + shift) for a, b in trig.spans() if a >= start and b <= start + room)
    return text, spans


def _country_name(g, iso: str) -> str:
    if len(iso) != 2:
        return iso  # an organisation ("United Nations")
    p = g.country(iso)
    return p.name if p is not None else iso
