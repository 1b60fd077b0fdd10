"""The build cache as a build uses it: any failure is a warning, never a failed build.

A corrupt, truncated, read-only, immutable or foreign cache file (see
:mod:`geo.pipeline.cache`) is reported once, naming the file, and the build
goes on without it: every article is extracted afresh, so the results are
the same as with ``--no-cache``.
"""
from __future__ import annotations

import logging
import os
from typing import Optional, Sequence, Union

from geocore.errors import DataFileError
from geocore.records import Article, Report

from geo.pipeline.cache import ReportCache

log = logging.getLogger(__name__)


class SafeCache:
    """A :class:`ReportCache` that turns itself off (with one warning) at its first error.

    With ``fresh`` (a path) it starts a new cache there instead, once.
    """

    def __init__(self, store: ReportCache, fresh: Optional[Union[str, os.PathLike]] = None):
        self.store: Optional[ReportCache] = store
        self.fresh = fresh

    def _off(self, err: DataFileError) -> None:
        store, self.store = self.store, None
        if store is not None:
            store.close()
        if self.fresh is not None and store is not None:
            fresh, self.fresh = self.fresh, None
            log.warning("%s; starting a new cache (the old file is dropped with the old outputs)", err)
            try:
                self.store = ReportCache(fresh, store.version)
                return
            except DataFileError as again:
                err = again
        log.warning("%s; going on without the cache", err)

    def get(self, article: Article, key: Optional[str] = None) -> Optional[list[Report]]:
        """Cached reports, or None on a miss or once the cache is off."""
        if self.store is None:
            return None
        try:
            return self.store.get(article, key)
        except DataFileError as err:
            self._off(err)
            return None

    def put(self, article: Article, reports: Sequence[Report], key: Optional[str] = None) -> None:
        """Store reports; a failure turns the cache off."""
        if self.store is None:
            return
        try:
            self.store.put(article, reports, key)
        except DataFileError as err:
            self._off(err)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def open_cache(path: Union[str, os.PathLike], version: str,
               fresh: Optional[Union[str, os.PathLike]] = None) -> Optional[SafeCache]:
    """The cache at ``path``, or None (with a warning naming the file) if it cannot be used.

    ``fresh``: where to start a new cache instead (the default cache is
    rebuilt; a ``--cache`` file given by the user is never replaced).
    """
    try:
        return SafeCache(ReportCache(path, version), fresh)
    except DataFileError as err:
        if fresh is None:
            log.warning("%s; building without the cache", err)
            return None
        log.warning("%s; starting a new cache (the old file is dropped with the old outputs)", err)
    try:
        return SafeCache(ReportCache(fresh, version))
    except DataFileError as err:
        log.warning("%s; building without the cache", err)
        return None
