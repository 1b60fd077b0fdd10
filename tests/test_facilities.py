"""Facilities named after a known place ("X Palace", "X airfield"), on sentences written for each case (real index)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def parse(real_parser):
    return lambda text: {m.text: m for m in real_parser.parse(text)}


def test_a_place_name_with_a_facility_head_is_the_facility_at_that_place(parse):
    got = parse("Dutch troops left Herat Palace on Monday.")
    m = got["Herat Palace"]
    assert (m.name, m.feature_type, m.country) == ("Herat Palace", "site", "AF")
    assert abs(m.lat - 34.35) < 0.1 and abs(m.lon - 62.2) < 0.1  # the city of Herat
    assert m.place_id.startswith("facility:") and m.place_id.endswith("/herat-palace")
    assert "Herat" not in got


def test_specific_heads_count_in_lower_case_and_give_their_type(parse):
    assert parse("The jets flew out of the Kunduz airfield.")["Kunduz airfield"].feature_type == "airport"
    assert parse("The unit quit the Kunduz air base.")["Kunduz air base"].feature_type == "base"


def test_generic_heads_count_only_capitalised(parse):
    got = parse("The unit quit the Herat camp.")
    assert "Herat" in got and got["Herat"].feature_type == "city"
    assert parse("The unit quit Herat Camp.")["Herat Camp"].feature_type == "base"


def test_a_qualifier_may_stand_before_the_head_and_a_place_inside_the_head_goes(parse):
    # "Garrison" alone is also a town name in the index; inside the facility name it is not a place
    got = parse("US troops will leave Yongsan Army Garrison in South Korea.")
    assert "Yongsan Army Garrison" in got and "Garrison" not in got
    assert got["Yongsan Army Garrison"].country == "KR"


def test_a_facility_named_after_a_division_is_in_its_namesake_city(parse):
    m = parse("British troops withdrew from Basra Palace.")["Basra Palace"]
    assert abs(m.lat - 30.5) < 0.1 and abs(m.lon - 47.8) < 0.1


def test_a_facility_the_index_has_is_the_indexed_one(parse):
    m = parse("German jets left Incirlik Air Base.")["Incirlik Air Base"]
    assert not m.place_id.startswith("facility:")


def test_a_country_name_does_not_name_a_facility(parse):
    got = parse("The troops left the Afghanistan Palace.")
    assert not any(m.place_id.startswith("facility:") for m in got.values())


def test_a_facility_named_in_full_is_also_its_short_name(parse):
    got = parse("Dutch jets left Incirlik Air Base in June. Officials said Incirlik would stay open.")
    assert got["Incirlik"].place_id == got["Incirlik Air Base"].place_id
    got = parse("The Marines moved to Camp Lemonnier. Lemonnier now hosts them.")
    assert got["Lemonnier"].place_id == got["Camp Lemonnier"].place_id


def test_a_short_name_is_not_taken_from_a_facility_named_after_a_town(parse):
    # "Herat" after "Herat Palace" is the city, not the palace
    got = parse("Dutch troops left Herat Palace. Herat itself stays calm.")
    assert got["Herat"].feature_type == "city"
