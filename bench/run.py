"""Benchmark geomap stage by stage on synthetic corpora of growing size.

From a fresh clone (after ``./setup.sh``), at the repository root::

    python bench/run.py                         # N = 100, 1,000, 10,000, 100,000 (~30 min)
    python bench/run.py --sizes 100,1000,10000  # the quick run (~5 min)
    python bench/run.py --sizes 20 --json out.json

Each size runs in its own subprocess so peak RSS (``resource.getrusage``) is
that size's own. Per stage it prints articles/s and ms/article:

* load         read files, decode, strip boilerplate (``iter_articles``)
* geoparse     spot and resolve place names (``Geoparser.parse``)
* extract      the status rules on top of geoparsing (``Extractor.extract``
               minus its geoparse time); ``geoparse+extract`` is their sum
* consolidate  reports -> postures
* map          folium map built and saved (HTML size printed)
* exports      GeoJSON, GeoPackage, KML and CSV

plus the gazetteer load time, accuracy against the corpus gold file, and a
*baseline*: a plain place-name finder (dictionary lookup of capitalised word
runs over the same gazetteer names, most prominent place, every hit reported)
on the same corpus, in a process of its own so that its memory does not count
as geomap's. Articles are streamed: only reports are kept in memory.

Stage times are CPU seconds of the one benchmark process (``time.process_time``),
so other load on the machine does not inflate them; whole-build times
(seeds, ``--parallel``) are wall-clock.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STAGES = ("load", "geoparse", "extract", "geoparse+extract", "consolidate", "map", "exports")


def _cpu() -> float:
    # CPU seconds of this process: stage timings stay honest on a machine shared with other jobs.
    return time.process_time()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


class Baseline:
    """Plain place-name finder: capitalised runs of 1-3 words looked up in the gazetteer names."""

    _RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}")

    def __init__(self, g):
        from gazetteer.index import prominence
        from gazetteer.normalize import fold

        self.g, self.fold, self.prominence = g, fold, prominence

    def find(self, text: str) -> list[int]:
        rows = []
        for m in self._RUN.finditer(text):
            words = m.group(0).split()
            for n in range(len(words), 0, -1):  # longest name first
                hit = self.g.rows(self.fold(" ".join(words[:n])))
                if hit:
                    rows.append(max(hit, key=lambda r: (self.prominence(self.g, r), -r)))
                    break
        return rows

    def reports(self, doc: str, text: str) -> list:
        from geocore.records import Report

        out = []
        for r in dict.fromkeys(self.find(text)):
            p = self.g.place(r)
            # no geometry: borders and countries match on codes, points on lat/lon; keeps the baseline's memory small
            out.append(Report(p.place_id, p.name, p.feature_type, p.country, p.lat, p.lon, "staying", "", None,
                              doc, "", "", 0.5))
        return out


def run_one(n: int, corpus_dir: Path, work: Path) -> dict:
    """Measure every stage on a corpus of ``n`` articles (run in a fresh process)."""
    from corpus import GOLD_NAME

    res: dict = {"n": n, "stages": {}}
    t = time.perf_counter()
    from gazetteer.index import Gazetteer

    g = Gazetteer.load()
    res["gazetteer_load_s"] = time.perf_counter() - t
    t = time.perf_counter()
    from geo.postures.frame_extract import FrameExtractor
    from geo.places.geoparse import Geoparser

    gp = Geoparser(g)
    ex = FrameExtractor(gp)
    res["extractor_init_s"] = time.perf_counter() - t
    # Warm-up outside the timed corpus: 20 articles of another seed compile the
    # lazily compiled regexes and fill the token caches, so the figures below are
    # the steady-state cost per article that a long build sees.
    from corpus import articles as synthetic
    from geocore.records import Article

    t = time.perf_counter()
    for name, text, _, _ in synthetic(20, g, seed=12345):
        ex.extract(Article(doc=name, text=text))
    res["warmup_s"] = time.perf_counter() - t
    if not (corpus_dir / GOLD_NAME).exists():
        raise SystemExit(f"{corpus_dir} has no {GOLD_NAME}; generate it with bench/corpus.py")
    res["rss_after_load_mb"] = _rss_mb()

    from geo.text.articles import iter_articles
    from geo.postures.consolidate import consolidate
    from geocore.errors import ArticleError
    from geo.pipeline.run import sort_reports

    tl = tp = te = 0.0
    words = 0
    reports = []
    items = iter_articles([corpus_dir])
    count = 0
    while True:
        t0 = _cpu()
        item = next(items, None)
        t1 = _cpu()
        tl += t1 - t0
        if item is None:
            break
        if isinstance(item, ArticleError):
            raise SystemExit(f"benchmark corpus problem: {item}")
        count += 1
        words += len(item.text.split())
        gp.parse(item.text)
        t2 = _cpu()
        reports.extend(ex.extract(item))
        t3 = _cpu()
        tp += t2 - t1
        te += t3 - t2
    assert count == n, (count, n)
    res["rss_after_extract_mb"] = _rss_mb()
    del ex, gp, g  # as in geo.pipeline.run.build: the index is released before the map and the exports
    gc.collect()
    res["words_per_article"] = words / n
    t = _cpu()
    postures = consolidate(sort_reports(reports))
    tc = _cpu() - t
    from gazetteer.countries import load_countries
    from geo.outputs.map.page import build_map, save_map

    t = _cpu()
    m = build_map(postures, countries=load_countries(), tiles="none")
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    save_map(m, out / "posture.html")
    tm = _cpu() - t
    res["html_mb"] = (out / "posture.html").stat().st_size / 1e6
    res["rss_after_map_mb"] = _rss_mb()
    from geo.outputs.export import export

    t = _cpu()
    export(postures, sort_reports(reports), out, formats=("geojson", "gpkg", "kml", "csv"))
    tx = _cpu() - t
    # Extractor.extract() geoparses internally: "extract" is the rule work on top of it.
    for stage, secs in (("load", tl), ("geoparse", tp), ("extract", max(te - tp, 0.0)), ("geoparse+extract", te),
                        ("consolidate", tc), ("map", tm), ("exports", tx)):
        res["stages"][stage] = {"s": secs, "articles_per_s": n / secs if secs else float("inf"),
                                "ms_per_article": 1000 * secs / n}
    res["reports"], res["postures"] = len(reports), len(postures)
    res["peak_rss_mb"] = _rss_mb()
    from geo.evaluation.score import evaluate

    e = evaluate(corpus_dir / GOLD_NAME, reports)
    res["accuracy"] = {"P": e.precision, "R": e.recall, "F1": e.f1, "strict_F1": e.strict_f1}
    return res


def run_baseline(n: int, corpus_dir: Path) -> dict:
    """The plain name finder on the same corpus (its own process, so its memory is not geomap's)."""
    from corpus import GOLD_NAME
    from gazetteer.index import Gazetteer
    from geo.text.articles import iter_articles
    from geo.evaluation.score import evaluate

    base = Baseline(Gazetteer.load())
    tb = 0.0
    found = []
    for item in iter_articles([corpus_dir]):
        t = _cpu()
        found.extend(base.reports(item.doc, item.text))
        tb += _cpu() - t
    e = evaluate(corpus_dir / GOLD_NAME, found)
    return {"baseline": {"s": tb, "articles_per_s": n / tb if tb else float("inf")},
            "baseline_accuracy": {"P": e.precision, "R": e.recall, "F1": e.f1, "strict_F1": e.strict_f1}}


def cli_seeds() -> dict:
    """Wall time of a whole ``geomap build`` on the seeds, as a user runs it (warm OS cache)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        code = ("import sys; sys.path.insert(0, {root!r}); from geo.pipeline.run import build; "
                "build([{seeds!r}], {out!r}, cache={cache})")
        for label, cache in (("cold cache", "True"), ("cached", "True"), ("no cache", "False")):
            cmd = [sys.executable, "-c", code.format(root=str(ROOT), seeds=str(ROOT / "seeds"),
                                                     out=str(Path(tmp) / "maps"), cache=cache)]
            t = time.perf_counter()
            subprocess.run(cmd, check=True)
            out[label] = time.perf_counter() - t
    return out


def parallel(n: int, corpus_dir: Path) -> dict:
    """Whole-build wall time, serial vs ``workers=2`` (no cache, no outputs)."""
    from geo.pipeline.run import build

    out = {}
    for label, kw in (("serial", {}), ("workers=2", {"workers": 2})):
        t = time.perf_counter()
        build([corpus_dir], out=None, cache=False, **kw)
        out[label] = time.perf_counter() - t
    return out


def _fmt_rate(x: float) -> str:
    return f"{x:,.0f}" if x >= 10 else f"{x:,.2f}"


def report(results: list[dict], extra: dict) -> str:
    lines = []
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    lines.append(f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}")
    for r in results:
        lines.append("")
        lines.append(f"N = {r['n']:,} articles (~{r['words_per_article']:.0f} words each); gazetteer load "
                     f"{r['gazetteer_load_s']:.2f} s, extractor init {r['extractor_init_s']:.2f} s "
                     f"(+ {r.get('warmup_s', 0):.2f} s warm-up on 20 other articles); "
                     f"{r['reports']:,} reports, {r['postures']:,} places")
        lines.append(f"  {'stage':<18}{'articles/s':>12}{'ms/article':>12}{'total s':>10}")
        for s in STAGES:
            st = r["stages"][s]
            lines.append(f"  {s:<18}{_fmt_rate(st['articles_per_s']):>12}{st['ms_per_article']:>12.3f}{st['s']:>10.2f}")
        b = r["baseline"]
        lines.append(f"  {'baseline finder':<18}{_fmt_rate(b['articles_per_s']):>12}{1000 * b['s'] / r['n']:>12.3f}{b['s']:>10.2f}")
        lines.append(f"  map HTML {r['html_mb']:.1f} MB; RSS high-water: after load {r['rss_after_load_mb']:.0f} MB, "
                     f"after extraction {r.get('rss_after_extract_mb', 0):.0f} MB, after map "
                     f"{r.get('rss_after_map_mb', 0):.0f} MB, peak (after exports) {r['peak_rss_mb']:.0f} MB")
        a, ba = r["accuracy"], r["baseline_accuracy"]
        lines.append(f"  accuracy vs corpus gold: geomap P {a['P']:.3f} R {a['R']:.3f} F1 {a['F1']:.3f} strict F1 "
                     f"{a['strict_F1']:.3f} | baseline P {ba['P']:.3f} R {ba['R']:.3f} F1 {ba['F1']:.3f} "
                     f"strict F1 {ba['strict_F1']:.3f}")
    if "seeds" in extra:
        lines.append("")
        lines.append("geomap build on the 5 seeds (wall, new process each): " +
                     ", ".join(f"{k} {v:.2f} s" for k, v in extra["seeds"].items()))
    if "parallel" in extra:
        p = extra["parallel"]
        lines.append(f"whole build of N = {p['n']:,} without outputs: " +
                     ", ".join(f"{k} {v:.2f} s" for k, v in p["times"].items()))
    return "\n".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="geomap benchmark")
    ap.add_argument("--sizes", default="100,1000,10000,100000", help="comma-separated corpus sizes")
    ap.add_argument("--corpus-dir", default=None, help="keep generated corpora here (reused if present)")
    ap.add_argument("--json", default=None, help="also write the results as JSON to this file")
    ap.add_argument("--no-seeds", action="store_true", help="skip the seeds build timing")
    ap.add_argument("--parallel", type=int, default=0, help="also time a whole build serial vs --workers 2 at this N")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # internal: one size, JSON on stdout
    ap.add_argument("--work", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--baseline", type=int, default=None, help=argparse.SUPPRESS)  # internal
    args = ap.parse_args(argv)

    if args.one is not None:
        print(json.dumps(run_one(args.one, Path(args.corpus_dir), Path(args.work))))
        return
    if args.baseline is not None:
        print(json.dumps(run_baseline(args.baseline, Path(args.corpus_dir))))
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    keep = Path(args.corpus_dir) if args.corpus_dir else None
    tmp = Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    results, extra = [], {}
    try:
        for n in sizes:
            corpus = (keep / f"corpus-{n}") if keep else tmp / f"corpus-{n}"
            work = tmp / f"work-{n}"
            if not (corpus / "gold.json").exists():
                # a separate process, so generating does not count in the measured peak RSS
                subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(n), str(corpus)], check=True,
                               stdout=subprocess.DEVNULL)
            res = {}
            for extra_args in (["--one", str(n), "--work", str(work)], ["--baseline", str(n)]):
                proc = subprocess.run([sys.executable, __file__, *extra_args, "--corpus-dir", str(corpus)],
                                      capture_output=True, text=True)
                if proc.returncode:
                    sys.stderr.write(proc.stderr)
                    raise SystemExit(f"benchmark at N={n} failed")
                res.update(json.loads(proc.stdout.strip().splitlines()[-1]))
            results.append(res)
            print(report(results[-1:], {}), flush=True)
            if args.parallel == n:
                extra["parallel"] = {"n": n, "times": parallel(n, corpus)}
            if not keep:
                shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
        if not args.no_seeds:
            extra["seeds"] = cli_seeds()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n==== summary ====")
    print(report(results, extra))
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, **extra}, indent=1))


if __name__ == "__main__":
    main()
