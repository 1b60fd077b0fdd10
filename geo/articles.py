"""Article input: files and folders -> :class:`geo.records.Article` records.

:func:`iter_articles` streams articles one at a time and yields an
:class:`~geo.errors.ArticleError` (instead of raising) for every file or
metadata entry it cannot use, so a build reports the problem and goes on.

Metadata file format (``metadata.json``, picked up from any input folder)::

    {"about": "free text",
     "articles": [{"file": "001.txt", "title": "...", "outlet": "...",
                   "url": "https://...", "published": "2024-05-09",
                   "published_inferred": false}]}

``file`` is the article's file name, or its path relative to the folder that
holds ``metadata.json`` (``/`` separators). Every other key is optional and may
be null. Bad fields are dropped one by one with a warning; only http(s) URLs
are kept.
"""
from __future__ import annotations

import bisect
import codecs
import hashlib
import json
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Sequence, Union
from urllib.parse import urlsplit

from geo.boilerplate import (Extracted, html_to_text, markdown_to_text, normalize_text, one_line,
                             strip_boilerplate)
from geo.errors import ArticleError
from geo.records import Article

__all__ = [
    "DEFAULT_MAX_BYTES", "SUFFIXES", "ArticleMeta", "iter_articles", "read_article",
    "load_metadata", "parse_metadata", "decode_bytes", "infer_published", "safe_url",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
METADATA_NAME = "metadata.json"
_MB = 1_000_000
_READS = "geomap reads .txt, .md and .html articles"

PathLike = Union[str, "os.PathLike[str]"]


# ---------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------


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


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "an object", str: "text"}.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = repr(value)  # repr neutralises control characters in the warning
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_entry(entry: Mapping[str, Any], where: str, problems: list[str]) -> ArticleMeta:
    fields: dict[str, Any] = {}
    for key in sorted(entry, key=str):
        value = entry[key]
        if key == "file":
            continue
        if key not in _META_KEYS:
            problems.append(f"{where}: unknown key {_short(key)} ignored "
                            f"(known keys: {', '.join(_META_KEYS)})")
        elif value is None:
            continue
        elif key in ("title", "outlet"):
            if isinstance(value, str) and one_line(value):
                fields[key] = one_line(value)
            else:
                problems.append(f"{where}: {key!r} must be text or null, got {_type_name(value)}; dropped")
        elif key == "url":
            url = safe_url(value) if isinstance(value, str) else None
            if url is None:
                problems.append(f"{where}: 'url' {_short(value)} dropped: only http(s) URLs are kept")
            else:
                fields["url"] = url
        elif key == "published":
            day = parse_date(value) if isinstance(value, str) else None
            if day is None:
                problems.append(f"{where}: 'published' must be a date like 2024-05-09, "
                                f"got {_short(value)}; dropped")
            else:
                fields["published"] = day
        elif key == "published_inferred":
            if isinstance(value, bool):
                fields["published_inferred"] = value
            else:
                problems.append(f"{where}: 'published_inferred' must be true or false, "
                                f"got {_short(value)}; dropped")
    if "published" not in fields:
        fields.pop("published_inferred", None)  # meaningless without a date
    return ArticleMeta(**fields)


def _file_key(name: str) -> str:
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
        return meta, [f'expected an object {{"articles": [...]}}, got {_type_name(data)}']
    for key in sorted(k for k in data if k not in ("about", "articles")):
        problems.append(f"unknown top-level key {_short(key)} ignored (known: about, articles)")
    articles = data.get("articles")
    if not isinstance(articles, list):
        problems.append(f"'articles' must be a list, got {_type_name(articles) if articles is not None else 'nothing'}")
        return meta, problems
    for i, entry in enumerate(articles):
        where = f"articles[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected an object, got {_type_name(entry)}; skipped")
            continue
        name = entry.get("file")
        if not isinstance(name, str) or not _file_key(name):
            problems.append(f"{where}: 'file' must name the article file; entry skipped")
            continue
        key = _file_key(name)
        where = f"{where} ({_short(key)})"
        if key in meta:
            problems.append(f"{where}: duplicate entry for this file; the first one is kept")
            continue
        meta[key] = _parse_entry(entry, where, problems)
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


# ---------------------------------------------------------------------------
# Bytes -> text
# ---------------------------------------------------------------------------

_MAGIC = (
    (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"PK\x03\x04", "ZIP archive, e.g. .docx/.odt/.epub"),
    (b"\xd0\xcf\x11\xe0", "MS Office document, e.g. .doc"), (b"\x1f\x8b", "gzip archive"),
    (b"{\\rtf", "RTF document"), (b"\x7fELF", "executable"), (b"SQLite format 3", "SQLite database"),
    (b"7z\xbc\xaf", "7z archive"), (b"Rar!", "RAR archive"), (b"RIFF", "RIFF media, e.g. WEBP/WAV"),
    (b"BZh", "bzip2 archive"), (b"\xfd7zXZ", "xz archive"), (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"), (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = frozenset(set(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | set(range(0x10, 0x1B))
                           | {0x1C, 0x1D, 0x1E, 0x1F, 0x7F})
_SAMPLE = 65536
# Encodings charset-normalizer may choose from when it cannot identify the
# language (short texts): common single-byte news encodings. Unrestricted, it
# reads short Cyrillic Windows-1251 text as Big5.
_SINGLE_BYTE = ["cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "cp1256",
                "cp1257", "koi8_r", "iso8859_15"]
_PREFERENCE = {name: i for i, name in enumerate(
    ["cp1252", "cp1251", "cp1250", "iso8859_15", "latin_1", "cp1253", "cp1254", "koi8_r", "cp1256",
     "cp1255", "cp1257", "iso8859_2", "iso8859_5", "gb18030", "big5", "shift_jis", "euc_kr"])}
_NUL_BINARY = 0.01  # a stray NUL in text is stripped; more than 1% means binary
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def _sniff_binary(data: bytes) -> Optional[str]:
    head = data[:16]
    if b"%PDF-" in data[:1024]:
        return "PDF"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if data[4:8] == b"ftyp":
        return "MP4/HEIC media"
    return None


def _utf16_without_bom(sample: bytes) -> Optional[str]:
    """'utf-16-le'/'be' if NUL bytes sit in every other position, as in UTF-16 ASCII."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / max(len(odd), 1)
    if zero_odd > 0.4 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.4 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """Decode raw file bytes to text.

    Returns
    -------
    text, encoding : str, str

    Raises
    ------
    ValueError
        The bytes are a binary file; the message says what it looks like.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    kind = _sniff_binary(data)
    if kind:
        raise ValueError(f"binary file (looks like {kind}); {_READS}")
    sample = data[:_SAMPLE]
    nuls = sample.count(0)
    if nuls:
        encoding = _utf16_without_bom(sample)
        if encoding:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                pass
        if nuls > _NUL_BINARY * len(sample):
            raise ValueError(f"binary file (contains NUL bytes); {_READS}")
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)  # NUL included
    if sample and controls / len(sample) > 0.05:
        raise ValueError(f"binary file ({controls * 100 // len(sample)}% control bytes); {_READS}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if html:
        declared = _HTML_CHARSET.search(data[:4096])
        if declared:
            try:
                name = codecs.lookup(declared.group(1).decode("ascii")).name
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError, ValueError):
                pass  # a wrong declaration is common; fall through to detection
    if _western_single_byte(data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    guess = _guess_encoding(data)
    if guess:
        return guess
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]{3,}")


def _western_single_byte(data: bytes) -> bool:
    """Mostly ASCII whose other bytes stand alone or in pairs: Windows-1252/Latin-1.

    Smart quotes, dashes, the euro sign and accented Latin letters sit
    between ASCII letters; a word in another script (Cyrillic, Greek) makes
    runs of three or more high bytes, which are left to charset detection.
    """
    high = sum(1 for b in data if b >= 0x80)
    return 0 < high <= max(4, len(data) * 0.3) and not _NON_ASCII_RUN.search(data)


def _guess_encoding(data: bytes) -> Optional[tuple[str, str]]:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: without it we fall back to Windows-1252/Latin-1
        return None
    best = _rank(from_bytes(data))
    if best is None or not best.coherence:
        # No language recognised (typically a short text): choose among the
        # common single-byte encodings instead of exotic multi-byte ones.
        best = _rank(from_bytes(data, cp_isolation=_SINGLE_BYTE)) or best
    if best is None:
        return None
    return str(best), best.encoding


def _rank(matches: Any) -> Any:
    """Best match: among those with near-lowest chaos, the most coherent, then
    the most common encoding (on short texts chaos differs by noise; by chaos
    alone Latin-1 French comes out as Baltic cp1257)."""
    matches = list(matches)
    if not matches:
        return None
    floor = min(m.chaos for m in matches)
    close = [m for m in matches if m.chaos <= floor + 0.1]
    return max(close, key=lambda m: (round(m.coherence, 2), -_PREFERENCE.get(m.encoding, len(_PREFERENCE))))


# ---------------------------------------------------------------------------
# Published date inference
# ---------------------------------------------------------------------------

_MONTHS = {m: i for i, names in enumerate((
    ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
    ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"),
    ("October", "Oct"), ("November", "Nov"), ("December", "Dec")), start=1) for m in names}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
# Month names are matched capitalised only, so the verb "may" is not a month.
_FULL_DATES = (
    re.compile(rf"\b{_MON}\s+{_DAY}(?:\s*,\s*|\s+){_YEAR}"),          # May 8, 2024
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\s*,?\s+{_YEAR}"),       # 8 May 2024
    re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)(?![\d-])"),  # ISO
)
_PARTIAL_DATES = (
    re.compile(rf"\b{_MON}\s+{_DAY}(?![\d:])"),                       # April 17
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b"),                    # 17 April
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = re.compile(r"\b(?P<wd>" + "|".join(_WEEKDAYS) + r")\b(?!\s*,?\s*(?:[0-3]?\d\s+)?(?:"
                      + "|".join(_MONTHS) + r")\b)")
_NOT_THIS_WEEK = re.compile(r"\b(?:last|next|every|coming|following|previous|past|each)\s+$", re.I)
_HALF_YEAR = timedelta(days=183)


def _month(value: str) -> int:
    return int(value) if value.isdigit() else _MONTHS[value]


def _make_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def infer_published(text: str) -> Optional[date]:
    """Infer a publication date from dates and weekday names in ``text``.

    The base is the latest full date (with year) in the text; dates without a
    year ("April 17") take the year of the latest full date (the year before if
    that would put them over half a year later) and count too. A weekday named
    on its own ("said on Thursday", not "last Thursday") is placed at its
    nearest occurrence to the base (within three days either way, since news
    refers to the current week); when later than the base it becomes the
    published date. None when the text holds no full date.
    """
    full: list[tuple[int, int, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _FULL_DATES:
        for m in pattern.finditer(text):
            day = _make_date(int(m["year"]), _month(m["mon"]), int(m["day"]))
            if day is not None:
                full.append((m.start(), m.end(), day))
                taken.append(m.span())
    if not full:
        return None
    taken.sort()
    starts = [start for start, _ in taken]
    latest_full = max(d for _, _, d in full)
    candidates = [latest_full]
    for pattern in _PARTIAL_DATES:
        for m in pattern.finditer(text):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and m.start() < taken[k][1]:
                continue  # part of a full date already counted
            day = _make_date(latest_full.year, _month(m["mon"]), int(m["day"]))
            if day is not None and day - latest_full > _HALF_YEAR:
                day = _make_date(latest_full.year - 1, _month(m["mon"]), int(m["day"]))
            if day is not None:
                candidates.append(day)
    base = max(candidates)
    published = base
    for m in _WEEKDAY.finditer(text):
        if _NOT_THIS_WEEK.search(text[max(0, m.start() - 20):m.start()]):
            continue
        offset = (_WEEKDAYS.index(m["wd"]) - base.weekday()) % 7
        if offset > 3:
            offset -= 7  # nearest occurrence: the Monday before a Wednesday, not after
        published = max(published, base + timedelta(days=offset))
    return published


# ---------------------------------------------------------------------------
# One file
# ---------------------------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / _MB:.1f} MB" if n >= _MB // 10 else f"{n / 1000:.1f} kB"


def _limit(n: int) -> str:
    return f"{n / _MB:g} MB" if n >= _MB // 10 else f"{n:,} bytes"


def _over(size: int, max_bytes: int) -> str:
    return f"file is {_size(size)}, over the {_limit(max_bytes)} limit; raise it with --max-bytes"


def _read_bytes(path: Path, max_bytes: Optional[int]) -> bytes:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise ArticleError(str(path), "broken symbolic link: its target does not exist") from None
        raise ArticleError(str(path), "no such file") from None
    except OSError as exc:
        raise ArticleError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ArticleError(str(path), "is a folder, not an article file")
    if not stat.S_ISREG(st.st_mode):
        # reading a FIFO or device could block forever or never end
        raise ArticleError(str(path), "not a regular file (device, FIFO or socket)")
    if max_bytes and st.st_size > max_bytes:
        raise ArticleError(str(path), _over(st.st_size, max_bytes))
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1) if max_bytes else handle.read()
    except OSError as exc:
        raise ArticleError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if max_bytes and len(data) > max_bytes:  # grew after stat()
        raise ArticleError(str(path), _over(len(data), max_bytes))
    return data


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def _first_line_title(text: str) -> Optional[str]:
    """The first line when it reads like a headline: short, no final period, more text after."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    first = lines[0]
    if len(first.split()) > 20 or len(first) > 250 or first[-1] in ".,;:…":
        return None
    return first


def _build(path: Path, doc: str, meta: Optional[ArticleMeta], max_bytes: Optional[int]) -> Article:
    data = _read_bytes(path, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    try:
        raw, encoding = decode_bytes(data, html=suffix in (".html", ".htm"))
    except ValueError as exc:
        raise ArticleError(str(path), str(exc)) from None
    if encoding not in ("utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        log.warning("%s: not UTF-8; decoded as %s (guessed)", path, encoding)
    if not raw.strip():
        raise ArticleError(str(path), "empty article (the file holds only whitespace)")
    if suffix in (".html", ".htm") or (suffix == ".txt" and _looks_like_html(raw)):
        found = html_to_text(raw)
    elif suffix in (".md", ".markdown"):
        found = markdown_to_text(raw)
    else:
        found = Extracted(normalize_text(raw))
    meta = meta or ArticleMeta()
    outlet = meta.outlet or (one_line(found.outlet, 200) or None if found.outlet else None)
    text, dropped = strip_boilerplate(found.text, outlet)
    if not text.strip():
        reasons = sorted({reason for reason, _ in dropped})
        detail = f" (only boilerplate: {', '.join(reasons)})" if reasons else ""
        raise ArticleError(str(path), f"empty article{detail}")
    title = meta.title or (one_line(found.title) or None if found.title else None)
    if title is None and suffix in (".txt", ".md", ".markdown"):
        title = _first_line_title(text)
    url = meta.url or (safe_url(found.url) if found.url else None)
    published, inferred = meta.published, meta.published_inferred
    if published is None and found.published:
        published, inferred = parse_date(found.published), False
    if published is None:
        # Captions are dropped from the text but their dates belong to the story.
        captions = "\n".join(unit for reason, unit in dropped if reason == "photo caption")
        published = infer_published(text + "\n" + captions)
        inferred = published is not None
    return Article(doc=doc, text=text, path=str(path), title=title, outlet=outlet, url=url,
                   published=published, published_inferred=inferred, sha256=digest)


def read_article(path: PathLike, meta: Optional[ArticleMeta] = None, *,
                 max_bytes: Optional[int] = DEFAULT_MAX_BYTES) -> Article:
    """Read one article file (doc = its file name).

    Raises
    ------
    ArticleError
        The file is missing, unreadable, binary, too large, empty or of an
        unsupported type.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES and not path.is_dir():
        raise ArticleError(str(path), _unsupported(path))
    return _build(path, path.name, meta, max_bytes)


def _unsupported(path: Path) -> str:
    suffix = path.suffix or "no extension"
    return f"unsupported file type ({suffix}); {_READS}"


# ---------------------------------------------------------------------------
# Many files
# ---------------------------------------------------------------------------


@dataclass
class _MetaSource:
    label: str                     # shown in warnings (the metadata file path)
    base: Optional[Path]           # folder that 'file' keys are relative to
    entries: dict[str, ArticleMeta]
    report_unused: bool = True
    used: set[str] = field(default_factory=set)


@dataclass
class _Item:
    path: Path
    root: Optional[Path] = None    # the input folder it was found in
    metas: tuple[_MetaSource, ...] = ()
    error: Optional[ArticleError] = None


def _explicit_source(metadata: Any, problems: list[ArticleError]) -> Optional[_MetaSource]:
    if metadata is None:
        return None
    if isinstance(metadata, (str, os.PathLike)):
        label = str(metadata)
        entries, found = load_metadata(metadata)
        base: Optional[Path] = Path(metadata).parent
    else:
        label = "metadata"
        base = None
        if "articles" in metadata and not isinstance(metadata.get("articles"), ArticleMeta):
            entries, found = parse_metadata(dict(metadata))
        else:
            entries, found = {}, []
            for key, value in metadata.items():
                if isinstance(value, ArticleMeta):
                    entries[_file_key(str(key))] = value
                elif isinstance(value, Mapping):
                    entries[_file_key(str(key))] = _parse_entry(value, _short(str(key)), found)
                else:
                    found.append(f"{_short(str(key))}: expected metadata fields, got {_type_name(value)}")
    problems.extend(ArticleError(label, p) for p in found)
    return _MetaSource(label, base, entries)


def _folder_source(folder: Path, report_unused: bool, problems: list[ArticleError],
                   loaded: dict[str, _MetaSource]) -> Optional[_MetaSource]:
    path = folder / METADATA_NAME
    if not path.is_file():
        return None
    real = os.path.realpath(path)
    if real in loaded:
        loaded[real].report_unused |= report_unused
        return loaded[real]
    entries, found = load_metadata(path)
    problems.extend(ArticleError(str(path), p) for p in found)
    source = loaded[real] = _MetaSource(str(path), folder, entries, report_unused)
    return source


def _collect(inputs: Sequence[PathLike], explicit: Optional[_MetaSource],
             problems: list[ArticleError], loaded: dict[str, _MetaSource]) -> Iterator[_Item]:
    """Walk the inputs in a deterministic order (names sorted, depth first).

    ``loaded`` collects the metadata files found, keyed by real path.
    """
    seen_dirs: dict[str, Path] = {}
    seen_files: dict[str, Path] = {}
    head = (explicit,) if explicit else ()

    def file_item(path: Path, root: Optional[Path], metas: tuple[_MetaSource, ...]) -> _Item:
        real = os.path.realpath(path)
        if os.path.exists(path) and real in seen_files:
            return _Item(path, error=ArticleError(str(path), f"same file as {seen_files[real]}; skipped"))
        seen_files[real] = path
        return _Item(path, root, metas)

    for given in inputs:
        top = Path(given)
        if not top.is_dir():
            if not os.path.lexists(top):
                yield _Item(top, error=ArticleError(str(top), "no such file or folder"))
            elif top.suffix.lower() not in SUFFIXES:
                yield _Item(top, error=ArticleError(str(top), _unsupported(top)))
            else:
                sibling = _folder_source(top.parent, False, problems, loaded)
                yield file_item(top, None, head + ((sibling,) if sibling else ()))
            yield from _drain(problems)
            continue
        # explicit stack of sorted-entry iterators: depth first without recursion
        stack: list[tuple[Iterator[os.DirEntry[str]], tuple[_MetaSource, ...]]] = []

        def enter(folder: Path, chain: tuple[_MetaSource, ...]) -> Optional[_Item]:
            real = os.path.realpath(folder)
            if real in seen_dirs:
                return _Item(folder, error=ArticleError(
                    str(folder), f"folder already read as {seen_dirs[real]} (symbolic link loop?); skipped"))
            seen_dirs[real] = folder
            try:
                with os.scandir(folder) as scan:
                    entries = sorted(scan, key=lambda e: e.name)
            except OSError as exc:
                return _Item(folder, error=ArticleError(str(folder), f"cannot read folder: {exc.strerror or exc}"))
            source = _folder_source(folder, True, problems, loaded)
            stack.append((iter(entries), ((source,) if source else ()) + chain))
            return None

        failed = enter(top, ())
        if failed:
            yield failed
        yield from _drain(problems)
        while stack:
            entries, chain = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            name = entry.name
            if name.startswith(".") or name.lower().endswith(".json"):
                continue  # hidden files, metadata and other JSON sidecars
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                failed = enter(path, chain)
                if failed:
                    yield failed
                yield from _drain(problems)
            elif path.suffix.lower() in SUFFIXES:
                yield file_item(path, top, head + chain)
            else:
                yield _Item(path, error=ArticleError(str(path), _unsupported(path)))


def _drain(problems: list[ArticleError]) -> Iterator[_Item]:
    while problems:
        error = problems.pop(0)
        yield _Item(Path(error.path), error=error)


def _docs(items: list[_Item]) -> dict[int, str]:
    """doc name per item: the file name, or a longer path where names collide."""
    def relative(item: _Item) -> str:
        if item.root is not None:
            try:
                return item.path.relative_to(item.root).as_posix()
            except ValueError:
                pass
        return item.path.as_posix()

    files = [(i, item) for i, item in enumerate(items) if item.error is None]
    docs = {i: item.path.name for i, item in files}
    for namer in (relative, lambda item: item.path.as_posix()):
        counts: dict[str, int] = {}
        for doc in docs.values():
            counts[doc] = counts.get(doc, 0) + 1
        clashes = [i for i, _ in files if counts[docs[i]] > 1]
        if not clashes:
            break
        for i in clashes:
            docs[i] = namer(items[i])
    return docs


def _lookup(item: _Item, doc: str) -> Optional[ArticleMeta]:
    """First matching metadata entry (explicit first, then nearest folder); marks all matches used."""
    found = None
    for source in item.metas:
        # doc is the bare file name unless names clash; then only paths match
        keys = [doc]
        if source.base is not None:
            try:
                keys.insert(0, item.path.relative_to(source.base).as_posix())
            except ValueError:
                pass
        for key in keys:
            if key in source.entries:
                source.used.add(key)
                found = found or source.entries[key]
                break
    return found


def iter_articles(inputs: Sequence[PathLike], metadata: Union[Mapping[str, Any], PathLike, None] = None,
                  *, max_bytes: Optional[int] = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, ArticleError]]:
    """Stream articles from files and folders.

    Parameters
    ----------
    inputs : sequence of paths
        Article files and/or folders (walked recursively, names sorted;
        hidden entries and ``*.json`` skipped; symbolic link loops cut).
    metadata : mapping or path, optional
        Extra metadata that overrides ``metadata.json`` files found in the
        input folders: a metadata.json path, a decoded metadata.json object,
        or a mapping of file name -> :class:`ArticleMeta` (or field dict).
    max_bytes : int or None
        Files larger than this are skipped; None for no limit.

    Yields
    ------
    Article or ArticleError
        An error for each unusable file or metadata problem; the walk goes on.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]  # a lone path, not a sequence of one-letter paths
    problems: list[ArticleError] = []
    explicit = _explicit_source(metadata, problems)
    yield from (item.error for item in _drain(problems) if item.error)
    loaded: dict[str, _MetaSource] = {}
    items = list(_collect(inputs, explicit, problems, loaded))  # paths only: texts are read one by one
    docs = _docs(items)
    for i, item in enumerate(items):
        if item.error is not None:
            yield item.error
            continue
        meta = _lookup(item, docs[i])
        try:
            yield _build(item.path, docs[i], meta, max_bytes)
        except ArticleError as exc:
            yield exc
    for source in ([explicit] if explicit else []) + list(loaded.values()):
        if not source.report_unused:
            continue
        for key in source.entries:
            if key not in source.used:
                yield ArticleError(source.label, f"entry for {_short(key)} matches no article file; "
                                                 "check its 'file' name")
