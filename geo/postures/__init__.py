"""Force postures: sentences and their places -> reports -> consolidated postures.

Takes :class:`geocore.records.Article` records and a geoparser; gives
:class:`geocore.records.Report` records (one per article and place) and
:class:`geocore.records.Posture` records (one per place). May import
``geocore``, ``gazetteer``, ``geo.text`` and ``geo.places``.
"""
