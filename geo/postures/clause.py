"""Polarity, modality and aspect of a trigger, read from its clause.

The cues are the trigger's own children (negation, auxiliaries, adverbs) and
the verbs that govern it: the head of an infinitive ("refused to leave",
"began to withdraw"), the verb a trigger noun is the object or subject of
("ordered the closure", "the withdrawal was completed"), or the verb of a
prepositional object ("called for the withdrawal"). The words are data
(``rules/cues.yaml``); each cue found carries its rule id.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from geo.postures.rulebook import Rulebook, TriggerRule
from geo.postures.syntax import lemma

MAX_CHAIN = 3
# "called for the withdrawal", "agreed on the pullout", "an end to the presence"
GOVERNING_PREPS = frozenset({"for", "on", "to", "of"})
_MODALITY_ORDER = ("order", "agreement", "plan", "demand", "future", "hedge")


@dataclass(frozen=True)
class Cue:
    """A word that set a frame feature: ``feature`` (polarity, modality, aspect), its value, the word and rule."""

    feature: str
    value: str
    word: str
    rule: str
    span: tuple[int, int]


def governors(token) -> list:
    """The tokens that govern a trigger's clause, nearest first."""
    chain = []
    t = token
    if t.pos_ in ("NOUN", "PROPN"):
        # A trigger noun: the one verb (or noun) it is the object or subject of, then that verb's chain.
        if t.dep_ == "compound" and t.head.dep_ in ("dobj", "nsubj", "nsubjpass") and t.head.head.pos_ in ("VERB", "AUX"):
            t = t.head  # "held its farewell parade": the verb of the phrase the trigger qualifies
        if t.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "compound"):
            t = t.head
        elif t.dep_ == "pobj" and t.head.lower_ in GOVERNING_PREPS and t.head.head.pos_ in ("VERB", "NOUN", "ADJ", "AUX"):
            t = t.head.head
        else:
            return chain
        chain.append(t)
    for _ in range(MAX_CHAIN):
        if t.dep_ not in ("xcomp", "acl") or t.head is t:
            break
        t = t.head
        chain.append(t)
    return chain


def _cue(feature: str, value: str, tok, kind: str) -> Cue:
    return Cue(feature, value, tok.text, f"cue.{feature}.{kind}.{lemma(tok)}", (tok.idx, tok.idx + len(tok.text)))


def _polarity(token, chain: list, book: Rulebook) -> Optional[Cue]:
    neg_words = book.cue("negation", "words")
    for t in [token, *chain]:
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in neg_words and t is token):
                return _cue("polarity", "negative", c, "words")
            if c.dep_ == "advmod" and c.lower_ in book.cue("negation", "ended") and any(
                    g.lower_ in neg_words for g in c.children):
                return _cue("polarity", "ended", c, "ended")  # "no longer"
    if token.dep_ == "pobj" and token.head.lower_ == "to" and lemma(token.head.head) in book.cue("negation", "ended"):
        return _cue("polarity", "ended", token.head.head, "ended")  # "an end to the presence"
    for t in chain:
        if lemma(t) in book.cue("negation", "governors"):
            return _cue("polarity", "negative", t, "governors")
    if token.dep_ == "ccomp" and lemma(token.head) in book.cue("negation", "denials"):
        return _cue("polarity", "negative", token.head, "denials")
    return None


def _modality(token, chain: list, book: Rulebook, rule: Optional[TriggerRule]) -> Optional[Cue]:
    found: list[tuple[int, Cue]] = []
    for depth, t in enumerate([token, *chain]):
        for c in t.children:
            low = lemma(c)
            if c.dep_ == "aux" and (low in book.cue("modality", "future") or c.lower_ in book.cue("modality", "future")):
                found.append((depth, _cue("modality", "future", c, "future")))
            elif c.dep_ == "aux" and c.lower_ in book.cue("modality", "hedge"):
                found.append((depth, _cue("modality", "hedge", c, "hedge")))
            elif c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                found.append((depth, _cue("modality", "hedge", c, "hedge")))
            elif c.dep_ == "aux" and c.lower_ == "to" and t is token and t.dep_ == "ROOT":
                # "German troops to leave base": a headline's bare infinitive is a plan
                found.append((depth, _cue("modality", "plan", c, "headline-infinitive")))
            elif t is token and c.dep_ in ("advmod", "prep", "amod") and low in book.cue("modality", "limited"):
                if rule is not None and rule.cls in ("stay", "presence"):
                    found.append((depth, _cue("modality", "limited", c, "limited")))
        if depth:
            low = lemma(t)
            for kind in _MODALITY_ORDER:
                if low in book.cue("modality", kind) or t.lower_ in book.cue("modality", kind):
                    found.append((depth, _cue("modality", kind, t, kind)))
                    break
    purpose = _purpose_of_leaving(token, book)
    if purpose is not None:
        found.append((0, purpose))
    if not found:
        return None
    for depth, cue in sorted((f for f in found if f[0]), key=lambda f: f[0]):
        gov = [token, *chain][depth]
        if (lemma(gov) in book.cue("modality", "superseded") or gov.lower_ in book.cue("modality", "superseded")) \
                and _past_copula(gov):
            # "were due to stay (until 2044)", "was supposed to leave": a plan overtaken by events
            return Cue("modality", "superseded", cue.word, cue.rule.replace(f".{cue.value}.", ".superseded."), cue.span)
    limited = [f for f in found if f[1].value == "limited"]
    if limited:
        return limited[0][1]  # "will only briefly stay": the limit is what matters
    return min(found, key=lambda f: (f[0], _MODALITY_ORDER.index(f[1].value)))[1]


def _purpose_of_leaving(token, book: Rulebook) -> Optional[Cue]:
    """'went to X in order to organize their closure': a stay or move whose purpose is the departure is limited."""
    for c in token.children:
        clauses = []
        if c.dep_ == "prep" and c.lower_ == "in":
            clauses = [a for g in c.children if g.dep_ == "pobj" and g.lower_ == "order" for a in g.children
                       if a.dep_ == "acl"]
        elif c.dep_ in ("advcl", "xcomp") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            clauses = [c]
        for verb in clauses:
            for obj in verb.children:
                if obj.dep_ == "dobj" and any(r.cls in ("withdraw", "close") for r in book.nouns.get(lemma(obj), ())):
                    return _cue("modality", "limited", obj, "purpose")
    return None


def _past_copula(gov) -> bool:
    auxes = [c for c in gov.children if c.dep_ in ("aux", "auxpass", "cop")]
    if gov.pos_ == "ADJ" or gov.tag_ == "VBN":
        return any(a.tag_ == "VBD" for a in auxes) or (gov.head.lemma_ == "be" and gov.head.tag_ == "VBD")
    return False


def _aspect(token, chain: list, book: Rulebook) -> Optional[Cue]:
    for t in [token, *chain[:1]]:
        for c in t.children:  # "at its peak, the mission had 12,000 troops": a past state, not today's
            if c.dep_ == "prep" and any(g.dep_ == "pobj" and lemma(g) in book.cue("aspect", "history")
                                        for g in c.children):
                return _cue("aspect", "history", next(g for g in c.children if g.dep_ == "pobj"), "history")
    if token.pos_ == "NOUN" and chain:
        for c in chain[0].children:  # "the withdrawal is complete", "the handover is over"
            if c.dep_ in ("acomp", "advmod", "prt") and lemma(c) in book.cue("aspect", "complete"):
                return _cue("aspect", "complete", c, "complete")
    for t in chain:
        low = lemma(t)
        if low in book.cue("aspect", "complete"):
            return _cue("aspect", "complete", t, "complete")
        if low in book.cue("aspect", "begin") or low in book.cue("aspect", "continue"):
            return _cue("aspect", "begun", t, "begin")
    around = [token, *(chain[:1] if token.pos_ == "NOUN" else [])]
    for t in around:
        for c in t.children:
            if c.lower_ in book.cue("aspect", "ongoing") and c.dep_ in ("acomp", "advmod", "amod", "pobj", "prep"):
                return _cue("aspect", "ongoing", c, "ongoing")
            if c.dep_ == "prep" and c.lower_ == "under" and any(g.lower_ == "way" for g in c.children):
                return _cue("aspect", "ongoing", c, "ongoing")
    verbs = [token] if token.pos_ != "NOUN" else chain[:1]
    for t in verbs:
        auxes = [c for c in t.children if c.dep_ in ("aux", "auxpass")]
        if t.tag_ == "VBG" and any(lemma(a) == "be" for a in auxes):
            return _cue("aspect", "progressive", next(a for a in auxes if lemma(a) == "be"), "progressive")
        have = [a for a in auxes if lemma(a) == "have"]
        if have and t.tag_ == "VBN":
            return _cue("aspect", "perfect", have[0], "perfect")
        if t.tag_ == "VBD" or (t.tag_ == "VBN" and any(a.tag_ == "VBD" for a in auxes)):
            return _cue("aspect", "past", t, "past")
        if t.tag_ == "VBN" and t.dep_ in ("amod", "acl") and not auxes:
            return _cue("aspect", "past", t, "past")
    return None


def clause_features(token, rule: Optional[TriggerRule], book: Rulebook) -> tuple[str, str, str, tuple[Cue, ...]]:
    """(polarity, modality, aspect, cues) of a trigger token."""
    chain = governors(token)
    pol = _polarity(token, chain, book)
    mod = _modality(token, chain, book, rule)
    asp = _aspect(token, chain, book)
    cues = tuple(c for c in (pol, mod, asp) if c is not None)
    return (pol.value if pol else "positive", mod.value if mod else "none", asp.value if asp else "none", cues)
