"""HTML page -> article text and page metadata.

:func:`html_to_text` drops scripts, navigation, share bars and other page
chrome, prefers the story node (``articleBody``, ``<article>``, ``<main>``)
over the whole body and keeps block structure as blank lines. Title, outlet,
canonical URL and publication date come from meta tags and JSON-LD.
"""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from geo.text.document import Extracted
from geo.text.html_depth import DEEP_HTML_WARNING, MAX_HTML_DEPTH, cap_depth
from geo.text.normalize import normalize_text

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
    for hostile nesting: elements deeper than ``MAX_HTML_DEPTH`` lose their
    tags first (:mod:`geo.text.html_depth`), with a warning.
    """
    from selectolax.lexbor import LexborHTMLParser  # imported lazily: only HTML needs it

    html, dropped = cap_depth(html)
    notes = (f"{DEEP_HTML_WARNING}: {dropped} element(s) nested deeper than {MAX_HTML_DEPTH} lost their tags "
             "(their text is kept)",) if dropped else ()
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
    return Extracted(normalize_text(text), title, outlet, url, published, notes)
