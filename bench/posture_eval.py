"""Score posture extraction on a folder of real articles, with the misses sorted by cause.

Builds the folder (no cache), scores ``reports.geojson`` against the gold
file exactly as ``geomap evaluate`` does, then explains each required gold
posture that was missed, using the geoparser's own mentions of the article:

* ``not spotted``: no mention of the place at all (by name, or within
  ``--km`` of the gold point);
* ``wrong point``: the name was spotted but resolved farther than ``--km``;
* ``not literal``: spotted and resolved, but judged an actor ("Moscow said");
* ``nearby only``: the name itself was not spotted, but another place within
  ``--km`` was (so the miss is the geoparser's, not the linking's);
* ``not linked``: a literal mention of the place by name, in range, that no
  report came from.

Usage::

    python bench/posture_eval.py                       # bench/data/posture-dev vs the shared gold
    python bench/posture_eval.py DIR --gold GOLD.json --json out.json

The article texts are restored into an ignored folder (see
``../shared/eval/posture-dev/README.md``) and never committed.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from anyascii import anyascii  # noqa: E402

from geo.evaluation.gold import load_gold  # noqa: E402
from geo.evaluation.match import distance_km  # noqa: E402
from geo.evaluation.score import evaluate  # noqa: E402

STATUSES = ("staying", "withdrawing", "withdrawn")
DEFAULT_TEXTS = ROOT / "bench" / "data" / "posture-dev"
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "posture-dev" / "posture-dev.gold.json"


def _norm(s: str) -> str:
    return " ".join(anyascii(s).casefold().replace("-", " ").split())


def _gold_names(gold_file: Path) -> dict[tuple[str, str], list[str]]:
    raw = json.loads(gold_file.read_text(encoding="utf-8"))
    names = {}
    for d in raw["docs"]:
        for p in d.get("postures", []):
            names[(d["doc"], p["place"])] = [p["place"], *p.get("alt", [])]
    return names


def _near(mention, g, km: float) -> bool:
    if g.feature == "country":
        return mention.feature_type == "country" and (mention.country or "").upper() == g.country
    if g.feature == "border":
        codes = frozenset(c.upper() for c in (mention.country or "").split("-") if c)
        return mention.feature_type == "border" and codes == g.countries
    from shapely.geometry import Point

    return distance_km(Point(mention.lon, mention.lat), g.lat, g.lon) <= km


def miss_causes(texts: Path, gold_file: Path, misses: list[dict], km: float) -> list[dict]:
    """Each missed gold posture with its cause (see the module docstring)."""
    import geo
    from geo.text.articles import read_article

    golds = {(g.doc, g.place): g for entries in load_gold(gold_file).values() for g in entries}
    names = _gold_names(gold_file)
    mentions: dict[str, list] = {}
    out = []
    for miss in misses:
        doc = miss["doc"]
        if doc not in mentions:
            path = texts / doc
            mentions[doc] = geo.geoparse(read_article(path).text) if path.exists() else []
        g = golds[(doc, miss["place"])]
        wanted = {_norm(n) for n in names.get((doc, miss["place"]), [miss["place"]])}
        by_name = [m for m in mentions[doc] if _norm(m.text) in wanted or _norm(m.name) in wanted]
        in_range = [m for m in mentions[doc] if _near(m, g, km)]
        if not by_name and not in_range:
            cause = "not spotted"
        elif not in_range:
            cause = "wrong point"
        elif not any(m.literal for m in in_range):
            cause = "not literal"
        elif not any(m.literal and m in by_name for m in in_range):
            cause = "nearby only"
        else:
            cause = "not linked"
        out.append({**miss, "cause": cause})
    return out


def confusion(matches: list[dict]) -> dict[str, Counter]:
    table = {s: Counter() for s in STATUSES}
    for m in matches:
        table.setdefault(m["status"], Counter())[m["report"]["status"]] += 1
    return table


def build(texts: Path, out: Path) -> float:
    started = time.perf_counter()
    cmd = [sys.executable, "-c", "from geo.cli import app; app()", "build", str(texts), "--out", str(out), "--no-cache"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"build failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return time.perf_counter() - started


def extract_in_process(texts: Path) -> tuple[list, float]:
    """Reports of every article, extracted in this process (no build, no cache, no outputs)."""
    from geocore.records import Article
    from geo.pipeline.extractor import make_extractor
    from geo.text.articles import iter_articles

    extractor = make_extractor()  # the frame extractor, as builds use it
    extractor.extract("Troops left.")  # loads the models before the clock starts
    started = time.perf_counter()
    reports = []
    for article in iter_articles([texts]):
        if isinstance(article, Article):
            reports.extend(extractor.extract(article))
    return reports, time.perf_counter() - started


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("texts", nargs="?", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--reports", type=Path, help="score this reports.geojson instead of building")
    ap.add_argument("--km", type=float, default=60.0, help="distance for 'spotted in range' (default 60)")
    ap.add_argument("--json", type=Path, help="also write the full result here")
    ap.add_argument("--quiet", action="store_true", help="only the summary table")
    ap.add_argument("--in-process", action="store_true",
                    help="extract in this process instead of running geomap build")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        seconds = None
        reports = args.reports
        if reports is None and args.in_process:
            reports, seconds = extract_in_process(args.texts)
        elif reports is None:
            seconds = build(args.texts, Path(tmp))
            reports = Path(tmp) / "reports.geojson"
        result = evaluate(args.gold, reports)
    causes = miss_causes(args.texts, args.gold, result.misses, args.km)
    n_docs = len(load_gold(args.gold))
    n_texts = sum(1 for p in args.texts.glob("*") if p.is_file()) if args.texts.is_dir() else 0
    matched = len(result.matches)

    print(f"texts: {n_texts} of {n_docs} gold docs" + (f"; build {seconds:.1f} s" if seconds else ""))
    print("| metric | value |\n|---|---|")
    print(f"| strict P / R / F1 | {result.strict_precision:.3f} / {result.strict_recall:.3f} / {result.strict_f1:.3f} |")
    print(f"| place P / R / F1 | {result.precision:.3f} / {result.recall:.3f} / {result.f1:.3f} |")
    print(f"| TP / FP / FN | {result.tp} / {result.fp} / {result.fn} |")
    acc = result.strict_tp / matched if matched else 0.0
    print(f"| status right (of matched) | {result.strict_tp} of {matched} ({acc:.0%}) |")
    print("\nstatus confusion (rows gold, columns reported):")
    table = confusion(result.matches)
    print("| gold \\ reported | " + " | ".join(STATUSES) + " |\n|---|" + "---|" * len(STATUSES))
    for s in STATUSES:
        print(f"| {s} | " + " | ".join(str(table[s][t]) for t in STATUSES) + " |")
    by_cause = Counter(c["cause"] for c in causes)
    print("\nmisses by cause: " + ", ".join(f"{k} {by_cause[k]}" for k in
                                             ("not spotted", "nearby only", "wrong point", "not literal", "not linked")))
    print(f"wrong status: {len(result.wrong_status)}; extras: {len(result.extras)}")
    if not args.quiet:
        for c in sorted(causes, key=lambda c: (c["cause"], c["doc"])):
            print(f"  miss [{c['cause']}] {c['doc']}: {c['place']} ({c['feature']}) gold {c['status']}")
        for w in result.wrong_status:
            print(f"  wrong {w['doc']}: {w['place']} gold {w['status']} reported {w['reported']}")
        for e in result.extras:
            print(f"  extra {e['doc']}: {e['name']} ({e['feature_type']}) {e['status']}")
    if args.json:
        args.json.write_text(json.dumps({**result.to_dict(), "miss_causes": causes, "build_seconds": seconds},
                                        indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
