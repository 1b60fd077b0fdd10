"""The wheel carries its data and works on its own: build, install in a fresh venv, run.

Slow-ish (about a minute: a venv plus dependencies from the pip cache), but it
is the only test that catches package data missing from the wheel or a
dependency missing from pyproject.toml, so it runs in CI.
"""
from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What the built wheel must contain besides modules (globs over wheel paths).
REQUIRED_DATA = ("gazetteer/data/places.yaml", "gazetteer/data/countries.geojson.gz", "geo/outputs/schema/*.json")
PIP_TIMEOUT = 900  # dependencies may have to come from the registry on a cold cache
RUN_TIMEOUT = 300  # includes compiling the gazetteer index if the cache is cold


def _copy_source(dest: Path) -> Path:
    """Copy what a source distribution holds, so the build never writes into the checkout."""
    def ignore(_dir, names):
        return [n for n in names if n == "__pycache__" or n.endswith((".pyc", ".egg-info"))]

    for name in ("pyproject.toml", "README.md", "MANIFEST.in", "setup.cfg", "setup.py"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    for package in ("geocore", "gazetteer", "geo"):
        shutil.copytree(ROOT / package, dest / package, ignore=ignore)
    return dest


def _data_files(package: str) -> list[str]:
    """Non-Python files under a package of the checkout, as wheel paths."""
    out = []
    for path in sorted((ROOT / package).rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if path.is_file() and "__pycache__" not in rel and path.suffix not in (".py", ".pyc"):
            out.append(rel)
    return out


def _can_build_without_isolation() -> bool:
    """True when the running interpreter satisfies [build-system] requires itself."""
    try:
        import setuptools
        import wheel  # noqa: F401
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 68


def _run(cmd: list, timeout: int, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = _copy_source(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, src]
    if _can_build_without_isolation():
        cmd.insert(4, "--no-build-isolation")
    _run(cmd, PIP_TIMEOUT, cwd=src)
    wheels = sorted(out.glob("geomap_posture-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_package_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for pattern in REQUIRED_DATA:
        assert fnmatch.filter(names, pattern), f"{pattern} is missing from {wheel.name}"
    # Every data file shipped in the checkout's packages (e.g. geo/static/*) is in the wheel.
    for rel in _data_files("geo") + _data_files("gazetteer"):
        assert rel in names, f"{rel} is in the checkout but not in the wheel; add it to package-data"
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "geomap = geo.cli:app" in entry_points


def test_installed_wheel_builds_the_seeds_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], 300)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([bindir / "python", "-m", "pip", "install", "--disable-pip-version-check", wheel], PIP_TIMEOUT)

    work = tmp_path / "work"  # a cwd without the checkout, so nothing imports it by accident
    work.mkdir()
    shutil.copytree(ROOT / "seeds", work / "articles")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # Share the compiled gazetteer index with the session, so it is not rebuilt.
    env["GEOMAP_CACHE_DIR"] = str(_session_cache_dir())
    proc = subprocess.run([str(bindir / "geomap"), "build", "articles", "--out", "out"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    for name in ("posture.html", "posture.geojson", "reports.geojson"):
        assert (work / "out" / name).stat().st_size > 0, f"{name} missing or empty"

    where = _run([bindir / "python", "-c", "import geo, gazetteer; print(geo.__file__); print(gazetteer.__file__)"],
                 60, cwd=work, env=env).stdout.split()
    assert all(str(venv) in path for path in where), f"imported from outside the venv: {where}"


def _session_cache_dir() -> Path:
    env = os.environ.get("GEOMAP_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("geomap"))
