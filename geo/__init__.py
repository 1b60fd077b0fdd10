"""geomap: news articles about military deployments -> force postures on a map.

The Python API mirrors the CLI::

    import geo
    result = geo.build(["seeds"], out="maps")      # like `geomap build`
    result.postures.explore()             # GeoDataFrame
    geo.extract("Russian troops left Kherson.")    # reports of one text
    geo.geoparse("Moscow said troops left Gyumri.")

The stages are subpackages, and imports point one way (down this list):

========================  ==================================================
``geocore``               records and errors (imports nothing of the project)
``gazetteer``             offline gazetteer: sources, index, curated data
``geo.text``              input files -> article text, metadata, sentences
``geo.places``            text -> place mentions resolved to the gazetteer
``geo.postures``          sentences and places -> reports -> postures
``geo.outputs``           postures and reports -> GIS files and the HTML map
``geo.pipeline``          the build: cache, workers, outputs (on top)
``geo.evaluation``        scoring reports against gold files
``geo.api``, ``geo.cli``  the public surface: thin
========================  ==================================================
"""
__version__ = "0.1.0"

from geo.api import extract, geoparse, resolve  # noqa: E402
from geo.pipeline.run import BuildResult, build  # noqa: E402

__all__ = ["build", "BuildResult", "extract", "geoparse", "resolve", "__version__"]
