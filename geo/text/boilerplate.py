"""Drop paragraphs of normalised text that are not article prose.

:func:`strip_boilerplate` removes, by general rules (no outlet-specific ones),
navigation stubs and "Read more" links, donation and subscription appeals,
copyright notices, photo captions and credits, and author credit lines;
:func:`classify_unit` says why one paragraph is boilerplate.
"""
from __future__ import annotations

import re
from typing import Optional

def _rx(*patterns: str, first: str = "") -> re.Pattern[str]:
    """Case-insensitive alternation; ``first`` lists every character a match can
    start with, so the engine skips other positions at once (much faster)."""
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"(?=[{first}])(?:{body})" if first else body, re.I)


# Whole short units (menu items, buttons, link stubs).
_NAV = _rx(
    r"^(?:read|see|watch|listen)\s*(?:more|also|next|too)(?:\b|(?=[A-Z]))",  # "Read alsoTitle" glued
    r"^(?:more on this|more from|related)\b",
    r"^source\s*(?:link|:)",
    r"^(?:share|tweet|print|e-?mail|copy link|follow us|follow)\b(?:\s+(?:this|on|us)\b.*)?[.!:]?$",
    r"^(?:facebook|twitter|x|telegram|whatsapp|linkedin|reddit|vk|pinterest|instagram|youtube|email)"
    r"(?:\s*[,|/]\s*\w+)*$",
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|promoted)$",
    r"^(?:skip to (?:main )?content|back to top|click here\b.*|sign up\b.*|log ?in|sign in|register|menu|search|home)$",
    r"^(?:payment|paiment) methods?\b",
    r"^(?:remind me later|not now|no thanks|maybe later|close)[.!]?$",
    r"^(?:comments?|leave a comment|\d+ comments?|show comments|add (?:a )?comment)$",
    r"^(?:tags?|topics?|filed under)\s*:",
    r"^listen to (?:this )?(?:article|story)\b",
    r"^\d+\s*min(?:ute)?s?\s+read$",
    r"^(?:subscribe|donate|support us|join us|become a (?:member|subscriber|supporter))\b",
    r"^support\b.*!$",
)
_NAV_MAX_WORDS = 8
# "Read also: <headline>" teasers can carry a whole headline.
_READ_ALSO = re.compile(r"^(?:read|see)\s*(?:also|more|next)(?:\s*[:|–—-]|(?=[A-Z]))", re.I)
_READ_ALSO_MAX_WORDS = 25
# Phrases that make a whole unit an appeal (they never occur in reporting).
_APPEAL_STRONG = _rx(
    r"small favou?r to ask",
    r"\bsupport (?:us|our (?:work|journalism|reporting|newsroom|mission)|independent (?:journalism|media|reporting))\b",
    r"\bplease (?:support|donate|subscribe|consider (?:supporting|donating|subscribing|a (?:donation|contribution))|help us)\b",
    r"\b(?:donate|subscribe|contribute|give) (?:now|today|here|monthly)\b",
    r"\bmake a (?:donation|contribution|one-off|one-time|monthly)\b",
    r"\bbecome an? (?:member|subscriber|supporter|patron|donor)\b",
    r"\bremind me later\b",
    r"\bnot ready to (?:support|donate|subscribe|contribute)\b",
    r"\b(?:from|for) (?:just|only|as little as) [$€£]\s?\d",
    r"\bsign up (?:for|to) (?:our|the|my) (?:free )?(?:\w+ )?(?:newsletter|email|briefing)",
    r"\bsubscribe to (?:our|the) (?:\w+ )?(?:newsletter|channel|podcast|mailing list)",
    r"\balready a (?:subscriber|member)\b",
    r"\b(?:we|this (?:site|website)) uses? cookies\b",
    r"\baccept (?:all )?cookies\b",
    first="abcdfgmnprstw",
)
# Phrases typical of appeals, but only telling when most sentences carry one.
_APPEAL_WEAK = _rx(
    r"\byour (?:support|donation|contribution|generosity)\b",
    r"\bwe need your (?:help|support)\b",
    r"\bthank you for (?:reading|your support|supporting)\b",
    r"\bkeep (?:us|our journalism|journalism) (?:going|free|independent|alive)\b",
    r"\b(?:our|free|daily|weekly|email) newsletters?\b",
    r"\bcookie (?:policy|settings|preferences|consent)\b",
    r"\bunlock (?:this|the full|unlimited)\b",
    r"\bsupport(?:ing)? (?:open|independent|quality) journalism\b",
    first="cdefkostuwy",
)
_LEGAL = _rx(
    r"©", r"\(c\)\s*\d{4}", r"\bcopyright\s*(?:©|\(c\)|\d{4})",
    r"\ball rights reserved\b", r"\bexpressly prohibited\b",
    r"\bwithout (?:the )?(?:prior )?(?:express )?written (?:consent|permission)\b",
    r"\b(?:is|are) (?:registered )?trademarks? of\b", r"\bintellectual property of\b",
    r"\bshall not be (?:held )?liable\b",
    r"\bmay not be (?:reproduced|published|broadcast|rewritten|redistributed|copied)\b",
    r"\bterms (?:of use|and conditions|of service)\b", r"\bprivacy policy\b",
    first="©(aceimpstw",
)
_CREDIT = _rx(
    r"^[(\[].*\b(?:written|edited|reporting|editing|writing|compiled|translated|translation)\s+by\b.*[)\]]\.?$",
    r"^(?:additional )?(?:reporting|writing|editing|edited|written|compiled|translated)\s+by\b",
)
_BYLINE = re.compile(r"^By\s+(?:[A-Z][\w.'’-]*(?:\s+|,\s*|\s+and\s+|\s*&\s*)?){1,6}$")
_CREDIT_MAX_WORDS = 40
_CAPS = r"[A-Z][\w.'’-]*(?:\s+(?:via\s+)?[A-Z][\w.'’-]*)*"  # Capitalised Words Only
_CAPTION = _rx(
    r"^(?:photos?|images?|pictures?|video|credit)\s*(?:credit|courtesy)?\s*(?:[:©]|by\b)",
    r"©\s*[\w &'’/-]{1,60}\)?$",
    r"\((?:photo|image|picture|credit)\b[^()]*\)\.?$",
)
# Case-sensitive: credits are told apart from prose by their capitalisation.
_CAPTION_CS = re.compile(
    # an agency credit after the caption's last sentence: ". EPA/NAME/TASS", ". AFP/Getty Images"
    rf"(?:^|[.!?”\")]\s+){_CAPS}(?:\s*/\s*{_CAPS}){{1,4}}\.?\)?$"
    r"|(?:^|[.!?”\")]\s+|/\s*|\bvia\s+|\()(?:Getty Images|Shutterstock|Alamy|AP Photo)\b[^.]{0,40}\.?\)?$"
)
_CAPTION_MAX_WORDS = 60
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+")
_WRAP_END = re.compile(r"[.!?:\"”’)\]]$")


#: Longest unit that can be an appeal or a legal notice.
_NOTICE_MAX_CHARS = 3000


def _sentences(unit: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(unit) if s.strip()] or [unit]


def _share(unit: str, *patterns: re.Pattern[str]) -> float:
    sentences = _sentences(unit)
    hits = sum(1 for s in sentences if any(p.search(s) for p in patterns))
    return hits / len(sentences)


def classify_unit(unit: str, outlet: Optional[str] = None) -> Optional[str]:
    """Return why a paragraph is boilerplate ("navigation", "appeal", ...) or None to keep it."""
    text = " ".join(unit.split())
    if not text:
        return None
    # Word limits keep the short-unit rules off prose; the character limits
    # also bound regex work on hostile one-"word" megabyte lines.
    words, chars = len(text.split()), len(text)
    if words <= _NAV_MAX_WORDS and chars <= 120 and _NAV.search(text):
        return "navigation"
    if words <= _READ_ALSO_MAX_WORDS and _READ_ALSO.search(text):
        return "navigation"
    if outlet and text.casefold().strip(" .!|-") == outlet.casefold().strip():
        return "outlet name"
    if words <= _CREDIT_MAX_WORDS and chars <= 500 and (_CREDIT.search(text) or _BYLINE.search(text)):
        return "credits"
    if (words <= _CAPTION_MAX_WORDS and chars <= 700
            and (_CAPTION.search(text) or _CAPTION_CS.search(text))):
        return "photo caption"
    # A sentence can only match where the whole unit does: one search over the
    # unit spares the per-sentence pass for the (many) units without a hit.
    if chars > _NOTICE_MAX_CHARS:
        return None  # appeals and notices are short: one phrase must not drop a long (unpunctuated) text
    if _APPEAL_STRONG.search(text) or (_APPEAL_WEAK.search(text) and _share(text, _APPEAL_STRONG, _APPEAL_WEAK) >= 0.5):
        return "appeal"
    if _LEGAL.search(text) and _share(text, _LEGAL) >= 0.5:
        return "copyright notice"
    return None


def _units(text: str) -> list[list[str]]:
    """Blocks (blank-line separated) of units: one unit per line, or the whole
    block when it is a hard-wrapped paragraph."""
    blocks = []
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        wrapped = len(lines) > 1 and all(
            len(line) >= 30 and not _WRAP_END.search(line.rstrip()) for line in lines[:-1])
        blocks.append(["\n".join(lines)] if wrapped else lines)
    return blocks


def strip_boilerplate(text: str, outlet: Optional[str] = None) -> tuple[str, list[tuple[str, str]]]:
    """Drop boilerplate paragraphs from normalised text.

    A trailing appeal (one that starts in the second half of the text and is
    followed mostly by other boilerplate) is cut with everything after it.

    Returns
    -------
    text : str
        The article text, blank-line structure kept.
    dropped : list of (reason, paragraph)
        What was removed and why, in text order.
    """
    blocks = _units(text)
    flat = [(b, i, unit) for b, block in enumerate(blocks) for i, unit in enumerate(block)]
    reasons = [classify_unit(unit, outlet) for _, _, unit in flat]
    total = sum(len(u) for _, _, u in flat) or 1
    seen = 0
    for k, (_, _, unit) in enumerate(flat):
        if reasons[k] == "appeal" and seen * 2 >= total:
            rest = reasons[k + 1:]
            if sum(r is not None for r in rest) * 2 >= len(rest):
                reasons[k:] = [r or "appeal" for r in reasons[k:]]
                break
        seen += len(unit)
    keep: list[list[str]] = [[] for _ in blocks]
    dropped = []
    for (b, _, unit), reason in zip(flat, reasons):
        if reason is None:
            keep[b].append(unit)
        else:
            dropped.append((reason, unit))
    kept = "\n\n".join("\n".join(units) for units in keep if units)
    return kept, dropped
