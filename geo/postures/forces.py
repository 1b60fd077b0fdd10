"""Force and actor phrases: which forces a sentence names, and whose they are.

A force phrase is a force noun (troops, border guards, a base, a monitoring
centre ...) with the words before it that name its side: a demonym or country
code ("Russian troops", "US forces"), a possessive country ("Germany's last
soldiers"), an organisation ("the United Nations peacekeeping mission"), a
country acting as subject ("The US will keep 900 troops") or, failing these,
the article's main side (:func:`article_actor`). A strength ("around 3,000
troops") is added to the phrase. Also here: the force a trigger speaks of
(:func:`nearest_force`) and triggers whose subject is a population
(:func:`about_civilians`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from gazetteer.normalize import fold_cached as fold

from geo.postures.vocabulary import CIVILIAN_NOUNS, ORG_ACTORS
from geo.postures.word_lists import alternation
from geo.postures.triggers import Trigger
from geocore.records import Mention

if TYPE_CHECKING:
    from geo.places.geoparse import Geoparser


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
# Word patterns of the force and actor rules, compiled once (they run per force noun).
WORD = re.compile(r"[\w’'-]+")
_WORD_DOT = re.compile(r"[\w’'.-]+")
_DASHES = re.compile(r"[-–]")
_POSSESSIVE = re.compile(r"(.+?)['’]s$")
PRONOUN_FORCE = re.compile(r"\b(they|them|their|theirs|those|its|it)\b", re.I)


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
class Force:
    """A force phrase of a sentence: its span, text, kind and sides (ISO codes or organisations)."""

    start: int
    end: int
    phrase: str
    kind: str
    actors: tuple[str, ...]


def find_forces(gp: "Geoparser", s_text: str, s_mentions: list[Mention], doc_actor: Callable[[], Optional[str]],
                s_start: int = 0) -> list[Force]:
    """Force phrases of a sentence; ``doc_actor()`` gives the article's default actor."""
    out = []
    for fm in FORCE.finditer(s_text):
        # "forces" in "joined forces" or "air force" as an institution is still a force; keep it simple.
        pre = s_text[max(0, fm.start() - 60):fm.start()]
        phrase_start = fm.start()
        words = list(WORD.finditer(pre))[-4:]
        actors: list[str] = []
        for w in reversed(words):
            token = w.group(0)
            isos = [gp.demonyms.get(fold(part)) or _code_country(gp.g, part) for part in _DASHES.split(token)]
            isos = [i for i in isos if i]
            if not isos and fold(token) in ORG_ACTORS:
                isos = [ORG_ACTORS[fold(token)]]
            poss = _POSSESSIVE.match(token)
            if poss and gp.country_by_name.get(fold(poss.group(1))):
                isos = [gp.country_by_name[fold(poss.group(1))]]
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
        out.append(Force(fm.start(), fm.end(), phrase.strip(), force_kind(fm.group(0)), tuple(dict.fromkeys(actors))))
    return out


def article_actor(gp: "Geoparser", text: str) -> Optional[str]:
    """The side (country or organisation) most often named before a force noun in the article."""
    counts: dict[str, int] = {}  # insertion order = first mention, the tie-breaker
    for fm in FORCE.finditer(text):
        org = _org_before(text[max(0, fm.start() - 60):fm.start()])
        if org:
            counts[org] = counts.get(org, 0) + 1
            continue
        for w in _WORD_DOT.findall(text, max(0, fm.start() - 40), fm.start())[-3:]:
            owner = _POSSESSIVE.match(w)
            if owner and gp.country_by_name.get(fold(owner.group(1))):
                iso = gp.country_by_name[fold(owner.group(1))]  # "Germany's last soldiers"
                counts[iso] = counts.get(iso, 0) + 1
                continue
            for part in _DASHES.split(w):
                iso = gp.demonyms.get(fold(part)) or _code_country(gp.g, part.rstrip("."))
                if iso:
                    counts[iso] = counts.get(iso, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda k: counts[k])  # ties: the side named first leads the article


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


_RELATIVE = re.compile(r",\s*(?:which|who|where|that|home\s+to)\b[^;]*?(?:,\s|$)", re.I)  # "3,000" is no clause end


def nearest_force(forces: list[Force], pos: int, s_text: str = "") -> Optional[Force]:
    """The force a trigger speaks of: the nearest, preferring the subject before it.

    A force inside a relative clause the trigger is not in ("The base, which
    hosts 3,000 troops, will close") is a weaker candidate than the head noun.
    """
    if not forces:
        return None
    clauses = [(m.start(), m.end()) for m in _RELATIVE.finditer(s_text)] if s_text else []

    def cost(f: Force):
        d = abs(f.start - pos) * (1.0 if f.start <= pos else 2.0)
        if any(a <= f.start < b and not a <= pos < b for a, b in clauses):
            d += 1000.0  # a last resort
        return (d, f.start)

    return min(forces, key=cost)


def about_civilians(s_text: str, t: Trigger) -> bool:
    """True when the trigger's subject is a population, not a force."""
    after = s_text[t.end:t.end + 30].lower()
    if re.match(r"\s+(their|his|her)\s+homes?\b", after):
        return True
    before = s_text[:t.start]
    words = WORD.findall(before)[-8:]
    for w in reversed(words):
        low = w.lower()
        if FORCE.fullmatch(low) or FORCE.fullmatch(w):
            return False
        if low in CIVILIAN_NOUNS or (w[:1].isupper() and low.endswith(("ians", "ians", "ese", "ish")) and low not in ("officials",)):
            return True
        if low.endswith("ans") and w[:1].isupper():
            return True
    return False


_ORG_PHRASE = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in ORG_ACTORS), key=len, reverse=True)) + r")\b[\w\s’'-]{0,30}$", re.I)


_ORG_ANY = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in ORG_ACTORS), key=len, reverse=True)) + r")\b", re.I)


def _org_before(pre: str) -> Optional[str]:
    """'The United Nations peacekeeping mission': an organisation named just before the force."""
    m = _ORG_PHRASE.search(pre[-60:])
    return ORG_ACTORS[fold(m.group(1))] if m else None


def _code_country(g, token: str) -> Optional[str]:
    """'US' -> 'US', 'UK' -> 'GB': country codes written before a force."""
    for r in g.exact_rows(token) or g.exact_rows(token + "."):
        if g.feature_type(r) == "country":
            return g.data.countries[r]
    return None
