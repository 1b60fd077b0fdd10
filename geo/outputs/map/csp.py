"""The map page's Content-Security-Policy: only its own inlined scripts run.

:func:`with_policy` adds a ``<meta http-equiv="Content-Security-Policy">`` as
the first element of ``<head>``. ``script-src`` lists the sha256 of every
inline script the page was rendered with, so any other script (one smuggled
in by a payload that escaped the escaping, or added to the file later) is
refused by the browser; ``default-src 'none'`` blocks every network request
except the online tiles' host when ``--tiles`` asks for them. Styles stay
inline-allowed: Leaflet positions everything with style attributes.
"""
from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse
from typing import Optional

from geocore.errors import GeomapError

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
OSM_SOURCE = "https://tile.openstreetmap.org"


def tile_source(tiles: Optional[str]) -> str:
    """The CSP source of the tile server ``tiles`` names ('' when offline)."""
    if not tiles or tiles == "none":
        return ""
    if tiles == "osm":
        return OSM_SOURCE
    parts = urllib.parse.urlsplit(tiles)
    host = parts.netloc.rsplit("@", 1)[-1]
    host = re.sub(r"^\{[a-z]\}\.", "*.", host)  # {s}.tile.example.org: any subdomain
    if "{" in host or "}" in host:
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{host}"


def policy(page: str, tiles: Optional[str] = None) -> str:
    """The policy text for ``page``: its inline scripts by hash, nothing from the network but tiles."""
    hashes = []
    for m in _SCRIPT.finditer(page):
        if "src=" in m.group(1).lower():
            raise GeomapError("the map page has a script loaded from a file or URL; only inline scripts are allowed")
        digest = base64.b64encode(hashlib.sha256(m.group(2).encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    tile = tile_source(tiles)
    img = " ".join(filter(None, ["data:", "blob:", tile]))
    return "; ".join([
        "default-src 'none'",
        f"script-src {' '.join(dict.fromkeys(hashes)) or chr(39) + 'none' + chr(39)}",
        "style-src 'unsafe-inline'",
        f"img-src {img}",
        "font-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def with_policy(page: str, tiles: Optional[str] = None, build: Optional[str] = None) -> str:
    """``page`` with its policy (and the build id, when given) at the top of ``<head>``."""
    if _HANDLER.search(page):
        raise GeomapError("the map page has an inline event handler; the policy would block it")
    head = _HEAD.search(page)
    if head is None:
        raise GeomapError("the map page has no <head> to put its Content-Security-Policy in")
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy(page, tiles)}">'
    if build:
        meta += f'\n    <meta name="geomap-build" content="{re.sub(r"[^0-9a-f]", "", build)}">'
    return page[:head.end()] + meta + page[head.end():]
