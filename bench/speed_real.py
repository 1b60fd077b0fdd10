"""End-to-end build speed on real articles: ``geomap build --no-cache`` over N copies of the real texts.

The real texts are the development set restored into ``bench/data/posture-dev``
(see ``../shared/eval/posture-dev/README.md``) plus the bundled seeds. They
are copied round-robin under distinct names until there are N files, so a
1,000-article build reads real prose throughout; with ``--no-cache`` every
copy is geoparsed, parsed and extracted anew.

Usage::

    python bench/speed_real.py              # N = 1,000
    python bench/speed_real.py --n 200 --workers 2
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "bench" / "data" / "posture-dev", ROOT / "seeds")


def real_texts() -> list[Path]:
    files = []
    for folder in SOURCES:
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    return files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of articles (default 1,000)")
    ap.add_argument("--workers", type=int, default=None, help="pass --workers to the build")
    args = ap.parse_args(argv)
    texts = real_texts()
    if not texts:
        sys.exit("no real texts: restore the development set into bench/data/posture-dev first")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(args.n):
            src = texts[i % len(texts)]
            shutil.copyfile(src, corpus / f"{i:05d}_{src.name}")
        cmd = [sys.executable, "-c", "from geo.cli import app; app()", "build", str(corpus), "--out",
               str(Path(tmp) / "out"), "--no-cache", "--quiet"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if proc.returncode not in (0, 1):
            sys.exit(f"build failed ({proc.returncode}): {proc.stderr[-2000:]}")
    print(f"{args.n} real articles ({len(texts)} distinct texts), workers={args.workers or 1}: "
          f"{seconds:.1f} s wall, {args.n / seconds:.1f} articles/s end to end (process start included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
