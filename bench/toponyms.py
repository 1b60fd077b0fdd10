"""Toponym benchmark: resolution given the gold spans, and spotting end to end, on LGL, GeoWebNews and GeoVirus.

Not a test. Run from the repository root::

    python bench/toponyms.py                     # all three corpora, one table
    python bench/toponyms.py --corpus lgl --limit 50

The corpora and their scoring rules are in ``../shared/eval/toponyms/README.md``
(``--data`` points elsewhere). What is measured:

* **Given spans** (``geo.resolve(text, spans)``), over the gold toponyms that
  have coordinates: Acc@161km (share within 161 km of the gold point; an
  unresolved span counts as wrong), the same with a country credited when its
  outline holds the gold point ("entity": the right country, a different
  point), the median error of the resolved spans, the AUC of the log error
  curve (Gritta et al. 2018: errors sorted, ln(1 + km) / ln(20039), an
  unresolved span at 20,039 km; 0 is perfect, lower is better) and the share
  unresolved.
* **End to end** (``geo.geoparse(text)``, every mention it returns, literal or
  not): span precision, recall and F1, exact (same start and end) and by
  overlap, then Acc@161km of the exactly matched spans that have coordinates.

Gold spans are realigned first, as the README says: a span whose text is not
its phrase moves to the nearest exact occurrence of the phrase within 100
characters (GeoVirus offsets are one character off). The gold spans for
spotting are every LGL toponym and GeoVirus location, and the GeoWebNews
toponyms except the types that are not toponyms (``Literal_Expression``,
``Non_Lit_Expression``, ``Non_Toponym``, ``Homonym``, ``Language``).
"""
from __future__ import annotations

import argparse
import math
import platform
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "eval" / "toponyms"
CORPORA = {"lgl": ("LGL", "lgl.xml"), "gwn": ("GeoWebNews", "gwn.xml"), "geovirus": ("GeoVirus", "geovirus.xml")}
GWN_NOT_TOPONYMS = {"Literal_Expression", "Non_Lit_Expression", "Non_Toponym", "Homonym", "Language"}
MAX_KM = 20039.0  # half the Earth's circumference: the error of an unresolved span
DRIFT = 100  # characters a gold span may be moved to meet its phrase


@dataclass
class Toponym:
    start: int
    end: int
    phrase: str
    lat: Optional[float]
    lon: Optional[float]
    spot: bool = True  # counts as a gold span for spotting


@dataclass
class Doc:
    text: str
    toponyms: list[Toponym]
    doc_id: str = ""  # LGL's docid, GeoWebNews' file, GeoVirus' position in the file


# ------------------------------------------------------------------ reading
def _float(node, tag) -> Optional[float]:
    v = (node.findtext(tag) or "").strip()
    return float(v) if v else None


def read_corpus(key: str, data: Path) -> list[Doc]:
    """The articles of one corpus with their toponyms (spans as in the file)."""
    root = ET.parse(data / CORPORA[key][1]).getroot()
    docs = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        tops = []
        if key == "lgl":
            for t in art.iterfind("toponyms/toponym"):
                tag = t.find("gaztag")
                lat, lon = (_float(tag, "lat"), _float(tag, "lon")) if tag is not None else (None, None)
                tops.append(Toponym(int(t.findtext("start")), int(t.findtext("end")), t.findtext("phrase") or "", lat, lon))
        elif key == "gwn":
            for t in art.iterfind("toponyms/toponym"):
                tops.append(Toponym(int(t.findtext("start")), int(t.findtext("end")), t.findtext("extractedName") or "",
                                    _float(t, "latitude"), _float(t, "longitude"),
                                    spot=(t.findtext("type") or "") not in GWN_NOT_TOPONYMS))
        else:
            for t in art.iter("location"):  # one article nests three locations inside a fourth
                tops.append(Toponym(int(t.findtext("start")), int(t.findtext("end")), t.findtext("name") or "",
                                    _float(t, "lat"), _float(t, "lon")))
        docs.append(Doc(text, tops, art.get("docid") or art.get("file") or str(n)))
    return docs


def realign(text: str, t: Toponym) -> tuple[int, int]:
    """The span of ``t`` moved to the nearest exact occurrence of its phrase (within DRIFT characters)."""
    if text[t.start:t.end] == t.phrase or not t.phrase:
        return t.start, t.end
    best = None
    lo = max(0, t.start - DRIFT)
    at = text.find(t.phrase, lo, t.start + DRIFT + len(t.phrase))
    while at != -1:
        if best is None or abs(at - t.start) < abs(best - t.start):
            best = at
        at = text.find(t.phrase, at + 1, t.start + DRIFT + len(t.phrase))
    return (best, best + len(t.phrase)) if best is not None else (t.start, t.end)


# ------------------------------------------------------------------ scoring
def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, R = 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def auc(errors: list[float]) -> float:
    """Area under the curve of sorted ln(1 + error) / ln(MAX_KM), x scaled to [0, 1] (Gritta et al.)."""
    ys = sorted(min(1.0, math.log1p(e) / math.log(MAX_KM)) for e in errors)
    if len(ys) < 2:
        return ys[0] if ys else float("nan")
    return sum((a + b) / 2 for a, b in zip(ys, ys[1:])) / (len(ys) - 1)


def _in_country(place, lat: float, lon: float) -> bool:
    from gazetteer.countries import point_in_country

    return place.feature_type == "country" and bool(place.country) and point_in_country(lon, lat, place.country)


def given_spans(docs: list[Doc]) -> dict:
    """Resolution of the gold spans that have coordinates."""
    import geo

    errors, entity, unresolved, moved = [], 0, 0, 0
    for d in docs:
        located = [t for t in d.toponyms if t.lat is not None]
        spans = [realign(d.text, t) for t in located]
        moved += sum(1 for t, s in zip(located, spans) if s != (t.start, t.end))
        for t, m in zip(located, geo.resolve(d.text, spans) if spans else []):
            if m is None:
                errors.append(MAX_KM)
                unresolved += 1
                continue
            e = km(t.lat, t.lon, m.lat, m.lon)
            errors.append(e)
            if e <= 161 or _in_country(m, t.lat, t.lon):
                entity += 1
    n = len(errors)
    resolved = [e for e in errors if e < MAX_KM] if unresolved else errors
    return {"n": n, "acc161": sum(e <= 161 for e in errors) / n, "entity": entity / n,
            "median_km": statistics.median(resolved) if resolved else float("nan"), "auc": auc(errors),
            "unresolved": unresolved / n, "moved": moved}


def end_to_end(docs: list[Doc]) -> dict:
    """Spotting and resolution: every geoparse mention against the gold spans."""
    import geo

    tp = fp = fn = 0
    overlap_pred = overlap_gold = n_pred = n_gold = 0
    hits, located = 0, 0
    for d in docs:
        gold = {}
        for t in d.toponyms:
            if t.spot:
                gold.setdefault(realign(d.text, t), t)
        pred = {}
        for m in geo.geoparse(d.text):
            pred.setdefault((m.start, m.end), m)
        n_pred, n_gold = n_pred + len(pred), n_gold + len(gold)
        both = gold.keys() & pred.keys()
        tp, fp, fn = tp + len(both), fp + len(pred) - len(both), fn + len(gold) - len(both)
        overlap_pred += sum(1 for p in pred if any(p[0] < g[1] and g[0] < p[1] for g in gold))
        overlap_gold += sum(1 for g in gold if any(p[0] < g[1] and g[0] < p[1] for p in pred))
        for span in both:
            t, m = gold[span], pred[span]
            if t.lat is not None:
                located += 1
                hits += km(t.lat, t.lon, m.lat, m.lon) <= 161
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    po = overlap_pred / n_pred if n_pred else 0.0
    ro = overlap_gold / n_gold if n_gold else 0.0
    return {"gold": n_gold, "pred": n_pred, "p": p, "r": r, "f1": _f1(p, r), "f1_overlap": _f1(po, ro),
            "acc161_matched": hits / located if located else float("nan"), "matched_located": located}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# ------------------------------------------------------------------ report
def machine() -> str:
    """Commit and machine, for the results file."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        commit += " (working tree has uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    cpu = "?"
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo", encoding="utf-8")
                    if ln.startswith("model name")), "?")
    except OSError:
        pass
    import os

    return f"commit {commit}; {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), action="append", help="one corpus (repeatable; default all)")
    ap.add_argument("--data", type=Path, default=DATA, help=f"folder of the corpus files (default {DATA})")
    ap.add_argument("--limit", type=int, default=0, help="first N articles of each corpus only (0: all)")
    args = ap.parse_args(argv)
    keys = args.corpus or list(CORPORA)
    t0 = time.perf_counter()
    import geo

    geo.resolve("Paris", [(0, 5)])  # load the gazetteer once, outside the timings
    rows = []
    for key in keys:
        docs = read_corpus(key, args.data)
        if args.limit:
            docs = docs[:args.limit]
        t = time.perf_counter()
        g = given_spans(docs)
        e = end_to_end(docs)
        rows.append((CORPORA[key][0], len(docs), g, e, time.perf_counter() - t))
    print(f"Toponym benchmark: {machine()}")
    print()
    print("| corpus | articles | toponyms with coords | Acc@161km | Acc@161km (entity) | median error km | AUC "
          "| unresolved | span P | span R | span F1 | span F1 (overlap) | e2e Acc@161km (matched) | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n_docs, g, e, secs in rows:
        print(f"| {name} | {n_docs} | {g['n']} | {g['acc161']:.3f} | {g['entity']:.3f} | {g['median_km']:.0f} "
              f"| {g['auc']:.3f} | {g['unresolved']:.3f} | {e['p']:.3f} | {e['r']:.3f} | {e['f1']:.3f} "
              f"| {e['f1_overlap']:.3f} | {e['acc161_matched']:.3f} | {secs:.0f} |")
    print()
    for name, _, g, e, _ in rows:
        print(f"{name}: {g['moved']} gold spans realigned; end to end {e['gold']} gold spans, {e['pred']} predicted, "
              f"{e['matched_located']} exact matches with coordinates")
    print(f"total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
