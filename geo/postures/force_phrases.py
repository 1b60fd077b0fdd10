"""The force a frame speaks of, and whose it is, read from the parse.

The force of a trigger is, in order: its subject (or the subject of the verb
that governs it: "Kenyan troops began to leave"), its object when that is a
force ("withdrew its troops"), the "of" phrase or possessor of a trigger noun
("the withdrawal of Russian troops", "Russia's pullout"), the nearest force
noun of the sentence, then the article's last force. A pronoun ("they")
stands for the last force. The actor is the demonym, country, country code,
organisation or possessor inside the force phrase ("US Marines", "Germany's
jets", "UN peacekeepers"), else a country or organisation that is the
subject, else the article's main side. Force nouns, organisations and
civilian nouns are data (``rules/forces.yaml``, ``rules/actors.yaml``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from gazetteer.normalize import fold_cached as fold
from geo.postures.rulebook import Rulebook, TriggerRule
from geo.postures.syntax import lemma

_PRONOUNS = frozenset({"they", "them", "it", "we", "those", "their", "its"})
_PHRASE_DEPS = ("amod", "compound", "nummod", "quantmod", "poss", "nmod", "npadvmod")


@dataclass(frozen=True)
class ForceRef:
    """A force: its phrase, kind, sides (ISO codes or organisation names), offsets and the rules that found it."""

    phrase: str
    kind: str
    actors: tuple[str, ...]
    start: int
    end: int
    rules: tuple[str, ...]
    civilian: bool = False


def force_kind(token, book: Rulebook) -> Optional[str]:
    """The kind of force a noun names, or None if it names none."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    prev = token.nbor(-1).lower_ if token.i > 0 else ""
    phrase = book.force_phrases.get((prev, token.lower_))
    if phrase:
        return phrase
    kind = book.force_nouns.get(token.lower_) or book.force_nouns.get(lemma(token))
    if kind:
        return kind
    if token.lower_ in book.organisations:
        return "troops"
    return None


def force_tokens(doc, in_place: set[int], book: Rulebook) -> list:
    """The sentence's force nouns that are not part of a place name."""
    return [t for t in doc if t.i not in in_place and force_kind(t, book)]


def _place_of(token, spans: list) -> Optional[object]:
    idx = token.idx
    for m, a, b in spans:
        if a <= idx < b:
            return m
    return None


def _actor_of_token(tok, spans: list, book: Rulebook, ctx) -> Optional[str]:
    m = _place_of(tok, spans)
    if m is not None and m.feature_type == "country" and m.country:
        return m.country
    low = tok.lower_
    if low in book.organisations:
        return book.organisations[low]
    for key in (fold(tok.text), fold(tok.text.rstrip("."))):
        iso = ctx.gp.demonyms.get(key) or ctx.country_code(tok.text)
        if iso:
            return iso
    return None


def _phrase(f, doc) -> tuple[int, int]:
    left = f.i
    for c in f.children:
        if c.dep_ in _PHRASE_DEPS and c.i < f.i:
            left = min(left, c.left_edge.i)
    while left < f.i and doc[left].dep_ in ("det", "punct", "cc"):
        left += 1
    return left, f.i


def make_force(f, doc, spans: list, book: Rulebook, ctx, rules: tuple[str, ...],
               subject_actor: Optional[str] = None) -> ForceRef:
    """A :class:`ForceRef` for force noun ``f``, with its actor."""
    left, right = _phrase(f, doc)
    actors: list[str] = []
    for tok in doc[left:right + 1]:
        a = _actor_of_token(tok, spans, book, ctx)
        if a and a not in actors:
            actors.append(a)
    for a in _multiword_organisations(doc[left:right + 1], book):  # "United Nations peacekeepers"
        if a not in actors:
            actors.append(a)
    for c in f.children:  # "troops of the UN", "forces from Kenya"
        if c.dep_ == "prep" and c.lower_ in ("of", "from"):
            for g in c.children:
                a = _actor_of_token(g, spans, book, ctx) if g.dep_ == "pobj" else None
                if a and a not in actors:
                    actors.append(a)
    rule = "actor.phrase" if actors else "actor.none"
    if not actors and subject_actor:
        actors, rule = [subject_actor], "actor.subject"
    text = doc[left:right + 1].text
    kind = force_kind(f, book) or "troops"
    return ForceRef(text, kind, tuple(actors), doc[left].idx, f.idx + len(f.text), (*rules, f"force.{kind}", rule))


def _multiword_organisations(span, book: Rulebook) -> list[str]:
    """Organisations of two or more words named inside a phrase, longest name first."""
    words = [t.lower_ for t in span]
    out = []
    for n in range(min(book.max_organisation_words, len(words)), 1, -1):
        for i in range(len(words) - n + 1):
            actor = book.organisations.get(" ".join(words[i:i + n]))
            if actor and actor not in out:
                out.append(actor)
    return out


def _speaker_actor(token, spans: list, book: Rulebook, ctx) -> Optional[str]:
    """The country or organisation that says what a pronoun subject will do: "NATO said it would station ..."."""
    t = token
    for _ in range(3):
        if t.dep_ not in ("ccomp", "xcomp", "conj") or t.head is t:
            return None
        t = t.head
        for c in t.children:
            if c.dep_ == "nsubj":
                a = _actor_of_token(c, spans, book, ctx)
                if a:
                    return a
    return None


def _through_quantity(token, book: Rulebook):
    """'a handful of border guards' -> 'guards'."""
    if lemma(token) in book.quantity_nouns or token.lower_ in book.quantity_nouns:
        for c in token.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
    return token


def _people(token, ctx) -> bool:
    """'Armenians', 'Syrians': a nationality in the plural names people, not a force."""
    if token.tag_ not in ("NNPS", "NNS") or not token.text[:1].isupper() or not token.lower_.endswith("s"):
        return False
    return bool(ctx.gp.demonyms.get(fold(token.text[:-1])) or ctx.gp.demonyms.get(fold(token.text)))


def _subjects(token) -> list:
    t = token
    for _ in range(4):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "agent")]
        if t.pos_ in ("NOUN", "PROPN"):
            subj += [c for c in t.children if c.dep_ == "poss"]
            subj += [g for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "by") for g in c.children
                     if g.dep_ == "pobj"]
        if any(s.dep_ == "expl" for s in subj):  # "there remain only peacekeepers"
            subj = [c for c in t.children if c.dep_ in ("attr", "nsubj", "dobj")] or subj
        subj = [s for s in subj if s.dep_ != "expl"]
        if subj:
            return subj
        if t.dep_ in ("xcomp", "conj", "advcl", "ccomp") and t.head is not t:
            t = t.head
            continue
        if t.dep_ in ("relcl", "acl"):  # "the troops, who left X": the noun the clause belongs to
            return [t.head]
        break
    return []


def force_of(token, rule: Optional[TriggerRule], doc, spans: list, in_place: set[int], book: Rulebook,
             ctx) -> Optional[ForceRef]:
    """The force a trigger (or, with ``rule`` None, a force noun) speaks of."""
    if rule is None:
        return make_force(token, doc, spans, book, ctx, ("force.noun",))
    subject_actor = None
    if any(c.dep_ == "dobj" and lemma(c) == "home" and any(g.dep_ == "poss" for g in c.children) for c in token.children):
        return ForceRef("people", "", (), token.idx, token.idx, ("force.civilian.homes",), civilian=True)
    if rule.force_is_object:  # "drove the troops out of X": the object is the force that left
        for o in token.children:
            if o.dep_ == "dobj" and force_kind(o, book) and o.i not in in_place:
                return make_force(o, doc, spans, book, ctx, ("force.object",))
    for s in _subjects(token):
        if s.lower_ in book.civilians or lemma(s) in book.civilians or _people(s, ctx):
            return ForceRef(s.text, "", (), s.idx, s.idx + len(s.text), ("force.civilian",), civilian=True)
        if s.i in in_place:
            subject_actor = _actor_of_token(s, spans, book, ctx) or subject_actor
            continue
        if s.lower_ in _PRONOUNS and ctx.last_force is not None:
            return ctx.last_force
        if s.lower_ in _PRONOUNS:
            subject_actor = _speaker_actor(token, spans, book, ctx) or subject_actor  # "NATO said it would ..."
            continue
        s = _through_quantity(s, book)
        if force_kind(s, book):
            return make_force(s, doc, spans, book, ctx, ("force.subject",))
        subject_actor = _actor_of_token(s, spans, book, ctx) or subject_actor
    objects = [c for c in token.children if c.dep_ in ("dobj", "attr")]
    for o in objects:
        if force_kind(o, book) and o.i not in in_place:
            return make_force(o, doc, spans, book, ctx, ("force.object",), subject_actor)
        if o.lower_ in ("them", "it") and ctx.last_force is not None:
            return ctx.last_force
    nouns = [t for t in ctx.sentence_forces if t.i != token.i]
    if nouns:
        near = min(nouns, key=lambda t: (abs(t.i - token.i) * (1 if t.i < token.i else 2), t.i))
        return make_force(near, doc, spans, book, ctx, ("force.nearest",), subject_actor)
    if ctx.last_force is not None:
        return ctx.last_force
    if subject_actor:
        return ForceRef("forces", "troops", (subject_actor,), token.idx, token.idx, ("force.subject-country",))
    return None
