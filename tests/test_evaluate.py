"""Tests for geo.evaluation.score: matching rules, scores and the text report."""
from __future__ import annotations

import json
from datetime import date

import pytest
from geopy.distance import geodesic
from shapely.geometry import LineString, Polygon

from geocore.errors import InputError
from geo.evaluation.match import MATCH_KM, distance_km
from geo.evaluation.score import evaluate, format_result
from geo.outputs.export import write_geojson
from geocore.records import Report

GYUMRI = (40.7894, 43.8475)


def _gold(*postures, doc="a.txt"):
    return {"docs": [{"doc": doc, "postures": list(postures)}]}


def _g(place="Gyumri", feature="base", status="staying", lat=GYUMRI[0], lon=GYUMRI[1], **kw):
    return {"place": place, "feature": feature, "status": status, "lat": lat, "lon": lon, "country": "AM", **kw}


def _r(place_id="gyumri", feature_type="base", status="staying", lat=GYUMRI[0], lon=GYUMRI[1], doc="a.txt", **kw):
    return {"doc": doc, "place_id": place_id, "name": place_id, "feature_type": feature_type, "country": "AM",
            "status": status, "lat": lat, "lon": lon, **kw}


def _north(km, lat=GYUMRI[0], lon=GYUMRI[1]):
    p = geodesic(kilometers=km).destination((lat, lon), 0)
    return p.latitude, p.longitude


BORDER_TR = {"place": "Armenia–Turkey border", "feature": "border", "countries": ["AM", "TR"],
             "lat": 40.35, "lon": 43.65, "status": "staying"}


def test_perfect_match():
    res = evaluate(_gold(_g(), BORDER_TR), [_r(), _r("border:AM-TR", "border", country="AM-TR", lat=40.3, lon=43.6)])
    assert (res.precision, res.recall, res.f1) == (1.0, 1.0, 1.0)
    assert (res.strict_f1, res.tp, res.fp, res.fn) == (1.0, 2, 0, 0)
    assert res.misses == res.extras == res.wrong_status == []


def test_missing_entry_is_a_miss():
    res = evaluate(_gold(_g(), BORDER_TR), [_r()])
    assert (res.tp, res.fn, res.precision, res.recall) == (1, 1, 1.0, 0.5)
    assert [m["place"] for m in res.misses] == ["Armenia–Turkey border"]
    assert "Armenia–Turkey border [border AM-TR] gold staying" in format_result(res)


def test_extra_report_is_a_false_positive():
    res = evaluate(_gold(_g()), [_r(), _r("yerevan", "city", lat=40.18, lon=44.51)])
    assert (res.tp, res.fp, res.precision, res.recall) == (1, 1, 0.5, 1.0)
    assert [e["place_id"] for e in res.extras] == ["yerevan"]


def test_report_of_unknown_doc_is_an_extra():
    res = evaluate(_gold(_g()), [_r(), _r(doc="other.txt")])
    assert res.fp == 1 and res.extras[0]["reason"] == "doc not in gold"


def test_wrong_status_keeps_place_f1_but_lowers_strict():
    res = evaluate(_gold(_g(status="staying")), [_r(status="withdrawing")])
    assert res.f1 == 1.0
    assert res.strict_f1 == 0.0 and res.strict_tp == 0
    assert res.wrong_status[0]["reported"] == "withdrawing" and res.wrong_status[0]["status"] == "staying"
    assert "reported withdrawing, gold staying" in format_result(res)


def test_accept_list_counts_as_correct_status():
    gold = _gold(_g(status="withdrawn", accept=["withdrawn", "withdrawing"]))
    assert evaluate(gold, [_r(status="withdrawing")]).strict_f1 == 1.0
    assert evaluate(gold, [_r(status="staying")]).strict_f1 == 0.0


def test_optional_entries_neither_reward_nor_penalise():
    optional = {"place": "Armenia", "feature": "country", "country": "AM", "lat": 40.0, "lon": 45.0,
                "status": "withdrawing", "required": False}
    gold = _gold(_g(), optional)
    found = evaluate(gold, [_r(), _r("AM", "country", status="withdrawing")])
    absent = evaluate(gold, [_r()])
    for res in (found, absent):
        assert (res.tp, res.fp, res.fn, res.f1) == (1, 0, 0, 1.0)


def test_optional_entry_does_not_steal_report_from_required_one():
    gold = _gold(_g(place="Optional", required=False, lat=GYUMRI[0], lon=GYUMRI[1]),
                 _g(place="Required", lat=_north(10)[0]))
    res = evaluate(gold, [_r()])
    assert (res.tp, res.fn) == (1, 0)
    assert res.matches[0]["place"] == "Required"


def test_border_matches_by_codes_in_any_order_not_by_distance():
    far_away = dict(lat=0.0, lon=0.0)
    res = evaluate(_gold(BORDER_TR), [_r("b", "border", country="TR-AM", **far_away)])
    assert res.tp == 1
    wrong_pair = evaluate(_gold(BORDER_TR), [_r("b", "border", country="AM-IR", lat=40.35, lon=43.65)])
    assert (wrong_pair.tp, wrong_pair.fp, wrong_pair.fn) == (0, 1, 1)
    # A point report at the border's gold coordinates is not a border.
    point = evaluate(_gold(BORDER_TR), [_r("gyumri", "city", lat=40.35, lon=43.65)])
    assert point.tp == 0


def test_country_matches_by_code():
    gold = _gold({"place": "Azerbaijan", "feature": "country", "country": "AZ", "lat": 40.4, "lon": 47.6,
                  "status": "withdrawing"})
    assert evaluate(gold, [_r("AZ", "country", country="AZ", status="withdrawing")]).tp == 1
    assert evaluate(gold, [_r("AM", "country", country="AM")]).tp == 0


@pytest.mark.parametrize("km, matches", [(24.0, True), (30.0, False)])
def test_distance_threshold(km, matches):
    lat, lon = _north(km)
    res = evaluate(_gold(_g()), [_r(lat=lat, lon=lon)])
    assert res.tp == (1 if matches else 0)
    assert MATCH_KM == 25.0


def test_line_and_polygon_use_nearest_point():
    gold = _gold(_g(place="Lachin corridor", feature="corridor", lat=39.6, lon=46.5))
    # The corridor line passes ~11 km from the gold point, whose report point is far away.
    line = LineString([(46.63, 39.0), (46.63, 40.0)])
    res = evaluate(gold, [{"type": "Feature", "properties": _r("lachin", "corridor", lat=0, lon=0),
                           "geometry": {"type": "LineString", "coordinates": [list(c) for c in line.coords]}}])
    assert res.tp == 1 and 10 < res.matches[0]["distance_km"] < 12.5
    square = Polygon([(45.0, 39.0), (47.0, 39.0), (47.0, 41.0), (45.0, 41.0)])
    assert distance_km(square, 40.0, 46.0) == 0.0


def test_duplicates_count_once_and_assignment_is_one_to_one():
    near = _north(1)
    res = evaluate(_gold(_g()), [_r(), _r(), _r("other", lat=near[0], lon=near[1])])
    assert (res.tp, res.fp) == (1, 1)
    assert res.matches[0]["report"]["place_id"] == "gyumri"  # nearest wins
    assert res.extras[0]["place_id"] == "other"


def test_evaluate_from_reports_geojson_and_gold_file(tmp_path):
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps(_gold(_g(), BORDER_TR)), encoding="utf-8")
    common = dict(force="troops", actor="Russia", doc="a.txt", evidence="e", trigger="t", confidence=0.8,
                  published=date(2024, 5, 9))
    reports = [
        Report("gyumri", "Gyumri", "base", "AM", *GYUMRI, "withdrawing", **common),
        Report("border:AM-TR", "Armenia–Turkey border", "border", "AM-TR", 40.3, 43.6, "staying",
               geometry=LineString([(43.5, 40.1), (43.7, 40.5)]), **common),
    ]
    path = write_geojson(reports, tmp_path / "reports.geojson")
    res = evaluate(gold_path, path)
    assert (res.tp, res.fp, res.fn, res.strict_tp) == (2, 0, 0, 1)
    assert res.to_dict()["wrong_status"][0]["place"] == "Gyumri"
    assert json.loads(json.dumps(res.to_dict()))["f1"] == 1.0


def test_format_result_neutralises_terminal_escapes():
    res = evaluate(_gold(_g()), [_r(), _r("\x1b[2Jevil", "city", lat=0, lon=0)])
    text = format_result(res)
    assert "\x1b" not in text and "?[2Jevil" in text


def test_bad_gold_and_reports_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="docs"):
        evaluate({"postures": []}, [])
    with pytest.raises(InputError, match="countries"):
        evaluate(_gold({"place": "b", "feature": "border", "status": "staying"}), [])
    with pytest.raises(InputError, match="lacks"):
        evaluate(_gold(_g()), [{"doc": "a.txt"}])
    bad = tmp_path / "gold.json"
    bad.write_text("{nope", encoding="utf-8")
    with pytest.raises(InputError, match="gold.json"):
        evaluate(bad, [])


def test_nothing_to_find_and_nothing_found_is_perfect():
    res = evaluate({"docs": []}, [])
    assert (res.precision, res.recall, res.f1, res.strict_f1) == (1.0, 1.0, 1.0, 1.0)
