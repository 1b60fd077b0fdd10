"""Places and their roles in a frame, found by climbing the parse from each place to its trigger.

From a place name the climb goes up its heads: through coordination ("in A,
B and C": every conjunct takes the first one's role), through the noun a
place qualifies ("the Gyumri base", "the town of Bo"), through a preposition
(which sets the role: "from" origin, "to" destination, "in" site ...), and
through the site or force noun it locates ("the base in X", "troops in X"),
until it reaches a trigger. A place that is a trigger's object takes the
class's object role ("left Kabul": origin). A venue word on the way ("talks
in Geneva") makes the place a venue; a place in apposition to another place
only locates it ("Gyumri, Armenia"). Words that stand for an earlier place
("the base", "there") are resolved to it. Prepositions, roles and word
lists are data (``rules/roles.yaml``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from geocore.records import Mention
from geo.postures.force_phrases import force_kind
from geo.postures.rulebook import Rulebook
from geo.postures.syntax import lemma, token_range

MAX_CLIMB = 10


@dataclass(frozen=True)
class PlaceRole:
    """A place of a frame, its role, and the rule that gave the role."""

    mention: Mention
    role: str
    rule: str
    anaphor: Optional[str] = None  # the word that stood for the place, if any


def _root(doc, a: int, b: int):
    idx = token_range(doc, a, b)
    if not idx:
        return None
    inside = set(idx)
    heads = [doc[i] for i in idx if doc[i].head.i not in inside or doc[i].head is doc[i]]
    return heads[0] if heads else doc[idx[-1]]


def _prep_role(prep, book: Rulebook) -> tuple[Optional[str], str]:
    word = prep.lower_
    prev = prep.nbor(-1).lower_ if prep.i > 0 else ""
    two = f"{prev} {word}"
    if two in book.prepositions:
        return book.prepositions[two], f"role.prep.{two.replace(' ', '-')}"
    return book.prepositions.get(word), f"role.prep.{word}"


def climb(start, triggers: dict, book: Rulebook, places: dict) -> tuple[Optional[int], Optional[str], str, Optional[int]]:
    """(trigger index, role, rule, force-noun index) reached from a place's root token.

    The force-noun index is the first force noun the climb passed through
    with a locative role ("troops in Kenema"), for presence frames.
    """
    t = start
    role, rule, force_i = None, "", None
    for _ in range(MAX_CLIMB):
        if t is start and role is None and _locates_unknown_place(t, places, book):
            return None, "locator", "role.locator.unknown-place", None  # "at X, South Kordofan": X is not known
        while t.dep_ in ("conj", "appos") and t.head is not t and t.head.i in places:
            m = places[t.i] if t.i in places else None
            if t.dep_ == "appos" and m is not None and m.feature_type in ("country", "region") and role is None \
                    and places[t.head.i].feature_type not in ("country", "region"):
                return None, "locator", "role.locator.apposition", None  # "Gyumri, Armenia"
            t = t.head  # a list of places: every member takes the first one's role
        if t.i in triggers and t is not start:
            return t.i, role, rule, force_i
        dep = t.dep_
        head = t.head
        if head is t:
            break
        if dep == "npadvmod" and head.i in places and role is None:
            return None, "locator", "role.locator.apposition", None
        if dep in ("poss", "compound", "nmod") and head.i in places and head.i != t.i:
            return None, "locator", "role.locator.possessive", None  # "Yerevan's Zvartnots airport"
        if dep in ("amod", "compound", "poss", "nmod") and force_kind(head, book) not in (None, "base") \
                and head.i not in triggers and not book.is_site_noun(head):
            return None, None, "role.force-modifier", None  # "Russian guards": whose force, not where
        if dep == "pobj" and head.dep_ in ("prep", "agent", "dative") and role is None and _distance_from(head, book):
            return None, "locator", "role.locator.distance", None  # "a village 30 km north of X"
        if dep == "pobj" and head.dep_ in ("prep", "agent", "dative"):
            r, why = _prep_role(head, book)
            gov = head.head
            if gov.lower_ in ("here", "there") and gov.dep_ == "advmod" and gov.head is not gov:
                gov = gov.head  # "troops here in X": the place locates what "here" qualifies
            if r == "site" and role is None and lemma(gov) == "be" and gov.i not in triggers:
                attr = next((c for c in gov.children if c.dep_ == "attr" and force_kind(c, book)), None)
                if attr is not None and _existential(gov):
                    return None, "site", "role.existential", attr.i  # "there will be troops in X"
            if head.lower_ == "to" and lemma(gov) in book.recipient_to and not _carries_troops(gov, book):
                return None, None, "role.recipient", None
            if r == "locator":
                return None, "locator", why, None
            if r == "site" and gov.i in places and role is None and gov.i not in triggers:
                return None, "locator", "role.locator.place-in-place", None  # "Hmeimim Air Base in Syria"
            if r is not None and not (role in ("destination", "origin", "transit") and role != r and t.i in places):
                # The preposition nearest the trigger decides: "withdrew from the base in X" is an origin.
                # A path's own end keeps its role: "from X towards Y", with "towards Y" parsed on X.
                role, rule = r, why
            if lemma(gov) in book.venue_nouns or (lemma(gov) in book.venue_verbs and gov.i not in triggers):
                return None, "venue", f"role.venue.{lemma(gov)}", None
            if role == "site" and force_i is None and force_kind(gov, book) and gov.i not in triggers:
                force_i = gov.i
            if gov.pos_ in ("VERB", "AUX") and gov.i not in triggers and not (
                    lemma(gov) in book.locating_verbs and gov.dep_ in ("acl", "relcl")):
                noun = _supported_noun(gov, triggers, book)
                if noun is not None:
                    return noun, role, f"{rule} role.support.{lemma(gov)}", force_i  # "the pullback was done at X"
                return None, None, f"role.other-verb.{lemma(gov)}", None  # "what they had done in Gaza"
            if gov.pos_ in ("NOUN", "PROPN") and gov.i not in triggers and gov.i not in places \
                    and not book.is_site_noun(gov) and not force_kind(gov, book) and lemma(gov) not in book.quantity_nouns \
                    and lemma(gov) not in book.division_nouns and lemma(gov) not in book.belongings \
                    and gov.lower_ not in book.belongings:
                # "retreated with their equipment from X to Y": what the force takes along moves with it
                return None, None, f"role.other-noun.{lemma(gov)}", None  # "demands from Saudi Arabia"
            t = gov
            continue
        if dep in ("dobj", "nsubjpass", "attr", "oprd", "nsubj") and head.i in triggers:
            if role is None:
                cls = triggers[head.i][1].cls
                site = t.i in places and places[t.i].feature_type in ("base", "site", "airport")
                if dep == "nsubj" and cls in ("withdraw", "close") and (site or book.is_site_noun(t)):
                    # "the monitoring centre will cease its activities": the site itself ends
                    return head.i, "site", f"role.subject-site.{cls}", force_i
                if dep == "nsubj" and cls not in ("close", "stay"):
                    return None, None, "role.subject", None
                role, rule = book.object_roles.get(cls), f"role.object.{cls}"
            return head.i, role, rule, force_i
        if dep == "acl" and lemma(t) in book.locating_verbs and t.i not in triggers and head.pos_ in ("NOUN", "PROPN"):
            if head.i in places and role in (None, "site"):
                return None, "locator", "role.locator.located-in", None  # the named site is the posture
            t = head  # "the centre set up in Agdam": the place locates the noun
            continue
        if dep in ("conj", "appos", "compound", "amod", "nmod", "poss", "dobj", "nsubjpass", "attr", "acl", "relcl",
                   "prep", "npadvmod", "advmod", "nsubj", "dep"):
            if head.pos_ in ("VERB", "AUX") and head.i not in triggers and dep not in ("conj", "prep") \
                    and not (lemma(head) in book.locating_verbs and head.dep_ == "acl"):
                break  # another verb's argument: not this trigger's place
            if dep == "relcl":
                break
            t = head
            continue
        t = head
    return None, role, rule, force_i


def _existential(be) -> bool:
    """'there is/will be/are going to be ...': the expletive on the verb or on the verb it completes."""
    return any(c.dep_ == "expl" for t in (be, be.head) for c in t.children)


def _distance_from(prep, book: Rulebook) -> bool:
    """'150 km southeast of', '40 miles from': the preposition measures a distance from its object."""
    if prep.lower_ not in ("of", "from"):
        return False
    unit = lambda c: lemma(c) in book.distance_units or c.lower_ in book.distance_units  # noqa: E731
    if any(c.dep_ == "npadvmod" and unit(c) for c in prep.children):
        return True  # "20 kilometres from Donetsk"
    gov = prep.head
    if prep.lower_ == "of" and lemma(gov) not in book.directions and gov.lower_ not in book.directions:
        return False
    return any(c.dep_ in ("npadvmod", "nmod", "pobj", "dobj") and unit(c) for c in gov.children) or unit(gov)


def _supported_noun(verb, triggers: dict, book: Rulebook) -> Optional[int]:
    """The trigger noun a support verb carries out ("the pullback was done", "completed the handover"), if any."""
    if lemma(verb) not in book.support_verbs:
        return None
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.i in triggers and c.pos_ in ("NOUN", "PROPN"):
            return c.i
    return None


def _carries_troops(verb, book: Rulebook) -> bool:
    """'the transfer of 300 soldiers to X', 'transferred the brigade to X': troops go to X, no one receives it."""
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    objs += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    return any(force_kind(o, book) not in (None, "base") and not book.is_site_noun(o) for o in objs)


def _locates_unknown_place(root, places: dict, book: Rulebook) -> bool:
    """A country or region that only locates a named place the gazetteer lacks.

    "the outpost at X, South Kordofan" (in apposition to an unknown name) and
    "the outpost at X village in Y State" (in a phrase on a site noun
    that an unknown name qualifies): the posture is the unknown place's.
    """
    m = places.get(root.i)
    if m is None or m.feature_type not in ("country", "region"):
        return False
    if root.dep_ == "compound" and root.head.lower_ in book.division_nouns:
        root = root.head  # "North Darfur State"
    head = root.head
    if root.dep_ == "appos":
        return _names_unknown_place(head, places, book)
    if root.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "of"):
        return head.head.i not in places and _names_unknown_place(head.head, places, book)
    return False


def _names_unknown_place(token, places: dict, book: Rulebook) -> bool:
    """An unknown name, or a site noun it qualifies ("X village", "X area")."""
    return _unknown_name(token, places, book) or (book.is_site_noun(token) and any(
        c.dep_ == "compound" and _unknown_name(c, places, book) for c in token.children))


def _unknown_name(token, places: dict, book: Rulebook) -> bool:
    """A capitalised proper noun that is not a place mention, nor a force ("MINUSMA in Mali")."""
    return token.pos_ == "PROPN" and token.text[:1].isupper() and token.i not in places and not force_kind(token, book) \
        and not book.is_site_noun(token)


def _relative_trigger(root, triggers: dict, book: Rulebook) -> Optional[tuple[int, str, str]]:
    """'Blida, from where troops are withdrawing': a relative clause on the place carries its trigger."""
    for c in root.children:
        if c.dep_ in ("appos", "npadvmod") and c.i in triggers and triggers[c.i][1].cls == "presence":
            return c.i, "site", "role.apposition.presence"  # "Camp X, home to 4,000 soldiers"
        if c.dep_ == "relcl" and c.i in triggers:
            for g in c.children:
                if g.lower_ in ("which", "that") and g.dep_ in ("nsubjpass", "dobj"):
                    return c.i, book.object_roles.get(triggers[c.i][1].cls, "site"), "role.relative.object"
    return None


def _where_clauses(doc, triggers: dict, book: Rulebook) -> list[tuple[int, int, str, str]]:
    """(index of the word before 'where', trigger index, role, rule) for each 'X, (from) where ... TRIGGER'."""
    out = []
    for t in doc:
        if t.lower_ != "where" or t.head.i not in triggers:
            continue
        prev = t.i - 1
        role, rule = "site", "role.relative.where"
        if prev >= 0 and doc[prev].dep_ == "prep" or (prev >= 0 and doc[prev].lower_ in book.prepositions):
            r, why = _prep_role(doc[prev], book)
            role, rule, prev = r or role, why.replace("role.prep", "role.relative"), prev - 1
        while prev >= 0 and doc[prev].is_punct:
            prev -= 1
        if prev >= 0:
            out.append((prev, t.head.i, role, rule))
    return out


def link_places(doc, spans: list, triggers: dict, book: Rulebook, anaphors: list) -> tuple[dict, dict]:
    """Places linked to triggers and to force nouns.

    Parameters
    ----------
    spans : list of (Mention, start, end)
        The sentence's place mentions, offsets in the sentence.
    triggers : dict
        Token index -> (token, TriggerRule).
    anaphors : list of (token, Mention)
        Words standing for an earlier place, already resolved.

    Returns
    -------
    (by_trigger, by_force)
        Token index of a trigger -> [PlaceRole]; token index of a force noun -> [PlaceRole].
    """
    places = {i: m for m, a, b in spans for i in token_range(doc, a, b)}
    places.update((tok.i, m) for tok, m in anaphors if tok.i not in places)  # "the capital" stands for a place
    by_trigger: dict[int, list[PlaceRole]] = {}
    by_force: dict[int, list[PlaceRole]] = {}
    items = [(m, _root(doc, a, b), None) for m, a, b in spans if m.literal]
    # "stationed at Syria's naval base": a host country named as the possessor of a site
    items += [(m, r, None) for m, a, b in spans if not m.literal and m.feature_type == "country"
              for r in [_root(doc, a, b)] if r is not None and r.dep_ == "poss" and book.is_site_noun(r.head)]
    items += [(m, tok, tok.lower_) for tok, m in anaphors]
    where = _where_clauses(doc, triggers, book)
    linked: dict[int, tuple[int, str]] = {}  # place root -> (trigger, role)
    linked_force: dict[int, int] = {}  # place root -> force noun it locates
    unplaced = []
    contained = _contained_locators(doc, spans)
    for m, root, word in items:
        if root is None or (word is None and _part_of_longer_name(root, places, book)):
            continue
        if word is None and root.i in contained:
            continue  # "Gao in Mali" however the parser attached "in Mali": Mali only locates Gao
        for last, i, role, rule in where:
            if root.i <= last < root.i + 3 or any(c.i == last for c in root.subtree if c.dep_ == "conj"):
                by_trigger.setdefault(i, []).append(PlaceRole(m, role, rule, word))
        rel = _relative_trigger(root, triggers, book)
        if rel is not None:  # "the base, which was closed": the clause's trigger, besides the one above
            by_trigger.setdefault(rel[0], []).append(PlaceRole(m, rel[1], rel[2], word))
        i, role, rule, force_i = climb(root, triggers, book, places)
        if i is None:
            if role == "site" and force_i is not None:
                why = rule if rule == "role.existential" else "role.presence.force-noun"
                by_force.setdefault(force_i, []).append(PlaceRole(m, "site", why, word))
                linked_force[root.i] = force_i
            elif role is None and word is None:
                unplaced.append((m, root, word))
            continue
        if role is None and word in ("there", "here"):
            role, rule = "site", f"role.anaphor.{word}"
        if role is None:
            unplaced.append((m, root, word))
            continue
        by_trigger.setdefault(i, []).append(PlaceRole(m, role, rule, word))
        linked[root.i] = (i, role)
    for m, root, word in unplaced:
        # "in Kadugli and Dilling" parsed with Dilling as the verb's conjunct, "in Mali as well as
        # Niger" with Niger under "as": the place joins the linked place before the coordinator.
        first = root.i
        while first > 0 and places.get(first - 1) is m:
            first -= 1
        prev = first - 1
        while prev >= 0 and (doc[prev].dep_ in ("cc", "punct") or doc[prev].lower_ in COORDINATORS):
            prev -= 1
        if prev >= first - 1 or not _coordinated(doc, prev + 1, first):
            continue
        if root.dep_ != "conj" and not prev < root.head.i < first and not any(
                doc[j].dep_ == "cc" and doc[j].head.i == root.head.i for j in range(prev + 1, first)):
            continue  # joined by the parse to a coordinator between them, or a conjunct: not "Gao, Mali said"
        before = [k for k in (*linked, *linked_force) if k <= prev and all(doc[j].i in places for j in range(k, prev + 1))]
        if not before:
            continue
        k = max(before)
        if k in linked:
            i, role = linked[k]
            by_trigger.setdefault(i, []).append(PlaceRole(m, role, "role.coordination", word))
            linked[root.i] = (i, role)
        else:
            by_force.setdefault(linked_force[k], []).append(PlaceRole(m, "site", "role.coordination", word))
            linked_force[root.i] = linked_force[k]
    return by_trigger, by_force


COORDINATORS = frozenset({"and", "or", ",", "as", "well", "plus"})


def _coordinated(doc, a: int, b: int) -> bool:
    """The words between two places join them: 'and', 'or', a comma, 'as well as'."""
    words = [doc[j].lower_ for j in range(a, b)]
    if "as" in words or "well" in words:
        return " ".join(w for w in words if w != ",") in ("as well as", "and as well as")
    return bool(words)


def _contained_locators(doc, spans: list) -> set[int]:
    """Root tokens of countries and regions that directly follow a place they contain ("Gao in Mali")."""
    out = set()
    by_end = {}
    for m, a, b in spans:
        idx = token_range(doc, a, b)
        if idx:
            by_end[idx[-1]] = m
    for m, a, b in spans:
        idx = token_range(doc, a, b)
        if not idx or m.feature_type not in ("country", "region") or idx[0] < 2:
            continue
        prep = doc[idx[0] - 1]
        inner = by_end.get(idx[0] - 2)
        if prep.lower_ == "in" and inner is not None and inner is not m and inner.country == m.country \
                and inner.feature_type not in ("country",):
            root = _root(doc, a, b)
            if root is not None:
                out.add(root.i)
    return out


def _part_of_longer_name(root, places: dict, book: Rulebook) -> bool:
    """'Camp Foster', 'Prince Sultan Air Base': the name is part of a longer proper name the gazetteer lacks."""
    for c in root.children:
        if c.dep_ == "compound" and c.i not in places and c.text[:1].isupper() and c.i < root.i \
                and c.lower_ in book.name_prefixes:
            return True
    head = root.head
    return (root.dep_ == "compound" and head.i not in places and head.pos_ == "PROPN" and head.text[:1].isupper()
            and book.is_site_noun(head))


def anaphor_tokens(doc, in_place: set[int], book: Rulebook) -> list:
    """Tokens that may stand for an earlier place: 'there', 'here', 'the base' (no place name of its own)."""
    out = []
    for t in doc:
        if t.i in in_place:
            continue
        low = t.lower_
        if low in ("there", "here") and t.dep_ in ("advmod", "pobj") and low in book.anaphora:
            out.append(t)
        elif low in book.anaphora and t.pos_ == "NOUN" and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children):
            named = t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN" and doc[t.i + 1].text[:1].isupper()
            if not any(c.dep_ in ("compound", "amod", "poss", "nmod") and c.i in in_place for c in t.children) and not any(
                    c.dep_ == "prep" and c.lower_ in ("of", "in", "at", "near") for c in t.children) and not named:
                out.append(t)  # not "the capital Tskhinvali", which names its place
    return out
