"""Records and errors shared by every layer of geomap.

Takes nothing, gives the typed records passed between stages
(:mod:`geocore.records`) and the exception hierarchy (:mod:`geocore.errors`).
May import nothing of the project: ``gazetteer`` and every stage of ``geo``
sit above it.
"""
