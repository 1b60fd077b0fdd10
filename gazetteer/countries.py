"""Country polygons (Natural Earth 1:10m) and point-in-country checks.

The polygons come from ``gazetteer/data/countries.geojson.gz``, built by
``gazetteer/scripts/build_countries.py``. Every gazetteer record is checked
against them: a record whose point is not inside (or within a small tolerance
of) its stated country is rejected, and user files whose points fall outside
their country but inside it once lat/lon are swapped are reported as swapped.

Natural Earth draws disputed areas "de facto" (Crimea in Russia, the Golan in
Israel, Western Sahara mostly in Morocco, Kashmir split). ``DISPUTED`` lists
such areas with every claimant, so a record coded with the other claimant
(GeoNames files Sevastopol under UA) still passes ``point_in_country``.
"""
from __future__ import annotations

import functools
import gzip
import io
import math
import pathlib
from typing import Optional

import geopandas as gpd
from geopy.distance import geodesic
from shapely.geometry import Point, Polygon
from shapely.ops import nearest_points

from geocore.errors import DataFileError

DATA_FILE = pathlib.Path(__file__).resolve().parent / "data" / "countries.geojson.gz"
KM_PER_DEG_LAT = 110.574  # the shortest a degree gets; keeps the pre-filter generous

# Common short names where ISO's official name is long or unusual; used for the
# ``name`` column and in border names ("Armenia–Turkey border").
SHORT_NAMES = {
    "BN": "Brunei", "BO": "Bolivia", "BQ": "Caribbean Netherlands", "CC": "Cocos Islands",
    "CD": "DR Congo", "CG": "Congo", "CI": "Ivory Coast", "CV": "Cape Verde", "CZ": "Czechia",
    "FK": "Falkland Islands", "FM": "Micronesia", "GB": "United Kingdom", "IR": "Iran",
    "KP": "North Korea", "KR": "South Korea", "LA": "Laos", "MD": "Moldova",
    "MF": "Saint Martin", "MK": "North Macedonia", "PS": "Palestine", "RU": "Russia",
    "SH": "Saint Helena", "SX": "Sint Maarten", "SY": "Syria", "TL": "East Timor",
    "TR": "Turkey", "TW": "Taiwan", "TZ": "Tanzania", "US": "United States",
    "VA": "Vatican City", "VE": "Venezuela", "VG": "British Virgin Islands",
    "VI": "US Virgin Islands", "VN": "Vietnam", "XK": "Kosovo",
    "GS": "South Georgia", "HM": "Heard and McDonald Islands",
    "UM": "US Minor Outlying Islands", "IO": "British Indian Ocean Territory",
}

# (area, claimants, rough outline as (lon, lat) ring). Loose on purpose: it
# only widens which codes are accepted for points inside Natural Earth's
# polygons there; it never changes which polygon a point is in.
DISPUTED: tuple[tuple[str, frozenset, tuple], ...] = (
    ("Crimea", frozenset({"UA", "RU"}), (
        (32.3, 45.35), (33.4, 46.2), (34.2, 46.25), (35.1, 45.75), (35.5, 45.55),
        (36.6, 45.55), (36.75, 45.3), (36.45, 44.95), (35.4, 44.85), (34.4, 44.45),
        (33.5, 44.3), (33.2, 44.5), (32.4, 45.1))),
    ("Golan Heights", frozenset({"IL", "SY"}), (
        (35.6, 32.65), (35.88, 32.68), (35.97, 32.95), (35.92, 33.32), (35.78, 33.36),
        (35.6, 33.25))),
    ("Western Sahara", frozenset({"EH", "MA"}), (
        (-17.3, 20.6), (-16.9, 21.4), (-13.0, 21.4), (-13.0, 23.0), (-12.0, 23.5),
        (-12.0, 26.0), (-8.6, 26.0), (-8.6, 27.75), (-17.3, 27.75))),
    ("Kashmir", frozenset({"IN", "PK", "CN"}), (
        (73.2, 32.4), (74.6, 32.5), (75.8, 32.3), (77.0, 32.4), (78.5, 32.4), (79.6, 32.5),
        (80.4, 35.0), (80.4, 35.8), (78.0, 36.1), (77.0, 35.9), (75.5, 37.1), (74.5, 37.2),
        (72.4, 36.9), (73.6, 35.2), (73.4, 34.0))),
    ("Kosovo", frozenset({"XK", "RS"}), (
        (19.95, 41.8), (21.85, 41.8), (21.85, 43.3), (19.95, 43.3))),
)
_DISPUTED_SHAPES = tuple((name, claim, Polygon(ring)) for name, claim, ring in DISPUTED)


@functools.lru_cache(maxsize=4)
def load_countries(path: Optional[str] = None) -> gpd.GeoDataFrame:
    """Load the country polygons (cached per process and path).

    Parameters
    ----------
    path : str, optional
        A GeoJSON file (optionally .gz) with properties iso2, iso3, name; the
        bundled file by default.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns iso2, iso3, name, geometry in EPSG:4326, sorted by iso2.
    """
    p = pathlib.Path(path) if path else DATA_FILE
    if not p.is_file():
        raise DataFileError(f"{p}: country polygon file not found; run "
                            "gazetteer/scripts/build_countries.py")
    try:
        if p.suffix == ".gz":  # GDAL does not sniff gzip; inflate in memory (fast)
            with gzip.open(p, "rb") as fh:
                gdf = gpd.read_file(io.BytesIO(fh.read()))
        else:
            gdf = gpd.read_file(p)
    except Exception as exc:  # pyogrio raises its own types; name the file
        raise DataFileError(f"{p}: cannot read country polygons: {exc}") from exc
    missing = {"iso2", "iso3", "name"} - set(gdf.columns)
    if missing:
        raise DataFileError(f"{p}: missing properties {sorted(missing)}")
    gdf = gdf[["iso2", "iso3", "name", "geometry"]].set_crs("EPSG:4326", allow_override=True)
    gdf = gdf.sort_values("iso2", kind="stable").reset_index(drop=True)
    gdf.sindex  # build the spatial index once, while cached
    return gdf


def _countries(countries: Optional[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return load_countries() if countries is None else countries


def _deg_window(lat: float, km: float) -> float:
    """Degrees that surely cover ``km`` at latitude ``lat`` (longitude shrinks with cos)."""
    c = max(math.cos(math.radians(min(abs(lat), 89.0))), 0.01)
    return km / (KM_PER_DEG_LAT * c)


def distance_km(lon: float, lat: float, geom) -> float:
    """Geodesic distance in km from a point to the nearest point of ``geom`` (0 inside)."""
    pt = Point(lon, lat)
    if geom.covers(pt):
        return 0.0
    near = nearest_points(geom, pt)[0]
    return geodesic((lat, lon), (near.y, near.x)).km


def country_at(lon: float, lat: float, countries: Optional[gpd.GeoDataFrame] = None,
               tolerance_km: float = 10.0) -> Optional[str]:
    """ISO2 of the country containing (lon, lat), or the nearest within ``tolerance_km``.

    Inside several polygons (an enclave box, a shared border) the smallest
    polygon wins, then the first code, so the answer is deterministic. Returns None at sea or out of range.
    """
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return None
    gdf = _countries(countries)
    pt = Point(lon, lat)
    hits = gdf.sindex.query(pt, predicate="intersects")
    if len(hits):
        # the smallest polygon wins so enclaves (Vatican in Italy) beat their host;
        # ties on shared borders go to the first code, deterministically
        best = min(hits, key=lambda i: (gdf.geometry.iloc[i].area, gdf["iso2"].iloc[i]))
        return str(gdf["iso2"].iloc[best])
    if tolerance_km <= 0:
        return None
    window = pt.buffer(_deg_window(lat, tolerance_km))
    best: tuple[float, str] | None = None
    for i in sorted(gdf.sindex.query(window, predicate="intersects")):
        d = distance_km(lon, lat, gdf.geometry.iloc[i])
        code = str(gdf["iso2"].iloc[i])
        if d <= tolerance_km and (best is None or (d, code) < best):
            best = (d, code)
    return best[1] if best else None


def disputed_claimants(lon: float, lat: float) -> frozenset:
    """Codes of every claimant of a listed disputed area containing the point (else empty)."""
    pt = Point(lon, lat)
    out: set[str] = set()
    for _, claim, shape in _DISPUTED_SHAPES:
        if shape.covers(pt):
            out |= claim
    return frozenset(out)


def point_in_country(lon: float, lat: float, iso2: str, tolerance_km: float = 25.0,
                     countries: Optional[gpd.GeoDataFrame] = None) -> bool:
    """True when (lon, lat) lies in country ``iso2`` or within ``tolerance_km`` of it.

    Also True inside a ``DISPUTED`` area that ``iso2`` claims, when the point
    is in (or near) the polygon of one of the claimants. A code absent from the
    polygon file gives False.
    """
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return False
    gdf = _countries(countries)
    rows = gdf.index[gdf["iso2"] == iso2]
    if len(rows):
        geom = gdf.geometry.iloc[rows[0]]
        if distance_km(lon, lat, geom) <= tolerance_km:
            return True
    claim = disputed_claimants(lon, lat)
    if iso2 in claim:
        other = country_at(lon, lat, gdf, tolerance_km)
        return other in claim
    return False


def country_names(countries: Optional[gpd.GeoDataFrame] = None) -> dict[str, str]:
    """Mapping ISO2 -> short name for every country in the polygon file."""
    gdf = _countries(countries)
    return dict(zip(gdf["iso2"], gdf["name"]))


def union_geometry(iso2: str, countries: Optional[gpd.GeoDataFrame] = None):
    """The polygon of ``iso2`` or None when absent (helper for callers and tests)."""
    gdf = _countries(countries)
    rows = gdf.index[gdf["iso2"] == iso2]
    return gdf.geometry.iloc[rows[0]] if len(rows) else None


__all__ = ["load_countries", "country_at", "point_in_country", "distance_km",
           "disputed_claimants", "country_names", "union_geometry", "SHORT_NAMES",
           "DISPUTED", "DATA_FILE"]
