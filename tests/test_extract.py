"""Extraction rule families, each with sentences written for these tests (not seed text)."""
from datetime import date

from geocore.records import Article


def statuses(extractor, text, **meta):
    art = Article(doc=meta.get("doc", "t.txt"), text=text, outlet=meta.get("outlet"), published=meta.get("published"))
    return {r.place_id: r.status for r in extractor.extract(art)}


def reports(extractor, text):
    return {r.place_id: r for r in extractor.extract(Article(doc="t.txt", text=text))}


def test_completed_withdrawal(tiny_extractor):
    assert statuses(tiny_extractor, "Russian troops left Kherson in November.") == {"geonames:706448": "withdrawn"}


def test_negated_withdrawal_means_staying(tiny_extractor):
    assert statuses(tiny_extractor, "Russia will not withdraw its troops from Syria, Moscow said.") == {"country:SY": "staying"}


def test_modality_plans_are_withdrawing(tiny_extractor):
    got = statuses(tiny_extractor, "France plans to pull its soldiers out of Gao by summer, officials in Mali said.")
    assert got.get("geonames:2457163") == "withdrawing"


def test_coordinated_places_share_the_status(tiny_extractor):
    got = statuses(tiny_extractor, "In Armenia, Russian units will stay in Goris and Sisian.")
    assert got["geonames:174895"] == "staying" and got["geonames:174763"] == "staying"


def test_there_refers_to_the_previous_place(tiny_extractor):
    text = "Turkish troops arrived at Hmeimim Air Base in Syria last year. They will remain there until 2026."
    assert statuses(tiny_extractor, text)["site:hmeimim-air-base"] == "staying"


def test_the_base_refers_to_the_previous_base(tiny_extractor):
    text = "Armenia hosts Russia's 102nd Russian military base. Moscow said the base will stay."
    got = statuses(tiny_extractor, text)
    assert got.get("site:102nd-military-base") == "staying"


def test_base_in_a_city_is_placed_on_the_curated_base(tiny_extractor):
    got = reports(tiny_extractor, "The accord does not affect the Russian military base in the Armenian city of Gyumri.")
    assert list(got) == ["site:102nd-military-base"]
    assert got["site:102nd-military-base"].status == "staying"
    assert got["site:102nd-military-base"].actor == "Russia"


def test_quoted_speech_counts(tiny_extractor):
    text = "\u201cOur soldiers will never leave Kherson,\u201d a Ukrainian commander said."
    assert statuses(tiny_extractor, text) == {"geonames:706448": "staying"}


def test_civilians_are_not_force_postures(tiny_extractor):
    text = ("Russian peacekeepers began withdrawing from Nagorno-Karabakh. Only a few hundred ethnic Armenians remain "
            "in Stepanakert, and 100,000 Armenians left their homes for Goris in Armenia.")
    got = statuses(tiny_extractor, text)
    assert got == {"site:nagorno-karabakh": "withdrawing"}


def test_superseded_plan_yields_to_the_withdrawal(tiny_extractor):
    text = ("Russian peacekeepers were deployed to Nagorno-Karabakh in 2020. They were due to stay there until 2025. "
            "Moscow has started pulling the peacekeepers out of Karabakh.")
    assert statuses(tiny_extractor, text)["site:nagorno-karabakh"] == "withdrawing"


def test_origin_not_destination_of_a_withdrawal(tiny_extractor):
    got = statuses(tiny_extractor, "Russian troops withdrew from Kherson to Russia and then to Moscow.")
    assert got == {"geonames:706448": "withdrawn"}


def test_transit_country_is_not_a_posture(tiny_extractor):
    text = ("Russian peacekeepers began withdrawing from Nagorno-Karabakh. Some of them returned to Russia through Azerbaijan. "
            "A Russian convoy entered Armenia through the Lachin corridor.")
    got = statuses(tiny_extractor, text)
    assert "country:AZ" not in got and "country:RU" not in got
    assert got["site:lachin-corridor"] == "withdrawing"


def test_an_arrival_is_a_new_presence_and_the_route_is_no_posture(tiny_extractor):
    """An arriving force stays where it arrives (the ARRIVAL convention); the corridor it used is transit."""
    assert statuses(tiny_extractor, "A Russian convoy entered Armenia through the Lachin corridor.") == {"country:AM": "staying"}


def test_meeting_venues_and_governments_are_not_postures(tiny_extractor):
    text = ("Putin and Pashinyan agreed on the withdrawal of Russian troops during talks in Moscow. "
            "Yerevan said the border guards would leave the Armenia-Azerbaijan border.")
    got = statuses(tiny_extractor, text)
    assert got == {"border:AM-AZ": "withdrawing"}


def test_report_fields(tiny_extractor):
    text = "Around 3,000 Russian troops remain at Hmeimim Air Base in Syria."
    art = Article(doc="x.txt", text=text, outlet="Wire", published=date(2024, 5, 1))
    (r,) = tiny_extractor.extract(art)
    assert r.evidence == text and r.doc == "x.txt" and r.outlet == "Wire" and r.published == date(2024, 5, 1)
    assert "3,000" in r.force and r.actor == "Russia" and 0 < r.confidence <= 1
    assert r.trigger in text and all(text[a:b] for a, b in r.trigger_spans)


def test_no_force_no_report(tiny_extractor):
    assert statuses(tiny_extractor, "Tourists left Kherson and stayed in Kyiv.") == {}


def test_hostile_text_does_not_crash(tiny_extractor):
    text = "{{7*7}} <script>alert(1)</script> Russian troops left Kherson ${x} `y` \u202e."
    got = reports(tiny_extractor, text)
    assert got["geonames:706448"].evidence.startswith("{{7*7}}")


def test_pronoun_force_with_base_anaphora_lands_on_the_curated_base(tiny_extractor):
    text = "Russian troops arrived in Gyumri, Armenia last year. They will stay at the base, officials said."
    got = reports(tiny_extractor, text)
    assert got["site:102nd-military-base"].status == "staying"
    assert got["site:102nd-military-base"].actor == "Russia"


def test_motion_takes_status_only_from_the_same_sides_withdrawal(tiny_extractor):
    text = ("French troops began withdrawing from Mali this week. A Russian convoy entered Mali through Gao. "
            "A French convoy crossed the border through Gao.")
    got = reports(tiny_extractor, text)
    assert got["geonames:2457163"].actor == "France" and got["geonames:2457163"].status == "withdrawing"
    assert "convoy" in got["geonames:2457163"].force and "French" in got["geonames:2457163"].evidence


def test_arrival_is_presence_not_withdrawal(tiny_extractor):
    text = "French troops began withdrawing from Mali. Russian instructors arrived in Bamako in April."
    got = statuses(tiny_extractor, text)
    assert got["geonames:2460596"] == "staying"


def test_a_superseded_plan_alone_gives_no_report(tiny_extractor):
    assert statuses(tiny_extractor, "Russian troops were due to stay in Gyumri, Armenia until 2044.") == {}


def test_closing_bases_in_listed_towns(tiny_extractor):
    text = "The mission in Mali has already closed bases in Gao and Bamako."
    got = statuses(tiny_extractor, text)
    assert got["geonames:2457163"] == "withdrawn" and got["geonames:2460596"] == "withdrawn"


def test_organisations_are_actors(tiny_extractor):
    text = "The United Nations peacekeeping mission will leave Gao, Mali by December."
    (r,) = [r for r in tiny_extractor.extract(Article(doc="t", text=text)) if r.place_id == "geonames:2457163"]
    assert r.actor == "United Nations" and r.status == "withdrawing"


def test_staying_only_to_organise_the_departure_is_withdrawing(tiny_extractor):
    text = "French troops left Gao. Their headquarters in Bamako will remain open until December to organise the departure."
    assert statuses(tiny_extractor, text)["geonames:2460596"] == "withdrawing"


def test_a_strength_is_not_borrowed_from_an_earlier_force(tiny_extractor):
    text = "The mission, which had about 12,000 troops in Mali at its peak, said its last convoy left Gao."
    (r,) = [r for r in tiny_extractor.extract(Article(doc="t", text=text)) if r.place_id == "geonames:2457163"]
    assert "12,000" not in r.force


def test_passive_unaffected_governs_the_place_before_it(tiny_extractor):
    assert statuses(tiny_extractor, "American troops in Syria are not affected by the decision.") == {"country:SY": "staying"}


def test_same_place_two_sides_the_articles_main_side_wins_a_tie(tiny_extractor):
    text = ("Russian troops will leave Syria, Moscow said. Russian officers said the pullout from Damascus is under way. "
            "Turkish troops in Syria are not affected by the decision.")
    got = reports(tiny_extractor, text)
    assert got["country:SY"].status == "withdrawing" and got["country:SY"].actor == "Russia"


def test_flying_out_is_leaving_and_flying_home_is_no_posture(tiny_extractor):
    text = "The last French soldiers flew out of Gao, Mali on Monday and flew back to France."
    assert statuses(tiny_extractor, text) == {"geonames:2457163": "withdrawn"}


def test_landing_at_a_place_at_home_is_where_the_force_now_is(tiny_extractor):
    # the dev set's DESTINATION convention: a named place a force moves to is staying, at home too;
    # only the home country itself is no posture
    text = "The last French soldiers flew out of Gao, Mali on Monday and landed at an air base near Paris."
    got = statuses(tiny_extractor, text)
    assert got["geonames:2457163"] == "withdrawn" and got["geonames:2988507"] == "staying" and "country:FR" not in got


def test_a_ministry_in_a_capital_is_not_a_posture(tiny_extractor):
    text = "French troops have left Mali, the defence ministry in Paris said."
    assert statuses(tiny_extractor, text) == {"country:ML": "withdrawn"}


def test_at_its_peak_is_history(tiny_extractor):
    text = "At its peak, the mission had 1,000 French soldiers in Mali, most of them stationed in Gao."
    (r,) = [r for r in tiny_extractor.extract(Article(doc="t", text=text)) if r.place_id == "geonames:2457163"]
    assert r.status == "staying" and r.confidence < 0.5


def test_what_is_left_behind_stays(tiny_extractor):
    text = "Russian forces pulled out of Kherson, leaving one brigade in Gyumri, Armenia."
    got = statuses(tiny_extractor, text)
    assert got == {"geonames:706448": "withdrawn", "geonames:616635": "staying"}


def test_a_planned_stationing_is_staying_with_the_organisation_as_actor(tiny_extractor):
    got = reports(tiny_extractor, "NATO said it would station a battalion in Georgia near Tbilisi.")
    assert got["country:GE"].status == "staying" and got["country:GE"].actor == "NATO"


def test_events_and_announcements_are_not_postures(tiny_extractor):
    text = "Russian troops will stay in Syria under the deal announced in Moscow despite the fighting in Damascus."
    assert statuses(tiny_extractor, text) == {"country:SY": "staying"}


def test_the_head_noun_not_the_relative_clause_is_the_force(tiny_extractor):
    text = "The base in Gyumri, Armenia, which hosts about 3,000 Russian troops, will close next year, officials said."
    got = reports(tiny_extractor, text)
    assert got["site:102nd-military-base"].status == "withdrawing"
    assert got["site:102nd-military-base"].force.startswith("base")


def test_future_completion_is_still_withdrawing(tiny_extractor):
    text = "The drawdown of French forces in Mali will be completed by September."
    assert statuses(tiny_extractor, text) == {"country:ML": "withdrawing"}


def test_still_in_is_presence(tiny_extractor):
    assert statuses(tiny_extractor, "Despite the ceasefire, Russian troops are still in Kherson.") == {"geonames:706448": "staying"}


def test_possessive_host_country_of_a_foreign_base(tiny_extractor):
    got = statuses(tiny_extractor, "Some 200 French soldiers are now stationed at Syria's naval base.")
    assert got == {"country:SY": "staying"}
    # ... but "Russia's base" with Russian troops names the owner, not a place.
    assert "country:RU" not in statuses(tiny_extractor, "Russian troops stay at Russia's base in Gyumri, Armenia.")


def test_pushed_out_means_the_object_force_left(tiny_extractor):
    got = reports(tiny_extractor, "Ukrainian forces pushed Russian troops out of Kherson last year.")
    assert got["geonames:706448"].status == "withdrawn" and got["geonames:706448"].actor == "Russia"


def test_an_arrival_dated_before_the_article_is_history(tiny_extractor):
    """Tense against the article's date: "deployed in 2015" in a 2024 article is weaker than the news of the day."""
    text = "Russian troops were deployed to Gyumri in 2015."
    old = tiny_extractor.extract(Article(doc="t", text=text, published=date(2024, 3, 1)))
    undated = tiny_extractor.extract(Article(doc="t", text=text))
    assert [r.status for r in old] == [r.status for r in undated] == ["staying"]
    assert old[0].confidence < undated[0].confidence and "cue.aspect.history.earlier-year" in old[0].rules
    same_year = tiny_extractor.extract(Article(doc="t", text=text, published=date(2015, 9, 1)))
    assert same_year[0].confidence == undated[0].confidence


def test_a_force_based_somewhere_that_holds_its_farewell_has_left(tiny_extractor):
    """The withdrawal noun sits in the object of another verb; the participle says where the force was."""
    got = statuses(tiny_extractor, "The French battalion based in the town of Gao held its farewell parade on Sunday.")
    assert got == {"geonames:2457163": "withdrawn"}


def test_holding_talks_is_not_holding_a_place(tiny_extractor):
    assert statuses(tiny_extractor, "Russian officers held talks in Kherson on Friday.") == {}
    assert statuses(tiny_extractor, "Russia will keep a presence in Kherson.") == {"geonames:706448": "staying"}
