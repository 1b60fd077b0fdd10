"""Scoring: a build's reports against a gold file (strict and place P/R/F1, status accuracy).

Takes a gold JSON file and a reports GeoJSON; gives an evaluation result.
May import ``geocore`` only.
"""
