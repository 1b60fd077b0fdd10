"""Fit the geoparser's ranker weights: ``python bench/fit_ranker.py`` rewrites ``geo/places/ranker_weights.json``.

The ranker (:mod:`geo.places.ranking`) scores each candidate of a span with a
linear model over named features. This script fits that model, numpy only:

1. **Split.** LGL and GeoWebNews articles go to the training split unless
   ``sha256("<corpus>:<doc id>")`` read as an integer is ``0, 1 or 2`` mod 10
   (about 30 %: the held-out split). GeoVirus is never trained on.
2. **Rows.** Every gold toponym with coordinates is resolved as
   ``geo.resolve`` does (the gold spans given); each of its candidates is a
   feature row, labelled good when it lies within 161 km of the gold point.
   A span with no good candidate, or only good ones, teaches nothing and is
   left out.
3. **Fit.** For each span, a softmax over its candidates; the loss is the
   mean of ``-log`` (the share of the good candidates), plus an L2 penalty,
   towards the hand-set prior (``ranking.PRIOR``: features the corpora never
   exercise, such as military bases, keep it), minimised by full-batch Adam
   from the prior (a fixed number of steps, so the output is deterministic). Pass 1 is fitted without the distance
   features, twice (the second time with the context the first fit chose:
   "Athens, Georgia" needs Athens chosen); pass 2 is then fitted with the
   distances to pass 1's choices.
4. **Threshold.** ``min_score``: spotted names (``geo.geoparse``) of the
   training split are scored with the strict rules (pass 1); the threshold is
   the lowest whose F1 is within 0.005 of the best F1 (right: an exact gold
   span, within 161 km of its point when it has one). The curve is flat near
   its top, and the lowest such threshold keeps the most places.
5. **Report.** Acc@161km given spans on the training split, the held-out split
   and GeoVirus, written into the weights file with the commit and the rule.

Refitting is this one command; ``--check`` fits and compares with the
committed file instead of writing it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import toponyms as T  # noqa: E402

from geo.places import ranking  # noqa: E402

SPLIT_RULE = 'held out when int(sha256("<corpus>:<doc id>").hexdigest(), 16) % 10 < 3 (corpus lgl or gwn)'
L2 = 1e-3
STEPS = 1500
LR = 0.05
F1_SLACK = 0.005


def held_out(corpus: str, doc_id: str) -> bool:
    return int(hashlib.sha256(f"{corpus}:{doc_id}".encode()).hexdigest(), 16) % 10 < 3


def split_docs(data: Path):
    train, held = [], []
    for key in ("lgl", "gwn"):
        for d in T.read_corpus(key, data):
            (held if held_out(key, d.doc_id) else train).append((key, d))
    geovirus = [("geovirus", d) for d in T.read_corpus("geovirus", data)]
    return train, held, geovirus


# ------------------------------------------------------------------ rows
def span_rows(gp, docs):
    """Feature rows of each given span, both passes: (pass-1 list, pass-2 list) of (x, good)."""
    rec: list = []
    orig = gp.ranker.candidates

    def hook(text, s, ctx, prev=None, second=False):
        c = orig(text, s, ctx, prev, second)
        rec.append((id(s), second, c))
        return c

    gp.ranker.candidates = hook
    out1, out2 = [], []
    try:
        for _, d in docs:
            located = [t for t in d.toponyms if t.lat is not None]
            if not located:
                continue
            rec.clear()
            given = gp.resolve_spans(d.text, [T.realign(d.text, t) for t in located])
            gold = {id(s): t for s, t in zip(given, located) if s is not None}
            for sid, second, c in rec:
                t = gold.get(sid)
                if t is None:
                    continue
                lat = np.array([gp.g.data.lats[r] for r in c.rows])
                lon = np.array([gp.g.data.lons[r] for r in c.rows])
                good = _km(t.lat, t.lon, lat, lon) <= 161
                (out2 if second else out1).append((c.x, good))
    finally:
        gp.ranker.candidates = orig
    return out1, out2


def _km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


# ------------------------------------------------------------------ fit
def fit(rows, mask: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Weights minimising the mean -log(good share) of the softmax plus L2 towards ``prior``.

    Features off in ``mask`` stay 0; a feature the rows never exercise keeps its prior.
    """
    prior = prior * mask
    rows = [(x, g) for x, g in rows if g.any() and not g.all()]
    x = np.concatenate([r[0] for r in rows]) * mask
    good = np.concatenate([r[1] for r in rows])
    seg = np.repeat(np.arange(len(rows)), [len(r[1]) for r in rows])
    starts = np.concatenate([[0], np.cumsum([len(r[1]) for r in rows])[:-1]])
    n = len(rows)
    w = prior.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, STEPS + 1):
        s = x @ w
        s = s - np.maximum.reduceat(s, starts)[seg]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[seg]
        eg = e * good
        q = eg / np.add.reduceat(eg, starts)[seg]
        grad = x.T @ (p - q) / n + 2 * L2 * (w - prior)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= LR * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
        w *= mask
    return w


def named(w: np.ndarray) -> dict:
    return {f: round(float(v), 4) for f, v in zip(ranking.FEATURES, w) if round(float(v), 4) != 0.0}


def fit_threshold(gp, docs, verbose: bool = False) -> float:
    """The lowest min_score at which the spotted names of ``docs`` are within F1_SLACK of their best F1.

    Only a name whose place is outside the article's focus countries and not
    curated is subject to the threshold (the others are always kept). A kept
    name is right when it is a gold span (and within 161 km of the gold point
    when the gold has one); every other kept name is wrong.
    """
    scored, n_gold, fixed_tp, fixed_n = [], 0, 0, 0
    for _, d in docs:
        gold = {}
        for t in d.toponyms:
            if t.spot:
                gold.setdefault(T.realign(d.text, t), t)
        n_gold += len(gold)
        for m, s, thresholded in _parse_scores(gp, d.text):
            t = gold.get((m.start, m.end))
            right = t is not None and (t.lat is None or T.km(t.lat, t.lon, m.lat, m.lon) <= 161)
            if thresholded:
                scored.append((s, right))
            else:
                fixed_tp, fixed_n = fixed_tp + right, fixed_n + 1
    scored.sort(key=lambda v: v[0])
    rights = np.cumsum([r for _, r in scored][::-1])[::-1].tolist() + [0]  # right names in scored[k:]
    curve = []  # (threshold, F1) of keeping scored[k:]
    for k in range(len(scored) + 1):
        tp, kept = fixed_tp + rights[k], fixed_n + len(scored) - k
        p, r = (tp / kept if kept else 0.0), tp / n_gold
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if verbose and k % 200 == 0 and k < len(scored):
            print(f"  min_score {scored[k][0]:7.3f}: P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        hi = scored[k][0] if k < len(scored) else scored[-1][0] + 0.02
        lo = scored[k - 1][0] if k else hi - 0.02
        curve.append((round((lo + hi) / 2, 3), f1))
    best = max(f1 for _, f1 in curve)
    # The curve is flat near its top: take the lowest threshold within F1_SLACK of
    # the best, which keeps the most places (what the posture layer needs).
    return min(t for t, f1 in curve if f1 >= best - F1_SLACK)


def _parse_scores(gp, text):
    """(mention, best score) of each ranked spotted name, with no threshold."""
    spans = gp.spotter.spot(text)
    focus = gp.ranker.focus(text, spans)
    from geo.places.spotting import drop_overlaps

    spans = drop_overlaps(spans + gp.borders.find(text, focus, spans))
    ranked = [(s, spans[k - 1] if k else None) for k, s in enumerate(spans) if s.kind not in ("border", "online")]
    ctx = gp.ranker.context(spans, focus)
    gp.ranker.resolve_all(text, [s for s, _ in ranked], ctx, strict=True, prevs=[p for _, p in ranked])
    for s, prev in ranked:
        if s.chosen is not None and s.kind == "name":
            c = gp.ranker.candidates(text, s, ctx, prev)  # pass 1, where abstention is decided
            k = int(np.argmax(np.where(c.allowed, c.x @ gp.ranker.w1, -np.inf)))
            # only a place outside the focus countries, not curated, no country and not called a place, is thresholded
            thresholded = not c.in_focus[k] and c.rows[k] not in gp.g.data.curated \
                and not ranking.exempt(gp.g, c.rows[k], text, s.start, s.end)
            yield gp._mention(s), s.score, thresholded


# ------------------------------------------------------------------ report
def accuracy(gp, docs) -> dict:
    hits = n = 0
    for _, d in docs:
        located = [t for t in d.toponyms if t.lat is not None]
        if not located:
            continue
        ms = gp.resolve(d.text, [T.realign(d.text, t) for t in located])
        for t, m in zip(located, ms):
            n += 1
            hits += m is not None and T.km(t.lat, t.lon, m.lat, m.lon) <= 161
    return {"toponyms": n, "acc161": round(hits / n, 4) if n else None}


def by_corpus(gp, docs) -> dict:
    return {key: accuracy(gp, [d for d in docs if d[0] == key]) for key in sorted({k for k, _ in docs})}


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=T.DATA, help=f"folder of the corpus files (default {T.DATA})")
    ap.add_argument("--out", type=Path, default=ranking.WEIGHTS_FILE, help="weights file to write")
    ap.add_argument("--verbose", action="store_true", help="print the F1 curve of the threshold")
    ap.add_argument("--check", action="store_true", help="fit, then compare with --out instead of writing it")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    from geo.places.geoparse import Geoparser

    train, held, geovirus = split_docs(args.data)
    nf = len(ranking.FEATURES)
    mask1 = np.ones(nf)
    mask1[ranking._DIST] = 0.0
    prior = ranking.weight_vector(ranking.PRIOR)
    start = {"pass1": {"log_pop": 1.0}, "min_score": float("-inf")}
    gp = Geoparser(ranker_weights=start)
    w1 = None
    for _ in range(2):  # the second fit sees the context (prev choices) the first one chose
        rows1, _ = span_rows(gp, train)
        w1 = fit(rows1, mask1, prior)
        gp.ranker.set_weights({"pass1": named(w1), "min_score": float("-inf")})
    _, rows2 = span_rows(gp, train)
    w2 = fit(rows2, np.ones(nf), prior)
    weights = {"pass1": named(w1), "pass2": named(w2), "min_score": float("-inf")}
    gp.ranker.set_weights(weights)
    threshold = fit_threshold(gp, train, verbose=args.verbose)
    weights["min_score"] = threshold
    gp.ranker.set_weights(weights)
    report = {"train": by_corpus(gp, train), "held_out": by_corpus(gp, held), "geovirus": accuracy(gp, geovirus)}
    out = {
        "about": "Weights of geo.places.ranking (linear score w . x over FEATURES; pass 2 adds the distance features). "
                 "Written by `python bench/fit_ranker.py`; do not edit by hand.",
        "features": list(ranking.FEATURES),
        "pass1": weights["pass1"],
        "pass2": weights["pass2"],
        "min_score": threshold,
        "fitted": {
            "commit": commit(),
            "split": SPLIT_RULE,
            "train_articles": len(train), "held_out_articles": len(held),
            "train_spans": {"pass1": len(rows1), "pass2": len(rows2)},
            "loss": "mean -log(softmax share of candidates within 161 km of the gold point) + "
                    f"{L2} * |w - prior|^2 (prior: geo.places.ranking.PRIOR); Adam, lr {LR}, {STEPS} steps "
                    "from the prior",
            "min_score_rule": f"the lowest threshold within {F1_SLACK} of the best F1 of the training split's "
                              "spotted names outside the focus countries (right: an exact gold span, within 161 km "
                              "of its point if it has one)",
            "acc161_given_spans": report,
        },
    }
    text = json.dumps(out, indent=1, ensure_ascii=False) + "\n"
    print(f"fitted in {time.perf_counter() - t0:.0f} s; min_score {threshold}")
    print("| split | corpus | toponyms | Acc@161km |")
    print("|---|---|---:|---:|")
    for split in ("train", "held_out"):
        for key, r in report[split].items():
            print(f"| {split} | {key} | {r['toponyms']} | {r['acc161']:.3f} |")
    print(f"| test | geovirus | {report['geovirus']['toponyms']} | {report['geovirus']['acc161']:.3f} |")
    for f in ranking.FEATURES:
        print(f"  {f:26s} {weights['pass1'].get(f, 0):8.3f} {weights['pass2'].get(f, 0):8.3f}")
    if args.check:
        old = json.loads(args.out.read_text(encoding="utf-8"))
        same = {k: old.get(k) for k in ("pass1", "pass2", "min_score")} == \
            {k: out[k] for k in ("pass1", "pass2", "min_score")}
        print("weights file is up to date" if same else f"{args.out} differs from this fit")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
