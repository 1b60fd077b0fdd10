"""Offline worldwide gazetteer: GeoNames cities, airports, countries, borders and curated sites."""
