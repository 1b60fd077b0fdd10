"""The README stays true to the CLI: reference complete and current, quickstart exact."""
from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _load_gen():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_gen()


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paths() -> list[tuple[str, ...]]:
    return gen.command_paths()


def _section(text: str, heading: str) -> str:
    """Body of the level-2 section ``## heading`` (up to the next level-2 heading)."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {heading}' section"
    return match.group(1)


def _code_blocks(markdown: str) -> list[str]:
    return [b.strip() for b in re.findall(r"^```[^\n]*\n(.*?)^```\s*$", markdown, re.M | re.S)]


def test_walk_finds_every_command_and_subcommand(paths):
    # The walk must see nested groups, not just the top level.
    assert () in paths
    for expected in [("build",), ("extract",), ("geoparse",), ("evaluate",), ("export",),
                     ("gazetteer",), ("gazetteer", "lookup")]:
        assert expected in paths
    assert len(set(paths)) == len(paths)


def test_every_command_is_in_the_cli_reference(readme, paths):
    reference = gen.current_section(readme)
    assert reference.strip(), "README lacks the cli-reference markers or the section is empty"
    for path in paths:
        assert gen.title(path) in reference, f"no reference section for {' '.join(('geomap',) + path)}"
        usage = " ".join(("Usage: geomap",) + path) + " "
        assert usage in reference, f"the --help text of {' '.join(('geomap',) + path)} is missing"


def test_cli_reference_is_up_to_date():
    assert gen.is_up_to_date(README), "README CLI reference is stale: run python scripts/gen_cli_docs.py"


def test_check_mode_detects_a_stale_reference(tmp_path, readme):
    stale = tmp_path / "README.md"
    stale.write_text(readme.replace("Usage: geomap build", "Usage: geomap biuld", 1), encoding="utf-8")
    assert gen.main(["--check", "--readme", str(stale)]) == 1
    assert gen.main(["--readme", str(stale)]) == 0  # regenerates in place
    assert gen.main(["--check", "--readme", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == readme


def test_splice_keeps_text_outside_the_markers_and_rejects_bad_markers():
    text = f"intro\n{gen.START}\nold <script>\n{gen.END}\noutro\n"
    out = gen.splice(text, "new\n")
    assert out == f"intro\n{gen.START}\nnew\n{gen.END}\noutro\n"
    with pytest.raises(ValueError):
        gen.splice("no markers here", "x")
    with pytest.raises(ValueError):
        gen.splice(f"{gen.END}\n{gen.START}\n", "x")
    with pytest.raises(ValueError):
        gen.splice(f"{gen.START}{gen.START}{gen.END}", "x")


def test_help_text_is_plain_and_stable(paths):
    for path in paths:
        text = gen.help_text(path)
        assert "\x1b[" not in text, "help output contains terminal escape codes"
        assert not any(line != line.rstrip() for line in text.splitlines())
        assert text == gen.help_text(path)


@pytest.mark.parametrize("path", gen.command_paths(), ids=lambda p: " ".join(("geomap",) + p))
def test_every_command_help_has_an_example(path):
    # The help a user actually sees (default rendering), not only the README copy.
    from typer.testing import CliRunner

    from geo.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], prog_name="geomap", env=gen.HELP_ENV)
    assert result.exit_code == 0, result.output
    assert re.search(r"^\W*Example:\s*geomap\b", result.output, re.M), \
        f"`geomap {' '.join(path)} --help` has no 'Example: geomap ...' line"


def test_quickstart_has_exactly_the_two_commands(readme):
    blocks = _code_blocks(_section(readme, "Quickstart"))
    assert blocks == ["./setup.sh && geomap build", "python3 -m pytest -q"]
    assert "maps/posture.html" in _section(readme, "Quickstart")


def test_ci_runs_the_readme_test_command(readme):
    test_command = _code_blocks(_section(readme, "Quickstart"))[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert test_command in commands
    assert "./setup.sh" in commands
    assert commands.index("./setup.sh") < commands.index(test_command)
    assert shlex.split(test_command) == ["python3", "-m", "pytest", "-q"]
