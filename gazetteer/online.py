"""Optional online geocoder fallback (Nominatim through geopy), off by default.

geomap is built for air-gapped machines, so nothing here runs unless the user
passes ``--online-geocoder``. It is meant for names the offline gazetteer does
not know, restricted to the countries the article is about. Every answer,
including "not found", is cached in SQLite so a rebuild sends no new request
and gives the same output; requests are rate-limited (Nominatim's usage policy
allows one per second); a network failure logs a warning and yields None, so the
build never stops because a server is down.

A result is accepted only when its point lies in the country Nominatim states
for it (and in one of the requested countries): a misplaced point is worse
than no point for a posture map.

Examples
--------
>>> geocoder = OnlineGeocoder(cache_path="/tmp/geocoder.sqlite")   # doctest: +SKIP
>>> geocoder.geocode("Gyumri", country_codes=["AM"]).place_id      # doctest: +SKIP
'osm:relation/...'
"""
from __future__ import annotations

import json
import logging
import math
import re
import sqlite3
import threading
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from geocore.errors import InputError
from geocore.records import Place

from .normalize import fold

log = logging.getLogger(__name__)

CACHE_FILE = "geocoder.sqlite"
MAX_QUERY_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ISO2 = re.compile(r"^[A-Za-z]{2}$")
_OSM_TYPES = {"node": "node", "way": "way", "relation": "relation", "n": "node", "w": "way", "r": "relation"}
# Nominatim place=* values that are settlements smaller than a city.
_TOWN_TYPES = frozenset({"town", "village", "hamlet", "suburb", "quarter", "neighbourhood", "borough",
                         "municipality", "isolated_dwelling", "locality", "city_block"})
_REGION_TYPES = frozenset({"state", "province", "region", "county", "district", "state_district"})
# Only the fields the Place mapping needs are cached (keeps the cache small and free of noise).
_KEEP = ("lat", "lon", "name", "display_name", "class", "category", "type", "osm_type", "osm_id",
         "addresstype", "place_rank")


DISTRIBUTION = "geomap-posture"  # the registry name; the import packages are geo and gazetteer


def default_cache_path() -> Path:
    """``geocoder.sqlite`` in the geomap cache directory (``GEOMAP_CACHE_DIR`` honoured)."""
    from .index import cache_dir

    return cache_dir() / CACHE_FILE


def _user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree; the agent string still identifies the tool
        release = "0"
    return f"geomap/{release}"


def _adapter_factory():
    """geopy's requests adapter without its own retries (they would bypass the rate limit)."""
    from geopy.adapters import RequestsAdapter

    if not RequestsAdapter.is_available:
        return None  # geopy falls back to urllib, which does not retry
    return lambda proxies, ssl_context: RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)


def _clean(text: str) -> str:
    """Collapse whitespace and drop control / bidi characters."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def _codes(country_codes: Optional[Iterable[str]]) -> tuple[str, ...]:
    if country_codes is None:
        return ()
    if isinstance(country_codes, str):
        country_codes = [country_codes]
    out = set()
    for c in country_codes:
        if not isinstance(c, str) or not _ISO2.match(c):
            raise InputError(f"country code {c!r} is not an ISO 3166-1 alpha-2 code")
        out.add(c.lower())
    return tuple(sorted(out))


def cache_key(name: str, country_codes: Iterable[str] = ()) -> str:
    """The cache key: folded name, then the sorted lower-case country codes."""
    q = fold(name) or _clean(name).casefold()
    return f"{q}|{','.join(sorted(country_codes))}"


def feature_type(raw: dict) -> str:
    """Map Nominatim's class/type to one of geomap's feature types."""
    cls = str(raw.get("class") or raw.get("category") or "")
    typ = str(raw.get("type") or "")
    if cls == "place":
        if typ == "city":
            return "city"
        if typ in _TOWN_TYPES:
            return "town"
        if typ == "country":
            return "country"
        if typ in _REGION_TYPES:
            return "region"
        return "site"
    if cls == "aeroway":
        return "airport"
    if cls == "military" or (cls == "landuse" and typ == "military"):
        return "base"
    if cls == "boundary" and typ == "administrative":
        rank = raw.get("place_rank")
        is_country = raw.get("addresstype") == "country" or str(rank) == "4"
        return "country" if is_country else "region"
    return "site"


def to_place(raw: dict, query: str = "") -> Optional[Place]:
    """A ``Place`` from one Nominatim result, or None when the result is malformed."""
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
        osm_type = _OSM_TYPES[str(raw["osm_type"]).lower()]
        osm_id = int(raw["osm_id"])
        cc = str(((raw.get("address") or {}).get("country_code")) or "").upper()
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if osm_id <= 0 or not re.fullmatch(r"[A-Z]{2}", cc):
        return None  # without a country the point cannot be sanity-checked
    name = _clean(raw.get("name") or "") or _clean(str(raw.get("display_name") or "").split(",")[0])
    name = name[:MAX_QUERY_CHARS] or _clean(query)
    if not name:
        return None
    query = _clean(query)
    aliases = (query,) if query and fold(query) != fold(name) else ()  # "Leninakan" for Gyumri
    return Place(place_id=f"osm:{osm_type}/{osm_id}", name=name, feature_type=feature_type(raw),
                 country=cc, lat=round(lat, 6), lon=round(lon, 6), aliases=aliases)


def _trim(raw: Any) -> dict:
    if not isinstance(raw, dict):
        return {}
    out = {k: raw[k] for k in _KEEP if k in raw and isinstance(raw[k], (str, int, float))}
    addr = raw.get("address")
    if isinstance(addr, dict) and isinstance(addr.get("country_code"), str):
        out["address"] = {"country_code": addr["country_code"]}
    return out


class OnlineGeocoder:
    """Nominatim lookups with an on-disk cache, a rate limit and sanity checks.

    Parameters
    ----------
    domain, scheme : str
        The Nominatim server (a self-hosted one works: ``domain="host:8080"``).
    user_agent : str, optional
        Sent with every request (Nominatim requires one); ``geomap/<version>``.
    cache_path : str or Path, optional
        SQLite cache file; ``geocoder.sqlite`` in the geomap cache dir by default.
    min_delay_seconds : float
        Least time between two requests.
    timeout : float
        Seconds to wait for one answer.
    limit : int
        Results asked for per query; the first that passes the checks wins.
    """

    def __init__(self, *, domain: str = "nominatim.openstreetmap.org", scheme: str = "https",
                 user_agent: Optional[str] = None, cache_path=None, min_delay_seconds: float = 1.0,
                 timeout: float = 10, limit: int = 5):
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self.endpoint = f"{scheme}://{domain}"
        self.limit = int(limit)
        self.cache_path = Path(cache_path) if cache_path else default_cache_path()
        self.requests = 0  # requests actually sent, for the build summary
        self._nominatim = Nominatim(domain=domain, scheme=scheme, user_agent=user_agent or _user_agent(),
                                    timeout=timeout, adapter_factory=_adapter_factory())
        # No retries: a failure is logged and left uncached, so the next build tries again.
        self._limited = RateLimiter(self._nominatim.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=0, swallow_exceptions=False)
        self._lock = threading.Lock()
        self._db: Optional[sqlite3.Connection] = None

    # ------------------------------------------------------------- cache
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            db = None
            try:
                self.cache_path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(self.cache_path), timeout=10, check_same_thread=False)
                self._init(db)
            except (OSError, sqlite3.Error) as exc:
                if db is not None:
                    db.close()
                # A broken or unwritable cache must not stop the build; keep this run's answers in memory.
                log.warning("%s: geocoder cache unusable (%s); using an in-memory cache", self.cache_path, exc)
                db = sqlite3.connect(":memory:", check_same_thread=False)
                self._init(db)
            self._db = db
        return self._db

    @staticmethod
    def _init(db: sqlite3.Connection) -> None:
        with db:
            db.execute("CREATE TABLE IF NOT EXISTS geocode (key TEXT PRIMARY KEY, query TEXT NOT NULL, "
                       "results TEXT NOT NULL, endpoint TEXT NOT NULL, fetched TEXT NOT NULL)")

    def _cached(self, key: str) -> Optional[list]:
        try:
            row = self._conn().execute("SELECT results FROM geocode WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            log.warning("%s: cannot read geocoder cache: %s", self.cache_path, exc)
            return None
        if row is None:
            return None
        try:
            results = json.loads(row[0])
        except ValueError:
            return None  # a damaged row is fetched again
        return results if isinstance(results, list) else None

    def _store(self, key: str, query: str, results: list) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            with self._conn() as db:
                db.execute("INSERT OR REPLACE INTO geocode VALUES (?, ?, ?, ?, ?)",
                           (key, query, json.dumps(results, sort_keys=True), self.endpoint, stamp))
        except sqlite3.Error as exc:
            log.warning("%s: cannot write geocoder cache: %s", self.cache_path, exc)

    def close(self) -> None:
        """Close the cache database."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> "OnlineGeocoder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --------------------------------------------------------------- API
    def geocode(self, name: str, country_codes: Optional[Iterable[str]] = None) -> Optional[Place]:
        """The best checked match for ``name``, or None.

        Parameters
        ----------
        name : str
            A place name as written in the article.
        country_codes : iterable of str, optional
            ISO2 codes the search is restricted to (Nominatim ``countrycodes``).

        Returns
        -------
        Place or None
            ``place_id`` is ``osm:<osm_type>/<osm_id>``. None when nothing is
            found, every result fails the country check, or the server fails.
        """
        codes = _codes(country_codes)
        query = _clean(name) if isinstance(name, str) else ""
        if not query or len(query) > MAX_QUERY_CHARS:
            return None
        key = cache_key(query, codes)
        with self._lock:
            results = self._cached(key)
            if results is None:
                results = self._fetch(query, codes)
                if results is None:
                    return None  # a failure is not an answer: not cached
                self._store(key, query, results)
        return self._pick(results, codes, query)

    def _fetch(self, query: str, codes: tuple[str, ...]) -> Optional[list]:
        from geopy.exc import GeopyError

        self.requests += 1
        try:
            found = self._limited(query, exactly_one=False, limit=self.limit, addressdetails=True,
                                  country_codes=list(codes) or None)
        except GeopyError as exc:
            log.warning("online geocoder %s failed for %r: %s", self.endpoint, query, exc)
            return None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a malformed answer
            log.warning("online geocoder %s sent a malformed answer for %r: %s", self.endpoint, query, exc)
            return None
        return [_trim(loc.raw) for loc in (found or [])]

    def _pick(self, results: list, codes: tuple[str, ...], query: str) -> Optional[Place]:
        from .countries import point_in_country

        for raw in results:
            place = to_place(raw, query) if isinstance(raw, dict) else None
            if place is None:
                continue
            if codes and place.country.lower() not in codes:
                continue
            if not point_in_country(place.lon, place.lat, place.country):
                log.info("online geocoder: %s (%s) at %.4f, %.4f is outside %s; rejected",
                         place.name, place.place_id, place.lat, place.lon, place.country)
                continue
            return place
        return None


def make_fallback(geocoder: OnlineGeocoder, *, max_countries: int = 3
                  ) -> Callable[[str, Counter], Optional[Place]]:
    """A resolver for names the offline gazetteer lacks, limited to the article's focus countries.

    Parameters
    ----------
    geocoder : OnlineGeocoder
    max_countries : int
        How many of the most-weighted focus countries to search in.

    Returns
    -------
    callable
        ``fallback(name, focus)`` where ``focus`` maps ISO2 -> weight (the
        geoparser's focus counter). Returns None, without a request, when the
        name does not look like a proper name or the article has no focus
        country: a name searched worldwide is too often some other place.
    """
    from .common_words import STOP_WORDS

    def fallback(name: str, focus: Counter) -> Optional[Place]:
        if not isinstance(name, str):
            return None
        name = _clean(name)
        if not (2 < len(name) <= 80) or not name[0].isupper() or not any(c.isalpha() for c in name):
            return None
        if fold(name) in STOP_WORDS:
            return None
        codes = [cc for cc, w in sorted(focus.items(), key=lambda kv: (-kv[1], str(kv[0])))
                 if w > 0 and isinstance(cc, str) and re.fullmatch(r"[A-Z]{2}", cc)][:max_countries]
        if not codes:
            return None
        return geocoder.geocode(name, country_codes=codes)

    return fallback


__all__ = ["OnlineGeocoder", "make_fallback", "default_cache_path", "cache_key", "feature_type", "to_place"]
