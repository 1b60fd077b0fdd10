"""Outputs as one set: a build writes into a staging folder, then swaps it with ``--out``.

The staging folder is ``<parent>/.<out name>.staging-XXXX``, beside ``--out``
on the same file system. When every output and ``build.json`` are written,
the two folders are exchanged in one ``renameat2(RENAME_EXCHANGE)`` call, so
at every instant ``--out`` is either the complete old set or the complete new
set. The old set lands in the staging path and is deleted; a crash before that
leaves it there, and the next build into the same folder (holding the lock)
deletes every such remains. Where the exchange is not supported (not Linux, or
a file system without it), two renames are used and ``--out`` is briefly
missing, never mixed.

What moves into the new folder: the build cache and every file geomap did not
write (a ``.gitkeep``, notes) are hard-linked (copied where links fail).
Outputs of the earlier build and geomap's temporary files are not. A folder
inside ``--out`` is refused: a build never moves or deletes user folders.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Optional

from geocore.errors import DataFileError, InputError
from geo.outputs.atomic import fault_point

STAGING_TAG = ".staging-"
#: More files than this of unknown origin in --out: it is not a geomap folder.
MAX_CARRIED = 1000
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class Staging:
    """The staging folder of one build into ``out``.

    Parameters
    ----------
    out : path
        The output folder (a symlink to a folder: its target is swapped).
    dropped : names
        Files of an earlier build: never carried into the new set.
    """

    def __init__(self, out: Path, dropped: Iterable[str]):
        self.out = Path(os.path.realpath(out))
        self.dropped = frozenset(dropped)
        self.prefix = f".{self.out.name}{STAGING_TAG}"
        self.dir: Optional[Path] = None
        self.carry = self._plan()

    def _plan(self) -> list[str]:
        """Names in the old folder to carry over; refuses folders geomap did not make."""
        if not self.out.is_dir():
            return []
        carry = []
        for entry in sorted(os.scandir(self.out), key=lambda e: e.name):
            name = entry.name
            if name in self.dropped or any(name.startswith(f".{d}.") for d in self.dropped):
                continue  # an earlier output or its temporary file
            if entry.is_dir(follow_symlinks=False):
                if name.startswith(".export-"):
                    continue  # the temporary folder of an interrupted `geomap export`
                raise InputError(f"--out {self.out} holds the folder {name}/, which geomap did not write; "
                                 "a build replaces the whole folder, so move it or choose another --out")
            carry.append(name)
        if len(carry) > MAX_CARRIED:
            raise InputError(f"--out {self.out} holds {len(carry)} files geomap did not write; "
                             "choose an empty folder or a geomap output folder")
        return carry

    def __enter__(self) -> "Staging":
        parent = self.out.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            remove_remains(self.out)
            self.dir = Path(tempfile.mkdtemp(prefix=self.prefix, dir=parent))
        except OSError as exc:
            raise DataFileError(f"{parent}: cannot create the staging folder of {self.out} "
                                f"({exc.strerror or exc}); make {parent} writable") from exc
        os.chmod(self.dir, 0o755)  # mkdtemp makes it 0700; --out keeps a folder's usual mode
        fault_point("staging:created")
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.dir is not None and self.dir.exists():
            shutil.rmtree(self.dir, ignore_errors=True)  # a failed build, or the old set after a swap

    def commit(self) -> None:
        """Carry the kept files over, then swap the staging folder in as ``out``."""
        assert self.dir is not None
        self.carry = self._plan()  # again: the build may have created its cache in --out meanwhile
        try:
            for name in self.carry:
                if not os.path.lexists(self.dir / name):  # a file the build wrote itself wins
                    _link(self.out / name, self.dir / name)
            _fsync_dir(self.dir)
            fault_point("swap:before")
            if self.out.exists():
                exchange(self.dir, self.out)
            else:
                os.rename(self.dir, self.out)
            _fsync_dir(self.out.parent)
        except OSError as exc:
            raise DataFileError(f"{self.out}: cannot swap in the new outputs ({exc.strerror or exc}); "
                                "the folder is as it was") from exc
        fault_point("swap:exchanged")
        shutil.rmtree(self.dir, ignore_errors=True)  # now the old set
        fault_point("swap:done")


def remove_remains(out: Path) -> None:
    """Delete staging folders of earlier builds into ``out`` (call with the lock held)."""
    out = Path(os.path.realpath(out))
    prefix = f".{out.name}{STAGING_TAG}"
    if not out.parent.is_dir():
        return
    for entry in os.scandir(out.parent):
        if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def exchange(a: Path, b: Path) -> None:
    """Swap folders ``a`` and ``b`` atomically (Linux), else with two renames."""
    fn = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if fn is not None:
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        err = ctypes.get_errno()
        if err not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(err, os.strerror(err), str(b))
    aside = b.with_name(f"{a.name}-old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def _link(src: Path, dst: Path) -> None:
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
