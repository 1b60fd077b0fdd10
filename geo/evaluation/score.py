"""Score reports against a gold file: place-level and status-strict precision/recall/F1.

Matching rules
--------------
* Reports and gold entries are compared per article (``doc``).
* Several reports of the same ``place_id`` in the same doc count once: the one
  with the highest ``confidence`` is kept (ties: the first in input order).
* A gold entry with ``"feature": "border"`` matches a report with
  ``feature_type`` "border" whose ``country`` codes (split on '-') are the gold
  ``countries``, in any order.
* A gold entry with ``"feature": "country"`` matches a report with
  ``feature_type`` "country" and the same ``country`` code.
* Any other gold entry matches a report that is neither a border nor a country
  whose geometry lies within 25 km (geodesic, WGS 84) of the gold lat/lon: the
  distance to a point, or to the nearest point of a line or polygon (0 km for
  a polygon that contains the gold point).
* Assignment is one-to-one and greedy: candidate pairs are taken nearest first
  (ties: gold order, then place_id), required gold entries before optional ones
  so an optional entry never takes the report a required one needs.
* Gold entries with ``"required": false`` are optional: a report matching one
  is neither a true nor a false positive, and a missing one is not a miss.
* Place-level scores ignore status. Status-strict scores count a match as
  correct only when the report's status equals the gold status or is in the
  entry's ``accept`` list: strict precision = correct / (TP + FP), strict
  recall = correct / (TP + FN).
* Unmatched reports are extras (false positives), and so is every report whose
  doc has no gold entry at all.
* A ratio with a zero denominator is 0, except that with no gold entries and no
  reports every score is 1.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from geo.evaluation.gold import GoldEntry, load_gold
from geo.evaluation.match import assign
from geo.evaluation.reports import ReportEntry, load_reports

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class EvalResult:
    """Scores and the itemised differences between reports and gold."""

    precision: float
    recall: float
    f1: float
    strict_precision: float
    strict_recall: float
    strict_f1: float
    tp: int
    fp: int
    fn: int
    strict_tp: int = 0
    misses: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    wrong_status: list[dict] = field(default_factory=list)
    matches: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (for ``geomap evaluate --json``)."""
        return asdict(self)


# ---------------------------------------------------------------- scoring

def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    if tp + fp + fn == 0:
        return 1.0, 1.0, 1.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _gold_dict(g: GoldEntry) -> dict:
    d = {"doc": g.doc, "place": g.place, "feature": g.feature, "status": g.status}
    if g.feature == "border":
        d["countries"] = sorted(g.countries)
    elif g.country:
        d["country"] = g.country
    if g.accept:
        d["accept"] = sorted(g.accept)
    return d


def _rep_dict(r: ReportEntry) -> dict:
    return {"doc": r.doc, "place_id": r.place_id, "name": r.name, "feature_type": r.feature_type,
            "country": r.country, "status": r.status}


def evaluate(gold: Any, reports: Any) -> EvalResult:
    """Compare reports with a gold file; see the module docstring for the rules.

    Parameters
    ----------
    gold : dict or path
        Gold data (``{"docs": [{"doc", "postures": [...]}, ...]}``) or its file.
    reports : list or path
        Report dicts (flat, or GeoJSON features), Report records, a
        FeatureCollection dict, or a path to a reports.geojson.

    Returns
    -------
    EvalResult
    """
    gold_docs = load_gold(gold)
    reps = load_reports(reports)
    by_doc: dict[str, list[ReportEntry]] = {}
    for r in reps:
        by_doc.setdefault(r.doc, []).append(r)

    tp = fp = fn = strict_tp = 0
    misses: list[dict] = []
    extras: list[dict] = []
    wrong: list[dict] = []
    matches: list[dict] = []
    for doc in sorted(set(gold_docs) | set(by_doc)):
        golds = gold_docs.get(doc)
        doc_reps = by_doc.get(doc, [])
        if golds is None:
            for r in doc_reps:
                extras.append({**_rep_dict(r), "reason": "doc not in gold"})
                fp += 1
            continue
        assigned = assign(golds, doc_reps)
        matched_g = {g.index for g, _, _ in assigned}
        matched_r = {r.order for _, r, _ in assigned}
        for g, r, d in sorted(assigned, key=lambda a: a[0].index):
            if not g.required:
                continue  # optional: neither TP nor FP
            tp += 1
            correct = r.status == g.status or r.status in g.accept
            strict_tp += correct
            item = {**_gold_dict(g), "report": _rep_dict(r), "distance_km": round(d, 3), "status_ok": correct}
            matches.append(item)
            if not correct:
                wrong.append({**_gold_dict(g), "reported": r.status, "place_id": r.place_id, "name": r.name})
        for g in golds:
            if g.required and g.index not in matched_g:
                fn += 1
                misses.append(_gold_dict(g))
        for r in doc_reps:
            if r.order not in matched_r:
                fp += 1
                extras.append({**_rep_dict(r), "reason": "matches no gold entry"})

    p, rc, f = _prf(tp, fp, fn)
    sp = strict_tp / (tp + fp) if tp + fp else (1.0 if tp + fp + fn == 0 else 0.0)
    sr = strict_tp / (tp + fn) if tp + fn else (1.0 if tp + fp + fn == 0 else 0.0)
    sf = 2 * sp * sr / (sp + sr) if sp + sr else 0.0
    return EvalResult(precision=p, recall=rc, f1=f, strict_precision=sp, strict_recall=sr, strict_f1=sf,
                      tp=tp, fp=fp, fn=fn, strict_tp=strict_tp,
                      misses=misses, extras=extras, wrong_status=wrong, matches=matches)


# ---------------------------------------------------------------- text

def _clean(value: Any) -> str:
    """Printable text: report fields come from articles and may hold terminal escapes."""
    return _CONTROL.sub("?", str(value))


def format_result(result: EvalResult) -> str:
    """Human-readable scores, then each miss, extra and wrong status."""
    lines = [
        f"place-level   precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}"
        f"   (TP {result.tp}, FP {result.fp}, FN {result.fn})",
        f"status-strict precision {result.strict_precision:.3f}  recall {result.strict_recall:.3f}"
        f"  F1 {result.strict_f1:.3f}   (correct status {result.strict_tp} of {result.tp} matched)",
    ]

    def where(d: dict) -> str:
        codes = "-".join(d["countries"]) if "countries" in d else d.get("country") or ""
        return f"{d['place']} [{d['feature']}{' ' + codes if codes else ''}]"

    lines.append(f"misses ({len(result.misses)}):")
    lines += [f"  {_clean(m['doc'])}: {_clean(where(m))} gold {_clean(m['status'])}" for m in result.misses] or ["  none"]
    lines.append(f"extras ({len(result.extras)}):")
    lines += [
        f"  {_clean(e['doc'])}: {_clean(e['name'])} ({_clean(e['place_id'])}, {_clean(e['feature_type'])})"
        f" reported {_clean(e['status'])} - {e['reason']}"
        for e in result.extras
    ] or ["  none"]
    lines.append(f"wrong status ({len(result.wrong_status)}):")
    lines += [
        f"  {_clean(w['doc'])}: {_clean(where(w))} reported {_clean(w['reported'])}, gold {_clean(w['status'])}"
        + (f" (also accepts {', '.join(w['accept'])})" if w.get("accept") else "")
        for w in result.wrong_status
    ] or ["  none"]
    return "\n".join(lines) + "\n"
