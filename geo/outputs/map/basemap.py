"""The map's background: embedded country outlines, and optional online tiles."""
from __future__ import annotations

import logging
import math
import os
import re
import urllib.parse
from typing import Any, Optional

import folium
import numpy as np
import shapely
from shapely.geometry import mapping

from geocore.errors import GeomapError, InputError
from geo.outputs.atomic import atomic_write
from geo.outputs.escape import safe_text


log = logging.getLogger(__name__)

BASEMAP_DECIMALS = 2


BASEMAP_TOLERANCE = 0.02


OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


OSM_ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


_TILE_PLACEHOLDER = re.compile(r"\{[a-z]\}")


_TILE_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*")


BASE_PANE = "geomapBase"


def basemap_collection(countries: Any) -> dict:
    """Country outlines as a compact GeoJSON FeatureCollection (simplified, rounded, no attributes)."""
    try:
        geoms = countries.geometry
        if countries.crs is not None and countries.crs.to_epsg() != 4326:
            geoms = geoms.to_crs(4326)
    except (AttributeError, ValueError) as exc:
        raise InputError(f"countries: expected a GeoDataFrame with a CRS convertible to EPSG:4326 ({exc})") from exc
    features = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        simple = shapely.simplify(geom, BASEMAP_TOLERANCE, preserve_topology=True)
        simple = shapely.transform(simple, lambda xy: np.round(xy, BASEMAP_DECIMALS))
        if simple.is_empty:
            continue
        features.append({"type": "Feature", "id": len(features), "geometry": mapping(simple), "properties": {}})
    return {"type": "FeatureCollection", "features": features}


BASEMAP_FORMAT = "geomap-basemap/1"
_GEOM_TYPES = {"Polygon": 3, "MultiPolygon": 4}  # nesting depth of their coordinates


def cached_basemap() -> dict:
    """The bundled countries' basemap, computed once and kept in the gazetteer cache dir.

    Simplifying 250 outlines costs about a second, so the result is cached,
    keyed by the country file's hash and the simplification settings. The
    cache file is untrusted (:func:`read_basemap_cache`): one that is damaged,
    foreign, not owned by this user or writable by others is warned about and
    rebuilt, and only numbers are ever taken from it.
    """
    import hashlib

    from gazetteer.countries import DATA_FILE, load_countries
    from gazetteer.index import cache_dir

    key = hashlib.sha256(DATA_FILE.read_bytes() + f"{BASEMAP_TOLERANCE}/{BASEMAP_DECIMALS}".encode()).hexdigest()[:16]
    path = cache_dir() / f"basemap-{key}.json"
    try:
        return read_basemap_cache(path, key)
    except FileNotFoundError:
        pass
    except ValueError as exc:
        log.warning("%s: basemap cache not usable (%s); rebuilding it", path, exc)
    collection = basemap_collection(load_countries())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, basemap_cache_text(collection, key))
        os.chmod(path, 0o600)
    except (GeomapError, OSError):
        pass  # a read-only cache only costs time
    return collection


def basemap_cache_text(collection: dict, key: str, fmt: str = BASEMAP_FORMAT) -> str:
    """The cache file: a header line (format, key, sha256 of the body), then the collection."""
    import hashlib
    import json

    body = json.dumps(collection, separators=(",", ":"))
    head = {"format": fmt, "key": key, "sha256": hashlib.sha256(body.encode()).hexdigest()}
    return json.dumps(head) + "\n" + body


def read_basemap_cache(path: "os.PathLike[str]", key: str, fmt: str = BASEMAP_FORMAT,
                       clean: Any = None) -> dict:
    """The collection in a basemap cache file, checked; ValueError saying what is wrong.

    ``fmt`` is the format the header must name and ``clean`` the checker of
    the collection (default :func:`clean_collection`, country polygons).
    Raises FileNotFoundError when there is no file.
    """
    import hashlib
    import json
    import stat

    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("not a regular file")
    if st.st_uid != os.geteuid() or st.st_mode & 0o022:
        raise ValueError("owned by another user or writable by others")
    with open(path, "rb") as fh:
        data = fh.read()
    head_line, _, body = data.partition(b"\n")
    try:
        head = json.loads(head_line)
    except (ValueError, RecursionError):
        raise ValueError("no geomap header") from None
    if not isinstance(head, dict) or head.get("format") != fmt or head.get("key") != key:
        raise ValueError(f"not a {fmt} file for key {key}")
    if head.get("sha256") != hashlib.sha256(body).hexdigest():
        raise ValueError("its content does not match its hash")
    try:
        collection = json.loads(body)
    except (ValueError, RecursionError):
        raise ValueError("broken JSON") from None
    return (clean or clean_collection)(collection, body)


_TOKENS = re.compile(rb'"(?:type|FeatureCollection|features|Feature|id|geometry|Polygon|MultiPolygon|LineString|'
                     rb'MultiLineString|coordinates|properties)"')
_NUMBERS = re.compile(rb"[\[\]{}:,0-9.eE+\- ]*")


def clean_collection(collection: Any, body: Optional[bytes] = None) -> dict:
    """``collection`` if it is a basemap FeatureCollection of polygons of lon/lat numbers; ValueError otherwise.

    ``body`` (its JSON text) is checked to hold no string but the GeoJSON key
    words, so nothing from the file can reach the page as text.
    """
    if body is not None and not _NUMBERS.fullmatch(_TOKENS.sub(b"", body)):
        raise ValueError("it holds text or values a basemap never has")
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(collection.get("features"), list):
        raise ValueError("not a FeatureCollection")
    for i, f in enumerate(collection["features"]):
        geom = f.get("geometry") if isinstance(f, dict) else None
        kind = geom.get("type") if isinstance(geom, dict) else None
        if kind not in _GEOM_TYPES or set(f) != {"type", "id", "geometry", "properties"} or f["properties"] != {}:
            raise ValueError(f"feature {i}: not a country outline")
        polygons = geom.get("coordinates") if kind == "MultiPolygon" else [geom.get("coordinates")]
        check_lonlat_rings((ring for polygon in polygons for ring in polygon), f"feature {i}")
    return collection


def check_lonlat_rings(rings: Any, label: str) -> None:
    """ValueError naming ``label`` unless every ring is a list of finite, in-range lon/lat pairs."""
    try:
        arrays = [np.asarray(ring, dtype=float) for ring in rings]
    except (TypeError, ValueError):
        raise ValueError(f"{label}: coordinates are not lists of lon/lat pairs") from None
    for xy in arrays:
        if xy.ndim != 2 or xy.shape[1] != 2 or not np.isfinite(xy).all() \
                or np.abs(xy[:, 0]).max(initial=0) > 180 or np.abs(xy[:, 1]).max(initial=0) > 90:
            raise ValueError(f"{label}: coordinates are not lists of lon/lat pairs")


def basemap_layer(countries: Any, filled: bool = True) -> Optional[folium.GeoJson]:
    """Country outlines layer from a GeoDataFrame or a ready FeatureCollection.

    ``filled=False`` draws outlines only, so online tiles underneath stay visible.
    """
    if countries is None:
        return None
    collection = countries if isinstance(countries, dict) else basemap_collection(countries)
    features = collection["features"]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Country outlines",
        control=False,
        style_function=lambda f: {"color": "#8c8c8c", "weight": 0.8, "fillColor": "#f4f3ef", "fillOpacity": 1 if filled else 0},
        interactive=False,
        pane=BASE_PANE,
    )


def tile_layer(tiles: str) -> tuple[Optional[folium.TileLayer], str]:
    """The optional online tile layer and the host it would contact."""
    if tiles is None or tiles == "none":
        return None, ""
    if tiles == "osm":
        return folium.TileLayer(OSM_URL, attr=OSM_ATTR, name="OpenStreetMap", overlay=False, control=False), "tile.openstreetmap.org"
    if not isinstance(tiles, str):
        raise InputError(f"tiles: expected 'none', 'osm' or an http(s) URL template, got {tiles!r}")
    parts = urllib.parse.urlsplit(tiles)
    stripped = _TILE_PLACEHOLDER.sub("", tiles)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not all(k in tiles for k in ("{x}", "{y}", "{z}"))
        or "{" in stripped
        or "}" in stripped
        or not _TILE_CHARS.fullmatch(stripped)
    ):
        raise InputError(
            f"tiles: {tiles!r} is not 'none', 'osm' or an http(s) URL template with {{z}}, {{x}} and {{y}}"
        )
    host = parts.hostname
    return folium.TileLayer(tiles, attr=f"Tiles: {safe_text(host, 200)}", name="Online tiles", overlay=False, control=False), host
