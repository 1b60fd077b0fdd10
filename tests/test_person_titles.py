"""A title before capitalised words makes them a person's name, not a place (real index)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", [
    "The order came from Gen. Tripoli Jones.",
    "Control passed to Qatar, said Rear Adm. Kabul Jones, the deputy commander.",
    "President Gori Jackson spoke on Monday.",
    "Mr. Aden said the troops would stay.",
])
def test_names_after_a_title_are_no_places(real_parser, text):
    names = {m.text for m in real_parser.parse(text)}
    assert not names & {"Tripoli", "Kabul", "Gori", "Jones", "Jackson", "Aden"}


def test_a_place_after_a_title_word_used_otherwise_is_still_a_place(real_parser):
    # no title right before the name: "the general" is not a title of "Kabul"
    names = {m.text for m in real_parser.parse("The general flew to Kabul on Monday.")}
    assert "Kabul" in names
