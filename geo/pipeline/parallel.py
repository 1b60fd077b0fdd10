"""Run the per-article extractor in-process, on local processes or on a Dask cluster.

Every engine has the same contract: ``engine.map(items)`` takes an iterable of
``(tag, Article)`` and yields ``(tag, list[Report])`` **in input order**, while
keeping only a bounded window of articles in flight, so a build streams any
number of articles in constant memory and writes the same bytes whatever the
engine. Consolidation, the map and the exports always run in the calling
process.

Workers never receive the gazetteer: they build their own
:class:`~geo.postures.frame_extract.FrameExtractor` once (per process) from the compiled index in
their cache directory, and only article records travel. Each worker reports
its extractor version; a build refuses to mix results of a worker whose
gazetteer or rules differ from the client's (the cache would be poisoned).

Using an existing Dask cluster
------------------------------
On the scheduler machine::

    dask scheduler                        # listens on tcp://<host>:8786

On every worker machine (geomap installed, with ``pip install 'geomap[dask]'``,
and the same version as the client; run ``python -m gazetteer.build_index``
once so the index is in the worker's cache dir, or let the first task build it)::

    dask worker tcp://<host>:8786 --nthreads 1 --nworkers 2

Then on the client::

    geomap build seeds/ --scheduler tcp://<host>:8786

``--gazetteer`` files are opened by the workers at the same absolute path, so
put them on a shared file system. Without ``--scheduler``, ``--workers N`` uses
N local processes.
"""
from __future__ import annotations

import os
import threading
from collections import deque
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, TypeVar

from geocore.errors import GeomapError, InputError
from geocore.records import Article, Report

T = TypeVar("T")
DEFAULT_CHUNK = 16

# ------------------------------------------------------------------ worker side

_WORKER: dict[tuple[str, ...], Any] = {}
_WORKER_LOCK = threading.Lock()


def _worker_extractor(gazetteer: tuple[str, ...]):
    """The worker's extractor over ``gazetteer`` files (built once per process)."""
    ex = _WORKER.get(gazetteer)
    if ex is None:
        with _WORKER_LOCK:  # Dask workers may run several threads
            ex = _WORKER.get(gazetteer)
            if ex is None:
                from geo.pipeline.extractor import make_extractor

                ex = _WORKER[gazetteer] = make_extractor(gazetteer)
    return ex


def init_worker(gazetteer: tuple[str, ...] = ()) -> None:
    """Process-pool initializer: load the gazetteer and build the extractor once."""
    _worker_extractor(tuple(gazetteer))


def extract_batch(gazetteer: tuple[str, ...], articles: Sequence[Article]) -> tuple[str, list[list[Report]]]:
    """The reports of each article (worker side), with the worker's extractor version."""
    from geo.pipeline.cache import extractor_version

    ex = _worker_extractor(tuple(gazetteer))
    return extractor_version(ex), [ex.extract(a) for a in articles]


# ------------------------------------------------------------------ client side

def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ordered_results(items: Iterable[tuple[Any, Article]], submit: Callable[[list[Article]], Any],
             result: Callable[[Any], tuple[str, list[list[Report]]]], window: int, chunk: int,
             version: Optional[str]) -> Iterator[tuple[Any, list[Report]]]:
    """Submit chunks with at most ``window`` in flight; yield results in input order.

    Waiting on the oldest chunk first keeps order without buffering more than
    ``window`` chunks: later chunks keep running meanwhile.
    """
    pending: deque = deque()
    source = _chunks(items, chunk)

    def drain_one():
        tags, fut = pending.popleft()
        got_version, reports = result(fut)
        if version is not None and got_version != version:
            raise GeomapError(f"a worker runs a different gazetteer or rule version ({got_version}) than this "
                              f"client ({version}); install the same geomap and gazetteer on every worker")
        yield from zip(tags, reports)

    for batch in source:
        pending.append(([t for t, _ in batch], submit([a for _, a in batch])))
        if len(pending) >= window:
            yield from drain_one()
    while pending:
        yield from drain_one()


class SerialEngine:
    """In-process extraction; the extractor is built on the first article only.

    Parameters
    ----------
    factory : callable
        Returns the extractor (called at most once, lazily, so a fully
        cached build never loads the gazetteer).
    """

    def __init__(self, factory: Callable[[], Any]):
        self._factory = factory
        self._extractor = None

    @property
    def extractor(self):
        if self._extractor is None:
            self._extractor = self._factory()
        return self._extractor

    def map(self, items: Iterable[tuple[Any, Article]]) -> Iterator[tuple[Any, list[Report]]]:
        for tag, article in items:
            yield tag, self.extractor.extract(article)

    def close(self) -> None:
        pass


class ProcessEngine:
    """Extraction on ``workers`` local processes (``geomap build --workers N``).

    Workers are started with the ``spawn`` method: no inherited threads or
    locks, same behaviour on every OS. Each loads the gazetteer once in its
    initializer.
    """

    def __init__(self, workers: int, gazetteer: Sequence[str] = (), *, version: Optional[str] = None,
                 chunk: int = DEFAULT_CHUNK, window: Optional[int] = None):
        if workers < 1:
            raise InputError(f"--workers must be at least 1, got {workers}")
        self.workers = workers
        self.gazetteer = tuple(os.path.abspath(g) for g in gazetteer)
        self.version = version
        self.chunk = chunk
        self.window = window or workers * 3
        self._pool = None

    def map(self, items: Iterable[tuple[Any, Article]]) -> Iterator[tuple[Any, list[Report]]]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=init_worker, initargs=(self.gazetteer,))
        pool = self._pool
        yield from ordered_results(items, lambda batch: pool.submit(extract_batch, self.gazetteer, batch),
                            lambda fut: fut.result(), self.window, self.chunk, self.version)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskEngine:
    """Extraction on a Dask distributed cluster (``geomap build --scheduler ADDRESS``).

    Parameters
    ----------
    address : str or dask.distributed.Client
        Scheduler address (``tcp://host:8786``) or an existing client.
    timeout : str
        How long to try to reach the scheduler.
    """

    def __init__(self, address: Any, gazetteer: Sequence[str] = (), *, version: Optional[str] = None,
                 chunk: int = DEFAULT_CHUNK, window: Optional[int] = None, timeout: str = "20s"):
        try:
            from dask.distributed import Client
        except ImportError as e:  # optional dependency
            raise InputError("--scheduler needs Dask: pip install 'geomap[dask]'") from e
        if isinstance(address, Client):
            self.client, self._own = address, False
        else:
            try:
                self.client, self._own = Client(address, timeout=timeout), True
            except (OSError, TimeoutError) as e:
                raise InputError(f"cannot reach the Dask scheduler at {address}: {e}") from e
        self.gazetteer = tuple(os.path.abspath(g) for g in gazetteer)
        self.version = version
        self.chunk = chunk
        n = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.window = window or n * 3

    def map(self, items: Iterable[tuple[Any, Article]]) -> Iterator[tuple[Any, list[Report]]]:
        client = self.client
        # pure=False: two identical batches are still two tasks (no result sharing by hash).
        yield from ordered_results(items, lambda batch: client.submit(extract_batch, self.gazetteer, batch, pure=False),
                            lambda fut: fut.result(), self.window, self.chunk, self.version)

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_engine(*, workers: Optional[int] = None, scheduler: Any = None, gazetteer: Sequence[str] = (),
                factory: Optional[Callable[[], Any]] = None, version: Optional[str] = None):
    """The engine for these options: Dask if ``scheduler``, processes if ``workers`` > 1, else serial."""
    if scheduler is not None:
        return DaskEngine(scheduler, gazetteer, version=version)
    if workers is not None and workers > 1:
        return ProcessEngine(workers, gazetteer, version=version)
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    if factory is None:
        from geo.pipeline.extractor import make_extractor

        factory = lambda: make_extractor(gazetteer)  # noqa: E731
    return SerialEngine(factory)
