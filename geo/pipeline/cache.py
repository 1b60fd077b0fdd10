"""Incremental builds: per-article reports cached in an embedded SQLite database.

A rebuild only runs the extractor on articles it has not seen with the same
text, metadata and extractor version. The cache lives by default in
``<out>/.geomap-cache.sqlite`` (hidden, next to the outputs it speeds up);
``geomap build --no-cache`` bypasses it and deleting the file is always safe.

Key
    sha256 over the article text (what the extractor reads, so a change in the
    HTML/boilerplate reader also invalidates), the doc name and every metadata
    field a report carries (title, outlet, url, published, published_inferred).
Version
    :func:`extractor_version`: the gazetteer version (index sources and user
    gazetteer files) plus :func:`rules_version`, a hash of the source of the
    rule modules. Rows of any other version are deleted when the cache is
    opened, so a changed gazetteer or rule never serves a stale report.

Geometry by reference: a report's geometry is its place's, so it is stored
once per place (table ``geometries``), not once per report; a country polygon
named in thousands of articles takes one row, and the reports read back share
one geometry object.

Untrusted: the file is checked, never believed. A database that is not a
geomap cache (``PRAGMA application_id``) is never modified; every row carries
the sha256 of its data and is type-checked when read, so a damaged row is a
miss. Any SQLite error (a corrupt page, a read-only or immutable file) is a
:class:`~geocore.errors.DataFileError` naming the file; the build then warns
and goes on without the cache (:mod:`geo.pipeline.run`).

Durability: WAL journal, one transaction per article, so a killed build
(even SIGKILL) leaves every finished article usable and never a half-written
one. Only the build's main process writes (workers return results to it);
concurrent builds on the same file wait on SQLite's lock (``timeout``).
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import math
import os
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from geocore.errors import DataFileError
from geocore.records import STATUSES, Article, Report
from geo.outputs.atomic import fault_point

CACHE_NAME = ".geomap-cache.sqlite"
SCHEMA = 3  # 2: geometries stored once per place; 3: a digest per row
APPLICATION_ID = 0x67656F6D  # "geom": marks the file as a geomap build cache
# Modules whose code decides what an article's reports are.
RULE_MODULES = ("geo.postures.frame_extract", "geo.postures.frames", "geo.postures.clause", "geo.postures.roles",
                "geo.postures.force_phrases", "geo.postures.document", "geo.postures.syntax", "geo.postures.sites",
                "geo.postures.rulebook", "geo.places.geoparse", "geo.places.spotting", "geo.places.border_phrases",
                "geo.places.ranking", "geo.places.literalness", "geo.places.cues", "geo.text.sentences",
                "gazetteer.common_words")
_REPORT_FIELDS = tuple(Report.__dataclass_fields__)
_BY_PLACE = "@place"  # geometry field of a report whose geometry is in the geometries table


@functools.lru_cache(maxsize=1)
def rules_version() -> str:
    """Hash of the source of the extraction rule modules (computed once per process)."""
    h = hashlib.sha256()
    for name in RULE_MODULES:
        h.update(name.encode() + b"\0")
        h.update(Path(importlib.util.find_spec(name).origin).read_bytes())
    from geo.postures.rulebook import rules_digest
    from geo.postures.syntax import MODEL, MODEL_VERSION

    h.update(f"{rules_digest()}/{MODEL}/{MODEL_VERSION}".encode())  # the rule files and the parse model
    return h.hexdigest()[:16]


def gazetteer_version(files: Sequence[Union[str, os.PathLike]] = ()) -> str:
    """The version a ``Gazetteer.load(files)`` would have, without loading the index.

    Built on an empty index so the user-file part is computed by
    :class:`~gazetteer.index.Gazetteer` itself and cannot drift from it.
    """
    from gazetteer.index import Gazetteer, data_version
    from gazetteer.table import IndexData

    entries = []
    if files:
        from gazetteer import curated

        for f in files:
            entries.extend(curated.load_curated(f))
    return Gazetteer(IndexData(version=data_version()), entries).version


def extractor_version(extractor: Any = None, gazetteer: Sequence[Union[str, os.PathLike]] = ()) -> Optional[str]:
    """Gazetteer version + rules version of ``extractor`` (or of a default one over ``gazetteer``).

    None for an injected extractor without a gazetteer version (``extractor.g.version``):
    its results cannot be keyed safely, so they are not cached.
    """
    if extractor is None:
        return f"{gazetteer_version(gazetteer)}/{rules_version()}"
    gv = getattr(getattr(extractor, "g", None), "version", None)
    return f"{gv}/{rules_version()}" if isinstance(gv, str) else None


def article_key(article: Article) -> str:
    """Cache key of an article: its text and every field copied into its reports."""
    fields = [
        hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest(),
        article.doc, article.title, article.outlet, article.url,
        article.published.isoformat() if article.published else None, bool(article.published_inferred),
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=True).encode()).hexdigest()


# ------------------------------------------------------------ serialisation

def _geom_out(geom: Any) -> Optional[str]:
    if geom is None:
        return None
    import shapely

    return shapely.to_wkb(geom, hex=True)  # WKB keeps every coordinate bit, WKT would round


def _geom_in(value: Optional[str]) -> Any:
    if value is None:
        return None
    import shapely

    return shapely.from_wkb(value)


def dump_reports(reports: Iterable[Report], *, by_place: bool = False) -> str:
    """JSON text of ``reports`` (geometry as WKB hex, dates ISO).

    With ``by_place`` the geometry is written as a reference to the report's
    place, for :func:`load_reports` to look up.
    """
    rows = []
    for r in reports:
        row = {}
        for name in _REPORT_FIELDS:
            v = getattr(r, name)
            if name == "geometry":
                v = _BY_PLACE if by_place and v is not None else _geom_out(v)
            elif isinstance(v, date):
                v = v.isoformat()
            row[name] = v
        rows.append(row)
    return json.dumps(rows, ensure_ascii=True, separators=(",", ":"))  # ASCII: lone surrogates survive SQLite


def load_reports(text: str, geometry_of: Optional[Callable[[str], Any]] = None) -> list[Report]:
    """Inverse of :func:`dump_reports`: identical :class:`Report` records.

    ``geometry_of(place_id)`` resolves geometries written by reference.
    """
    out = []
    for row in json.loads(text):
        row = {k: v for k, v in row.items() if k in _REPORT_FIELDS}  # tolerate removed fields
        if row.get("published") is not None:
            row["published"] = date.fromisoformat(row["published"])
        geom = row.get("geometry")
        if geom == _BY_PLACE:
            if geometry_of is None:
                raise ValueError("a geometry is stored by place; give geometry_of")
            row["geometry"] = geometry_of(row["place_id"])
        else:
            row["geometry"] = _geom_in(geom)
        row["trigger_spans"] = tuple(tuple(span) for span in row.get("trigger_spans") or ())
        out.append(Report(**row))
    return out


class ForeignCacheError(DataFileError):
    """The cache path holds a database that is not a geomap build cache (never modified)."""


def _digest(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def row_schema(db: sqlite3.Connection) -> Optional[str]:
    """The schema number stored in ``db``'s meta table, None if it has none."""
    try:
        row = db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def check_report(r: Report) -> None:
    """Raise ValueError unless a report read back has the types a build relies on."""
    texts = (r.place_id, r.name, r.status, r.doc)
    if not all(isinstance(t, str) for t in texts) or r.status not in STATUSES:
        raise ValueError("malformed cached report")
    for v in (r.lat, r.lon):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError("malformed cached coordinates")


# ------------------------------------------------------------------ store

class ReportCache:
    """Per-article reports of one extractor version, in a SQLite file.

    Parameters
    ----------
    path : path
        The database file (created with its folder if missing).
    version : str
        Extractor version (:func:`extractor_version`); rows of other versions are pruned.
    timeout : float
        Seconds to wait for another build holding the write lock.

    Examples
    --------
    >>> with ReportCache("maps/.geomap-cache.sqlite", extractor_version()) as c:  # doctest: +SKIP
    ...     reports = c.get(article)            # None on a miss
    """

    def __init__(self, path: Union[str, os.PathLike], version: str, *, timeout: float = 30.0):
        self.path = Path(path)
        self.version = version
        self.hits = 0
        self.misses = 0
        self._geoms: dict[str, Any] = {}  # place id -> geometry, read or written in this session
        self._puts = 0
        self._db = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # builds check --cache first (options.check_cache)
            # isolation_level=None: we open transactions explicitly, one per write.
            self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
            self._claim()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: commits survive a process kill
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            if row_schema(self._db) not in (None, str(SCHEMA)):
                self._db.execute("DROP TABLE IF EXISTS reports")  # an older layout: start afresh
            self._db.execute("CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, version TEXT NOT NULL, "
                             "doc TEXT, data TEXT NOT NULL, digest TEXT NOT NULL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS geometries (place_id TEXT NOT NULL, version TEXT NOT NULL, "
                             "wkb TEXT NOT NULL, PRIMARY KEY (place_id, version))")
            row = self._db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            with self._tx():
                if row is None or row[0] != str(SCHEMA):
                    self._db.execute("DELETE FROM reports")
                    self._db.execute("DELETE FROM geometries")
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
                self._db.execute("DELETE FROM reports WHERE version != ?", (version,))
                self._db.execute("DELETE FROM geometries WHERE version != ?", (version,))
        except (sqlite3.DatabaseError, ForeignCacheError) as e:
            if self._db is not None:
                self._db.close()
            if isinstance(e, ForeignCacheError):
                raise
            raise DataFileError(f"{self.path}: cannot use the build cache ({e}); delete the file or use --no-cache") from e

    def _claim(self) -> None:
        """Mark a new file as a geomap cache; refuse (untouched) any other SQLite database."""
        app = self._db.execute("PRAGMA application_id").fetchone()[0]
        if app == APPLICATION_ID:
            return
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        older = app == 0 and tables <= {"meta", "reports", "geometries"} and row_schema(self._db) is not None
        if app != 0 or (tables and not older):
            raise ForeignCacheError(f"{self.path}: not a geomap build cache (another SQLite database); "
                                    "it was left untouched: give another --cache")
        self._db.execute(f"PRAGMA application_id={APPLICATION_ID}")

    def _tx(self):
        db = self._db

        class _T:
            def __enter__(self_):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self_, exc_type, exc, tb):
                db.execute("ROLLBACK" if exc_type else "COMMIT")
                return False

        return _T()

    def get(self, article: Article, key: Optional[str] = None) -> Optional[list[Report]]:
        """The cached reports of ``article``, or None on a miss."""
        key = key or article_key(article)
        try:
            row = self._db.execute("SELECT data, digest FROM reports WHERE key=? AND version=?",
                                   (key, self.version)).fetchone()
        except sqlite3.DatabaseError as e:
            raise DataFileError(f"{self.path}: cannot read the build cache ({e}); delete the file or use --no-cache") from e
        if row is None or not isinstance(row[0], str) or row[1] != _digest(row[0]):
            self.misses += 1
            return None
        try:
            reports = load_reports(row[0], self._geometry)
            for r in reports:
                check_report(r)
        except (ValueError, TypeError, KeyError, AttributeError, sqlite3.DatabaseError):
            self.misses += 1  # an unreadable row is recomputed and overwritten, never trusted
            return None
        self.hits += 1
        return reports

    def put(self, article: Article, reports: Sequence[Report], key: Optional[str] = None) -> None:
        """Store the reports of one article (its own transaction: all or nothing)."""
        key = key or article_key(article)
        data = dump_reports(reports, by_place=True)
        new_geoms = {}
        for r in reports:
            if r.geometry is not None and r.place_id not in self._geoms and r.place_id not in new_geoms:
                new_geoms[r.place_id] = r.geometry
        try:
            with self._tx():
                for pid, geom in new_geoms.items():
                    self._db.execute("INSERT OR IGNORE INTO geometries VALUES (?, ?, ?)",
                                     (pid, self.version, _geom_out(geom)))
                self._db.execute("INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?)",
                                 (key, self.version, article.doc, data, _digest(data)))
                self._puts += 1
                fault_point(f"cache:put:{self._puts}:before-commit")
        except sqlite3.DatabaseError as e:
            raise DataFileError(f"{self.path}: cannot write the build cache ({e}); use --no-cache") from e
        self._geoms.update(new_geoms)

    def _geometry(self, place_id: str) -> Any:
        """The stored geometry of a place (one shared object per place)."""
        geom = self._geoms.get(place_id)
        if geom is None:
            row = self._db.execute("SELECT wkb FROM geometries WHERE place_id=? AND version=?",
                                   (place_id, self.version)).fetchone()
            if row is None:
                raise KeyError(f"no stored geometry for {place_id}")
            geom = self._geoms[place_id] = _geom_in(row[0])
        return geom

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]

    def close(self) -> None:
        try:
            self._db.close()
        except sqlite3.DatabaseError:
            pass  # a damaged file: nothing of ours is left to save

    def __enter__(self) -> "ReportCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
