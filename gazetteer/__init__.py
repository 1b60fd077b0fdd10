"""Offline worldwide gazetteer: GeoNames cities, airports, countries, borders and curated sites.

``from gazetteer import Gazetteer`` works; the import is lazy so that
``geo`` and ``gazetteer`` can import each other's records without a cycle.
"""

__all__ = ["Gazetteer", "load_index"]


def __getattr__(name):
    if name in __all__:
        from . import index

        return getattr(index, name)
    raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")
