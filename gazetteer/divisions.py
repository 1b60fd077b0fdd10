"""ISO 3166-2 subdivisions of every country, first and second level, each with a point.

Sources:

* the codes, types, parents and ISO names come from ``pycountry`` (ISO 3166-2,
  LGPL 2.1 package);
* the names in common English use and the points come from the
  countries-states-cities database (``countrystatecity-countries``, ODbL 1.0);
* for countries whose GeoNames admin-1 codes are the ISO suffixes (the United
  States, for instance), the population-weighted centre of their GeoNames
  cities is a fallback point;
* the abbreviations states and provinces go by in news ("W.Va.", "B.C.",
  "NSW") come from the committed ``data/division_abbreviations.csv`` (the AP,
  Canadian Press and Australian Government style guides);
* the US states' outline centroids (``data/us_state_points.csv``, from the
  Census outlines) check the database's points: one farther than
  ``OUTLINE_CHECK_KM`` from its state's centroid is replaced by it;
* US counties and their equivalents come from the committed
  ``data/us_counties.csv`` (US Census Bureau, public domain), which
  ``scripts/build_us_counties.py`` regenerates.

ISO names carry their variants in one string ("Wales [Cymru GB-CYM]",
"Murcia, Región de", "Davao (Region XI)"); ``iso_names`` splits them so each
variant is a name of its own.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import Iterator

from .normalize import is_latin
from .sources import SourceRecord, _km

_CODE = re.compile(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b")
# The last word of an inverted ISO name's tail: "Región de", "City of"
_PARTICLES = frozenset({"de", "del", "di", "du", "des", "da", "do", "of", "la", "le"})


def iso_names(name: str) -> list[str]:
    """The distinct names an ISO 3166-2 subdivision name holds, main name first.

    Examples
    --------
    >>> iso_names("Wales [Cymru GB-CYM]")
    ['Wales', 'Cymru']
    >>> iso_names("Bristol, City of")
    ['City of Bristol', 'Bristol']
    """
    m = re.match(r"^(.*?)\s*\[(.*)\]\s*$", name)
    main, alt = (m.group(1), m.group(2)) if m else (name, "")
    out: list[str] = []
    for part in (main, _CODE.sub("", alt)):
        part = re.sub(r"\s*\([^)]*\)", "", part).strip(" ,")
        if not part:
            continue
        head, sep, tail = part.partition(", ")
        words = tail.split()
        if sep and (len(words) == 1 or words[-1] in _PARTICLES):
            out += [f"{tail} {head}", head]  # an inversion: "Tatarstan, Respublika"
        else:
            out.append(part)
    return list(dict.fromkeys(n for n in out if n[:1].isupper() or n[:1].isdigit()))


def _ancestor(sub, by_code) -> str:
    """The code of a subdivision's top-level ancestor (GB-SFK -> GB-ENG)."""
    seen = set()
    while getattr(sub, "parent_code", None) and sub.code not in seen:
        seen.add(sub.code)
        parent = by_code.get(sub.parent_code)
        if parent is None:
            break
        sub = parent
    return sub.code


ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "division_abbreviations.csv"


def abbreviations(path: Path = ABBREVIATIONS_FILE) -> dict[str, list[str]]:
    """ISO 3166-2 code -> the case-sensitive abbreviations news writes for it ("W.Va.", "Calif.")."""
    out: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["iso3166_2"]].append(row["abbreviation"])
    return dict(out)


STATE_POINTS_FILE = Path(__file__).resolve().parent / "data" / "us_state_points.csv"
OUTLINE_CHECK_KM = 150.0  # farther from the outline's centroid than this, a division's point is a city's



def outline_points(path: Path = STATE_POINTS_FILE) -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> (lat, lon) of a division's outline centroid, where a boundary source gives one."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["iso3166_2"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)}


def subdivisions(city_records: list[SourceRecord], admin1: dict[str, str]) -> Iterator[SourceRecord]:
    """First-level subdivisions placed at the population-weighted centre of their cities.

    Only for countries whose GeoNames admin-1 codes are the ISO 3166-2 suffixes
    (the United States, for instance), so no coordinate is guessed.
    """
    import pycountry

    iso_codes: dict[str, set[str]] = defaultdict(set)
    for sub in pycountry.subdivisions:
        iso_codes[sub.country_code].add(sub.code.split("-", 1)[1])
    by_code: dict[str, list[SourceRecord]] = defaultdict(list)
    codes_seen: dict[str, set[str]] = defaultdict(set)
    for r in city_records:
        code = admin1.get(r.place_id)
        if code and r.country:
            by_code[f"{r.country}-{code}"].append(r)
            codes_seen[r.country].add(code)
    # Numeric codes can coincide without meaning the same unit (JP-13 is Tokyo
    # in ISO, 40 in GeoNames), so only alphabetic, fully covered code sets count.
    usable = {cc for cc, codes in codes_seen.items()
              if codes <= iso_codes.get(cc, set()) and all(c.isalpha() for c in codes)}
    short = abbreviations()
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if getattr(sub, "parent_code", None) or sub.country_code not in usable:
            continue
        members = by_code.get(sub.code)
        if not members:
            continue
        w = sum(max(m.population, 1) for m in members)
        lat = sum(m.lat * max(m.population, 1) for m in members) / w
        lon = sum(m.lon * max(m.population, 1) for m in members) / w
        names = iso_names(sub.name) or [sub.name]
        yield SourceRecord(
            place_id=f"region:{sub.code}",
            name=names[0],
            feature_type="region",
            country=sub.country_code,
            lat=round(lat, 5),
            lon=round(lon, 5),
            population=0,  # the sum of its cities' populations is not the region's; no prior from it
            names=names,
            case_sensitive_names=short.get(sub.code, []),
        )


def iso_divisions(in_country=None, *, level: int = 1) -> Iterator[SourceRecord]:
    """ISO 3166-2 subdivisions of one level (1: no parent; 2: with a parent), each with a point.

    The names and points come from the countries-states-cities database; the
    ISO names (``iso_names``) and a Latin native name are alternate names. A
    subdivision the database lacks or gives no point is left out, and so is one
    whose point lies outside its country (``in_country(lon, lat, iso2)``). A
    second-level record's ``admin1`` is its top-level ancestor's ISO suffix,
    so "Suffolk" and the towns of England share one.
    """
    import countrystatecity_countries as csc
    import pycountry

    all_codes = {s.code: s for s in pycountry.subdivisions}
    short, outline = abbreviations(), outline_points()
    wanted = {c: s for c, s in all_codes.items() if bool(getattr(s, "parent_code", None)) == (level == 2)}
    seen: set[str] = set()
    for cc in sorted({code.split("-", 1)[0] for code in wanted}):
        for st in sorted(csc.get_states_of_country(cc), key=lambda st: (st.iso3166_2 or "", st.id)):
            sub = wanted.get(st.iso3166_2 or "")
            if sub is None or sub.code in seen or not st.latitude or not st.longitude:
                continue
            lat, lon = round(float(st.latitude), 5), round(float(st.longitude), 5)
            centre = outline.get(sub.code)
            if centre is not None and _km(lat, lon, *centre) > OUTLINE_CHECK_KM:
                lat, lon = centre  # the database put it at a city (New York at New York City), not the division
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (in_country is not None and not in_country(lon, lat, cc)):
                continue
            seen.add(sub.code)
            names = [st.name, *iso_names(sub.name), *([st.native] if st.native and is_latin(st.native) else [])]
            top = _ancestor(sub, all_codes) if level == 2 else ""
            yield SourceRecord(place_id=f"region:{sub.code}", name=st.name.strip(), feature_type="region", country=cc,
                               lat=lat, lon=lon, names=list(dict.fromkeys(n.strip() for n in names if n.strip())),
                               admin1=top.split("-", 1)[1] if top else "", case_sensitive_names=short.get(sub.code, []))


def first_level_divisions(in_country=None) -> Iterator[SourceRecord]:
    """First-level subdivisions of every country (ISO 3166-2 codes without a parent)."""
    return iso_divisions(in_country, level=1)


def second_level_divisions(in_country=None) -> Iterator[SourceRecord]:
    """Second-level subdivisions (counties, provinces, departments) where ISO 3166-2 lists them."""
    return iso_divisions(in_country, level=2)


US_COUNTIES_FILE = Path(__file__).resolve().parent / "data" / "us_counties.csv"


def us_counties(path: Path = US_COUNTIES_FILE) -> Iterator[SourceRecord]:
    """US counties, parishes and boroughs ("Laurel County"), with their state as admin-1 code.

    A county's bare name ("Laurel") is no name of it: that is the town's, and
    "Laurel Co." is the only short form news uses for the county.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["name"]
            names = [name, *([name[: -len("County")] + "Co."] if name.endswith(" County") else [])]
            yield SourceRecord(place_id=f"fips:{row['geoid']}", name=name, feature_type="region",
                               country=row["country"], lat=float(row["lat"]), lon=float(row["lon"]),
                               names=names, admin1=row["state"])
