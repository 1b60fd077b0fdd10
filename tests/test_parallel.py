"""Engines: ordered streaming, version checks, and byte-identical builds on processes and Dask."""
from __future__ import annotations

import filecmp
import shutil
from concurrent.futures import Future
from pathlib import Path

import pytest

from geocore.errors import GeomapError, InputError
from geo.pipeline.parallel import DaskEngine, SerialEngine, ordered_results, make_engine
from geo.pipeline.run import build
from geocore.records import Article

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("posture.geojson", "reports.geojson", "posture.html", "build.json")  # build.json: issue 15, point 7


def _done(value) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


def test_ordered_keeps_input_order_and_bounds_in_flight():
    pulled = []

    def items():
        for i in range(23):
            pulled.append(i)
            yield i, Article(doc=f"{i}.txt", text=str(i))

    submitted = []

    def submit(batch):
        submitted.append(len(batch))
        return _done(("v", [[int(a.text)] for a in batch]))

    out = []
    for tag, reports in ordered_results(items(), submit, lambda f: f.result(), window=2, chunk=4, version="v"):
        out.append((tag, reports))
        # streaming: never more than window chunks (plus the one being filled) read ahead
        assert len(pulled) - len(out) <= 2 * 4 + 4
    assert out == [(i, [i]) for i in range(23)]
    assert submitted == [4, 4, 4, 4, 4, 3]


def test_ordered_refuses_a_worker_of_another_version():
    batch = [(0, Article(doc="a.txt", text="x"))]
    with pytest.raises(GeomapError, match="different gazetteer or rule version"):
        list(ordered_results(batch, lambda b: _done(("other", [[]])), lambda f: f.result(), 1, 1, "mine"))


def test_make_engine_choices():
    assert isinstance(make_engine(factory=lambda: None), SerialEngine)
    assert isinstance(make_engine(workers=1, factory=lambda: None), SerialEngine)
    with pytest.raises(InputError, match="at least 1"):
        make_engine(workers=0)


def test_serial_engine_builds_extractor_lazily():
    made = []
    engine = make_engine(factory=lambda: made.append(1))
    assert list(engine.map([])) == [] and made == []


def test_injected_extractor_with_workers_is_refused(tmp_path, tiny_extractor):
    with pytest.raises(InputError, match="injected extractor"):
        build([ROOT / "seeds"], out=None, extractor=tiny_extractor, workers=2)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    src = tmp_path_factory.mktemp("seeds")
    for p in (ROOT / "seeds").iterdir():
        shutil.copy(p, src / p.name)
    return src


@pytest.fixture(scope="module")
def serial(seeds, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    result = build([seeds], out=out, cache=False)
    assert result.n_articles == 5 and result.report_records
    return out


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as c:
        yield c


def _same(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert filecmp.cmp(a / name, b / name, shallow=False), name


def test_workers_output_is_byte_identical(seeds, serial, tmp_path):
    result = build([seeds], out=tmp_path, cache=False, workers=2)
    assert result.n_articles == 5
    _same(serial, tmp_path)


def test_dask_output_is_byte_identical_and_cached(seeds, serial, cluster, tmp_path):
    result = build([seeds], out=tmp_path, scheduler=cluster.scheduler_address)
    assert result.n_articles == 5
    _same(serial, tmp_path)
    # second run: every article from the cache the first run filled from the workers
    again = build([seeds], out=tmp_path, scheduler=cluster.scheduler_address)
    assert again.report_records == result.report_records
    _same(serial, tmp_path)


def test_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("dask.distributed")
    with pytest.raises(InputError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskEngine("tcp://127.0.0.1:9", timeout="1s")
