"""Notebook-friendly entry points: ``geo.geoparse``, ``geo.resolve``, ``geo.extract``.

The heavy objects (gazetteer index, geoparser, extractor) are built once per
set of user gazetteer files and reused.
"""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import Optional, Sequence, Union

from geocore.errors import InputError
from geocore.records import Article, Mention, Report


@functools.lru_cache(maxsize=4)
def _extractor(gazetteer: tuple[str, ...] = (), online: Optional[str] = None):
    from geo.pipeline.extractor import make_extractor

    return make_extractor(gazetteer, online=online)


def geoparse(text: str, *, gazetteer: Sequence[str] = (), online: Optional[str] = None) -> list[Mention]:
    """Every place mention in ``text``, resolved, with its ``literal`` decision.

    Examples
    --------
    >>> [(m.name, m.literal) for m in geoparse("Moscow said troops left Gyumri.")]  # doctest: +SKIP
    [('Moscow', False), ('Gyumri', True)]
    """
    return _extractor(tuple(gazetteer), online).gp.parse(text)


def resolve(text: str, spans: Sequence[tuple[int, int]], *, gazetteer: Sequence[str] = ()) -> list[Optional[Mention]]:
    """Resolve given (start, end) character spans of ``text``; None where it abstains."""
    return _extractor(tuple(gazetteer)).gp.resolve(text, spans)


def extract(text: Union[str, Article], meta: Optional[dict] = None, *, gazetteer: Sequence[str] = ()) -> list[Report]:
    """The posture reports of one text (one per place).

    ``meta`` may carry doc, title, outlet, url and published (ISO date).
    """
    from datetime import date

    if isinstance(text, str):
        meta = dict(meta or {})
        pub = meta.get("published")
        if isinstance(pub, str):
            try:
                pub = date.fromisoformat(pub)
            except ValueError as e:
                raise InputError(f"meta['published'] {pub!r} is not an ISO date (YYYY-MM-DD)") from e
        text = Article(doc=meta.get("doc", "<text>"), text=text, title=meta.get("title"), outlet=meta.get("outlet"),
                       url=meta.get("url"), published=pub)
    return _extractor(tuple(gazetteer)).extract(text)


def extract_file(path: Union[str, os.PathLike], *, gazetteer: Sequence[str] = (),
                 online: Optional[str] = None) -> list[Report]:
    """The reports of one article file."""
    from geo.text.articles import read_article

    return _extractor(tuple(gazetteer), online).extract(read_article(Path(path)))


def explain_file(path: Union[str, os.PathLike], *, gazetteer: Sequence[str] = ()) -> list[str]:
    """Why each place of one article file got its status, as lines of text (see ``geomap explain``)."""
    from geo.postures.explain import explain_lines
    from geo.text.articles import read_article

    return list(explain_lines(read_article(Path(path)), _extractor(tuple(gazetteer)).gp))


def export_build(fmt: str, *, from_dir: Union[str, os.PathLike] = "maps",
                 out: Optional[Union[str, os.PathLike]] = None, report_geometry: str = "full") -> Path:
    """Convert a finished build (its posture.geojson and reports.geojson) to ``fmt``.

    The folder must hold one build's files, as its ``build.json`` lists them
    (:func:`geo.pipeline.manifest.check_set`); a file written into the build
    folder is added to that manifest. ``report_geometry="point"`` puts each
    report at one point on its place (see :func:`geo.outputs.export.report_points`).
    """
    from geo.outputs.export import export_frames, load_build
    from geo.pipeline.lock import build_lock
    from geo.pipeline.manifest import add_output, check_set

    from_dir = Path(from_dir)
    if not from_dir.is_dir():
        raise InputError(f"{from_dir} is not a build folder; run `geomap build --out {from_dir}` first")
    with build_lock(from_dir):
        manifest = check_set(from_dir)
        if not (from_dir / "posture.geojson").exists():
            raise InputError(f"{from_dir} has no posture.geojson; run `geomap build --out {from_dir}` first")
        postures, reports = load_build(from_dir)
        with tempfile.TemporaryDirectory(dir=from_dir, prefix=".export-") as tmp:
            written = export_frames(postures, reports, tmp, formats=(fmt,), report_geometry=report_geometry)
            main = _main_file(fmt, written)
            target = Path(out) if out else from_dir / main.name
            target.parent.mkdir(parents=True, exist_ok=True)
            inside = target.parent.resolve() == from_dir.resolve()
            if inside and target.name in ("build.json", ".geomap-cache.sqlite"):
                raise InputError(f"--out {target} would overwrite the build's own {target.name}; give another name")
            os.replace(main, target) if inside else shutil.move(str(main), str(target))
        if inside:
            add_output(from_dir, manifest, target.name)
    return target


def _main_file(fmt: str, written: dict) -> Path:
    order = {"geojson": "posture.geojson", "gpkg": "posture.gpkg", "kml": "posture.kml", "csv": "reports.csv"}
    name = order.get(fmt)
    if name is None or name not in written:
        raise InputError(f"unknown export format {fmt!r}; use geojson, gpkg, kml or csv")
    return Path(written[name])
