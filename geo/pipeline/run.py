"""The build: articles -> reports -> postures -> map and exports.

Everything ``geomap build`` does is :func:`build`; the CLI only parses
arguments and reports. Heavy parts (gazetteer, extractor) are injectable.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence, Union

from geo.postures.consolidate import consolidate
from geocore.errors import ArticleError, InputError
from geocore.records import Article, Posture, Report

from geo.pipeline.extractor import NOMINATIM, make_extractor  # noqa: F401  (make_extractor is re-exported)

DEFAULT_INPUT = "seeds"
DEFAULT_OUT = "maps"


@dataclass
class BuildResult:
    """What a build produced.

    ``postures`` and ``reports`` are GeoDataFrames (EPSG:4326, the columns of
    posture.geojson and reports.geojson), so ``result.postures.explore()``
    works in a notebook; ``posture_records`` and ``report_records`` are the
    same as typed records; ``map`` is the folium map; ``skipped`` lists every
    input that was skipped, with the reason.
    """

    posture_records: list[Posture]
    report_records: list[Report]
    skipped: list[ArticleError] = field(default_factory=list)
    n_articles: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    map: object = None
    _frames: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def postures(self):
        """Postures as a GeoDataFrame (one row per place)."""
        if "postures" not in self._frames:
            from geo.outputs.export import postures_frame

            self._frames["postures"] = postures_frame(self.posture_records)
        return self._frames["postures"]

    @property
    def reports(self):
        """Reports as a GeoDataFrame (one row per place and article)."""
        if "reports" not in self._frames:
            from geo.outputs.export import reports_frame

            self._frames["reports"] = reports_frame(self.report_records)
        return self._frames["reports"]


def sort_reports(reports: Iterable[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (r.place_id, r.published.isoformat() if r.published else "", r.doc))


def build(
    inputs: Sequence[Union[str, os.PathLike]] = (DEFAULT_INPUT,),
    out: Optional[Union[str, os.PathLike]] = DEFAULT_OUT,
    *,
    formats: Sequence[str] = ("geojson",),
    gazetteer: Sequence[Union[str, os.PathLike]] = (),
    extractor=None,
    tiles: str = "none",
    metadata: Optional[Union[str, os.PathLike]] = None,
    max_bytes: Optional[int] = None,
    on_article: Optional[Callable[[Union[Article, ArticleError]], None]] = None,
    cache: bool = True,
    cache_path: Optional[Union[str, os.PathLike]] = None,
    workers: Optional[int] = None,
    scheduler: Optional[object] = None,
    online_geocoder: Optional[str] = None,
    geocoder_cache: Optional[Union[str, os.PathLike]] = None,
    report_geometry: str = "full",
) -> BuildResult:
    """Build postures from articles and write the map and exports.

    Parameters
    ----------
    inputs : paths
        Files and/or folders (walked recursively) of .txt, .md and .html articles.
    out : path or None
        Output folder; ``None`` writes nothing (notebook use).
    formats : sequence of str
        Export formats besides the map: geojson, gpkg, kml, csv.
    gazetteer : paths
        User gazetteer files added to the built-in one.
    extractor : Extractor, optional
        Injected extractor (tests); built from ``gazetteer`` otherwise.
    on_article : callable, optional
        Called with each Article or ArticleError as it is processed (progress).
    cache : bool
        Reuse the reports of unchanged articles from the incremental cache
        (:mod:`geo.pipeline.cache`); only new or edited articles are extracted.
    cache_path : path, optional
        The cache file; default ``<out>/.geomap-cache.sqlite`` (no cache when
        ``out`` is None and no path is given).
    workers : int, optional
        Extract on this many local processes (:mod:`geo.pipeline.parallel`).
    scheduler : str or dask.distributed.Client, optional
        Extract on a Dask cluster at this address (``tcp://host:8786``).
        Output is byte-identical whichever engine runs.
    online_geocoder : str, optional
        Base URL of a Nominatim service for names the offline gazetteer lacks
        (off by default; runs in this process only).
    report_geometry : {"full", "point"}
        Geometry of the report layers in the exports: the place's own (default)
        or one point on it, which keeps large builds' files small.

    Examples
    --------
    >>> import geo
    >>> result = geo.build(["seeds"], out=None)        # doctest: +SKIP
    >>> result.postures.explore()                       # doctest: +SKIP
    """
    from geo.text.articles import DEFAULT_MAX_BYTES, iter_articles

    unknown = [f for f in formats if f not in ("geojson", "gpkg", "kml", "csv")]
    if unknown:
        raise InputError(f"unknown export format {unknown[0]!r}; use geojson, gpkg, kml or csv")
    if report_geometry not in ("full", "point"):
        raise InputError(f"report geometry {report_geometry!r} is not one of: full, point")
    missing = [str(p) for p in inputs if not Path(p).exists()]
    if missing and len(missing) == len(inputs):
        raise InputError(f"no such input: {missing[0]}; give a folder or files of .txt, .md or .html articles")
    if (extractor is not None or online_geocoder) and (scheduler is not None or (workers or 1) > 1):
        raise InputError("an injected extractor or the online geocoder runs in this process; "
                         "drop --workers/--scheduler to use it")
    if online_geocoder and extractor is None:
        extractor = make_extractor(gazetteer, online=online_geocoder, geocoder_cache=geocoder_cache)
    skipped: list[ArticleError] = [ArticleError(p, "no such file or folder") for p in missing]
    kwargs = {"max_bytes": max_bytes or DEFAULT_MAX_BYTES}
    if metadata is not None:
        kwargs["metadata"] = metadata
    items = iter_articles([p for p in inputs if str(p) not in missing], **kwargs)
    if out is not None:
        items = _outside(items, Path(out))
    # The extractor (and its gazetteer index, the largest object of a build) is
    # not kept past extraction: the map and the exports run without it.
    reports, n = _extract_all(items, skipped, on_article, extractor=extractor, gazetteer=gazetteer,
                                         cache=cache, cache_path=cache_path, out=out, workers=workers,
                                         scheduler=scheduler)
    reports = sort_reports(reports)
    postures = consolidate(reports)
    result = BuildResult(posture_records=postures, report_records=reports, skipped=skipped, n_articles=n)
    result.map = _map(postures, tiles)
    if out is not None:
        result.outputs = write_outputs(result, out, formats, report_geometry=report_geometry)
    return result


def _extract_all(items, skipped: list[ArticleError], on_article, *, extractor, gazetteer, cache: bool,
                 cache_path, out, workers, scheduler) -> tuple[list[Report], int]:
    """Reports of every article, from the cache or the engine, in input order."""
    from geo.pipeline.cache import CACHE_NAME, ReportCache, article_key, extractor_version
    from geo.pipeline.parallel import make_engine

    if cache_path is None and out is not None:
        cache_path = Path(out) / CACHE_NAME
    local = scheduler is None and (workers or 1) <= 1
    # Remote engines are checked against this version even without a cache.
    version = extractor_version(extractor, gazetteer) if (cache and cache_path is not None) or not local else None
    store = ReportCache(cache_path, version) if cache and cache_path is not None and version else None
    factory = (lambda: extractor) if extractor is not None else None
    engine = make_engine(workers=workers, scheduler=scheduler, gazetteer=gazetteer, factory=factory, version=version)
    per_article: dict[int, list[Report]] = {}
    shared = _SharedGeometry()
    n = 0

    def misses():
        nonlocal n
        for item in items:
            if on_article:
                on_article(item)
            if isinstance(item, ArticleError):
                skipped.append(item)
                continue
            seq, n = n, n + 1
            key = article_key(item) if store is not None else None
            got = store.get(item, key) if store is not None else None
            if got is not None:
                per_article[seq] = shared(got)
            else:
                yield (seq, key, item), item

    try:
        for (seq, key, article), found in engine.map(misses()):
            per_article[seq] = shared(found)
            if store is not None:
                store.put(article, found, key)
    finally:
        engine.close()
        if store is not None:
            store.close()
    reports = [r for seq in sorted(per_article) for r in per_article[seq]]
    return reports, n


class _SharedGeometry:
    """One geometry object per place across all reports.

    Reports read from the cache or sent back by workers each carry their own
    copy of their place's geometry; a country polygon repeated in thousands of
    reports would dominate memory. Within one build a place id has one geometry
    (the cache is keyed by the gazetteer version), so the first copy is kept.
    """

    def __init__(self) -> None:
        self._by_place: dict[str, object] = {}

    def __call__(self, reports: list[Report]) -> list[Report]:
        out = []
        for r in reports:
            if r.geometry is not None:
                kept = self._by_place.setdefault(r.place_id, r.geometry)
                if kept is not r.geometry:
                    r = dataclasses.replace(r, geometry=kept)
            out.append(r)
        return out


def _outside(items, out: Path):
    """Leave out whatever lies in the output folder: a build must not read its own outputs back."""
    out = out.resolve()
    for item in items:
        path = Path(getattr(item, "path", "") or "")
        try:
            inside = bool(str(path)) and path.resolve().is_relative_to(out)
        except (OSError, RuntimeError):  # a symlink loop: reported by the reader, not here
            inside = False
        if not inside:
            yield item


def _map(postures: list[Posture], tiles: str):
    from geo.outputs.map.basemap import cached_basemap
    from geo.outputs.map.page import build_map

    return build_map(postures, countries=cached_basemap(), tiles=tiles)


def write_outputs(result: BuildResult, out: Union[str, os.PathLike], formats: Sequence[str], *,
                  report_geometry: str = "full") -> dict[str, Path]:
    """Write ``posture.html`` and every requested export into ``out`` (atomically)."""
    from geo.outputs.export import export
    from geo.outputs.map.page import save_map

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = dict(export(result.posture_records, result.report_records, out,
                          formats=tuple(dict.fromkeys(["geojson", *formats])), report_geometry=report_geometry))
    save_map(result.map, out / "posture.html")
    written["posture.html"] = out / "posture.html"
    return written
