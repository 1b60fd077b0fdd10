"""The index file format (gazetteer.store): a loaded index is the compiled one, row for row."""
from __future__ import annotations

import dataclasses

import pytest
import shapely

from gazetteer import store
from gazetteer.index import Gazetteer
from gazetteer.sources import SourceRecord
from gazetteer.table import IndexData, copy_index


def _records():
    line = shapely.LineString([(43.5, 40.1), (44.0, 40.3)])
    return [
        SourceRecord("country:AM", "Armenia", "country", "AM", 40.2, 44.9, names=["Armenia", "Republic of Armenia"],
                     geometry=shapely.box(43.4, 38.8, 46.6, 41.3), case_sensitive_names=["AM"]),
        SourceRecord("border:AM-TR", "Armenia–Turkey border", "border", "AM-TR", 40.3, 43.7,
                     names=["Armenian-Turkish border"], geometry=line),
        SourceRecord("geonames:616635", "Gyumri", "city", "AM", 40.7942, 43.8453, population=121_976,
                     names=["Gyumri", "Leninakan", "Giumri", "Гюмри"], admin1="06"),
        SourceRecord("geonames:2", "Gyumri", "town", None, 1.5, 2.5, population=3),  # same name, no country
        SourceRecord("geonames:616052", "Yerevan", "city", "AM", 40.1811, 44.5136, population=1_093_485,
                     capital=True, admin1="11", names=["Erevan"]),
        SourceRecord("site:102nd-base", "102nd Military Base", "base", "AM", 40.79, 43.85, names=["Gyumri base"],
                     near="Gyumri", operator="RU", curated=True),
        SourceRecord("icao:UDYZ", "Zvartnots International Airport", "airport", "AM", 40.147, 44.396,
                     names=["Zvartnots airport", "Zvartnots"], case_sensitive_names=["UDYZ"]),
    ]


def _compiled(version="v-store-1") -> IndexData:
    data = IndexData(version=version)
    for r in _records():
        data.add(r)
    return data.finish()


def _loaded(tmp_path, data: IndexData) -> IndexData:
    path = tmp_path / "index.gmidx"
    with open(path, "wb") as fh:
        store.write_index(data, fh)
    return store.read_index(path, data.version)


def _as_plain(value):
    return dict(value.items()) if hasattr(value, "items") else value


def test_every_field_survives_the_round_trip(tmp_path):
    data = _compiled()
    back = _loaded(tmp_path, data)
    for f in dataclasses.fields(IndexData):
        assert _as_plain(getattr(back, f.name)) == _as_plain(getattr(data, f.name)), f.name
    assert list(back.by_key) == list(data.by_key)  # same order, so iteration-based code gives the same answers
    assert back.by_key["gyumri"] == (2, 3) and back.by_key["leninakan"] == 2  # a tuple for several rows, else a row
    assert back.countries[3] is None and back.admin1.get(2) == "06" and back.admin1.get(0) is None
    assert back.aliases[2] == ("Leninakan", "Giumri", "Гюмри") and 3 not in back.aliases
    assert type(back.lats[2]) is float and type(back.pops[2]) is int
    assert shapely.from_wkb(back.geoms[1]).equals(shapely.from_wkb(data.geoms[1]))


def test_encoding_is_deterministic():
    assert store.encode_index(_compiled()) == store.encode_index(_compiled())


def test_loaded_and_compiled_answer_the_same_lookups(tmp_path):
    compiled, loaded = Gazetteer(_compiled()), Gazetteer(_loaded(tmp_path, _compiled()))
    for name in ("Gyumri", "Leninakan", "Гюмри", "Erevan", "Zvartnots airport", "UDYZ", "AM", "Armenian-Turkish border",
                 "gyumri base", "Nowhere"):
        assert loaded.lookup(name) == compiled.lookup(name), name
    assert loaded.sites_near("gyumri") == compiled.sites_near("gyumri") == [5]
    assert loaded.border("TR", "AM") == compiled.border("AM", "TR")
    assert loaded.country_rows == compiled.country_rows and loaded.border_rows == compiled.border_rows


def test_places_added_after_loading_do_not_reach_the_loaded_index(tmp_path):
    shared = _loaded(tmp_path, _compiled())
    mine = copy_index(shared)
    row = mine.add(SourceRecord("site:x", "Camp X", "base", "AM", 40.0, 44.0, names=["Camp X", "X Base"], admin1="01"))
    assert mine.aliases[row] == ("X Base",) and mine.admin1[row] == "01"
    assert row not in shared.aliases and shared.admin1.get(row) is None
    assert list(mine.aliases) == [*shared.aliases, row]


def test_a_nul_in_a_name_is_refused_at_write_time():
    data = _compiled()
    data.add(SourceRecord("site:bad", "Bad\x00Name", "site", "AM", 40.0, 44.0))
    with pytest.raises(ValueError, match="NUL"):
        store.encode_index(data)


def test_wrong_version_is_refused(tmp_path):
    path = tmp_path / "index.gmidx"
    path.write_bytes(store.encode_index(_compiled("v-a")))
    with pytest.raises(store.IndexFileError, match="version 'v-a', not 'v-b'"):
        store.read_index(path, "v-b")


def test_an_index_writable_by_others_is_refused(tmp_path):
    """Issue 15 finding 1: a file another user could have rewritten (hash and all) is not trusted."""
    import os

    import pytest as _pytest

    from gazetteer import store

    path = tmp_path / "index-x.gmidx"
    path.write_bytes(b"anything")
    os.chmod(path, 0o666)
    with _pytest.raises(store.IndexFileError, match="writable by others"):
        store.read_index(path, "v")
