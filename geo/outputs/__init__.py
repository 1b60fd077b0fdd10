"""Outputs: postures and reports -> GeoJSON, GeoPackage, KML, CSV and the HTML map.

Takes :class:`geocore.records.Posture` and :class:`geocore.records.Report`
records, or frames read back from a build; gives files, written atomically.
Every format is written from one row model (:mod:`geo.outputs.rows`). May
import ``geocore`` and ``gazetteer`` (the basemap), never an extraction stage.
"""
