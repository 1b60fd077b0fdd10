"""ISO 3166-2 subdivisions of every country (gazetteer.divisions)."""
from __future__ import annotations

import pycountry
import pytest

from gazetteer import divisions as dv, sources
from gazetteer.countries import point_in_country


@pytest.fixture(scope="module")
def first():
    return list(dv.first_level_divisions())


def test_only_iso_first_level_codes_once_each(first):
    codes = {s.code for s in pycountry.subdivisions if not getattr(s, "parent_code", None)}
    ids = [r.place_id for r in first]
    assert len(ids) == len(set(ids))
    assert {i.split(":", 1)[1] for i in ids} <= codes
    assert len(ids) > 0.9 * len(codes)  # nearly every country's first level has a point
    assert len({r.country for r in first}) >= 190


def test_records_carry_their_iso_name_as_an_alias(first):
    by_id = {r.place_id: r for r in first}
    bavaria = by_id["region:DE-BY"]
    assert bavaria.feature_type == "region" and bavaria.country == "DE"
    assert "Bayern" in bavaria.names and "Bavaria" in bavaria.names
    assert all(r.name in r.names and all(sources.fold(n) for n in r.names) for r in first)


def test_a_point_outside_its_country_is_left_out():
    calls = []

    def nowhere(lon, lat, cc):
        calls.append(cc)
        return cc != "AM"

    got = [r for r in dv.first_level_divisions(in_country=nowhere)]
    assert calls and not [r for r in got if r.country == "AM"]
    assert [r for r in got if r.country == "AZ"]


def test_sampled_points_lie_in_their_country(first):
    sample = first[::40]
    outside = [r.place_id for r in sample if not point_in_country(r.lon, r.lat, r.country, tolerance_km=25)]
    assert len(outside) <= len(sample) // 20, outside  # the compile drops these; the source is mostly right


def test_real_index_has_regions_of_countries_geonames_codes_do_not_match(real_gazetteer):
    g = real_gazetteer
    for pid, name in (("region:DE-BY", "Bavaria"), ("region:SD-DN", "North Darfur"), ("region:IN-PB", "Punjab"),
                      ("region:UA-14", "Donetska oblast")):
        assert pid in [p.place_id for p in g.lookup(name, limit=50)], (pid, name)
    tx = g.get("region:US-TX")  # GeoNames' own placement is kept where the codes line up
    assert tx is not None and tx.name == "Texas"


def test_no_division_shadows_a_curated_place_of_its_name(real_gazetteer, first):
    g = real_gazetteer
    curated = {(sources.fold(g.data.names[i]), g.data.countries[i]) for i in g.data.curated}
    shadowing = [r for r in first if (sources.fold(r.name), r.country) in curated]
    assert shadowing  # the source does name divisions like curated places (Agdam, for one)
    for r in shadowing:
        p = g.get(r.place_id)  # left out, or placed by GeoNames instead (another point)
        assert p is None or (p.lat, p.lon) != (r.lat, r.lon), r.place_id


@pytest.mark.parametrize("iso, expected", [
    ("Wales [Cymru GB-CYM]", ["Wales", "Cymru"]),          # a bracketed variant with its code
    ("Kronobergs län [SE-07]", ["Kronobergs län"]),          # a bracket holding only a code
    ("Lleida [Lérida]", ["Lleida", "Lérida"]),
    ("Murcia, Región de", ["Región de Murcia", "Murcia"]),   # an inversion ending in a particle
    ("Bristol, City of", ["City of Bristol", "Bristol"]),
    ("Tatarstan, Respublika", ["Respublika Tatarstan", "Tatarstan"]),  # a one-word tail
    ("wallonne, Région", ["Région wallonne"]),               # a lower-case head is no name
    ("Davao (Region XI)", ["Davao"]),                         # a parenthesised note is dropped
    ("San Andrés, Providencia y Santa Catalina", ["San Andrés, Providencia y Santa Catalina"]),  # a list
    ("Texas", ["Texas"]),
])
def test_iso_names_split_the_variants_one_string_holds(iso, expected):
    assert dv.iso_names(iso) == expected


@pytest.fixture(scope="module")
def second():
    return list(dv.second_level_divisions())


def test_second_level_records_are_iso_codes_with_a_parent(second):
    child = {s.code: s for s in pycountry.subdivisions if getattr(s, "parent_code", None)}
    ids = [r.place_id.split(":", 1)[1] for r in second]
    assert len(ids) == len(set(ids)) and set(ids) <= set(child)
    assert len(ids) > 0.8 * len(child)
    assert len({r.country for r in second}) >= 20


def test_a_county_carries_its_top_level_ancestor_as_admin1(second):
    by_id = {r.place_id: r for r in second}
    for pid, country, top in (("region:GB-SFK", "GB", "ENG"), ("region:IT-RM", "IT", "62"), ("region:ES-M", "ES", "MD")):
        r = by_id[pid]
        assert r.country == country and r.admin1 == top and r.feature_type == "region"
    assert all(r.admin1 for r in second)


def test_real_index_resolves_second_level_names_without_shadowing_their_province(real_gazetteer):
    g = real_gazetteer
    for pid, name in (("region:GB-SFK", "Suffolk"), ("region:PH-PAN", "Pangasinan"), ("region:GB-WLS", "Wales")):
        assert pid in [p.place_id for p in g.lookup(name, limit=50)], (pid, name)
    # Madrid the province is named like Madrid the community: only the first level is kept
    assert g.get("region:ES-MD") is not None and g.get("region:ES-M") is None


def test_us_counties_file_is_one_sourced_row_per_census_code():
    import csv

    with dv.US_COUNTIES_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    geoids = [r["geoid"] for r in rows]
    assert geoids == sorted(geoids) and len(geoids) == len(set(geoids)) and len(rows) > 3000
    assert all(len(g) == 5 and g.isdigit() for g in geoids)
    assert all(r["source"] and (r["state"] or r["country"] != "US") for r in rows)
    # Independent cities and the District of Columbia are GeoNames places and an ISO division already
    assert not [r for r in rows if r["name"] in ("District of Columbia", "Richmond city")]


def test_a_county_is_a_region_of_its_state_named_with_its_kind():
    by_id = {r.place_id: r for r in dv.us_counties()}
    laurel = by_id["fips:21125"]  # Laurel County, Kentucky (FIPS 21125)
    assert (laurel.name, laurel.feature_type, laurel.country, laurel.admin1) == ("Laurel County", "region", "US", "KY")
    assert "Laurel Co." in laurel.names and "Laurel" not in laurel.names  # the bare name is the town's
    assert abs(laurel.lat - 37.11) < 0.3 and abs(laurel.lon + 84.12) < 0.3
    assert by_id["fips:22071"].name == "Orleans Parish"
    assert by_id["fips:72127"].country == "PR"  # a Puerto Rican municipio is in Puerto Rico's ISO code


def test_real_index_picks_the_county_of_the_state_named_after_it(real_parser):
    text = "Deputies in Washington County, Oregon, closed the road after the storm."
    a = text.index("Washington County")
    m, = real_parser.resolve(text, [(a, a + len("Washington County"))])
    assert m.place_id == "fips:41067"  # Washington County, Oregon


def test_division_abbreviations_are_sourced_and_name_real_iso_codes():
    import csv

    with dv.ABBREVIATIONS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = {s.code for s in pycountry.subdivisions}
    assert rows and all(r["source"] and r["iso3166_2"] in codes for r in rows)
    short = dv.abbreviations()
    assert short["US-WV"] == ["W.Va."] and short["US-CA"] == ["Calif."]
    assert "US-TX" not in short  # AP style writes Texas in full


def test_real_index_knows_a_state_by_its_abbreviation(real_gazetteer):
    g = real_gazetteer
    assert [g.data.ids[r] for r in g.exact_rows("W.Va.")] == ["region:US-WV"]
    assert not g.exact_rows("w.va.")  # case-sensitive: no folded key
