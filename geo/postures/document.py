"""From an article's frames to its reports: the document level.

The article is read sentence by sentence; a sentence is parsed only when it
holds a place (or a word standing for one) and a trigger or force word.
Across sentences the :class:`ArticleContext` keeps the last force ("they")
and the places named so far ("the base", "there"). Each (frame, place) pair
then gets its status from the status table (``rules/status.yaml``); a
force's own country as destination is its home, not a posture. A force with
no side of its own takes the article's main side (the actor of most of its
frames). Within the article the most confident report wins for each place,
then the article's main side, then the later sentence: a completed
withdrawal outranks an earlier plan for the same place.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import logging
import re
from collections import Counter
from typing import Optional

from geocore.records import Article, Mention
from geo.postures.force_phrases import ForceRef
from geo.postures.frames import Frame, sentence_frames
from geo.postures.rulebook import Rulebook, StatusRow
from geo.postures.sites import upgrade_site
from geo.postures.syntax import parse
from geo.text.sentences import split_sentences

ANAPHOR_SENTENCES = 3  # how far back "the base" or "there" may point
#: Most characters of one article handed to the parser. A news article is a
#: few thousand; a hostile page of a megabyte would otherwise cost a minute.
#: Sentences past the budget are not read, with the warning ``parse-limit``.
MAX_PARSED_CHARS = 60_000
PARSE_LIMIT_WARNING = "parse-limit"
log = logging.getLogger(__name__)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Words that can stand for a place named earlier: a sentence with one may hold a posture without a name.


@functools.lru_cache(maxsize=8)
def _anaphor_pattern(words: tuple[str, ...]) -> re.Pattern:
    """'there', 'the base', 'this small town' for the anaphora words of roles.yaml."""
    adverbs = [w for w in words if w in ("there", "here")]
    nouns = [re.escape(w) for w in words if w not in adverbs]
    alts = [*adverbs, r"(?:the|this|that)\s+(?:\w+\s+)?(?:" + "|".join(nouns or ["(?!)"]) + ")"]
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.I)


@dataclasses.dataclass
class ArticleContext:
    """What the sentences so far have said: the last force and the places named."""

    gp: object
    last_force: Optional[ForceRef] = None
    places: list = dataclasses.field(default_factory=list)  # (sentence index, Mention), literal ones
    main_actor: Optional[str] = None
    sentence_forces: list = dataclasses.field(default_factory=list)  # force nouns of the sentence being read
    published: Optional[object] = None  # the article's date, against which "in 2015" is read

    def country_code(self, text: str) -> Optional[str]:
        """'US' -> 'US', 'UK' -> 'GB': a country code written as a word."""
        if not (1 < len(text) <= 4 and text.replace(".", "").isupper()):
            return None
        g = self.gp.g
        for r in g.exact_rows(text) or g.exact_rows(text + "."):
            if g.feature_type(r) == "country":
                return g.data.countries[r]
        return None

    def antecedent(self, word: str, kinds: tuple[str, ...], si: int) -> Optional[Mention]:
        """The most recent place of one of ``kinds`` named at most ``ANAPHOR_SENTENCES`` sentences before."""
        if word == "capital":
            return self._capital(si)
        for sj, m in reversed(self.places):
            if si - sj > ANAPHOR_SENTENCES:
                break
            if sj == si and word not in ("there", "here"):
                continue
            if "any" in kinds or m.feature_type in kinds:
                return m
        if "base" in kinds:
            # "arrived in Gyumri ... they will stay at the base": the curated base of a town named just before
            for sj, m in reversed(self.places):
                if si - sj > ANAPHOR_SENTENCES:
                    break
                if sj < si and m.feature_type in ("city", "town"):
                    site = upgrade_site(self.gp.g, m, "base")
                    if site is not m:
                        return site
        return None


    def _capital(self, si: int) -> Optional[Mention]:
        """'the capital': the national capital named last, else the capital of the country of the last place.

        A story's "capital" is its host country's: a city named before that is
        not a capital ("Sirte") points to its country's capital.
        """
        g = self.gp.g
        recent = [m for sj, m in reversed(self.places) if 0 < si - sj <= ANAPHOR_SENTENCES]
        capitals = {g.data.ids[r] for r in self.gp.capital_rows}
        for m in recent:
            if m.place_id in capitals:
                return m
        for m in recent:
            if m.country:
                row = next((r for r in sorted(self.gp.capital_rows) if g.data.countries[r] == m.country), None)
                if row is not None:
                    p = g.place(row)
                    return Mention(m.start, m.end, p.name, p.place_id, p.name, p.feature_type, p.country, p.lat, p.lon,
                                   True, m.score)
                return None
        return None


@dataclasses.dataclass(frozen=True)
class Decision:
    """One place of one frame with its status, confidence and the rules behind them."""

    frame: Frame
    mention: Mention
    role: str
    row: StatusRow
    force: ForceRef
    rules: tuple[str, ...]


def _lexicon_words(book: Rulebook) -> frozenset:
    words = set(book.verbs) | set(book.nouns) | set(book.force_nouns) | set(book.organisations)
    return frozenset(w[:4] for w in words if len(w) >= 3)


_IRREGULAR = frozenset("left went flew flown held kept drew drawn shut sent brought dug withdrew withdrawn "
                       "fled came led gave given".split())


def worth_parsing(text: str, stems: frozenset) -> bool:
    """True when a sentence has a word that can start a trigger or a force noun (a cheap filter)."""
    for w in _WORD.findall(text):
        low = w.lower()
        if low[:4] in stems or low in _IRREGULAR:
            return True
    return False


def article_frames(article: Article, gp, book: Rulebook) -> tuple[list[Frame], list, ArticleContext]:
    """Every frame of an article, with its sentences and the final context."""
    text = article.text
    mentions = gp.parse(text)
    starts = [m.start for m in mentions]
    sentences = split_sentences(text)
    stems = _lexicon_words(book)
    anaphor = _anaphor_pattern(tuple(sorted(book.anaphora)))
    chosen = []
    budget = MAX_PARSED_CHARS
    for si, sent in enumerate(sentences):
        lo = bisect.bisect_left(starts, sent.start)
        hi = bisect.bisect_left(starts, sent.end, lo)
        s_mentions = mentions[lo:hi]
        # A possessive country may host a site ("Syria's naval base"), so it is parsed too.
        has_place = any(m.literal or text[m.end:m.end + 2] in ("'s", "\u2019s") for m in s_mentions) \
            or anaphor.search(sent.text) is not None
        if has_place and worth_parsing(sent.text, stems):
            budget -= len(sent.text)
            if budget < 0:
                log.warning("%s: %s: only the first %d characters of candidate sentences are parsed",
                            article.doc, PARSE_LIMIT_WARNING, MAX_PARSED_CHARS)
                break
            chosen.append((si, sent, s_mentions))
    docs = parse([sent.text for _, sent, _ in chosen])
    ctx = ArticleContext(gp, published=article.published)
    frames: list[Frame] = []
    for (si, sent, s_mentions), doc in zip(chosen, docs):
        found = sentence_frames(si, doc, s_mentions, sent.start, book, ctx)
        frames.extend(found)
        for f in found:
            if f.force is not None and f.cls != "presence" and f.force.kind:
                ctx.last_force = f.force
        ctx.places.extend((si, m) for m in s_mentions if m.literal)
    return frames, sentences, ctx


def main_actor(frames: list[Frame]) -> Optional[str]:
    """The side most frames are about (ties: the one named first)."""
    counts: Counter = Counter()
    for f in frames:
        if f.force is not None and f.force.actors and "actor.phrase" in f.force.rules:
            counts.update(f.force.actors[:1])
    if not counts:
        for f in frames:
            if f.force is not None and f.force.actors:
                counts.update(f.force.actors[:1])
    if not counts:
        return None
    first = {}
    for f in frames:
        if f.force is not None and f.force.actors:
            first.setdefault(f.force.actors[0], len(first))
    return max(counts, key=lambda a: (counts[a], -first.get(a, 0)))


def decisions(frames: list[Frame], book: Rulebook) -> list[Decision]:
    """Each (frame, place) pair with a status, in text order."""
    actor = main_actor(frames)
    out = []
    withdrawing_sides: set[str] = set()
    for f in frames:
        force = f.force
        if force is None:
            if actor is None:
                continue
            force = ForceRef("forces", "troops", (actor,), f.span[0], f.span[0], ("force.article",))
        elif not force.actors and actor:
            force = dataclasses.replace(force, actors=(actor,), rules=(*force.rules, "actor.article"))
        context = "withdrawal" if set(force.actors) & withdrawing_sides else "none"
        for p in f.places:
            role, m = p.role, p.mention
            if m.feature_type == "country" and m.country and m.country in force.actors:
                role = "home"  # a force in, or back in, its own country is no foreign posture
            elif m.country and m.country in force.actors and (f.cls == "arrive" or role == "destination") \
                    and m.feature_type in ("country", "region"):
                role = "home"  # "flew back to France": home; "landed at Getafe Air Base": the base it is now at
            row = book.status({**f.features, "role": role, "context": context, "feature": _extent(m)})
            if row.status is None:
                continue
            cue_rules = tuple(c.rule for c in f.cues)
            rules = (f.rule, *cue_rules, *force.rules, p.rule, row.id)
            out.append(Decision(f, m, role, row, force, rules))
        if f.cls in ("withdraw", "close", "move") and f.polarity == "positive" and f.modality not in ("superseded", "hedge"):
            withdrawing_sides.update(force.actors)
    return out


def _extent(m: Mention) -> str:
    if m.feature_type == "country":
        return "country"
    return "area" if m.feature_type in ("region", "corridor", "border", "continent", "water", "landform") else "point"


def best_per_place(decs: list[Decision]) -> list[Decision]:
    """The deciding report of each place: most confident, then the main side, then the later sentence."""
    counts: Counter = Counter((d.force.actors[:1] or ("",))[0] for d in decs)
    main = max(sorted(counts), key=lambda a: counts[a]) if counts else ""
    best: dict[str, tuple[tuple, Decision]] = {}
    for order, d in enumerate(decs):
        side = (d.force.actors[:1] or ("",))[0]
        key = (d.row.confidence, side == main and bool(main), d.frame.sentence, order)
        cur = best.get(d.mention.place_id)
        if cur is None or key >= cur[0]:
            best[d.mention.place_id] = (key, d)
    return [v[1] for v in best.values()]

