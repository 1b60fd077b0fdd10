"""Input walking: files and folders -> article paths with their metadata sources.

:func:`collect` walks the inputs in a deterministic order (names sorted, depth
first, symbolic link loops cut and named as loops) and pairs every article path with the
metadata sources that apply to it: the explicit one, then each
``metadata.json`` from its folder up to the input folder. A symbolic link
inside an input folder that points out of it is skipped with a message
unless ``follow_links`` is set: a link to a file elsewhere on the machine
must not put that file's text into every output. :func:`doc_names`
and :func:`find_meta` give each path its doc name and metadata entry.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

from geo.text.decode import READS
from geo.text.metadata import (ArticleMeta, file_key, load_metadata, parse_entry, parse_metadata, short,
                               type_name)
from geocore.errors import ArticleError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
METADATA_NAME = "metadata.json"

PathLike = Union[str, "os.PathLike[str]"]


def unsupported(path: Path) -> str:
    """Why ``path`` is not read: its suffix is not an article type."""
    suffix = path.suffix or "no extension"
    return f"unsupported file type ({suffix}); {READS}"


@dataclass
class MetaSource:
    """One metadata file (or the explicit metadata) and which of its entries matched a file."""

    label: str                     # shown in warnings (the metadata file path)
    base: Optional[Path]           # folder that 'file' keys are relative to
    entries: dict[str, ArticleMeta]
    report_unused: bool = True
    used: set[str] = field(default_factory=set)


@dataclass
class InputItem:
    """One path found in the inputs, with the metadata sources that apply (or why it is skipped)."""

    path: Path
    root: Optional[Path] = None    # the input folder it was found in
    metas: tuple[MetaSource, ...] = ()
    error: Optional[ArticleError] = None


def explicit_source(metadata: Any, problems: list[ArticleError]) -> Optional[MetaSource]:
    """The metadata given by the caller (path, metadata.json object or mapping); problems appended."""
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
                    entries[file_key(str(key))] = value
                elif isinstance(value, Mapping):
                    entries[file_key(str(key))] = parse_entry(value, short(str(key)), found)
                else:
                    found.append(f"{short(str(key))}: expected metadata fields, got {type_name(value)}")
    problems.extend(ArticleError(label, p) for p in found)
    return MetaSource(label, base, entries)


def link_problem(path: Path, bound: Optional[str]) -> Optional[str]:
    """Why the symbolic link ``path`` is not followed: a loop, or a target outside ``bound``."""
    if not os.path.islink(path):
        return None
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself); skipped"
        return None  # broken links are reported by the reader
    real = os.path.realpath(path)
    if bound is not None and not (real == bound or real.startswith(bound.rstrip(os.sep) + os.sep)):
        return "symbolic link to a file outside the input folder; skipped (use --follow-links to read it)"
    return None


def _folder_source(folder: Path, report_unused: bool, problems: list[ArticleError],
                   loaded: dict[str, MetaSource], bound: Optional[str] = None) -> Optional[MetaSource]:
    path = folder / METADATA_NAME
    if not path.is_file():
        return None
    why = link_problem(path, bound)
    if why:
        problems.append(ArticleError(str(path), why))
        return None
    real = os.path.realpath(path)
    if real in loaded:
        loaded[real].report_unused |= report_unused
        return loaded[real]
    entries, found = load_metadata(path)
    problems.extend(ArticleError(str(path), p) for p in found)
    source = loaded[real] = MetaSource(str(path), folder, entries, report_unused)
    return source


def collect(inputs: Sequence[PathLike], explicit: Optional[MetaSource],
             problems: list[ArticleError], loaded: dict[str, MetaSource],
             follow_links: bool = False) -> Iterator[InputItem]:
    """Walk the inputs in a deterministic order (names sorted, depth first).

    ``loaded`` collects the metadata files found, keyed by real path. Links
    out of an input folder are skipped unless ``follow_links``.
    """
    seen_dirs: dict[str, Path] = {}
    seen_files: dict[str, Path] = {}
    head = (explicit,) if explicit else ()

    def file_item(path: Path, root: Optional[Path], metas: tuple[MetaSource, ...]) -> InputItem:
        real = os.path.realpath(path)
        if os.path.exists(path) and real in seen_files:
            return InputItem(path, error=ArticleError(str(path), f"same file as {seen_files[real]}; skipped"))
        seen_files[real] = path
        return InputItem(path, root, metas)

    for given in inputs:
        top = Path(given)
        if not top.is_dir():
            loop = link_problem(top, None)
            if not os.path.lexists(top):
                yield InputItem(top, error=ArticleError(str(top), "no such file or folder"))
            elif loop:
                yield InputItem(top, error=ArticleError(str(top), loop))
            elif top.suffix.lower() not in SUFFIXES:
                yield InputItem(top, error=ArticleError(str(top), unsupported(top)))
            else:
                sibling = _folder_source(top.parent, False, problems, loaded)
                yield file_item(top, None, head + ((sibling,) if sibling else ()))
            yield from drain(problems)
            continue
        # explicit stack of sorted-entry iterators: depth first without recursion
        stack: list[tuple[Iterator[os.DirEntry[str]], tuple[MetaSource, ...]]] = []
        bound = None if follow_links else os.path.realpath(top)

        def enter(folder: Path, chain: tuple[MetaSource, ...]) -> Optional[InputItem]:
            real = os.path.realpath(folder)
            if real in seen_dirs:
                parent = os.path.realpath(folder.parent)
                loop = os.path.islink(folder) and (parent == real or parent.startswith(real.rstrip(os.sep) + os.sep))
                why = (f"symbolic link loop: it leads back to {seen_dirs[real]}" if loop
                       else f"folder already read as {seen_dirs[real]}")
                return InputItem(folder, error=ArticleError(str(folder), f"{why}; skipped"))
            seen_dirs[real] = folder
            try:
                with os.scandir(folder) as scan:
                    entries = sorted(scan, key=lambda e: e.name)
            except OSError as exc:
                return InputItem(folder, error=ArticleError(str(folder), f"cannot read folder: {exc.strerror or exc}"))
            source = _folder_source(folder, True, problems, loaded, bound)
            stack.append((iter(entries), ((source,) if source else ()) + chain))
            return None

        failed = enter(top, ())
        if failed:
            yield failed
        yield from drain(problems)
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
            why = link_problem(path, bound) if entry.is_symlink() else None
            if why:
                yield InputItem(path, error=ArticleError(str(path), why.replace(
                    "a file outside", "a folder outside" if os.path.isdir(path) else "a file outside")))
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                failed = enter(path, chain)
                if failed:
                    yield failed
                yield from drain(problems)
            elif path.suffix.lower() in SUFFIXES:
                yield file_item(path, top, head + chain)
            else:
                yield InputItem(path, error=ArticleError(str(path), unsupported(path)))


def drain(problems: list[ArticleError]) -> Iterator[InputItem]:
    """Empty ``problems`` into skipped items, oldest first."""
    while problems:
        error = problems.pop(0)
        yield InputItem(Path(error.path), error=error)


def doc_names(items: list[InputItem]) -> dict[int, str]:
    """doc name per item: the file name, or a longer path where names collide."""
    def relative(item: InputItem) -> str:
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


def find_meta(item: InputItem, doc: str) -> Optional[ArticleMeta]:
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
