"""Regenerate ``gazetteer/data/physical.csv``: named seas, rivers, lakes, ranges, deserts and regions.

Source: Natural Earth 1:10m physical vectors (public domain), as GeoJSON: the
layers ``geography_marine_polys`` (oceans, seas, gulfs, bays, straits),
``geography_regions_polys`` (ranges, deserts, plateaus, plains, basins,
deltas, valleys, peninsulas, coasts, islands and named areas such as the
Sahel), ``geography_regions_points`` (capes, islands),
``geography_regions_elevation_points`` (named peaks), ``lakes`` and
``rivers_lake_centerlines``. No registry package ships them with their names
(checked on PyPI, npm and Debian), so they are read from a checkout of the
public repository ``martynafford/natural-earth-geojson`` (CC0; ``.json`` or
``.7z`` files, the latter read with ``py7zr``)::

    python gazetteer/scripts/build_physical.py --source /path/to/natural-earth-geojson

What the script does:

1. names: Natural Earth writes big features in capitals ("SAHEL") and
   abbreviates ("Marrah Mts.", "Gregory Ra.", "Unimak I."); each row keeps the
   name in title case with the abbreviation spelled out, plus the alternate
   name. A river is named "X" in the source; its names are "X River" and
   "River X", and the bare "X" is given as ``bare`` (the index uses it only
   when no other place has that name: "Alabama" stays the state); so is an
   ocean's or a sea's adjective ("Atlantic", "Adriatic"), but not a plain
   word or a demonym ("Black", "Indian");
2. features of one name and class are merged (a river's segments, a sea's
   parts), and an ocean split into north and south parts also gets a row for
   the whole ("Atlantic Ocean");
3. the point: a polygon's pole of inaccessibility (its largest part), a
   line's midpoint along its longest part, a point as given;
4. rows are sorted by id and written atomically, each naming its layer.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "gazetteer" / "data" / "physical.csv"
SOURCE = "Natural Earth 10m {layer} (natural-earth-geojson)"

# featurecla (lower case) -> (feature type, kind written in the row)
WATER = {"ocean": "ocean", "sea": "sea", "gulf": "gulf", "bay": "bay", "strait": "strait", "sound": "sound",
         "channel": "channel", "lagoon": "lagoon", "fjord": "fjord", "inlet": "inlet", "river": "river",
         "lake": "lake", "reservoir": "reservoir", "alkaline lake": "lake", "lake centerline": "river"}
LAND = {"range/mtn": "range", "desert": "desert", "plateau": "plateau", "plain": "plain", "basin": "basin",
        "delta": "delta", "valley": "valley", "peninsula": "peninsula", "pen/cape": "peninsula", "coast": "coast",
        "geoarea": "area", "island": "island", "island group": "islands", "lowland": "lowland", "tundra": "tundra",
        "isthmus": "isthmus", "wetlands": "wetlands", "gorge": "gorge", "foothills": "foothills",
        "depression": "depression", "cape": "cape", "mountain": "mountain", "pass": "pass"}
ABBREVIATIONS = [(r"\bMts\.?$", "Mountains"), (r"\bMt\.", "Mount"), (r"\bRa\.?$", "Range"), (r"\bIs\.?$", "Islands"),
                 (r"\bI\.$", "Island"), (r"\bPen\.?$", "Peninsula"), (r"^L\. ", "Lake "), (r"\bPlat\.?$", "Plateau"),
                 (r"\bDes\.?$", "Desert"), (r"\bSt\. ", "Saint ")]
# Words that, left alone when "Sea" is taken off, name no sea ("Black Sea" is not "Black")
PLAIN_WORDS = {"black", "red", "white", "yellow", "dead", "inner", "outer", "north", "south", "east", "west",
               "coral", "salton", "labrador", "irish", "china", "japan", "philippine", "arabian", "java", "timor",
               "indian", "southern", "american", "african", "european", "asian"}
_SMALL = {"of", "the", "and", "de", "del", "la", "el", "al", "da", "do", "du", "des", "di"}
LAYERS = ("geography_marine_polys", "geography_regions_polys", "geography_regions_points",
          "geography_regions_elevation_points", "lakes", "rivers_lake_centerlines")


def tidy(name: str) -> str:
    """One clean spelling: single spaces, title case for names in capitals."""
    name = re.sub(r"\s+", " ", name.replace("\r", " ")).strip(" ,;")
    if name.isupper():
        words = name.lower().split(" ")
        name = " ".join(w if (k and w in _SMALL) else w[:1].upper() + w[1:] for k, w in enumerate(words))
        name = re.sub(r"-(\w)", lambda m: "-" + m.group(1).upper(), name)
    return name


def spellings(name: str) -> list[str]:
    """The name as written and with its abbreviations spelled out ("Marrah Mts." -> "Marrah Mountains")."""
    out = [name]
    full = name
    for pat, word in ABBREVIATIONS:
        full = re.sub(pat, word, full)
    if full != name:
        out.insert(0, full)
    return out


def load(source: pathlib.Path, layer: str) -> list[dict]:
    """The features of ``ne_10m_<layer>`` from a .json file, or from the .7z holding it."""
    for folder in (source / "10m" / "physical", source):
        path = folder / f"ne_10m_{layer}.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))["features"]
        packed = path.with_suffix(".7z")
        if packed.exists():
            import py7zr

            with py7zr.SevenZipFile(packed) as z:
                data = z.read([path.name])[path.name].read()
            return json.loads(data.decode("utf-8"))["features"]
    sys.exit(f"{source}: no ne_10m_{layer}.json or .7z; pass a natural-earth-geojson checkout as --source")


def label_point(geom):
    """A point well inside a polygon, midway along a line, or the point itself."""
    import shapely
    from shapely.ops import polylabel

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        try:
            return polylabel(part, tolerance=0.01)
        except Exception:  # degenerate rings: any point inside will do
            return part.representative_point()
    if geom.geom_type in ("LineString", "MultiLineString"):
        merged = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        part = max(getattr(merged, "geoms", [merged]), key=lambda g: g.length)
        return part.interpolate(0.5, normalized=True)
    return geom.representative_point() if geom.geom_type != "Point" else geom


def midpoint(a, b):
    """The point midway between two points on the sphere."""
    import math

    from shapely.geometry import Point

    vec = [0.0, 0.0, 0.0]
    for p in (a, b):
        lat, lon = math.radians(p.y), math.radians(p.x)
        vec = [vec[0] + math.cos(lat) * math.cos(lon), vec[1] + math.cos(lat) * math.sin(lon), vec[2] + math.sin(lat)]
    return Point(math.degrees(math.atan2(vec[1], vec[0])), math.degrees(math.atan2(vec[2], math.hypot(vec[0], vec[1]))))


def slug(text: str) -> str:
    from gazetteer.normalize import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def collect(source: pathlib.Path) -> list[list]:
    """The rows of physical.csv, sorted by id."""
    import shapely
    from shapely.geometry import shape

    groups: dict[tuple, dict] = {}
    for layer in LAYERS:
        for f in load(source, layer):
            p = f.get("properties") or {}
            cla = (p.get("featurecla") or "").strip().lower()
            raw = p.get("name_en") if layer == "rivers_lake_centerlines" and p.get("name_en") else p.get("name")
            if not raw or not f.get("geometry") or (cla not in WATER and cla not in LAND):
                continue
            ftype, kind = ("water", WATER[cla]) if cla in WATER else ("landform", LAND[cla])
            name = tidy(raw)
            alt = [tidy(a) for a in re.split(r"[/,;]", p.get("namealt") or p.get("name_alt") or "") if a.strip()]
            g = groups.setdefault((ftype, kind, name), {"geoms": [], "alts": [], "layer": layer})
            g["geoms"].append(shape(f["geometry"]))
            g["alts"] += [a for a in alt if a not in g["alts"]]
    points = {key: label_point(shapely.unary_union(g["geoms"]) if len(g["geoms"]) > 1 else g["geoms"][0])
              for key, g in groups.items()}
    # An ocean in north and south parts is also one ocean ("North Atlantic Ocean" -> "Atlantic Ocean"),
    # placed midway between the parts' points (on the sphere: the Pacific crosses the antimeridian)
    halves: dict[tuple, list] = {}
    for (ftype, kind, name), g in groups.items():
        m = re.fullmatch(r"(?:North|South) (\w+ Ocean)", name)
        if kind == "ocean" and m:
            halves.setdefault((ftype, kind, m.group(1)), []).append(points[(ftype, kind, name)])
    for key, pts in halves.items():
        if len(pts) == 2 and key not in groups:
            groups[key] = {"geoms": [], "alts": [], "layer": "geography_marine_polys"}
            points[key] = midpoint(*pts)
    from gazetteer.borders import DEMONYMS

    plain = PLAIN_WORDS | {d.lower() for v in DEMONYMS.values() for d in ([v] if isinstance(v, str) else v)}
    rows = []
    for (ftype, kind, name), g in groups.items():
        pt = points[(ftype, kind, name)]
        names = spellings(name) + [s for a in g["alts"] for s in spellings(a)]
        bare = ""
        if kind == "river":
            base = re.sub(r"\s+(?:River|R\.)$", "", names[0])
            names = [f"{base} River", f"River {base}", *names[1:]]
            bare = base
        elif kind in ("ocean", "sea") and " " in names[0]:
            bare = re.sub(r"\s+(?:Ocean|Sea)$", "", names[0])
            if bare == names[0] or " " in bare or bare.lower() in plain or not re.search(r"(?:an|ic)$", bare):
                bare = ""  # only an adjective names a sea alone ("the Adriatic"); not "Black", "Bering", "South China"
        names = list(dict.fromkeys(n for n in names if n))
        rows.append([f"ne:{kind}:{slug(name)}", names[0], "|".join(names[1:]), bare, ftype, kind,
                     f"{pt.y:.5f}", f"{pt.x:.5f}", SOURCE.format(layer=g["layer"])])
    return sorted(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=pathlib.Path, required=True,
                    help="a checkout of martynafford/natural-earth-geojson (or a folder of its ne_10m_* files)")
    args = ap.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from sourcing import write_csv

    write_csv(OUT, ["id", "name", "alternate_names", "bare", "feature_type", "kind", "lat", "lon", "source"],
              collect(args.source), 2000, "physical features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
