"""Offline worldwide gazetteer: GeoNames cities, airports, countries, borders and curated sites."""
from .index import Gazetteer, load_index  # noqa: F401

__all__ = ["Gazetteer", "load_index"]
