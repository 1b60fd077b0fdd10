"""Property-based tests: the text stages never crash and never lose track of offsets.

Generated texts mix place names of the tiny catalogue, force and posture
words, hostile markup and arbitrary Unicode, so the generator reaches the
code paths that real articles do. Escaping and GeoJSON export already have
their properties in tests/test_escape.py and tests/test_export.py.
"""
from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.text.boilerplate import strip_boilerplate
from geo.text.html_text import html_to_text
from geo.text.markdown_text import markdown_to_text
from geo.text.normalize import normalize_text
from geocore.errors import ArticleError
from geocore.records import STATUSES, Article

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PLACES = ["Kherson", "Gyumri", "Armenia", "Georgia", "Lachin", "Lachin corridor", "Stepanakert", "Khankendi",
          "Yerevan", "Moscow", "the Kremlin", "Armenia-Turkey border", "Armenian-Iranian border", "Gao", "Mali",
          "102nd Russian military base", "Atlanta, Georgia", "Armenia, Colombia", "Kyiv", "Damascus", "Turkey"]
WORDS = ["Russian", "troops", "soldiers", "border guards", "peacekeepers", "forces", "left", "withdrew",
         "are withdrawing from", "will stay in", "remain in", "pulled out of", "no longer", "completed the withdrawal",
         "agreed to remove", "the base", "they", "there", "said on Thursday", "May 9, 2024", "not", "from", "in",
         "and", ",", ".", ";", "—", "\n", "\n\n", "“", "”", "Gen.", "U.S.", "e.g."]
HOSTILE = ["{{7*7}}", "{% if 1 %}", "{# c #}", "<script>window.pwned=1</script>", "</script>", "${x}", "`t`",
           '<img src=x onerror="window.pwned=1">', "\u202e", "\u2066", "\u200b", "\x00", "\x1b[31m", "\r\n", "\ufeff",
           "e\u0301", "ﬁ", "İ", "ß", "\U0001f600", "&amp;", "&#x3c;", "javascript:alert(1)"]

tokens = st.one_of(st.sampled_from(PLACES), st.sampled_from(WORDS), st.sampled_from(HOSTILE),
                   st.text(max_size=12))
texts = st.lists(tokens, max_size=40).map(" ".join)
ugly = st.one_of(texts, st.text(max_size=300))

_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                 "\u2066\u2067\u2068\u2069")


# ------------------------------------------------------------------ text cleaning


@SETTINGS
@given(ugly)
def test_normalize_text_is_clean_and_idempotent(text):
    out = normalize_text(text)
    assert normalize_text(out) == out
    assert not _INVISIBLE & set(out)
    assert all(c in "\t\n" or unicodedata.category(c) != "Cc" for c in out)
    assert "\r" not in out and "\n\n\n" not in out and out == out.strip()
    assert unicodedata.is_normalized("NFC", out)


@SETTINGS
@given(ugly)
def test_strip_boilerplate_keeps_only_input_lines(text):
    clean = normalize_text(text)
    kept, dropped = strip_boilerplate(clean)
    lines = set(clean.split("\n"))
    assert all(line in lines for line in kept.split("\n") if line)
    assert all(reason and isinstance(unit, str) for reason, unit in dropped)


@SETTINGS
@given(st.lists(st.one_of(tokens, st.sampled_from(
    ["<p>", "</p>", "<div class='nav'>", "</div>", "<article>", "</article>", "<script>", "</script>",
     "<!--", "-->", "<br>", "<a href='javascript:x'>", "</a>", "<meta property='og:url' content='javascript:1'>",
     "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": ", "<title>", "</title>",
     "<![CDATA[", "]]>", "<svg><style>", "<math>", "&lt;", "&#0;", "&#xD800;"])), max_size=60).map("".join))
def test_html_to_text_never_crashes_and_runs_no_markup(page):
    found = html_to_text(page)
    assert isinstance(found.text, str)
    assert "<script" not in found.text.lower() or "<script" in page.lower()
    for field in (found.title, found.outlet, found.published, found.url):
        assert field is None or isinstance(field, str)


@SETTINGS
@given(st.lists(st.one_of(tokens, st.sampled_from(
    ["# ", "## ", "**", "__", "*", "_", "[", "](", ")", "![", "`", "```\n", "> ", "- ", "1. ", "|", "---\n",
     "<script>", "\\", "[x]: http://e"])), max_size=60).map("".join))
def test_markdown_to_text_never_crashes(md):
    found = markdown_to_text(md)
    assert isinstance(found.text, str)


_FILES = Path(tempfile.mkdtemp(prefix="geomap-props-"))


@SETTINGS
@given(st.one_of(st.binary(max_size=400), ugly.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.tuples(ugly, st.sampled_from(["latin-1", "cp1251", "utf-16", "utf-8-sig", "cp1252"]))
                 .map(lambda te: te[0].encode(te[1], errors="replace"))),
       st.sampled_from([".txt", ".md", ".html"]))
def test_read_article_gives_an_article_or_one_clear_error(data, suffix):
    from geo.text.articles import read_article

    path = _FILES / f"a{suffix}"
    path.write_bytes(data)
    try:
        article = read_article(path)
    except ArticleError as exc:
        assert exc.path == str(path) and exc.problem and "\n" not in exc.problem
        return
    assert article.text.strip() and article.doc == path.name
    assert not _INVISIBLE & set(article.text)
    assert all(c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cs") for c in article.text)
    assert article.url is None or article.url.startswith(("http://", "https://"))


# ------------------------------------------------------------------ offsets


@SETTINGS
@given(texts)
def test_sentences_index_into_the_text(text):
    from geo.text.sentences import split_sentences

    last = 0
    for s in split_sentences(text):
        assert last <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text
        last = s.end


@SETTINGS
@given(texts)
def test_report_highlights_index_into_the_evidence(tiny_extractor, text):
    for r in tiny_extractor.extract(text):
        assert r.evidence and all(0 <= a < b <= len(r.evidence) for a, b in r.trigger_spans)


@SETTINGS
@given(texts)
def test_geoparser_mentions_are_spans_of_the_text(tiny_parser, text):
    for m in tiny_parser.parse(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert -90 <= m.lat <= 90 and -180 <= m.lon <= 180
        assert m.place_id and isinstance(m.literal, bool)


@SETTINGS
@given(st.lists(st.one_of(tokens, st.just("Russian troops left"), st.just("Russian soldiers remain in")),
                max_size=40).map(" ".join))
def test_extractor_reports_are_consistent(tiny_extractor, text):
    article = Article(doc="gen.txt", text=text)
    reports = tiny_extractor.extract(article)
    assert [r.place_id for r in reports] == sorted({r.place_id for r in reports})  # one per place, sorted
    for r in reports:
        assert r.status in STATUSES and 0 <= r.confidence <= 1 and r.doc == "gen.txt"
        assert r.evidence and r.evidence in text
        for start, end in r.trigger_spans:
            assert 0 <= start < end <= len(r.evidence)
        assert -90 <= r.lat <= 90 and -180 <= r.lon <= 180


@pytest.mark.parametrize("text", [
    "Russian troops left Kherson, Ukraine {{7*7}} <script>window.pwned=1</script>.",
    "Russian soldiers remain in Gyumri" + " and Gyumri" * 300 + ".",
    "Russian troops left " + "Kherson, " * 300 + "Ukraine.",
    "Russian troops left Kherson" + "," * 20_000 + " Ukraine.",
    "Russian troops left Kherson " + "(" * 5000 + ")" * 5000 + ".",
], ids=["hostile", "repeated-and", "repeated-comma", "commas", "brackets"])
def test_extractor_handles_pathological_sentences(tiny_extractor, text):
    reports = tiny_extractor.extract(Article(doc="p.txt", text=text))
    assert reports and all(r.evidence in text for r in reports)


def _extract_seconds(extractor, n: int) -> float:
    import time

    text = "Russian troops left " + "Kherson, " * n + "Ukraine."
    start = time.perf_counter()
    extractor.extract(Article(doc="list.txt", text=text))
    return time.perf_counter() - start


def test_extraction_time_grows_linearly_with_mentions_in_a_sentence(tiny_extractor):
    small = min(_extract_seconds(tiny_extractor, 400) for _ in range(2))
    large = _extract_seconds(tiny_extractor, 1600)
    # four times the mentions: about four times the time when linear, sixteen when quadratic
    assert large < 8 * small + 0.2, (small, large)
