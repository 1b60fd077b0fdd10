"""The README and docs/ stay true to the code.

* The CLI reference (docs/cli.md) is complete and current; the quickstart is exact.
* Every command shown in a fenced ``sh`` block of README.md or docs/*.md runs, in a
  sandbox that starts as a checkout after the quickstart; ``python`` blocks run too.
  A command that cannot run here (it installs, needs a cluster or the network, or
  takes minutes) is checked against its ``--help`` instead: the command and every
  option it shows must exist.
* Every ``geomap ...`` shown inline names a real command and real options; every
  repository path, module and relative link the pages name exists.
* README.md stays under 200 lines.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README] + sorted(DOCS.glob("*.md"))
PAGE_IDS = [str(p.relative_to(ROOT)) for p in PAGES]
MAX_README_LINES = 200


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
def cli_doc() -> str:
    return gen.DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paths() -> list[tuple[str, ...]]:
    return gen.command_paths()


# --------------------------------------------------------------------------- Markdown parsing

_FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)


def _section(text: str, heading: str) -> str:
    """Body of the level-2 section ``## heading`` (up to the next level-2 heading)."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no '## {heading}' section"
    return match.group(1)


def _code_blocks(markdown: str) -> list[str]:
    return [body.strip() for _, body in _FENCE.findall(markdown)]


def fenced_blocks(markdown: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block, in order; language '' when untagged."""
    return [((info.split() or [""])[0].lower(), body) for info, body in _FENCE.findall(markdown)]


def prose(markdown: str) -> str:
    """The text outside fenced blocks."""
    return _FENCE.sub("", markdown)


def inline_code(markdown: str) -> list[str]:
    """Inline code spans of the prose, whitespace collapsed (a span may wrap a line)."""
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose(markdown))]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", prose(markdown), re.M):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def link_problems(page: Path, root: Path = ROOT) -> list[str]:
    """Relative links of ``page`` whose file, or heading anchor, does not exist (or leaves ``root``)."""
    text = page.read_text(encoding="utf-8")
    # Links inside code are not links.
    body = re.sub(r"`[^`]+`", "", prose(text))
    problems = []
    for target in re.findall(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", body):
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        dest = (page.parent / file_part).resolve() if file_part else page.resolve()
        if not dest.exists():
            problems.append(f"{target}: no such file {dest}")
            continue
        if root.resolve() not in dest.parents and dest != root.resolve():
            problems.append(f"{target}: points outside the repository")
            continue
        if anchor and dest.suffix == ".md" and anchor not in anchors(dest.read_text(encoding="utf-8")):
            problems.append(f"{target}: {dest.name} has no heading #{anchor}")
    return problems


# --------------------------------------------------------------------------- commands

SHELL_LANGUAGES = {"sh", "bash", "shell"}
# geomap options that must not run in a test; such lines are checked against --help.
GEOMAP_NOT_RUN = {
    "--scheduler": "needs a Dask cluster",
    "--online-geocoder": "sends names over the network",
    "--install-completion": "edits the shell's start-up file",
    "--show-completion": "prints a shell script",
}
# Scripts that must not run in a test, with the reason; checked against --help.
SCRIPTS_NOT_RUN = {
    "bench/run.py": "takes minutes to hours",
    "bench/bench_gazetteer.py": "takes about a minute",
    "scripts/gen_cli_docs.py": "rewrites docs/cli.md in the checkout (the --check test covers it)",
}
# Options of the repository's scripts that prose may name on their own.
SCRIPT_OPTIONS = {
    "--check": "scripts/gen_cli_docs.py",
    "--rebuild": "gazetteer/build_index.py",
    "--sizes": "bench/run.py",
    "--parallel": "bench/run.py",
    "--compile": "bench/bench_gazetteer.py",
}
SANDBOX_LINKS = ("seeds", "tests", "bench", "scripts")
GEOMAP = [sys.executable, "-c", "from geo.cli import app; app(prog_name='geomap')"]
TIMEOUT = 120


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for name, value in gen.HELP_ENV.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


def split_commands(block: str) -> list[list[str]]:
    """The commands of a shell block: continuation lines joined, ``&&`` split, comments dropped.

    Raises
    ------
    ValueError
        On shell syntax the docs should not need (pipes, redirection, ``;``, substitution).
    """
    out = []
    for line in block.replace("\\\n", " ").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "$(" in line or "`" in line:
            raise ValueError(f"command substitution in {line!r}")
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        current: list[str] = []
        for token in tokens:
            if token == "&&":
                out.append(current)
                current = []
            elif token and set(token) <= set("|;&<>()"):
                raise ValueError(f"unsupported shell syntax {token!r} in {line!r}")
            else:
                current.append(token)
        out.append(current)
    if any(not c for c in out):
        raise ValueError(f"empty command in {block!r}")
    return out


def _options(tokens: list[str]) -> list[str]:
    return [t.split("=", 1)[0].strip("[]") for t in tokens
            if re.match(r"^\[?--?[A-Za-z]", t)]


_HELP_LOCK = threading.Lock()
_HELP: dict[tuple[str, ...], str] = {}


def geomap_help(path: tuple[str, ...]) -> str:
    """``gen.help_text`` cached, and serialised: CliRunner swaps sys.stdout, so never two at once."""
    with _HELP_LOCK:
        if path not in _HELP:
            _HELP[path] = gen.help_text(path)
        return _HELP[path]


def _has_option(help_text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text) is not None


def geomap_path(tokens: list[str], paths: list[tuple[str, ...]]) -> tuple[tuple[str, ...], list[str]]:
    """The command path of ``geomap ...`` tokens, and problems (an unknown subcommand)."""
    path: tuple[str, ...] = ()
    rest = tokens[1:]
    while rest and path + (rest[0],) in paths:
        path += (rest.pop(0),)
    is_group = any(len(p) > len(path) and p[:len(path)] == path for p in paths)
    words = [t for t in rest if not t.startswith("-")]
    if is_group and words:
        return path, [f"`geomap {' '.join(path + (words[0],))}` is not a command"]
    return path, []


def help_check(tokens: list[str], paths) -> list[str]:
    """Check a command against its --help without running it: command and options exist."""
    line = " ".join(tokens)
    if tokens[0] == "geomap":
        path, problems = geomap_path(tokens, paths)
        if problems:
            return [f"{line}: {p}" for p in problems]
        text = geomap_help(path)
    else:
        if tokens[0] == "dask":
            argv = [sys.executable, "-m", "dask", *[t for t in tokens[1:2]], "--help"]
        elif tokens[0] in ("python", "python3") and len(tokens) > 1 and tokens[1].endswith(".py"):
            argv = [sys.executable, str(ROOT / tokens[1]), "--help"]
        else:
            return [f"{line}: no way to check this command against its help"]
        result = subprocess.run(argv, capture_output=True, text=True, env=_env(), timeout=TIMEOUT, cwd=ROOT)
        if result.returncode != 0:
            return [f"{line}: `{' '.join(argv[1:])}` exited {result.returncode}: {result.stderr[-2000:]}"]
        text = result.stdout
    return [f"{line}: {option} is not an option (not in its --help)"
            for option in _options(tokens) if not _has_option(text, option)]


def _pip_check(tokens: list[str]) -> list[str]:
    line = " ".join(tokens)
    match = re.fullmatch(r"\.\[([\w,-]+)\]", tokens[-1]) if tokens[:2] == ["pip", "install"] else None
    if not match or tokens[2:-1] not in ([], ["-e"]):
        return [f"{line}: only `pip install [-e] \".[extra]\"` from the checkout is documented"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    return [f"{line}: pyproject.toml has no extra {e!r}" for e in match.group(1).split(",") if e not in extras]


def _ci_commands() -> list[str]:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    return [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def run_command(tokens: list[str], sandbox: Path, paths) -> list[str]:
    """Run (or, when it cannot run here, check) one documented command; problems found."""
    line = " ".join(tokens)
    program = tokens[0]
    if program == "./setup.sh":
        script = ROOT / "setup.sh"
        ok = script.is_file() and os.access(script, os.X_OK) and len(tokens) == 1
        return [] if ok else [f"{line}: setup.sh missing, not executable, or given arguments"]
    if tokens == ["python3", "-m", "pytest", "-q"]:  # the suite itself: it is what CI runs
        return [] if shlex.join(tokens) in _ci_commands() else [f"{line}: not the command .ci/run runs"]
    if program == "pip":
        return _pip_check(tokens)
    if program == "dask":
        return help_check(tokens, paths)
    if program == "geomap":
        if any(option in GEOMAP_NOT_RUN for option in _options(tokens)):
            return help_check(tokens, paths)
        argv = GEOMAP + tokens[1:]
    elif program in ("python", "python3"):
        if len(tokens) > 1 and tokens[1] in SCRIPTS_NOT_RUN:
            return help_check(tokens, paths)
        if len(tokens) < 2 or not (tokens[1] == "-c" or tokens[1].endswith(".py")):
            return [f"{line}: no policy for running this python command in the docs test"]
        argv = [sys.executable, *tokens[1:]]
    else:
        return [f"{line}: no policy for running {program!r} in the docs test"]
    result = subprocess.run(argv, cwd=sandbox, capture_output=True, text=True, env=_env(), timeout=TIMEOUT)
    if result.returncode != 0:
        return [f"{line}: exited {result.returncode}\n{result.stdout[-1500:]}\n{result.stderr[-2500:]}"]
    return []


def run_page(markdown: str, sandbox: Path, paths) -> list[str]:
    """Run every shell command and python block of a page, in order, in ``sandbox``.

    A non-shell block whose first line is ``# file: NAME`` is written to
    ``sandbox/NAME`` first, so later commands can use it.
    """
    problems = []
    for n, (language, body) in enumerate(fenced_blocks(markdown)):
        named = re.match(r"^#\s*file:\s*(\S+)\s*\n", body)
        if language in SHELL_LANGUAGES:
            try:
                commands = split_commands(body)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            for tokens in commands:
                problems += run_command(tokens, sandbox, paths)
        elif language == "python":
            script = sandbox / f"_docs_block_{n}.py"
            script.write_text(body, encoding="utf-8")
            result = subprocess.run([sys.executable, str(script)], cwd=sandbox, capture_output=True,
                                    text=True, env=_env(), timeout=TIMEOUT)
            if result.returncode != 0:
                problems.append(f"python block {n} exited {result.returncode}:\n{result.stderr[-2500:]}")
        elif named:
            name = named.group(1)
            if Path(name).is_absolute() or ".." in Path(name).parts:
                problems.append(f"block {n}: file name {name!r} must stay in the sandbox")
            else:
                (sandbox / name).write_text(body, encoding="utf-8")
    return problems


@pytest.fixture(scope="module")
def after_quickstart(tmp_path_factory, readme, paths) -> Path:
    """A sandbox in the state the README's quickstart leaves: ``maps/`` built from ``seeds/``."""
    sandbox = tmp_path_factory.mktemp("quickstart")
    for name in SANDBOX_LINKS:
        (sandbox / name).symlink_to(ROOT / name, target_is_directory=True)
    first = _code_blocks(_section(readme, "Quickstart"))[0]
    problems = []
    for tokens in split_commands(first):
        problems += run_command(tokens, sandbox, paths)
    assert not problems, "\n".join(problems)
    assert (sandbox / "maps" / "posture.html").is_file()
    return sandbox


# --------------------------------------------------------------------------- the CLI reference

def test_walk_finds_every_command_and_subcommand(paths):
    # The walk must see nested groups, not just the top level.
    assert () in paths
    for expected in [("build",), ("extract",), ("geoparse",), ("evaluate",), ("export",),
                     ("gazetteer",), ("gazetteer", "lookup")]:
        assert expected in paths
    assert len(set(paths)) == len(paths)


def test_every_command_is_in_the_cli_reference(cli_doc, paths):
    reference = gen.current_section(cli_doc)
    assert reference.strip(), "docs/cli.md lacks the cli-reference markers or the section is empty"
    for path in paths:
        assert gen.title(path) in reference, f"no reference section for {' '.join(('geomap',) + path)}"
        usage = " ".join(("Usage: geomap",) + path) + " "
        assert usage in reference, f"the --help text of {' '.join(('geomap',) + path)} is missing"


def test_cli_reference_is_up_to_date():
    assert gen.DOC == ROOT / "docs" / "cli.md"
    assert gen.is_up_to_date(gen.DOC), "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


def test_check_mode_detects_a_stale_reference(tmp_path, cli_doc):
    stale = tmp_path / "cli.md"
    stale.write_text(cli_doc.replace("Usage: geomap build", "Usage: geomap biuld", 1), encoding="utf-8")
    assert gen.main(["--check", "--doc", str(stale)]) == 1
    assert gen.main(["--doc", str(stale)]) == 0  # regenerates in place
    assert gen.main(["--check", "--doc", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == cli_doc


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
    # The help a user actually sees (default rendering), not only the docs copy.
    from typer.testing import CliRunner

    from geo.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], prog_name="geomap", env=gen.HELP_ENV)
    assert result.exit_code == 0, result.output
    assert re.search(r"^\W*Example:\s*geomap\b", result.output, re.M), \
        f"`geomap {' '.join(path)} --help` has no 'Example: geomap ...' line"


# --------------------------------------------------------------------------- the README

def test_quickstart_has_exactly_the_two_commands(readme):
    blocks = _code_blocks(_section(readme, "Quickstart"))
    assert blocks == ["./setup.sh && geomap build", "python3 -m pytest -q"]
    assert "maps/posture.html" in _section(readme, "Quickstart")
    assert "this is exactly what `.ci/run` runs after `./setup.sh`" in _section(readme, "Quickstart")


def test_ci_runs_the_readme_test_command(readme):
    test_command = _code_blocks(_section(readme, "Quickstart"))[1]
    commands = _ci_commands()
    assert test_command in commands
    assert "./setup.sh" in commands
    assert commands.index("./setup.sh") < commands.index(test_command)
    assert shlex.split(test_command) == ["python3", "-m", "pytest", "-q"]


def test_readme_is_short(readme):
    n = len(readme.splitlines())
    assert n < MAX_README_LINES, f"README.md has {n} lines; move reference material to docs/"


def test_readme_credits_the_data_sources(readme):
    text = " ".join(readme.split())  # prose wraps anywhere
    assert "GeoNames (geonames.org), CC BY 4.0" in text and "Natural Earth" in text
    gazetteer = " ".join((DOCS / "gazetteer.md").read_text(encoding="utf-8").split())
    assert "*Contains data from GeoNames (geonames.org), CC BY 4.0*" in gazetteer
    assert "Natural Earth** 1:10m admin-0 countries (public domain)" in gazetteer


def test_docs_index_links_every_page():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    linked = {Path(t.partition("#")[0]).name for t in re.findall(r"\]\(([^)\s]+)\)", index)}
    missing = [p.name for p in DOCS.glob("*.md") if p.name != "README.md" and p.name not in linked]
    assert not missing, f"docs/README.md does not link {missing}"
    assert "docs/README.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- every page

@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_fenced_block_names_its_language(page):
    # An untagged block could hide a command from the run below.
    untagged = [body.splitlines()[0] if body else "" for lang, body in
                fenced_blocks(page.read_text(encoding="utf-8")) if not lang]
    assert not untagged, f"fenced blocks without a language: {untagged}"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_relative_links_point_to_existing_files(page):
    problems = link_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_data_blocks_parse(page):
    for language, body in fenced_blocks(page.read_text(encoding="utf-8")):
        if language == "json":
            json.loads(body)
        elif language in ("yaml", "yml"):
            yaml.safe_load(body)


_REPO_PATH = re.compile(r"(?:\./)?(?:geo|geocore|gazetteer|bench|tests|scripts|seeds|docs|\.ci)(?:/[\w.-]+)*/?")


def inline_problems(markdown: str, paths) -> list[str]:
    """Inline ``geomap ...`` commands, options, repository paths and modules that do not exist."""
    problems = []
    all_help = "\n".join(geomap_help(p) for p in paths)
    for span in inline_code(markdown):
        tokens = span.split()
        if tokens[0] == "geomap":
            path, found = geomap_path(tokens, paths)
            problems += [f"`{span}`: {p}" for p in found]
            problems += [f"`{span}`: no such path {t} in the repository" for t in tokens
                         if _REPO_PATH.fullmatch(t) and not (ROOT / t).exists()]
            if not found:
                text = geomap_help(path)
                problems += [f"`{span}`: {o} is not an option of geomap {' '.join(path)}".rstrip()
                             for o in _options(tokens) if not _has_option(text, o)]
        elif re.fullmatch(r"--[a-z][\w-]*", tokens[0]):
            option = tokens[0]
            owner = SCRIPT_OPTIONS.get(option)
            if owner:
                if option not in (ROOT / owner).read_text(encoding="utf-8"):
                    problems.append(f"`{span}`: {owner} has no {option}")
            elif not _has_option(all_help, option):
                problems.append(f"`{span}`: no geomap command has {option}")
        elif tokens[0] in ("python", "python3") and len(tokens) > 1:
            if tokens[1] == "-m":
                if tokens[2] != "pytest" and importlib.util.find_spec(tokens[2]) is None:
                    problems.append(f"`{span}`: no module {tokens[2]}")
            elif tokens[1] != "-c" and not (ROOT / tokens[1]).is_file():
                problems.append(f"`{span}`: no script {tokens[1]}")
        elif tokens[0] == "pip":
            problems += _pip_check(shlex.split(span))
        elif _REPO_PATH.fullmatch(span):
            if not (ROOT / span).exists():
                problems.append(f"`{span}`: no such path in the repository")
        elif re.fullmatch(r"(?:geo|geocore|gazetteer)(?:\.[A-Za-z_]\w*)+", span):
            problems += _module_problems(span)
    return problems


def _module_problems(dotted: str) -> list[str]:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return [f"`{dotted}`: {'.'.join(parts[:cut])} has no {attr}"]
            obj = getattr(obj, attr)
        return []
    return [f"`{dotted}`: no such module"]


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_inline_commands_paths_and_modules_exist(page, paths):
    problems = inline_problems(page.read_text(encoding="utf-8"), paths)
    assert not problems, "\n".join(problems)


def _run_one_page(page: Path, sandbox: Path, base: Path, paths) -> list[str]:
    shutil.copytree(base, sandbox, symlinks=True)
    text = page.read_text(encoding="utf-8")
    if page == README:  # the sandbox is the result of the quickstart's first block already
        first = "```sh\n" + _code_blocks(_section(text, "Quickstart"))[0] + "\n```\n"
        if first not in text:
            return ["README.md: the quickstart's first block is not a ```sh block"]
        text = text.replace(first, "", 1)
    return run_page(text, sandbox, paths)


@pytest.fixture(scope="module")
def page_runs(after_quickstart, tmp_path_factory, paths) -> dict[Path, list[str]]:
    """Problems of every page's commands; pages run side by side, each in its own sandbox."""
    root = tmp_path_factory.mktemp("pages")
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {page: pool.submit(_run_one_page, page, root / f"page{n}", after_quickstart, paths)
                   for n, page in enumerate(PAGES)}
        return {page: future.result() for page, future in futures.items()}


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_command_shown_runs(page, page_runs):
    problems = page_runs[page]
    assert not problems, f"{page.relative_to(ROOT)}:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- the checks can fail

def test_the_checks_catch_broken_docs(tmp_path, after_quickstart, paths):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n[a](missing.md) [b](#no-such-heading) [c](#title) [d](https://x.org)\n",
                    encoding="utf-8")
    problems = link_problems(page, root=tmp_path)
    assert len(problems) == 2 and "missing.md" in problems[0] and "no-such-heading" in problems[1]

    broken = ("```sh\ngeomap biuld\ngeomap build seeds/ --fromats csv\ncurl https://example.org\n"
              "geomap build --scheduler tcp://HOST:8786 --wrokers 2\npython bench/run.py --sise 1\n"
              "pip install -e \".[nosuchextra]\"\ngeomap build | tee log\n```\n"
              "```python\nraise SystemExit(3)\n```\n")
    sandbox = tmp_path / "sandbox"
    shutil.copytree(after_quickstart, sandbox, symlinks=True)
    problems = run_page(broken, sandbox, paths)  # a pipe rejects the whole shell block
    assert len(problems) == 2 and "unsupported shell syntax" in problems[0] and "python block" in problems[1]
    problems = run_page(broken.replace("geomap build | tee log\n", ""), sandbox, paths)
    expected = ["geomap biuld", "--fromats", "curl", "--wrokers", "--sise", "nosuchextra", "python block"]
    assert len(problems) == len(expected), problems
    for needle, problem in zip(expected, problems):
        assert needle in problem

    inline = ("`geomap export --formt gpkg` `geomap gazetteer lokup X` `--no-such-flag` "
              "`geo/no_such_module.py` `geo.outputs.no_such` `geocore.errors.NoSuchError` "
              "`python bench/missing.py` `geomap build --formats csv` `geo.pipeline.run.build` "
              "`geomap extract seeds/no-such-article.txt`")
    problems = inline_problems(inline, paths)
    assert len(problems) == 8, problems
