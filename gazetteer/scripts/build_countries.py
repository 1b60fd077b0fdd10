"""Regenerate ``gazetteer/data/countries.geojson.gz`` from Natural Earth 1:10m admin-0.

Source: the npm package ``world-atlas`` (version 2), which ships Natural Earth's
public-domain 1:10m admin-0 countries as TopoJSON (``countries-10m.json``).
Run from the repository root on a machine that reaches the npm registry::

    python gazetteer/scripts/build_countries.py            # runs `npm pack world-atlas@2`
    python gazetteer/scripts/build_countries.py --source /path/to/countries-10m.json

What the script does, in order:

1. reads ``objects.countries`` with pyogrio (GDAL's TopoJSON driver) and sets
   EPSG:4326 (TopoJSON carries no CRS);
2. maps each feature's ``id`` (ISO 3166-1 numeric, as a string) to alpha-2 and
   alpha-3 with pycountry;
3. features without an id are handled by name (``NO_ID``):

   * Kosovo -> ``XK``/``XKX`` (the user-assigned code GeoNames also uses);
   * entities that ISO 3166 and GeoNames file under a member state are merged
     into it, so the country check of GeoNames records keeps working:
     Somaliland -> SO, N. Cyprus, the Cyprus U.N. buffer zone, Akrotiri and
     Dhekelia -> CY, USNB Guantanamo Bay -> CU, Baikonur -> KZ, Siachen
     Glacier -> IN (de-facto administrator), Coral Sea Is. -> AU,
     Clipperton I. -> FR;
   * "Indian Ocean Ter." is split into Christmas Island (CX, east of 100 E)
     and the Cocos (Keeling) Islands (CC);
   * contested reefs with no single owner (Spratly Is., Scarborough Reef,
     Bajo Nuevo Bank, Serranilla Bank) are dropped.

4. rings that world-atlas stitches across the antimeridian (Fiji, Chukotka)
   are cut at +-180 so they do not become bands round the globe;
   features sharing a code are dissolved, invalid rings are repaired with
   shapely ``make_valid`` (only polygonal parts are kept), coordinates are
   snapped to a 1e-5 degree grid (about 1 m; shared borders stay shared because
   Natural Earth's TopoJSON arcs are identical on both sides);
5. writes gzipped GeoJSON ``countries.geojson.gz`` (properties iso2, iso3,
   name; sorted by iso2; 5 decimals; about 3.3 MB) atomically.

Overseas parts that ISO codes separately (French Guiana, Guadeloupe, Martinique,
Réunion, Mayotte, Svalbard and Jan Mayen, Bouvet, Caribbean Netherlands,
Tokelau) are split from their parent by bounding box (``SPLIT``).
The Vatican is quantised away by the 1:10m TopoJSON; ``TINY`` adds its outline box.

Disputed areas are kept as Natural Earth draws them (its "de facto" view:
Crimea inside Russia, the Golan Heights inside Israel, most of Western Sahara
inside Morocco, Kashmir split along the lines of control).
``gazetteer.countries.DISPUTED`` lists such areas so that records using the
other claimant's code (e.g. GeoNames' UA for Sevastopol) still pass the check.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import pycountry  # noqa: E402
import shapely  # noqa: E402
import shapely.affinity  # noqa: E402
from shapely.geometry import MultiPolygon, Polygon  # noqa: E402

from gazetteer.countries import SHORT_NAMES  # noqa: E402
from sourcing import npm_member  # noqa: E402  (this script's folder)

OUT = ROOT / "gazetteer" / "data" / "countries.geojson.gz"
NPM_SPEC = "world-atlas@2"

# Natural Earth features that carry no ISO numeric id: name -> (iso2, iso3, name),
# or None to drop the feature. "split:indian-ocean" is handled in code.
NO_ID = {
    "Kosovo": ("XK", "XKX", "Kosovo"),
    "Somaliland": ("SO", None, None),
    "N. Cyprus": ("CY", None, None),
    "Cyprus U.N. Buffer Zone": ("CY", None, None),
    "Akrotiri": ("CY", None, None),
    "Dhekelia": ("CY", None, None),
    "USNB Guantanamo Bay": ("CU", None, None),
    "Baikonur": ("KZ", None, None),
    "Siachen Glacier": ("IN", None, None),
    "Coral Sea Is.": ("AU", None, None),
    "Clipperton I.": ("FR", None, None),
    "Indian Ocean Ter.": "split:indian-ocean",
    "Spratly Is.": None,
    "Scarborough Reef": None,
    "Bajo Nuevo Bank": None,
    "Serranilla Bank": None,
}
GRID = 1e-5
# Overseas parts that Natural Earth's admin-0 folds into the parent but ISO 3166
# (and GeoNames) code separately: (parent, child, (west, south, east, north)).
# Parts of the parent whose representative point is in the box move to the child.
SPLIT = (
    ("FR", "GF", (-54.7, 2.0, -51.5, 6.0)),
    ("FR", "GP", (-61.9, 15.8, -60.9, 16.6)),
    ("FR", "MQ", (-61.3, 14.3, -60.7, 14.95)),
    ("FR", "RE", (55.1, -21.5, 55.9, -20.8)),
    ("FR", "YT", (44.9, -13.1, 45.4, -12.5)),
    ("NO", "SJ", (-10.0, 70.5, 35.0, 81.5)),
    ("NO", "BV", (3.2, -54.6, 3.6, -54.3)),
    ("NL", "BQ", (-68.5, 11.9, -62.8, 17.75)),
    ("NZ", "TK", (-172.7, -9.6, -171.0, -8.4)),
)
# Countries whose polygon the 1:10m TopoJSON quantises away (its grid is about
# 0.0036 x 0.0017 degrees): an outline box from the official boundary extent.
TINY = {
    "VA": ((12.4457, 41.9002), (12.4585, 41.9002), (12.4585, 41.9075), (12.4457, 41.9075)),
}


def fetch_source(workdir: pathlib.Path) -> pathlib.Path:
    """Download ``world-atlas@2`` with ``npm pack`` and return its countries-10m.json."""
    return npm_member(NPM_SPEC, "package/countries-10m.json", workdir)


def codes_for(numeric: str) -> tuple[str, str, str]:
    """(iso2, iso3, short name) for an ISO numeric code string."""
    c = pycountry.countries.get(numeric=numeric)
    if c is None:
        raise SystemExit(f"unknown ISO numeric id {numeric!r} in source")
    name = SHORT_NAMES.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
    return c.alpha_2, c.alpha_3, name


def polygonal(geom):
    """Keep only the polygonal part of a (repaired) geometry as a MultiPolygon/Polygon."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, (Polygon, MultiPolygon))]
    flat = []
    for p in parts:
        flat.extend(q for q in getattr(p, "geoms", [p]) if not q.is_empty)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else MultiPolygon(flat)


def _unwrap(coords) -> list[tuple[float, float]] | None:
    """Make a ring's longitudes continuous across +-180; None for a ring round a pole."""
    out, off, prev = [], 0.0, None
    for x, y in coords:
        if prev is not None:
            if x - prev > 180:
                off -= 360.0
            elif x - prev < -180:
                off += 360.0
        out.append((x + off, y))
        prev = x
    return out if abs(out[-1][0] - out[0][0]) < 1e-9 else None


def fix_antimeridian(geom):
    """Cut polygons whose rings jump across the antimeridian into valid halves.

    world-atlas stitches some rings (Fiji, Chukotka) with a -180 -> 180 edge;
    read naively they become bands round the whole globe. Rings round a pole
    (Antarctica) are left alone.
    """
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        x0, _, x1, _ = poly.bounds
        shell = _unwrap(poly.exterior.coords) if x1 - x0 > 180 else None
        if shell is None:
            parts.append(poly)
            continue
        holes = [h for h in (_unwrap(r.coords) for r in poly.interiors) if h]
        cont = shapely.make_valid(Polygon(shell, holes))
        for shift in (-360.0, 0.0, 360.0):
            window = shapely.box(-180 + shift, -90, 180 + shift, 90)
            piece = shapely.intersection(cont, window)
            piece = polygonal(shapely.affinity.translate(piece, xoff=-shift))
            if piece is not None:
                parts.extend(getattr(piece, "geoms", [piece]))
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def split_overseas(rows: list) -> list:
    """Move overseas parts listed in ``SPLIT`` from the parent's rows to the child."""
    out = []
    for iso2, iso3, name, geom in rows:
        rules = [(child, box) for parent, child, box in SPLIT if parent == iso2]
        if not rules:
            out.append((iso2, iso3, name, geom))
            continue
        keep = []
        for part in getattr(geom, "geoms", [geom]):
            pt = part.representative_point()
            for child, (w, so, e, n) in rules:
                if w <= pt.x <= e and so <= pt.y <= n:
                    out.append((*codes_for(pycountry.countries.get(alpha_2=child).numeric), part))
                    break
            else:
                keep.append(part)
        out.append((iso2, iso3, name, keep[0] if len(keep) == 1 else MultiPolygon(keep)))
    return out


def build(source: pathlib.Path) -> gpd.GeoDataFrame:
    """Read the TopoJSON and return the cleaned GeoDataFrame (sorted by iso2)."""
    raw = gpd.read_file(source, layer="countries")
    raw = raw.set_crs("EPSG:4326", allow_override=True)
    rows: list[tuple[str, str, str, object]] = []
    for fid, ne_name, geom in zip(raw["id"], raw["name"], raw.geometry):
        if geom is None or geom.is_empty:  # quantised away; see TINY
            continue
        geom = fix_antimeridian(geom)
        if isinstance(fid, str) and fid.strip():
            rows.append((*codes_for(fid.strip()), geom))
            continue
        if ne_name not in NO_ID:
            raise SystemExit(f"feature {ne_name!r} has no id and no rule in NO_ID")
        rule = NO_ID[ne_name]
        if rule is None:
            continue
        if rule == "split:indian-ocean":
            for part in getattr(geom, "geoms", [geom]):
                numeric = "162" if part.representative_point().x > 100 else "166"
                rows.append((*codes_for(numeric), part))
            continue
        iso2, iso3, name = rule
        if iso3 is None:
            _, iso3, name = codes_for(pycountry.countries.get(alpha_2=iso2).numeric)
        rows.append((iso2, iso3, name, geom))

    rows = split_overseas(rows)
    present = {r[0] for r in rows}
    for iso2, ring in TINY.items():
        if iso2 not in present:
            rows.append((*codes_for(pycountry.countries.get(alpha_2=iso2).numeric), Polygon(ring)))

    by_code: dict[str, list] = {}
    meta: dict[str, tuple[str, str]] = {}
    for iso2, iso3, name, geom in rows:
        by_code.setdefault(iso2, []).append(shapely.make_valid(geom))
        meta[iso2] = (iso3, name)
    out = []
    for iso2 in sorted(by_code):
        geoms = by_code[iso2]
        geom = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        geom = polygonal(geom)
        geom = polygonal(shapely.set_precision(geom, GRID)) if geom is not None else None
        if geom is None:  # a speck the source grid already erased
            print(f"dropped {iso2}: empty geometry", file=sys.stderr)
            continue
        out.append({"iso2": iso2, "iso3": meta[iso2][0], "name": meta[iso2][1], "geometry": geom})
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def _round(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 5), round(coords[1], 5)]
    return [_round(c) for c in coords]


def write(gdf: gpd.GeoDataFrame, out: pathlib.Path) -> None:
    """Write gzipped compact GeoJSON (5 decimals, no whitespace) atomically.

    gzip with mtime 0 and no stored file name, so the bytes depend only on the data.
    """
    features = []
    for row in gdf.itertuples(index=False):
        geo = shapely.geometry.mapping(row.geometry)
        features.append({
            "type": "Feature",
            "properties": {"iso2": row.iso2, "iso3": row.iso3, "name": row.name},
            "geometry": {"type": geo["type"], "coordinates": _round(geo["coordinates"])},
        })
    doc = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m admin-0 via npm world-atlas@2 (public domain)",
        "features": features,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".countries.", suffix=".tmp")
    try:
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as fh:
            fh.write(text.encode("utf-8"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=pathlib.Path,
                    help="an existing countries-10m.json (skips npm pack)")
    ap.add_argument("--out", type=pathlib.Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch_source(pathlib.Path(tmp))
        gdf = build(source)
        write(gdf, args.out)
    print(f"wrote {len(gdf)} countries to {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
