"""Benchmark hostile input sizes: 1 MB without punctuation, 100,000 nested HTML elements.

Not a test (issue 15, finding 8). Run from the repository root::

    python bench/bench_hostile.py            # the issue's cases, limit 5 s each
    python bench/bench_hostile.py --sizes    # also 50 kB .. 1 MB, to see the growth

Each case is read with :func:`geo.text.articles.read_article` and extracted
with the default extractor; the gazetteer is loaded before the clock starts.
Exit code 1 if a case of the issue takes longer than the limit.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LIMIT_S = 5.0
MB = 1_000_000


def seeds_without_punctuation(n: int) -> str:
    """The seed articles' words with every punctuation mark removed, repeated to ``n`` characters."""
    words = " ".join(" ".join(re.sub(r"[^\w\s]", " ", p.read_text(encoding="utf-8")).split())
                     for p in sorted((ROOT / "seeds").glob("*.txt")))
    return (words + " ") * (n // (len(words) + 1)) + words[: n % (len(words) + 1)]


def keyword_soup(n: int) -> str:
    """Worst case: nothing but place, force and status words, no punctuation."""
    unit = "Russian troops left the town of Gyumri Armenia soldiers remain at the base near Kherson Ukraine "
    return (unit * (n // len(unit) + 1))[:n]


def nested_html(depth: int) -> str:
    return ("<html><body>" + "<div>" * depth + "<p>Russian troops left Kherson, Ukraine.</p>"
            + "</div>" * depth + "</body></html>")


def run(name: str, suffix: str, text: str, extractor, folder: Path) -> float:
    from geo.text.articles import read_article

    path = folder / f"{name}{suffix}"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    reports = extractor.extract(read_article(path, max_bytes=None))
    elapsed = time.perf_counter() - start
    print(f"{name:<34} {len(text) / MB:6.2f} MB {elapsed:7.2f} s  {len(reports)} reports")
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", action="store_true", help="also time 50 kB to 1 MB (growth)")
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.ERROR)  # the long-sentence / deep-html warnings are expected
    from geo.pipeline.extractor import make_extractor

    extractor = make_extractor()
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.sizes:
            for n in (50_000, 100_000, 200_000, 500_000):
                run(f"prose-{n // 1000}kB", ".txt", seeds_without_punctuation(n), extractor, folder)
        worst = max(worst, run("prose-1MB-unpunctuated", ".txt", seeds_without_punctuation(MB), extractor, folder))
        soup = run("keyword-soup-1MB (not a limit)", ".txt", keyword_soup(MB), extractor, folder)
        worst = max(worst, run("nested-div-100000", ".html", nested_html(100_000), extractor, folder))
    print(f"issue cases: slowest {worst:.2f} s (limit {LIMIT_S:.0f} s); keyword soup {soup:.2f} s")
    return 0 if worst <= LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
