"""Unicode normalisation of decoded text.

:func:`normalize_text` gives NFC text with ``\\n`` newlines and no invisible,
bidi or control characters; :func:`one_line` does the same for short fields
(title, outlet).
"""
from __future__ import annotations

import re
import unicodedata

# Zero-width characters, the soft hyphen and every bidi embedding / override /
# isolate / mark: invisible, and bidi controls can make a place name read
# differently from how it is stored (a spoofing vector), so they all go.
_INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u061c\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_DELETE_TABLE = {ord(c): None for c in _INVISIBLE}
# C0 controls except tab and newline, DEL and the C1 block (C1 shows up when
# Windows-1252 text was mis-decoded as Latin-1).
_DELETE_TABLE.update({c: None for c in range(0x00, 0x20) if c not in (0x09, 0x0A)})
_DELETE_TABLE.update({c: None for c in range(0x7F, 0xA0)})
# Unicode spaces become plain spaces so later regexes see ordinary words.
_SPACE_TABLE = {ord(c): " " for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                "\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"}
_SPACE_TABLE.update({0x2028: "\n", 0x2029: "\n\n"})
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Return ``text`` in NFC with ``\\n`` newlines and no invisible/control characters.

    Runs of blank lines collapse to one blank line; leading and trailing
    whitespace is removed. Smart quotes and dashes are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_SPACE_TABLE).translate(_DELETE_TABLE)
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() if line.strip() else "" for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def one_line(value: str, limit: int = 500) -> str:
    """Normalise a short field (title, outlet) to one line of at most ``limit`` characters."""
    value = " ".join(normalize_text(value).split())
    return value[:limit].rstrip()
