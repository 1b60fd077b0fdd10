from datetime import date

from geo.postures.consolidate import consolidate
from geocore.records import Report


def rep(status, day, doc, place="site:x", conf=0.8, outlet=None):
    return Report(place, "X", "base", "AM", 40.0, 44.0, status, "troops", "Russia", doc, f"{status} in {doc}", "t", conf,
                  outlet=outlet, published=day)


def test_latest_report_sets_the_status_and_history_is_kept():
    (p,) = consolidate([rep("staying", date(2024, 1, 1), "a"), rep("withdrawn", date(2024, 3, 1), "b"),
                        rep("withdrawing", date(2024, 2, 1), "c")])
    assert p.status == "withdrawn" and p.evidence == "withdrawn in b"
    assert [r.doc for r in p.reports] == ["b", "c", "a"]
    assert p.first_reported == date(2024, 1, 1) and p.last_reported == date(2024, 3, 1) and p.n_reports == 3
    assert not p.conflict


def test_same_day_disagreement_is_flagged():
    (p,) = consolidate([rep("staying", date(2024, 5, 9), "a", conf=0.7), rep("withdrawing", date(2024, 5, 9), "b", conf=0.8)])
    assert p.conflict and p.status == "withdrawing"


def test_undated_reports_count_as_oldest():
    (p,) = consolidate([rep("withdrawn", None, "a"), rep("staying", date(2020, 1, 1), "b")])
    assert p.status == "staying" and p.first_reported == date(2020, 1, 1)


def test_sources_prefer_outlets_and_places_sort_by_id():
    ps = consolidate([rep("staying", None, "a.txt", place="site:b", outlet="Wire"), rep("staying", None, "b.txt", place="site:a")])
    assert [p.place_id for p in ps] == ["site:a", "site:b"]
    assert ps[0].sources == "b.txt" and ps[1].sources == "Wire"


def test_order_of_input_does_not_matter():
    rs = [rep("staying", date(2024, 1, d), f"{d}.txt", place=f"site:{d % 3}") for d in range(1, 10)]
    assert consolidate(rs) == consolidate(list(reversed(rs)))
