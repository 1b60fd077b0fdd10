"""The self-contained HTML map (folium and Leaflet, every asset inlined).

Takes posture records; gives one HTML file. May import ``geocore``,
``gazetteer`` and the rest of ``geo.outputs``.
"""
