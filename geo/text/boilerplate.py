"""Reduce a decoded document (plain text, Markdown or HTML) to its article text.

Three steps, each general (no outlet-specific rules):

* :func:`normalize_text` - Unicode NFC, newlines, invisible and bidi controls out.
* :func:`html_to_text` / :func:`markdown_to_text` - drop markup and page chrome
  (navigation, scripts, share bars) and keep block structure as blank lines.
* :func:`strip_boilerplate` - drop paragraphs that are not article prose:
  donation and subscription appeals, copyright notices, "Read more" links,
  photo captions and credits, author credit lines.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Optional

# ---------------------------------------------------------------------------
# Unicode normalisation
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Extracted document
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Extracted:
    """Text and document-level metadata found in a Markdown or HTML file.

    Metadata values are raw strings (``published`` not yet parsed, ``url`` not
    yet checked); the caller validates them.
    """

    text: str
    title: Optional[str] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "nav", "footer", "aside", "form", "iframe", "svg",
    "button", "figcaption", "template", "object", "embed", "canvas", "select",
    "textarea", "input", "dialog", "menu", "video", "audio", "picture", "head", "math",
)
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "hr",
    "address", "figure", "details", "summary", "center", "header", "body", "html",
))
# class/id tokens (split on non-alphanumerics, lower-cased) that mark page chrome.
_NOISE_EXACT = frozenset((
    "nav", "navbar", "navigation", "header", "footer", "masthead", "ad", "ads", "adv",
    "comment", "comments", "caption", "banner", "modal", "promo", "share", "tags",
    "byline", "toolbar", "sharing", "cookie", "cookies", "widget", "sidebar",
))
_NOISE_PREFIX = re.compile(
    r"^(?:share(?!d)|social|advert|sponsor|newsletter|cookie|consent|breadcrumb|sidebar|"
    r"paywall|outbrain|taboola|subscri|donat|popup|related|recirc|trending|signup|menu|"
    r"mostread|most_read)"
)
# inside the story these name its own headline block, not the site's
_STORY_PARTS = frozenset(("header", "masthead", "byline"))
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_WS = re.compile(r"\s+")
_SPACES = re.compile(r"[ \t]+")
_META_PUBLISHED = (
    'meta[property="article:published_time"]', 'meta[name="article:published_time"]',
    'meta[property="og:published_time"]', 'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]', 'meta[name="publishdate"]', 'meta[name="publish-date"]',
    'meta[name="parsely-pub-date"]', 'meta[name="dc.date.issued"]', 'meta[name="dc.date"]',
    'meta[name="DC.date.issued"]', 'meta[name="DC.date"]', 'meta[name="date"]',
)
_JSONLD_MAX_NODES = 5000
_MAX_ARTICLES = 20


def _is_noise(node: Any, in_story: bool) -> bool:
    attrs = node.attributes
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    for token in _TOKEN_SPLIT.split(names):
        if in_story and token in _STORY_PARTS:
            continue
        if token and (token in _NOISE_EXACT or _NOISE_PREFIX.match(token)):
            return True
    return False


def _text_len(node: Any) -> int:
    return len(_WS.sub(" ", node.text(separator=" ") or "").strip())


def _meta_content(tree: Any, *selectors: str) -> Optional[str]:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is not None:
            value = (node.attributes.get("content") or node.attributes.get("href") or "").strip()
            if value:
                return value
    return None


def _jsonld(tree: Any) -> dict[str, str]:
    """First datePublished / headline / publisher name found in JSON-LD blocks."""
    found: dict[str, str] = {}
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "")
        except (ValueError, RecursionError):
            continue  # hostile or broken JSON-LD is common; it only adds hints
        stack, seen = [data], 0
        while stack and seen < _JSONLD_MAX_NODES:
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                for key in ("datePublished", "headline"):
                    if isinstance(item.get(key), str) and key not in found:
                        found[key] = item[key]
                publisher = item.get("publisher")
                if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                    found.setdefault("publisher", publisher["name"])
                stack.extend(reversed([v for v in item.values() if isinstance(v, (list, dict))]))
    return found


def _walk_text(root: Any) -> str:
    """Text of ``root`` with blocks on their own paragraphs (iterative: deep trees are safe)."""
    out: list[str] = []
    stack: list[tuple[Any, bool, bool]] = [(root, False, False)]
    while stack:
        node, leaving, in_pre = stack.pop()
        tag = node.tag
        if leaving:
            out.append("\n\n")
            continue
        if tag == "-text":
            text = node.text_content or ""
            out.append(text if in_pre else _WS.sub(" ", text))
        elif tag == "br":
            out.append("\n")
        elif tag.startswith(("-", "_", "!")) or tag in _DROP_TAGS:
            continue  # comments, doctype, and anything not already removed
        else:
            block = tag in _BLOCK_TAGS
            if block:
                out.append("\n\n")
                stack.append((node, True, in_pre))
            children = list(node.iter(include_text=True))
            child_pre = in_pre or tag == "pre"
            stack.extend((child, False, child_pre) for child in reversed(children))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n"))
    return "\n".join(lines)


def _pick_story(tree: Any, body: Any) -> Any:
    """The node holding the story: articleBody, else the largest of the first
    <article>s (when it holds a fair share of the page), else <main>, else None."""
    node = tree.css_first("[itemprop=articleBody]")
    if node is not None:
        return node
    # Only the first few are measured: measuring every one of thousands of
    # nested <article>s would be quadratic.
    sized = [(_text_len(a), i, a) for i, a in enumerate(tree.css("article")[:_MAX_ARTICLES])]
    if sized:
        size, _, best = max(sized, key=lambda t: (t[0], -t[1]))
        if size * 4 >= (_text_len(body) if body is not None else size):
            return best
    return tree.css_first("main")


def html_to_text(html: str) -> Extracted:
    """Reduce an HTML page to its article text and page metadata.

    Scripts, navigation, forms, share bars and similar chrome are removed;
    ``[itemprop=articleBody]``, then the largest ``<article>``, then ``<main>``
    is preferred over the whole body when present. Linear in page size, also
    for hostile nesting.
    """
    from selectolax.lexbor import LexborHTMLParser  # imported lazily: only HTML needs it

    tree = LexborHTMLParser(html)
    ld = _jsonld(tree)
    h1 = tree.css_first("h1")
    title_node = tree.css_first("title")
    title = (_meta_content(tree, 'meta[property="og:title"]', 'meta[name="twitter:title"]')
             or (h1.text(separator=" ") if h1 is not None else None)
             or ld.get("headline")
             or (title_node.text() if title_node is not None else None))
    outlet = _meta_content(tree, 'meta[property="og:site_name"]') or ld.get("publisher")
    url = _meta_content(tree, 'link[rel="canonical"]', 'meta[property="og:url"]')
    published = _meta_content(tree, *_META_PUBLISHED[:1]) or ld.get("datePublished") \
        or _meta_content(tree, *_META_PUBLISHED[1:])
    if published is None:
        time = tree.css_first("article time[datetime]") or tree.css_first("time[datetime]")
        if time is not None:
            published = (time.attributes.get("datetime") or "").strip() or None

    for node in tree.css(", ".join(_DROP_TAGS)):
        node.decompose()
    body = tree.body if tree.body is not None else tree.root
    story = _pick_story(tree, body)
    # The story and its wrappers survive whatever their class says; headers
    # survive only inside the story (its headline and dateline).
    keep: set[int] = set()
    story_headers: set[int] = set()
    in_story: set[int] = set()
    if story is not None:
        node = story
        while node is not None:
            keep.add(node.mem_id)
            node = node.parent
        story_headers = {h.mem_id for h in story.css("header")}
        in_story = {n.mem_id for n in story.css("[class], [id]")}
    for node in tree.css("header"):
        if node.mem_id not in story_headers:
            node.decompose()
    for node in tree.css("[class], [id]"):
        if (node.mem_id not in keep and node.tag not in ("html", "body")
                and _is_noise(node, node.mem_id in in_story)):
            node.decompose()
    root = story if story is not None else body
    text = _walk_text(root) if root is not None else ""
    return Extracted(normalize_text(text), title, outlet, url, published)


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Boilerplate paragraphs
# ---------------------------------------------------------------------------


def _rx(*patterns: str, first: str = "") -> re.Pattern[str]:
    """Case-insensitive alternation; ``first`` lists every character a match can
    start with, so the engine skips other positions at once (much faster)."""
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"(?=[{first}])(?:{body})" if first else body, re.I)


# Whole short units (menu items, buttons, link stubs).
_NAV = _rx(
    r"^(?:read|see|watch|listen)\s*(?:more|also|next|too)(?:\b|(?=[A-Z]))",  # "Read alsoTitle" glued
    r"^(?:more on this|more from|related)\b",
    r"^source\s*(?:link|:)",
    r"^(?:share|tweet|print|e-?mail|copy link|follow us|follow)\b(?:\s+(?:this|on|us)\b.*)?[.!:]?$",
    r"^(?:facebook|twitter|x|telegram|whatsapp|linkedin|reddit|vk|pinterest|instagram|youtube|email)"
    r"(?:\s*[,|/]\s*\w+)*$",
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|promoted)$",
    r"^(?:skip to (?:main )?content|back to top|click here\b.*|sign up\b.*|log ?in|sign in|register|menu|search|home)$",
    r"^(?:payment|paiment) methods?\b",
    r"^(?:remind me later|not now|no thanks|maybe later|close)[.!]?$",
    r"^(?:comments?|leave a comment|\d+ comments?|show comments|add (?:a )?comment)$",
    r"^(?:tags?|topics?|filed under)\s*:",
    r"^listen to (?:this )?(?:article|story)\b",
    r"^\d+\s*min(?:ute)?s?\s+read$",
    r"^(?:subscribe|donate|support us|join us|become a (?:member|subscriber|supporter))\b",
    r"^support\b.*!$",
)
_NAV_MAX_WORDS = 8
# "Read also: <headline>" teasers can carry a whole headline.
_READ_ALSO = re.compile(r"^(?:read|see)\s*(?:also|more|next)(?:\s*[:|–—-]|(?=[A-Z]))", re.I)
_READ_ALSO_MAX_WORDS = 25
# Phrases that make a whole unit an appeal (they never occur in reporting).
_APPEAL_STRONG = _rx(
    r"small favou?r to ask",
    r"\bsupport (?:us|our (?:work|journalism|reporting|newsroom|mission)|independent (?:journalism|media|reporting))\b",
    r"\bplease (?:support|donate|subscribe|consider (?:supporting|donating|subscribing|a (?:donation|contribution))|help us)\b",
    r"\b(?:donate|subscribe|contribute|give) (?:now|today|here|monthly)\b",
    r"\bmake a (?:donation|contribution|one-off|one-time|monthly)\b",
    r"\bbecome an? (?:member|subscriber|supporter|patron|donor)\b",
    r"\bremind me later\b",
    r"\bnot ready to (?:support|donate|subscribe|contribute)\b",
    r"\b(?:from|for) (?:just|only|as little as) [$€£]\s?\d",
    r"\bsign up (?:for|to) (?:our|the|my) (?:free )?(?:\w+ )?(?:newsletter|email|briefing)",
    r"\bsubscribe to (?:our|the) (?:\w+ )?(?:newsletter|channel|podcast|mailing list)",
    r"\balready a (?:subscriber|member)\b",
    r"\b(?:we|this (?:site|website)) uses? cookies\b",
    r"\baccept (?:all )?cookies\b",
    first="abcdfgmnprstw",
)
# Phrases typical of appeals, but only telling when most sentences carry one.
_APPEAL_WEAK = _rx(
    r"\byour (?:support|donation|contribution|generosity)\b",
    r"\bwe need your (?:help|support)\b",
    r"\bthank you for (?:reading|your support|supporting)\b",
    r"\bkeep (?:us|our journalism|journalism) (?:going|free|independent|alive)\b",
    r"\b(?:our|free|daily|weekly|email) newsletters?\b",
    r"\bcookie (?:policy|settings|preferences|consent)\b",
    r"\bunlock (?:this|the full|unlimited)\b",
    r"\bsupport(?:ing)? (?:open|independent|quality) journalism\b",
    first="cdefkostuwy",
)
_LEGAL = _rx(
    r"©", r"\(c\)\s*\d{4}", r"\bcopyright\s*(?:©|\(c\)|\d{4})",
    r"\ball rights reserved\b", r"\bexpressly prohibited\b",
    r"\bwithout (?:the )?(?:prior )?(?:express )?written (?:consent|permission)\b",
    r"\b(?:is|are) (?:registered )?trademarks? of\b", r"\bintellectual property of\b",
    r"\bshall not be (?:held )?liable\b",
    r"\bmay not be (?:reproduced|published|broadcast|rewritten|redistributed|copied)\b",
    r"\bterms (?:of use|and conditions|of service)\b", r"\bprivacy policy\b",
    first="©(aceimpstw",
)
_CREDIT = _rx(
    r"^[(\[].*\b(?:written|edited|reporting|editing|writing|compiled|translated|translation)\s+by\b.*[)\]]\.?$",
    r"^(?:additional )?(?:reporting|writing|editing|edited|written|compiled|translated)\s+by\b",
)
_BYLINE = re.compile(r"^By\s+(?:[A-Z][\w.'’-]*(?:\s+|,\s*|\s+and\s+|\s*&\s*)?){1,6}$")
_CREDIT_MAX_WORDS = 40
_CAPS = r"[A-Z][\w.'’-]*(?:\s+(?:via\s+)?[A-Z][\w.'’-]*)*"  # Capitalised Words Only
_CAPTION = _rx(
    r"^(?:photos?|images?|pictures?|video|credit)\s*(?:credit|courtesy)?\s*(?:[:©]|by\b)",
    r"©\s*[\w &'’/-]{1,60}\)?$",
    r"\((?:photo|image|picture|credit)\b[^()]*\)\.?$",
)
# Case-sensitive: credits are told apart from prose by their capitalisation.
_CAPTION_CS = re.compile(
    # an agency credit after the caption's last sentence: ". EPA/NAME/TASS", ". AFP/Getty Images"
    rf"(?:^|[.!?”\")]\s+){_CAPS}(?:\s*/\s*{_CAPS}){{1,4}}\.?\)?$"
    r"|(?:^|[.!?”\")]\s+|/\s*|\bvia\s+|\()(?:Getty Images|Shutterstock|Alamy|AP Photo)\b[^.]{0,40}\.?\)?$"
)
_CAPTION_MAX_WORDS = 60
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+")
_WRAP_END = re.compile(r"[.!?:\"”’)\]]$")


def _sentences(unit: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(unit) if s.strip()] or [unit]


def _share(unit: str, *patterns: re.Pattern[str]) -> float:
    sentences = _sentences(unit)
    hits = sum(1 for s in sentences if any(p.search(s) for p in patterns))
    return hits / len(sentences)


def classify_unit(unit: str, outlet: Optional[str] = None) -> Optional[str]:
    """Return why a paragraph is boilerplate ("navigation", "appeal", ...) or None to keep it."""
    text = " ".join(unit.split())
    if not text:
        return None
    # Word limits keep the short-unit rules off prose; the character limits
    # also bound regex work on hostile one-"word" megabyte lines.
    words, chars = len(text.split()), len(text)
    if words <= _NAV_MAX_WORDS and chars <= 120 and _NAV.search(text):
        return "navigation"
    if words <= _READ_ALSO_MAX_WORDS and _READ_ALSO.search(text):
        return "navigation"
    if outlet and text.casefold().strip(" .!|-") == outlet.casefold().strip():
        return "outlet name"
    if words <= _CREDIT_MAX_WORDS and chars <= 500 and (_CREDIT.search(text) or _BYLINE.search(text)):
        return "credits"
    if (words <= _CAPTION_MAX_WORDS and chars <= 700
            and (_CAPTION.search(text) or _CAPTION_CS.search(text))):
        return "photo caption"
    # A sentence can only match where the whole unit does: one search over the
    # unit spares the per-sentence pass for the (many) units without a hit.
    if _APPEAL_STRONG.search(text) or (_APPEAL_WEAK.search(text) and _share(text, _APPEAL_STRONG, _APPEAL_WEAK) >= 0.5):
        return "appeal"
    if _LEGAL.search(text) and _share(text, _LEGAL) >= 0.5:
        return "copyright notice"
    return None


def _units(text: str) -> list[list[str]]:
    """Blocks (blank-line separated) of units: one unit per line, or the whole
    block when it is a hard-wrapped paragraph."""
    blocks = []
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        wrapped = len(lines) > 1 and all(
            len(line) >= 30 and not _WRAP_END.search(line.rstrip()) for line in lines[:-1])
        blocks.append(["\n".join(lines)] if wrapped else lines)
    return blocks


def strip_boilerplate(text: str, outlet: Optional[str] = None) -> tuple[str, list[tuple[str, str]]]:
    """Drop boilerplate paragraphs from normalised text.

    A trailing appeal (one that starts in the second half of the text and is
    followed mostly by other boilerplate) is cut with everything after it.

    Returns
    -------
    text : str
        The article text, blank-line structure kept.
    dropped : list of (reason, paragraph)
        What was removed and why, in text order.
    """
    blocks = _units(text)
    flat = [(b, i, unit) for b, block in enumerate(blocks) for i, unit in enumerate(block)]
    reasons = [classify_unit(unit, outlet) for _, _, unit in flat]
    total = sum(len(u) for _, _, u in flat) or 1
    seen = 0
    for k, (_, _, unit) in enumerate(flat):
        if reasons[k] == "appeal" and seen * 2 >= total:
            rest = reasons[k + 1:]
            if sum(r is not None for r in rest) * 2 >= len(rest):
                reasons[k:] = [r or "appeal" for r in reasons[k:]]
                break
        seen += len(unit)
    keep: list[list[str]] = [[] for _ in blocks]
    dropped = []
    for (b, _, unit), reason in zip(flat, reasons):
        if reason is None:
            keep[b].append(unit)
        else:
            dropped.append((reason, unit))
    kept = "\n\n".join("\n".join(units) for units in keep if units)
    return kept, dropped
