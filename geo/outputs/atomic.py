"""Atomic file writes: write to a temporary file in the target folder, then rename.

A reader (or a crash) never sees a half-written output: ``os.replace`` is atomic
when source and target are on the same file system, which is why the temporary
file lives in the target's own folder rather than in the system temp dir.
"""
from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Union

from geocore.errors import DataFileError

PathLike = Union[str, "os.PathLike[str]"]

#: Crash tests name a point here; the process SIGKILLs itself when it gets there.
FAULT_ENV = "GEOMAP_FAULT"
#: A file that every fault point reached is appended to (how the tests list them).
FAULT_LOG_ENV = "GEOMAP_FAULT_LOG"


def fault_point(name: str) -> None:
    """A place where a build may crash: SIGKILL this process if ``$GEOMAP_FAULT`` names it.

    Used by the crash-safety tests only; without the variables it costs one
    dictionary lookup. ``$GEOMAP_FAULT_LOG`` names a file that gets one line
    per point reached, so a test can list every point of a real build.
    """
    log = os.environ.get(FAULT_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(name + "\n")
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def atomic_path(path: PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` on success.

    The caller writes the temporary file however it likes (GDAL, zip, ...).
    On an exception the temporary file is removed and ``path`` is untouched.

    Parameters
    ----------
    path : str or os.PathLike
        The final destination. Its folder is created if missing.
    suffix : str, optional
        Suffix of the temporary file; defaults to ``path``'s own suffix so
        libraries that pick a format from the extension (GDAL) still work.

    Yields
    ------
    pathlib.Path
        A path that does not exist yet, in the same folder as ``path``.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.",
            suffix=target.suffix if suffix is None else suffix,
            dir=target.parent,
        )
    except OSError as exc:
        raise DataFileError(f"{target}: cannot create a temporary file in {target.parent}: {exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    # Some writers (GDAL) refuse to overwrite or open an existing empty file as a
    # dataset, so hand over a path that does not exist yet.
    tmp.unlink()
    try:
        yield tmp
        if not tmp.exists():
            raise DataFileError(f"{target}: the writer produced no file")
        _match_umask(tmp)
        fault_point(f"write:{target.name}:before-rename")
        os.replace(tmp, target)
        fault_point(f"write:{target.name}:renamed")
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write(path: PathLike, data: Union[bytes, str], encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    Parameters
    ----------
    path : str or os.PathLike
        Destination file; its folder is created if missing.
    data : bytes or str
        Content; ``str`` is encoded with ``encoding`` and written without any
        newline translation, so the bytes are the same on every platform.
    encoding : str
        Encoding for ``str`` data.

    Returns
    -------
    pathlib.Path
        ``path`` as a Path.
    """
    return atomic_write_chunks(path, (data,), encoding)


def atomic_write_chunks(path: PathLike, chunks: Iterable[Union[bytes, str]], encoding: str = "utf-8") -> Path:
    """Write ``chunks`` one after another to ``path`` atomically: a large
    output is streamed to disk instead of being built in memory first.

    If producing a chunk raises, ``path`` is left untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "n.txt"
    >>> _ = atomic_write_chunks(out, (f"{i}\\n" for i in range(3)))
    >>> out.read_text()
    '0\\n1\\n2\\n'
    """
    target = Path(path)
    try:
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as fh:
                for n, chunk in enumerate(chunks):
                    fh.write(chunk.encode(encoding) if isinstance(chunk, str) else bytes(chunk))
                    if n == 0:
                        fh.flush()  # a crash here leaves a half-written temporary file on disk
                        fault_point(f"write:{target.name}:partial")
                fh.flush()
                os.fsync(fh.fileno())
    except DataFileError:
        raise
    except OSError as exc:
        raise DataFileError(f"{target}: cannot write: {exc}") from exc
    return target


def _match_umask(tmp: Path) -> None:
    """Give the temp file normal permissions (mkstemp makes it 0600)."""
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o666 & ~_umask())


def _umask() -> int:
    """The process umask, read without changing it where the OS allows.

    ``os.umask`` can only be read by setting it, which races with other
    threads creating files; Linux exposes it read-only in /proc.
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022
