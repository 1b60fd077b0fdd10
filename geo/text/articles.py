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
"""
from __future__ import annotations

import hashlib
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

from geo.text.boilerplate import (Extracted, html_to_text, markdown_to_text, normalize_text, one_line,
                             strip_boilerplate)
from geo.text.dates import infer_published
from geo.text.decode import _READS, decode_bytes
from geocore.errors import ArticleError
from geo.text.metadata import (ArticleMeta, _file_key, _parse_entry, _short, _type_name, load_metadata, parse_date,
                          parse_metadata, safe_url)
from geocore.records import Article

__all__ = [
    "DEFAULT_MAX_BYTES", "SUFFIXES", "ArticleMeta", "iter_articles", "read_article",
    "load_metadata", "parse_metadata", "decode_bytes", "infer_published", "safe_url",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
METADATA_NAME = "metadata.json"
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
