"""A cap on HTML nesting, applied before the page is parsed.

The HTML tree builder checks the stack of open elements for most tags, so a
page of 100,000 nested ``<div>`` costs time quadratic in its depth (minutes).
Browsers cap the depth of the tree they build (Chromium at 512). Here, any
element opened deeper than :data:`MAX_HTML_DEPTH` loses its start and end
tags, and its text is kept in the element above: the page parses in linear
time and says the same. The reader warns (``deep-html``) when it happens.
The depth is counted on a tokenizer's view (comments, raw-text elements and
void elements are skipped, elements that close themselves are not counted),
which is all a cap needs.
"""
from __future__ import annotations

import re

#: Deepest element kept; deeper start and end tags are dropped (their text is kept).
MAX_HTML_DEPTH = 512
#: Name of the warning the reader logs when it drops tags.
DEEP_HTML_WARNING = "deep-html"

_TOKEN = re.compile(r"<!--.*?(?:-->|$)|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>", re.S)
_RAW = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                  "plaintext", "noscript"))
# Elements that never hold children, or whose end tag is implied by a sibling: not counted.
_FLAT = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "rt", "rp"))


def cap_depth(html: str, limit: int = MAX_HTML_DEPTH) -> tuple[str, int]:
    """``html`` with the tags of elements nested deeper than ``limit`` removed, and how many were.

    Linear in the page size: every start tag is pushed and popped once, and
    a count per tag name keeps end tags of elements never opened from
    searching the stack.
    """
    if html.count("<") < limit:
        return html, 0  # too few tags to get that deep
    stack: list[tuple[str, bool]] = []  # (tag name, kept)
    open_count: dict[str, int] = {}
    depth = dropped = 0
    pieces: list[str] = []
    last = 0
    raw_until = None
    for m in _TOKEN.finditer(html):
        closing, name, selfclose = m.group(1), m.group(2), m.group(3)
        if name is None:
            continue  # a comment
        name = name.lower()
        if raw_until is not None:
            if closing and name == raw_until:
                raw_until = None
            continue
        if name in _RAW and not closing:
            raw_until = name  # its content is text to the tokenizer, and it is not counted
            continue
        if name in _FLAT or name in _RAW or selfclose:
            continue
        if not closing:
            keep = depth < limit
            stack.append((name, keep))
            open_count[name] = open_count.get(name, 0) + 1
            depth += keep
            if not keep:
                dropped += 1
                pieces.append(html[last:m.start()])
                last = m.end()
            continue
        if not open_count.get(name):
            continue  # a stray end tag: the parser ignores it
        while stack:
            top, keep = stack.pop()
            open_count[top] -= 1
            depth -= keep
            if top == name:
                if not keep:
                    pieces.append(html[last:m.start()])
                    last = m.end()
                break
    if not dropped:
        return html, 0
    pieces.append(html[last:])
    return "".join(pieces), dropped
