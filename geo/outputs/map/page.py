"""The posture map: a self-contained, layered, sourced folium map.

One GeoJSON layer per status (staying, withdrawing, withdrawn), extra layers
grouped by force and by actor (off by default), an embedded country-outline
basemap, a legend with a time control, search, measuring and an about panel.
Every string from an article goes through :mod:`geo.outputs.escape`; every script and
stylesheet is inlined (:mod:`geo.outputs.map.assets`), so the HTML opens offline.
"""
from __future__ import annotations

import contextlib
import math
import threading
from collections import Counter
from datetime import date
from typing import Any, Iterator, Optional, Sequence

import folium
import numpy as np
import shapely
from folium.utilities import JsCode
from shapely.geometry import Point, mapping

from geo.outputs.atomic import atomic_write
from geocore.errors import GeomapError, InputError
from geo.outputs.escape import safe_text
from geo.outputs.map.arrows import movement_rows
from geo.outputs.map.assets import external_asset_urls, inline_assets
from geo.outputs.map.basemap import BASE_PANE, basemap_layer, tile_layer
from geo.outputs.map.controls import GeomapControls
from geo.outputs.map.csp import with_policy
from geo.outputs.map.panels import STATUS_LABELS, panels_html
from geo.outputs.map.feed import feed_html, report_table
from geo.outputs.map.outlines import outline_layers, reference_outlines
from geo.outputs.map.reference import reference_places
from geo.outputs.map.popups import MAX_POPUP_REPORTS, check_status, history, iso_date, popup_data, sorted_reports
from geocore.records import STATUSES, Posture
from geo.outputs.legend import STATUS_COLOURS, STATUS_SHAPES

#: Most force (and actor) groups given their own layer; the rest share "other".
MAX_GROUPS = 12
#: Decimal places kept for posture coordinates (~1 m) and basemap outlines (~1 km).
POSTURE_DECIMALS = 5
#: Fill of area postures: light enough that the basemap and sites read through.
AREA_FILL_OPACITY = 0.08


# Fixed JS bound to every feature: popup and tooltip content are looked up
# lazily from the escaped strings in the status layers' GeoJSON data.
_ON_EACH_FEATURE = JsCode(
    """function (feature, layer) {
        layer.bindPopup(function () { return window.geomap ? window.geomap.popup(feature.id) : ""; },
                        {maxWidth: 460, maxHeight: 380});
        layer.bindTooltip(function () { return window.geomap ? window.geomap.name(feature.id) : ""; },
                          {sticky: true});
    }"""
)


_ID_LOCK = threading.RLock()


@contextlib.contextmanager
def _deterministic_ids(counter: list[int]) -> Iterator[None]:
    """Make branca element ids a counter instead of random bytes while active.

    branca 0.8.2 draws every element id from ``Element._generate_id``; ids end
    up in JS variable and HTML element names, so random ids would make every
    build of the same map differ.
    """
    from branca.element import Element as _BrancaElement

    def _next_id(cls) -> str:
        counter[0] += 1
        return f"{counter[0]:06d}"

    with _ID_LOCK:
        original = _BrancaElement.__dict__["_generate_id"]
        _BrancaElement._generate_id = classmethod(_next_id)
        try:
            yield
        finally:
            _BrancaElement._generate_id = original


def _geometry(p: Posture) -> Any:
    """The posture's shapely geometry in lon/lat, coordinates rounded."""
    geom = p.geometry
    if geom is None or getattr(geom, "is_empty", True):
        if not (isinstance(p.lat, (int, float)) and isinstance(p.lon, (int, float))) or not (
            math.isfinite(p.lat) and math.isfinite(p.lon) and -90 <= p.lat <= 90 and -180 <= p.lon <= 180
        ):
            raise InputError(f"posture {p.place_id!r}: invalid coordinates lat={p.lat!r} lon={p.lon!r}")
        geom = Point(p.lon, p.lat)
    elif not isinstance(geom, shapely.Geometry):
        raise InputError(f"posture {p.place_id!r}: geometry is {type(geom).__name__}, expected a shapely geometry")
    return shapely.transform(geom, lambda xy: np.round(xy, POSTURE_DECIMALS))


def _style(feature: dict) -> dict:
    """Style from the fixed vocabulary only: status, conflict flag, geometry type."""
    props = feature["properties"]
    colour = STATUS_COLOURS[props["s"]]
    dash = "6 4" if props["c"] else None
    kind = feature["geometry"]["type"]
    if kind in ("Point", "MultiPoint"):
        return {"fillColor": colour, "color": "#222222", "weight": 1.5, "fillOpacity": 0.9,
                "dashArray": "3 2" if dash else None}
    if kind in ("LineString", "MultiLineString"):
        return {"color": colour, "weight": 4, "opacity": 0.9, "dashArray": dash}
    # Areas are outlines with only a faint tint: a country or region must never
    # hide the sites and lines inside it (those draw above it anyway).
    return {"color": colour, "weight": 2.5, "fillColor": colour, "fillOpacity": AREA_FILL_OPACITY, "dashArray": dash}


def _feature(fid: int, p: Posture, geom: Any, hist: list, rows: list[int]) -> dict:
    props: dict[str, Any] = {"s": p.status, "c": int(bool(p.conflict)), "h": hist}
    props.update(popup_data(p))
    props["r"] = rows  # the place's rows of the report table, newest first
    return {"type": "Feature", "id": fid, "geometry": mapping(geom), "properties": props}


def _posture_layer(name: str, features: list[dict], show: bool) -> folium.GeoJson:
    marker = folium.CircleMarker(radius=7, fill_color="#888888", weight=1.5, fill_opacity=0.9)
    # Points in the marker pane stay above every line and area, so they remain clickable.
    marker.options["pane"] = "markerPane"
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        show=show,
        overlay=True,
        control=True,
        style_function=_style,
        marker=marker,
        on_each_feature=_ON_EACH_FEATURE,
    )


def _groups(postures: Sequence[Posture], attr: str) -> list[tuple[str, list[int]]]:
    """``(label, posture indices)`` for the largest groups, then "other"."""
    members: dict[str, list[int]] = {}
    for i, p in enumerate(postures):
        value = getattr(p, attr)
        if isinstance(value, str) and value.strip():
            members.setdefault(" ".join(value.split()), []).append(i)
    ranked = sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    out = [(label, idx) for label, idx in ranked[:MAX_GROUPS]]
    rest = sorted(i for _, idx in ranked[MAX_GROUPS:] for i in idx)
    if rest:
        out.append(("other", rest))
    return out


def _padded(bounds: list[list[float]]) -> list[list[float]]:
    """``bounds`` grown by half its size each way: the reference places a reader may pan to."""
    (s, w), (n, e) = bounds
    dy, dx = (n - s) / 2, (e - w) / 2
    return [[max(s - dy, -90.0), max(w - dx, -180.0)], [min(n + dy, 90.0), min(e + dx, 180.0)]]


def _rank(postures: Sequence[Posture], hists: Sequence[list]) -> list[int]:
    """Feature ids, most important first: most reports, then latest reported, then id."""
    def key(i: int) -> tuple:
        last = hists[i][-1][0]
        return (-len(postures[i].reports), tuple(-ord(c) for c in last), i)
    return sorted(range(len(postures)), key=key)


def _bounds(geoms: Sequence[Any], countries_layer: Optional[folium.GeoJson]) -> list[list[float]]:
    if geoms:
        minx, miny, maxx, maxy = shapely.total_bounds(np.array(geoms, dtype=object))
    elif countries_layer is not None and countries_layer.data["features"]:
        (miny, minx), (maxy, maxx) = countries_layer.get_bounds()
    else:
        minx, miny, maxx, maxy = -30.0, -10.0, 60.0, 70.0
    pad = max(0.5, 0.1 * max(maxx - minx, maxy - miny))
    return [[max(miny - pad, -85.0), max(minx - pad, -180.0)], [min(maxy + pad, 85.0), min(maxx + pad, 180.0)]]


def build_map(
    postures: list[Posture],
    *,
    countries: Any = None,
    tiles: str = "none",
    as_of: Optional[date] = None,
    title: str = "geomap posture",
    reference: Optional[bool] = None,
    movements: Sequence[Any] = (),
) -> folium.Map:
    """Build the posture map.

    Parameters
    ----------
    postures : list of geocore.records.Posture
        One per place; ``reports`` holds its history.
    countries : geopandas.GeoDataFrame, optional
        Country outlines drawn as the embedded basemap.
    tiles : str
        ``"none"`` (default, fully offline), ``"osm"`` or an http(s) URL
        template with ``{z}``, ``{x}``, ``{y}``.
    as_of : datetime.date, optional
        Date shown first in the time control; default: the latest report date.
    title : str
        Legend and page title.
    reference : bool, optional
        Draw capitals and major cities (GeoNames), first-level division
        boundaries and big lakes (Natural Earth) around the postures for
        orientation; by default only when ``countries`` gives a basemap.
    movements : sequence of geo.outputs.movements.Movement
        Drawn as curved arrows, origin to destination, in their own layer.

    Returns
    -------
    folium.Map
        Write it with :func:`save_map`, which inlines the assets.

    Raises
    ------
    InputError
        Unknown status, invalid coordinates or geometry, bad ``tiles``.
    """
    counter = [0]
    with _deterministic_ids(counter):
        m = _build(list(postures), countries=countries, tiles=tiles, as_of=as_of, title=title,
                   reference=countries is not None if reference is None else reference, movements=movements)
    m._geomap_id_start = counter[0]
    return m


def _build(postures: list[Posture], *, countries: Any, tiles: str, as_of: Optional[date], title: str,
           reference: bool, movements: Sequence[Any]) -> folium.Map:
    for p in postures:
        check_status(p.status, f"posture {p.place_id!r}")
    # Sort by fixed keys so the output never depends on input order.
    postures = sorted(postures, key=lambda p: (str(p.place_id), str(p.name), p.status))
    geoms = [_geometry(p) for p in postures]
    hists = [history(p) for p in postures]
    table = report_table(postures, [sorted_reports(p) for p in postures])

    tiles_layer, tiles_host = tile_layer(tiles)
    base = basemap_layer(countries, filled=tiles_layer is None)
    m = folium.Map(tiles=None, control_scale=True, zoom_start=4, location=[0, 0], prefer_canvas=False)
    m._geomap_tiles = tiles  # the Content-Security-Policy allows this tile host only
    # Only Leaflet is needed, and it is inlined by save_map; drop folium's CDN links.
    m.default_js = []
    m.default_css = []
    m.get_root().title = safe_text(title, 100)
    if tiles_layer is not None:
        tiles_layer.add_to(m)
    folium.map.CustomPane(BASE_PANE, z_index=350, pointer_events=False).add_to(m)
    if base is not None:
        base.add_to(m)
    moves = movement_rows(movements)
    bounds = _bounds(geoms + [Point(r[k + 1], r[k]) for r in moves for k in (0, 2)], base)
    if reference:
        # Provinces and lakes around the postures, in the basemap pane over the countries.
        for layer in outline_layers(reference_outlines(_padded(bounds)), water=tiles_layer is None):
            layer.add_to(m)

    counts = Counter(p.status for p in postures)
    status_layers = []
    for s in STATUSES:
        feats = [_feature(i, p, geoms[i], hists[i], table["by_place"][i]) for i, p in enumerate(postures) if p.status == s]
        layer = _posture_layer(f"{STATUS_LABELS[s]} ({len(feats)})", feats, show=True)
        layer.add_to(m)
        status_layers.append((s, layer.get_name()))
    group_layers = []
    for attr, prefix in (("force_type", "Force"), ("actor", "Actor")):
        for label, idx in _groups(postures, attr):
            # Empty here: the page fills each group from the status layers'
            # features (ids listed in the config) instead of a second copy.
            layer = _posture_layer(f"{prefix}: {safe_text(label, 40)} ({len(idx)})", [], show=False)
            layer.add_to(m)
            group_layers.append((layer.get_name(), idx))
    control = folium.LayerControl(collapsed=False, position="topright").add_to(m)

    dates = sorted({h[0] for hist in hists for h in hist if h[0]} | {r[7] for r in moves if r[7]})
    if as_of is not None:
        initial = iso_date(as_of)
        if not initial:
            raise InputError(f"as_of: expected a date, got {as_of!r}")
        dates = sorted(set(dates) | {initial})
    else:
        initial = dates[-1] if dates else None
    cfg = {
        "statuses": list(STATUSES),
        "labels": STATUS_LABELS,
        "colours": {s: STATUS_COLOURS[s] for s in STATUSES},
        "shapes": {s: STATUS_SHAPES[s] for s in STATUSES},
        "dates": dates,
        "initial": initial,
        "undatedLabel": "undated",
        "bounds": bounds,
        "ref": reference_places(_padded(bounds)) if reference else [],
        "groups": [idx for _, idx in group_layers],
        "popupMax": MAX_POPUP_REPORTS,
        "reports": table["rows"],
        "outlets": table["outlets"],
        "forces": table["forces"],
        "actors": table["actors"],
        "rank": _rank(postures, hists),
        "moves": moves,
    }
    panels = panels_html(title=title, postures=postures, counts=counts, dates=dates, initial=initial,
                          tiles_host=tiles_host) + feed_html(table)
    GeomapControls(
        map_name=m.get_name(),
        layer_control=control.get_name(),
        status_layers=status_layers,
        group_layers=[name for name, _ in group_layers],
        cfg=cfg,
        colours={s: STATUS_COLOURS[s] for s in STATUSES},
        panels_html=panels,
    ).add_to(m)
    return m


def render_map(m: folium.Map, build: Optional[str] = None) -> str:
    """Render ``m`` to one self-contained HTML string (deterministic).

    The page carries a Content-Security-Policy that lets only its own inline
    scripts run (:mod:`geo.outputs.map.csp`), and ``build`` (the build id of
    ``build.json``) in ``<meta name="geomap-build">``.

    Raises
    ------
    GeomapError
        If anything on the page would still load a script or stylesheet from the network.
    """
    # Restart from the same counter on every render so saving twice gives the same bytes.
    counter = [getattr(m, "_geomap_id_start", 0) + 1_000_000]
    with _deterministic_ids(counter):
        figure = m.get_root()
        inline_assets(figure)
        page = figure.render()
    external = external_asset_urls(page)
    if external:
        raise GeomapError(f"the map would load assets from the network: {', '.join(external)}")
    return with_policy(page, getattr(m, "_geomap_tiles", None), build)


def save_map(m: folium.Map, path: Any, build: Optional[str] = None) -> None:
    """Write the map as one self-contained HTML file, atomically."""
    atomic_write(path, render_map(m, build))
