"""Tests for gazetteer.index: the versioned on-disk cache and lookups on the real index.

Cache mechanics use a tiny in-code ``compile_index`` (the real compile takes
~20 s); ranking and scheme checks use the session ``real_gazetteer`` fixture,
which reads the index already compiled into the user cache.
"""
from __future__ import annotations

import importlib
import json
import os
import pickle
import re

import pytest

from gazetteer import index as gi
from gazetteer import store
from gazetteer.sources import SourceRecord
from geocore.errors import GazetteerError, GeomapError
from geocore.records import FEATURE_TYPES


# --------------------------------------------------------------- helpers
def _tiny(version: str) -> gi.IndexData:
    data = gi.IndexData(version=version)
    data.add(SourceRecord("geonames:1", "Testville", "town", "AM", 40.0, 44.0, population=10))
    return data


@pytest.fixture
def counting_compile(monkeypatch):
    """Replace the real compile by a tiny one that counts its calls."""
    calls = []

    def fake(version=None):
        calls.append(version)
        return _tiny(version)

    monkeypatch.setattr(gi, "compile_index", fake)
    monkeypatch.setattr(gi, "data_version", lambda: "v-test-1")
    return calls


# ------------------------------------------------------------ data version
def test_data_version_is_stable():
    assert gi.data_version() == gi.data_version()
    assert re.fullmatch(r"[0-9a-f]{20}", gi.data_version())


def test_data_version_changes_with_curated_file(tmp_path, monkeypatch):
    before = gi.data_version()
    copy = tmp_path / "places.yaml"
    text = gi.CURATED_FILE.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    monkeypatch.setattr(gi, "CURATED_FILE", copy)
    assert gi.data_version() == before  # same bytes, same key
    copy.write_text(text.rstrip("\n") + "\n"
                    "  - id: site:extra-test-site\n"
                    "    name: Extra Test Site\n"
                    "    type: site\n"
                    "    country: AM\n"
                    "    lat: 40.18\n"
                    "    lon: 44.51\n", encoding="utf-8")
    after = gi.data_version()
    assert after != before
    from gazetteer.curated import load_curated  # the edited copy is still a valid file
    assert load_curated(copy)[-1].place.place_id == "site:extra-test-site"
    monkeypatch.setattr(gi, "CURATED_FILE", tmp_path / "missing.yaml")
    assert gi.data_version() not in (before, after)


def test_data_version_changes_with_index_format(monkeypatch):
    before = gi.data_version()
    monkeypatch.setattr(gi, "INDEX_FORMAT", gi.INDEX_FORMAT + 1)
    assert gi.data_version() != before


@pytest.mark.parametrize("module", [
    "gazetteer.sources",
    "gazetteer.divisions",
    "gazetteer.index",
    "gazetteer.borders",
    "gazetteer.curated",
])
def test_data_version_changes_with_compile_code(tmp_path, monkeypatch, module):
    mod = importlib.import_module(module)
    before = gi.data_version()
    copy = tmp_path / "edited.py"
    copy.write_text(pathlib_read(mod.__file__) + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(mod, "__file__", str(copy))
    assert gi.data_version() != before


def pathlib_read(path) -> str:
    return gi.Path(path).read_text(encoding="utf-8")


def test_cache_dir_env_override(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "c"))
    assert gi.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("GEOMAP_CACHE_DIR")
    import platformdirs
    assert gi.cache_dir() == gi.Path(platformdirs.user_cache_dir("geomap"))


# ----------------------------------------------------------- cache mechanics
def _name(version: str = "v-test-1") -> str:
    return f"index-{version}{gi.INDEX_SUFFIX}"


def test_first_load_compiles_and_writes_cache(tmp_path, counting_compile):
    d = tmp_path / "not" / "yet"  # created on demand
    data = gi.load_index(directory=d)
    assert counting_compile == ["v-test-1"]
    assert data.version == "v-test-1" and data.names == ["Testville"]
    assert sorted(p.name for p in d.iterdir()) == [_name()]  # no temp file left
    assert (d / _name()).read_bytes().startswith(store.MAGIC)


def test_second_load_reads_cache(tmp_path, counting_compile):
    first = gi.load_index(directory=tmp_path)
    second = gi.load_index(directory=tmp_path)
    assert len(counting_compile) == 1
    assert second.ids == first.ids and second.by_key == first.by_key


def test_rebuild_ignores_cache(tmp_path, counting_compile):
    gi.load_index(directory=tmp_path)
    gi.load_index(directory=tmp_path, rebuild=True)
    assert len(counting_compile) == 2


def test_new_version_gives_new_cache_file(tmp_path, counting_compile, monkeypatch):
    gi.load_index(directory=tmp_path)
    monkeypatch.setattr(gi, "data_version", lambda: "v-test-2")
    data = gi.load_index(directory=tmp_path)
    assert data.version == "v-test-2" and len(counting_compile) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [_name("v-test-1"), _name("v-test-2")]


def test_cache_write_is_atomic(tmp_path, counting_compile, monkeypatch):
    """The final name appears only through os.replace of a temp file in the same folder."""
    seen = []
    real_replace = gi.os.replace

    def spy(src, dst):
        seen.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(gi.os, "replace", spy)
    gi.load_index(directory=tmp_path)
    [(src, dst)] = seen
    assert dst == str(tmp_path / _name())
    assert src.startswith(str(tmp_path)) and src != dst


def _half_write(data, fh):
    fh.write(store.MAGIC + b"partial")
    raise OSError(28, "No space left on device")


def test_failed_cache_write_leaves_no_partial_index(tmp_path, counting_compile, monkeypatch, caplog):
    monkeypatch.setattr(gi.store, "write_index", _half_write)
    data = gi.load_index(directory=tmp_path)  # the build goes on without a cache
    assert data.names == ["Testville"]
    assert list(tmp_path.iterdir()) == []  # neither the index nor its temp file
    assert str(tmp_path / _name()) in caplog.text and "No space left" in caplog.text


def test_unwritable_cache_dir_still_loads(tmp_path, counting_compile):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    data = gi.load_index(directory=blocker / "sub")  # mkdir fails: OSError
    assert data.names == ["Testville"]


# ------------------------------------------- untrusted index files (issue 15, finding 1)
class _Marker:
    """Unpickling this creates a file: proof that a planted pickle ran code."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _good_file(version: str = "v-test-1") -> bytes:
    return store.encode_index(_tiny(version).finish())


def _assert_rebuilt(tmp_path, counting_compile, caplog, why: str):
    path = tmp_path / _name()
    assert len(counting_compile) == 1, "a bad file must be compiled over, not used"
    assert str(path) in caplog.text and why in caplog.text  # the warning names the file and the problem
    assert store.read_index(path, "v-test-1").names == ["Testville"]  # replaced by a good index


def test_planted_pickle_runs_no_code_and_is_replaced(tmp_path, counting_compile, caplog):
    """Finding 1: a pickle planted under the index's name is never unpickled."""
    marker = tmp_path / "pwned"
    (tmp_path / _name()).write_bytes(pickle.dumps(_Marker(marker)))
    assert pickle.loads(pickle.dumps(_Marker(tmp_path / "probe"))) and (tmp_path / "probe").exists()  # it would
    (tmp_path / "probe").unlink()
    data = gi.load_index(directory=tmp_path)
    assert not marker.exists()
    assert data.names == ["Testville"]
    _assert_rebuilt(tmp_path, counting_compile, caplog, "pickle")


def test_tampered_file_is_refused(tmp_path, counting_compile, caplog):
    """Finding 1: a forged index with the right version and format but other contents is not used."""
    blob = bytearray(_good_file())
    at = bytes(blob).rindex(b"Testville")
    blob[at:at + 9] = b"Evilville"
    (tmp_path / _name()).write_bytes(bytes(blob))
    with pytest.raises(store.IndexFileError, match="SHA-256"):
        store.read_index(tmp_path / _name(), "v-test-1")
    assert gi.load_index(directory=tmp_path).names == ["Testville"]
    _assert_rebuilt(tmp_path, counting_compile, caplog, "SHA-256")


@pytest.mark.parametrize("cut", [0, 5, 12, 60, -1])
def test_truncated_file_is_rebuilt(tmp_path, counting_compile, caplog, cut):
    blob = _good_file()
    (tmp_path / _name()).write_bytes(blob[:cut])
    assert gi.load_index(directory=tmp_path).names == ["Testville"]
    _assert_rebuilt(tmp_path, counting_compile, caplog, "")


def _with_header(change) -> bytes:
    """A good file whose JSON header is edited by ``change`` (payload and hash untouched)."""
    blob = _good_file()
    (size,) = store.struct.unpack_from("<I", blob, len(store.MAGIC))
    start = len(store.MAGIC) + 4
    head = json.loads(blob[start:start + size])
    change(head)
    raw = json.dumps(head).encode()
    return store.MAGIC + store.struct.pack("<I", len(raw)) + raw + blob[start + size:]


@pytest.mark.parametrize("change,why", [
    (lambda h: h.update(version="v-other"), "version"),
    (lambda h: h.update(format=store.FILE_FORMAT + 1), "format"),
    (lambda h: h.update(rows=5), "inconsistent"),
    (lambda h: h["sections"].pop("ids"), "sections"),
    (lambda h: h["sections"]["lats"].__setitem__(1, 10 ** 9), "section"),
], ids=["wrong-version", "wrong-format", "wrong-rows", "missing-section", "section-out-of-file"])
def test_foreign_or_inconsistent_header_is_rebuilt(tmp_path, counting_compile, caplog, change, why):
    (tmp_path / _name()).write_bytes(_with_header(change))
    assert gi.load_index(directory=tmp_path).names == ["Testville"]
    _assert_rebuilt(tmp_path, counting_compile, caplog, why)


def test_consistent_forgery_with_rows_out_of_range_is_refused(tmp_path):
    """Even with a recomputed hash, a name pointing at a row that does not exist is refused."""
    data = _tiny("v-test-1").finish()
    data.by_key["testville"] = 7
    path = tmp_path / _name()
    path.write_bytes(store.encode_index(data))
    with pytest.raises(store.IndexFileError, match="outside the table"):
        store.read_index(path, "v-test-1")


@pytest.mark.parametrize("blob", [b"", b"this is not an index", b"\x80\x09K\x01.", store.MAGIC + b"\xff" * 8,
                                  store.MAGIC + b"\x05\x00\x00\x00{bad}"],
                         ids=["empty", "text", "future-pickle", "huge-header", "bad-json"])
def test_garbage_is_rebuilt(tmp_path, counting_compile, caplog, blob):
    (tmp_path / _name()).write_bytes(blob)
    assert gi.load_index(directory=tmp_path).version == "v-test-1"
    _assert_rebuilt(tmp_path, counting_compile, caplog, "")


def test_planted_folder_fifo_or_symlink_is_not_read(tmp_path, counting_compile, caplog):
    path = tmp_path / _name()
    outside = tmp_path / "elsewhere.gmidx"
    outside.write_bytes(_good_file())
    path.symlink_to(outside)  # a link is not followed, even to a good file
    gi.load_index(directory=tmp_path)
    assert not path.is_symlink() and outside.read_bytes() == _good_file()
    path.unlink()
    os.mkfifo(path)  # would block a plain open() forever
    gi.load_index(directory=tmp_path)
    assert path.is_file()
    assert len(counting_compile) == 2 and caplog.text.count(str(path)) == 2


def test_read_index_error_names_the_file_and_is_a_geomap_error(tmp_path):
    path = tmp_path / "some index.gmidx"
    path.write_bytes(b"junk")
    with pytest.raises(GeomapError) as exc:
        store.read_index(path, "v1")
    assert isinstance(exc.value, OSError) and str(path) in str(exc.value)


# ------------------------------------------------------ lookups, real index
def test_paris_first_is_the_french_capital(real_gazetteer):
    g = real_gazetteer
    top = g.lookup("Paris")[0]
    assert top.country == "FR" and top.feature_type == "city"
    assert g.row_of(top.place_id) in g.data.capitals
    assert abs(top.lat - 48.85) < 0.1 and abs(top.lon - 2.35) < 0.1


def test_country_filter_keeps_only_that_country(real_gazetteer):
    us = real_gazetteer.lookup("Paris", country="US")
    assert us and all(p.country == "US" for p in us)
    assert [p.place_id for p in real_gazetteer.lookup("Paris", country="us")] == [p.place_id for p in us]
    assert real_gazetteer.lookup("Paris", country="ZZ") == []


def test_lookup_is_case_and_accent_insensitive_and_deterministic(real_gazetteer):
    g = real_gazetteer
    ids = [p.place_id for p in g.lookup("Zürich")]
    assert ids and ids == [p.place_id for p in g.lookup("ZURICH")] == [p.place_id for p in g.lookup("zurich")]
    assert g.lookup("Zürich")[0].country == "CH"


def test_lookup_limit(real_gazetteer):
    assert len(real_gazetteer.lookup("Paris", limit=3)) == 3
    assert real_gazetteer.lookup("Paris", limit=0) == []


def test_zvartnots_is_the_airport(real_gazetteer):
    top = real_gazetteer.lookup("Zvartnots")[0]
    assert top.feature_type == "airport" and top.country == "AM"
    assert abs(top.lat - 40.147) < 0.05 and abs(top.lon - 44.396) < 0.05


def test_icao_code_is_case_sensitive(real_gazetteer):
    # Zvartnots is curated, so its airportsdata record is merged into the curated row
    assert [p.place_id for p in real_gazetteer.lookup("UDYZ")] == ["site:zvartnots-international-airport"]
    assert real_gazetteer.lookup("udyz") == []
    assert [p.place_id for p in real_gazetteer.lookup("LTAF")] == ["icao:LTAF"]  # Adana: no curated row


@pytest.mark.parametrize("name", ["", "   ", "<script>alert(1)</script>", "\x00\x1b[31m", "'; DROP TABLE x;--",
                                  "A" * 10_000, "\u202eevil", "🚀"])
def test_hostile_names_find_nothing(real_gazetteer, name):
    assert real_gazetteer.lookup(name) == []


def test_border_is_symmetric(real_gazetteer):
    g = real_gazetteer
    a, b = g.border("TR", "AM"), g.border("AM", "TR")
    assert a is not None and a == b
    assert a.place_id == "border:AM-TR" and a.country == "AM-TR" and a.feature_type == "border"
    assert g.border("AM", "FR") is None  # not neighbours
    assert g.border("AM", "AM") is None


def test_country_filter_matches_either_side_of_a_border(real_gazetteer):
    ids = [p.place_id for p in real_gazetteer.lookup("Armenia-Turkey border", country="TR")]
    assert "border:AM-TR" in ids
    assert real_gazetteer.lookup("Armenia-Turkey border", country="FR") == []


# ---------------------------------------------------------- scheme checks
_ID_RULES = [
    (re.compile(r"^geonames:[1-9][0-9]*$"), {"city", "town"}),
    (re.compile(r"^icao:[A-Z0-9]{4}$"), {"airport", "base"}),
    (re.compile(r"^iata:[A-Z0-9]{3}$"), {"airport", "base"}),
    (re.compile(r"^country:[A-Z]{2}$"), {"country"}),
    (re.compile(r"^border:[A-Z]{2}-[A-Z]{2}$"), {"border"}),
    (re.compile(r"^site:[a-z0-9]+(?:-[a-z0-9]+)*$"), set(FEATURE_TYPES) - {"border"}),
    (re.compile(r"^region:[A-Z]{2}-[A-Z0-9]{1,3}$"), {"region"}),
    (re.compile(r"^fips:[0-9]{5}$"), {"region"}),
    (re.compile(r"^continent:[A-Z]{2}$"), {"continent"}),
    (re.compile(r"^ne:[a-z]+:[a-z0-9]+(?:-[a-z0-9]+)*$"), {"water", "landform"}),
]


def test_every_row_follows_the_id_scheme(real_gazetteer):
    """All ~250k rows: id scheme, feature type, country code and coordinates."""
    d = real_gazetteer.data
    bad = []
    for i, pid in enumerate(d.ids):
        ft = gi.FEATURE_CODES[d.ftypes[i]]
        rule = next((r for r in _ID_RULES if r[0].match(pid)), None)
        cc = d.countries[i]
        ok = (rule is not None and ft in rule[1] and ft in FEATURE_TYPES
              and -90 <= d.lats[i] <= 90 and -180 <= d.lons[i] <= 180)
        if pid.startswith("country:"):
            ok = ok and cc == pid[8:]
        elif pid.startswith("border:"):
            a, b = pid[7:].split("-")
            ok = ok and a < b and cc == pid[7:]
        elif pid.startswith("region:"):
            ok = ok and cc == pid[7:9]
        elif pid.startswith(("continent:", "ne:")):
            ok = ok and cc is None
        else:
            ok = ok and (cc is None or re.fullmatch(r"[A-Z]{2}", cc) is not None)
        if not ok:
            bad.append((pid, ft, cc))
    assert bad == [], bad[:20]


def test_place_ids_are_unique(real_gazetteer):
    ids = real_gazetteer.data.ids
    assert len(set(ids)) == len(ids)


def test_sampled_places_round_trip(real_gazetteer):
    g = real_gazetteer
    for i in range(0, len(g), max(1, len(g) // 500)):
        p = g.place(i)
        assert p.feature_type in FEATURE_TYPES
        assert g.get(p.place_id) == p
        assert p.place_id in [q.place_id for q in g.lookup(p.name, country=(p.country or "").split("-")[0] or None,
                                                          limit=10_000)]


# ------------------------------------------------------- user gazetteers
_USER_YAML = """\
version: 1
places:
  - id: site:camp-test-hostile
    name: Camp <b>Hostile</b> & "Co"
    type: base
    country: AM
    lat: 40.5
    lon: 44.5
    aliases: [Zzyzx Test Base]
"""


@pytest.fixture(scope="module")
def user_gazetteer(tmp_path_factory):
    path = tmp_path_factory.mktemp("user") / "mine.yaml"
    path.write_text(_USER_YAML, encoding="utf-8")
    return gi.Gazetteer.load([path])


def test_user_file_adds_its_places(user_gazetteer, real_gazetteer):
    g = user_gazetteer
    [p] = g.lookup("Zzyzx Test Base")
    assert p.place_id == "site:camp-test-hostile" and p.feature_type == "base" and p.country == "AM"
    assert (p.lat, p.lon) == (40.5, 44.5) and p.name == 'Camp <b>Hostile</b> & "Co"'
    assert g.lookup('Camp <b>Hostile</b> & "Co"')[0].place_id == p.place_id
    assert g.get("site:camp-test-hostile") == p
    assert len(g) == len(real_gazetteer) + 1
    assert g.version != real_gazetteer.version and g.version.startswith(real_gazetteer.version)
    assert real_gazetteer.lookup("Zzyzx Test Base") == []  # the shared index is untouched


def test_user_entry_with_bundled_id_replaces_it(tmp_path):
    path = tmp_path / "override.yaml"
    path.write_text("version: 1\nplaces:\n  - id: site:erebuni-air-base\n    name: Erebuni Air Base\n"
                    "    type: base\n    country: AM\n    lat: 40.13\n    lon: 44.47\n", encoding="utf-8")
    g = gi.Gazetteer.load([path])
    hits = [p for p in g.lookup("Erebuni Air Base") if p.place_id == "site:erebuni-air-base"]
    assert [(p.lat, p.lon) for p in hits] == [(40.13, 44.47)]


@pytest.mark.parametrize("body,needle", [
    ("version: 1\nplaces:\n  - id: site:x\n    name: X\n    type: base\n    country: AM\n    lat: 400\n    lon: 44\n",
     "lat"),
    ("version: 1\nplaces: [\n", "YAML"),
    ("version: 1\nplaces:\n  - id: Bad Id\n    name: X\n    type: base\n    country: AM\n    lat: 40\n    lon: 44\n",
     "id"),
])
def test_broken_user_file_raises_naming_the_file(tmp_path, body, needle):
    path = tmp_path / "broken <file>.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(GazetteerError) as exc:
        gi.Gazetteer.load([path])
    assert str(path) in str(exc.value) and needle in str(exc.value)


def test_missing_user_file_raises_naming_the_file(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(GazetteerError, match=re.escape(str(path))):
        gi.Gazetteer.load([path])


# ------------------------------------------------- airports named after their city
def _city(name, lat, lon, pop, cc="ML"):
    from gazetteer.sources import SourceRecord

    return SourceRecord(f"geonames:{name}", name, "city", cc, lat, lon, population=pop)


def _port(pid, name, lat, lon, cc="ML", ft="airport", names=()):
    from gazetteer.sources import SourceRecord

    return SourceRecord(pid, name, ft, cc, lat, lon, names=[name, *names])


def test_a_large_city_names_its_nearest_civil_airport():
    from gazetteer.sources import city_airport_aliases

    ports = [_port("icao:FAR", "Far Field", 12.65, -7.5),         # ~50 km away
             _port("icao:NEAR", "Senou Airport", 12.53, -7.95),   # ~14 km away
             _port("icao:MIL", "Bamako Air Base", 12.64, -7.99, ft="base"),
             _port("icao:OTHER", "Border Airport", 12.66, -8.01, cc="SN")]
    got = city_airport_aliases(ports, [_city("Bamako", 12.65, -8.0, 1_300_000)])
    assert got == {"icao:NEAR": ["Bamako airport", "Bamako international airport"]}


def test_no_alias_for_small_towns_far_airports_or_cities_already_named():
    from gazetteer.sources import city_airport_aliases

    ports = [_port("icao:A", "Kati Airport", 12.75, -8.05, names=["Koulikoro airport"]),
             _port("icao:B", "Remote Airport", 15.0, -3.0)]
    cities = [_city("Kati", 12.74, -8.07, 80_000),          # below the population threshold
              _city("Koulikoro", 12.86, -7.56, 150_000),    # an airport already carries its name
              _city("Sikasso", 11.32, -5.67, 250_000)]      # nothing within 30 km
    assert city_airport_aliases(ports, cities) == {}


def test_bamako_airport_is_the_airport(real_gazetteer):
    top = real_gazetteer.lookup("Bamako airport")[0]
    assert top.feature_type == "airport" and top.country == "ML"


def _rehashed(blob: bytes, change) -> bytes:
    """``blob`` with its payload edited by ``change`` and the header's hash recomputed (a careful forgery)."""
    (size,) = store.struct.unpack_from("<I", blob, len(store.MAGIC))
    start = len(store.MAGIC) + 4
    head = json.loads(blob[start:start + size])
    payload = bytearray(blob[start + size:])
    change(head, payload)
    head["payload_sha256"] = store.hashlib.sha256(payload).hexdigest()
    raw = json.dumps(head).encode()
    return store.MAGIC + store.struct.pack("<I", len(raw)) + raw + bytes(payload)


def test_forgery_that_does_not_decode_is_refused_not_raised(tmp_path, counting_compile, caplog):
    def bad_utf8(head, payload):
        offset, size, _ = head["sections"]["names"]
        payload[offset] = 0xFF  # "Testville" no longer UTF-8

    (tmp_path / _name()).write_bytes(_rehashed(_good_file(), bad_utf8))
    assert gi.load_index(directory=tmp_path).names == ["Testville"]
    _assert_rebuilt(tmp_path, counting_compile, caplog, "cannot be decoded")


def test_oversized_file_is_not_read(tmp_path, counting_compile, caplog, monkeypatch):
    monkeypatch.setattr(store, "MAX_FILE", 100)
    (tmp_path / _name()).write_bytes(_good_file() + b"\0" * 200)
    assert gi.load_index(directory=tmp_path).names == ["Testville"]
    monkeypatch.setattr(store, "MAX_FILE", 1 << 30)  # to read back the small index written over it
    _assert_rebuilt(tmp_path, counting_compile, caplog, "more than any index")


# ------------------------------------------------- one place per facility
def _curated_base(pid, name, lat, lon, cc="TR", names=(), ft="base"):
    return SourceRecord(pid, name, ft, cc, lat, lon, names=list(names), curated=True)


def _airport(icao, name, lat, lon, cc="TR", ft="base"):
    from gazetteer.sources import _airport_aliases

    return SourceRecord(f"icao:{icao}", name, ft, cc, lat, lon, names=_airport_aliases(name),
                        case_sensitive_names=[icao])


def test_airport_record_of_a_curated_base_is_merged_into_it():
    from gazetteer.sources import merge_curated_airports

    incirlik = _curated_base("site:incirlik-air-base", "Incirlik Air Base", 37.002, 35.426,
                             names=["Incirlik airbase", "İncirlik"])
    gyumri = _curated_base("site:102nd-military-base-gyumri", "102nd Military Base", 40.793, 43.846, cc="AM",
                           names=["Gyumri base", "UDSG"])
    far_namesake = _curated_base("site:kandahar-airfield", "Kandahar Airfield", 31.506, 65.848, cc="AF")
    ports = [_airport("LTAG", "Incirlik Air Base", 37.0021, 35.4259),            # same name, 0 km
             _airport("LTAF", "Adana Airport", 36.982, 35.280, ft="airport"),     # 13 km, other name
             _airport("UDSG", "Gyumri Shirak Airport", 40.750, 43.859, cc="AM", ft="airport"),  # code alias, 5 km
             _airport("OAZZ", "Kandahar Airfield", 31.80, 65.848, cc="AF")]       # same name, 33 km away
    kept = merge_curated_airports([incirlik, gyumri, far_namesake], ports,
                                  {"icao:LTAF": ["Adana airport"], "icao:UDSG": ["Gyumri airport"]})
    assert [p.place_id for p in kept] == ["icao:LTAF", "icao:OAZZ"]
    assert incirlik.names == ["Incirlik airbase", "İncirlik", "Incirlik air base", "Incirlik base"]
    assert incirlik.case_sensitive_names == ["LTAG"]
    assert (incirlik.name, incirlik.feature_type, incirlik.lat) == ("Incirlik Air Base", "base", 37.002)
    assert gyumri.case_sensitive_names == ["UDSG"] and "Gyumri airport" in gyumri.names
    assert "Gyumri Shirak Airport" in gyumri.names and far_namesake.names == []


def test_airport_goes_to_the_nearest_curated_namesake_and_only_to_facilities():
    from gazetteer.sources import merge_curated_airports

    near = _curated_base("site:a", "Twin Field", 10.00, 10.00, cc="NE")
    nearer = _curated_base("site:b", "Twin Field", 10.03, 10.00, cc="NE")
    town = _curated_base("site:c", "Ouallam", 14.32, 2.09, cc="NE", ft="town")
    kept = merge_curated_airports([near, nearer, town],
                                  [_airport("DRZZ", "Twin Field", 10.04, 10.0, cc="NE"),
                                   _airport("DRQQ", "Ouallam", 14.32, 2.09, cc="NE", ft="airport")])
    assert [p.place_id for p in kept] == ["icao:DRQQ"]  # a town is not the airport named after it
    assert nearer.case_sensitive_names == ["DRZZ"] and near.case_sensitive_names == []


def _compile_with(monkeypatch, tmp_path, curated_yaml, ports):
    """compile_index over in-code sources: no GeoNames cities, no divisions or borders."""
    from gazetteer import borders, divisions, sources

    path = tmp_path / "places.yaml"
    path.write_text(curated_yaml, encoding="utf-8")
    monkeypatch.setattr(gi, "CURATED_FILE", path)
    monkeypatch.setattr(sources, "geonames_cities", lambda *a, **k: iter([]))
    monkeypatch.setattr(sources, "airport_city_keys", lambda: set())
    monkeypatch.setattr(sources, "airports", lambda **k: iter(ports))
    monkeypatch.setattr(divisions, "first_level_divisions", lambda **k: iter([]))
    monkeypatch.setattr(divisions, "second_level_divisions", lambda **k: iter([]))
    monkeypatch.setattr(borders, "derive_borders", lambda frame: [])
    return gi.Gazetteer(gi.compile_index("v-merge-test"))


def test_compiled_index_has_one_place_per_facility(monkeypatch, tmp_path):
    yaml_text = ("version: 1\nplaces:\n  - id: site:incirlik-air-base\n    name: Incirlik Air Base\n"
                 "    source: \"airportsdata LTAG; Wikipedia: Incirlik Air Base\"\n    type: base\n"
                 "    country: TR\n    lat: 37.002\n    lon: 35.426\n    operator: US\n"
                 "    aliases: [Incirlik airbase]\n")
    ports = [_airport("LTAG", "Incirlik Air Base", 37.0021, 35.4259),
             _airport("LTAF", "Adana Airport", 36.982, 35.280, ft="airport")]
    g = _compile_with(monkeypatch, tmp_path, yaml_text, ports)
    assert g.get("icao:LTAG") is None and g.get("icao:LTAF") is not None
    for name in ("Incirlik Air Base", "Incirlik air base", "Incirlik airbase", "LTAG"):
        assert [p.place_id for p in g.lookup(name)] == ["site:incirlik-air-base"], name
    assert g.data.operator[g.row_of("site:incirlik-air-base")] == "US"  # the curated row wins
    assert "Incirlik air base" in g.get("site:incirlik-air-base").aliases


@pytest.mark.parametrize("name, pid", [("Incirlik Air Base", "site:incirlik-air-base"), ("LTAG", "site:incirlik-air-base"),
                                       ("Ramstein Air Base", "site:ramstein-air-base"), ("OTBH", "site:al-udeid-air-base")])
def test_bundled_bases_are_one_place_each(real_gazetteer, name, pid):
    assert [p.place_id for p in real_gazetteer.lookup(name) if p.feature_type in ("base", "airport")] == [pid]


def test_index_format_was_bumped_for_the_merge():
    assert gi.INDEX_FORMAT >= 9
