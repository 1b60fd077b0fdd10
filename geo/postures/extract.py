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
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional, Union

from gazetteer.normalize import fold_cached as fold

from geo.places.geoparse import Geoparser
from geo.postures.vocabulary import CIVILIAN_NOUNS, LOCATIVE_PREPS, ORG_ACTORS, PLACE_FILLERS, VENUE_WORDS
from geocore.records import Article, Mention, Report
from geo.postures.word_lists import alternation
from geo.text.sentences import split_sentences
from geo.postures.triggers import StemIndex, Trigger, find_triggers

FORCE = re.compile(alternation([
    r"peacekeeping\s+(?:mission|force|forces|contingent|troops|operation)",
    r"air\s*bases?", r"naval\s+bases?", r"military\s+bases?", r"bases?",
    r"headquarters", r"troops?", r"soldiers?", r"servicem[ae]n", r"service\s*members", r"personnel", r"armed\s+forces",
    r"forces?", r"military(?!\s+(?:offensive|operation|operations|aid|cooperation|alliance|allies|ally|pact|exercises?|"
    r"drills?|spending|budget|doctrine|equipment|action))",
    r"army", r"corps", r"units?", r"battalions?", r"brigades?", r"divisions?", r"regiments?", r"contingents?",
    r"garrisons?", r"peacekeep\w*", r"blue\s+helmets", r"border\s+guards?", r"guards", r"border\s+posts?", r"posts",
    r"checkpoints?", r"facilit(?:y|ies)", r"monitoring\s+(?:center|centre|mission|post)s?", r"observers?",
    r"convoys?", r"columns?", r"marines", r"paratroopers", r"mercenar\w+", r"advis[eo]rs", r"instructors",
    r"warships?", r"fleet", r"jets", r"aircraft", r"air\s+defen[cs]es?", r"contractors", r"militi\w+", r"fighters",
]), re.I)
_STRENGTH = re.compile(
    r"\b((?:about|around|nearly|some|approximately|roughly|up\s+to|more\s+than|over|at\s+least|almost)\s+)?"
    r"(\d{1,3}(?:,\d{3})+|\d+)(?:-strong)?\s+(?:(?:(?-i:[A-Z][\w-]+)|(?-i:[a-z]+ing)|additional|more|of\s+(?:them|its|their))\s+){0,2}"
    r"(troops|soldiers|servicemen|personnel|peacekeepers|guards|border\s+guards|marines|contingent|men|blue\s+helmets)?",
    re.I,
)
MIN_CONFIDENCE = 0.35
# Word patterns of the force and actor rules, compiled once (they run per force noun).
_WORD = re.compile(r"[\w’'-]+")
_WORD_DOT = re.compile(r"[\w’'.-]+")
_WORD_OR_COMMA = re.compile(r"[\w’'-]+|,")
_DASHES = re.compile(r"[-–]")
_POSSESSIVE = re.compile(r"(.+?)['’]s$")
_PRONOUN_FORCE = re.compile(r"\b(they|them|their|theirs|those|its|it)\b", re.I)
_ANAPHORA = re.compile(r"\b(there(?!\s+(?:is|are|was|were|has|have|had|will|would|seems?|appears?|remains?)\b)|(?:the|that|this)\s+(?:air\s+|naval\s+|military\s+)?(?:region|area|base|city|town|territory|enclave|zone|facility|country|province))\b", re.I)
_DESTINATION_PREPS = ("to", "into", "towards", "toward")
_ORIGIN_PREPS = ("from", "out of", "off")
_TRANSIT_PREPS = ("through", "via", "across")


def force_kind(noun: str) -> str:
    """Canonical force type of a force noun."""
    n = noun.lower()
    if "peacekeep" in n or "blue helmet" in n:
        return "peacekeepers"
    if "guard" in n or "post" in n or "checkpoint" in n:
        return "border guards"
    if "monitoring" in n or "observer" in n:
        return "monitoring centre"
    if "base" in n or "facilit" in n or "garrison" in n:
        return "base"
    if "convoy" in n or "column" in n:
        return "convoy"
    if "warship" in n or "fleet" in n or "naval" in n:
        return "naval forces"
    if "jet" in n or "aircraft" in n or "air defen" in n:
        return "air forces"
    if "mercenar" in n or "contractor" in n:
        return "mercenaries"
    return "troops"


@dataclass
class _Force:
    start: int
    end: int
    phrase: str
    kind: str
    actors: tuple[str, ...]


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
                actor_memo.append(self._doc_actor(text))
            return actor_memo[0]

        def forces_of(s_text: str, s_mentions: list, s_start: int) -> list[_Force]:
            return [f for f in self._forces(s_text, s_mentions, doc_actor, s_start)
                    if not any(m.start - s_start <= f.start < m.end - s_start for m in s_mentions)]

        reports: list[Report] = []
        last_places: list[tuple[int, Mention]] = []  # (sentence index, mention)
        resolved_force: Optional[_Force] = None
        pending: list[tuple] = []  # sentences with force words whose forces are not computed yet

        def last_force_now() -> Optional[_Force]:
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
                    eligible = [(m, role) for m in s_mentions for role in [self._role(s_text, sent.start, m, ends)] if role]
                    self._remember(si, s_mentions, eligible, last_places)
                continue
            ends = {o.end: o for o in s_mentions}
            forces = forces_of(s_text, s_mentions, sent.start)
            last_force = last_force_now()
            civilian = {id(t) for t in all_triggers if _about_civilians(s_text, t)}
            triggers = [t for t in all_triggers if id(t) not in civilian]
            if any(t.kind != "motion" for t in all_triggers):
                # A real status word outranks a bare motion verb in the same sentence.
                all_triggers = [t for t in all_triggers if t.kind != "motion"]
            eligible = [(m, role) for m in s_mentions for role in [self._role(s_text, sent.start, m, ends)] if role]
            pronoun_force = bool(_PRONOUN_FORCE.search(s_text)) and last_force is not None
            if triggers and (forces or pronoun_force):
                if not eligible:
                    ana = _ANAPHORA.search(s_text)
                    if ana and last_places:
                        ref = self._antecedent(ana.group(1).lower(), last_places, si)
                        if ref is not None:
                            eligible = [(ref, ("anaphora", ana.start()))]
                            if pronoun_force:
                                # "They will stay at the base": "the base" is the place, "they" the force.
                                forces = [f for f in forces if not (ana.start() <= f.start < ana.end())]
                for m, (role, pos) in eligible:
                    trig = _governing(all_triggers, pos, role, s_text)
                    if trig is None or id(trig) in civilian:
                        continue  # the nearest status word is about civilians
                    status, conf = trig.status, trig.confidence
                    force = _nearest_force(forces, trig.start, s_text) or last_force
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
                        site_force = _Force(force.start, force.end, force.phrase, "base", force.actors)
                    place_m = self._upgrade_site(m, site_force)
                    reports.append(self._report(article, sent, place_m, trig, status, conf, force))
            if any(t.kind == "withdraw" and t.status in ("withdrawing", "withdrawn") for t in triggers) and (forces or pronoun_force):
                for f in forces or [last_force]:
                    withdrawal_actors.update(f.actors)
            if forces:
                resolved_force = forces[-1]
                pending.clear()
            self._remember(si, s_mentions, eligible, last_places)
        return reports

    # ---------------------------------------------------------------- pieces
    @staticmethod
    def _remember(si: int, s_mentions: list, eligible, last_places: list) -> None:
        """Antecedents: eligible places, and specific places named in any role ("hosts the base")."""
        named = {m.place_id for m, (role, _) in eligible if role in ("location", "origin")}
        for m in s_mentions:
            if m.place_id in named or (m.literal and m.feature_type in ("base", "site", "airport", "corridor", "region")):
                last_places.append((si, m))

    def _role(self, s_text: str, s_start: int, m: Mention, ends: dict) -> Optional[tuple[str, int]]:
        """(role, position) of a mention that can be a posture place, else None."""
        a, b = m.start - s_start, m.end - s_start
        if not m.literal:
            # "Djibouti's naval base": the possessive may name the host, not the owner;
            # the report loop keeps it only when the force is someone else's.
            if m.feature_type == "country" and _HOST_BASE.match(s_text[b:b + 40]):
                return ("host", a)
            return None
        # A bounded window: the rules look a few words back, and a hostile
        # sentence with thousands of places must stay linear.
        before = s_text[max(0, a - 300):a]
        # "Gyumri, Armenia", "Hmeimim Air Base in Syria": the country only qualifies the place before it.
        if m.feature_type == "country":
            link = re.search(r"\s*(?:,|in|,\s*in)\s*$", before)
            if link:
                prev = ends.get(m.start - len(link.group(0)))
                if prev is not None and prev.feature_type != "country":
                    return None
        prep = _governing_prep(before)
        if prep is not None:
            word, at = prep
            if _is_venue(before[:at]):
                return None
            if word in _ORIGIN_PREPS:
                return ("origin", a)
            if word in _DESTINATION_PREPS:
                return ("destination", a)
            if word in _TRANSIT_PREPS:
                return ("transit", a)
            return ("location", a)
        # A place right after a trigger verb ("left Kherson") or before a force ("the Gyumri base").
        if re.search(r"\b(left|leave|leaves|leaving|vacated|abandoned|evacuated|quit|entered|enter|enters|entering|crossed|reached)\s+(?:the\s+)?$", before, re.I):
            verb = re.search(r"(\w+)\s+(?:the\s+)?$", before).group(1).lower()
            return ("destination" if verb.startswith(("enter", "cross", "reach")) else "origin", a)
        if FORCE.match(s_text[b:].lstrip()) and not re.match(r"['’]s", s_text[b:]):
            return ("location", a)
        return None

    def _antecedent(self, word: str, last_places: list, si: int) -> Optional[Mention]:
        for sj, m in reversed(last_places):
            if si - sj > 3:
                break
            if "base" in word or "facility" in word:
                if m.feature_type in ("base", "site", "city", "town"):
                    return m
                continue
            if any(k in word for k in ("region", "territory", "enclave", "zone", "province")) and m.feature_type not in ("region", "corridor"):
                continue
            if "country" in word and m.feature_type != "country":
                continue
            return m
        return None

    def _forces(self, s_text: str, s_mentions: list[Mention], doc_actor, s_start: int = 0) -> list[_Force]:
        """Force phrases of a sentence; ``doc_actor()`` gives the article's default actor."""
        out = []
        for fm in FORCE.finditer(s_text):
            # "forces" in "joined forces" or "air force" as an institution is still a force; keep it simple.
            pre = s_text[max(0, fm.start() - 60):fm.start()]
            phrase_start = fm.start()
            words = list(_WORD.finditer(pre))[-4:]
            actors: list[str] = []
            for w in reversed(words):
                token = w.group(0)
                isos = [self.gp.demonyms.get(fold(part)) or _code_country(self.g, part) for part in _DASHES.split(token)]
                isos = [i for i in isos if i]
                if not isos and fold(token) in ORG_ACTORS:
                    isos = [ORG_ACTORS[fold(token)]]
                poss = _POSSESSIVE.match(token)
                if poss and self.gp.country_by_name.get(fold(poss.group(1))):
                    isos = [self.gp.country_by_name[fold(poss.group(1))]]
                if isos:
                    actors = isos + actors
                    phrase_start = fm.start() - (len(pre) - w.start())
                elif token.lower() in ("its", "their") and not actors:
                    subj = [m for m in s_mentions if m.feature_type == "country" and not m.literal]
                    if subj:
                        actors = [subj[0].country]
                    else:
                        org = _ORG_ANY.search(s_text[:fm.start()])
                        if org:
                            actors = [ORG_ACTORS[fold(org.group(1))]]
                elif FORCE.fullmatch(token) or token.lower() in ("battlegroup", "battlegroups", "task", "force"):
                    continue
                elif not (token[:1].islower() and token.lower() in _NP_WORDS):
                    if not token[:1].isdigit():
                        break
            if not actors:
                org = _org_before(pre)
                if org:
                    actors = [org]
            if not actors:
                # "The US will keep 900 troops": the country acting as subject before the force.
                subj = [m for m in s_mentions if not m.literal and m.start - s_start < fm.start()
                        and (m.feature_type == "country" or m.feature_type in ("city", "town")) and m.country]
                if subj:
                    actors = [subj[0].country]
            if not actors:
                org = _ORG_ANY.search(s_text[:fm.start()])  # "NATO said it would station a battalion"
                if org:
                    actors = [ORG_ACTORS[fold(org.group(1))]]
            if not actors and doc_actor():
                actors = [doc_actor()]
            phrase = s_text[phrase_start:fm.end()]
            strength = _strength(s_text, fm.start(), fm.end())
            if strength and strength[1] <= fm.start() < strength[2]:
                # The strength phrase contains this force noun: take the union of both spans.
                phrase = re.sub(r"\s+", " ", s_text[min(phrase_start, strength[1]):max(fm.end(), strength[2])])
            elif strength:
                phrase = f"{phrase} ({strength[0]})"
            out.append(_Force(fm.start(), fm.end(), phrase.strip(), force_kind(fm.group(0)), tuple(dict.fromkeys(actors))))
        return out

    def _doc_actor(self, text: str) -> Optional[str]:
        """The side (country or organisation) most often named before a force noun in the article."""
        counts: dict[str, int] = {}  # insertion order = first mention, the tie-breaker
        for fm in FORCE.finditer(text):
            org = _org_before(text[max(0, fm.start() - 60):fm.start()])
            if org:
                counts[org] = counts.get(org, 0) + 1
                continue
            for w in _WORD_DOT.findall(text, max(0, fm.start() - 40), fm.start())[-3:]:
                owner = _POSSESSIVE.match(w)
                if owner and self.gp.country_by_name.get(fold(owner.group(1))):
                    iso = self.gp.country_by_name[fold(owner.group(1))]  # "Germany's last soldiers"
                    counts[iso] = counts.get(iso, 0) + 1
                    continue
                for part in _DASHES.split(w):
                    iso = self.gp.demonyms.get(fold(part)) or _code_country(self.g, part.rstrip("."))
                    if iso:
                        counts[iso] = counts.get(iso, 0) + 1
        if not counts:
            return None
        return max(counts, key=lambda k: counts[k])  # ties: the side named first leads the article

    def _upgrade_site(self, m: Mention, force: _Force) -> Mention:
        """'the base in Gyumri' -> the curated base near Gyumri, when there is one."""
        if force.kind not in ("base", "monitoring centre") or m.feature_type not in ("city", "town"):
            return m
        kinds = ("base",) if force.kind == "base" else ("base", "site")
        rows = self.g.sites_near(fold(m.name), kinds) or self.g.sites_near(fold(m.text), kinds)
        if force.kind == "monitoring centre":
            rows = [r for r in rows if re.search(r"monitor|observ", " ".join((self.g.data.names[r], *self.g.data.aliases.get(r, ()))), re.I)] or rows
        if not rows:
            return m
        p = self.g.place(rows[0])
        return Mention(m.start, m.end, m.text, p.place_id, p.name, p.feature_type, p.country, p.lat, p.lon, True, m.score)

    def _report(self, article: Article, sent, m: Mention, trig: Trigger, status: str, conf: float, force: _Force) -> Report:
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


_NP_WORDS = frozenset("""
the a an some of its their his her our all most many several few remaining last major main small large joint
military naval air border special elite additional more other new former about around nearly some approximately
roughly up to than over at least almost thousand thousands hundreds dozen dozens remaining stationed
""".split())


def _strength(s_text: str, start: int, end: int) -> Optional[tuple[str, int, int]]:
    """('around 3,000 troops', start, end) near the force noun, or None."""
    base = max(0, start - 60)
    for m in _STRENGTH.finditer(s_text[base:end + 60]):
        num = m.group(2)
        if len(num) == 4 and num.startswith(("19", "20")) and "," not in num:
            continue  # a year, not a strength
        if m.group(3) or "-strong" in m.group(0):
            text = m.group(0).rstrip()
            a, b = base + m.start(), base + m.start() + len(text)
            # The strength belongs to this force if it contains the noun or follows it closely
            # ("base, home to around 3,000 troops"), never if it precedes it.
            if a <= start < b or (end <= a <= end + 40):
                return re.sub(r"\s+", " ", text), a, b
    return None


def _governing_prep(before: str) -> Optional[tuple[str, int]]:
    """The locative preposition governing a place that follows ``before``."""
    toks = list(_WORD_OR_COMMA.finditer(before))
    skipped = 0
    i = len(toks) - 1
    while i >= 0 and skipped <= 6:
        t = toks[i].group(0)
        low = t.lower()
        if low == "of" and i >= 1 and toks[i - 1].group(0).lower() == "out":
            return ("out of", toks[i - 1].start())
        if low in LOCATIVE_PREPS and low != "of":
            return (low, toks[i].start())
        if low in PLACE_FILLERS or t[:1].isupper() or t[:1].isdigit() or t == "," or re.match(r".+['’]s$", t):
            skipped += 1
            i -= 1
            continue
        return None
    return None


def _is_venue(before: str) -> bool:
    words = _WORD.findall(before)[-6:]
    return any(w.lower() in VENUE_WORDS for w in words)


def _governing(triggers: list[Trigger], pos: int, role: str, s_text: str = "") -> Optional[Trigger]:
    """The trigger nearest to the place, preferring one before it."""
    best, best_d = None, None
    for t in triggers:
        if t.kind == "unaffected" and t.start > pos and not re.search(r"(affected|exempt\w*|excluded)\b", s_text[t.start:t.end]):
            continue  # "does not affect the base" governs what follows; "X is not affected" what precedes
        d = pos - t.end if t.end <= pos else (t.start - pos) * 1.5
        if best_d is None or d < best_d:
            best, best_d = t, d
    return best


def _about_civilians(s_text: str, t: Trigger) -> bool:
    """True when the trigger's subject is a population, not a force."""
    after = s_text[t.end:t.end + 30].lower()
    if re.match(r"\s+(their|his|her)\s+homes?\b", after):
        return True
    before = s_text[:t.start]
    words = _WORD.findall(before)[-8:]
    for w in reversed(words):
        low = w.lower()
        if FORCE.fullmatch(low) or FORCE.fullmatch(w):
            return False
        if low in CIVILIAN_NOUNS or (w[:1].isupper() and low.endswith(("ians", "ians", "ese", "ish")) and low not in ("officials",)):
            return True
        if low.endswith("ans") and w[:1].isupper():
            return True
    return False


_CAUSATIVE = re.compile(r"(?:push|dr[io]v|forc|kick|expel)", re.I)
_HOST_BASE = re.compile(r"['’]s\s+(?:\w+\s+)?(?:naval\s+|air\s+|military\s+)?(?:base|airbase|port|facility|garrison)\b", re.I)
_RELATIVE = re.compile(r",\s*(?:which|who|where|that|home\s+to)\b[^;]*?(?:,\s|$)", re.I)  # "3,000" is no clause end


def _nearest_force(forces: list[_Force], pos: int, s_text: str = "") -> Optional[_Force]:
    """The force a trigger speaks of: the nearest, preferring the subject before it.

    A force inside a relative clause the trigger is not in ("The base, which
    hosts 3,000 troops, will close") is a weaker candidate than the head noun.
    """
    if not forces:
        return None
    clauses = [(m.start(), m.end()) for m in _RELATIVE.finditer(s_text)] if s_text else []

    def cost(f: _Force):
        d = abs(f.start - pos) * (1.0 if f.start <= pos else 2.0)
        if any(a <= f.start < b and not a <= pos < b for a, b in clauses):
            d += 1000.0  # a last resort
        return (d, f.start)

    return min(forces, key=cost)


_ORG_PHRASE = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in ORG_ACTORS), key=len, reverse=True)) + r")\b[\w\s’'-]{0,30}$", re.I)


_ORG_ANY = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in ORG_ACTORS), key=len, reverse=True)) + r")\b", re.I)


def _org_before(pre: str) -> Optional[str]:
    """'The United Nations peacekeeping mission': an organisation named just before the force."""
    m = _ORG_PHRASE.search(pre[-60:])
    return ORG_ACTORS[fold(m.group(1))] if m else None


def _country_name(g, iso: str) -> str:
    if len(iso) != 2:
        return iso  # an organisation ("United Nations")
    p = g.country(iso)
    return p.name if p is not None else iso


def _code_country(g, token: str) -> Optional[str]:
    """'US' -> 'US', 'UK' -> 'GB': country codes written before a force."""
    for r in g.exact_rows(token) or g.exact_rows(token + "."):
        if g.feature_type(r) == "country":
            return g.data.countries[r]
    return None
