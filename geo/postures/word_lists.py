"""Fast regexes for word lists.

Python's ``re`` tries the alternatives of ``a|b|c`` one by one at every
position of the text. For the long word lists of the trigger and force
patterns that is the main cost of extraction, so the lists are compiled
into equivalent patterns the engine can reject quickly:

* :func:`trie` turns plain words into a letter trie, so the engine branches
  once per letter;
* :func:`alternation` groups regex alternatives by their first letter (keeping
  their order, so the same alternative wins) and puts a one-character
  lookahead of those letters in front.

Both give exactly the matches of the plain alternation.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence


def trie(words: Iterable[str]) -> str:
    """A pattern matching the same places as ``"|".join(words)`` would, shortest word first.

    A word that another word starts with ends the branch: the pattern is
    meant for finding *whether and where* any of the words occurs.

    Examples
    --------
    >>> trie(["pull", "push", "put"])
    'pu(?:ll|sh|t)'
    """
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:
            return ""  # a shorter word already matches here
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


def alternation(alternatives: Sequence[str]) -> str:
    """``\\b(?=[first letters])(alternatives grouped by first letter)\\b``.

    Every alternative must begin with a literal ASCII letter (put a
    lookbehind after that letter: ``l(?<!no\\sl)eft``). Use with
    ``re.IGNORECASE``: the lookahead lists lower-case letters only. The
    whole alternation is group 1, as in ``\\b(a|b)\\b``.

    Examples
    --------
    >>> pat = re.compile(alternation([r"troops?", r"tanks?", r"bases?"]), re.I)
    >>> [m.group(1) for m in pat.finditer("Troops and a tank left the base.")]
    ['Troops', 'tank', 'base']
    """
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        first = alt[:1].lower()
        if not ("a" <= first <= "z") or alt[1:2] in ("?", "*", "+", "{"):
            raise ValueError(f"alternative {alt!r} must start with a literal ASCII letter")
        groups.setdefault(first, []).append(alt[1:])
    parts = []
    for first, rests in groups.items():
        lone = len(rests) == 1 and "|" not in rests[0]
        parts.append(first + (rests[0] if lone else "(?:" + "|".join(rests) + ")"))
    return r"\b(?=[" + "".join(sorted(groups)) + "])(" + "|".join(parts) + r")\b"

