"""Make article-derived strings inert before they reach HTML, Jinja or JavaScript.

Everything that comes from an article or its metadata (names, outlets, evidence,
URLs, force and actor labels) is hostile: it may carry HTML tags, Jinja
delimiters, JavaScript template-literal syntax or bidirectional-override tricks.
The map only ever inserts the output of these functions, never raw text.
"""
from __future__ import annotations

import html
import unicodedata
import urllib.parse
from typing import Iterable, Optional

#: Longest string (in characters, before escaping) shown anywhere on the map.
MAX_TEXT = 2000
#: Longest URL accepted by :func:`safe_url`.
MAX_URL = 2048

# Bidirectional embedding/override/isolate controls and marks: they can make
# text display in a different order from the one it is stored in ("Trojan
# source"), so an analyst would read something other than what was written.
_BIDI = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# After html.escape these still mean something to Jinja ({{ {% {#) or to a JS
# template literal (` and ${); braces are encoded everywhere, which neutralises
# every Jinja delimiter without having to recognise them.
_AFTER_HTML = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;"})
_ALLOWED_SCHEMES = ("http", "https")


def _clean(s: str) -> str:
    """Drop bidi controls and C0/C1 control characters except tab and newlines."""
    return "".join(
        ch
        for ch in s
        if ch not in _BIDI
        and (ch in "\t\n\r" or unicodedata.category(ch) != "Cc")
        and not ("\ud800" <= ch <= "\udfff")  # lone surrogates cannot be encoded
    )


def _escape(s: str) -> str:
    """HTML-escape, then encode Jinja and JS template-literal characters."""
    return html.escape(s, quote=True).translate(_AFTER_HTML)


def safe_text(s: object, max_len: Optional[int] = MAX_TEXT) -> str:
    """Return ``s`` as inert HTML text.

    Parameters
    ----------
    s : object
        Any value; ``None`` becomes ``""``, anything else is passed through ``str``.
    max_len : int or None
        Cap on the number of characters kept (before escaping); longer text is
        cut and ends with an ellipsis. ``None`` disables the cap.

    Returns
    -------
    str
        Text without ``<``, ``>``, quotes, backticks, braces or ``$``: safe in
        HTML element and attribute context, in a Jinja template and in a JS
        template literal.
    """
    if s is None:
        return ""
    text = _clean(s if isinstance(s, str) else str(s))
    if max_len is not None and len(text) > max_len:
        # Cut before escaping so an entity is never split in half.
        text = text[: max(max_len - 1, 0)] + "\u2026"
    return _escape(text)


def safe_url(u: object) -> Optional[str]:
    """Return an http(s) URL escaped for an HTML attribute, or None.

    Rejected (None): anything that is not a string, not http or https
    (``javascript:``, ``data:``, ``vbscript:``, ``file:`` ...), protocol-relative
    URLs, URLs without a host, with user info (``https://good@evil``), with a
    backslash, with whitespace or control characters inside (``java\\tscript:``,
    which browsers would silently join), with bidi controls, with a bad port,
    or longer than :data:`MAX_URL`.

    Parameters
    ----------
    u : object
        Candidate URL; surrounding whitespace is ignored.

    Returns
    -------
    str or None
        The URL, HTML-escaped for a quoted attribute, or None when unsafe.
    """
    if not isinstance(u, str):
        return None
    url = u.strip()
    if not url or len(url) > MAX_URL:
        return None
    for ch in url:
        if ch in _BIDI or ch == "\\" or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return None
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in _ALLOWED_SCHEMES:
        return None
    if not parts.netloc or not parts.hostname or "@" in parts.netloc:
        return None
    if not url.lower().startswith(parts.scheme.lower() + "://"):
        return None
    return _escape(url)


def highlight(evidence: object, spans: Iterable[tuple[int, int]] = (), max_len: Optional[int] = MAX_TEXT) -> str:
    """Return the evidence sentence as safe HTML with trigger spans in ``<mark>``.

    Each piece (inside or outside a span) is escaped separately, so the only
    tags in the output are ``<mark>`` and ``</mark>``. Spans are clipped to the
    text, empty or reversed ones dropped, overlapping ones merged.

    Parameters
    ----------
    evidence : object
        The evidence sentence; ``None`` gives ``""``.
    spans : iterable of (int, int)
        ``(start, end)`` character offsets into ``evidence``.
    max_len : int or None
        Cap on the characters shown, as in :func:`safe_text`.

    Returns
    -------
    str
        Safe HTML.
    """
    if evidence is None:
        return ""
    text = evidence if isinstance(evidence, str) else str(evidence)
    cut = max_len is not None and len(text) > max_len
    if cut:
        text = text[: max(max_len - 1, 0)]
    merged: list[list[int]] = []
    for span in sorted(_valid_spans(spans, len(text))):
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span[1])
        else:
            merged.append([span[0], span[1]])
    out: list[str] = []
    pos = 0
    for start, end in merged:
        out.append(safe_text(text[pos:start], None))
        out.append("<mark>" + safe_text(text[start:end], None) + "</mark>")
        pos = end
    out.append(safe_text(text[pos:], None))
    if cut:
        out.append("\u2026")
    return "".join(out)


def _valid_spans(spans: Iterable[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """Keep spans that are pairs of ints, clipped to ``[0, n]`` and non-empty."""
    valid = []
    for span in spans or ():
        try:
            start, end = span
        except (TypeError, ValueError):
            continue
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
            continue
        start, end = max(start, 0), min(end, n)
        if start < end:
            valid.append((start, end))
    return valid
