"""Smoke test: the benchmark corpus generator and runner work end to end at N=20 (not timed)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
import run  # noqa: E402


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, real_gazetteer):
    folder = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(20, folder, g=real_gazetteer)
    return folder


def test_corpus_is_deterministic_and_complete(small_corpus, real_gazetteer, tmp_path):
    texts = sorted(small_corpus.glob("*.txt"))
    assert len(texts) == 20
    words = [len(p.read_text(encoding="utf-8").split()) for p in texts]
    assert min(words) >= 450 and max(words) <= 700
    gold = json.loads((small_corpus / corpus.GOLD_NAME).read_text(encoding="utf-8"))
    assert [d["doc"] for d in gold["docs"]] == [p.name for p in texts]
    entries = [g for d in gold["docs"] for g in d["postures"]]
    assert entries and {g["status"] for g in entries} <= {"staying", "withdrawing", "withdrawn"}
    for d in gold["docs"]:
        text = (small_corpus / d["doc"]).read_text(encoding="utf-8")
        assert all(g["evidence"] in text for g in d["postures"])
    again = corpus.write_corpus(20, tmp_path / "again", g=real_gazetteer)
    assert all((again / p.name).read_bytes() == p.read_bytes() for p in texts)
    assert (again / corpus.GOLD_NAME).read_bytes() == (small_corpus / corpus.GOLD_NAME).read_bytes()


def test_places_come_from_the_whole_gazetteer(real_gazetteer):
    pool = corpus.place_pool(real_gazetteer)
    assert all(len(pool[k]) >= 20 for k in ("city", "base", "border", "country"))
    continents = {(round(t.lat, -1) > 0, round(t.lon, -1) > 0) for t in pool["city"]}
    assert len(continents) == 4  # every quadrant of the globe


def test_runner_measures_every_stage(small_corpus, tmp_path):
    res = run.run_one(20, small_corpus, tmp_path / "work")
    res.update(run.run_baseline(20, small_corpus))
    assert res["n"] == 20
    assert set(res["stages"]) == set(run.STAGES)
    assert all(st["s"] >= 0 and st["ms_per_article"] >= 0 for st in res["stages"].values())
    assert res["reports"] > 0 and res["html_mb"] > 0 and res["peak_rss_mb"] > 0
    # geomap should beat a plain name finder on its own corpus
    assert res["accuracy"]["strict_F1"] > res["baseline_accuracy"]["strict_F1"]
    text = run.report([res], {})
    assert "geoparse+extract" in text and "baseline finder" in text


def test_baseline_finds_names(real_gazetteer):
    b = run.Baseline(real_gazetteer)
    reps = b.reports("x.txt", "Troops left Gyumri and went to the Armenia border near Yerevan.")
    assert {r.name for r in reps} >= {"Gyumri", "Yerevan"}
