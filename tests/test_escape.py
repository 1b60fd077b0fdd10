"""Tests for geo.outputs.escape: article text must come out inert in HTML, Jinja and JS."""
from __future__ import annotations

import html
import re

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.outputs.escape import MAX_TEXT, highlight, safe_text, safe_url

HOSTILE = [
    "{{7*7}}",
    "{% if 1 %}X{% endif %}",
    "{# comment #}",
    '<img src=x onerror="window.pwned=1">',
    "</script><script>window.pwned=1</script>",
    "${window.pwned=1}",
    "`backtick`",
    "it's \"quoted\"",
    "abc\u202edcba",
]
FORBIDDEN = ("<", ">", "{{", "{%", "{#", "${", "`", '"', "'")

# Text that mixes hostile fragments with arbitrary unicode, so shrinking finds
# minimal counter-examples around the delimiters that matter.
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE + ["{", "}", "%", "#", "$", "<", ">", "&", "\u202e"]), st.text(max_size=8)),
    max_size=12,
).map("".join)


def _assert_inert(out: str) -> None:
    for bad in FORBIDDEN:
        assert bad not in out, (bad, out)


@given(st.one_of(st.text(), hostile_text))
@settings(max_examples=400)
def test_safe_text_output_never_contains_active_syntax(s):
    _assert_inert(safe_text(s))


@given(hostile_text)
def test_safe_text_round_trips_as_displayed_text(s):
    # What the browser shows (entities decoded) is the input minus controls.
    shown = html.unescape(safe_text(s, max_len=None))
    assert "\u202e" not in shown
    assert shown == "".join(ch for ch in s if ch != "\u202e" and (ch in "\t\n\r" or ord(ch) >= 32) and not 0x7F <= ord(ch) <= 0x9F)


def test_safe_text_specific_payloads():
    assert safe_text("{{7*7}}") == "&#123;&#123;7*7&#125;&#125;"
    assert safe_text("a & b") == "a &amp; b"
    assert safe_text("${x}") == "&#36;&#123;x&#125;"
    assert safe_text("`") == "&#96;"
    assert safe_text(None) == ""
    assert safe_text(42) == "42"
    assert safe_text("ab\u202ecd\u2066") == "abcd"


def test_safe_text_output_survives_jinja_unchanged():
    # Rendering the escaped text as a template (the worst case: someone pastes
    # it into a template string) must not evaluate anything.
    for payload in HOSTILE:
        out = safe_text(payload)
        assert jinja2.Template(out).render() == out
        assert "49" not in jinja2.Template(out).render()


def test_safe_text_caps_long_strings():
    out = safe_text("x" * (MAX_TEXT + 500))
    assert len(out) == MAX_TEXT
    assert out.endswith("\u2026")
    assert safe_text("<" * 10, max_len=4) == "&lt;&lt;&lt;\u2026"
    assert safe_text("y" * 5000, max_len=None) == "y" * 5000


def test_safe_url_accepts_http_and_https():
    assert safe_url("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&amp;c=2"
    assert safe_url("  http://example.org/x  ") == "http://example.org/x"
    assert safe_url("HTTPS://Example.org/") == "HTTPS://Example.org/"


def test_safe_url_quotes_and_braces_are_escaped():
    out = safe_url("https://example.org/?q=\"'{{7*7}}${x}`")
    _assert_inert(out)
    assert html.unescape(out) == "https://example.org/?q=\"'{{7*7}}${x}`"


def test_safe_url_rejects_dangerous_and_malformed():
    for bad in [
        "javascript:window.pwned=1",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "https:evil.example",
        "https:/evil.example",
        "https:\\\\evil.example",
        "https://good.example@evil.example/",
        "https://exa mple.org/",
        "https://example.org/\u202egpj.exe",
        "https://example.org:99999/",
        "https://",
        "ftp://example.org/",
        "",
        None,
        42,
        "https://example.org/" + "a" * 3000,
    ]:
        assert safe_url(bad) is None, bad


@given(st.text())
def test_safe_url_output_is_http_and_inert(s):
    out = safe_url(s)
    if out is not None:
        _assert_inert(out)
        assert html.unescape(out).lower().startswith(("http://", "https://"))


def test_highlight_marks_spans_and_escapes_each_piece():
    ev = "Troops <b>will</b> withdraw from {{7*7}}"
    start = ev.index("withdraw")
    out = highlight(ev, [(start, start + len("withdraw"))])
    assert out == "Troops &lt;b&gt;will&lt;/b&gt; <mark>withdraw</mark> from &#123;&#123;7*7&#125;&#125;"


def test_highlight_merges_clips_and_drops_bad_spans():
    assert highlight("abcdef", [(4, 99), (1, 3), (2, 4), (5, 5), (3, 1), ("a", 2), None]) == "a<mark>bcdef</mark>"
    assert highlight("abc", []) == "abc"
    assert highlight(None, [(0, 1)]) == ""


def test_highlight_span_inside_hostile_markup():
    ev = '<img src=x onerror="window.pwned=1">'
    out = highlight(ev, [(0, 4), (5, 20)])
    assert re.sub(r"</?mark>", "", out).count("<") == 0
    assert "onerror=&quot;" in out


@given(st.one_of(st.text(), hostile_text), st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), max_size=6))
@settings(max_examples=300)
def test_highlight_only_produces_mark_tags(ev, spans):
    out = highlight(ev, spans)
    assert re.findall(r"<[^>]*>", out) == [t for t in re.findall(r"</?mark>", out)]
    stripped = re.sub(r"</?mark>", "", out)
    _assert_inert(stripped)
    # Marks are balanced and never nested.
    assert re.fullmatch(r"(?:[^<]*<mark>[^<]*</mark>)*[^<]*", out)
