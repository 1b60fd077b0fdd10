"""Sentence splitting with character offsets.

Rule-based: a sentence ends at ., ! or ? (optionally followed by closing quotes
or brackets) before whitespace and an upper-case letter, digit or opening quote,
unless the period ends a known abbreviation or an initial; a line break always
ends a sentence (headlines and paragraphs have no final period).
"""
from __future__ import annotations

import re
from typing import NamedTuple

_ABBREV = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep st mt ft jr sr inc ltd co corp vs etc jan feb mar apr
jun jul aug sep sept oct nov dec u s e g i e al approx dept est fig
""".split())
_LAST_WORD = re.compile(r"([A-Za-z]+)\.$")
_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])|\n+")


class Sentence(NamedTuple):
    """A sentence and its offsets in the text (a tuple: cheap to make by the thousand)."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; offsets index into ``text``.

    Examples
    --------
    >>> [s.text for s in split_sentences("Gen. Smith left Kabul. Troops stayed.")]
    ['Gen. Smith left Kabul.', 'Troops stayed.']
    """
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        first = text[m.start()]
        if first == ".":
            # A bounded look-back: an abbreviation or initial is short, and a long sentence stays linear.
            word = _LAST_WORD.search(text, max(start, m.start() - 40), m.start() + 1)
            if word and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1):
                continue
        _push(out, text, start, m.start() if first == "\n" else m.end())
        start = m.end()
    _push(out, text, start, len(text))
    return out


def _push(out: list, text: str, start: int, end: int) -> None:
    seg = text[start:end]
    body = seg.lstrip()  # strip() removes exactly the characters str.isspace() accepts
    start += len(seg) - len(body)
    body = body.rstrip()
    if body:
        out.append(Sentence(start, start + len(body), body))
