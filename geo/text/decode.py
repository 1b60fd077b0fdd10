"""Bytes -> text: binary sniffing, BOMs, UTF-16 without BOM, legacy single-byte encodings."""
from __future__ import annotations

import codecs
import re
from typing import Any, Optional


# What geomap can read; ends the message of every refused file.
READS = "geomap reads .txt, .md and .html articles"


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
        raise ValueError(f"binary file (looks like {kind}); {READS}")
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
            raise ValueError(f"binary file (contains NUL bytes); {READS}")
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)  # NUL included
    if sample and controls / len(sample) > 0.05:
        raise ValueError(f"binary file ({controls * 100 // len(sample)}% control bytes); {READS}")
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


def invalid_bytes(data: bytes, encoding: str) -> int:
    """How many characters a byte-order-marked file lost to U+FFFD (invalid bytes for ``encoding``)."""
    for bom, enc in _BOMS:
        if enc == encoding and data.startswith(bom):
            body = data[len(bom):]
            try:
                body.decode(encoding)
            except UnicodeDecodeError:
                return body.decode(encoding, errors="replace").count("\ufffd") - \
                    body.decode(encoding, errors="ignore").count("\ufffd")
            return 0
    return 0
