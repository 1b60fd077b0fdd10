"""First-level subdivisions of every country (gazetteer.sources.first_level_divisions)."""
from __future__ import annotations

import pycountry
import pytest

from gazetteer import sources
from gazetteer.countries import point_in_country


@pytest.fixture(scope="module")
def divisions():
    return list(sources.first_level_divisions())


def test_only_iso_first_level_codes_once_each(divisions):
    first = {s.code for s in pycountry.subdivisions if not getattr(s, "parent_code", None)}
    ids = [r.place_id for r in divisions]
    assert len(ids) == len(set(ids))
    assert {i.split(":", 1)[1] for i in ids} <= first
    assert len(ids) > 0.9 * len(first)  # nearly every country's first level has a point
    assert len({r.country for r in divisions}) >= 190


def test_records_carry_their_iso_name_as_an_alias(divisions):
    by_id = {r.place_id: r for r in divisions}
    bavaria = by_id["region:DE-BY"]
    assert bavaria.feature_type == "region" and bavaria.country == "DE"
    assert "Bayern" in bavaria.names and "Bavaria" in bavaria.names
    assert all(r.name in r.names and all(sources.fold(n) for n in r.names) for r in divisions)


def test_a_point_outside_its_country_is_left_out():
    calls = []

    def nowhere(lon, lat, cc):
        calls.append(cc)
        return cc != "AM"

    got = [r for r in sources.first_level_divisions(in_country=nowhere)]
    assert calls and not [r for r in got if r.country == "AM"]
    assert [r for r in got if r.country == "AZ"]


def test_sampled_points_lie_in_their_country(divisions):
    sample = divisions[::40]
    outside = [r.place_id for r in sample if not point_in_country(r.lon, r.lat, r.country, tolerance_km=25)]
    assert len(outside) <= len(sample) // 20, outside  # the compile drops these; the source is mostly right


def test_real_index_has_regions_of_countries_geonames_codes_do_not_match(real_gazetteer):
    g = real_gazetteer
    for pid, name in (("region:DE-BY", "Bavaria"), ("region:SD-DN", "North Darfur"), ("region:IN-PB", "Punjab"),
                      ("region:UA-14", "Donetska oblast")):
        assert pid in [p.place_id for p in g.lookup(name, limit=50)], (pid, name)
    tx = g.get("region:US-TX")  # GeoNames' own placement is kept where the codes line up
    assert tx is not None and tx.name == "Texas"


def test_no_division_shadows_a_curated_place_of_its_name(real_gazetteer, divisions):
    g = real_gazetteer
    curated = {(sources.fold(g.data.names[i]), g.data.countries[i]) for i in g.data.curated}
    shadowing = [r for r in divisions if (sources.fold(r.name), r.country) in curated]
    assert shadowing  # the source does name divisions like curated places (Agdam, for one)
    for r in shadowing:
        p = g.get(r.place_id)  # left out, or placed by GeoNames instead (another point)
        assert p is None or (p.lat, p.lon) != (r.lat, r.lon), r.place_id
