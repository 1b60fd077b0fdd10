"""Markdown -> plain text and front-matter metadata.

:func:`markdown_to_text` turns headings, emphasis and links into plain text,
drops images, code fences, raw script/style HTML and link definitions, and
reads title, date, url and outlet from YAML front matter.
"""
from __future__ import annotations

import re

from geo.text.document import Extracted
from geo.text.normalize import normalize_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FM_LINE = re.compile(r"^(title|date|published|url|source|outlet|site)\s*:\s*(.+?)\s*$", re.M | re.I)
_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\1[^\n]*$|\Z)", re.S | re.M)
_HTML_BLOCKS = re.compile(r"<(script|style|iframe|noscript)\b.*?(?:</\1\s*>|\Z)", re.S | re.I)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# Inner classes exclude their own delimiters and spans are bounded so that
# hostile input ("[[[[..." or "**a **a ...") is scanned in linear time.
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,300}\")?\)"
                    r"|!\[[^\[\]\n]{0,500}\]\[[^\[\]\n]{0,100}\]")
_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,300}\")?\)"
                   r"|\[([^\[\]\n]{0,500})\]\[[^\[\]\n]{0,100}\]")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>", re.I)
_ATX = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
_SETEXT = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$", re.M)
_RULE = re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M)
_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M)
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", re.M)
_EMPHASIS = re.compile(r"\*\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*\*|__(?=\S)([^_\n]{1,500}?)(?<=\S)__"
                       r"|(?<![\w*])\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*(?!\w)"
                       r"|(?<![\w_])_(?=\S)([^_\n]{1,500}?)(?<=\S)_(?!\w)|~~([^~\n]{1,500}?)~~")
_CODE = re.compile(r"`+([^`\n]*)`+")


def _emphasis_text(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g is not None)


def markdown_to_text(md: str) -> Extracted:
    """Strip Markdown markup cheaply: headings, emphasis, links become plain text.

    Images, code fences, raw HTML script/style blocks and link definitions are
    dropped. YAML front matter supplies title, date, url and outlet when present.
    """
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(md)
    if front:
        for key, value in _FM_LINE.findall(front.group(1)):
            meta.setdefault(key.lower(), value.strip().strip("'\""))
        md = md[front.end():]
    md = _FENCE.sub("", md)
    md = _HTML_BLOCKS.sub("", md)
    md = _HTML_COMMENT.sub("", md)
    md = _IMAGE.sub("", md)
    md = _AUTOLINK.sub("", md)
    md = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), md)
    md = _REF_DEF.sub("", md)
    md = _HTML_TAG.sub("", md)
    heading = None
    for level, text in ((m.group(1), m.group(2)) for m in _ATX.finditer(md)):
        if level == "#":
            heading = text
            break
    md = _ATX.sub(lambda m: "\n" + m.group(2) + "\n", md)
    md = _RULE.sub("", md)
    md = _SETEXT.sub("", md)
    md = _QUOTE.sub("", md)
    md = _LIST.sub("", md)
    for _ in range(3):  # nested emphasis (***x***) needs more than one pass
        md = _EMPHASIS.sub(_emphasis_text, md)
    md = _CODE.sub(r"\1", md)
    md = md.replace("\\", "") if "\\" in md else md
    if heading:
        for _ in range(3):
            heading = _EMPHASIS.sub(_emphasis_text, heading)
    title = meta.get("title") or heading
    return Extracted(
        normalize_text(md), title,
        meta.get("outlet") or meta.get("source") or meta.get("site"),
        meta.get("url"), meta.get("published") or meta.get("date"),
    )
