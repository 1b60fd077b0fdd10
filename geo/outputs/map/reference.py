"""The map's reference layer: capitals and major cities from the gazetteer's GeoNames source.

An air-gapped reader has only country outlines for a background; a few
well-known cities tell them where they are. Only names, coordinates and a
capital flag reach the page, names escaped like every other string.
"""
from __future__ import annotations

import functools
import logging
from typing import Sequence

from geo.outputs.escape import safe_text

log = logging.getLogger(__name__)

#: Cities of at least this many inhabitants are shown, and every capital.
MAJOR_POPULATION = 1_000_000
#: Most reference places embedded in one map.
MAX_REFERENCE = 400


@functools.lru_cache(maxsize=1)
def _major_cities() -> tuple[tuple[str, float, float, bool, int], ...]:
    """``(name, lat, lon, capital, population)`` of capitals and major cities, largest first."""
    try:
        from gazetteer.sources import geonames_cities

        cities = [c for c in geonames_cities(15000) if c.capital or c.population >= MAJOR_POPULATION]
    except (ImportError, OSError, ValueError) as exc:  # the map still builds without it
        log.warning("map reference layer left out: cannot read the GeoNames cities (%s)", exc)
        return ()
    cities.sort(key=lambda c: (not c.capital, -c.population, c.name, c.place_id))
    return tuple((c.name, round(c.lat, 3), round(c.lon, 3), bool(c.capital), c.population) for c in cities)


def reference_places(bounds: Sequence[Sequence[float]]) -> list[list]:
    """Capitals and major cities inside ``[[south, west], [north, east]]``, most important first.

    Returns ``[[escaped name, lat, lon, capital 0/1], ...]``, at most
    :data:`MAX_REFERENCE`.
    """
    (south, west), (north, east) = bounds
    out = []
    for name, lat, lon, capital, _ in _major_cities():
        if south <= lat <= north and west <= lon <= east:
            out.append([safe_text(name, 80), lat, lon, int(capital)])
            if len(out) >= MAX_REFERENCE:
                break
    return out
