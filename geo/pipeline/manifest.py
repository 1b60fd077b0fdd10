"""``build.json``: what belongs to one build, so files of two builds are never combined.

Written last into the staging folder (see :mod:`geo.pipeline.staging`)::

    {"format": "geomap-build/1",
     "build": "<16 hex digits: hash of inputs, options and versions>",
     "versions": {"geomap": "0.1.0", "extractor": "<gazetteer>/<rules>"},
     "options": {"formats": [...], "tiles": "none", "max_bytes": 5000000, ...},
     "inputs": [{"doc": "001.txt", "sha256": "..."}], "skipped": 0,
     "outputs": {"posture.geojson": {"bytes": 9741, "sha256": "..."}, ...}}

It holds no time, host or absolute path, so the same inputs give the same
bytes. :func:`check_set` is what ``geomap export`` runs before it reads a
build folder: every listed output must be there with its hash, and no output
of another build may sit beside them.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from geocore.errors import InputError
from geo.outputs.atomic import atomic_write

MANIFEST = "build.json"
FORMAT = "geomap-build/1"
#: Every file name a build or ``geomap export`` may write into a build folder.
KNOWN_OUTPUTS = ("posture.html", "posture.geojson", "reports.geojson", "movements.geojson", "posture.gpkg", "posture.kml",
                 "reports.csv")


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_key(inputs: Sequence[tuple[str, str]], options: Mapping[str, Any], versions: Mapping[str, Any]) -> str:
    """The build id: a hash of what decides the outputs (known before they are written)."""
    blob = json.dumps([list(map(list, inputs)), dict(options), dict(versions)], sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def make_manifest(*, build: str, inputs: Sequence[tuple[str, str]], skipped: int, options: Mapping[str, Any],
                  versions: Mapping[str, Any], outputs: Mapping[str, Path]) -> dict:
    """The manifest of a build whose outputs are the files in ``outputs`` (name -> path)."""
    return {
        "format": FORMAT, "build": build, "versions": dict(versions), "options": dict(options),
        "inputs": [{"doc": doc, "sha256": digest} for doc, digest in inputs], "skipped": skipped,
        "outputs": {name: {"bytes": Path(p).stat().st_size, "sha256": sha256_file(Path(p))}
                    for name, p in sorted(outputs.items())},
    }


def write_manifest(folder: Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``build.json`` into ``folder`` atomically."""
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
    return atomic_write(Path(folder) / MANIFEST, text)


def read_manifest(folder: Path) -> Optional[dict]:
    """The manifest of ``folder``, None if it has none; InputError naming the file if it is damaged."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return None
    fix = f"rebuild with `geomap build --out {folder}`"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise InputError(f"{path}: not a readable build manifest ({type(exc).__name__}); {fix}") from None
    outputs = data.get("outputs") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(outputs, dict)
            or not all(isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in outputs.values())
            or not all(isinstance(k, str) and k == os.path.basename(k) and k not in ("", ".", "..")
                       for k in outputs)):
        raise InputError(f"{path}: not a geomap build manifest (format {FORMAT}); {fix}")
    return data


def check_set(folder: Path) -> dict:
    """The manifest of ``folder`` after checking that its outputs are one build's, unchanged.

    Raises
    ------
    InputError
        No manifest beside outputs, a listed output missing or changed, or an
        output of another build beside them; the message names the file.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    fix = f"rebuild with `geomap build --out {folder}`"
    if manifest is None:
        present = [n for n in KNOWN_OUTPUTS if (folder / n).exists()]
        if present:
            raise InputError(f"{folder}: has {present[0]} but no {MANIFEST}, so which build its files belong "
                             f"to is unknown; {fix}")
        raise InputError(f"{folder} has no build; run `geomap build --out {folder}` first")
    for name, entry in sorted(manifest["outputs"].items()):
        path = folder / name
        if not path.is_file():
            raise InputError(f"{path}: listed in {MANIFEST} but missing; {fix}")
        if sha256_file(path) != entry["sha256"]:
            raise InputError(f"{path}: differs from the file {MANIFEST} lists (changed, or from another build); "
                             f"{fix}")
    for name in KNOWN_OUTPUTS:
        if name not in manifest["outputs"] and (folder / name).exists():
            raise InputError(f"{folder / name}: not part of the build in {folder / MANIFEST} (left from "
                             f"another build); {fix}")
    return manifest


def add_output(folder: Path, manifest: dict, name: str) -> None:
    """Record ``folder/name`` (just written by ``geomap export``) in the manifest."""
    path = Path(folder) / name
    manifest = dict(manifest)
    manifest["outputs"] = {**manifest["outputs"],
                           name: {"bytes": path.stat().st_size, "sha256": sha256_file(path)}}
    manifest["outputs"] = dict(sorted(manifest["outputs"].items()))
    write_manifest(folder, manifest)
