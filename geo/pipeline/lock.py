"""One build at a time per output folder: an advisory lock next to ``--out``.

The lock is ``flock`` on ``<parent>/.<out name>.lock``, removed again when the
build ends. It sits beside the folder, not in it, because a build swaps the whole folder (see
:mod:`geo.pipeline.staging`): a lock file inside would change with it. The
kernel drops the lock when its process dies, so a build killed with SIGKILL
never leaves a stale lock. ``geomap export`` into a build folder takes the
same lock.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Callable, Iterator, Optional

from geocore.errors import DataFileError
from geo.outputs.atomic import fault_point


def lock_path(out: Path) -> Path:
    """The lock file of output folder ``out`` (of its target, when ``out`` is a symlink)."""
    out = Path(os.path.realpath(out))
    return out.parent / f".{out.name}.lock"


@contextlib.contextmanager
def build_lock(out: Path, on_wait: Optional[Callable[[str], None]] = None) -> Iterator[Path]:
    """Hold the lock of ``out`` while the block runs; wait (telling ``on_wait``) if another process holds it.

    Raises
    ------
    DataFileError
        The lock file cannot be created (the parent folder is read-only).
    """
    path = lock_path(out)
    fd = _acquire(path, out, on_wait)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        fault_point("lock:acquired")
        yield path
    finally:
        # Unlink before unlocking: a waiter that then gets the lock sees that its
        # file is no longer at the path and starts over on a new one (_acquire).
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _acquire(path: Path, out: Path, on_wait: Optional[Callable[[str], None]]) -> int:
    """A descriptor of the lock file at ``path``, locked, still linked at that path."""
    told = False
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DataFileError(f"{path}: cannot create the build lock ({exc.strerror or exc}); "
                                f"make {path.parent} writable or choose another --out") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None and not told:
                on_wait(f"another geomap process{_holder(fd)} is writing {out}; waiting for it to finish "
                        f"(lock {path})")
                told = True
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the holder removed this file as it finished: lock the current one


def _holder(fd: int) -> str:
    """`` (pid N)`` of the process that wrote the lock file, when it is readable."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() else ""
