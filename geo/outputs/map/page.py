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
import re
import threading
import urllib.parse
from collections import Counter
from datetime import date, datetime
from typing import Any, Iterator, Optional, Sequence

import folium
import numpy as np
import shapely
from folium.utilities import JsCode
from shapely.geometry import Point, mapping

from geo.outputs.atomic import atomic_write
from geocore.errors import GeomapError, InputError
from geo.outputs.escape import highlight, safe_text, safe_url
from geo.outputs.map.assets import external_asset_urls, inline_assets
from geo.outputs.map.controls import GeomapControls
from geocore.records import STATUSES, Posture, Report
from geo.outputs.legend import STATUS_COLOURS, STATUS_DEFINITIONS

#: Most force (and actor) groups given their own layer; the rest share "other".
MAX_GROUPS = 12
#: Most reports listed in one popup (newest first); the rest are counted.
MAX_POPUP_REPORTS = 20
#: Most sources listed in the about panel.
MAX_SOURCES = 200
#: Decimal places kept for posture coordinates (~1 m) and basemap outlines (~1 km).
POSTURE_DECIMALS = 5
BASEMAP_DECIMALS = 2
BASEMAP_TOLERANCE = 0.02

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

_LABELS = {s: s.capitalize() for s in STATUSES}
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_TILE_PLACEHOLDER = re.compile(r"\{[a-z]\}")
_TILE_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*")
_BASE_PANE = "geomapBase"
# Fixed inline icons: no icon font or image file to ship.
_ICON_FULLSCREEN = (
    '<svg viewBox="0 0 16 16" fill="none" stroke="#333" stroke-width="2">'
    '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/></svg>'
)
_ICON_MEASURE = (
    '<svg viewBox="0 0 16 16" fill="none" stroke="#333" stroke-width="1.5">'
    '<path d="M1 11L11 1l4 4L5 15z M4 8l2 2 M6.5 5.5l1.5 1.5 M9 3l2 2"/></svg>'
)

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

_HOW_DECIDED = (
    "Each article sentence that names a place and a force is read for trigger words. "
    "<b>Withdrawn</b> needs a completed departure (left, pulled out, completed withdrawal); "
    "<b>withdrawing</b> covers announced, agreed, planned or ongoing withdrawals; "
    "<b>staying</b> covers deployments that remain, are extended or reinforced. "
    "A place takes the status of its most recently published report; when reports of that "
    "same date disagree the place is flagged as a conflict (dashed outline). "
    "Dates marked (inferred) were read from the article text, not its metadata."
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


def _iso(d: Any) -> str:
    """``YYYY-MM-DD`` for a date or datetime; "" when unknown."""
    if isinstance(d, datetime):
        return d.date().isoformat()
    if isinstance(d, date):
        return d.isoformat()
    return ""


def _check_status(status: Any, where: str) -> str:
    if status not in STATUSES:
        raise InputError(f"{where}: unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    return status


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


def _sorted_reports(p: Posture) -> list[Report]:
    """Reports newest first, undated last, ties broken by fixed fields."""
    return sorted(
        p.reports,
        key=lambda r: (
            _iso(r.published) == "",
            tuple(-ord(c) for c in _iso(r.published)),
            str(r.doc),
            str(r.status),
            str(r.evidence),
        ),
    )


def _history(p: Posture) -> list[list]:
    """Compact ``[[date, status index, conflict], ...]`` oldest first.

    Only dates and the fixed status vocabulary go here. Undated reports use
    "" (shown from the start); the latest entry carries the posture's own
    status and conflict flag so the map agrees with the posture stage.
    """
    by_day: dict[str, list[Report]] = {}
    for r in p.reports:
        _check_status(r.status, f"posture {p.place_id!r}, report from {r.doc!r}")
        by_day.setdefault(_iso(r.published), []).append(r)
    if not by_day:
        return [["", STATUSES.index(p.status), int(bool(p.conflict))]]
    hist = []
    for day in sorted(by_day):
        reports = by_day[day]
        # Highest confidence wins within a day; ties go to the status listed
        # first in STATUSES, so the choice never depends on report order.
        best = min(reports, key=lambda r: (-_num(r.confidence), STATUSES.index(r.status)))
        hist.append([day, STATUSES.index(best.status), int(len({r.status for r in reports}) > 1)])
    hist[-1][1] = STATUSES.index(p.status)
    hist[-1][2] = int(bool(p.conflict))
    return hist


def _num(x: Any) -> float:
    return float(x) if isinstance(x, (int, float)) and math.isfinite(x) else 0.0


def _source_label(r: Report) -> str:
    return r.outlet.strip() if isinstance(r.outlet, str) and r.outlet.strip() else str(r.doc)


def _report_row(r: Report) -> list:
    """One report as a compact row of escaped strings, dates and fixed codes.

    ``[source, date, inferred, status index, evidence HTML, url, doc, trigger,
    confidence]``; ``doc`` is null when it is also the source label. The page's
    fixed JavaScript assembles the popup from these rows; every string in them
    is already inert (:func:`safe_text`, :func:`highlight`, :func:`safe_url`).
    """
    source = _source_label(r)
    day = _iso(r.published)
    conf = round(float(r.confidence), 2) if isinstance(r.confidence, (int, float)) and math.isfinite(r.confidence) else None
    return [
        safe_text(source, 200),
        day,
        int(bool(day and r.published_inferred)),
        STATUSES.index(r.status),
        highlight(r.evidence, r.trigger_spans),
        safe_url(r.url),
        None if source == str(r.doc) else safe_text(r.doc, 200),
        safe_text(r.trigger, 200) if r.trigger else None,
        conf,
    ]


def _popup_data(p: Posture) -> dict:
    """Escaped name, description and report rows (newest first) of one place."""
    meta = [safe_text(p.feature_type, 100)]
    if p.country:
        meta.append(safe_text(p.country, 100))
    if p.force:
        meta.append("force: " + safe_text(p.force, 200))
    if p.actor:
        meta.append("actor: " + safe_text(p.actor, 200))
    reports = _sorted_reports(p)
    data = {"n": safe_text(p.name, 300), "m": " \u00b7 ".join(meta), "r": [_report_row(r) for r in reports[:MAX_POPUP_REPORTS]]}
    if len(reports) > MAX_POPUP_REPORTS:
        data["k"] = len(reports) - MAX_POPUP_REPORTS
    return data


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
    return {"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.3, "dashArray": dash}


def _feature(fid: int, p: Posture, geom: Any, hist: list) -> dict:
    props: dict[str, Any] = {"s": p.status, "c": int(bool(p.conflict)), "h": hist}
    props.update(_popup_data(p))
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


def _basemap(countries: Any, filled: bool = True) -> Optional[folium.GeoJson]:
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
        pane=_BASE_PANE,
    )


def _tile_layer(tiles: str) -> tuple[Optional[folium.TileLayer], str]:
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


def _bounds(geoms: Sequence[Any], countries_layer: Optional[folium.GeoJson]) -> list[list[float]]:
    if geoms:
        minx, miny, maxx, maxy = shapely.total_bounds(np.array(geoms, dtype=object))
    elif countries_layer is not None and countries_layer.data["features"]:
        (miny, minx), (maxy, maxx) = countries_layer.get_bounds()
    else:
        minx, miny, maxx, maxy = -30.0, -10.0, 60.0, 70.0
    pad = max(0.5, 0.1 * max(maxx - minx, maxy - miny))
    return [[max(miny - pad, -85.0), max(minx - pad, -180.0)], [min(maxy + pad, 85.0), min(maxx + pad, 180.0)]]


def _panels_html(
    *, title: str, postures: Sequence[Posture], counts: Counter, dates: list[str], initial: Optional[str],
    tiles_host: str,
) -> str:
    """Markup of the legend, search, tools, mouse and about panels (fixed text + escaped text)."""
    rows = []
    for s in STATUSES:
        colour = STATUS_COLOURS[s] if _HEX.fullmatch(STATUS_COLOURS[s]) else "#888888"
        rows.append(
            f'<tr><td><span class="gm-sw" style="background:{colour}"></span></td>'
            f'<td><b>{_LABELS[s]}</b> (<span id="gm-count-{s}">{counts[s]}</span>)'
            f'<div class="gm-def">{safe_text(STATUS_DEFINITIONS.get(s, ""), 300)}</div></td></tr>'
        )
    if dates:
        options = "".join(
            f'<option value="{d}"{" selected" if d == initial else ""}>{d}</option>' for d in dates
        )
    else:
        options = '<option value="" selected>undated reports</option>'
    legend = (
        f'<div id="gm-legend" class="gm-legend"><div class="gm-title">{safe_text(title, 200)}</div>'
        f'<div>As of <b id="gm-asof">{initial or "undated"}</b></div>'
        f'<table>{"".join(rows)}</table>'
        '<div class="gm-note">Circles: bases, cities, sites. Lines: borders and corridors. '
        "Areas: regions. Dashed outline: same-day reports disagree.</div>"
        '<div class="gm-time"><label for="gm-date">Show posture on </label>'
        f'<select id="gm-date">{options}</select></div></div>'
    )
    search = (
        '<div id="gm-search"><input id="gm-search-input" type="search" placeholder="Search place&hellip;" '
        'aria-label="Search place by name" autocomplete="off"><ul id="gm-search-results"></ul></div>'
    )
    tools = (
        '<div id="gm-tools"><a href="#" id="gm-fullscreen" title="Full screen" role="button" aria-label="Full screen">'
        f"{_ICON_FULLSCREEN}</a>"
        '<a href="#" id="gm-measure" title="Measure distance: click points on the map; click here again to stop" '
        f'role="button" aria-label="Measure distance">{_ICON_MEASURE}</a></div>'
        '<div id="gm-measure-box">Distance: <span id="gm-measure-out" class="gm-measure-out"></span></div>'
    )
    mouse = '<div id="gm-mouse">lat, lon</div>'

    sources = Counter(_source_label(r) for p in postures for r in p.reports)
    listed = sorted(sources.items(), key=lambda kv: kv[0])
    source_items = "".join(
        f"<li>{safe_text(name, 200)} ({n})</li>" for name, n in listed[:MAX_SOURCES]
    )
    if len(listed) > MAX_SOURCES:
        source_items += f"<li>&hellip; and {len(listed) - MAX_SOURCES} more</li>"
    n_reports = sum(len(p.reports) for p in postures)
    conflicts = sum(1 for p in postures if p.conflict)
    count_items = "".join(f"<li>{_LABELS[s]}: {counts[s]}</li>" for s in STATUSES)
    if tiles_host:
        privacy = (
            f"Online background tiles are loaded from {safe_text(tiles_host, 200)}: every pan and zoom "
            "sends the area being viewed to that host, revealing the area of interest."
        )
    else:
        privacy = (
            "No online tiles: this file loads nothing from the network; scripts, styles and "
            "country outlines are embedded."
        )
    about = (
        '<div id="gm-about-box"><a href="#" id="gm-about-toggle" role="button">About this map</a>'
        '<div id="gm-about" class="gm-about gm-hidden">'
        f"<h4>Counts</h4><ul>{count_items}<li>Places: {len(postures)}</li><li>Reports: {n_reports}</li>"
        f"<li>Places with conflicting reports: {conflicts}</li></ul>"
        f"<h4>How statuses are decided</h4><div>{_HOW_DECIDED}</div>"
        f"<h4>Sources</h4><ul>{source_items or '<li>none</li>'}</ul>"
        f"<h4>Network</h4><div>{privacy}</div></div></div>"
    )
    return legend + search + tools + mouse + about


def build_map(
    postures: list[Posture],
    *,
    countries: Any = None,
    tiles: str = "none",
    as_of: Optional[date] = None,
    title: str = "geomap posture",
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
        m = _build(list(postures), countries=countries, tiles=tiles, as_of=as_of, title=title)
    m._geomap_id_start = counter[0]
    return m


def _build(postures: list[Posture], *, countries: Any, tiles: str, as_of: Optional[date], title: str) -> folium.Map:
    for p in postures:
        _check_status(p.status, f"posture {p.place_id!r}")
    # Sort by fixed keys so the output never depends on input order.
    postures = sorted(postures, key=lambda p: (str(p.place_id), str(p.name), p.status))
    geoms = [_geometry(p) for p in postures]
    hists = [_history(p) for p in postures]

    tile_layer, tiles_host = _tile_layer(tiles)
    base = _basemap(countries, filled=tile_layer is None)
    m = folium.Map(tiles=None, control_scale=True, zoom_start=4, location=[0, 0], prefer_canvas=False)
    # Only Leaflet is needed, and it is inlined by save_map; drop folium's CDN links.
    m.default_js = []
    m.default_css = []
    m.get_root().title = safe_text(title, 100)
    if tile_layer is not None:
        tile_layer.add_to(m)
    folium.map.CustomPane(_BASE_PANE, z_index=350, pointer_events=False).add_to(m)
    if base is not None:
        base.add_to(m)

    counts = Counter(p.status for p in postures)
    status_layers = []
    for s in STATUSES:
        feats = [_feature(i, p, geoms[i], hists[i]) for i, p in enumerate(postures) if p.status == s]
        layer = _posture_layer(f"{_LABELS[s]} ({len(feats)})", feats, show=True)
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

    dates = sorted({h[0] for hist in hists for h in hist if h[0]})
    if as_of is not None:
        initial = _iso(as_of)
        if not initial:
            raise InputError(f"as_of: expected a date, got {as_of!r}")
        dates = sorted(set(dates) | {initial})
    else:
        initial = dates[-1] if dates else None
    cfg = {
        "statuses": list(STATUSES),
        "labels": _LABELS,
        "colours": {s: STATUS_COLOURS[s] for s in STATUSES},
        "dates": dates,
        "initial": initial,
        "undatedLabel": "undated",
        "bounds": _bounds(geoms, base),
        "groups": [idx for _, idx in group_layers],
    }
    panels = _panels_html(title=title, postures=postures, counts=counts, dates=dates, initial=initial,
                          tiles_host=tiles_host)
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


def render_map(m: folium.Map) -> str:
    """Render ``m`` to one self-contained HTML string (deterministic).

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
    return page


def save_map(m: folium.Map, path: Any) -> None:
    """Write the map as one self-contained HTML file, atomically."""
    atomic_write(path, render_map(m))
