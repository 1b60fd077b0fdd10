"""Sentence splitting with character offsets.

Rule-based: a sentence ends at ., ! or ? (optionally followed by closing quotes
or brackets) before whitespace and an upper-case letter, digit or opening quote,
unless the period ends a known abbreviation or an initial; a line break always
ends a sentence (headlines and paragraphs have no final period).

Limit: a sentence longer than :data:`MAX_SENTENCE_CHARS` is cut into pieces
of at most that many characters, at the last space before the limit (in
the second half of the piece; else at the limit itself). Every
later stage looks at whole sentences (trigger windows, the nearest force, the
places around a trigger), so a megabyte without punctuation would otherwise
cost time quadratic in its length; with the cut, extraction is linear in the
article's size. The reader warns when it happens (:func:`overlong`, warning
``long-sentence``).
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


#: Longest sentence handed to the extractor; longer runs are cut (see the module docstring).
MAX_SENTENCE_CHARS = 1000
#: Name of the warning the reader logs when it cuts a sentence.
LONG_SENTENCE_WARNING = "long-sentence"


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
    for sent in _sentences(text):
        if len(sent.text) <= MAX_SENTENCE_CHARS:
            out.append(sent)
        else:
            out.extend(_cut(sent))
    return out


def overlong(text: str) -> int:
    """How many sentences of ``text`` are longer than :data:`MAX_SENTENCE_CHARS` (and get cut)."""
    return sum(len(s.text) > MAX_SENTENCE_CHARS for s in _sentences(text))


def _sentences(text: str) -> list[Sentence]:
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


def _cut(sent: Sentence) -> list[Sentence]:
    """Pieces of at most MAX_SENTENCE_CHARS, cut at the last space before the limit."""
    out: list[Sentence] = []
    body, base, pos = sent.text, sent.start, 0
    while pos < len(body):
        end = min(pos + MAX_SENTENCE_CHARS, len(body))
        if end < len(body):
            # At a space in the second half of the piece; else at the limit (a word of
            # commas must not cut "troops left" from the place that follows it).
            space = body.rfind(" ", pos + MAX_SENTENCE_CHARS // 2, end + 1)
            end = space if space > pos else end
        _push(out, body, pos, end, base)
        pos = end
    return out


def _push(out: list, text: str, start: int, end: int, base: int = 0) -> None:
    seg = text[start:end]
    body = seg.lstrip()  # strip() removes exactly the characters str.isspace() accepts
    start += len(seg) - len(body)
    body = body.rstrip()
    if body:
        out.append(Sentence(base + start, base + start + len(body), body))
