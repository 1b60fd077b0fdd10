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

import json
import math
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import shapely
from geopy.distance import geodesic
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from geocore.errors import DataFileError, InputError

MATCH_KM = 25.0
CODE_FEATURES = frozenset({"border", "country"})
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


@dataclass(frozen=True)
class _Gold:
    doc: str
    index: int
    place: str
    feature: str
    country: Optional[str]
    countries: frozenset
    lat: Optional[float]
    lon: Optional[float]
    status: str
    accept: frozenset
    required: bool


@dataclass(frozen=True)
class _Rep:
    doc: str
    order: int
    place_id: str
    name: str
    feature_type: str
    country: Optional[str]
    status: str
    confidence: float
    geometry: Any


# ---------------------------------------------------------------- loading

def _load_json(source: Any, what: str) -> Any:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise DataFileError(f"{path}: cannot read {what}: {exc}") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: {what} is not valid UTF-8 JSON: {exc}") from exc
    return source


def _load_gold(gold: Any) -> dict[str, list[_Gold]]:
    label = str(gold) if isinstance(gold, (str, os.PathLike)) else "gold"
    data = _load_json(gold, "gold file")
    if not isinstance(data, dict) or not isinstance(data.get("docs"), list):
        raise InputError(f"{label}: expected an object with a 'docs' list")
    out: dict[str, list[_Gold]] = {}
    for d, entry in enumerate(data["docs"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("doc"), str):
            raise InputError(f"{label}: docs[{d}] has no 'doc' file name")
        doc = entry["doc"]
        items = out.setdefault(doc, [])
        for i, g in enumerate(entry.get("postures") or []):
            where = f"{label}: {doc} postures[{i}]"
            if not isinstance(g, dict):
                raise InputError(f"{where}: not an object")
            feature = g.get("feature")
            status = g.get("status")
            if not isinstance(feature, str) or not isinstance(status, str):
                raise InputError(f"{where}: needs 'feature' and 'status' strings")
            countries = g.get("countries")
            if feature == "border" and (not isinstance(countries, list) or len(countries) < 2):
                raise InputError(f"{where}: a border needs 'countries' with both codes")
            if feature == "country" and not isinstance(g.get("country"), str):
                raise InputError(f"{where}: a country entry needs a 'country' code")
            lat, lon = g.get("lat"), g.get("lon")
            if feature not in CODE_FEATURES and not (_is_number(lat) and _is_number(lon)):
                raise InputError(f"{where}: a {feature} entry needs numeric 'lat' and 'lon'")
            items.append(_Gold(
                doc=doc, index=len(items), place=str(g.get("place", "")), feature=feature,
                country=(g.get("country") or "").upper() or None,
                countries=frozenset(str(c).upper() for c in countries or ()),
                lat=float(lat) if _is_number(lat) else None, lon=float(lon) if _is_number(lon) else None,
                status=status, accept=frozenset(g.get("accept") or ()),
                required=g.get("required", True) is not False,
            ))
    return out


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _report_items(reports: Any) -> list:
    data = _load_json(reports, "reports")
    if isinstance(data, dict):
        if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
            raise InputError("reports: expected a GeoJSON FeatureCollection or a list of reports")
        return data["features"]
    try:
        return list(data)
    except TypeError as exc:
        raise InputError(f"reports: expected a list of reports, not {type(data).__name__}") from exc


def _to_rep(item: Any, order: int) -> _Rep:
    """Accept a GeoJSON feature, a flat dict or a geocore.records.Report."""
    geometry = None
    if isinstance(item, dict) and isinstance(item.get("properties"), dict):
        props = item["properties"]
        geometry = item.get("geometry")
    elif isinstance(item, dict):
        props = item
        geometry = item.get("geometry")
    else:
        props = {k: getattr(item, k, None) for k in
                 ("doc", "place_id", "name", "feature_type", "country", "status", "confidence", "lat", "lon")}
        geometry = getattr(item, "geometry", None)
    missing = [k for k in ("doc", "place_id", "feature_type", "status") if not isinstance(props.get(k), str)]
    if missing:
        raise InputError(f"reports[{order}]: lacks {', '.join(missing)}")
    try:
        if isinstance(geometry, dict):
            geometry = shape(geometry)
        if geometry is not None and not isinstance(geometry, shapely.Geometry):
            raise TypeError(f"geometry is {type(geometry).__name__}")
    except (TypeError, ValueError, AttributeError, KeyError, shapely.errors.ShapelyError) as exc:
        raise InputError(f"reports[{order}] ({props.get('doc')}, {props.get('place_id')}): bad geometry: {exc}") from exc
    if (geometry is None or geometry.is_empty) and _is_number(props.get("lat")) and _is_number(props.get("lon")):
        geometry = Point(float(props["lon"]), float(props["lat"]))
    conf = props.get("confidence")
    return _Rep(
        doc=props["doc"], order=order, place_id=props["place_id"], name=str(props.get("name") or props["place_id"]),
        feature_type=props["feature_type"], country=(props.get("country") or None), status=props["status"],
        confidence=float(conf) if _is_number(conf) else 0.0,
        geometry=geometry if geometry is not None and not geometry.is_empty else None,
    )


def _dedupe(reps: Iterable[_Rep]) -> list[_Rep]:
    best: dict[tuple[str, str], _Rep] = {}
    for r in reps:
        key = (r.doc, r.place_id)
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    return sorted(best.values(), key=lambda r: r.order)


# ---------------------------------------------------------------- geometry

def distance_km(geometry: Any, lat: float, lon: float) -> float:
    """Geodesic km from (lat, lon) to the nearest point of ``geometry``.

    A polygon containing the point gives 0. The nearest point is found in a
    local equirectangular frame centred on the point (longitudes scaled by
    cos(lat), wrapped across the antimeridian) and measured with geopy.
    """
    if geometry is None or geometry.is_empty:
        return math.inf
    scale = math.cos(math.radians(lat)) or 1e-12

    def to_local(xy):
        out = xy.copy()
        out[:, 0] = ((xy[:, 0] - lon + 180.0) % 360.0 - 180.0) * scale
        out[:, 1] = xy[:, 1] - lat
        return out

    local = shapely.transform(geometry, to_local)
    origin = Point(0.0, 0.0)
    if local.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection") and local.covers(origin):
        return 0.0
    near = nearest_points(local, origin)[0]
    near_lat = max(-90.0, min(90.0, near.y + lat))
    near_lon = (near.x / scale + lon + 180.0) % 360.0 - 180.0
    return geodesic((lat, lon), (near_lat, near_lon)).km


def _candidate(g: _Gold, r: _Rep) -> Optional[float]:
    """Distance used for ordering if ``r`` may match ``g``, else None."""
    def dist() -> float:
        if g.lat is None or g.lon is None:
            return 0.0
        d = distance_km(r.geometry, g.lat, g.lon)
        return d if math.isfinite(d) else 0.0

    if g.feature == "border":
        codes = frozenset(c.strip().upper() for c in (r.country or "").split("-") if c.strip())
        return dist() if r.feature_type == "border" and codes == g.countries else None
    if g.feature == "country":
        return dist() if r.feature_type == "country" and (r.country or "").upper() == g.country else None
    if r.feature_type in CODE_FEATURES:
        return None
    d = distance_km(r.geometry, g.lat, g.lon)
    return d if d <= MATCH_KM else None


def _assign(golds: list[_Gold], reps: list[_Rep]) -> list[tuple[_Gold, _Rep, float]]:
    """Greedy one-to-one matching, nearest first, required gold entries first."""
    pairs = []
    for g in golds:
        for r in reps:
            d = _candidate(g, r)
            if d is not None:
                pairs.append((not g.required, d, g.index, r.place_id, r.order, g, r))
    pairs.sort(key=lambda p: p[:5])
    used_g: set[int] = set()
    used_r: set[int] = set()
    out = []
    for _optional, d, _gi, _pid, _order, g, r in pairs:
        if g.index in used_g or r.order in used_r:
            continue
        used_g.add(g.index)
        used_r.add(r.order)
        out.append((g, r, d))
    return out


# ---------------------------------------------------------------- scoring

def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    if tp + fp + fn == 0:
        return 1.0, 1.0, 1.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _gold_dict(g: _Gold) -> dict:
    d = {"doc": g.doc, "place": g.place, "feature": g.feature, "status": g.status}
    if g.feature == "border":
        d["countries"] = sorted(g.countries)
    elif g.country:
        d["country"] = g.country
    if g.accept:
        d["accept"] = sorted(g.accept)
    return d


def _rep_dict(r: _Rep) -> dict:
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
    gold_docs = _load_gold(gold)
    reps = _dedupe(_to_rep(item, i) for i, item in enumerate(_report_items(reports)))
    by_doc: dict[str, list[_Rep]] = {}
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
        assigned = _assign(golds, doc_reps)
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
