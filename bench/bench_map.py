"""Benchmark the posture map: build and save synthetic postures, then open it in headless Chromium.

Not a test. Run from the repository root::

    python bench/bench_map.py 10000           # postures, about 2 reports each
    python bench/bench_map.py --reports 10000 # postures until 10,000 reports

Prints the HTML size, build and save time and, when /usr/bin/chromium and
playwright are there, the open time: from navigation until the map, labels,
timeline and first page of the report list are drawn and the page answers
(best of 3 loads, network cut), plus one date change and one text filter.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shapely.geometry import LineString, box  # noqa: E402

from geo.outputs.map.page import build_map, save_map  # noqa: E402
from geocore.records import STATUSES, Posture, Report  # noqa: E402

FORCES = ("troops", "border guards", "peacekeepers", "air defence", "naval group", "special forces")
ACTORS = ("Russia", "France", "United States", "Turkey", "Wagner", "United Kingdom", "Germany", "China")
WORDS = "troops remain stationed at the base while officials said the contingent will withdraw next month".split()


def synthetic(n: int, seed: int = 0) -> list[Posture]:
    """``n`` postures with 1-3 reports each: mostly points, some lines and areas."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lon, lat = rng.uniform(-20, 60), rng.uniform(-35, 60)
        kind = rng.random()
        geom = None
        ftype = "base"
        if kind > 0.95:
            geom, ftype = LineString([(lon, lat), (lon + 0.7, lat + 0.4), (lon + 1.2, lat + 0.2)]), "border"
        elif kind > 0.9:
            geom, ftype = box(lon, lat, lon + 0.5, lat + 0.4), "region"
        reports = []
        for k in range(rng.randint(1, 3)):
            status = rng.choice(STATUSES)
            words = rng.sample(WORDS, 10)
            evidence = " ".join(words).capitalize() + "."
            start = evidence.lower().find(words[3])
            reports.append(Report(
                place_id=f"p{i}", name=f"Place {i}", feature_type=ftype, country="XX", lat=lat, lon=lon,
                status=status, force=rng.choice(FORCES), actor=rng.choice(ACTORS), doc=f"article-{rng.randint(0, 999)}.txt",
                evidence=evidence, trigger=words[3], confidence=round(rng.random(), 2),
                outlet=f"Outlet {rng.randint(0, 40)}", published=date(2024, 1, 1) + timedelta(days=rng.randint(0, 365)),
                published_inferred=rng.random() < 0.2, url=f"https://news.example/{i}/{k}",
                trigger_spans=((start, start + len(words[3])),),
            ))
        reports.sort(key=lambda r: r.published, reverse=True)
        latest = [r for r in reports if r.published == reports[0].published]
        out.append(Posture(
            place_id=f"p{i}", name=f"Place {i}", feature_type=ftype, country="XX", lat=lat, lon=lon,
            status=reports[0].status, force=reports[0].force, actor=reports[0].actor,
            first_reported=reports[-1].published, last_reported=reports[0].published, n_reports=len(reports),
            sources="; ".join(sorted({r.doc for r in reports})), evidence=reports[0].evidence,
            conflict=len({r.status for r in latest}) > 1, reports=tuple(reports), geometry=geom,
        ))
    return out


CHROMIUM = Path("/usr/bin/chromium")
READY = ("() => window.geomap !== undefined && window.geomap.counts !== null && "
         "document.querySelectorAll('#gm-feed-list .gm-fi').length > 0")


def open_times(path: Path, runs: int = 3) -> dict[str, float]:
    """Seconds to open ``path`` until interactive (best of ``runs``), a date change and a text filter."""
    from playwright.sync_api import sync_playwright

    best = {"open": float("inf"), "set_date": float("inf"), "filter": float("inf")}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
            t0 = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="commit")
            page.wait_for_function(READY, polling=20, timeout=60_000)
            page.evaluate("() => window.geomap.map.getZoom()")  # the page answers
            best["open"] = min(best["open"], time.perf_counter() - t0)
            best["set_date"] = min(best["set_date"], page.evaluate(
                "() => { const t = performance.now(); window.geomap.setDate(window.geomap.dates[0]); return (performance.now() - t) / 1000; }"))
            best["filter"] = min(best["filter"], page.evaluate(
                """() => { const el = document.getElementById('gm-f-text'); const t = performance.now();
                           el.value = 'withdraw'; el.dispatchEvent(new Event('input')); return (performance.now() - t) / 1000; }"""))
            page.close()
        browser.close()
    return best


def for_reports(target: int) -> list[Posture]:
    """Synthetic postures until their reports number ``target`` (the last is trimmed)."""
    import dataclasses

    out, total = [], 0
    for p in synthetic(target):
        keep = p.reports[: target - total]
        out.append(p if len(keep) == len(p.reports) else dataclasses.replace(p, reports=keep, n_reports=len(keep)))
        total += len(keep)
        if total >= target:
            break
    return out


def main(argv: list[str]) -> None:
    postures = for_reports(int(argv[1])) if argv[:1] == ["--reports"] else synthetic(int(argv[0]) if argv else 10000)
    t0 = time.perf_counter()
    m = build_map(postures)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        save_map(m, path)
        size = path.stat().st_size
        t2 = time.perf_counter()
        line = (f"postures={len(postures)} reports={sum(len(p.reports) for p in postures)} "
                f"size={size / 1e6:.2f} MB build={t1 - t0:.2f}s save={t2 - t1:.2f}s")
        if CHROMIUM.exists():
            times = open_times(path)
            line += f" open={times['open']:.2f}s set_date={times['set_date']:.3f}s filter={times['filter']:.3f}s"
    print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
