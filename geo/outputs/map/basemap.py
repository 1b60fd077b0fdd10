"""The map's background: embedded country outlines, and optional online tiles."""
from __future__ import annotations

import urllib.parse
import re
from typing import Any, Optional

import folium
import numpy as np
import shapely
from shapely.geometry import mapping

from geocore.errors import GeomapError, InputError
from geo.outputs.atomic import atomic_write
from geo.outputs.escape import safe_text


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


def cached_basemap() -> dict:
    """The bundled countries' basemap, computed once and kept in the gazetteer cache dir.

    Simplifying 250 outlines costs about a second, so the result is cached,
    keyed by the country file's hash and the simplification settings.
    """
    import hashlib
    import json as _json

    from gazetteer.countries import DATA_FILE, load_countries
    from gazetteer.index import cache_dir

    key = hashlib.sha256(DATA_FILE.read_bytes() + f"{BASEMAP_TOLERANCE}/{BASEMAP_DECIMALS}".encode()).hexdigest()[:16]
    path = cache_dir() / f"basemap-{key}.json"
    try:
        return _json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    collection = basemap_collection(load_countries())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, _json.dumps(collection, separators=(",", ":")))
    except (GeomapError, OSError):
        pass  # a read-only cache only costs time
    return collection


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
