"""Movements: origin and destination reports of one sentence paired, in records and in a real build."""
from __future__ import annotations

import json

import pytest

from geocore.errors import InputError
from geocore.records import Report
from geo.outputs.movements import movements_of, pair


def end(place_id, role, *, doc="a.txt", evidence="The unit moved from A to B.", force="troops", lat=1.0, lon=2.0):
    return Report(place_id=place_id, name=place_id.upper(), feature_type="town", country="ZZ", lat=lat, lon=lon,
                  status="withdrawn" if role == "origin" else "staying", force=force, actor=None, doc=doc,
                  evidence=evidence, trigger="moved", confidence=0.8, role=role)


def test_an_origin_and_a_destination_of_one_sentence_make_one_movement():
    (m,) = movements_of([end("b", "destination"), end("a", "origin"), end("c", "site")])
    assert (m.origin.place_id, m.destination.place_id) == ("a", "b")
    assert m.status == "withdrawn" and m.force == "troops" and m.doc == "a.txt"  # the origin report's


def test_every_origin_pairs_with_every_destination_of_its_sentence():
    got = movements_of([end("a", "origin"), end("b", "origin"), end("c", "destination")])
    assert sorted((m.origin.place_id, m.destination.place_id) for m in got) == [("a", "c"), ("b", "c")]


def test_ends_in_other_sentences_documents_or_forces_do_not_pair():
    assert movements_of([end("a", "origin"), end("b", "destination", evidence="Another sentence.")]) == []
    assert movements_of([end("a", "origin"), end("b", "destination", doc="b.txt")]) == []
    assert movements_of([end("a", "origin"), end("b", "destination", force="guards")]) == []
    # reports read from older outputs have no role
    assert movements_of([end("a", ""), end("b", "")]) == []


def test_pair_refuses_reports_of_two_sentences():
    with pytest.raises(InputError, match="one sentence"):
        pair(end("a", "origin"), end("b", "destination", evidence="Another sentence."))


def test_a_movement_has_no_attribute_its_reports_do_not_share():
    m = pair(end("a", "origin"), end("b", "destination"))
    with pytest.raises(AttributeError):
        m.lat  # noqa: B018  (a place field: ask m.origin or m.destination)


def test_a_build_writes_the_movement_an_article_states(tmp_path, real_gazetteer):
    from geo.pipeline.run import build

    src = tmp_path / "in"
    src.mkdir()
    (src / "move.txt").write_text("Dutch soldiers were moved from Kandahar to Kabul last week.\n", encoding="utf-8")
    (src / "stay.txt").write_text("Dutch soldiers remain in Herat.\n", encoding="utf-8")
    result = build([src], out=tmp_path / "out", cache=False)
    (m,) = result.movements
    assert (m.origin.name, m.destination.name, m.doc) == ("Kandahār", "Kabul", "move.txt")
    doc = json.loads((tmp_path / "out" / "movements.geojson").read_text(encoding="utf-8"))
    (f,) = doc["features"]
    assert f["properties"]["origin"] == "Kandahār" and f["geometry"]["type"] == "LineString"
    lon, lat = f["geometry"]["coordinates"][0]
    assert abs(lat - 31.6) < 0.2 and abs(lon - 65.7) < 0.2  # Kandahar, origin first
    html = (tmp_path / "out" / "posture.html").read_text(encoding="utf-8")
    assert f'"moves": [[{round(lat, 5)}, {round(lon, 5)}, ' in html  # the map draws it: its row starts at the origin
