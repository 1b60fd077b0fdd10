"""The on-disk format of the compiled index: typed arrays and UTF-8 text, never pickle.

A file holds only numbers and strings, so loading one cannot run code. Layout::

    b"GEOMAPIX"                 8 bytes, the magic
    header length               4 bytes, unsigned little-endian
    header                      JSON: format, data version, payload SHA-256,
                                sections {name: [offset, bytes, items]}
    payload                     the sections, back to back

Each section's type is fixed by this module (:data:`SECTIONS`), never read from
the file: numbers are decoded with :func:`numpy.frombuffer` (no object dtype,
no ``numpy.load``), text is NUL-separated UTF-8. A file is accepted only when
its magic, format, data version and payload hash match and every row number it
holds is in range; anything else raises :class:`IndexFileError`, which names
the file.

Examples
--------
>>> from gazetteer.table import IndexData
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "index-v1.gmidx"
>>> with open(path, "wb") as fh:
...     write_index(IndexData(version="v1"), fh)
>>> read_index(path, "v1").version
'v1'
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
import struct
import threading
from array import array
from pathlib import Path
from typing import BinaryIO, Union

import numpy as np

from geocore.errors import DataFileError

from .rowmaps import SEP, StoredAliases, StoredCodes
from .table import FEATURE_CODES, IndexData

MAGIC = b"GEOMAPIX"
FILE_FORMAT = 1
MAX_HEADER = 1 << 20  # the header lists a few dozen sections
MAX_FILE = 1 << 30  # about 20 times today's index; a larger file is not read into memory
_SEP = SEP

# name -> numpy dtype, or "str" for NUL-separated UTF-8 text.
SECTIONS = {
    "ids": "str", "names": "str", "ftypes": "u1", "lats": "<f8", "lons": "<f8", "pops": "<i8",
    "country_vocab": "str", "country_code": "<i4",
    "geom_rows": "<i4", "geom_ends": "<i8", "geom_blob": "u1",
    "alias_rows": "<i4", "alias_ends": "<i8", "alias_text": "u1",
    "capitals": "<i4", "curated": "<i4",
    "near_rows": "<i4", "near_keys": "str", "operator_rows": "<i4", "operator_values": "str",
    "admin1_vocab": "str", "admin1_code": "<i4",
    "by_key_keys": "str", "by_key_counts": "<i4", "by_key_rows": "<i4",
    "by_exact_keys": "str", "by_exact_counts": "<i4", "by_exact_rows": "<i4",
    "max_words_keys": "str", "max_words_values": "u1",
    "max_words2_keys": "str", "max_words2_values": "u1",
}


class IndexFileError(DataFileError):
    """A compiled index file is unreadable, foreign, tampered with or stale.

    Parameters
    ----------
    path : path
        The file.
    problem : str
        What is wrong with it.
    """

    def __init__(self, path: Union[str, os.PathLike], problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


# ------------------------------------------------------------------ writing
def _text(values, joiner: str = _SEP) -> bytes:
    for v in values:
        if joiner and _SEP in v:
            raise ValueError(f"an index string holds a NUL character: {v!r}")
    return joiner.join(values).encode("utf-8")


def _multimap(d: dict) -> tuple[list[str], np.ndarray, np.ndarray]:
    """name -> row or tuple of rows, as keys, row counts and the rows, in dict order."""
    counts, rows = [], []
    for v in d.values():
        vs = (v,) if isinstance(v, int) else v
        counts.append(len(vs))
        rows.extend(vs)
    return list(d), np.asarray(counts, "<i4"), np.asarray(rows, "<i4")


def _columns(data: IndexData) -> dict[str, object]:
    vocab = sorted({c for c in data.countries if c is not None})
    at = {c: k for k, c in enumerate(vocab)}
    geom_rows = list(data.geoms)
    blobs = [data.geoms[r] for r in geom_rows]
    alias_rows = sorted(data.aliases)
    alias_texts = [_SEP.join(data.aliases[r]) for r in alias_rows]
    admin1 = sorted(set(data.admin1.values()))
    admin1_at = {v: k for k, v in enumerate(admin1)}
    cols: dict[str, object] = {
        "ids": data.ids, "names": data.names, "ftypes": np.frombuffer(bytes(data.ftypes), "u1"),
        "lats": np.asarray(data.lats, "<f8"), "lons": np.asarray(data.lons, "<f8"), "pops": np.asarray(data.pops, "<i8"),
        "country_vocab": vocab, "country_code": np.asarray([-1 if c is None else at[c] for c in data.countries], "<i4"),
        "geom_rows": np.asarray(geom_rows, "<i4"), "geom_ends": np.cumsum([len(b) for b in blobs], dtype="<i8"),
        "geom_blob": np.frombuffer(b"".join(blobs), "u1"),
        "alias_rows": np.asarray(alias_rows, "<i4"),
        "alias_ends": np.cumsum([len(t) for t in alias_texts], dtype="<i8"),  # in characters
        "alias_text": np.frombuffer(_text(alias_texts, joiner=""), "u1"),
        "capitals": np.asarray(list(data.capitals), "<i4"), "curated": np.asarray(list(data.curated), "<i4"),
        "near_rows": np.asarray(list(data.near), "<i4"), "near_keys": list(data.near.values()),
        "operator_rows": np.asarray(list(data.operator), "<i4"), "operator_values": list(data.operator.values()),
        "admin1_vocab": admin1,
        "admin1_code": np.asarray([admin1_at.get(data.admin1.get(r), -1) for r in range(len(data.ids))], "<i4"),
        "max_words_keys": list(data.max_words), "max_words_values": np.asarray(list(data.max_words.values()), "u1"),
        "max_words2_keys": list(data.max_words2), "max_words2_values": np.asarray(list(data.max_words2.values()), "u1"),
    }
    for name in ("by_key", "by_exact"):
        cols[f"{name}_keys"], cols[f"{name}_counts"], cols[f"{name}_rows"] = _multimap(getattr(data, name))
    return cols


def _encoded(data: IndexData) -> list:
    """The file's pieces for ``data``: its start (magic and header), then each section."""
    sections, chunks, offset = {}, [], 0
    digest = hashlib.sha256()
    columns = _columns(data)
    for name in SECTIONS:
        value = columns.pop(name)
        if SECTIONS[name] == "str":
            raw, items = _text(value), len(value)
        else:
            arr = np.ascontiguousarray(value, dtype=SECTIONS[name])
            raw, items = arr.tobytes(), int(arr.size)
        del value
        sections[name] = [offset, len(raw), items]
        digest.update(raw)
        chunks.append(raw)
        offset += len(raw)
    header = json.dumps({"format": FILE_FORMAT, "version": data.version, "rows": len(data.ids),
                         "payload_sha256": digest.hexdigest(), "sections": sections},
                        sort_keys=True).encode("utf-8")
    return [MAGIC + struct.pack("<I", len(header)) + header, *chunks]


def encode_index(data: IndexData) -> bytes:
    """The bytes of the index file for ``data`` (deterministic)."""
    return b"".join(_encoded(data))


def write_index(data: IndexData, fh: BinaryIO) -> None:
    """Write the index file for ``data`` to the open binary file ``fh``, piece by piece."""
    pieces = _encoded(data)
    while pieces:
        fh.write(pieces.pop(0))


# ------------------------------------------------------------------ reading
def _read_bytes(path: Path) -> bytes:
    """The file's bytes; a FIFO, device or folder planted under the name is refused unread."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise IndexFileError(path, f"cannot be opened ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise IndexFileError(path, "is not a regular file")
        if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & 0o022):
            # A file someone else owns, or could have rewritten, may be a forgery with a matching hash.
            raise IndexFileError(path, "is owned by another user or writable by others")
        if st.st_size > MAX_FILE:
            raise IndexFileError(path, f"is {st.st_size} bytes, more than any index ({MAX_FILE})")
        return fh.read()


def _header(path: Path, blob: bytes, version: str) -> tuple[dict, memoryview]:
    if blob[:len(MAGIC)] != MAGIC:
        kind = "a pickle" if blob[:1] == b"\x80" else "not a geomap index"
        raise IndexFileError(path, f"is {kind} (no {MAGIC.decode()} signature)")
    if len(blob) < len(MAGIC) + 4:
        raise IndexFileError(path, "is truncated (no header)")
    (size,) = struct.unpack_from("<I", blob, len(MAGIC))
    start = len(MAGIC) + 4
    if size > MAX_HEADER or start + size > len(blob):
        raise IndexFileError(path, "is truncated or has a corrupt header")
    try:
        head = json.loads(blob[start:start + size].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise IndexFileError(path, "has a corrupt header") from exc
    if not isinstance(head, dict) or head.get("format") != FILE_FORMAT:
        raise IndexFileError(path, f"has index file format {head.get('format') if isinstance(head, dict) else '?'!r}, "
                                   f"not {FILE_FORMAT}")
    if head.get("version") != version:
        raise IndexFileError(path, f"holds gazetteer version {head.get('version')!r}, not {version!r}")
    return head, memoryview(blob)[start + size:]


def _sections(path: Path, head: dict, payload: memoryview) -> dict[str, object]:
    table = head.get("sections")
    if not isinstance(table, dict) or set(table) != set(SECTIONS):
        raise IndexFileError(path, "does not hold the expected sections")
    out: dict[str, object] = {}
    for name, kind in SECTIONS.items():
        entry = table[name]
        if not (isinstance(entry, list) and len(entry) == 3 and all(type(x) is int and x >= 0 for x in entry)) \
                or entry[0] + entry[1] > len(payload):
            raise IndexFileError(path, f"has a corrupt section table ({name})")
        offset, size, items = entry
        raw = payload[offset:offset + size]
        if kind == "str":
            values = bytes(raw).decode("utf-8").split(_SEP) if items else []
            if len(values) != items:
                raise IndexFileError(path, f"has a corrupt text section ({name})")
            out[name] = values
        else:
            dtype = np.dtype(kind)
            if size != items * dtype.itemsize:
                raise IndexFileError(path, f"has a corrupt array section ({name})")
            out[name] = np.frombuffer(raw, dtype=dtype)
    return out


def _check(path: Path, c: dict, n: int) -> None:
    """Every column has its length and every row number is a row, so lookups cannot fail later."""
    def bad(what: str):
        raise IndexFileError(path, f"is inconsistent ({what})")

    for name in ("ids", "names", "ftypes", "lats", "lons", "pops", "country_code", "admin1_code"):
        if len(c[name]) != n:
            bad(f"{name} has {len(c[name])} rows, not {n}")
    for name in ("geom_rows", "alias_rows", "capitals", "curated", "near_rows", "operator_rows",
                 "by_key_rows", "by_exact_rows"):
        arr = c[name]
        if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= n):
            bad(f"{name} points outside the table")
    if c["ftypes"].size and int(c["ftypes"].max()) >= len(FEATURE_CODES):
        bad("unknown feature type")
    codes = c["country_code"]
    if codes.size and (int(codes.min()) < -1 or int(codes.max()) >= len(c["country_vocab"])):
        bad("unknown country")
    pairs = [("geom_rows", "geom_ends"), ("alias_rows", "alias_ends"), ("near_rows", "near_keys"),
             ("operator_rows", "operator_values"),
             ("by_key_keys", "by_key_counts"), ("by_exact_keys", "by_exact_counts"),
             ("max_words_keys", "max_words_values"), ("max_words2_keys", "max_words2_values")]
    for a, b in pairs:
        if len(c[a]) != len(c[b]):
            bad(f"{a} and {b} differ in length")
    for ends, size in (("geom_ends", c["geom_blob"].size), ("alias_ends", len(c["alias_text"]))):
        e = c[ends]
        if (e.size and (np.any(np.diff(e) < 0) or e[0] < 0)) or (int(e[-1]) if e.size else 0) != size:
            bad(f"{ends} offsets")
    if np.any(np.diff(c["alias_rows"]) <= 0):
        bad("alias rows out of order")
    codes = c["admin1_code"]
    if codes.size and (int(codes.min()) < -1 or int(codes.max()) >= len(c["admin1_vocab"])):
        bad("unknown admin-1 code")
    for counts, flat in (("by_key_counts", "by_key_rows"), ("by_exact_counts", "by_exact_rows")):
        if (c[counts].size and int(c[counts].min()) < 1) or int(c[counts].sum()) != len(c[flat]):
            bad(f"{counts} do not add up")


def _multimap_dict(keys: list[str], counts: np.ndarray, rows: np.ndarray) -> dict:
    if len(rows) == len(keys):  # one row per name
        return dict(zip(keys, rows.tolist()))
    ends = np.cumsum(counts, dtype=np.int64)
    starts = ends - counts
    values = rows[starts].tolist()  # a plain row for a name with one, ...
    flat = rows.tolist()
    for k in np.flatnonzero(counts > 1).tolist():  # ... a tuple for a name with several
        values[k] = tuple(flat[starts[k]:ends[k]])
    return dict(zip(keys, values))


def read_index(path: Union[str, os.PathLike], version: str) -> IndexData:
    """The index in ``path``, if it is an intact index file of gazetteer version ``version``.

    Raises
    ------
    IndexFileError
        The file is not an index, is truncated, corrupt, tampered with, of
        another format or version, or inconsistent.
    """
    path = Path(path)
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects, none cyclic: a collection pass would only cost time
    try:
        return _decode(path, _read_bytes(path), version)
    except IndexFileError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, struct.error) as exc:
        # a file whose hash matches but whose contents do not decode (crafted)
        raise IndexFileError(path, f"cannot be decoded ({type(exc).__name__}: {exc})") from exc
    finally:
        if collecting:
            gc.enable()


def _decode(path: Path, blob: bytes, version: str) -> IndexData:
    head, payload = _header(path, blob, version)
    # The hash runs on the other core while the sections are decoded (hashlib
    # releases the GIL); decoding cannot run code, and nothing is returned unless
    # the hash matches.
    digest: list[str] = []
    worker = threading.Thread(target=lambda: digest.append(hashlib.sha256(payload).hexdigest()), daemon=True)
    worker.start()
    try:
        data = _build(path, head, payload, version)
    except IndexFileError:
        worker.join()
        _check_hash(path, head, digest)
        raise
    worker.join()
    _check_hash(path, head, digest)
    return data


def _check_hash(path: Path, head: dict, digest: list[str]) -> None:
    if digest != [head.get("payload_sha256")]:
        raise IndexFileError(path, "content does not match its SHA-256 (truncated, corrupt or tampered with)")


def _build(path: Path, head: dict, payload: memoryview, version: str) -> IndexData:
    c = _sections(path, head, payload)
    n = head.get("rows")
    if type(n) is not int:
        raise IndexFileError(path, "has a corrupt header (rows)")
    try:
        c["alias_text"] = bytes(c["alias_text"]).decode("utf-8")  # offsets count characters
    except UnicodeDecodeError as exc:
        raise IndexFileError(path, "has a corrupt text section (alias_text)") from exc
    _check(path, c, n)
    vocab = [*c["country_vocab"], None]  # code -1 is "no country"
    ends = c["geom_ends"].tolist()
    blob_bytes = c["geom_blob"].tobytes()
    return IndexData(
        version=version, ids=c["ids"], names=c["names"], ftypes=bytearray(c["ftypes"].tobytes()),
        countries=np.array(vocab, dtype=object)[c["country_code"]].tolist(),
        lats=array("d", c["lats"].astype("=f8").tobytes()), lons=array("d", c["lons"].astype("=f8").tobytes()),
        pops=array("q", c["pops"].astype("=i8").tobytes()),
        geoms={r: blob_bytes[s:e] for r, s, e in zip(c["geom_rows"].tolist(), [0, *ends[:-1]], ends)},
        # copies, so that the file's bytes are freed once loaded
        aliases=StoredAliases(c["alias_rows"].copy(), c["alias_ends"].copy(), c["alias_text"]),
        capitals=set(c["capitals"].tolist()), curated=set(c["curated"].tolist()),
        near=dict(zip(c["near_rows"].tolist(), c["near_keys"])),
        operator=dict(zip(c["operator_rows"].tolist(), c["operator_values"])),
        admin1=StoredCodes(c["admin1_code"], c["admin1_vocab"]),
        by_key=_multimap_dict(c["by_key_keys"], c["by_key_counts"], c["by_key_rows"]),
        by_exact=_multimap_dict(c["by_exact_keys"], c["by_exact_counts"], c["by_exact_rows"]),
        max_words=dict(zip(c["max_words_keys"], c["max_words_values"].tolist())),
        max_words2=dict(zip(c["max_words2_keys"], c["max_words2_values"].tolist())),
    )

