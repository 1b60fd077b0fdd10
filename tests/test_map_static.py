"""The map's own JavaScript and CSS live as static files in the package and are inlined verbatim."""
from __future__ import annotations

import base64
import fnmatch
import hashlib
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from geocore.errors import DataFileError
from geo.outputs.map.assets import inlinable, static_asset
from geo.outputs.map.controls import SCRIPTS
from geo.outputs.map.page import build_map, render_map
from tests.map_fixtures import hostile_postures, two_countries

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "geo" / "outputs" / "map" / "static"


@pytest.fixture(scope="module")
def page() -> str:
    return render_map(build_map(hostile_postures(), countries=two_countries()))


def test_static_files_exist_and_are_package_data():
    names = sorted(p.name for p in STATIC.iterdir() if p.is_file())
    assert "controls.js" in names and "map.css" in names
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = data["geo.outputs.map"]
    for name in names:
        assert any(fnmatch.fnmatch(f"static/{name}", pat) for pat in patterns), name


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_javascript_is_valid_javascript_on_its_own():
    # The point of the move: the file parses as a script by itself, outside Python and Jinja.
    for name in SCRIPTS:
        out = subprocess.run(["node", "--check", str(STATIC / name)], capture_output=True, text=True)
        assert out.returncode == 0, (name, out.stderr)


def test_page_inlines_the_files_verbatim(page):
    js = (STATIC / "controls.js").read_text(encoding="utf-8")
    css = (STATIC / "map.css").read_text(encoding="utf-8")
    assert js in page and css in page
    for name in SCRIPTS:
        assert (STATIC / name).read_text(encoding="utf-8") in page, name
    assert "geomapControls(" in page.split(js, 1)[1]


def test_controls_script_is_covered_by_the_policy(page):
    js = (STATIC / "controls.js").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    scripts = [m.group(1) for m in re.finditer(r"<script>(.*?)</script>", page, re.S)]
    holder = [s for s in scripts if js in s]
    assert len(holder) == 1
    digest = base64.b64encode(hashlib.sha256(holder[0].encode("utf-8")).digest()).decode("ascii")
    assert f"'sha256-{digest}'" in policy


@pytest.mark.parametrize("text", ["a {{ b", "x {% if", "y {# c", "s = '</script>'", "</STYLE>"])
def test_text_that_would_break_the_page_is_refused(text):
    with pytest.raises(DataFileError, match="cannot inline"):
        inlinable(text, "static/x.js")


def test_shipped_files_pass_the_check():
    assert sorted(SCRIPTS) == sorted(p.name for p in STATIC.glob("*.js"))  # none left out of the page
    for name in SCRIPTS + ("map.css",):
        assert static_asset(name) == (STATIC / name).read_text(encoding="utf-8")
