"""Status triggers and the aspect rules that turn them into a status.

A trigger is a word or phrase that talks about a force's presence:

* ``withdraw`` class: withdraw, pull out, leave, depart, removal, closure,
  hand over, cease activities, wind down ...;
* ``stay`` class: remain, stay, keep, maintain, stationed, deployed, presence ...;
* ``unaffected``: "does not affect", "unaffected", "exempt from" (the force stays);
* ``motion``: enter, cross, move, go, head, arrive, pass through (status only
  from a withdrawal already under way in the article).

The status then follows from negation, modality, tense and aspect in a window
of words before the trigger (and a few after it):

=================  =====================================  ===============
trigger class       cue                                     status
=================  =====================================  ===============
withdraw            not / refused to / halted / cancelled   staying
withdraw            will / would / agreed / plan / request  withdrawing
withdraw            began / start of / under way / -ing     withdrawing
withdraw            past form / have left / completed /     withdrawn
                    following the departure / puts an end
withdraw            otherwise (noun, present)               withdrawing
stay                no longer / end to / not (past)         withdrawn
stay                not + will/would                        withdrawing
stay                briefly / temporarily / only until      withdrawing
stay                was due to / supposed to (superseded)   staying (low)
stay                were deployed / was stationed (history) staying (lower)
stay                otherwise                               staying
unaffected          -                                       staying
=================  =====================================  ===============
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from geo.postures.word_lists import alternation, trie

_I = re.IGNORECASE

# Alternatives that open with a lookbehind carry it after their first letter
# ("l(?<!no\sl)eft"): geo.postures.word_lists.alternation groups them by that letter.
WITHDRAW = re.compile(alternation([
    r"withdr[ae]w\w*", r"pull(?:s|ed|ing)?\s+(?:[\w’']+\s+){0,3}?(?:out|back)\b", r"pull-?outs?",
    r"leav(?:e|es|ing)(?!\s+(?:of\s+absence|behind))",
    r"l(?<!no\sl)(?<!nothing\sl)eft(?![\s-]+(?:wing|bank|side|flank|hand|over|behind|for|to|of|in\s+place))",
    r"depart(?:s|ed|ing|ure|ures)?", r"exit(?:s|ed|ing)?", r"evacuat\w*", r"remov(?:e|es|ed|ing|al)", r"relocat\w*",
    r"redeploy\w*", r"draw(?:s|ing)?[\s-]*down", r"drew\s+down", r"drawdowns?", r"scal(?:e|es|ed|ing)\s+back",
    r"hand(?:s|ed|ing)?\s+over", r"handover", r"closure", r"clos(?:e|es|ed|ing)\s+(?:down|the|its|their)",
    r"clos(?:e|es|ed|ing)\s+(?:(?:the|its|their|a|an|all|two|three|four|several|remaining|last)\s+)?"
    r"(?:bases?|camps?|facilit(?:y|ies)|posts?|outposts?|garrisons?|cent(?:er|re)s?)",
    r"c(?<=will\sc)lose", r"s(?<=will\ss)hut",
    r"c(?<=to\sc)lose(?!\s+(?:to|ties|relations))", r"s(?<=to\ss)hut(?!\s+(?:to|ties|relations))",
    r"shut(?:s|ting)?\s+down", r"dismantl\w*",
    r"ceas(?:e|es|ed|ing)\s+(?:its\s+|their\s+|all\s+)?(?:activities|activity|operations|work|functions)",
    r"end(?:s|ed|ing)?\s+(?:its|their)\s+(?:mission|presence|deployment|operations)", r"wind(?:s|ing)?\s+down",
    r"wound\s+down", r"vacat\w*", r"abandon\w*", r"retreat\w*", r"disband\w*", r"decommission\w*",
    r"return(?:s|ed|ing)?\s+(?:home|to\s+(?:their\s+)?(?:home|bases?|barracks|permanent))", r"now\s+back\s+(?:in|home)",
    r"fl(?:y|ies|ew|own|ying)\s+(?:out|home|back)", r"rotat(?:e|es|ed|ing)\s+out",
    *(rf"{verb}\s+(?:[\w’'-]+\s+){{0,4}}?out\b" for verb in (
        r"push(?:es|ed|ing)?", r"dr(?:ive|ives|ove|iven|iving)", r"forc(?:ed|ing)", r"kick(?:s|ed|ing)?")),
    r"expel(?:s|led|ling)?", r"reduc(?:e|es|ed|ing|tion)", r"halv(?:e|es|ed|ing)", r"downsiz\w*", r"disengag\w*",
    r"cut(?:s|ting)?\s+(?:back\s+)?(?:its|their|the)?\s*(?:troops?|forces|contingent|presence|garrison)",
    r"scal(?:e|es|ed|ing)\s+down", r"thin(?:s|ned|ning)?\s+out",
]), _I)
_POSTED = r"(?:stationed|deployed|based|garrisoned|in\s+place|present)"
STAY = re.compile(alternation([
    rf"remain(?:s|ed|ing)?\s+{_POSTED}", rf"stay(?:s|ed|ing)?\s+{_POSTED}",
    r"s(?<=are\ss)till\s+(?:in|at|on|inside)", r"s(?<=is\ss)till\s+(?:in|at|on|inside)",
    r"remain(?:s|ed|ing)?", r"stay(?:s|ed|ing)?(?!\s+of\b)", r"keep(?:s|ing)?", r"kept", r"maintain(?:s|ed|ing)?",
    r"retain(?:s|ed|ing)?", r"stationed", r"station(?:s|ing)?", r"deploy(?:s|ing)?", r"operat(?:e|es|ing)\s+(?:from|in|out\s+of)",
    r"sen(?:d|ds|ding|t)\s+(?:[\w,-]+\s+){0,4}?(?:troops|soldiers|forces|reinforcements|units?|battalions?|brigades?|"
    r"marines|paratroopers|warships?|jets|personnel|peacekeepers)",
    r"reinforc(?:e|es|ed|ing)", r"bolster\w*",
    r"host(?:s|ed|ing)?(?=\s+(?:[\w-]+\s+){0,3}(?:troops|soldiers|forces|garrison|base|bases|battalion|brigade|contingent))",
    r"based(?!\s+on\b)", r"garrisoned", r"patrol(?:s|led|ling)?", r"arriv(?:e|es|ed|ing)", r"land(?:s|ed|ing)\s+(?:in|at)",
    r"deployed", r"p(?<!at\sp)resent(?!ed|ly|ing|s)\b", r"presence",
    r"extend(?:s|ed|ing)?\s+(?:its|their|the)\s+(?:stay|mandate|presence|deployment)", r"prolong\w*",
    r"continu(?:e|es|ed|ing)\s+to\s+(?:operate|serve|be\s+(?:stationed|deployed|based))",
]), _I)
UNAFFECTED = re.compile(
    r"\b(?=[nue])(?:(?:not|n't|never)\s+(?:\w+\s+){0,3}?(?:affect|concern|include|cover|involve|apply\s+to)\w*|unaffected|"
    r"exempt(?:ed)?\s+from|excluded\s+from|not\s+(?:be\s+)?(?:part|subject)\s+of)\b",
    _I,
)
MOTION = re.compile(alternation([
    r"enter(?:s|ed|ing)?", r"cross(?:es|ed|ing)?", r"mov(?:e|es|ed|ing)", r"went", r"head(?:s|ed|ing)?",
    r"pass(?:es|ed|ing)?\s+through", r"return(?:s|ed|ing)?", r"escort(?:s|ed|ing)?",
    r"roll(?:s|ed|ing)?\s+(?:into|through|out)", r"transit\w*",
]), _I)

_NEG = re.compile(r"\b(not|n't|never|no\s+plans?\s+to|no\s+intention|refus\w+\s+to|declin\w+\s+to|ruled\s+out|den(?:y|ies|ied|ying)|"
                  r"reject\w*|halt\w*|cancel\w*|postpon\w*|suspend\w*|scrap\w*|revers\w*)\b", _I)
_MODAL = re.compile(r"\b(will|would|shall|'ll|plans?|planned|planning|agree\w*|intend\w*|expect\w*|due\s+to|set\s+to|"
                    r"going\s+to|to\s+be|could|may|might|should|must|request\w*|ask\w*|demand\w*|decid\w*|decision|"
                    r"announc\w*|order\w*|propos\w*|call\w*\s+for|want\w*|seek\w*|aim\w*|prepar\w*|stipulat\w*|"
                    r"promis\w*|vow\w*|pledg\w*|urg\w*|hint\w*|consider\w*|discuss\w*)\b", _I)
_BEGUN = re.compile(r"\b(bega[nu]|begun|begin\w*|start\w*|under\s*way|ongoing|in\s+progress|continu\w+|"
                    r"(?:is|are|was|were)\s+(?:now\s+|already\s+|still\s+)?\w+ing)\b", _I)
_DONE_BEFORE = re.compile(r"\b((?:complet\w*|finish\w*|conclud\w*)(?:\s+(?:its|their|the|his|her|our))?|follow\w*\s+the|after\s+the|since\s+the|"
                          r"(?:have|has|had)\s+(?:now\s+|already\s+|finally\s+)?(?:been\s+)?|(?:were|was)\s+(?:fully\s+)?|"
                          r"last\s+(?:\w+\s+)?(?:troops|soldiers|units))\s*$", _I)
_DONE_AFTER = re.compile(r"^[^.;]{0,40}?\b(puts?\s+an\s+end|put\s+an\s+end|ended|complete[d]?|is\s+over|was\s+completed)\b", _I)
_PAST_FORMS = re.compile(r"^(withdrew|withdrawn|left|departed|pulled|flew|flown|pushed|disengaged|reduced|halved|downsized|scaled|thinned|drove|driven|forced|kicked|expelled|evacuated|relocated|redeployed|vacated|abandoned|"
                         r"retreated|disbanded|decommissioned|handed|dismantled|closed|shut|ceased|ended|wound|drew|returned|now)\b", _I)
_LIMITED = re.compile(r"\b(briefly|temporar\w*|only\s+until|for\s+now|short\s+time|a\s+few\s+(?:days|weeks)|in\s+transit|"
                      r"(?:in\s+order\s+)?to\s+(?:organi[sz]e|prepare|complete|oversee)\s+(?:the\s+|their\s+|its\s+)?(?:departure|withdrawal|closure|pull-?out|exit|handover)|"
                      r"pending\s+(?:the\s+|their\s+)?(?:departure|withdrawal))\b", _I)
_SUPERSEDED = re.compile(r"\b(?:were|was|had(?:\s+been)?)\s+(?:\w+\s+){0,2}?(?:due|supposed|expected|scheduled|set|meant|"
                         r"planned|intended|hoped|wanted|originally\s+\w+)\s+to\s*$|\b(?:were|was)\s+to\s*$", _I)
_LEFT_BEHIND = re.compile(r"\s+(?:behind\s+)?(?:(?:a|an|one|two|three|some|several|about|around|only|a\s+few|"
                          r"a\s+small|small|\d[\d,]*|its|their)\s+){1,3}(?:[\w-]+\s+)?(?:troops|soldiers|brigades?|"
                          r"battalions?|units?|contingents?|personnel|guards|peacekeepers|companies|company|"
                          r"platoons?|garrisons?|force|forces|marines|servicemen)\b", _I)
_PAST_CONTEXT = re.compile(r"\b(at\s+(?:its|their|the)\s+peak|at\s+the\s+height|used\s+to|formerly|in\s+the\s+past|"
                           r"until\s+(?:recently|last\s+\w+))\b", _I)
_POSSIBLE = re.compile(r"\b(possibilit\w+|option|could|may|might|perhaps|possibly)\b", _I)
_HISTORY = re.compile(r"\b(?:were|was)\s+(?:\w+\s+)?$", _I)
_STAY_END = re.compile(r"\b(no\s+longer|end(?:s|ed|ing)?\s+(?:to|of)|an\s+end\s+to)\b", _I)


@dataclass(frozen=True)
class Trigger:
    """A status trigger found in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    kind: str  # withdraw | stay | unaffected | motion
    status: Optional[str]
    confidence: float
    cue: Optional[tuple[int, int]] = None  # the aspect/negation cue, if any

    def words(self, sentence: str) -> str:
        if self.cue and self.cue[0] < self.start:
            return sentence[self.cue[0]:self.end]
        return sentence[self.start:self.end]

    def spans(self) -> tuple[tuple[int, int], ...]:
        out = [(self.start, self.end)]
        if self.cue:
            out.append(self.cue)
        return tuple(sorted(set(out)))


def _window(sentence: str, start: int, words: int = 7) -> tuple[str, int]:
    """The text of up to ``words`` words before ``start`` (within the clause)."""
    before = sentence[:start]
    cut = max(before.rfind(";"), before.rfind(":"), before.rfind("—"))
    if cut >= 0:
        before = before[cut + 1:]
    offset = start - len(before)
    toks = list(re.finditer(r"\S+", before))
    if len(toks) > words:
        offset += toks[-words].start()
        before = before[toks[-words].start():]
    return before, offset


def _last(pat: re.Pattern, text: str, offset: int):
    ms = list(pat.finditer(text))
    if not ms:
        return None
    m = ms[-1]
    return (offset + m.start(), offset + m.end())


# Every trigger contains one of these; a sentence with none skips the regexes.
_STEMS = ("withdr", "pull", "reduc", "halv", "downsiz", "disengag", "cut", "thin", "send", "sent", "reinforc",
          "bolster", "host", "push", "driv", "drove", "forc", "kick", "expel", "fly", "flies", "flew", "flown", "flying", "leav", "left", "depart", "exit", "evacuat", "remov", "relocat", "redeploy", "draw",
          "drew", "scal", "hand", "clos", "shut", "dismantl", "ceas", "end", "wind", "wound", "vacat", "abandon",
          "retreat", "disband", "decommission", "return", "back", "remain", "stay", "keep", "kept", "maintain",
          "retain", "station", "operat", "rotat", "still", "close", "shut", "based", "garrison", "patrol", "arriv", "land", "deploy", "present", "presence",
          "extend", "prolong", "continu", "affect", "concern", "includ", "cover", "involv", "apply", "exempt",
          "exclud", "part", "subject", "enter", "cross", "mov", "went", "head", "pass", "escort", "roll", "transit")


_STEM_RE = re.compile(trie(set(_STEMS)))  # a trie: 5x faster than the plain alternation


class StemIndex:
    """Where trigger stems occur in a text, found in one pass.

    ``has_stem(start, end)`` tells whether ``text[start:end]`` contains one, so a
    caller looping over sentences skips the trigger regexes of most of them.

    Examples
    --------
    >>> idx = StemIndex("The sky is blue. Troops left.")
    >>> idx.has_stem(0, 16), idx.has_stem(17, 29)
    (False, True)
    """

    def __init__(self, text: str):
        low = text.lower()
        # lower() can lengthen a few characters (U+0130): offsets would no longer match, so check per range.
        self._text = text if len(low) != len(text) else None
        self._hits = [m.start() for m in _STEM_RE.finditer(low)] if self._text is None else []

    def has_stem(self, start: int, end: int) -> bool:
        if self._text is not None:
            return _STEM_RE.search(self._text[start:end].lower()) is not None
        k = bisect.bisect_left(self._hits, start)
        return k < len(self._hits) and self._hits[k] < end


def find_triggers(sentence: str, *, has_stem: Optional[bool] = None) -> list[Trigger]:
    """Every trigger in ``sentence`` with its status and confidence.

    ``has_stem`` is the answer of :class:`StemIndex` for this sentence, when the
    caller has one; otherwise the sentence is checked here.
    """
    if has_stem is None:
        has_stem = _STEM_RE.search(sentence.lower()) is not None
    if not has_stem:
        return []
    out: list[Trigger] = []
    for m in UNAFFECTED.finditer(sentence):
        out.append(Trigger(m.start(), m.end(), "unaffected", "staying", 0.8))
    covered = [(t.start, t.end) for t in out]
    for m in WITHDRAW.finditer(sentence):
        if any(a <= m.start() < b for a, b in covered):
            continue
        out.append(_withdraw(sentence, m))
    for m in STAY.finditer(sentence):
        if any(a <= m.start() < b for a, b in covered):
            continue
        out.append(_stay(sentence, m))
    for m in MOTION.finditer(sentence):
        if any(t.start <= m.start() < t.end for t in out):
            continue
        out.append(Trigger(m.start(), m.end(), "motion", None, 0.55))
    # "halve its troop presence": a presence that is being cut is not a stay.
    cuts = [t for t in out if t.kind == "withdraw"]
    out = [t for t in out if not (t.kind == "stay" and sentence[t.start:t.end].lower().startswith("presen")
                                  and any(0 <= t.start - c.end <= 25 for c in cuts))]
    return sorted(out, key=lambda t: (t.start, t.end))


def _withdraw(sentence: str, m: re.Match) -> Trigger:
    before, off = _window(sentence, m.start())
    word = m.group(0)
    if re.match(r"(?i)leav|left", word) and _LEFT_BEHIND.match(sentence[m.end():]):
        # "leaving one brigade in the corridor": what is left behind stays
        return Trigger(m.start(), m.end(), "stay", "staying", 0.7)
    neg = _last(_NEG, before, off)
    if neg:
        return Trigger(m.start(), m.end(), "withdraw", "staying", 0.7, neg)
    done = _last(_DONE_BEFORE, before, off)
    if done:  # "following the departure", "have withdrawn": adjacent to the trigger, it wins
        return Trigger(m.start(), m.end(), "withdraw", "withdrawn", 0.85, done)
    modal = _last(_MODAL, before, off)
    begun = _last(_BEGUN, before, off)
    if word.lower().endswith("ing") and re.search(r"\b(is|are|was|were)\s+(?:now\s+|already\s+|still\s+)?$", before, _I):
        return Trigger(m.start(), m.end(), "withdraw", "withdrawing", 0.85)
    if begun and (not modal or begun[0] > modal[0]):
        return Trigger(m.start(), m.end(), "withdraw", "withdrawing", 0.85, begun)
    if modal:
        return Trigger(m.start(), m.end(), "withdraw", "withdrawing", 0.8, modal)
    after = _DONE_AFTER.search(sentence[m.end():])
    if after and re.search(r"\b(will|would|shall|to\s+be|expected|due|set|should|must)\b",
                           sentence[m.end():m.end() + after.start(1)], _I):
        # "the drawdown will be completed by 2026": a completion still to come
        cue = (m.end() + after.start(1), m.end() + after.end(1))
        return Trigger(m.start(), m.end(), "withdraw", "withdrawing", 0.8, cue)
    if after:
        cue = (m.end() + after.start(1), m.end() + after.end(1))
        return Trigger(m.start(), m.end(), "withdraw", "withdrawn", 0.85, cue)
    if _PAST_FORMS.match(word) and not word.lower().startswith("withdrawal"):
        return Trigger(m.start(), m.end(), "withdraw", "withdrawn", 0.8)
    return Trigger(m.start(), m.end(), "withdraw", "withdrawing", 0.7)


def _stay(sentence: str, m: re.Match) -> Trigger:
    before, off = _window(sentence, m.start())
    around = sentence[max(0, m.start() - 60):min(len(sentence), m.end() + 60)]
    ended = _last(_STAY_END, before, off)
    if ended:
        future = re.search(r"\b(will|would|shall|'ll|to)\s+(?:\w+\s+)?$", sentence[:ended[0]], _I)
        return Trigger(m.start(), m.end(), "stay", "withdrawing" if future else "withdrawn", 0.65, ended)
    neg = _last(_NEG, before, off)
    if neg:
        status = "withdrawing" if re.search(r"\b(will|would|shall|'ll)\b", before, _I) else "withdrawn"
        return Trigger(m.start(), m.end(), "stay", status, 0.6, neg)
    lim = _LIMITED.search(around)
    if lim:
        base = max(0, m.start() - 60)
        return Trigger(m.start(), m.end(), "stay", "withdrawing", 0.7, (base + lim.start(), base + lim.end()))
    maybe = _last(_POSSIBLE, before, off)
    if maybe:
        return Trigger(m.start(), m.end(), "stay", "staying", 0.4, maybe)
    sup = _SUPERSEDED.search(before)
    if sup:
        return Trigger(m.start(), m.end(), "stay", "staying", 0.3, (off + sup.start(), off + sup.end()))
    word = m.group(0).lower()
    if _PAST_CONTEXT.search(sentence[:m.start()]):
        return Trigger(m.start(), m.end(), "stay", "staying", 0.4)  # "At its peak, ... stationed at": history
    if word in ("deployed", "stationed", "based", "garrisoned") and _HISTORY.search(before):
        return Trigger(m.start(), m.end(), "stay", "staying", 0.45)
    if re.search(r"\bhad\s+(?:\w+\s+)?$", before, _I):
        return Trigger(m.start(), m.end(), "stay", "staying", 0.4)  # past perfect: how things were
    if word.startswith(("arriv", "land")):
        return Trigger(m.start(), m.end(), "stay", "staying", 0.5)  # an arrival: present now, nothing more
    if word == "deployed" and re.search(r"\b(are|is|remain\w*|been|stay\w*)\s+(?:\w+\s+)?$", before, _I):
        return Trigger(m.start(), m.end(), "stay", "staying", 0.75)  # "are deployed": present state
    if word in ("presence", "present", "deployed"):
        return Trigger(m.start(), m.end(), "stay", "staying", 0.5)
    if word.startswith(("station", "deploy", "sen", "reinforc", "bolster", "host")) and not word.endswith("stationed"):
        return Trigger(m.start(), m.end(), "stay", "staying", 0.6)  # a (planned) deployment: present to come
    return Trigger(m.start(), m.end(), "stay", "staying", 0.8)
