"""Typed records passed between pipeline stages.

articles -> mentions -> places -> reports -> postures -> map and exports.
Every record is a frozen dataclass so stages cannot mutate each other's data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

STATUSES = ("staying", "withdrawing", "withdrawn")
FEATURE_TYPES = ("city", "town", "airport", "base", "site", "corridor", "region", "border", "country", "continent",
                 "water", "landform")
POINT_TYPES = frozenset({"city", "town", "airport", "base", "site"})


@dataclass(frozen=True, slots=True)
class Article:
    """One input article, already reduced to its article text.

    ``doc`` is the file name (the key used in reports and gold files);
    ``published`` is None when unknown, ``published_inferred`` tells whether it
    was read from metadata (False) or inferred from the text (True).
    """

    doc: str
    text: str
    path: str = ""
    title: Optional[str] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    published: Optional[date] = None
    published_inferred: bool = False
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry.

    ``geometry`` is a shapely geometry in EPSG:4326 for lines and areas, or None
    when the point (lon, lat) is all that is known. ``country`` is an ISO 3166-1
    alpha-2 code, or for a border both codes sorted and joined by '-'.
    """

    place_id: str
    name: str
    feature_type: str
    country: Optional[str]
    lat: float
    lon: float
    geometry: Any = None
    population: int = 0
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in text and (maybe) resolved to a place.

    ``literal`` is False when the name stands for a government or actor
    ("Moscow said", "the Kremlin"); only literal mentions can become postures.
    """

    start: int
    end: int
    text: str
    place_id: str
    name: str
    feature_type: str
    country: Optional[str]
    lat: float
    lon: float
    literal: bool = True
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """What one article says about the force posture at one place.

    ``trigger`` is the words that set the status; ``trigger_spans`` are their
    (start, end) offsets inside ``evidence`` so the map can highlight them.
    """

    place_id: str
    name: str
    feature_type: str
    country: Optional[str]
    lat: float
    lon: float
    status: str
    force: str
    actor: Optional[str]
    doc: str
    evidence: str
    trigger: str
    confidence: float
    outlet: Optional[str] = None
    published: Optional[date] = None
    published_inferred: bool = False
    url: Optional[str] = None
    title: Optional[str] = None
    trigger_spans: tuple[tuple[int, int], ...] = ()
    geometry: Any = None
    force_type: str = ""  # canonical force kind: troops, border guards, peacekeepers, base ...
    rules: str = ""  # ids of the rules that made the report, space-separated
    role: str = ""  # the place's role in its frame: site, origin, destination, ...


@dataclass(frozen=True, slots=True)
class Posture:
    """The consolidated status of one place across all articles.

    ``status`` comes from the latest-published report; ``conflict`` is True when
    reports of that same latest date disagree. ``reports`` keeps the full history,
    newest first.
    """

    place_id: str
    name: str
    feature_type: str
    country: Optional[str]
    lat: float
    lon: float
    status: str
    force: str
    actor: Optional[str]
    first_reported: Optional[date]
    last_reported: Optional[date]
    n_reports: int
    sources: str
    evidence: str
    conflict: bool
    reports: tuple[Report, ...] = field(default_factory=tuple)
    geometry: Any = None
    force_type: str = ""
