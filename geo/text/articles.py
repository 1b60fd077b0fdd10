"""Article input: files and folders -> :class:`geocore.records.Article` records.

:func:`iter_articles` streams articles one at a time and yields an
:class:`~geocore.errors.ArticleError` (instead of raising) for every file or
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

Reading one file is :func:`read_article`; walking folders and matching
metadata entries to files is :mod:`geo.text.inputs`.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

from geo.text.boilerplate import strip_boilerplate
from geo.text.dates import infer_published
from geo.text.decode import decode_bytes, invalid_bytes
from geo.text.document import Extracted
from geo.text.html_text import html_to_text
from geo.text.inputs import (SUFFIXES, MetaSource, collect, doc_names, drain, explicit_source, find_meta,
                             unsupported)
from geo.text.markdown_text import markdown_to_text
from geo.text.metadata import ArticleMeta, load_metadata, parse_date, parse_metadata, safe_url, short
from geo.text.normalize import normalize_text, one_line
from geo.text.sentences import LONG_SENTENCE_WARNING, MAX_SENTENCE_CHARS, overlong
from geocore.errors import ArticleError
from geocore.records import Article

__all__ = [
    "DEFAULT_MAX_BYTES", "SUFFIXES", "ArticleMeta", "iter_articles", "read_article",
    "load_metadata", "parse_metadata", "decode_bytes", "infer_published", "safe_url",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
_MB = 1_000_000

PathLike = Union[str, "os.PathLike[str]"]


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
        if exc.errno == errno.ELOOP:
            raise ArticleError(str(path), "symbolic link loop (the link leads back to itself)") from None
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
    elif "\ufffd" in raw:
        lost = invalid_bytes(data, encoding)
        if lost:
            log.warning("%s: %d invalid %s sequence(s) replaced by U+FFFD", path, lost, encoding.upper())
    if not raw.strip():
        raise ArticleError(str(path), "empty article (the file holds only whitespace)")
    if suffix in (".html", ".htm") or (suffix == ".txt" and _looks_like_html(raw)):
        found = html_to_text(raw)
    elif suffix in (".md", ".markdown"):
        found = markdown_to_text(raw)
    else:
        found = Extracted(normalize_text(raw))
    for note in found.warnings:
        log.warning("%s: %s", path, note)
    meta = meta or ArticleMeta()
    outlet = meta.outlet or (one_line(found.outlet, 200) or None if found.outlet else None)
    text, dropped = strip_boilerplate(found.text, outlet)
    if not text.strip():
        reasons = sorted({reason for reason, _ in dropped})
        detail = f" (only boilerplate: {', '.join(reasons)})" if reasons else ""
        raise ArticleError(str(path), f"empty article{detail}")
    long = overlong(text)
    if long:
        log.warning("%s: %s: %d sentence(s) longer than %d characters were cut into pieces (no punctuation?)",
                    path, LONG_SENTENCE_WARNING, long, MAX_SENTENCE_CHARS)
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
        raise ArticleError(str(path), unsupported(path))
    return _build(path, path.name, meta, max_bytes)


# ---------------------------------------------------------------------------
# Many files
# ---------------------------------------------------------------------------


def iter_articles(inputs: Sequence[PathLike], metadata: Union[Mapping[str, Any], PathLike, None] = None,
                  *, max_bytes: Optional[int] = DEFAULT_MAX_BYTES,
                  follow_links: bool = False) -> Iterator[Union[Article, ArticleError]]:
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
    follow_links : bool
        Read symbolic links that point out of an input folder (skipped with a
        message otherwise; links named as inputs are always read).

    Yields
    ------
    Article or ArticleError
        An error for each unusable file or metadata problem; the walk goes on.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]  # a lone path, not a sequence of one-letter paths
    problems: list[ArticleError] = []
    explicit = explicit_source(metadata, problems)
    yield from (item.error for item in drain(problems) if item.error)
    loaded: dict[str, MetaSource] = {}
    items = list(collect(inputs, explicit, problems, loaded, follow_links))  # paths only: texts are read one by one
    docs = doc_names(items)
    for i, item in enumerate(items):
        if item.error is not None:
            yield item.error
            continue
        meta = find_meta(item, docs[i])
        try:
            yield _build(item.path, docs[i], meta, max_bytes)
        except ArticleError as exc:
            yield exc
    for source in ([explicit] if explicit else []) + list(loaded.values()):
        if not source.report_unused:
            continue
        for key in source.entries:
            if key not in source.used:
                yield ArticleError(source.label, f"entry for {short(key)} matches no article file; "
                                                 "check its 'file' name")
