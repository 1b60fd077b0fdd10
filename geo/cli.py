"""The ``geomap`` command: a thin layer over the Python API.

Exit codes (docs/reliability.md): 0 built; 1 built, but some inputs were
skipped; 2 usage or input error, nothing written; 3 nothing to build (no
input file or no readable article), --out untouched; 4 no posture found and
no --allow-empty, --out untouched.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from geocore.errors import ArticleError, GeomapError

app = typer.Typer(
    help="geomap: news articles about military deployments -> force postures on a map and in GIS files.\n\n"
         "Example: geomap build seeds/ --formats geojson,gpkg,kml,csv",
    no_args_is_help=True,
    add_completion=True,
)
gazetteer_app = typer.Typer(help="Look things up in the offline gazetteer.\n\nExample: geomap gazetteer lookup Gyumri",
                            no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")

GazetteerOpt = typer.Option(None, "--gazetteer", help="Extra gazetteer file (YAML or GeoJSON, see docs/gazetteer.md). Repeatable.")
JsonOpt = typer.Option(False, "--json", help="Machine-readable JSON on stdout.")
ReportGeometryOpt = typer.Option("full", "--report-geometry",
                                 help="Geometry of the report layers: full (the place's outline) or point "
                                      "(one point on it; much smaller files for large builds).")
OnlineOpt = typer.Option(False, "--online-geocoder",
                         help="Ask a Nominatim service about names the offline gazetteer lacks (off by default; "
                              "sends those names over the network).")
GeocoderUrlOpt = typer.Option("https://nominatim.openstreetmap.org", "--geocoder-url",
                              help="Nominatim base URL used with --online-geocoder (e.g. a self-hosted one).")


class _Out:
    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet, self.verbose = quiet, verbose

    def info(self, msg: str) -> None:
        if not self.quiet:
            typer.echo(msg, err=True)

    def debug(self, msg: str) -> None:
        if self.verbose:
            typer.echo(msg, err=True)


class _PlainFormatter(__import__("logging").Formatter):
    def format(self, record) -> str:
        return "warning: " + _plain(record.getMessage())


def _setup_logging(quiet: bool) -> None:
    """Library warnings (e.g. a guessed encoding) as one terminal-safe line each; none with --quiet."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PlainFormatter())
    root = logging.getLogger("geo")
    root.handlers[:] = [handler]
    root.propagate = True  # pytest and embedding apps still see the records
    root.setLevel(logging.ERROR if quiet else logging.WARNING)
    for name in ("gazetteer",):
        other = logging.getLogger(name)
        other.handlers[:] = [handler]
        other.propagate = True
        other.setLevel(root.level)


def _progress(enabled: bool):
    """A rich progress bar on stderr for interactive runs (typer ships rich)."""
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


_CONTROL = __import__("re").compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(msg: object) -> str:
    """One terminal-safe line: file names and article text may carry escape codes."""
    return _CONTROL.sub("?", str(msg))


def _fail(err: Exception) -> None:
    typer.echo(f"error: {_plain(err)}", err=True)
    raise typer.Exit(getattr(err, "exit_code", 2))


@app.command()
def build(
    inputs: Optional[List[Path]] = typer.Argument(None, help="Article files or folders (default: seeds/)."),
    out: Path = typer.Option(Path("maps"), "--out", help="Output folder."),
    formats: str = typer.Option("geojson", "--formats", help="Comma-separated exports: geojson,gpkg,kml,csv."),
    gazetteer: Optional[List[Path]] = GazetteerOpt,
    tiles: str = typer.Option("none", "--tiles", help="Basemap tiles: none (offline), osm, or an http(s) URL template."),
    metadata: Optional[Path] = typer.Option(None, "--metadata", help="metadata.json for the articles (default: one found in an input folder)."),
    max_bytes: int = typer.Option(5_000_000, "--max-bytes", help="Skip articles larger than this many bytes."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Re-extract every article instead of reusing cached reports."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Cache file (default: OUT/.geomap-cache.sqlite)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Extract on this many local processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Extract on a Dask cluster at this address (tcp://host:8786)."),
    online_geocoder: bool = OnlineOpt,
    geocoder_url: str = GeocoderUrlOpt,
    geocoder_cache: Optional[Path] = typer.Option(None, "--geocoder-cache",
                                                  help="SQLite file caching online answers (default: the user cache)."),
    report_geometry: str = ReportGeometryOpt,
    allow_empty: bool = typer.Option(False, "--allow-empty",
                                     help="Write an empty map when the articles hold no posture "
                                          "(else exit 4 and leave --out as it was)."),
    follow_links: bool = typer.Option(False, "--follow-links",
                                      help="Read symbolic links that point out of an input folder "
                                           "(skipped by default)."),
    as_json: bool = JsonOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also name every article read."),
) -> None:
    """Build the posture map and exports from articles.

    Exit codes: 0 built, 1 built with inputs skipped, 2 usage error, 3 nothing to build, 4 no posture.

    Example: geomap build seeds/ --out maps --formats geojson,gpkg,kml,csv
    """
    from geo.pipeline.run import build as run_build

    log = _Out(quiet, verbose)
    _setup_logging(quiet)
    fmts = [f.strip() for f in formats.split(",") if f.strip()]
    progress = _progress(enabled=not quiet and not as_json and sys.stderr.isatty())
    task = progress.add_task("articles", total=None) if progress else None

    def seen(item) -> None:
        if isinstance(item, ArticleError):
            log.info(f"skipped: {_plain(item)}")
        else:
            log.debug(f"read: {_plain(item.doc)}")
        if progress:
            progress.advance(task)

    try:
        if progress:
            progress.start()
        result = run_build([str(p) for p in (inputs or [Path("seeds")])], out, formats=fmts,
                           gazetteer=[str(g) for g in gazetteer or []], tiles=tiles,
                           metadata=str(metadata) if metadata else None, max_bytes=max_bytes, on_article=seen,
                           cache=not no_cache, cache_path=str(cache) if cache else None, workers=workers,
                           scheduler=scheduler, online_geocoder=geocoder_url if online_geocoder else None,
                           geocoder_cache=str(geocoder_cache) if geocoder_cache else None,
                           report_geometry=report_geometry, allow_empty=allow_empty,
                           follow_links=follow_links, on_wait=lambda msg: typer.echo(_plain(msg), err=True))
    except GeomapError as e:
        _fail(e)
    finally:
        if progress:
            progress.stop()
    counts = {s: sum(p.status == s for p in result.posture_records) for s in ("staying", "withdrawing", "withdrawn")}
    if as_json:
        typer.echo(json.dumps({
            "articles": result.n_articles, "skipped": [{"path": e.path, "problem": e.problem} for e in result.skipped],
            "reports": len(result.report_records), "postures": len(result.posture_records), "status_counts": counts,
            "outputs": {k: str(v) for k, v in sorted(result.outputs.items())},
        }, indent=2))
    else:
        log.info(f"{result.n_articles} articles, {len(result.report_records)} reports, {len(result.posture_records)} places "
                 f"({counts['staying']} staying, {counts['withdrawing']} withdrawing, {counts['withdrawn']} withdrawn)")
        for name, path in sorted(result.outputs.items()):
            log.info(f"wrote {path}")
        if result.skipped:
            log.info(f"{len(result.skipped)} input(s) skipped; see the messages above")
    raise typer.Exit(1 if result.skipped else 0)


@app.command()
def extract(
    file: Path = typer.Argument(..., help="One article (.txt, .md or .html)."),
    gazetteer: Optional[List[Path]] = GazetteerOpt,
    online_geocoder: bool = OnlineOpt,
    geocoder_url: str = GeocoderUrlOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Print the posture reports of one article.

    Example: geomap extract seeds/001_4e4279bceb8711b7.txt --json
    """
    from geo.api import extract_file

    _setup_logging(False)
    try:
        reports = extract_file(file, gazetteer=[str(g) for g in gazetteer or []],
                               online=geocoder_url if online_geocoder else None)
    except GeomapError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps([_report_dict(r) for r in reports], indent=2, ensure_ascii=False))
        return
    for r in reports:  # article text reaches a terminal: keep it to one safe line each
        typer.echo(_plain(f"{r.status:<12} {r.name} [{r.place_id}]  force={r.force!r} actor={r.actor} conf={r.confidence}"))
        typer.echo(_plain(f"    trigger: {r.trigger!r}"))
        typer.echo(_plain(f"    evidence: {r.evidence}"))
        if r.rules:
            typer.echo(_plain(f"    rules: {r.rules}"))


def _report_dict(r) -> dict:
    return {
        "place_id": r.place_id, "name": r.name, "feature_type": r.feature_type, "country": r.country,
        "lat": r.lat, "lon": r.lon, "status": r.status, "force": r.force, "actor": r.actor, "doc": r.doc,
        "outlet": r.outlet, "published": r.published.isoformat() if r.published else None,
        "evidence": r.evidence, "trigger": r.trigger, "confidence": r.confidence, "rules": r.rules,
    }


@app.command()
def explain(
    file: Path = typer.Argument(..., help="One article (.txt, .md or .html)."),
    gazetteer: Optional[List[Path]] = GazetteerOpt,
) -> None:
    """Print why each place got its status: the frames of every sentence, the roles and the rule ids.

    Example: geomap explain seeds/001_4e4279bceb8711b7.txt
    """
    from geo.api import explain_file

    try:
        lines = explain_file(file, gazetteer=[str(g) for g in gazetteer or []])
    except GeomapError as e:
        _fail(e)
    for line in lines:  # article text reaches a terminal: one safe line each
        typer.echo(_plain(line))


@app.command()
def geoparse(
    file: Path = typer.Argument(..., help="A text file (or - for stdin)."),
    gazetteer: Optional[List[Path]] = GazetteerOpt,
    online_geocoder: bool = OnlineOpt,
    geocoder_url: str = GeocoderUrlOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Print every place mention of a text with its resolution and literalness.

    Example: geomap geoparse seeds/003_c34f35e251d0623a.txt --json
    """
    from geo.api import geoparse as run

    _setup_logging(False)
    try:
        text = sys.stdin.read() if str(file) == "-" else _read_text(file)
        mentions = run(text, gazetteer=[str(g) for g in gazetteer or []], online=geocoder_url if online_geocoder else None)
    except GeomapError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps([dataclasses.asdict(m) for m in mentions], indent=2, ensure_ascii=False))
        return
    for m in mentions:
        flag = "literal" if m.literal else "non-literal"
        typer.echo(_plain(f"{m.start:>6}-{m.end:<6} {m.text!r:<32} -> {m.name} [{m.place_id}] {m.feature_type} "
                          f"{m.country} ({m.lat:.4f}, {m.lon:.4f}) {flag} score={m.score}"))


def _read_text(file: Path) -> str:
    from geo.text.articles import read_article

    return read_article(file).text


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    name: str = typer.Argument(..., help="A place name, in any transliteration."),
    country: Optional[str] = typer.Option(None, "--country", help="ISO 3166-1 alpha-2 code to filter on."),
    gazetteer: Optional[List[Path]] = GazetteerOpt,
    limit: int = typer.Option(10, "--limit", help="At most this many places."),
    as_json: bool = JsonOpt,
) -> None:
    """List the gazetteer places a name can mean, most prominent first.

    Example: geomap gazetteer lookup Lachin --country AZ
    """
    from gazetteer.index import Gazetteer

    if limit < 1:
        _fail(GeomapError(f"--limit must be at least 1, got {limit}"))
    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        _fail(GeomapError(f"--country {_plain(country)!r} is not a two-letter ISO 3166-1 code such as AM or UA"))
    try:
        places = Gazetteer.load([str(g) for g in gazetteer or []]).lookup(name, country=country, limit=limit)
    except GeomapError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps([{"place_id": p.place_id, "name": p.name, "feature_type": p.feature_type,
                                "country": p.country, "lat": p.lat, "lon": p.lon, "population": p.population}
                               for p in places], indent=2, ensure_ascii=False))
        return
    if not places:
        typer.echo(f"no place named {name!r}" + (f" in {country}" if country else ""), err=True)
        raise typer.Exit(1)
    for p in places:
        typer.echo(f"{p.place_id:<28} {p.feature_type:<9} {p.country or '':<6} {p.lat:>9.4f} {p.lon:>10.4f}  {p.name}")


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold file (format of tests/data/seeds.gold.json)."),
    reports: Path = typer.Option(Path("maps/reports.geojson"), "--reports", help="reports.geojson of a build."),
    as_json: bool = JsonOpt,
) -> None:
    """Score a build's reports against a gold file (P/R/F1 and strict F1).

    Example: geomap evaluate tests/data/seeds.gold.json --reports maps/reports.geojson
    """
    from geo.evaluation.score import evaluate as run, format_result

    try:
        result = run(str(gold), str(reports))
    except (GeomapError, OSError) as e:
        _fail(e)
    typer.echo(json.dumps(result.to_dict(), indent=2) if as_json else format_result(result))


@app.command()
def export(
    format: str = typer.Option(..., "--format", help="geojson, gpkg, kml or csv."),
    from_dir: Path = typer.Option(Path("maps"), "--from", help="Folder of a finished build."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output file (default: in the build folder)."),
    report_geometry: str = ReportGeometryOpt,
) -> None:
    """Convert a finished build to another GIS format.

    Example: geomap export --format gpkg --from maps --out posture.gpkg
    """
    from geo.api import export_build

    try:
        path = export_build(format, from_dir=from_dir, out=out, report_geometry=report_geometry)
    except (GeomapError, OSError) as e:
        _fail(e)
    typer.echo(str(path))


def main() -> None:  # pragma: no cover - console entry point
    app()
