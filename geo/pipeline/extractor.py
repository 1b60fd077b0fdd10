"""The extractor a build uses: the gazetteer index, user gazetteer files and the optional online geocoder."""
from __future__ import annotations

import os
from typing import Optional, Sequence, Union

from geocore.errors import InputError

NOMINATIM = "https://nominatim.openstreetmap.org"


def make_extractor(gazetteer_files: Sequence[Union[str, os.PathLike]] = (), online: Optional[str] = None,
                   geocoder_cache: Optional[Union[str, os.PathLike]] = None):
    """A :class:`~geo.postures.frame_extract.FrameExtractor` over the default index plus user files.

    ``online`` is the base URL of a Nominatim service to ask about names the
    offline index lacks (rate-limited, cached on disk); None keeps geomap offline.
    """
    from urllib.parse import urlsplit

    from gazetteer.index import Gazetteer

    from geo.postures.frame_extract import FrameExtractor
    from geo.places.geoparse import Geoparser

    g = Gazetteer.load(gazetteer_files)
    fallback = None
    if online:
        from gazetteer.online import OnlineGeocoder, make_fallback

        url = urlsplit(online if "://" in online else f"https://{online}")
        if url.scheme not in ("http", "https") or not url.netloc:
            raise InputError(f"--geocoder-url {online!r} is not an http(s) URL; give e.g. {NOMINATIM}")
        fallback = make_fallback(OnlineGeocoder(domain=url.netloc + url.path.rstrip("/"), scheme=url.scheme,
                                                cache_path=geocoder_cache))
        g.version += f"+online:{url.netloc}"  # online answers change results: a cache key of their own
    return FrameExtractor(Geoparser(g, fallback=fallback))
