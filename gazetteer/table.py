"""The columnar place table of the compiled index: rows, name keys and lookup aids.

:class:`IndexData` holds one row per place in parallel lists (what
:mod:`gazetteer.store` writes to the cache) and the folded-name and
case-sensitive name tables that point names at rows; :func:`copy_index`
copies it for appending user places.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Optional

import shapely

from geocore.records import FEATURE_TYPES

from . import sources
from .normalize import fold

FEATURE_CODES = FEATURE_TYPES  # a row stores its type as a position in this tuple: append, never reorder


@dataclass
class IndexData:
    """Columnar store: row ``i`` of every list describes one place."""

    version: str
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    ftypes: bytearray = field(default_factory=bytearray)
    countries: list[Optional[str]] = field(default_factory=list)
    # numeric columns are typed arrays: indexing gives plain floats and ints, and
    # a loaded index fills them with one copy of the file's bytes
    lats: array = field(default_factory=lambda: array("d"))
    lons: array = field(default_factory=lambda: array("d"))
    pops: array = field(default_factory=lambda: array("q"))
    geoms: dict[int, bytes] = field(default_factory=dict)  # WKB, for lines and areas
    aliases: dict[int, tuple[str, ...]] = field(default_factory=dict)
    capitals: set[int] = field(default_factory=set)
    curated: set[int] = field(default_factory=set)
    near: dict[int, str] = field(default_factory=dict)  # site row -> folded name of its city
    operator: dict[int, str] = field(default_factory=dict)
    admin1: dict[int, str] = field(default_factory=dict)  # city row -> GeoNames admin-1 code
    by_key: dict[str, object] = field(default_factory=dict)  # folded name -> row or tuple of rows
    by_exact: dict[str, object] = field(default_factory=dict)  # case-sensitive names ("US", ICAO codes)
    # first word of a name of 2+ words -> most words of any such name; a word absent
    # here starts a one-word name exactly when it is a key of by_key (a smaller
    # table, so the index loads faster)
    max_words: dict[str, int] = field(default_factory=dict)
    # first two words of a name of 3+ words -> most words of any such name; a name of
    # exactly two words is found through by_key, so "w1 w2" absent here means "at most 2"
    max_words2: dict[str, int] = field(default_factory=dict)

    def finish(self) -> "IndexData":
        """Derive lookup aids once all rows are in (lets the matcher skip hopeless tokens)."""
        self.max_words, self.max_words2 = {}, {}
        for key in self.by_key:
            self._note_words(key)
        return self

    def _note_words(self, key: str) -> None:
        words = key.split(" ")
        n = len(words)
        if n >= 2 and n > self.max_words.get(words[0], 0):
            self.max_words[words[0]] = n
        if n >= 3:
            two = f"{words[0]} {words[1]}"
            if n > self.max_words2.get(two, 0):
                self.max_words2[two] = n

    def add(self, r: sources.SourceRecord) -> int:
        """Append ``r`` as a new row and index its names; returns the row."""
        i = len(self.ids)
        if self.max_words:
            for key in sources.fold_all([r.name, *r.names]):
                self._note_words(key)
        self.ids.append(r.place_id)
        self.names.append(r.name)
        self.ftypes.append(FEATURE_CODES.index(r.feature_type))
        self.countries.append(r.country)
        self.lats.append(round(float(r.lat), 6))
        self.lons.append(round(float(r.lon), 6))
        self.pops.append(int(r.population))
        if r.geometry is not None:
            self.geoms[i] = shapely.to_wkb(shapely.set_precision(r.geometry, 1e-5))
        if r.capital:
            self.capitals.add(i)
        if r.curated:
            self.curated.add(i)
        if r.near:
            self.near[i] = fold(r.near)
        if r.operator:
            self.operator[i] = r.operator
        if r.admin1:
            self.admin1[i] = r.admin1
        extra = [n for n in r.names if n != r.name]
        if extra:
            self.aliases[i] = tuple(extra)
        for key in sources.fold_all([r.name, *r.names]):
            _push(self.by_key, key, i)
        for exact in r.case_sensitive_names:
            _push(self.by_exact, exact, i)
        return i


def _push(d: dict, key: str, i: int) -> None:
    cur = d.get(key)
    if cur is None:
        d[key] = i
    elif isinstance(cur, int):
        if cur != i:
            d[key] = (cur, i)
    elif i not in cur:
        d[key] = cur + (i,)


def copy_index(d: IndexData) -> IndexData:
    """A copy of ``d`` whose containers can be appended to without touching ``d``."""
    return IndexData(
        version=d.version, ids=list(d.ids), names=list(d.names), ftypes=bytearray(d.ftypes),
        countries=list(d.countries), lats=array("d", d.lats), lons=array("d", d.lons), pops=array("q", d.pops),
        geoms=dict(d.geoms), aliases=d.aliases.copy(), capitals=set(d.capitals), curated=set(d.curated),
        near=dict(d.near), operator=dict(d.operator), admin1=dict(d.admin1), by_key=dict(d.by_key), by_exact=dict(d.by_exact),
        max_words=dict(d.max_words), max_words2=dict(d.max_words2),
    )
