"""A hostile corpus built in code: real-looking articles laced with injection payloads,
and a folder of broken inputs (one per failure mode).

Every hostile article still contains sentences that produce posture reports, so
the payloads travel all the way into the evidence, titles and outlets shown on
the map and written to the exports. Nothing here is read from disk: the tests
write the corpus into ``tmp_path``.
"""
from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

# Payloads as they appear in article text. The "pwned" ones would set
# ``window.pwned`` if they ever ran in the browser.
JINJA_EXPR = "{{7*7}}"
JINJA_STMT = "{% if 1 %}JINJA-STATEMENT-RAN{% endif %}"
JINJA_COMMENT = "{# hidden-jinja-comment #}"
SCRIPT = "<script>window.pwned=1</script>"
CLOSE_SCRIPT = "</script><script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'
SVG = "<svg/onload=window.pwned=1>"
JS_TEMPLATE = "${window.pwned=1}"
BACKTICKS = "`tick`"
RTL = "\u202eevil\u202c"  # right-to-left override: displays reversed
ISOLATE = "\u2067hidden\u2069"
CONTROLS = "\x07\x1b[31m"  # bell, ANSI colour escape

PAYLOAD = " ".join([JINJA_EXPR, JINJA_STMT, JINJA_COMMENT, SCRIPT, IMG, SVG, JS_TEMPLATE, BACKTICKS])

# Sequences that must never appear verbatim in the built HTML: each is
# executable (or a template delimiter) where it stands. The map's own code
# legitimately uses ``<script>``, ``${`` and backticks, so only the
# payload-specific forms are listed.
FORBIDDEN_IN_HTML = (
    "<script>window.pwned", "window.pwned=1</script>", "onerror=\"window.pwned", "onerror=window.pwned",
    "<img src=x", "<svg/onload", "${window.pwned", "{{7*7}}", "{% if 1 %}", "JINJA-STATEMENT-RAN{%",
    "{# hidden-jinja-comment #}", "\u202e", "\u2067", "javascript:alert", "data:text/html",
)

HOSTILE_URLS = (
    "javascript:alert(document.domain)",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cucHduZWQ9MTwvc2NyaXB0Pg==",
    "JaVaScRiPt:window.pwned=1",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
)

# name -> (file name, text). Each sentence is of a kind the extractor turns into
# a report (force + posture verb + known place).
ARTICLES = {
    "kherson": ("h01_kherson.txt", (
        f"Troops leave Kherson {RTL}\n\n"
        f"Russian troops left Kherson, Ukraine {JINJA_EXPR} {SCRIPT}.\n\n"
        f"Officials in Kyiv said on Tuesday, 12 November 2022, that the city was calm {JS_TEMPLATE} {BACKTICKS}.\n"
    )),
    "gyumri": ("h02_gyumri.txt", (
        f"Russia keeps its base in Armenia\n\n"
        f"Russia will keep its soldiers at the 102nd military base in Gyumri, Armenia {IMG} {SVG} {BACKTICKS}.\n\n"
        f"The decision was announced on May 9, 2024 {JINJA_STMT} {JINJA_COMMENT} {CLOSE_SCRIPT}.\n"
    )),
    "yerevan": ("h03_yerevan.md", (
        f"# Border guards {ISOLATE} withdraw {JINJA_EXPR}\n\n"
        f"Russian border guards are withdrawing from Yerevan airport {PAYLOAD}, "
        f"the Kremlin said on Thursday, May 9, 2024.\n\n"
        f"[click me](javascript:alert(1)) and ![x](data:text/html,{SCRIPT})\n"
    )),
    "html": ("h04_page.html", (
        "<!doctype html><html><head><title>Pullout " + JINJA_EXPR.replace("<", "&lt;") + " &lt;script&gt;window.pwned=1&lt;/script&gt;</title>"
        "<meta property=\"og:url\" content=\"javascript:alert(1)\">"
        "<meta property=\"og:site_name\" content=\"Outlet &lt;img src=x onerror=&quot;window.pwned=1&quot;&gt; {{7*7}}\">"
        f"<script>window.pwned=1</script><style>body{{}}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/subscribe'>Subscribe</a></nav>"
        "<article><h1>Pullout</h1>"
        "<p>Russian troops have withdrawn from Kherson, Ukraine &lt;script&gt;window.pwned=1&lt;/script&gt; "
        "{{7*7}} ${window.pwned=1} on November 11, 2022.</p>"
        f"<p onclick=\"window.pwned=1\">Moscow said its forces remain in Gyumri, Armenia {JINJA_STMT}.</p>"
        "<script>window.pwned=1</script></article>"
        "<footer>Copyright 2024 Outlet. All rights reserved.</footer></body></html>"
    )),
    "controls": ("h05_controls.txt", (
        "Peacekeepers pull out\n\n"
        f"Russian peacekeepers left Khankendi {CONTROLS} {RTL} on April 17, 2024 {JINJA_EXPR}.\n\n"
        "The withdrawal was completed ahead of schedule, officials in Baku said on Wednesday.\n"
    )),
}

# Metadata with hostile values in every field geomap shows.
def hostile_metadata() -> dict:
    """A metadata.json object whose titles, outlets and URLs carry payloads."""
    entries = []
    for i, (name, _) in enumerate(sorted(ARTICLES.values())):
        entries.append({
            "file": name,
            "title": f"Title {i} {SCRIPT} {JINJA_EXPR} {RTL}",
            "outlet": f"Outlet {i} {IMG} {JS_TEMPLATE} {JINJA_COMMENT}",
            "url": HOSTILE_URLS[i % len(HOSTILE_URLS)],
        })
    # One entry with a well-formed URL that still carries markup characters.
    entries[0]["url"] = 'https://example.org/a?b="><script>window.pwned=1</script>&c={{7*7}}'
    return {"about": f"hostile {SCRIPT}", "articles": entries}


def long_line_article(n_bytes: int = 1_000_000) -> str:
    """One line of about ``n_bytes`` characters with a report-bearing sentence at each end."""
    head = f"Russian troops left Kherson, Ukraine {JINJA_EXPR} {SCRIPT} on 12 November 2022 "
    tail = f" and Russian soldiers remain in Gyumri, Armenia {IMG}."
    filler_unit = "lorem ipsum {{7*7}} <b>x</b> ${a} "
    filler = filler_unit * ((n_bytes - len(head) - len(tail)) // len(filler_unit))
    return head + filler + tail + "\n"


def deep_nesting_article(depth: int = 100_000) -> str:
    """``depth`` nested ``<div>`` around a report-bearing sentence (issue 15, finding 8: was 115 s to parse)."""
    return ("<html><head><title>Deep</title></head><body>" + "<div>" * depth
            + f"<p>Russian troops left Kherson, Ukraine {SCRIPT} in November.</p>" + "</div>" * depth
            + "</body></html>\n")


#: Hostile articles written besides ARTICLES (file name -> what they guard).
EXTRA_DOCS = {"h07_deep_nesting.html": "finding 8 of issue 15: 100,000 nested elements"}


def write_hostile_corpus(folder: Path, *, long_line: bool = True) -> Path:
    """Write the hostile articles (and metadata.json) into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.values():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    if long_line:
        (folder / "h06_long_line.txt").write_text(long_line_article(), encoding="utf-8", newline="\n")
    (folder / "h07_deep_nesting.html").write_text(deep_nesting_article(), encoding="utf-8", newline="\n")
    (folder / "metadata.json").write_text(json.dumps(hostile_metadata(), indent=1), encoding="utf-8")
    return folder


# --------------------------------------------------------------- broken inputs

GOOD_TEXT = "Russian troops left Kherson, Ukraine, on 12 November 2022.\n"
LATIN1_TEXT = "Les troupes russes ont quitté Kherson. Russian troops left Kherson, Ukraine, café déjà vu.\n"
CP1251_TEXT = ("Российские войска покинули Херсон, сообщили в Киеве во вторник. "
               "Russian troops left Kherson, Ukraine.\n")
UTF16_TEXT = "Russian troops left Kherson, Ukraine — naïve “quotes”.\n"
NAV_HTML = (
    "<!doctype html><html><head><script>var a=1;</script><script src='x.js'></script></head><body>"
    + "<nav>" + " ".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(60)) + "</nav>"
    + "<div class='menu'><ul>" + "".join(f"<li><a href='/m{i}'>Menu {i}</a></li>" for i in range(40)) + "</ul></div>"
    + "".join(f"<script>console.log({i})</script>" for i in range(30))
    + "<article><p>Russian troops left Kherson, Ukraine, on 12 November 2022, officials said.</p></article>"
    + "<footer><a href='/privacy'>Privacy policy</a> <a href='/terms'>Terms of use</a></footer></body></html>"
)
NO_PLACES = "The committee met on Tuesday to discuss the budget. Nothing else was decided.\n"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def write_broken_inputs(folder: Path) -> dict[str, str]:
    """Write one file per failure mode into ``folder``.

    Returns
    -------
    dict
        file name -> a fragment the skip message for that file must contain;
        files that must be read fine are not in it (see :data:`READABLE`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\n  ", encoding="utf-8")
    (folder / "report.pdf.txt").write_bytes(PDF)
    (folder / "image.txt").write_bytes(PNG)
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / "cp1251.txt").write_bytes(CP1251_TEXT.encode("cp1251"))
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + UTF16_TEXT.encode("utf-16-le"))
    (folder / "nav.html").write_text(NAV_HTML, encoding="utf-8")
    (folder / "noplaces.txt").write_text(NO_PLACES, encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "inner.txt").write_text("Russian soldiers remain in Gyumri, Armenia.\n", encoding="utf-8")
    os.symlink("..", folder / "sub" / "up")  # folder loop
    (folder / "metadata.json").write_text(json.dumps({
        "articles": [
            {"file": "good.txt", "published": "2022-13-45", "title": 42, "colour": "red"},
            {"file": "latin1.txt", "published_inferred": "yes", "url": ["x"]},
            {"file": "missing.txt", "title": "no such file"},
            "not an object",
        ],
        "extra": True,
    }), encoding="utf-8")
    with open(folder / "big.txt", "wb") as fh:
        # 50 MB of real text: the size check must happen before reading it.
        chunk = (GOOD_TEXT * 1000).encode()
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    return {
        "empty.txt": "empty",
        "blank.txt": "empty",
        "report.pdf.txt": "PDF",
        "image.txt": "PNG",
        "notes.docx": "unsupported file type",
        "loop_a.txt": "symbolic link loop",
        "loop_b.txt": "symbolic link loop",
        "big.txt": "--max-bytes",
        "up": "loop",
    }


#: Broken-input files that must still be read, with a word their text keeps.
READABLE = {
    "good.txt": "Kherson",
    "latin1.txt": "quitté",
    "cp1251.txt": "Херсон",
    "utf16.txt": "naïve “quotes”",
    "nav.html": "Kherson",
    "noplaces.txt": "committee",
    "inner.txt": "Gyumri",
}
