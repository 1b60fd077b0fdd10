"""One build at a time per output folder: an advisory lock next to ``--out``.

The lock is ``flock`` on ``<parent>/.<out name>.lock``. It sits beside the
folder, not in it, because a build swaps the whole folder (see
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DataFileError(f"{path}: cannot create the build lock ({exc.strerror or exc}); "
                            f"make {path.parent} writable or choose another --out") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if on_wait is not None:
                on_wait(f"another geomap process{holder} is writing {out}; waiting for it to finish "
                        f"(lock {path})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        fault_point("lock:acquired")
        yield path
    finally:
        os.close(fd)  # closing releases the lock


def _holder(fd: int) -> str:
    """`` (pid N)`` of the process that wrote the lock file, when it is readable."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() else ""
