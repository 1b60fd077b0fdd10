"""Event frames: what one sentence says about a force's presence, read from its dependency parse.

For each status trigger of a sentence (:mod:`geo.postures.rules`, triggers.yaml)
a :class:`Frame` holds the trigger and its class, its polarity, modality and
aspect (:mod:`geo.postures.clause`), the force and whose it is
(:mod:`geo.postures.force_phrases`), and the places it governs, each with a
role (:mod:`geo.postures.roles`). A force noun with a locative phrase and no
trigger ("UN troops in Kenema") makes a *presence* frame. Every decision
carries the id of the rule that made it.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional

from geocore.records import Mention
from geo.postures.clause import Cue, clause_features, governors
from geo.postures.force_phrases import ForceRef, force_kind, force_of, force_tokens
from geo.postures.roles import PlaceRole, anaphor_tokens, link_places
from geo.postures.divisions import division_spans
from geo.postures.rulebook import Rulebook, TriggerRule
from geo.postures.syntax import lemma, token_range


@dataclass(frozen=True)
class Frame:
    """One trigger of one sentence, with everything the status is decided from.

    ``span`` is the trigger's (start, end) offsets in the sentence; ``places``
    keeps every place the trigger governs, whatever its role.
    """

    sentence: int
    trigger: str
    span: tuple[int, int]
    cls: str
    rule: str
    polarity: str
    modality: str
    aspect: str
    cues: tuple[Cue, ...]
    force: Optional[ForceRef]
    places: tuple[PlaceRole, ...]

    @property
    def features(self) -> dict:
        return {"class": self.cls, "polarity": self.polarity, "modality": self.modality, "aspect": self.aspect}


def _particle_ok(token, rule: TriggerRule) -> bool:
    if not rule.particles:
        return True
    words = {c.lower_ for c in token.children if c.dep_ in ("prt", "advmod", "prep", "npadvmod", "dobj")}
    nxt = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
    return bool(words & set(rule.particles)) or nxt in rule.particles


def _object_ok(token, rule: TriggerRule, book: Rulebook) -> bool:
    if not rule.objects:
        return True
    objs = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "pobj", "attr")]
    objs += [g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if "@force" in rule.objects and any(force_kind(o, book) for o in objs):
        return True  # "has 7,000 personnel in ...": any force noun as the object
    if "@troops" in rule.objects and any(force_kind(o, book) not in (None, "base") and not book.is_site_noun(o) for o in objs):
        return True  # "leaving one brigade in X": a force noun that is not a site ("the checkpoint")
    return any(lemma(o) in rule.objects or o.lower_ in rule.objects for o in objs)


def _subject_ok(token, rule: TriggerRule, book: Rulebook) -> bool:
    """A rule with subjects holds only when the verb's subject is one of them ("@force": any force noun)."""
    if not rule.subjects:
        return True
    subj = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    if "@force" in rule.subjects and any(force_kind(s, book) for s in subj):
        return True
    return any(lemma(s) in rule.subjects or s.lower_ in rule.subjects for s in subj)


def _other_object(token, rule: TriggerRule, in_place: set[int], book: Rulebook) -> bool:
    """True when a moving or leaving verb's direct object is a thing that is neither a force, a site nor a place."""
    if rule.cls not in ("move", "withdraw", "close", "stay") or rule.objects:
        return False
    objects = [c for c in token.children if c.dep_ == "dobj"]
    # "nothing was left of the garrison": a passive whose subject is a thing
    objects += [c for c in token.children if c.dep_ == "nsubjpass" and c.tag_ in ("NN", "NNS")]
    return bool(objects) and all(
        (c.pos_ == "NOUN" or c.tag_ in ("NN", "NNS")) and c.i not in in_place and not force_kind(c, book) and not book.is_site_noun(c)
        and lemma(c) not in book.belongings and c.lower_ not in book.belongings
        and not (rule.cls == "stay" and (lemma(c) in book.nouns or c.lower_ in book.nouns))  # "keep a presence"
        and not any(g.i in in_place for g in c.children if g.dep_ in ("compound", "nmod", "amod", "appos", "poss"))
        for c in objects)


def trigger_rule(token, book: Rulebook) -> Optional[TriggerRule]:
    """The trigger rule a token satisfies, most specific first (a particle or object rule before a bare one)."""
    low = lemma(token)
    if token.dep_ == "prep":
        return None  # "including", "following": a preposition, not an event
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        rules = book.verbs.get(low, ())
    elif token.pos_ in ("NOUN", "PROPN"):
        rules = book.nouns.get(low, ()) or book.nouns.get(token.lower_, ())
    else:
        rules = book.verbs.get(low, ()) if token.tag_ in ("JJ", "VBN") else ()
    if low == "go" and any(c.dep_ == "xcomp" and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children)
                           for c in token.children):
        return None  # "are going to stay": the future, not a move
    ranked = sorted(rules, key=lambda r: (not (r.particles or r.objects or r.subjects)))
    for rule in ranked:
        if rule.cls == "unaffected" and not _negated(token):
            continue  # "the deal affects the base" says nothing; "does not affect" says it stays
        if _particle_ok(token, rule) and _object_ok(token, rule, book) and _subject_ok(token, rule, book):
            return rule
    return None


def _negated(token) -> bool:
    return any(c.dep_ == "neg" for t in (token, *governors(token)) for c in t.children)


def _move_described_locations(doc, triggers: dict, by_trigger: dict) -> None:
    """'the relocation of German troops stationed at X will start': X is where the relocation starts from.

    A stay or arrival participle that only describes where a force is ("troops
    stationed at X", "deployed at X") hands its places to the withdrawal or move the same force is the
    subject or object of.
    """
    for i, (token, rule) in triggers.items():
        if rule.cls not in ("stay", "arrive") or token.dep_ not in ("acl", "relcl") or i not in by_trigger:
            continue
        force = token.head
        holder = force.head if force.dep_ in ("nsubj", "nsubjpass", "dobj") else None
        if force.i in triggers and triggers[force.i][1].cls in ("withdraw", "close", "move"):
            holder = force  # the participle parsed on the event noun itself ("the transfer ... based at X")
        if force.dep_ == "pobj" and force.head.lower_ == "of":
            holder = force.head.head
            for _ in range(2):  # "the relocation to Jordan of troops": climb the phrase to its trigger noun
                if holder.i in triggers or holder.dep_ != "pobj":
                    break
                holder = holder.head.head
        if holder is not None and (holder.i not in triggers or triggers[holder.i][1].cls == "stay"):
            # "the force based in X held its farewell parade": the withdrawal noun in the verb's object
            nouns = [g for o in holder.children if o.dep_ == "dobj" for g in (o, *o.children)
                     if g.i in triggers and triggers[g.i][1].cls in ("withdraw", "close")]
            holder = nouns[0] if nouns else holder
        if holder is None or holder.i not in triggers or triggers[holder.i][1].cls not in ("withdraw", "close", "move"):
            continue
        moved = [PlaceRole(p.mention, "origin", "role.described-location", p.anaphor) for p in by_trigger.pop(i)]
        by_trigger.setdefault(holder.i, []).extend(moved)


def sentence_frames(si: int, doc, s_mentions: list[Mention], s_start: int, book: Rulebook, ctx) -> list[Frame]:
    """The frames of one parsed sentence.

    Parameters
    ----------
    si : int
        The sentence's index in the article.
    doc : spacy.tokens.Doc
        The parsed sentence.
    s_mentions : list of Mention
        The geoparser's mentions inside the sentence (article offsets).
    s_start : int
        The sentence's offset in the article.
    ctx : ArticleContext
        The article's state: geoparser, last force, earlier places, main actor.
    """
    spans = division_spans(ctx.gp.g, doc, [(m, m.start - s_start, m.end - s_start) for m in s_mentions], book)
    in_place = {i for _, a, b in spans for i in token_range(doc, a, b)}
    ctx.sentence_forces = force_tokens(doc, in_place, book)
    triggers = {}
    for token in doc:
        if token.i not in in_place:
            rule = trigger_rule(token, book)
            if rule is not None:
                triggers[token.i] = (token, rule)
    anaphors = [(t, m) for t in anaphor_tokens(doc, in_place, book)
                for m in [ctx.antecedent(t.lower_, book.anaphora[t.lower_], si)] if m is not None]
    by_trigger, by_force = link_places(doc, spans, triggers, book, anaphors)
    _move_described_locations(doc, triggers, by_trigger)
    frames = []
    for i, (token, rule) in sorted(triggers.items()):
        if _other_object(token, rule, in_place, book):
            continue  # "sent Qatar a list", "withdrew its ambassador": not a force's move
        polarity, modality, aspect, cues = clause_features(token, rule, book)
        if rule.cls in ("stay", "arrive", "presence") and aspect in ("none", "past", "perfect"):
            dated = _earlier_year(token, getattr(ctx, "published", None))
            if dated is not None:  # "were deployed there in 2015", read in a 2024 article: history
                aspect, cues = "history", (*cues, dated)
        force = force_of(token, rule, doc, spans, in_place, book, ctx)
        if force is not None and force.civilian:
            continue  # "residents left their homes": not about a force
        frames.append(Frame(si, token.text, (token.idx, token.idx + len(token.text)), rule.cls, rule.id,
                            polarity, modality, aspect, cues, force, tuple(by_trigger.get(i, ()))))
    for i, places in sorted(by_force.items()):
        token = doc[i]
        force = force_of(token, None, doc, spans, in_place, book, ctx)
        aspect = "past" if token.head.tag_ == "VBD" and lemma(token.head) == "be" else "none"
        frames.append(Frame(si, token.text, (token.idx, token.idx + len(token.text)), "presence",
                            "trigger.presence.force-noun", "positive", "none", aspect, (), force, tuple(places)))
    return _sentence_history(frames, triggers)


def _earlier_year(token, published) -> Optional[Cue]:
    """A year before the article's own, in a time phrase of the trigger ("in 2015", "during 2019")."""
    if published is None:
        return None
    for c in token.children:
        if c.dep_ != "prep" or c.lower_ not in ("in", "during"):
            continue
        for g in c.subtree:
            if g.like_num and len(g.text) == 4 and g.text.isdigit() and 1900 < int(g.text) < published.year:
                return Cue("aspect", "history", g.text, "cue.aspect.history.earlier-year", (g.idx, g.idx + 4))
    return None


def _sentence_history(frames: list[Frame], triggers: dict) -> list[Frame]:
    """'At its peak, the mission had ... most of them stationed in X': the main clause's past holds for the rest."""
    main = next((f for f in frames if f.aspect == "history"
                 and any(tok.dep_ == "ROOT" and tok.idx == f.span[0] for tok, _ in triggers.values())), None)
    if main is None:
        return frames
    cue = next(c for c in main.cues if c.value == "history")
    return [f if f.aspect in ("history", "begun", "ongoing", "complete") or f.cls not in ("stay", "presence")
            else dataclasses.replace(f, aspect="history", cues=(*f.cues, cue)) for f in frames]
