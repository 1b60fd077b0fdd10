"""Checks of a build's options before anything is read or written, and the build's own errors.

Every problem is an :class:`~geocore.errors.InputError` whose one-line
message names the option, the path and what to do. The exit code of each
error class is in ``exit_code`` (the CLI uses it; see docs/reliability.md).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence, Union

from geocore.errors import InputError

PathLike = Union[str, "os.PathLike[str]"]


class NothingToBuildError(InputError):
    """No input file, or no readable article: nothing was written (exit code 3)."""

    exit_code = 3


class EmptyBuildError(InputError):
    """Readable articles but no posture, and no ``--allow-empty``: nothing was written (exit code 4)."""

    exit_code = 4


def check_max_bytes(max_bytes: Optional[int]) -> None:
    """``--max-bytes`` must be a positive whole number (None: the default)."""
    if max_bytes is None:
        return
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise InputError(f"--max-bytes must be a positive number of bytes, got {max_bytes!r}")


def _file_above(path: Path) -> Optional[Path]:
    """The first existing non-folder among ``path``'s parents."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _inside(inner: Path, outer: Path) -> bool:
    return inner == outer or inner.is_relative_to(outer)


def check_out(out: PathLike, inputs: Sequence[PathLike]) -> None:
    """``--out`` is a folder (or can be), not the input folder, not inside it, not holding an input."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {path} is a file, not a folder; give a folder for the map and exports")
    above = _file_above(Path(os.path.abspath(path)))
    if above is not None:
        raise InputError(f"--out {path}: {above} is a file, not a folder; give another --out")
    real_out = Path(os.path.realpath(path))
    for given in inputs:
        real_in = Path(os.path.realpath(given))
        if Path(given).is_dir() and _inside(real_out, real_in):
            where = "is the input folder" if real_out == real_in else f"is inside the input folder {given}"
            raise InputError(f"--out {path} {where}; a build would read its own outputs, so choose an "
                             "output folder outside the inputs")
        if _inside(real_in, real_out):
            raise InputError(f"input {given} is inside --out {path}, which a build replaces as a whole; "
                             "move the articles or choose another --out")


def check_cache(cache_path: Optional[PathLike]) -> None:
    """An explicit ``--cache`` file must lie in an existing folder (never created silently)."""
    if cache_path is None:
        return
    path = Path(cache_path)
    above = _file_above(Path(os.path.abspath(path)))
    if above is not None:
        raise InputError(f"--cache {path}: {above} is a file, not a folder; give another --cache")
    if path.is_dir():
        raise InputError(f"--cache {path} is a folder; give a file name such as {path / '.geomap-cache.sqlite'}")
    if not path.parent.is_dir():
        raise InputError(f"--cache {path}: the folder {path.parent} does not exist; create it first or "
                         "give another --cache")
