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

from geo.outputs.atomic import fault_point
from geo.postures.consolidate import consolidate
from geocore.errors import ArticleError, InputError
from geocore.records import Article, Posture, Report

from geo.pipeline.cache import CACHE_NAME, article_key, extractor_version
from geo.pipeline.cache_use import open_cache
from geo.pipeline.extractor import NOMINATIM, make_extractor  # noqa: F401  (make_extractor is re-exported)
from geo.pipeline.lock import build_lock
from geo.pipeline.manifest import KNOWN_OUTPUTS, MANIFEST, build_key, make_manifest, read_manifest, write_manifest
from geo.pipeline.options import (EmptyBuildError, NothingToBuildError, check_cache, check_max_bytes,  # noqa: F401
                                  check_out)
from geo.pipeline.staging import Staging

FORMATS = ("geojson", "gpkg", "kml", "csv")

DEFAULT_INPUT = "seeds"
DEFAULT_OUT = "maps"


@dataclass
class BuildResult:
    """What a build produced.

    ``postures`` and ``reports`` are GeoDataFrames (EPSG:4326, the columns of
    posture.geojson and reports.geojson), so ``result.postures.explore()``
    works in a notebook; ``posture_records`` and ``report_records`` are the
    same as typed records; ``map`` is the folium map; ``skipped`` lists every
    input that was skipped, with the reason; ``inputs`` the (doc, sha256) of
    every article read.
    """

    posture_records: list[Posture]
    report_records: list[Report]
    skipped: list[ArticleError] = field(default_factory=list)
    n_articles: int = 0
    inputs: list[tuple[str, str]] = field(default_factory=list)
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
    def movements(self) -> list:
        """Movements (:class:`geo.outputs.movements.Movement`): origin and destination reports of one sentence."""
        from geo.outputs.movements import movements_of

        return movements_of(self.report_records)

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
    allow_empty: bool = False,
    follow_links: bool = False,
    on_wait: Optional[Callable[[str], None]] = None,
) -> BuildResult:
    """Build postures from articles and write the map and exports.

    Parameters
    ----------
    inputs : paths
        Files and/or folders (walked recursively) of .txt, .md and .html articles.
    out : path or None
        Output folder; ``None`` writes nothing (notebook use). The outputs are
        written into a staging folder and swapped in as one set with their
        ``build.json`` (see docs/reliability.md); a build that fails, or has
        nothing usable, leaves ``out`` as it was.
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
        An unusable cache is warned about and the build goes on without it.
    cache_path : path, optional
        The cache file; default ``<out>/.geomap-cache.sqlite`` (no cache when
        ``out`` is None and no path is given). Its folder must exist.
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
    allow_empty : bool
        Write an empty map when the articles hold no posture (else
        :class:`~geo.pipeline.options.EmptyBuildError`).
    follow_links : bool
        Read symbolic links that point out of an input folder (skipped otherwise).
    on_wait : callable, optional
        Called with a message when another build holds the lock of ``out``.

    Raises
    ------
    NothingToBuildError
        No input file or no readable article (``out`` untouched).
    EmptyBuildError
        No posture found and ``allow_empty`` is False (``out`` untouched).

    Examples
    --------
    >>> import geo
    >>> result = geo.build(["seeds"], out=None)        # doctest: +SKIP
    >>> result.postures.explore()                       # doctest: +SKIP
    """
    from geo.text.articles import DEFAULT_MAX_BYTES

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(f"unknown export format {unknown[0]!r}; use geojson, gpkg, kml or csv")
    if report_geometry not in ("full", "point"):
        raise InputError(f"report geometry {report_geometry!r} is not one of: full, point")
    check_max_bytes(max_bytes)
    check_cache(cache_path)
    missing = [str(p) for p in inputs if not os.path.lexists(p)]
    if missing and len(missing) == len(inputs):
        raise InputError(f"no such input: {missing[0]}; give a folder or files of .txt, .md or .html articles")
    if out is not None:
        check_out(out, inputs)
    if (extractor is not None or online_geocoder) and (scheduler is not None or (workers or 1) > 1):
        raise InputError("an injected extractor or the online geocoder runs in this process; "
                         "drop --workers/--scheduler to use it")
    if online_geocoder and extractor is None:
        extractor = make_extractor(gazetteer, online=online_geocoder, geocoder_cache=geocoder_cache)
    options = {"formats": [f for f in FORMATS if f in ("geojson", *formats)], "tiles": tiles,
               "max_bytes": max_bytes or DEFAULT_MAX_BYTES, "report_geometry": report_geometry,
               "allow_empty": bool(allow_empty), "follow_links": bool(follow_links),
               "metadata": metadata is not None}
    run = dict(inputs=inputs, missing=missing, metadata=metadata, options=options, on_article=on_article,
               extractor=extractor, gazetteer=gazetteer, cache=cache, workers=workers, scheduler=scheduler)
    if out is None:
        result = _run(cache_path=cache_path, fresh=None, **run)
        result.map = _map(result.posture_records, tiles, result.movements)
        return result
    out = Path(out)
    with build_lock(out, on_wait):
        try:
            earlier = read_manifest(out) if out.is_dir() else None
        except InputError:
            earlier = None  # a damaged manifest: its files are replaced all the same
        dropped = {*KNOWN_OUTPUTS, MANIFEST, *((earlier or {}).get("outputs") or {})}
        with Staging(out, dropped) as stage:
            # The default cache is geomap's own file: if it is unusable a new one
            # is started in the staging folder and the old one is not carried over.
            fresh = stage.dir / CACHE_NAME if cache_path is None and out.is_dir() else None
            if cache_path is None:
                cache_path = (out if out.is_dir() else stage.dir) / CACHE_NAME
            result = _run(cache_path=cache_path, fresh=fresh, **run)
            if fresh is not None and fresh.exists():
                stage.dropped |= {CACHE_NAME, f"{CACHE_NAME}-wal", f"{CACHE_NAME}-shm", f"{CACHE_NAME}-journal"}
            _check_usable(result, inputs, out, allow_empty)
            result.map = _map(result.posture_records, tiles, result.movements)
            versions = {"geomap": _geomap_version(), "extractor": extractor_version(extractor, gazetteer)}
            key = build_key(result.inputs, options, versions)
            written = write_outputs(result, stage.dir, options["formats"], report_geometry=report_geometry,
                                    build=key)
            fault_point("outputs:written")
            written[MANIFEST] = write_manifest(stage.dir, make_manifest(
                build=key, inputs=result.inputs, skipped=len(result.skipped), options=options,
                versions=versions, outputs=written))
            stage.commit()
            result.outputs = {name: out / name for name in written}
    return result


def _run(*, inputs, missing, metadata, options, on_article, extractor, gazetteer, cache, cache_path, fresh,
         workers, scheduler) -> BuildResult:
    """Read, extract (cached) and consolidate; nothing is written here but the cache."""
    from geo.text.articles import iter_articles

    skipped: list[ArticleError] = [ArticleError(p, "no such file or folder") for p in missing]
    kwargs = {"max_bytes": options["max_bytes"], "follow_links": options["follow_links"]}
    if metadata is not None:
        kwargs["metadata"] = metadata
    items = iter_articles([p for p in inputs if str(p) not in missing], **kwargs)
    # The extractor (and its gazetteer index, the largest object of a build) is
    # not kept past extraction: the map and the exports run without it.
    reports, n, read = _extract_all(items, skipped, on_article, extractor=extractor, gazetteer=gazetteer,
                                    cache=cache, cache_path=cache_path, fresh=fresh, workers=workers,
                                    scheduler=scheduler)
    fault_point("extract:done")
    reports = sort_reports(reports)
    return BuildResult(posture_records=consolidate(reports), report_records=reports, skipped=skipped,
                       n_articles=n, inputs=read)


def _check_usable(result: BuildResult, inputs, out: Path, allow_empty: bool) -> None:
    """Refuse a build with nothing usable: no article at all, or (without allow_empty) no posture."""
    where = ", ".join(str(p) for p in inputs)
    kept = f"{out} was left as it was"
    if result.n_articles == 0:
        files = [e for e in result.skipped if not str(e.problem).startswith("entry for ")]
        if not files:
            raise NothingToBuildError(f"nothing to build: no article files (.txt, .md, .html) in {where}; {kept}")
        raise NothingToBuildError(f"nothing to build: none of the {len(files)} input(s) in {where} is a readable "
                                  f"article (each is listed above with its reason); {kept}")
    if not result.posture_records and not allow_empty:
        raise EmptyBuildError(f"no posture found in the {result.n_articles} article(s) of {where}; {kept}; "
                              "pass --allow-empty to write an empty map")


def _geomap_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("geomap-posture")
    except metadata.PackageNotFoundError:
        return "unknown"


def _extract_all(items, skipped: list[ArticleError], on_article, *, extractor, gazetteer, cache: bool,
                 cache_path, fresh=None, workers, scheduler) -> tuple[list[Report], int, list[tuple[str, str]]]:
    """Reports of every article, from the cache or the engine, in input order; and (doc, sha256) of each."""
    from geo.pipeline.parallel import make_engine

    local = scheduler is None and (workers or 1) <= 1
    # Remote engines are checked against this version even without a cache.
    version = extractor_version(extractor, gazetteer) if (cache and cache_path is not None) or not local else None
    store = open_cache(cache_path, version, fresh) if cache and cache_path is not None and version else None
    factory = (lambda: extractor) if extractor is not None else None
    engine = make_engine(workers=workers, scheduler=scheduler, gazetteer=gazetteer, factory=factory, version=version)
    per_article: dict[int, list[Report]] = {}
    shared = _SharedGeometry()
    read: list[tuple[str, str]] = []
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
            read.append((item.doc, item.sha256 or ""))
            fault_point(f"article:{n}")
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
    return reports, n, read


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


def _map(postures: list[Posture], tiles: str, movements: Sequence = ()):
    from geo.outputs.map.basemap import cached_basemap
    from geo.outputs.map.page import build_map

    return build_map(postures, countries=cached_basemap(), tiles=tiles, movements=movements)


def write_outputs(result: BuildResult, out: Union[str, os.PathLike], formats: Sequence[str], *,
                  report_geometry: str = "full", build: Optional[str] = None) -> dict[str, Path]:
    """Write ``posture.html`` and every requested export into ``out`` (each file atomically).

    ``build`` is the build id the map page carries (``<meta name="geomap-build">``).
    """
    from geo.outputs.export import export
    from geo.outputs.map.page import save_map

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = dict(export(result.posture_records, result.report_records, out,
                          formats=tuple(dict.fromkeys(["geojson", *formats])), report_geometry=report_geometry,
                          movements=result.movements))
    save_map(result.map, out / "posture.html", build=build)
    written["posture.html"] = out / "posture.html"
    return written
