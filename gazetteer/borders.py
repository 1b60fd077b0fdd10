"""Land borders derived from the country polygons, plus the demonym table.

A border between two neighbouring countries is the line their polygons share
(Natural Earth's TopoJSON arcs are identical on both sides, so the exact
intersection of the two boundaries finds it). Pairs that touch only at points
are retried with a 0.002 degree (about 200 m) tolerance, and an enclave whose
outline box overlaps its host (the Vatican) gets its own outline as border.

Each border is a ``geocore.records.Place`` with place_id ``border:AM-TR`` (ISO2
codes sorted), feature_type ``border``, country ``AM-TR``, the name
"Armenia–Turkey border" (en dash, names in code order), a point on the line
as lat/lon, the (Multi)LineString as geometry and generated aliases
("Armenian-Turkish border", "border between Turkey and Armenia", ...).
"""
from __future__ import annotations

import functools
from typing import Iterable, Optional

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiLineString

from geocore.records import Place

GAP_DEG = 0.002  # tolerance for pairs that only touch at points
MIN_LEN_DEG = 0.005  # shorter tolerance pieces are tripoint artefacts, not borders

# ISO2 -> adjective. Used for border aliases and by the geoparser to read
# "Armenian" as Armenia. One adjective per country, the usual English one.
DEMONYMS: dict[str, str] = {
    "AD": "Andorran", "AE": "Emirati", "AF": "Afghan", "AG": "Antiguan", "AI": "Anguillan",
    "AL": "Albanian", "AM": "Armenian", "AO": "Angolan", "AR": "Argentine", "AS": "American Samoan",
    "AT": "Austrian", "AU": "Australian", "AW": "Aruban", "AZ": "Azerbaijani", "BA": "Bosnian",
    "BB": "Barbadian", "BD": "Bangladeshi", "BE": "Belgian", "BF": "Burkinabe", "BG": "Bulgarian",
    "BH": "Bahraini", "BI": "Burundian", "BJ": "Beninese", "BM": "Bermudian", "BN": "Bruneian",
    "BO": "Bolivian", "BR": "Brazilian", "BS": "Bahamian", "BT": "Bhutanese", "BW": "Botswanan",
    "BY": "Belarusian", "BZ": "Belizean", "CA": "Canadian", "CD": "Congolese", "CF": "Central African",
    "CG": "Congolese", "CH": "Swiss", "CI": "Ivorian", "CK": "Cook Islands", "CL": "Chilean",
    "CM": "Cameroonian", "CN": "Chinese", "CO": "Colombian", "CR": "Costa Rican", "CU": "Cuban",
    "CV": "Cape Verdean", "CW": "Curaçaoan", "CY": "Cypriot", "CZ": "Czech", "DE": "German",
    "DJ": "Djiboutian", "DK": "Danish", "DM": "Dominican", "DO": "Dominican", "DZ": "Algerian",
    "EC": "Ecuadorian", "EE": "Estonian", "EG": "Egyptian", "EH": "Sahrawi", "ER": "Eritrean",
    "ES": "Spanish", "ET": "Ethiopian", "FI": "Finnish", "FJ": "Fijian", "FK": "Falkland",
    "FM": "Micronesian", "FO": "Faroese", "FR": "French", "GA": "Gabonese", "GB": "British",
    "GD": "Grenadian", "GE": "Georgian", "GF": "French Guianese", "GH": "Ghanaian",
    "GI": "Gibraltarian", "GL": "Greenlandic", "GM": "Gambian", "GN": "Guinean", "GP": "Guadeloupean",
    "GQ": "Equatoguinean", "GR": "Greek", "GT": "Guatemalan", "GU": "Guamanian", "GW": "Bissau-Guinean",
    "GY": "Guyanese", "HK": "Hong Kong", "HN": "Honduran", "HR": "Croatian", "HT": "Haitian",
    "HU": "Hungarian", "ID": "Indonesian", "IE": "Irish", "IL": "Israeli", "IM": "Manx",
    "IN": "Indian", "IQ": "Iraqi", "IR": "Iranian", "IS": "Icelandic", "IT": "Italian",
    "JE": "Jersey", "JM": "Jamaican", "JO": "Jordanian", "JP": "Japanese", "KE": "Kenyan",
    "KG": "Kyrgyz", "KH": "Cambodian", "KI": "I-Kiribati", "KM": "Comorian", "KN": "Kittitian",
    "KP": "North Korean", "KR": "South Korean", "KW": "Kuwaiti", "KY": "Caymanian", "KZ": "Kazakh",
    "LA": "Lao", "LB": "Lebanese", "LC": "Saint Lucian", "LI": "Liechtensteiner", "LK": "Sri Lankan",
    "LR": "Liberian", "LS": "Basotho", "LT": "Lithuanian", "LU": "Luxembourgish", "LV": "Latvian",
    "LY": "Libyan", "MA": "Moroccan", "MC": "Monegasque", "MD": "Moldovan", "ME": "Montenegrin",
    "MG": "Malagasy", "MH": "Marshallese", "MK": "Macedonian", "ML": "Malian", "MM": "Burmese",
    "MN": "Mongolian", "MO": "Macanese", "MQ": "Martinican", "MR": "Mauritanian", "MS": "Montserratian",
    "MT": "Maltese", "MU": "Mauritian", "MV": "Maldivian", "MW": "Malawian", "MX": "Mexican",
    "MY": "Malaysian", "MZ": "Mozambican", "NA": "Namibian", "NC": "New Caledonian", "NE": "Nigerien",
    "NG": "Nigerian", "NI": "Nicaraguan", "NL": "Dutch", "NO": "Norwegian", "NP": "Nepalese",
    "NR": "Nauruan", "NU": "Niuean", "NZ": "New Zealand", "OM": "Omani", "PA": "Panamanian",
    "PE": "Peruvian", "PF": "French Polynesian", "PG": "Papua New Guinean", "PH": "Philippine",
    "PK": "Pakistani", "PL": "Polish", "PR": "Puerto Rican", "PS": "Palestinian", "PT": "Portuguese",
    "PW": "Palauan", "PY": "Paraguayan", "QA": "Qatari", "RE": "Réunionese", "RO": "Romanian",
    "RS": "Serbian", "RU": "Russian", "RW": "Rwandan", "SA": "Saudi", "SB": "Solomon Islands",
    "SC": "Seychellois", "SD": "Sudanese", "SE": "Swedish", "SG": "Singaporean", "SI": "Slovenian",
    "SK": "Slovak", "SL": "Sierra Leonean", "SM": "Sammarinese", "SN": "Senegalese", "SO": "Somali",
    "SR": "Surinamese", "SS": "South Sudanese", "ST": "Santomean", "SV": "Salvadoran", "SY": "Syrian",
    "SZ": "Swazi", "TC": "Turks and Caicos", "TD": "Chadian", "TG": "Togolese", "TH": "Thai",
    "TJ": "Tajik", "TL": "Timorese", "TM": "Turkmen", "TN": "Tunisian", "TO": "Tongan",
    "TR": "Turkish", "TT": "Trinidadian", "TV": "Tuvaluan", "TW": "Taiwanese", "TZ": "Tanzanian",
    "UA": "Ukrainian", "UG": "Ugandan", "US": "American", "UY": "Uruguayan", "UZ": "Uzbek",
    "VA": "Vatican", "VC": "Vincentian", "VE": "Venezuelan", "VG": "British Virgin Islands",
    "VI": "US Virgin Islands", "VN": "Vietnamese", "VU": "Ni-Vanuatu", "WS": "Samoan",
    "XK": "Kosovar", "YE": "Yemeni", "YT": "Mahoran", "ZA": "South African", "ZM": "Zambian",
    "ZW": "Zimbabwean",
}


def _lines(geom) -> list[LineString]:
    """Non-degenerate LineStrings inside any geometry (points and empties dropped)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom] if geom.length > 0 else []
    return [g for part in getattr(geom, "geoms", []) for g in _lines(part)]


def _shared_line(a, b):
    """The line(s) two polygons share, or None."""
    parts = _lines(shapely.intersection(a.boundary, b.boundary))
    if not parts:
        small, big = (a, b) if a.area <= b.area else (b, a)
        if shapely.intersection(a, b).area > 0:  # enclave box inside its host
            parts = _lines(shapely.intersection(small.boundary, big))
        else:  # touching at points only: allow a hair's-breadth gap
            parts = _lines(shapely.intersection(small.boundary, big.buffer(GAP_DEG)))
            if sum(p.length for p in parts) < MIN_LEN_DEG:
                return None
    if not parts:
        return None
    merged = shapely.line_merge(MultiLineString(parts))
    merged = shapely.set_precision(merged, 1e-5)
    parts = sorted(_lines(merged), key=lambda ln: ln.coords[0])
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiLineString(parts)


def point_on_line(geom) -> tuple[float, float]:
    """(lon, lat) half-way along the longest part of a (Multi)LineString."""
    longest = max(_lines(geom), key=lambda ln: (ln.length, ln.coords[0]))
    pt = longest.interpolate(0.5, normalized=True)
    return round(pt.x, 5), round(pt.y, 5)


def border_aliases(code_a: str, name_a: str, code_b: str, name_b: str) -> tuple[str, ...]:
    """Name variants of the border between two countries (the canonical name excluded)."""
    out = [f"{name_a}-{name_b} border", f"{name_b}-{name_a} border", f"{name_b}–{name_a} border",
           f"{name_a}–{name_b} frontier", f"{name_a}-{name_b} frontier",
           f"border between {name_a} and {name_b}", f"border between {name_b} and {name_a}",
           f"{name_a}'s border with {name_b}", f"{name_b}'s border with {name_a}"]
    dem_a, dem_b = DEMONYMS.get(code_a), DEMONYMS.get(code_b)
    if dem_a and dem_b and dem_a != dem_b:
        out += [f"{dem_a}-{dem_b} border", f"{dem_b}-{dem_a} border",
                f"{dem_a}–{dem_b} border", f"{dem_b}–{dem_a} border",
                f"{dem_a}-{dem_b} frontier", f"{dem_b}-{dem_a} frontier"]
    canonical = f"{name_a}–{name_b} border"
    seen, uniq = {canonical}, []
    for alias in out:
        if alias not in seen:
            seen.add(alias)
            uniq.append(alias)
    return tuple(uniq)


def derive_borders(countries: gpd.GeoDataFrame) -> list[Place]:
    """Every land border between two countries, sorted by place_id.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        Columns iso2, name, geometry (as from ``gazetteer.countries.load_countries``).

    Returns
    -------
    list of geocore.records.Place
        One ``border`` place per neighbouring pair.
    """
    codes = [str(c) for c in countries["iso2"]]
    names = {c: str(n) for c, n in zip(codes, countries["name"])}
    geoms = list(countries.geometry)
    left, right = countries.sindex.query(countries.geometry, predicate="intersects")
    pairs = sorted({tuple(sorted((codes[i], codes[j]))): (i, j) if codes[i] < codes[j] else (j, i)
                    for i, j in zip(left.tolist(), right.tolist()) if codes[i] != codes[j]}.items())
    borders = []
    for (a, b), (i, j) in pairs:
        line = _shared_line(geoms[i], geoms[j])
        if line is None:
            continue
        lon, lat = point_on_line(line)
        borders.append(Place(
            place_id=f"border:{a}-{b}", name=f"{names[a]}–{names[b]} border",
            feature_type="border", country=f"{a}-{b}", lat=lat, lon=lon, geometry=line,
            aliases=border_aliases(a, names[a], b, names[b])))
    return sorted(borders, key=lambda p: p.place_id)


def borders_of(iso2: str, borders: Iterable[Place]) -> list[Place]:
    """The borders of one country (in the order given)."""
    return [p for p in borders if p.country and iso2 in p.country.split("-")]


@functools.lru_cache(maxsize=2)
def load_borders(path: Optional[str] = None) -> tuple[Place, ...]:
    """Borders of the bundled (or given) country file, computed once per process."""
    from gazetteer.countries import load_countries
    return tuple(derive_borders(load_countries(path)))


__all__ = ["DEMONYMS", "derive_borders", "borders_of", "border_aliases", "point_on_line",
           "load_borders"]
