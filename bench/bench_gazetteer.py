"""Benchmark the gazetteer: compile, cold load, memory, lookups per second, geoparse throughput.

Not a test. Run from the repository root::

    python bench/bench_gazetteer.py             # load, lookups, geoparse
    python bench/bench_gazetteer.py --compile   # also time a full compile (~20 s) and its peak memory
    python bench/bench_gazetteer.py --build-rss # peak memory of `geomap build seeds --no-cache`

The cold load runs in fresh subprocesses so that imports and the decoding of
the index file are measured as a user's first command would see them (the OS
file cache is warm after the first run; that is the usual case on a
workstation). Targets (issue 13): load <= 0.5 s warm, <= 600 MB resident at
build time, index build < 3 minutes.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Generic deployment-news prose (no seed article text): a mix of countries,
# capitals, towns, an airport, a border phrase and actor metonymy.
PARAGRAPHS = (
    "Russian troops began leaving the 102nd Military Base in Gyumri on Monday, officials in Yerevan said, "
    "while patrols held Armenia's borders with Iran and Turkey. Moscow called the step routine.",
    "French forces completed their withdrawal from Gao and Timbuktu, and the last aircraft left Niamey airport "
    "for N'Djamena. The Malian government said Bamako would take over the camps.",
    "The United States will keep about 900 troops in Syria near Deir ez-Zor and at the al-Tanf garrison, the "
    "Pentagon said, while a rotation of Marines arrived in Darwin, Australia, for six months.",
    "German soldiers are to stay in Lithuania, with a brigade based in Rukla and Vilnius. Berlin confirmed "
    "the plan after talks in Brussels; Warsaw welcomed it.",
    "Peacekeepers withdrew from the Lachin corridor and Stepanakert last year, and Baku now controls the road "
    "to Goris, near the Armenia-Azerbaijan border.",
)


def _time(label: str, fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    print(f"{label:<34} {time.perf_counter() - t0:8.3f} s")
    return out


def bench_compile() -> None:
    """A full compile and write in a fresh process, into a scratch cache folder."""
    import resource
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GEOMAP_CACHE_DIR": tmp}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "gazetteer.build_index", "--rebuild"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        wall = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{'index compile + write (new process)':<34} {wall:8.3f} s   (file {size / 1e6:.1f} MB)")
    print(f"{'  peak RSS of the compile':<34} {rss:8.0f} MB")


def bench_build_rss() -> None:
    """Peak RSS of `geomap build seeds --no-cache`, with the index cached and with an empty cache."""
    import resource
    import tempfile

    for label, scratch in (("cached index", False), ("empty cache: compiles", True)):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ)
            if scratch:
                env["GEOMAP_CACHE_DIR"] = tmp
            code = ("import resource, sys; from geo.cli import app; sys.argv = ['geomap', 'build', 'seeds', '--out', "
                    f"{str(Path(tmp) / 'out')!r}, '--formats', 'geojson,gpkg,kml,csv', '--no-cache', '--quiet']\n"
                    "try:\n    app()\nexcept SystemExit:\n    pass\n"
                    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
            res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                                 text=True)
            rss = int(res.stdout.split()[-1]) / 1024
        print(f"{'build seeds RSS (' + label + ')':<34} {rss:8.0f} MB")


def bench_cold_load(runs: int = 7) -> None:
    """Load the cached index in new interpreters (compiles it first if absent): min and median."""
    code = ("import time; t0 = time.perf_counter(); "
            "from gazetteer.index import Gazetteer; t1 = time.perf_counter(); c = time.process_time(); "
            "g = Gazetteer.load(); t2 = time.perf_counter(); "
            "print(t1 - t0, t2 - t1, time.process_time() - c, len(g))")
    # warm-up run: makes sure the cache exists, so the timed run is a load, not a compile
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    rows = []
    for _ in range(runs):
        res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
        imp, load, cpu, n = res.stdout.split()
        rows.append((float(load), float(cpu), float(imp)))
    rows.sort()
    med = rows[len(rows) // 2]
    print(f"{'cold process: import gazetteer':<34} {med[2]:8.3f} s")
    print(f"{'cold process: Gazetteer.load()':<34} {med[0]:8.3f} s   median of {runs} (min {rows[0][0]:.3f}, "
          f"CPU {med[1]:.3f} s; {int(n)} rows)")


def bench_lookups(g, n: int, seed: int) -> None:
    rng = random.Random(seed)
    names = [g.data.names[rng.randrange(len(g))] for _ in range(n)]
    # a share of misses, like the capitalised non-places a geoparser asks about
    names[::10] = [f"Nonexistent Placename {i}" for i in range(len(names[::10]))]
    t0 = time.perf_counter()
    hits = sum(1 for name in names if g.lookup(name))
    dt = time.perf_counter() - t0
    print(f"{'Gazetteer.lookup':<34} {n / dt:8.0f} /s   ({n} names, {hits} found, {dt:.2f} s)")


def bench_geoparse(g, repeat: int) -> None:
    from geo.places.geoparse import Geoparser

    parser = _time("Geoparser() construction", Geoparser, g)
    parser.parse(PARAGRAPHS[0])  # warm lazily built places
    words = sum(len(p.split()) for p in PARAGRAPHS) * repeat
    mentions = 0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for p in PARAGRAPHS:
            mentions += len(parser.parse(p))
    dt = time.perf_counter() - t0
    print(f"{'geoparse words':<34} {words / dt:8.0f} /s   ({words} words, {dt:.2f} s)")
    print(f"{'geoparse mentions':<34} {mentions / dt:8.0f} /s   ({mentions} mentions)")
    print(f"{'geoparse paragraphs':<34} {len(PARAGRAPHS) * repeat / dt:8.1f} /s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compile", action="store_true", help="also time a full index compile (~20 s)")
    ap.add_argument("--build-rss", action="store_true", help="also measure the peak memory of a seeds build")
    ap.add_argument("--lookups", type=int, default=10_000, help="names to look up (default 10000)")
    ap.add_argument("--repeat", type=int, default=200, help="passes over the sample paragraphs (default 200)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    if args.compile:
        bench_compile()
    if args.build_rss:
        bench_build_rss()
    bench_cold_load()
    from gazetteer.index import Gazetteer

    g = _time("Gazetteer.load() (this process)", Gazetteer.load)
    bench_lookups(g, args.lookups, args.seed)
    bench_geoparse(g, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
