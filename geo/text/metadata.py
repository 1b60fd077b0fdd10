"""Article metadata: ``metadata.json`` parsing, ISO dates and safe URLs.

See :mod:`geo.text.articles` for the file format.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping, Optional, Union
from urllib.parse import urlsplit

from geo.text.normalize import one_line

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about one article beyond its text (all optional)."""

    title: Optional[str] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    published: Optional[date] = None
    published_inferred: bool = False


_META_KEYS = ("file", "title", "outlet", "url", "published", "published_inferred")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z ]*)?\s*$")


def parse_date(value: str) -> Optional[date]:
    """Parse ``YYYY-MM-DD`` (optionally followed by an ISO time); None if invalid."""
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def safe_url(value: str) -> Optional[str]:
    """Return ``value`` stripped if it is an absolute http(s) URL, else None.

    Anything else (``javascript:``, ``data:``, relative paths, URLs with
    spaces or control characters) is refused: URLs end up as map links.
    """
    value = value.strip()
    if not value or len(value) > 2048 or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


def type_name(value: Any) -> str:
    """How a JSON value's type reads in a warning ("a number", "a list", ...)."""
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "an object", str: "text"}.get(type(value), type(value).__name__)


def short(value: Any) -> str:
    """``repr(value)``, cut to 60 characters, for quoting user data in a warning."""
    text = repr(value)  # repr neutralises control characters in the warning
    return text if len(text) <= 60 else text[:57] + "..."


def parse_entry(entry: Mapping[str, Any], where: str, problems: list[str]) -> ArticleMeta:
    """The valid fields of one metadata entry; each bad one is dropped with a line in ``problems``."""
    fields: dict[str, Any] = {}
    for key in sorted(entry, key=str):
        value = entry[key]
        if key == "file":
            continue
        if key not in _META_KEYS:
            problems.append(f"{where}: unknown key {short(key)} ignored "
                            f"(known keys: {', '.join(_META_KEYS)})")
        elif value is None:
            continue
        elif key in ("title", "outlet"):
            if isinstance(value, str) and one_line(value):
                fields[key] = one_line(value)
            else:
                problems.append(f"{where}: {key!r} must be text or null, got {type_name(value)}; dropped")
        elif key == "url":
            url = safe_url(value) if isinstance(value, str) else None
            if url is None:
                problems.append(f"{where}: 'url' {short(value)} dropped: only http(s) URLs are kept")
            else:
                fields["url"] = url
        elif key == "published":
            day = parse_date(value) if isinstance(value, str) else None
            if day is None:
                problems.append(f"{where}: 'published' must be a date like 2024-05-09, "
                                f"got {short(value)}; dropped")
            else:
                fields["published"] = day
        elif key == "published_inferred":
            if isinstance(value, bool):
                fields["published_inferred"] = value
            else:
                problems.append(f"{where}: 'published_inferred' must be true or false, "
                                f"got {short(value)}; dropped")
    if "published" not in fields:
        fields.pop("published_inferred", None)  # meaningless without a date
    return ArticleMeta(**fields)


def file_key(name: str) -> str:
    """A ``file`` value as a lookup key: stripped, ``/`` separators, no leading ``./``."""
    key = name.strip().replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key


def parse_metadata(data: Any) -> tuple[dict[str, ArticleMeta], list[str]]:
    """Validate a decoded metadata.json object.

    Returns
    -------
    meta : dict
        ``file`` key -> :class:`ArticleMeta`, in file order.
    problems : list of str
        One line per dropped field or entry; never raises on bad content.
    """
    problems: list[str] = []
    meta: dict[str, ArticleMeta] = {}
    if not isinstance(data, dict):
        return meta, [f'expected an object {{"articles": [...]}}, got {type_name(data)}']
    for key in sorted(k for k in data if k not in ("about", "articles")):
        problems.append(f"unknown top-level key {short(key)} ignored (known: about, articles)")
    articles = data.get("articles")
    if not isinstance(articles, list):
        problems.append(f"'articles' must be a list, got {type_name(articles) if articles is not None else 'nothing'}")
        return meta, problems
    for i, entry in enumerate(articles):
        where = f"articles[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected an object, got {type_name(entry)}; skipped")
            continue
        name = entry.get("file")
        if not isinstance(name, str) or not file_key(name):
            problems.append(f"{where}: 'file' must name the article file; entry skipped")
            continue
        key = file_key(name)
        where = f"{where} ({short(key)})"
        if key in meta:
            problems.append(f"{where}: duplicate entry for this file; the first one is kept")
            continue
        meta[key] = parse_entry(entry, where, problems)
    return meta, problems


def load_metadata(path: PathLike) -> tuple[dict[str, ArticleMeta], list[str]]:
    """Read a metadata.json file; problems are returned, never raised.

    Whether each entry matches an article file is checked by
    :func:`iter_articles`, which knows which files exist.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return {}, [f"cannot read metadata: {exc.strerror or exc}"]
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return {}, ["metadata is not UTF-8 text; save it as UTF-8"]
    except json.JSONDecodeError as exc:
        return {}, [f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
    except RecursionError:
        return {}, ["invalid JSON: nested too deeply"]
    return parse_metadata(data)
