"""Inline the map's JavaScript and CSS so the HTML works on an air-gapped machine.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. The map
needs only Leaflet (its own controls are plain Leaflet code), which is taken
from the ``xstatic-leaflet`` package installed from PyPI; nothing is copied
into this repository and nothing is fetched at run time.
"""
from __future__ import annotations

import base64
import functools
import importlib.resources
import re
from pathlib import Path

from branca.element import Element, Figure

from geocore.errors import DataFileError

_CSS_URL = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=.*?\*/")
# A <script src=...> or <link href=...> pointing at the network (http, https or
# protocol-relative); tile URLs live inside JS strings, not in these tags.
# branca renders macro output a second time as Jinja, so a static file must
# hold nothing Jinja would read as a tag; and inline code must not be able to
# close its own <script>/<style> element.
_JINJA_TAG = re.compile(r"\{[{%#]")
_CLOSE_TAG = re.compile(r"</(script|style)", re.IGNORECASE)
_EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe|embed|object|source)\b[^>]*?\b(?:src|href)\s*=\s*['\"]?\s*((?:https?:)?//[^'\"\s>]+)",
    re.IGNORECASE,
)


def _leaflet_dir() -> Path:
    """Folder holding leaflet.js and leaflet.css from the xstatic-leaflet package."""
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise DataFileError(
            "the map needs the 'xstatic-leaflet' package for an offline copy of Leaflet: pip install xstatic-leaflet"
        ) from exc
    return Path(xleaflet.BASE_DIR)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read map asset: {exc}") from exc


@functools.lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Return ``(javascript, css)`` of Leaflet, ready to inline.

    CSS image references become ``data:`` URIs so the layer-control icon shows
    without any file next to the HTML; source-map comments are dropped so
    developer tools do not try to fetch them.
    """
    base = _leaflet_dir()
    js = _SOURCE_MAP.sub("", _read(base / "leaflet.js"))
    css = _CSS_SOURCE_MAP.sub("", _read(base / "leaflet.css"))

    def _data_uri(match: re.Match) -> str:
        img = base / match.group(2)
        try:
            payload = base64.b64encode(img.read_bytes()).decode("ascii")
        except OSError as exc:
            raise DataFileError(f"{img}: cannot read map asset: {exc}") from exc
        return f"url(data:image/png;base64,{payload})"

    css = _CSS_URL.sub(_data_uri, css)
    # Inline code must not be able to close its own <script>/<style> element.
    if _CLOSE_TAG.search(js + css):
        raise DataFileError(f"{base}: Leaflet asset contains a closing script/style tag; cannot inline it")
    return js, css


@functools.lru_cache(maxsize=None)
def static_asset(name: str) -> str:
    """Return the text of the map's own ``static/<name>`` (JS or CSS), ready to inline.

    Raises
    ------
    DataFileError
        If the file cannot be read, or holds a Jinja tag or a closing
        script/style tag that would break the page it is inlined into.
    """
    ref = importlib.resources.files("geo.outputs.map").joinpath("static", name)
    try:
        text = ref.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"{ref}: cannot read map asset: {exc}") from exc
    return inlinable(text, str(ref))


def inlinable(text: str, where: str) -> str:
    """Return ``text`` unchanged if it can be inlined, else raise naming ``where``."""
    bad = _JINJA_TAG.search(text) or _CLOSE_TAG.search(text)
    if bad:
        raise DataFileError(f"{where}: map asset contains {bad.group(0)!r} at offset {bad.start()}; cannot inline it")
    return text


class InlineAssets(Element):
    """Header element carrying Leaflet's JS and CSS inline."""

    _template_str_fixed = "<style>{{ this.css }}</style>\n<script>{{ this.js }}</script>\n"

    def __init__(self):
        super().__init__(template=self._template_str_fixed)
        self._name = "InlineAssets"
        self.js, self.css = leaflet_assets()


def inline_assets(figure: Figure) -> None:
    """Put Leaflet in ``figure``'s header right after the charset declaration.

    The charset ``<meta>`` must stay within the page's first bytes, and
    Leaflet's CSS must come before folium's styles that override it.
    """
    keys = [k for k in figure.header._children if k != "geomap_inline_assets"]
    index = keys.index("meta_http") + 1 if "meta_http" in keys else 0
    figure.header.add_child(InlineAssets(), name="geomap_inline_assets", index=index)


def external_asset_urls(page: str) -> list[str]:
    """Return every network URL a script, stylesheet or embed would load from ``page``."""
    return sorted(set(_EXTERNAL.findall(page)))
