"""Exception hierarchy: one root, subclasses that also inherit the matching built-in."""
from __future__ import annotations


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class InputError(GeomapError, ValueError):
    """An input (article, metadata, argument) is malformed; the message says how to fix it."""


class ArticleError(InputError):
    """One article cannot be used; the build skips it and goes on.

    Parameters
    ----------
    path : str
        The file that was skipped.
    problem : str
        What is wrong and, where possible, what to do about it.
    """

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class GazetteerError(InputError):
    """A gazetteer file is malformed (names the file and the line or field)."""


class DataFileError(GeomapError, OSError):
    """A file could not be read or written."""
