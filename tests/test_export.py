"""Tests for geo.outputs.export: real GDAL round trips, RFC 7946 checks, escaping, determinism."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from datetime import date

import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon

from geo.outputs import export as E
from geocore.errors import InputError
from geocore.records import STATUSES, Posture, Report

HOSTILE = "{{7*7}} <script>alert(1)</script> ${x} `y` ]]> =cmd|' /C calc'!A0"
KML = "{http://www.opengis.net/kml/2.2}"
CW_SQUARE = Polygon([(46.0, 39.0), (46.0, 40.0), (47.0, 40.0), (47.0, 39.0)])  # clockwise exterior
BORDER = LineString([(43.5, 40.1), (43.61234567, 40.5)])


def _report(place_id="gyumri", doc="a.txt", status="staying", published=date(2024, 5, 9), **kw):
    base = dict(place_id=place_id, name="Gyumri", feature_type="base", country="AM", lat=40.7894, lon=43.8475,
                status=status, force="Russian troops", actor="Russia", doc=doc, evidence="Troops stay.",
                trigger="stay", confidence=0.9, outlet="Outlet", published=published, url="https://e.x/a")
    base.update(kw)
    return Report(**base)


@pytest.fixture
def reports():
    return [
        _report(evidence=HOSTILE, trigger="=SUM(1)"),
        _report(place_id="border:AM-TR", name="Armenia–Turkey border", feature_type="border", country="AM-TR",
                lat=40.3, lon=43.6, status="withdrawing", actor=None, doc="b.txt", outlet=None, url=None,
                published=date(2024, 4, 1), geometry=BORDER),
        _report(place_id="border:AM-TR", name="Armenia–Turkey border", feature_type="border", country="AM-TR",
                lat=40.3, lon=43.6, status="staying", doc="c.txt", published=date(2024, 5, 1), geometry=BORDER),
        _report(place_id="nk", name="Nagorno-Karabakh", feature_type="region", country="AZ", lat=39.5, lon=46.5,
                status="withdrawn", doc="c.txt", published=None, geometry=CW_SQUARE, confidence=0.5),
    ]


@pytest.fixture
def postures(reports):
    return [
        Posture(place_id="gyumri", name="Gyumri", feature_type="base", country="AM", lat=40.7894, lon=43.8475,
                status="staying", force="Russian troops", actor="Russia", first_reported=date(2024, 5, 9),
                last_reported=date(2024, 5, 9), n_reports=1, sources="Outlet", evidence=HOSTILE, conflict=False,
                reports=(reports[0],)),
        Posture(place_id="border:AM-TR", name="Armenia–Turkey border", feature_type="border", country="AM-TR",
                lat=40.3, lon=43.6, status="staying", force="border guards", actor=None,
                first_reported=date(2024, 4, 1), last_reported=date(2024, 5, 1), n_reports=2,
                sources="b.txt; c.txt", evidence="Guards remain.", conflict=True, reports=tuple(reports[1:3]),
                geometry=BORDER),
        Posture(place_id="nk", name="Nagorno-Karabakh", feature_type="region", country="AZ", lat=39.5, lon=46.5,
                status="withdrawn", force="peacekeepers", actor="Russia", first_reported=None, last_reported=None,
                n_reports=1, sources="c.txt", evidence="They left.", conflict=False, reports=(reports[3],),
                geometry=CW_SQUARE),
    ]


# ---------------------------------------------------------------- frames

def test_frames_have_fixed_columns_and_dtypes(postures, reports):
    pf, rf = E.postures_frame(postures), E.reports_frame(reports)
    assert tuple(pf.columns) == E.POSTURE_COLUMNS
    assert tuple(rf.columns) == E.REPORT_COLUMNS
    assert pf.crs.to_epsg() == 4326 and rf.crs.to_epsg() == 4326
    assert str(pf["first_reported"].dtype).startswith("datetime64")
    assert pf["n_reports"].dtype == "int64" and pf["conflict"].dtype == bool
    assert rf["confidence"].dtype == "float64"
    assert rf.geometry[0].equals(Point(43.8475, 40.7894))  # no geometry -> Point(lon, lat)
    assert rf["actor"][1] is None


def test_empty_frames_keep_columns_and_dtypes(postures, reports):
    for empty, full in ((E.postures_frame([]), E.postures_frame(postures)),
                        (E.reports_frame([]), E.reports_frame(reports))):
        assert len(empty) == 0
        assert list(empty.columns) == list(full.columns)
        assert list(empty.dtypes.astype(str)) == list(full.dtypes.astype(str))


# ---------------------------------------------------------------- GeoJSON

def test_geojson_is_rfc7946_and_validates(tmp_path, postures, reports):
    E.write_geojson(postures, tmp_path / "p.geojson")
    E.write_geojson(reports, tmp_path / "r.geojson")
    E.validate_geojson(tmp_path / "p.geojson", "postures")
    E.validate_geojson(tmp_path / "r.geojson", "reports")
    data = json.loads((tmp_path / "p.geojson").read_text(encoding="utf-8"))
    assert "crs" not in data and data["type"] == "FeatureCollection"
    props = data["features"][0]["properties"]
    assert list(props) == list(E.POSTURE_COLUMNS[:-1])
    assert props["evidence"] == HOSTILE and props["first_reported"] == "2024-05-09"
    assert data["features"][2]["properties"]["first_reported"] is None
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [43.8475, 40.7894]}
    line = data["features"][1]["geometry"]["coordinates"]
    assert line[1] == [43.612346, 40.5]  # rounded to 6 decimals
    ring = data["features"][2]["geometry"]["coordinates"][0]
    assert shapely.Polygon(ring).exterior.is_ccw  # clockwise input reoriented
    raw = (tmp_path / "p.geojson").read_bytes()
    assert raw.endswith(b"]}\n") and not raw.endswith(b"\n\n")
    assert "Armenia–Turkey".encode("utf-8") in raw  # ensure_ascii=False


def test_geojson_gdal_round_trip(tmp_path, reports):
    E.write_geojson(reports, tmp_path / "r.geojson")
    df = pyogrio.read_dataframe(tmp_path / "r.geojson")
    assert len(df) == 4
    assert list(df.geom_type) == ["Point", "LineString", "LineString", "Polygon"]
    assert df["evidence"][0] == HOSTILE


def test_geojson_deterministic_and_load_build_round_trip(tmp_path, postures, reports):
    out1 = E.export(postures, reports, tmp_path / "one")
    first = {k: p.read_bytes() for k, p in out1.items()}
    out2 = E.export(postures, reports, tmp_path / "one")
    assert {k: p.read_bytes() for k, p in out2.items()} == first
    pf, rf = E.load_build(tmp_path / "one")
    assert list(pf.dtypes.astype(str)) == list(E.postures_frame(postures).dtypes.astype(str))
    # Converting the loaded frames again gives the very same bytes.
    out3 = E.export_frames(pf, rf, tmp_path / "two")
    assert {k: p.read_bytes() for k, p in out3.items()} == first


def test_empty_geojson_validates(tmp_path):
    E.write_geojson([], tmp_path / "e.geojson", kind="reports")
    assert json.loads((tmp_path / "e.geojson").read_text()) == {"type": "FeatureCollection", "features": []}
    E.validate_geojson(tmp_path / "e.geojson", "reports")
    rf = E.read_geojson(tmp_path / "e.geojson", "reports")
    assert len(rf) == 0 and tuple(rf.columns) == E.REPORT_COLUMNS


def test_load_build_without_files_names_the_folder(tmp_path):
    with pytest.raises(InputError, match="posture.geojson"):
        E.load_build(tmp_path)


def test_read_geojson_of_wrong_kind_is_clear(tmp_path, postures):
    E.write_geojson(postures, tmp_path / "p.geojson")
    with pytest.raises(InputError, match="lacks doc"):
        E.read_geojson(tmp_path / "p.geojson", "reports")


# ---------------------------------------------------------------- GeoPackage

def test_gpkg_round_trip_types(tmp_path, postures, reports):
    path = E.write_gpkg(E.postures_frame(postures), E.reports_frame(reports), tmp_path / "x.gpkg")
    assert sorted(pyogrio.list_layers(path)[:, 0]) == ["postures", "reports"]
    for layer, columns, n in (("postures", E.POSTURE_COLUMNS, 3), ("reports", E.REPORT_COLUMNS, 4)):
        info = pyogrio.read_info(path, layer=layer)
        assert info["features"] == n
        assert list(info["fields"]) == list(columns[:-1])
        types = dict(zip(info["fields"], zip(info["ogr_types"], info["ogr_subtypes"])))
        for col in {"first_reported", "last_reported", "published"} & set(columns):
            assert types[col][0] == "OFTDate"
        for col in {"conflict", "published_inferred"} & set(columns):
            assert types[col] == ("OFTInteger", "OFSTBoolean")
        assert info["geometry_type"] == "Unknown"
        assert info["crs"] == "EPSG:4326"
    pinfo = pyogrio.read_info(path, layer="postures")
    assert dict(zip(pinfo["fields"], pinfo["ogr_types"]))["n_reports"] == "OFTInteger"
    rinfo = pyogrio.read_info(path, layer="reports")
    assert dict(zip(rinfo["fields"], rinfo["ogr_types"]))["confidence"] == "OFTReal"
    df = pyogrio.read_dataframe(path, layer="reports")
    assert list(df.geom_type) == ["Point", "LineString", "LineString", "Polygon"]
    assert df["evidence"][0] == HOSTILE
    assert df["published"].isna().tolist() == [False, False, False, True]
    assert str(df["published"][0].date()) == "2024-05-09"


def test_gpkg_is_reproducible_and_honours_source_date_epoch(tmp_path, monkeypatch, postures, reports):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a = E.write_gpkg(postures, reports, tmp_path / "a.gpkg").read_bytes()
    assert E.write_gpkg(postures, reports, tmp_path / "a.gpkg").read_bytes() == a
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715212800")  # 2024-05-09T00:00:00Z
    b = E.write_gpkg(postures, reports, tmp_path / "b.gpkg")
    import sqlite3

    with sqlite3.connect(b) as con:
        stamps = {row[0] for row in con.execute("select last_change from gpkg_contents")}
    assert stamps == {"2024-05-09T00:00:00.000Z"}
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None  # restored
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        E.write_gpkg(postures, reports, tmp_path / "c.gpkg")
    assert not (tmp_path / "c.gpkg").exists()


def test_gpkg_empty_input(tmp_path):
    path = E.write_gpkg([], [], tmp_path / "e.gpkg")
    info = pyogrio.read_info(path, layer="reports")
    assert info["features"] == 0 and list(info["fields"]) == list(E.REPORT_COLUMNS[:-1])
    assert dict(zip(info["fields"], info["ogr_types"]))["published"] == "OFTDate"


# ---------------------------------------------------------------- KML

def _placemarks(root, folder_name):
    for folder in root.iter(f"{KML}Folder"):
        if folder.findtext(f"{KML}name") == folder_name:
            return folder.findall(f"{KML}Placemark")
    raise AssertionError(folder_name)


def _data(mark, name):
    for d in mark.iter(f"{KML}Data"):
        if d.get("name") == name:
            return d.findtext(f"{KML}value")
    raise AssertionError(name)


def test_kml_structure_timespans_and_escaping(tmp_path, postures, reports):
    path = E.write_kml(postures, reports, tmp_path / "x.kml")
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw and "]]>" not in raw
    root = ET.parse(path).getroot()
    assert len(_placemarks(root, "Postures")) == 3
    marks = _placemarks(root, "Reports")
    assert len(marks) == 4
    assert _data(marks[0], "evidence") == HOSTILE  # exact text after XML parsing
    # The balloon (rendered as HTML by Google Earth) carries the text HTML-escaped once more.
    desc = marks[0].findtext(f"{KML}description")
    assert "&lt;script&gt;" in desc and "<script>" not in desc
    spans = [(m.findtext(f"{KML}TimeSpan/{KML}begin"), m.findtext(f"{KML}TimeSpan/{KML}end")) for m in marks]
    assert spans == [("2024-05-09", None), ("2024-04-01", "2024-05-01"), ("2024-05-01", None), (None, None)]
    assert marks[1].find(f"{KML}LineString") is not None
    assert marks[3].find(f"{KML}Polygon") is not None
    assert marks[0].findtext(f"{KML}Point/{KML}coordinates") == "43.8475,40.7894"
    assert marks[1].findtext(f"{KML}styleUrl") == "#status-withdrawing"
    styles = {s.get("id"): s.findtext(f"{KML}IconStyle/{KML}color") for s in root.iter(f"{KML}Style")}
    assert styles["status-staying"] == "ff37781b"  # #1b7837 as aabbggrr


def test_kml_drops_xml_illegal_control_characters(tmp_path):
    path = E.write_kml([], [_report(evidence="bell\x07 nul\x00 ok")], tmp_path / "c.kml")
    root = ET.parse(path).getroot()
    assert _data(_placemarks(root, "Reports")[0], "evidence") == "bell\ufffd nul\ufffd ok"


def test_kml_deterministic_and_empty(tmp_path, postures, reports):
    a = E.write_kml(postures, reports, tmp_path / "a.kml").read_bytes()
    assert E.write_kml(postures, reports, tmp_path / "b.kml").read_bytes() == a
    root = ET.parse(E.write_kml([], [], tmp_path / "e.kml")).getroot()
    assert _placemarks(root, "Reports") == []


# ---------------------------------------------------------------- CSV

def test_csv_round_trip_and_formula_guard(tmp_path, reports):
    path = E.write_csv(reports, tmp_path / "r.csv")
    raw = path.read_bytes()
    assert b"\r\n" not in raw
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(E.CSV_COLUMNS)
    assert len(rows) == 4
    assert rows[0]["evidence"] == HOSTILE  # starts with '{', so left alone
    assert rows[0]["trigger"] == "'=SUM(1)"  # formula guarded
    assert (rows[0]["lat"], rows[0]["lon"], rows[0]["wkt"]) == ("40.7894", "43.8475", "POINT (43.8475 40.7894)")
    assert rows[1]["lat"] == "" and rows[1]["wkt"].startswith("LINESTRING (43.5 40.1, 43.612346 40.5")
    assert rows[1]["actor"] == "" and rows[1]["published"] == "2024-04-01"
    assert rows[3]["published"] == "" and rows[3]["confidence"] == "0.5"
    assert rows[0]["published_inferred"] == "false"
    assert E.write_csv(reports, tmp_path / "s.csv").read_bytes() == raw


def test_csv_guards_negative_looking_text_but_not_numbers(tmp_path):
    rep = _report(lat=-33.9, lon=-70.6, evidence="-1 troops", force="+cmd", name="@x")
    with open(E.write_csv([rep], tmp_path / "n.csv"), newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert (row["evidence"], row["force"], row["name"]) == ("'-1 troops", "'+cmd", "'@x")
    assert (row["lat"], row["lon"]) == ("-33.9", "-70.6")


# ---------------------------------------------------------------- export()

def test_export_every_format_and_unknown_format(tmp_path, postures, reports):
    out = E.export(postures, reports, tmp_path, formats=("geojson", "gpkg", "kml", "csv"))
    assert sorted(out) == ["posture.geojson", "posture.gpkg", "posture.kml", "reports.csv", "reports.geojson"]
    assert all(p.is_file() and p.parent == tmp_path for p in out.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(out)  # no temp files left
    with pytest.raises(InputError, match="shapefile"):
        E.export(postures, reports, tmp_path, formats=("shapefile",))


def test_non_finite_coordinates_are_rejected(tmp_path):
    with pytest.raises(InputError, match="non-finite"):
        E.write_geojson([_report(lat=float("nan"))], tmp_path / "bad.geojson")


# ---------------------------------------------------------------- property test

_text = st.text(st.characters(codec="utf-8"), max_size=40)
_coord = st.tuples(st.floats(-180, 180, allow_nan=False), st.floats(-90, 90, allow_nan=False))


@st.composite
def _reports(draw):
    out = []
    for i in range(draw(st.integers(0, 6))):
        lon, lat = draw(_coord)
        kind = draw(st.sampled_from(["point", "line", "poly"]))
        geom = None
        if kind == "line":
            lon2, lat2 = draw(_coord)
            geom = LineString([(lon, lat), (lon2, lat2)])
        elif kind == "poly":
            d = draw(st.floats(0.01, 1.0))
            lon, lat = min(lon, 179.0), min(lat, 89.0)
            geom = Polygon([(lon, lat), (lon, lat + d), (lon + d, lat + d), (lon + d, lat)])
        out.append(_report(
            place_id=f"p{i}", name=draw(_text), status=draw(st.sampled_from(STATUSES)), lat=lat, lon=lon,
            evidence=draw(_text), trigger=draw(_text), actor=draw(st.one_of(st.none(), _text)),
            doc=draw(_text.filter(bool)), confidence=draw(st.floats(0, 1)), geometry=geom,
            published=draw(st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 1, 1)))),
        ))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_reports())
def test_any_report_set_writes_valid_geojson(tmp_path, reps):
    path = E.write_geojson(reps, tmp_path / "h.geojson", kind="reports")
    E.validate_geojson(path, "reports")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [f["properties"]["evidence"] for f in data["features"]] == [r.evidence for r in reps]


def test_polygon_holes_and_multipolygons_follow_right_hand_rule(tmp_path):
    shell = [(0.0, 0.0), (0.0, 4.0), (4.0, 4.0), (4.0, 0.0)]  # clockwise
    hole = [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0)]  # counter-clockwise
    holed = Polygon(shell, [hole])
    multi = shapely.MultiPolygon([holed, Polygon([(10.0, 10.0), (10.0, 11.0), (11.0, 11.0)])])
    path = E.write_geojson([_report(geometry=holed), _report(place_id="m", geometry=multi)], tmp_path / "h.geojson")
    E.validate_geojson(path, "reports")
    rings = json.loads(path.read_text())["features"][0]["geometry"]["coordinates"]
    assert shapely.LinearRing(rings[0]).is_ccw and not shapely.LinearRing(rings[1]).is_ccw


def test_writers_stream_records_and_frames_to_the_same_bytes(tmp_path, postures, reports):
    # Records are converted row by row without a frame; the bytes must equal the frame path's.
    for fmt in E.FORMATS:
        a = E.export(postures, reports, tmp_path / "records", formats=(fmt,))
        b = E.export_frames(E.postures_frame(postures), E.reports_frame(reports), tmp_path / "frames", formats=(fmt,))
        assert {k: p.read_bytes() for k, p in a.items()} == {k: p.read_bytes() for k, p in b.items()}, fmt


def test_gpkg_written_in_batches_reads_back_whole(tmp_path, monkeypatch, postures, reports):
    many = [_report(place_id=f"p{i}", doc=f"{i}.txt", confidence=i / 10) for i in range(7)] + reports
    monkeypatch.setattr(E, "GPKG_BATCH", 3)
    E.write_gpkg(postures, many, tmp_path / "b.gpkg")
    monkeypatch.setattr(E, "GPKG_BATCH", 1000)
    E.write_gpkg(postures, many, tmp_path / "one.gpkg")
    for layer, n in (("postures", len(postures)), ("reports", len(many))):
        batched = pyogrio.read_dataframe(tmp_path / "b.gpkg", layer=layer)
        whole = pyogrio.read_dataframe(tmp_path / "one.gpkg", layer=layer)
        assert len(batched) == n
        assert batched.drop(columns="geometry").equals(whole.drop(columns="geometry"))
        assert list(batched.geometry.to_wkt()) == list(whole.geometry.to_wkt())


def test_shared_geometries_are_prepared_once_per_object(monkeypatch):
    calls = []
    orig = E.prepare_geometry
    monkeypatch.setattr(E, "prepare_geometry", lambda g: calls.append(g) or orig(g))
    prepared = E.PerGeometry(E.prepare_geometry)
    first = prepared(CW_SQUARE)
    assert prepared(CW_SQUARE) is first and len(calls) == 1
    assert prepared(Polygon(CW_SQUARE.exterior.coords)).equals(first) and len(calls) == 2
    assert prepared(None) is None


def test_point_report_geometry_puts_every_report_on_its_place(tmp_path, postures, reports):
    out = E.export(postures, reports, tmp_path, formats=E.FORMATS, report_geometry="point")
    feats = json.loads(out["reports.geojson"].read_text())["features"]
    assert {f["geometry"]["type"] for f in feats} == {"Point"}
    for f, r in zip(feats, reports):
        place = r.geometry if r.geometry is not None else Point(r.lon, r.lat)
        assert place.buffer(1e-5).contains(Point(f["geometry"]["coordinates"])), r.place_id
    # postures keep their outlines
    kinds = {f["geometry"]["type"] for f in json.loads(out["posture.geojson"].read_text())["features"]}
    assert "Polygon" in kinds and "LineString" in kinds
    assert set(pyogrio.read_dataframe(out["posture.gpkg"], layer="reports").geom_type) == {"Point"}
    rows = list(csv.DictReader(out["reports.csv"].open(encoding="utf-8")))
    assert all(row["lat"] and row["lon"] and row["wkt"].startswith("POINT") for row in rows)


def test_point_report_geometry_is_the_same_from_records_and_from_a_finished_build(tmp_path, postures, reports):
    full = E.export(postures, reports, tmp_path / "full", formats=("geojson",))
    points = E.export(postures, reports, tmp_path / "points", formats=E.FORMATS, report_geometry="point")
    pf, rf = E.load_build(tmp_path / "full")
    again = E.export_frames(pf, rf, tmp_path / "again", formats=E.FORMATS, report_geometry="point")
    assert {k: p.read_bytes() for k, p in again.items()} == {k: p.read_bytes() for k, p in points.items()}
    assert full["reports.geojson"].read_bytes() != points["reports.geojson"].read_bytes()


def test_unknown_report_geometry_is_refused(tmp_path, postures, reports):
    with pytest.raises(InputError, match="full, point"):
        E.export(postures, reports, tmp_path, report_geometry="polygon")


def test_each_input_frame_is_normalized_once_for_all_formats(tmp_path, monkeypatch, postures, reports):
    pf, rf = E.postures_frame(postures), E.reports_frame(reports)
    calls = []
    import geo.outputs.rows as rows

    orig = rows.normalize_frame
    monkeypatch.setattr(rows, "normalize_frame", lambda frame, kind: calls.append(kind) or orig(frame, kind))
    E.export_frames(pf, rf, tmp_path, formats=E.FORMATS)
    assert sorted(calls) == ["postures", "reports"]


def test_geometry_memo_is_bounded():
    memo = E.PerGeometry(lambda g: g.area, size=3)
    squares = [Polygon([(0, 0), (i, 0), (i, i)]) for i in range(1, 8)]
    assert [memo(g) for g in squares] == [g.area for g in squares]
    assert len(memo._memo) == 3  # a frame with a distinct object per row does not fill memory
