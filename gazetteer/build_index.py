"""Compile (or refresh) the gazetteer index cache: ``python -m gazetteer.build_index``."""
from __future__ import annotations

import sys
import time

from .index import cache_dir, load_index


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    t = time.perf_counter()
    data = load_index(rebuild="--rebuild" in argv)
    print(f"gazetteer index {data.version}: {len(data.ids)} places, {len(data.by_key)} names "
          f"({time.perf_counter() - t:.1f} s) in {cache_dir()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
