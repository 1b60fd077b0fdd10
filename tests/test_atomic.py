"""Tests for geo.outputs.atomic: whole-file replacement, no leftovers, no partial files."""
from __future__ import annotations

import os

import pytest

from geo.outputs.atomic import atomic_path, atomic_write


def test_atomic_write_bytes_and_text(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    atomic_write(target, "héllo\n")
    assert target.read_bytes() == "héllo\n".encode("utf-8")
    atomic_write(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


def test_atomic_write_keeps_newlines_verbatim(tmp_path):
    target = tmp_path / "a.csv"
    atomic_write(target, "a\nb\r\n")
    assert target.read_bytes() == b"a\nb\r\n"


def test_atomic_path_failure_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("writer crashed")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_atomic_path_gives_fresh_path_with_suffix_in_same_folder(tmp_path):
    target = tmp_path / "x.gpkg"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path
        assert tmp.suffix == ".gpkg"
        assert not tmp.exists()
        tmp.write_bytes(b"data")
    assert target.read_bytes() == b"data"


def test_atomic_path_file_gets_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "p.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "p.txt").stat().st_mode & 0o777 == 0o644


def test_atomic_path_writer_that_writes_nothing_is_an_error(tmp_path):
    from geocore.errors import DataFileError

    with pytest.raises(DataFileError, match="produced no file"):
        with atomic_path(tmp_path / "none.txt"):
            pass
    assert list(tmp_path.iterdir()) == []


def test_streamed_write_that_fails_midway_leaves_old_file_and_no_temp(tmp_path):
    from geo.outputs.atomic import atomic_write_chunks

    target = tmp_path / "keep.geojson"
    target.write_text("old")

    def chunks():
        yield "first part, "
        raise ValueError("a bad record")

    with pytest.raises(ValueError, match="bad record"):
        atomic_write_chunks(target, chunks())
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.geojson"]


def test_streamed_write_concatenates_text_and_bytes(tmp_path):
    from geo.outputs.atomic import atomic_write_chunks

    target = tmp_path / "n.txt"
    atomic_write_chunks(target, ["é", b"\n", "x"])
    assert target.read_bytes() == "é\nx".encode("utf-8")
