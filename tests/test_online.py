"""Tests for gazetteer.online against a fake Nominatim server on 127.0.0.1.

The server answers in Nominatim's ``format=json`` shape; no test talks to any
other host (a socket spy checks it).
"""
from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from gazetteer.online import OnlineGeocoder, cache_key, feature_type, make_fallback, to_place
from geocore.errors import InputError


def _result(name, lat, lon, cc, cls="place", typ="city", osm_type="relation", osm_id=1, **extra):
    r = {"place_id": 99, "licence": "Data © OpenStreetMap contributors", "osm_type": osm_type, "osm_id": osm_id,
         "lat": str(lat), "lon": str(lon), "class": cls, "type": typ, "place_rank": 16, "importance": 0.5,
         "addresstype": typ, "name": name, "display_name": f"{name}, Somewhere, Country",
         "address": {"country_code": cc.lower()}, "boundingbox": ["0", "1", "0", "1"]}
    r.update(extra)
    return r


class FakeNominatim:
    """State of the fake server: canned answers, request log, failure modes."""

    def __init__(self):
        self.answers: dict[str, list] = {}
        self.requests: list[dict] = []  # query params plus arrival time and user agent
        self.status = 200
        self.delay = 0.0
        self.body: bytes | None = None
        self.lock = threading.Lock()

    @property
    def hits(self) -> int:
        return len(self.requests)


@pytest.fixture
def nominatim(monkeypatch):
    """(FakeNominatim, 'host:port') served from a thread for one test."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    state = FakeNominatim()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            with state.lock:
                state.requests.append({"path": url.path, "t": time.monotonic(),
                                       "agent": self.headers.get("User-Agent", ""), **params})
            if state.delay:
                time.sleep(state.delay)
            if state.status != 200:
                self.send_error(state.status)
                return
            if state.body is not None:
                body = state.body
            else:
                found = list(state.answers.get(params.get("q", "").casefold(), []))
                if params.get("countrycodes"):  # Nominatim filters by countrycodes itself
                    allowed = params["countrycodes"].split(",")
                    found = [r for r in found if r["address"]["country_code"] in allowed]
                body = json.dumps(found).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state, f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def loopback_only(monkeypatch):
    """Fail the test if anything resolves or connects to a non-loopback host."""
    seen = []
    real_connect, real_gai = socket.socket.connect, socket.getaddrinfo

    def connect(self, address):
        seen.append(address)
        assert isinstance(address, tuple) and address[0] == "127.0.0.1", address
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kw):
        seen.append(host)
        assert host in ("127.0.0.1", b"127.0.0.1"), host
        return real_gai(host, *args, **kw)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


def _geocoder(domain, tmp_path, **kw):
    kw.setdefault("min_delay_seconds", 0.0)
    kw.setdefault("timeout", 5)
    return OnlineGeocoder(domain=domain, scheme="http", cache_path=tmp_path / "geocoder.sqlite", **kw)


GYUMRI = _result("Gyumri", 40.7894, 43.8475, "AM", osm_id=1234)


# ------------------------------------------------------------------- hits
def test_hit_returns_place(nominatim, tmp_path, loopback_only):
    state, domain = nominatim
    state.answers["gyumri"] = [GYUMRI]
    p = _geocoder(domain, tmp_path).geocode("Gyumri", country_codes=["AM"])
    assert p is not None
    assert (p.place_id, p.name, p.feature_type, p.country) == ("osm:relation/1234", "Gyumri", "city", "AM")
    assert (p.lat, p.lon) == (40.7894, 43.8475) and p.geometry is None
    [req] = state.requests
    assert req["path"] == "/search" and req["q"] == "Gyumri" and req["format"] == "json"
    assert req["addressdetails"] == "1" and req["countrycodes"] == "am"
    assert req["agent"].startswith("geomap/")
    assert loopback_only  # the spy saw the traffic, all of it to 127.0.0.1


def test_second_call_is_served_from_cache_even_in_a_new_instance(nominatim, tmp_path, loopback_only):
    state, domain = nominatim
    state.answers["gyumri"] = [GYUMRI]
    g1 = _geocoder(domain, tmp_path)
    first = g1.geocode("Gyumri", ["AM"])
    assert g1.geocode("Gyumri", ["AM"]) == first
    assert g1.geocode("  GYUMRI\n", ["am"]) == first  # same key after normalising
    g1.close()
    g2 = _geocoder(domain, tmp_path)
    assert g2.geocode("Gyumri", ["AM"]) == first
    assert state.hits == 1 and g2.requests == 0
    g2.geocode("Gyumri", ["AM", "GE"])  # other countries: another query
    assert state.hits == 2


def test_negative_result_is_cached(nominatim, tmp_path):
    state, domain = nominatim
    g = _geocoder(domain, tmp_path)
    assert g.geocode("Nowhereville", ["AM"]) is None
    assert g.geocode("Nowhereville", ["AM"]) is None
    assert _geocoder(domain, tmp_path).geocode("Nowhereville", ["AM"]) is None
    assert state.hits == 1


def test_rate_limiter_spaces_uncached_requests(nominatim, tmp_path):
    state, domain = nominatim
    g = _geocoder(domain, tmp_path, min_delay_seconds=0.3)
    g.geocode("Alpha", ["AM"])
    g.geocode("Beta", ["AM"])
    t0 = time.monotonic()
    g.geocode("Alpha", ["AM"])  # cached: no request, no wait
    assert time.monotonic() - t0 < 0.25
    a, b = state.requests
    assert b["t"] - a["t"] >= 0.28


# ---------------------------------------------------------------- failures
def test_server_error_gives_none_and_is_not_cached(nominatim, tmp_path, caplog):
    state, domain = nominatim
    state.answers["gyumri"] = [GYUMRI]
    state.status = 500
    g = _geocoder(domain, tmp_path)
    with caplog.at_level(logging.WARNING, logger="gazetteer.online"):
        assert g.geocode("Gyumri", ["AM"]) is None
    assert any("Gyumri" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    state.status = 200  # the server is back: the failure was not remembered
    assert g.geocode("Gyumri", ["AM"]) is not None
    assert state.hits == 2


def test_timeout_gives_none(nominatim, tmp_path):
    state, domain = nominatim
    state.delay = 1.0
    t0 = time.monotonic()
    assert _geocoder(domain, tmp_path, timeout=0.2).geocode("Gyumri", ["AM"]) is None
    assert time.monotonic() - t0 < 0.9 and state.hits == 1  # one try: retries would bypass the rate limit


def test_connection_refused_gives_none(tmp_path, loopback_only):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    g = _geocoder(f"127.0.0.1:{port}", tmp_path)
    assert g.geocode("Gyumri", ["AM"]) is None
    assert g.requests == 1 and len([a for a in loopback_only if isinstance(a, tuple)]) == 1  # no hidden retries


@pytest.mark.parametrize("body", [b"not json", b"{\"a\": 1}", b"[{\"lat\": \"x\"}]", b"[1, 2]", b"null"])
def test_malformed_answer_gives_none(nominatim, tmp_path, body):
    state, domain = nominatim
    state.body = body
    assert _geocoder(domain, tmp_path).geocode("Gyumri", ["AM"]) is None


def test_corrupt_cache_file_falls_back_to_memory(nominatim, tmp_path, caplog):
    state, domain = nominatim
    state.answers["gyumri"] = [GYUMRI]
    (tmp_path / "geocoder.sqlite").write_bytes(b"this is not a database" * 100)
    g = _geocoder(domain, tmp_path)
    with caplog.at_level(logging.WARNING, logger="gazetteer.online"):
        assert g.geocode("Gyumri", ["AM"]) is not None
        assert g.geocode("Gyumri", ["AM"]) is not None
    assert state.hits == 1  # still cached for this run
    assert "geocoder.sqlite" in caplog.text


# ------------------------------------------------------------ sanity checks
def test_point_outside_stated_country_is_rejected(nominatim, tmp_path):
    state, domain = nominatim
    # Claims Armenia but sits on Baku; the second result is in Armenia.
    state.answers["lachin airport"] = [_result("Lachin Airport", 40.4093, 49.8671, "AM", "aeroway", "aerodrome",
                                               osm_id=7)]
    g = _geocoder(domain, tmp_path)
    assert g.geocode("Lachin Airport", ["AM"]) is None
    state.answers["gyumri base"] = [_result("Fake", 40.4093, 49.8671, "AM", osm_id=8), dict(GYUMRI, osm_id=9)]
    assert g.geocode("Gyumri base", ["AM"]).place_id == "osm:relation/9"


def test_result_outside_requested_countries_is_rejected(nominatim, tmp_path):
    state, domain = nominatim
    state.body = json.dumps([_result("Baku", 40.4093, 49.8671, "AZ")]).encode()  # server ignores countrycodes
    assert _geocoder(domain, tmp_path).geocode("Baku", ["AM"]) is None


@pytest.mark.parametrize("name", ["", "   ", "\x00\x1b", "x" * 201, None, 42])
def test_unusable_names_send_nothing(nominatim, tmp_path, name):
    state, domain = nominatim
    assert _geocoder(domain, tmp_path).geocode(name, ["AM"]) is None
    assert state.hits == 0


def test_hostile_name_is_cleaned_before_sending(nominatim, tmp_path):
    state, domain = nominatim
    _geocoder(domain, tmp_path).geocode("<script>\u202e\nalert(1)</script>", ["AM"])
    assert state.requests[0]["q"] == "<script> alert(1)</script>"


@pytest.mark.parametrize("codes", [["ARM"], ["A1"], [""], [None]])
def test_bad_country_code_raises(tmp_path, codes):
    with pytest.raises(InputError):
        OnlineGeocoder(cache_path=tmp_path / "c.sqlite").geocode("Gyumri", codes)


def test_construction_sends_nothing(nominatim, tmp_path):
    state, domain = nominatim
    _geocoder(domain, tmp_path)
    assert state.hits == 0 and not (tmp_path / "geocoder.sqlite").exists()


def test_default_cache_path_in_geomap_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path))
    assert OnlineGeocoder().cache_path == tmp_path / "geocoder.sqlite"


# ---------------------------------------------------------------- mapping
@pytest.mark.parametrize("cls,typ,extra,expected", [
    ("place", "city", {}, "city"),
    ("place", "town", {}, "town"),
    ("place", "village", {}, "town"),
    ("place", "hamlet", {}, "town"),
    ("place", "island", {}, "site"),
    ("aeroway", "aerodrome", {}, "airport"),
    ("military", "base", {}, "base"),
    ("landuse", "military", {}, "base"),
    ("boundary", "administrative", {"addresstype": "country", "place_rank": 4}, "country"),
    ("boundary", "administrative", {"addresstype": "state", "place_rank": 8}, "region"),
    ("highway", "primary", {}, "site"),
    ("", "", {}, "site"),
])
def test_feature_type_mapping(cls, typ, extra, expected):
    assert feature_type({"class": cls, "type": typ, **extra}) == expected


@pytest.mark.parametrize("bad", [
    {"lat": "nan"}, {"lat": "91"}, {"lon": "inf"}, {"osm_type": "area"}, {"osm_id": "x"},
    {"address": {}}, {"address": {"country_code": "zzz"}}, {"address": None},
])
def test_malformed_result_is_skipped(bad):
    assert to_place(dict(GYUMRI, **bad)) is None


def test_name_falls_back_to_display_name_and_query_becomes_alias():
    raw = dict(GYUMRI, name="", display_name="Gyumri\x07, Shirak, Armenia")
    p = to_place(raw, "Leninakan")
    assert p.name == "Gyumri" and p.aliases == ("Leninakan",)


def test_cache_key_normalises():
    assert cache_key(" Gyumri ", ("am",)) == cache_key("GYUMRI", ("am",)) == "gyumri|am"
    assert cache_key("Gyumri", ("am", "ge")) != cache_key("Gyumri", ("am",))


# ---------------------------------------------------------------- fallback
def test_fallback_searches_the_top_focus_countries(nominatim, tmp_path, loopback_only):
    state, domain = nominatim
    state.answers["gyumri"] = [GYUMRI]
    fb = make_fallback(_geocoder(domain, tmp_path))
    p = fb("Gyumri", Counter({"AM": 2.0, "AZ": 1.0, "RU": 0.5, "TR": 0.2, "ZZZ": 9, "XX": 0}))
    assert p is not None and p.place_id == "osm:relation/1234"
    assert state.requests[0]["countrycodes"] == "am,az,ru"


@pytest.mark.parametrize("name,focus", [
    ("Gyumri", Counter()),                    # no focus country: never searched worldwide
    ("Gyumri", Counter({"AM": 0})),
    ("gyumri", Counter({"AM": 1})),           # not a proper name
    ("The", Counter({"AM": 1})),              # a common word
    ("A1", Counter({"AM": 1})),
    ("12345", Counter({"AM": 1})),
])
def test_fallback_declines_without_a_request(nominatim, tmp_path, name, focus):
    state, domain = nominatim
    assert make_fallback(_geocoder(domain, tmp_path))(name, focus) is None
    assert state.hits == 0



def test_cli_build_uses_the_online_geocoder_only_when_asked(nominatim, tmp_path):
    """End to end: an unknown village becomes a posture only with --online-geocoder."""
    from typer.testing import CliRunner

    from geo.cli import app

    state, domain = nominatim
    state.answers["xyzzyvan"] = [_result("Xyzzyvan", 39.47, 46.33, "AM", typ="village", osm_type="node", osm_id=7)]
    art = tmp_path / "in" / "a.txt"
    art.parent.mkdir()
    art.write_text("Russian border guards in Armenia will leave the checkpoint near Xyzzyvan next month.\n")
    runner = CliRunner()
    off = runner.invoke(app, ["build", str(art.parent), "--out", str(tmp_path / "off"), "--json"])
    assert off.exit_code == 0, off.output
    assert state.hits == 0
    on = runner.invoke(app, ["build", str(art.parent), "--out", str(tmp_path / "on"), "--json", "--online-geocoder",
                             "--geocoder-url", f"http://{domain}", "--geocoder-cache", str(tmp_path / "g.sqlite")])
    assert on.exit_code == 0, on.output
    assert state.hits == 1
    fc = json.loads((tmp_path / "on" / "reports.geojson").read_text())
    assert any(f["properties"]["place_id"] == "osm:node/7" and f["properties"]["status"] == "withdrawing"
               for f in fc["features"])
