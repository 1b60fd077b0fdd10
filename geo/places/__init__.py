"""The geoparser: article text -> place mentions resolved to gazetteer places.

Takes text; gives :class:`geocore.records.Mention` records (spot, candidates,
ranking, literal or metonymic use). May import ``geocore``, ``gazetteer`` and
``geo.text``.
"""
