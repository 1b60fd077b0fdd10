"""geo.postures.word_lists: the fast word-list patterns match exactly what the plain alternation matches."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.postures.word_lists import alternation, trie

ALTS = [r"pull(?:s|ed)?\s+out", r"pull-?outs?", r"leav(?:e|es|ing)(?!\s+behind)", r"l(?<!no\sl)eft",
        r"draw\s*down", r"drawdowns?", r"drew\s+down", r"stay(?:s|ed)?", r"s(?<=is\ss)till\s+in", r"base",
        r"bases?", r"b", r"left\s+behind"]
WORDS = ["pull", "pulls out", "pull-out", "pullouts", "leave", "leaves behind", "left", "no left", "nothing left",
         "draw down", "drawdown", "drawdowns", "drew down", "stay", "stayed", "is still in", "are still in", "base",
         "bases", "b", "B", "LEFT", "Drew Down", "x", "left behind", "-", ".", "  ", "\n"]


def _plain(alts):
    # The reference: a plain alternation, with lookbehinds back in front of the first letter.
    moved = [re.sub(r"^(\w)((?:\(\?<[=!][^)]*\))+)", lambda m: re.sub(r"\w\)", ")", m.group(2)) + m.group(1), a)
             for a in alts]
    return re.compile(r"\b(" + "|".join(moved) + r")\b", re.I)


def test_reference_moves_lookbehinds_back():
    assert _plain([r"l(?<!no\sl)eft"]).pattern == r"\b((?<!no\s)left)\b"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.sampled_from([" ", "  ", ", ", "-", "\n"]))
def test_alternation_matches_like_the_plain_alternation(parts, sep):
    text = sep.join(parts)
    fast = re.compile(alternation(ALTS), re.I)
    assert [m.span(1) for m in fast.finditer(text)] == [m.span(1) for m in _plain(ALTS).finditer(text)]


def test_alternation_keeps_the_order_of_alternatives():
    # As in a plain alternation, the first alternative that matches wins, even if a later one is longer.
    first_long = re.compile(alternation([r"draw\s*down", r"draw"]), re.I)
    first_short = re.compile(alternation([r"draw", r"draw\s*down"]), re.I)
    assert first_long.search("They draw down.").group(1) == "draw down"
    assert first_short.search("They draw down.").group(1) == "draw"


def test_alternation_rejects_what_it_cannot_group():
    with pytest.raises(ValueError, match="literal ASCII letter"):
        alternation([r"(?:air\s+)?base"])
    with pytest.raises(ValueError, match="literal ASCII letter"):
        alternation([r"a?b"])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="pulshtenda ", max_size=40))
def test_trie_finds_a_word_wherever_one_occurs(text):
    stems = ["pull", "push", "put", "end", "ends", "sent", "send", "hand", "a"]
    pat = re.compile(trie(stems))
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            has = any(s in text[start:end] for s in stems)
            assert (pat.search(text[start:end]) is not None) == has


def test_trie_shape():
    assert trie(["pull", "push", "put"]) == "pu(?:ll|sh|t)"
    assert trie(["end", "ending"]) == "end"
