"""geomap: news articles about military deployments -> force postures on a map."""
__version__ = "0.1.0"
