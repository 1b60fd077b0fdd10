"""geomap: news articles about military deployments -> force postures on a map.

The Python API mirrors the CLI::

    import geo
    result = geo.build(["seeds"], out="maps")      # like `geomap build`
    result.postures.explore()             # GeoDataFrame
    geo.extract("Russian troops left Kherson.")    # reports of one text
    geo.geoparse("Moscow said troops left Gyumri.")
"""
__version__ = "0.1.0"

# Load the submodules named like API functions first: importing a submodule later
# would rebind ``geo.extract`` / ``geo.geoparse`` to the module.
from . import extract as _extract_module, geoparse as _geoparse_module  # noqa: E402,F401
from .api import extract, geoparse, resolve  # noqa: E402
from .pipeline import BuildResult, build  # noqa: E402

__all__ = ["build", "BuildResult", "extract", "geoparse", "resolve", "__version__"]
