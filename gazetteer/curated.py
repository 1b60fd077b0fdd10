"""The curated gazetteer layer: posture-relevant places GeoNames and airportsdata lack.

File format (YAML, ``gazetteer/data/places.yaml``; users may pass their own)::

    version: 1
    places:
      - id: site:102nd-military-base-gyumri   # required; "site:" + lower-case slug
        name: 102nd Military Base             # required; the display name
        source: "Wikipedia: 102nd Military Base"   # required in the bundled file; see below
        type: base        # required; city, town, airport, base, site, corridor, region, country
        country: AM       # required; ISO 3166-1 alpha-2 (XK for Kosovo)
        lat: 40.793       # required for point types; -90..90
        lon: 43.8464      # required for point types; -180..180
        near: Gyumri      # optional; the settlement whose name also refers to the site
        operator: RU      # optional; whose force: ISO2 or an acronym (UN, NATO), or a list
        aliases: [Russian base in Gyumri, Gyumri base]   # optional list of strings
        waypoints: [[46.33, 39.47], [46.55, 39.64]]      # corridor only: [lon, lat] list
        polygon: [[46.5, 39.6], [47.2, 39.8], [46.7, 40.3]]  # region/site: [lon, lat] ring
        bbox: [44.0, 39.0, 45.0, 40.0]   # region/site, instead of polygon: west, south, east, north
        note: free text for maintainers (ignored)

``source`` names where the entry's facts (coordinates, operator) come from:
a data set and its record ("airportsdata OJMS", "GeoNames Goris") or a
reference work and its article ("Wikipedia: Camp Lemonnier"), several joined by
"; ". Every entry of the bundled ``places.yaml`` must carry one ("curated data
is data, and every row carries its source"); in a user's own file it is
optional (``load_curated(..., require_source=True)`` makes it required there
too), but checked like any text field when present.

A corridor with ``waypoints`` or a region with ``polygon``/``bbox`` may omit
lat/lon: the point half-way along the line, or a point inside the polygon, is
used. Validation is strict and every problem raises
``geocore.errors.GazetteerError`` naming the file and line: broken YAML, unknown or
duplicate keys, missing or mistyped fields, out-of-range coordinates,
duplicate ids, a point outside its stated country (25 km tolerance; 100 km
for the representative point of corridors and regions, which may straddle
borders) and, when the swapped point is inside it, "lat/lon look swapped".

A GeoJSON FeatureCollection (``.geojson``/``.json``) is accepted too: each
feature's properties carry id, name, type, country and optionally source,
aliases, near, operator, lat, lon; its geometry is a Point (the place), a
(Multi)LineString (a corridor) or a (Multi)Polygon (a region). Errors name the
feature by index and the field.

``load_curated`` returns ``CuratedEntry`` objects: ``place`` (a
``geocore.records.Place`` with aliases and geometry), ``near``, ``operators`` (and
the first as ``operator``), ``source`` and ``line`` (where the entry starts, for
messages).
"""
from __future__ import annotations

import json
import math
import pathlib
import re
from dataclasses import dataclass
from typing import Any, Optional

import pycountry
import shapely
import yaml
from anyascii import anyascii
from shapely.geometry import LineString, Polygon, shape

from geocore.errors import GazetteerError
from geocore.records import Place

DATA_FILE = pathlib.Path(__file__).resolve().parent / "data" / "places.yaml"
CURATED_TYPES = ("city", "town", "airport", "base", "site", "corridor", "region", "country")
REQUIRED = ("id", "name", "type", "country")
OPTIONAL = ("source", "lat", "lon", "near", "operator", "aliases", "waypoints", "polygon", "bbox", "note")
ID_RE = re.compile(r"^site:[a-z0-9]+(?:-[a-z0-9]+)*$")
OPERATOR_RE = re.compile(r"^[A-Z]{2,6}$")
POINT_TOLERANCE_KM = 25.0
AREA_TOLERANCE_KM = 100.0  # corridors and regions may straddle borders
EXTRA_CODES = {"XK"}  # user-assigned codes in use (Kosovo)


@dataclass(frozen=True)
class CuratedEntry:
    """One curated place plus the fields ``Place`` has no room for."""

    place: Place
    near: Optional[str] = None
    operators: tuple[str, ...] = ()
    line: Optional[int] = None
    source: Optional[str] = None

    @property
    def operator(self) -> Optional[str]:
        """The first operator, or None."""
        return self.operators[0] if self.operators else None


def slugify(name: str) -> str:
    """Lower-case ASCII slug: 'Zvartnots Int’l Airport' -> 'zvartnots-int-l-airport'."""
    text = anyascii(str(name)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class _Ctx:
    """Formats error messages for one entry: file, line and place id."""

    def __init__(self, path: str, where: str, lines: dict[str, int]):
        self.path, self.where, self.lines = path, where, lines

    def fail(self, field: Optional[str], problem: str) -> GazetteerError:
        loc = self.where
        if field and field in self.lines:
            loc = f"line {self.lines[field]}"
        prefix = f"{self.path}: {loc}"
        return GazetteerError(f"{prefix}: {('field ' + repr(field) + ': ') if field else ''}{problem}")


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _text(ctx: _Ctx, field: str, v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ctx.fail(field, f"expected a non-empty string, got {v!r}")
    if any(ord(c) < 32 for c in v):
        raise ctx.fail(field, "control characters are not allowed")
    return v.strip()


def _code(ctx: _Ctx, field: str, v: Any) -> str:
    v = _text(ctx, field, v)
    if v not in EXTRA_CODES and (len(v) != 2 or not v.isupper()
                                 or pycountry.countries.get(alpha_2=v) is None):
        raise ctx.fail(field, f"{v!r} is not an ISO 3166-1 alpha-2 code")
    return v


def _coord_pairs(ctx: _Ctx, field: str, v: Any, minimum: int) -> list[tuple[float, float]]:
    if not isinstance(v, list) or len(v) < minimum:
        raise ctx.fail(field, f"expected a list of at least {minimum} [lon, lat] pairs")
    out = []
    for pair in v:
        if (not isinstance(pair, (list, tuple)) or len(pair) != 2
                or not all(_is_number(x) for x in pair)):
            raise ctx.fail(field, f"expected [lon, lat], got {pair!r}")
        lon, lat = float(pair[0]), float(pair[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ctx.fail(field, f"[lon, lat] {pair!r} out of range")
        out.append((lon, lat))
    return out


def _entry(raw: Any, ctx: _Ctx, geometry=None, require_source: bool = False) -> CuratedEntry:
    """Validate one entry's fields and build the CuratedEntry (country check excluded)."""
    if not isinstance(raw, dict):
        raise ctx.fail(None, f"each place must be a mapping, got {type(raw).__name__}")
    unknown = sorted(str(k) for k in raw if k not in REQUIRED + OPTIONAL)
    if unknown:
        raise ctx.fail(unknown[0], f"unknown key(s) {unknown}; allowed: {list(REQUIRED + OPTIONAL)}")
    if raw.get("id") is None:
        raise ctx.fail(None, "missing required field 'id'")
    pid = _text(ctx, "id", raw["id"])
    if not ID_RE.match(pid):
        raise ctx.fail("id", f"{pid!r} must look like 'site:<slug>' (slug: {slugify(pid.split(':')[-1])!r})")
    ctx.where = f"{ctx.where} ({pid})"
    for key in REQUIRED:
        if raw.get(key) is None:
            raise ctx.fail(None, f"missing required field {key!r}")
    if require_source and raw.get("source") is None:
        raise ctx.fail(None, "missing required field 'source' (where the coordinates and "
                             "operator come from, e.g. \"Wikipedia: Camp Lemonnier\")")
    source = _text(ctx, "source", raw["source"]) if raw.get("source") is not None else None
    name = _text(ctx, "name", raw["name"])
    ftype = _text(ctx, "type", raw["type"])
    if ftype not in CURATED_TYPES:
        raise ctx.fail("type", f"{ftype!r} is not one of {list(CURATED_TYPES)}")
    country = _code(ctx, "country", raw["country"])
    near = _text(ctx, "near", raw["near"]) if raw.get("near") is not None else None
    ops = raw.get("operator")
    ops = [] if ops is None else ops if isinstance(ops, list) else [ops]
    operators = tuple(_text(ctx, "operator", o) for o in ops)
    for o in operators:
        if not OPERATOR_RE.match(o):
            raise ctx.fail("operator", f"{o!r} is not an ISO2 code or upper-case acronym")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list):
        raise ctx.fail("aliases", "expected a list of strings")
    seen, alias_out = {name}, []
    for a in aliases:
        a = _text(ctx, "aliases", a)
        if a not in seen:
            seen.add(a)
            alias_out.append(a)
    if "note" in raw and raw["note"] is not None:
        _text(ctx, "note", raw["note"])

    if raw.get("waypoints") is not None:
        if ftype != "corridor":
            raise ctx.fail("waypoints", "only a corridor has waypoints")
        geometry = LineString(_coord_pairs(ctx, "waypoints", raw["waypoints"], 2))
    if raw.get("polygon") is not None:
        if ftype not in ("region", "site", "base", "country"):
            raise ctx.fail("polygon", "only an area (region, site, base, country) has a polygon")
        geometry = shapely.make_valid(Polygon(_coord_pairs(ctx, "polygon", raw["polygon"], 3)))
    if raw.get("bbox") is not None:
        b = raw["bbox"]
        if not isinstance(b, list) or len(b) != 4 or not all(_is_number(x) for x in b):
            raise ctx.fail("bbox", "expected [west, south, east, north]")
        w, s, e, n = (float(x) for x in b)
        if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
            raise ctx.fail("bbox", f"{b!r} is not west < east, south < north within range")
        geometry = shapely.box(w, s, e, n)

    has_lat, has_lon = raw.get("lat") is not None, raw.get("lon") is not None
    if has_lat != has_lon:
        raise ctx.fail("lat" if not has_lat else "lon", "lat and lon go together")
    if has_lat:
        for key, lim in (("lat", 90), ("lon", 180)):
            if not _is_number(raw[key]):
                raise ctx.fail(key, f"expected a number, got {raw[key]!r}")
            if not -lim <= raw[key] <= lim:
                raise ctx.fail(key, f"{raw[key]!r} out of range -{lim}..{lim}")
        lat, lon = float(raw["lat"]), float(raw["lon"])
    elif geometry is not None:
        if geometry.geom_type in ("LineString", "MultiLineString"):
            from gazetteer.borders import point_on_line
            lon, lat = point_on_line(geometry)
        else:
            rp = geometry.representative_point()
            lon, lat = rp.x, rp.y
    else:
        raise ctx.fail(None, "missing required field 'lat'/'lon' (or waypoints/polygon)")
    place = Place(place_id=pid, name=name, feature_type=ftype, country=country,
                  lat=round(lat, 5), lon=round(lon, 5), geometry=geometry,
                  aliases=tuple(alias_out))
    return CuratedEntry(place=place, near=near, operators=operators, line=ctx.lines.get("id"),
                        source=source)


def check_country(entry: CuratedEntry, ctx: _Ctx, countries=None) -> None:
    """Raise when the entry's point is not in its stated country (or looks swapped)."""
    from gazetteer.countries import country_at, point_in_country
    p = entry.place
    tol = AREA_TOLERANCE_KM if p.feature_type in ("corridor", "region") else POINT_TOLERANCE_KM
    if p.geometry is not None and p.feature_type in ("corridor", "region"):
        # an outline that reaches into the country is enough
        g = p.geometry
        if any(point_in_country(x, y, p.country, tol, countries)
               for x, y in shapely.get_coordinates(g).tolist()):
            return
    if point_in_country(p.lon, p.lat, p.country, tol, countries):
        return
    field = "lat" if "lat" in ctx.lines else None
    if abs(p.lon) <= 90 and point_in_country(p.lat, p.lon, p.country, tol, countries):
        raise ctx.fail(field, f"lat/lon look swapped: ({p.lat}, {p.lon}) is not in "
                              f"{p.country} but ({p.lon}, {p.lat}) is")
    actual = country_at(p.lon, p.lat, countries, tol) or "no country (sea?)"
    raise ctx.fail(field, f"point (lat {p.lat}, lon {p.lon}) is not in {p.country} "
                          f"(within {tol:g} km); it is in {actual}")


def _node_lines(node) -> list[dict[str, int]]:
    """Per entry of the composed ``places`` sequence: field -> 1-based line."""
    out = []
    for item in getattr(node, "value", []) or []:
        lines = {"__entry__": item.start_mark.line + 1}
        if isinstance(item, yaml.MappingNode):
            for k, v in item.value:
                key = str(k.value)
                if key in lines:
                    raise KeyError((key, k.start_mark.line + 1))
                lines[key] = v.start_mark.line + 1
        out.append(lines)
    return out


def _load_yaml(path: pathlib.Path, text: str, require_source: bool = False) -> list[CuratedEntry]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise GazetteerError(f"{path}: {where}: broken YAML: "
                             f"{getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise GazetteerError(f"{path}: line 1: expected a mapping with 'version' and 'places'")
    top = {str(k.value): v for k, v in root.value}
    unknown = sorted(set(map(str, data)) - {"version", "places"})
    if unknown:
        raise GazetteerError(f"{path}: line {top[unknown[0]].start_mark.line + 1}: "
                             f"unknown top-level key(s) {unknown}")
    if data.get("version") != 1:
        raise GazetteerError(f"{path}: field 'version': expected 1, got {data.get('version')!r}")
    places = data.get("places")
    if not isinstance(places, list):
        raise GazetteerError(f"{path}: field 'places': expected a list of places")
    try:
        lines = _node_lines(top["places"])
    except KeyError as exc:
        key, line = exc.args[0]
        raise GazetteerError(f"{path}: line {line}: duplicate key {key!r}") from None
    out = []
    for raw, ln in zip(places, lines):
        out.append((_entry(raw, _Ctx(str(path), f"line {ln['__entry__']}", ln), require_source=require_source), ln))
    return out


def _load_geojson(path: pathlib.Path, text: str, require_source: bool = False) -> list:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{path}: line {exc.lineno}: broken JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GazetteerError(f"{path}: expected a GeoJSON FeatureCollection")
    feats = data.get("features")
    if not isinstance(feats, list):
        raise GazetteerError(f"{path}: field 'features': expected a list")
    out = []
    for i, feat in enumerate(feats):
        ctx = _Ctx(str(path), f"feature #{i}", {})
        if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict):
            raise ctx.fail(None, "expected a Feature with properties")
        props = dict(feat["properties"])
        try:
            geom = shape(feat["geometry"])
        except Exception:  # shapely raises several types for bad GeoJSON
            raise ctx.fail("geometry", "missing or invalid geometry") from None
        if geom.is_empty:
            raise ctx.fail("geometry", "empty geometry")
        extra = None
        if geom.geom_type == "Point":
            if props.get("lat") is None and props.get("lon") is None:
                props["lat"], props["lon"] = geom.y, geom.x
        elif geom.geom_type in ("LineString", "MultiLineString", "Polygon", "MultiPolygon"):
            extra = shapely.make_valid(geom)
        else:
            raise ctx.fail("geometry", f"unsupported geometry type {geom.geom_type}")
        if extra is not None and not shapely.get_coordinates(extra).size:
            raise ctx.fail("geometry", "no coordinates")
        if extra is not None:
            c = shapely.get_coordinates(extra)
            if (abs(c[:, 0]) > 180).any() or (abs(c[:, 1]) > 90).any():
                raise ctx.fail("geometry", "coordinates out of range")
        out.append((_entry(props, ctx, extra, require_source=require_source), {}))
    return out


def load_curated(path=None, countries=None, check_countries: bool = True,
                 require_source: Optional[bool] = None) -> list[CuratedEntry]:
    """Read and validate a curated places file (YAML, or GeoJSON FeatureCollection).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The file; the bundled ``gazetteer/data/places.yaml`` by default.
    countries : geopandas.GeoDataFrame, optional
        Country polygons for the country check (the bundled ones by default).
    check_countries : bool
        Check that every point lies in its stated country.
    require_source : bool, optional
        Require a ``source`` on every entry; by default only the bundled file
        must have them (a user's own file may leave them out).

    Returns
    -------
    list of CuratedEntry
        In file order.

    Raises
    ------
    GazetteerError
        Naming the file and the line (or feature and field) of the first problem.
    """
    p = pathlib.Path(path) if path else DATA_FILE
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{p}: cannot read curated places: {exc}") from None
    if require_source is None:
        require_source = p.resolve() == DATA_FILE
    is_json = p.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{")
    try:
        load = _load_geojson if is_json else _load_yaml
        pairs = load(p, text, require_source=require_source)
    except RecursionError:
        raise GazetteerError(f"{p}: nested too deeply to be a gazetteer file; "
                             "expected a flat list of places (see the README's gazetteer format)") from None
    seen: dict[str, str] = {}
    out = []
    for i, (entry, lines) in enumerate(pairs):
        where = f"line {lines['__entry__']}" if lines else f"feature #{i}"
        ctx = _Ctx(str(p), f"{where} ({entry.place.place_id})", lines)
        pid = entry.place.place_id
        if pid in seen:
            raise ctx.fail("id", f"duplicate id {pid!r} (first at {seen[pid]})")
        seen[pid] = where
        if check_countries:
            check_country(entry, ctx, countries)
        out.append(entry)
    return out


__all__ = ["CuratedEntry", "load_curated", "slugify", "check_country", "CURATED_TYPES",
           "DATA_FILE"]
