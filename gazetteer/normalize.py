"""Name folding shared by the index and the text matcher.

Both sides fold the same way, so "Nagorno-Karabakh", "Nagorno Karabakh" and
"NAGORNO KARABAKH" meet at one key, and "Laçın" meets "Lacin".
"""
from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Latin letters, including the extended blocks used by transliterations
# (Azerbaijani ə, Turkish ı, Vietnamese diacritics); other scripts are left out
# of the English-text index because they can never match English text.
_LATIN = re.compile(r"^[\u0000-\u024F\u1E00-\u1EFF\u02B0-\u02FF\u2018\u2019\u02BB\u02BC\s]+$")


def fold(name: str) -> str:
    """Return the matching key of a place name.

    Examples
    --------
    >>> fold("Laçın")
    'lacin'
    >>> fold("Nagorno-Karabakh")
    'nagorno karabakh'
    """
    s = anyascii(unicodedata.normalize("NFC", name)).lower()
    return _NON_ALNUM.sub(" ", s).strip()


# Text matching folds the same short strings over and over ("Russian", "Armenia").
fold_cached = functools.lru_cache(maxsize=1 << 17)(fold)


def is_latin(name: str) -> bool:
    """True when every character of ``name`` is Latin script (or space/punctuation)."""
    return bool(_LATIN.match(name))
