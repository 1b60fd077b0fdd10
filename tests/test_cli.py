"""The CLI end to end on the seeds: build, evaluate, extract, geoparse, lookup, export, exit codes."""
import json
import shutil
from pathlib import Path

import pyogrio
import pytest
from typer.testing import CliRunner

from geo.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("build")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    out = tmp / "maps"
    res = runner.invoke(app, ["build", str(seeds), "--out", str(out), "--formats", "geojson,gpkg,kml,csv", "--json"])
    assert res.exit_code == 0, res.output
    return tmp, out, json.loads(res.stdout)


def test_build_writes_every_output(built):
    _, out, summary = built
    for name in ("posture.html", "posture.geojson", "reports.geojson", "posture.gpkg", "posture.kml", "reports.csv"):
        assert (out / name).stat().st_size > 0
    assert summary["articles"] == 5 and summary["skipped"] == []


def test_seed_reports_reach_strict_f1_target(built):
    _, out, _ = built
    res = runner.invoke(app, ["evaluate", str(ROOT / "tests/data/seeds.gold.json"), "--reports", str(out / "reports.geojson"), "--json"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.stdout)
    assert scores["strict_f1"] >= 0.95


def test_evaluate_lists_misses_and_extras(built, tmp_path):
    _, out, _ = built
    fc = json.loads((out / "reports.geojson").read_text())
    dropped = fc["features"].pop(0)
    fc["features"][0]["properties"]["status"] = "withdrawn" if fc["features"][0]["properties"]["status"] != "withdrawn" else "staying"
    p = tmp_path / "r.geojson"
    p.write_text(json.dumps(fc))
    res = runner.invoke(app, ["evaluate", str(ROOT / "tests/data/seeds.gold.json"), "--reports", str(p)])
    assert res.exit_code == 0
    assert "misses (" in res.stdout and "wrong status (" in res.stdout
    assert dropped["properties"]["name"] in res.stdout or dropped["properties"]["doc"] in res.stdout


def test_gpkg_layers_and_fields(built):
    _, out, _ = built
    layers = {name for name, _ in pyogrio.list_layers(out / "posture.gpkg")}
    assert layers == {"postures", "reports"}
    info = pyogrio.read_info(out / "posture.gpkg", layer="postures")
    assert "status" in list(info["fields"]) and "first_reported" in list(info["fields"])


def test_bad_inputs_are_skipped_with_exit_code_1(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(ROOT / "seeds/001_4e4279bceb8711b7.txt", d / "good.txt")
    (d / "empty.txt").write_text("")
    (d / "fake.txt").write_bytes(b"%PDF-1.4\n\x00\x01binary")
    res = runner.invoke(app, ["build", str(d), "--out", str(tmp_path / "out"), "--json"])
    assert res.exit_code == 1
    summary = json.loads(res.stdout)
    assert summary["articles"] == 1
    assert sorted(Path(s["path"]).name for s in summary["skipped"]) == ["empty.txt", "fake.txt"]
    assert (tmp_path / "out" / "posture.html").exists()


def test_missing_input_is_a_usage_error(tmp_path):
    res = runner.invoke(app, ["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "no such input" in res.output


def test_unknown_format_is_a_usage_error(tmp_path):
    res = runner.invoke(app, ["build", str(ROOT / "seeds"), "--out", str(tmp_path / "o"), "--formats", "shp"])
    assert res.exit_code == 2 and "geojson, gpkg, kml or csv" in res.output


def test_extract_one_article_as_json():
    res = runner.invoke(app, ["extract", str(ROOT / "seeds/003_c34f35e251d0623a.txt"), "--json"])
    assert res.exit_code == 0, res.output
    names = {r["name"]: r["status"] for r in json.loads(res.stdout)}
    assert names.get("Goris") == "withdrawing" and names.get("Sisian") == "withdrawing"


def test_geoparse_marks_metonymy():
    res = runner.invoke(app, ["geoparse", str(ROOT / "seeds/004_4289d46f5f19964e.txt"), "--json"])
    assert res.exit_code == 0, res.output
    ms = json.loads(res.stdout)
    baku = [m for m in ms if m["text"] == "Baku"]
    assert baku and not any(m["literal"] for m in baku)


def test_gazetteer_lookup_with_country_filter():
    res = runner.invoke(app, ["gazetteer", "lookup", "Lachin", "--country", "AZ", "--json"])
    assert res.exit_code == 0, res.output
    places = json.loads(res.stdout)
    assert places and all("AZ" in p["country"] for p in places)


def test_export_converts_a_finished_build(built, tmp_path):
    _, out, _ = built
    target = tmp_path / "x.kml"
    res = runner.invoke(app, ["export", "--format", "kml", "--from", str(out), "--out", str(target)])
    assert res.exit_code == 0, res.output
    assert b"<TimeSpan>" in target.read_bytes()


def test_export_from_an_empty_folder_says_what_to_do(tmp_path):
    res = runner.invoke(app, ["export", "--format", "gpkg", "--from", str(tmp_path)])
    assert res.exit_code == 2 and "geomap build" in res.output


def test_python_api_gives_geodataframes_and_the_map():
    import folium
    import geopandas

    import geo

    result = geo.build([str(ROOT / "seeds")], out=None)
    assert isinstance(result.postures, geopandas.GeoDataFrame) and len(result.postures) == len(result.posture_records)
    assert isinstance(result.reports, geopandas.GeoDataFrame) and list(result.reports.columns)[:3] == ["place_id", "name", "feature_type"]
    assert isinstance(result.map, folium.Map)
    assert isinstance(result.postures.explore(tiles=None), folium.Map)


def test_terminal_output_carries_no_escape_codes(tmp_path):
    art = tmp_path / "esc.txt"
    art.write_text("Russian troops left Kherson, Ukraine \x1b[2J\x1b]0;pwned\x07 today.\n")
    res = runner.invoke(app, ["extract", str(art)])
    assert res.exit_code == 0, res.output
    assert "Kherson" in res.output and "\x1b" not in res.output and "\x07" not in res.output


def test_report_geometry_point_on_build_and_export(built, tmp_path):
    tmp, out, _ = built
    res = runner.invoke(app, ["build", str(tmp / "seeds"), "--out", str(tmp_path / "pt"), "--report-geometry", "point",
                              "--formats", "csv", "--no-cache"])
    assert res.exit_code == 0, res.output
    feats = json.loads((tmp_path / "pt" / "reports.geojson").read_text())["features"]
    assert {f["geometry"]["type"] for f in feats} == {"Point"}
    res = runner.invoke(app, ["export", "--format", "csv", "--from", str(out), "--report-geometry", "point",
                              "--out", str(tmp_path / "e.csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "e.csv").read_bytes() == (tmp_path / "pt" / "reports.csv").read_bytes()
    res = runner.invoke(app, ["build", str(tmp / "seeds"), "--out", str(tmp_path / "x"), "--report-geometry", "poly"])
    assert res.exit_code == 2 and "full, point" in res.output
