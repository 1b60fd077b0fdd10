"""Spotting, disambiguation and literalness, on the tiny catalogue and the real index."""
import pytest
from geopy.distance import geodesic


def by_text(mentions):
    return {m.text: m for m in mentions}


# ------------------------------------------------------------ tiny catalogue
def test_spans_point_into_the_text(tiny_parser):
    text = "Russian troops left Kherson and Gyumri, Armenia."
    for m in tiny_parser.parse(text):
        assert text[m.start:m.end] == m.text


def test_longest_name_wins(tiny_parser):
    ms = tiny_parser.parse("A convoy crossed the Lachin corridor near Goris, Armenia.")
    assert "Lachin corridor" in by_text(ms)
    assert by_text(ms)["Lachin corridor"].feature_type == "corridor"


def test_lachin_alone_is_the_town_in_context(tiny_parser):
    ms = by_text(tiny_parser.parse("Azerbaijan reopened the road to Lachin."))
    assert ms["Lachin"].place_id == "geonames:147625" and ms["Lachin"].feature_type == "town"


def test_georgia_is_the_us_state_in_a_us_context(tiny_parser):
    ms = by_text(tiny_parser.parse("He drove from Atlanta to Georgia's coast, then to Texas."))
    assert ms["Georgia"].place_id == "region:US-GA"


def test_georgia_is_the_country_in_a_caucasus_context(tiny_parser):
    ms = by_text(tiny_parser.parse("Russian troops crossed from Georgia into Armenia near Tbilisi."))
    assert ms["Georgia"].place_id == "country:GE"


def test_armenia_colombia_is_the_city(tiny_parser):
    ms = by_text(tiny_parser.parse("Flooding hit Armenia, Colombia on Monday."))
    assert ms["Armenia"].place_id == "geonames:3689560"


def test_armenia_alone_is_the_country(tiny_parser):
    ms = by_text(tiny_parser.parse("Troops stayed in Armenia."))
    assert ms["Armenia"].place_id == "country:AM"


@pytest.mark.parametrize("a,b", [("Stepanakert", "Khankendi"), ("Shushi", "Shusha"), ("Berdzor", "Lachin"), ("Agdam", "Aghdam")])
def test_transliterations_resolve_to_one_place(tiny_parser, a, b):
    ctx = "Peacekeepers in Nagorno-Karabakh remained in {}."
    ma = by_text(tiny_parser.parse(ctx.format(a)))[a]
    mb = by_text(tiny_parser.parse(ctx.format(b)))[b]
    assert ma.place_id == mb.place_id


def test_unknown_small_place_abstains(tiny_parser):
    # Goris exists, but nothing in the text points to Armenia: no guess.
    assert "Goris" not in by_text(tiny_parser.parse("Soldiers arrived in Goris."))
    assert "Goris" in by_text(tiny_parser.parse("Soldiers arrived in Goris, in southern Armenia."))


def test_names_that_are_not_places_are_ignored(tiny_parser):
    assert tiny_parser.parse("Xyzzyville said nothing.") == []


@pytest.mark.parametrize("text,name", [
    ("Moscow said the troops would go.", "Moscow"),
    ("Yerevan has dismissed such claims.", "Yerevan"),
    ("Baku insisted that the region is Azerbaijani.", "Baku"),
    ("Moscow and Baku confirmed the start of the withdrawal.", "Moscow"),
    ("Moscow and Baku confirmed the start of the withdrawal.", "Baku"),
    ("The guards stay at the request of Yerevan.", "Yerevan"),
    ("Russia's base is large.", "Russia"),
    ("MOSCOW (Reuters) - Troops left.", "MOSCOW"),
])
def test_metonymic_mentions_are_not_literal(tiny_parser, text, name):
    assert by_text(tiny_parser.parse(text))[name].literal is False


def test_government_seats_and_demonyms_are_not_literal(tiny_parser):
    ms = by_text(tiny_parser.parse("The Kremlin said the Armenian side agreed."))
    assert ms["Kremlin"].literal is False and ms["Kremlin"].country == "RU"
    assert ms["Armenian"].literal is False


def test_literal_places_stay_literal(tiny_parser):
    ms = by_text(tiny_parser.parse("Troops remain in Moscow and near Kherson."))
    assert ms["Moscow"].literal and ms["Kherson"].literal


def test_borders_from_phrases(tiny_parser):
    ms = tiny_parser.parse("Patrols remain on Armenia's borders with Iran and Turkey.")
    assert {m.place_id for m in ms if m.feature_type == "border"} == {"border:AM-TR", "border:AM-IR"}
    ms = tiny_parser.parse("Troops left the Armenia-Azerbaijan border.")
    assert [m.place_id for m in ms if m.feature_type == "border"] == ["border:AM-AZ"]
    ms = tiny_parser.parse("Armenia said the Turkish border is calm.")
    assert [m.place_id for m in ms if m.feature_type == "border"] == ["border:AM-TR"]


def test_border_guards_are_not_a_border(tiny_parser):
    assert not [m for m in tiny_parser.parse("Russian border guards left Armenia.") if m.feature_type == "border"]


def test_non_neighbours_have_no_border(tiny_parser):
    assert not [m for m in tiny_parser.parse("the France-Armenia border") if m.feature_type == "border"]


def test_resolve_given_spans(tiny_parser):
    text = "Troops left Gyumri, Armenia and Xyzzy."
    out = tiny_parser.resolve(text, [(12, 18), (33, 38)])
    assert out[0].place_id == "geonames:616635" and out[1] is None


# ------------------------------------------------------------ the real index
GOLD_PLACES = {
    "Gyumri": (40.793, 43.8464), "Zvartnots international airport": (40.1473, 44.3959),
    "Goris": (39.5111, 46.3417), "Sisian": (39.5219, 46.027), "Agdam": (39.991, 46.9274),
    "Nagorno-Karabakh": (39.85, 46.75), "Lachin corridor": (39.637, 46.55), "Erebuni air base": (40.122, 44.465),
}


@pytest.mark.parametrize("name", sorted(GOLD_PLACES))
def test_seed_places_resolve_within_25_km(real_parser, name):
    text = f"Russian troops in Armenia and Azerbaijan: units remain at {name}."
    m = by_text(real_parser.parse(text))[name]
    assert geodesic((m.lat, m.lon), GOLD_PLACES[name]).km <= 25


def test_real_borders_exist_as_lines(real_gazetteer):
    for pair in (("AM", "TR"), ("AM", "IR"), ("AM", "AZ")):
        p = real_gazetteer.border(*pair)
        assert p is not None and p.geometry.geom_type in ("LineString", "MultiLineString")


def test_misplaced_airport_record_is_rejected(real_gazetteer):
    # airportsdata places "Lachin International Airport" at Baku's coordinates.
    for p in real_gazetteer.lookup("Lachin International Airport"):
        assert geodesic((p.lat, p.lon), (40.495, 49.977)).km > 50


def test_real_metonymy(real_parser):
    ms = by_text(real_parser.parse("Moscow said on Monday that the Kremlin and Yerevan had agreed; Baku insisted."))
    assert not ms["Moscow"].literal and not ms["Kremlin"].literal and not ms["Yerevan"].literal and not ms["Baku"].literal


def test_person_names_are_not_places(real_parser):
    names = {m.text for m in real_parser.parse("Vladimir Putin met Nikol Pashinyan in Moscow.")}
    assert "Vladimir" not in names and "Moscow" in names


def test_fallback_resolves_names_the_index_lacks():
    from collections import Counter

    from tiny_places import tiny_gazetteer
    from geo.places.geoparse import Geoparser
    from geocore.records import Place

    asked = []

    def fallback(name, focus):
        asked.append((name, dict(focus)))
        if name == "Kornidzor":
            return Place("osm:node/42", "Kornidzor", "town", "AM", 39.47, 46.33)
        return None

    gp = Geoparser(tiny_gazetteer(), fallback=fallback)
    ms = by_text(gp.parse("Russian guards left the checkpoint near Kornidzor in Armenia, close to Qwertyville."))
    assert ms["Kornidzor"].place_id == "osm:node/42" and ms["Kornidzor"].literal
    assert "Qwertyville" not in ms
    assert [a[0] for a in asked] == ["Kornidzor", "Qwertyville"] and asked[0][1].get("AM", 0) > 0
    assert gp.g.get("osm:node/42").name == "Kornidzor"


def test_no_fallback_no_lookup_of_unknown_names(tiny_parser):
    assert "Kornidzor" not in by_text(tiny_parser.parse("Russian guards left the checkpoint near Kornidzor in Armenia."))


def test_resolve_falls_back_to_clean_forms_and_demonyms(tiny_parser):
    text = "The Syrian army entered the Kherson's outskirts near Gyumri Central."
    spans = [(4, 10), (27, 37), (53, 67)]
    got = tiny_parser.resolve(text, spans)
    assert [m.place_id if m else None for m in got] == ["country:SY", "geonames:706448", "geonames:616635"]


def test_resolve_never_abstains_for_lack_of_context(tiny_parser):
    (m,) = tiny_parser.resolve("Soldiers arrived in Goris.", [(20, 25)])
    assert m is not None and m.place_id == "geonames:174895"


@pytest.mark.parametrize("text,name,country,pid_prefix", [
    ("He grew up in Paris, Texas.", "Paris", "US", "geonames:"),
    ("He lives in Athens, Georgia.", "Georgia", "US", "region:US-GA"),
    ("Talks in Tbilisi, Georgia.", "Georgia", "GE", "country:GE"),
    ("Talks in Athens, Greece.", "Athens", "GR", "geonames:"),
])
def test_comma_qualified_places_on_the_real_index(real_parser, text, name, country, pid_prefix):
    m = by_text(real_parser.parse(text))[name]
    assert m.country == country and m.place_id.startswith(pid_prefix)


def test_demonyms_beat_small_homonyms(real_parser):
    ms = by_text(real_parser.parse("German troops left Gao, Mali."))
    assert ms["German"].place_id == "country:DE" and not ms["German"].literal


def test_border_phrases_with_country_codes(real_parser):
    ids = [m.place_id for m in real_parser.parse("Troops stayed on the UAE-Oman border and the US-Mexico border.")]
    assert ids == ["border:AE-OM", "border:MX-US"]


def test_common_words_are_places_only_when_qualified(real_parser):
    ms = by_text(real_parser.parse("Police remain deployed in the city. Nice weather in Nice, France."))
    assert "Police" not in ms
    assert [m.place_id for m in real_parser.parse("Nice weather in Nice, France.") if m.text == "Nice"] == ["geonames:2990440"]


def test_names_after_opening_quotes_and_brackets_are_spotted(tiny_parser):
    # Regression: the name-start pattern once took a curly quote for the first letter of "“Kherson".
    for text in ("He said: “Kherson is calm.”", "(Kherson) was quiet.", "«Kherson» was quiet."):
        names = {m.text for m in tiny_parser.parse(text)}
        assert "Kherson" in names, text


def test_a_name_broken_by_a_line_wrap_is_one_name(tiny_parser):
    ms = by_text(tiny_parser.parse("A convoy crossed the Lachin\ncorridor at dawn."))
    assert "Lachin\ncorridor" in ms and ms["Lachin\ncorridor"].feature_type == "corridor"


def test_a_name_never_spans_a_blank_line(tiny_parser):
    ms = by_text(tiny_parser.parse("A convoy reached Lachin\n\ncorridor news followed."))
    assert "Lachin\n\ncorridor" not in ms


def test_an_airport_named_after_the_city_it_serves(real_parser):
    ms = by_text(real_parser.parse("French troops in Mali left Bamako airport on Sunday."))
    assert ms["Bamako airport"].feature_type == "airport" and ms["Bamako airport"].country == "ML"


def test_state_abbreviations_are_spotted_after_a_place_and_a_comma(real_parser):
    text = "Crews in Dover, Del. and in Beckley, W.Va. cleared the roads."
    got = {m.text: m.place_id for m in real_parser.parse(text)}
    assert got.get("Del.") == "region:US-DE" and got.get("W.Va.") == "region:US-WV"


@pytest.mark.parametrize("text", [
    "After the vote she went to Mass. The bells rang.",        # a sentence-final capitalised noun
    "Tenn. lawmakers will meet on Monday.",                      # a word abbreviation with no place before it
])
def test_a_word_abbreviation_alone_is_no_state(real_parser, text):
    assert not [m for m in real_parser.parse(text) if m.feature_type == "region"]


@pytest.mark.parametrize("phrase, expected", [
    ("Russians", "country:RU"),       # a plural demonym
    ("Syrian", "country:SY"),
    ("European", "continent:EU"),     # a continent's adjective
    ("the African", "continent:AF"),
])
def test_given_demonyms_resolve_to_their_country_or_continent(real_parser, phrase, expected):
    text = f"Observers said {phrase} views had shifted since the spring."
    a = text.index(phrase)
    m, = real_parser.resolve(text, [(a, a + len(phrase))])
    assert m is not None and m.place_id == expected


@pytest.mark.parametrize("text, literal", [
    ("Patrol boats stay in the Black Sea this winter.", True),
    ("Allied planners watch the whole Black Sea region this winter.", False),  # the lands around the sea
    ("Envoys from the Persian Gulf states met in the spring.", False),
])
def test_a_sea_standing_for_the_lands_around_it_is_not_literal(real_parser, text, literal):
    m, = [m for m in real_parser.parse(text) if m.feature_type == "water"]
    assert m.literal is literal


def test_plural_demonyms_name_people_not_places_in_running_text(real_parser):
    assert real_parser.parse("Thousands of Syrians and Canadians crossed on foot.") == []
    text = "Thousands of Syrians crossed on foot."
    a = text.index("Syrians")
    assert real_parser.resolve(text, [(a, a + 7)])[0].place_id == "country:SY"  # given as a span, the country
