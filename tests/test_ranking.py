"""The fitted ranker: named features, the weights file, the fit, abstention and explanations."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from gazetteer.index import Gazetteer
from gazetteer.sources import SourceRecord
from gazetteer.table import IndexData
from geo.places import ranking
from geo.places.geoparse import Geoparser

ROOT = Path(__file__).resolve().parents[1]


def _parser(records, weights):
    data = IndexData(version="ranking-test")
    for r in records:
        data.add(r)
    return Geoparser(Gazetteer(data), ranker_weights=weights)


def _town(gid, name, cc, lat, lon, pop, admin1=None, alts=()):
    return SourceRecord(f"geonames:{gid}", name, "city" if pop >= 100_000 else "town", cc, lat, lon,
                        population=pop, names=[name, *alts], admin1=admin1)


# Two Springvales: a big one in a made-up state "Ostland" (XA-OS), a small one in "Westmark" (XA-WM).
RECORDS = [
    SourceRecord("country:XA", "Xandria", "country", "XA", 10.0, 10.0, names=["Xandria"]),
    SourceRecord("region:XA-OS", "Ostland", "region", "XA", 10.0, 20.0, names=["Ostland"]),
    SourceRecord("region:XA-WM", "Westmark", "region", "XA", 10.0, 0.0, names=["Westmark"]),
    _town(1, "Springvale", "XA", 10.1, 20.1, 400_000, "OS"),
    _town(2, "Springvale", "XA", 10.1, 0.1, 5_000, "WM"),
    _town(3, "Millbrook", "XA", 10.2, 0.2, 8_000, "WM"),
]


def test_the_packaged_weights_name_only_known_features_and_record_their_fit():
    w = ranking.load_weights()
    assert set(w["pass1"]) <= set(ranking.FEATURES) and set(w["pass2"]) <= set(ranking.FEATURES)
    assert not set(w["pass1"]) & {"dist_min", "dist_near", "dist_share"}  # pass 1 has no distances
    fitted = w["fitted"]
    assert fitted["commit"] and "sha256" in fitted["split"]
    for split in ("train", "held_out"):
        assert set(fitted["acc161_given_spans"][split]) == {"gwn", "lgl"}
    assert np.isfinite(w["min_score"])


def test_population_alone_picks_the_bigger_namesake():
    gp = _parser(RECORDS, {"pass1": {"log_pop": 1.0}})
    m, = gp.resolve("Springvale got rain.", [(0, 10)])
    assert m.place_id == "geonames:1"


def test_a_division_named_in_the_article_pulls_its_town():
    gp = _parser(RECORDS, {"pass1": {"log_pop": 1.0, "region_named": 5.0}})
    text = "Storms crossed Westmark overnight; Springvale lost power."
    ms = gp.resolve(text, [(15, 23), (35, 45)])
    assert [m.place_id for m in ms] == ["region:XA-WM", "geonames:2"]
    expl = gp.explain(text, [(35, 45)], top=2)[0]
    assert expl[0]["place_id"] == "geonames:2" and expl[0]["features"]["region_named"] == 5.0
    assert expl[0]["score"] > expl[1]["score"]


def test_distance_to_the_other_resolved_places_decides_in_the_second_pass():
    weights = {"pass1": {"log_pop": 1.0}, "pass2": {"log_pop": 1.0, "dist_near": 10.0}}
    gp = _parser(RECORDS, weights)
    text = "Millbrook and Springvale shared a fire crew."
    ms = gp.resolve(text, [(0, 9), (14, 24)])
    assert ms[1].place_id == "geonames:2"  # the small Springvale next to Millbrook
    gp1 = _parser(RECORDS, {"pass1": {"log_pop": 1.0}})
    assert gp1.resolve(text, [(0, 9), (14, 24)])[1].place_id == "geonames:1"


def test_features_of_a_comma_qualified_name():
    gp = _parser(RECORDS, {"pass1": {"log_pop": 1.0}})
    text = "A fair opened in Springvale, Westmark on Sunday."
    s = gp.ranker.span_for(text, 17, 27)
    ctx = gp.ranker.context([s], gp.ranker.focus(text, [s]))
    c = gp.ranker.candidates(text, s, ctx)
    col = ranking.FEATURES.index("adjacent_region")
    assert dict(zip(c.rows, c.x[:, col])) == {gp.g.row_of("geonames:1"): 0.0, gp.g.row_of("geonames:2"): 1.0}


def test_strict_spotting_abstains_below_min_score_outside_the_focus_countries():
    records = RECORDS + [_town(4, "Lindholm", "XB", 50.0, 50.0, 3_000)]
    low = {"pass1": {"log_pop": 1.0}, "min_score": 100.0}
    gp = _parser(records, low)
    assert not [m for m in gp.parse("We met in Lindholm.") if m.text == "Lindholm"]
    gp = _parser(records, {"pass1": {"log_pop": 1.0}, "min_score": -100.0})
    # still a small town in a country the article never names: the strict rule keeps it out
    assert not [m for m in gp.parse("We met in Lindholm.") if m.text == "Lindholm"]
    gp = _parser(records, low)
    # in a country the article names, min_score does not apply
    assert [m.place_id for m in gp.parse("In Xandria, Millbrook flooded.") if m.text == "Millbrook"] == ["geonames:3"]


def test_a_curated_place_is_never_abstained_on():
    records = RECORDS + [SourceRecord("site:camp-quill", "Camp Quill", "base", "XC", 30.0, 30.0,
                                      names=["Camp Quill"], curated=True)]
    gp = _parser(records, {"pass1": {"log_pop": 1.0}, "min_score": 100.0})
    assert [m.place_id for m in gp.parse("Soldiers left Camp Quill.")] == ["site:camp-quill"]


def test_resolve_keeps_its_signature_and_never_abstains():
    gp = _parser(RECORDS, {"pass1": {"log_pop": 1.0}, "min_score": 100.0})
    ms = gp.resolve("Nobody knew Millbrook.", [(12, 21), (0, 6)])
    assert ms[0].place_id == "geonames:3" and ms[1] is None
    assert 0.0 <= ms[0].score <= 1.0  # the softmax share of the chosen candidate


def test_a_division_at_its_namesake_city_gives_the_city():
    records = RECORDS + [SourceRecord("region:XA-PV", "Portvale", "region", "XA", 12.0, 5.0, population=2_000_000,
                                      names=["Portvale"]),
                         _town(5, "Portvale", "XA", 12.05, 5.05, 1_500_000, "PV")]
    gp = _parser(records, {"pass1": {"type_region": 10.0}})
    m, = gp.resolve("Portvale voted.", [(0, 8)])
    assert m.place_id == "geonames:5"


@pytest.fixture(scope="module")
def fit_module():
    sys.path.insert(0, str(ROOT / "bench"))
    import fit_ranker

    return fit_ranker


def test_the_fit_learns_a_separating_feature_deterministically(fit_module):
    rng = np.random.default_rng(7)
    nf = len(ranking.FEATURES)
    j = ranking.FEATURES.index("region_named")
    rows = []
    for _ in range(200):
        x = rng.normal(size=(4, nf)) * 0.1
        good = np.zeros(4, dtype=bool)
        k = int(rng.integers(4))
        x[k, j] = 1.0
        good[k] = True
        rows.append((x, good))
    prior = np.zeros(nf)
    w1 = fit_module.fit(rows, np.ones(nf), prior)
    w2 = fit_module.fit(rows, np.ones(nf), prior)
    assert np.array_equal(w1, w2)
    assert w1[j] > 2.0 and np.abs(np.delete(w1, j)).max() < 1.0


def test_the_split_is_a_fixed_hash_rule(fit_module):
    ids = [str(n) for n in range(1000)]
    held = [i for i in ids if fit_module.held_out("lgl", i)]
    assert 250 < len(held) < 350
    assert held == [i for i in ids if fit_module.held_out("lgl", i)]
    assert json.loads(ranking.WEIGHTS_FILE.read_text())["fitted"]["split"] == fit_module.SPLIT_RULE


def test_real_index_us_code_is_the_country(real_parser):
    text = "Officials in the US and the UK agreed."
    a, b = text.index("US"), text.index("UK")
    us, uk = real_parser.resolve(text, [(a, a + 2), (b, b + 2)])
    assert (us.place_id, uk.place_id) == ("country:US", "country:GB")


# A town called "Street", one called "South" and a continent, beside the Springvales.
PARTS = RECORDS + [
    _town(6, "Street", "XA", 11.0, 11.0, 9_000),
    _town(7, "South", "XA", 12.0, 12.0, 4_000),
    SourceRecord("continent:XX", "Oriana", "continent", None, 30.0, 30.0, population=10**8, names=["Oriana"]),
]


@pytest.mark.parametrize("phrase", ["Harbour Street", "South Gate", "Lower South Street"])
def test_a_given_name_never_falls_back_to_a_generic_word_alone(phrase):
    gp = _parser(PARTS, {"pass1": {"log_pop": 1.0}})
    text = f"The march reached {phrase} at noon."
    a = text.index(phrase)
    assert gp.resolve(text, [(a, a + len(phrase))]) == [None]


def test_a_given_name_falls_back_to_its_known_part():
    gp = _parser(PARTS, {"pass1": {"log_pop": 1.0}})
    text = "The march reached Millbrook Town Hall at noon."
    a = text.index("Millbrook")
    m, = gp.resolve(text, [(a, a + len("Millbrook Town Hall"))])
    assert m is not None and m.place_id == "geonames:3"


@pytest.mark.parametrize("phrase, expected", [("West Oriana", None), ("Oriana", "continent:XX")])
def test_a_compass_qualified_continent_is_a_region_of_its_own(phrase, expected):
    gp = _parser(PARTS, {"pass1": {"log_pop": 1.0}})
    text = f"Envoys flew to {phrase} on Monday."
    a = text.index(phrase)
    m, = gp.resolve(text, [(a, a + len(phrase))])
    assert (m.place_id if m else None) == expected
    spotted = [x.place_id for x in gp.parse(text)]
    assert spotted == ([expected] if expected else [])


def test_a_country_is_no_distance_from_the_places_inside_it():
    # Xandria's point is far from its capital region; a city named like the country sits near the others.
    records = RECORDS + [
        SourceRecord("country:XB", "Bellmark", "country", "XB", 40.0, 40.0, names=["Bellmark"]),
        _town(8, "Bellmark City", "XB", 45.0, 45.0, 2_000_000, alts=["Bellmark"]),
        _town(9, "Harwick", "XB", 45.1, 45.1, 300_000),
    ]
    weights = {"pass1": {"type_country": 3.0, "log_pop": 1.0},
               "pass2": {"type_country": 3.0, "log_pop": 1.0, "dist_near": 5.0}}
    gp = _parser(records, weights)
    text = "Harwick said Bellmark would not change course."
    a = text.index("Bellmark")
    harwick, bellmark = gp.resolve(text, [(0, 7), (a, a + 8)])
    assert harwick.place_id == "geonames:9" and bellmark.place_id == "country:XB"


def test_a_place_noun_before_a_name_is_evidence_enough():
    gp = _parser(RECORDS + [_town(10, "Quillon", "XC", 5.0, 5.0, 30_000)], {"pass1": {"log_pop": 1.0}, "min_score": 100.0})
    assert [m.place_id for m in gp.parse("The convoy reached the town of Quillon.")] == ["geonames:10"]
    assert [m.place_id for m in gp.parse("The convoy stopped near Quillon.")] == ["geonames:10"]  # a place preposition
    assert gp.parse("The convoy reached Quillon.") == []


def test_a_list_of_countries_is_no_host_for_the_next_one():
    # "Ostland" is also a division of Velmar; in a list of countries it is the country
    records = RECORDS + [
        SourceRecord("country:XV", "Velmar", "country", "XV", -10.0, -10.0, names=["Velmar"]),
        SourceRecord("country:XO", "Ostland", "country", "XO", 20.0, 20.0, names=["Ostland"]),
    ]
    weights = {"pass1": {"type_country": 3.0, "type_region": 2.5, "host_country": 4.0, "host_other_country": -3.0}}
    gp = _parser(records, weights)
    text = "Aid went to Velmar, Ostland and Xandria."
    a, b = text.index("Velmar"), text.index("Ostland")
    assert [m.place_id for m in gp.resolve(text, [(a, a + 6), (b, b + 7)])] == ["country:XV", "country:XO"]
    # after a town, the comma still names its host ("Springvale, Ostland" is the division)
    text = "Aid went to Millbrook, Westmark."
    a = text.index("Westmark")
    assert gp.resolve(text, [(a, a + 8)])[0].place_id == "region:XA-WM"


def test_a_division_is_no_distance_from_the_places_inside_it():
    # Westmark's point is far from its towns; a town called Westmark elsewhere in Xandria is near them
    records = RECORDS + [_town(11, "Westmark", "XA", 10.2, 20.2, 40_000, "OS"),
                         _town(12, "Lindholm", "XA", 14.0, 4.0, 9_000, "WM")]  # 600 km from its division's point
    weights = {"pass1": {"type_region": 2.0, "log_pop": 1.0},
               "pass2": {"type_region": 2.0, "log_pop": 1.0, "dist_near": 5.0}}
    gp = _parser(records, weights)
    text = "Lindholm and Springvale voted; Westmark counted the ballots."
    spans = [(0, 8), (13, 23), (text.index("Westmark"), text.index("Westmark") + 8)]
    *_, westmark = gp.resolve(text, spans)
    assert westmark.place_id == "region:XA-WM"


def test_a_name_the_article_uses_as_a_surname_is_no_place():
    gp = _parser(RECORDS + [_town(13, "Kellton", "XA", 11.0, 11.0, 2_000)], {"pass1": {"log_pop": 1.0}})
    spotted = lambda text: [s.text for s in gp.spotter.spot(text)]  # noqa: E731
    assert "Kellton" in spotted("The convoy reached Kellton. The bridge there reopened.")
    # "Dana Kellton" makes Kellton a surname in this article, everywhere in it
    assert "Kellton" not in spotted("Dana Kellton chaired the council. Kellton said the bridge would reopen.")
    # a country keeps its name whoever bears it as a surname
    assert "Xandria" in spotted("Dana Xandria chaired the council. Xandria signed the accord.")
