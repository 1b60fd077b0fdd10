"""The frame extractor on sentences written for each class of text (real index, real spaCy parse).

Each test names the class of text it stands for; the sentences are made up.
"""
from __future__ import annotations

import pytest

from geo.postures.frame_extract import FrameExtractor


@pytest.fixture(scope="module")
def fx(real_parser):
    return FrameExtractor(real_parser)


def statuses(fx, text: str) -> dict[str, str]:
    return {r.name: r.status for r in fx.extract(text)}


def test_a_list_of_sites_under_one_verb_all_take_the_status(fx):
    got = statuses(fx, "The UN mission handed over its camps in Kadugli and Dilling to the army.")
    assert got == {"Kadugli": "withdrawn", "Dilling": "withdrawn"}


def test_origin_is_left_and_destination_is_staying(fx):
    got = statuses(fx, "French troops moved from Gao to Niamey.")
    assert got == {"Gao": "withdrawn", "Niamey": "staying"}


def test_a_negated_closure_is_staying(fx):
    reports = fx.extract("Turkey will not close its base in Doha.")
    assert [r.status for r in reports] == ["staying"] and reports[0].actor == "Turkey"


def test_a_planned_withdrawal_is_withdrawing(fx):
    reports = fx.extract("Britain plans to withdraw its troops from Kandahar next year.")
    assert [(r.status, r.actor) for r in reports] == [("withdrawing", "United Kingdom")]


@pytest.mark.parametrize("text", [
    "About 900 US troops are stationed in Hasakah.",
    "US troops in Hasakah came under fire on Sunday.",
])
def test_a_presence_stated_as_fact_is_staying(fx, text):
    reports = fx.extract(text)
    assert [(r.status, r.actor) for r in reports] == [("staying", "United States")]


def test_a_begun_withdrawal_is_withdrawing(fx):
    assert statuses(fx, "Kenyan soldiers began leaving Kismayo on Monday.") == {"Kismayo": "withdrawing"}


def test_a_completed_withdrawal_is_withdrawn(fx):
    assert statuses(fx, "The last French soldiers left Bamako in August.") == {"Bamako": "withdrawn"}


def test_civilians_leaving_are_no_posture(fx):
    assert fx.extract("Residents left Mariupol after the shelling.") == []


def test_a_meeting_venue_is_no_posture(fx):
    assert fx.extract("Officials held talks in Geneva about the withdrawal of the troops.") == []


def test_a_force_back_in_its_own_country_is_no_posture(fx):
    assert fx.extract("Russian troops returned to Russia.") == []


def test_a_relative_clause_carries_the_status_of_the_place_before_it(fx):
    reports = fx.extract("Lebanese police moved into Tyre, from where the Israeli soldiers are pulling out.")
    assert [(r.name, r.status, r.actor) for r in reports] == [("Tyre", "withdrawing", "Israel")]


def test_a_plan_overtaken_by_events_is_weak(fx):
    """'were due to stay' alone is a superseded plan: no report (below the confidence floor)."""
    assert fx.extract("The Russian peacekeepers were due to stay in Stepanakert.") == []


def test_every_report_names_its_rules(fx):
    d, sentences = fx.decisions(_article("Kenyan soldiers began leaving Kismayo on Monday."))
    rules = d[0].rules
    assert rules[0].startswith("trigger.withdraw.") and any(r.startswith("cue.aspect.begin") for r in rules)
    assert any(r.startswith("role.") for r in rules) and rules[-1] == "status.withdraw-begun"


def _article(text):
    from geocore.records import Article

    return Article(doc="t.txt", text=text)


def test_a_stop_on_the_way_out_is_withdrawing(fx):
    """A move whose purpose is the departure ('in order to prepare their withdrawal') is a limited stay."""
    got = statuses(fx, "A group of the peacekeepers went to their temporary bases in Goris and Sisian "
                       "in order to prepare their withdrawal.")
    assert got == {"Goris": "withdrawing", "Sisian": "withdrawing"}


def test_the_route_of_a_withdrawing_side_is_being_left(fx):
    """Transit of a force whose side was reported withdrawing: the corridor is withdrawing, the arrival country is not left."""
    got = statuses(fx, "Russian troops began leaving Georgia on Monday. "
                       "A Russian convoy crossed into Armenia through the Lachin corridor.")
    assert got["Lachin corridor"] == "withdrawing" and got["Georgia"] == "withdrawing"


def test_transit_without_a_withdrawal_is_no_posture(fx):
    assert "Lachin corridor" not in statuses(fx, "A Russian convoy crossed into Armenia through the Lachin corridor.")


def test_a_counted_force_is_still_the_force(fx):
    """'the removal of a handful of border guards from X': the quantity noun is transparent."""
    reports = fx.extract("The deal foresees the removal of a handful of Russian border guards "
                         "from Zvartnots airport.")
    assert [(r.feature_type, r.status, r.actor) for r in reports] == [("airport", "withdrawing", "Russia")]


def test_people_leaving_their_homes_are_civilians(fx):
    assert fx.extract("Thousands of Armenians left their homes and moved to Yerevan.") == []


def test_a_demonym_on_the_force_is_not_a_place(fx):
    got = statuses(fx, "Russian guards would remain on the border with Turkey.")
    assert "Russia" not in got


def test_a_headline_infinitive_is_a_plan(fx):
    assert statuses(fx, "Dutch jets to quit Ramstein Air Base in June") == {"Ramstein Air Base": "withdrawing"}


def test_where_a_moving_force_is_stationed_is_its_origin(fx):
    """'the relocation of troops stationed at X' says X is being left, not that the troops stay."""
    got = statuses(fx, "The relocation to Romania of Dutch soldiers based at Ramstein Air Base is due to begin in March.")
    assert got == {"Ramstein Air Base": "withdrawing", "Romania": "staying"}
    # a participle of arrival describes where the force is just the same
    got = statuses(fx, "The relocation to Romania of the Dutch soldiers deployed at Ramstein Air Base will begin in March.")
    assert got == {"Ramstein Air Base": "withdrawing", "Romania": "staying"}


def test_troops_transferred_to_a_place_go_there_and_a_base_transferred_is_received(fx):
    assert statuses(fx, "The transfer of Dutch soldiers to Romania is due to begin in March.") == {"Romania": "staying"}
    assert statuses(fx, "The army transferred the base to Romania.") == {}


def test_a_place_name_inside_a_longer_base_name_is_not_that_place(fx):
    """'Camp Foster', 'Fort Campbell': the town named Foster or Campbell is not where the force is."""
    got = statuses(fx, "The Marines will leave Camp Foster next year.")
    assert "Foster" not in got


def test_countries_between_which_a_region_lies_only_locate_it(fx):
    got = statuses(fx, "NATO plans to withdraw the Polish battalion from a frontier area between Serbia and Kosovo.")
    assert got == {}
    got = statuses(fx, "NATO plans to withdraw the Polish battalion from Kosovo.")
    assert got == {"Kosovo": "withdrawing"}


def test_the_parse_stops_at_its_budget_with_a_named_warning(fx, monkeypatch):
    """Issue 15, linear time: a page longer than the parse budget is read up to it, and says so."""
    import geo.postures.document as document

    warned = []
    monkeypatch.setattr(document, "MAX_PARSED_CHARS", 60)
    monkeypatch.setattr(document.log, "warning", lambda fmt, *args: warned.append(fmt % args))
    text = "French troops left Gao in 2022. " + "Malian troops remain in Mopti. " * 3
    got = statuses(fx, text)
    assert got == {"Gao": "withdrawn"}
    assert len(warned) == 1 and "parse-limit" in warned[0]


def ids(fx, text: str) -> dict[str, str]:
    return {r.place_id: r.status for r in fx.extract(text)}


def test_a_city_named_with_a_division_noun_stands_for_the_division(fx):
    # "the regions of A and B", "A State": the first-level division named after the city
    got = ids(fx, "Russian units are pulling back in the regions of Kharkiv and Sumy.")
    assert got == {"region:UA-63": "withdrawing", "region:UA-59": "withdrawing"}
    assert ids(fx, "The soldiers left Kano State on Monday.") == {"region:NG-KN": "withdrawn"}
    # without the division noun the city stays a city
    assert ids(fx, "Russian units are pulling back from Sumy.") == {"geonames:692194": "withdrawing"}


def test_a_region_that_only_locates_an_unknown_site_is_no_posture(fx):
    assert statuses(fx, "The peacekeepers pulled out of their outpost at Qarvella village, South Kordofan State.") == {}
    assert statuses(fx, "The brigade handed over its compound at Qarvella, West Darfur, to local police.") == {}
    # the region itself left is a posture
    assert statuses(fx, "The peacekeepers pulled out of South Kordofan State.") == {"South Kordofan": "withdrawn"}


def test_a_support_verb_lends_its_place_to_the_trigger_noun(fx):
    # "the pullback was done at X": the verb only carries out the event the noun names
    assert statuses(fx, "The pullback of Russian troops has been carried out at the bridge near Kherson.") == {"Kherson": "withdrawn"}


def test_a_trigger_noun_said_to_be_complete_is_completed(fx):
    assert statuses(fx, "The withdrawal of French troops from Timbuktu is complete.") == {"Timbuktu": "withdrawn"}
    assert statuses(fx, "The withdrawal of French troops from Timbuktu will be complete by May.") == {"Timbuktu": "withdrawing"}


def test_places_listed_under_a_division_noun_take_its_role(fx):
    got = statuses(fx, "Italian troops are posted to the two former Yugoslav republics of Serbia and Montenegro.")
    assert got == {"Serbia": "staying", "Montenegro": "staying"}


def test_there_will_be_a_force_in_a_place_is_a_presence(fx):
    # the existential: "there is / will be / are going to be <force> (here) in X"
    got = statuses(fx, "According to officials, there are going to be Polish troops in Slovakia until spring.")
    assert got == {"Slovakia": "staying"}
    (r,) = fx.extract('"There will be Polish troops here in Slovakia next year," the minister said.')
    assert (r.name, r.status) == ("Slovakia", "staying") and "role.existential" in r.rules.split()
    assert statuses(fx, "There will still be 900 Belgian soldiers in Kabul next year.") == {"Kabul": "staying"}


def test_be_going_to_is_the_future_not_a_move(fx):
    (r,) = fx.extract("Dutch troops are going to stay in Mali.")
    assert r.status == "staying" and "trigger.move.go" not in r.rules.split()


def test_a_place_joined_by_as_well_as_shares_the_role(fx):
    got = statuses(fx, "There will be Dutch troops in Mali as well as Niger.")
    assert got == {"Mali": "staying", "Niger": "staying"}
    got = statuses(fx, "The ministry said there will be Czech soldiers in Hungary as well as Austria and Croatia.")
    assert got == {"Hungary": "staying", "Austria": "staying", "Croatia": "staying"}


def test_a_country_after_a_comma_that_speaks_is_not_joined(fx):
    assert statuses(fx, "The soldiers left Gao, Mali said on Monday.") == {"Gao": "withdrawn"}


def test_what_a_force_takes_along_moves_with_it(fx):
    # "withdrew with its weapons from X to Y": the places hang on the belongings noun
    got = statuses(fx, "The brigade withdrew with its artillery from Bakhmut to Kramatorsk.")
    assert got.get("Bakhmut") == "withdrawn" and got.get("Kramatorsk") == "staying"


def test_a_place_a_distance_away_is_only_a_reference_point(fx):
    got = statuses(fx, "The gunmen were moved to Gharyan, roughly 80 kilometres south of Tripoli.")
    assert got == {"Gharyan": "staying"}
    assert statuses(fx, "The troops pulled back to positions 20 kilometres from Donetsk.") == {}
    assert statuses(fx, "The troops pulled back from Donetsk.") == {"Donetsk": "withdrawn"}


def test_the_capital_is_the_capital_of_the_country_in_the_story(fx):
    got = statuses(fx, "Rebel units still hold Sirte. The brigade fell back from the capital towards Sabha.")
    assert got.get("Tripoli") == "withdrawn" and got.get("Sabha") == "staying"
    got = statuses(fx, "The soldiers patrolled Kandahar for years. The troops withdrew from the capital in May.")
    assert got.get("Kabul") == "withdrawn"


def test_a_place_in_apposition_to_a_home_of_a_force_is_a_presence(fx):
    got = statuses(fx, "Camp Lemonnier, home to roughly 3,500 American personnel, sits beside the airport.")
    assert got == {"Camp Lemonnier": "staying"}
    assert statuses(fx, "Paris, home to millions of tourists, is busy.") == {}


def test_a_noun_followed_by_its_own_name_is_no_anaphor(fx):
    # "the regional capital Qarvella" names a place (unknown here): it does not point back
    got = statuses(fx, "Russian troops left Gori in Georgia on Monday. The convoy then reached the regional capital Qarvella.")
    assert got == {"Gori": "withdrawn"}
    got = statuses(fx, "Russian troops left Gori in Georgia on Monday. The convoy then reached the capital.")
    assert got == {"Gori": "withdrawn", "Tbilisi": "staying"}
