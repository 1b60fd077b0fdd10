"""Dict-like row maps over a loaded index file, decoded row by row on first use.

A load would spend most of its time building dicts for columns that a run
barely reads (alternate names, admin-1 codes). These classes keep such a
column as it was read and answer the dict methods the index uses.
"""
from __future__ import annotations

from typing import Iterator, Optional

import numpy as np

SEP = "\x00"  # between the names of one row


class _RowMap:
    """The dict methods the index uses, over ``_stored(row)`` plus rows added after loading."""

    _added: dict

    def _stored(self, row):
        raise NotImplementedError

    def _stored_rows(self) -> list[int]:
        raise NotImplementedError

    def get(self, row, default=None):
        got = self._added.get(row)
        if got is None:
            got = self._stored(row)
        return default if got is None else got

    def __getitem__(self, row):
        got = self.get(row)
        if got is None:
            raise KeyError(row)
        return got

    def __setitem__(self, row: int, value) -> None:
        self._added[row] = value

    def __contains__(self, row) -> bool:
        return self.get(row) is not None

    def __iter__(self) -> Iterator[int]:
        added = self._added
        yield from (r for r in self._stored_rows() if r not in added)
        yield from added

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def keys(self):
        return list(self)

    def values(self):
        return [self[r] for r in self]

    def items(self):
        return [(r, self[r]) for r in self]

    def copy(self):
        """A copy that rows can be added to without changing this one."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other._added = dict(self._added)
        return other

    def __eq__(self, other) -> bool:
        return dict(self.items()) == (dict(other.items()) if hasattr(other, "items") else other)


class StoredCodes(_RowMap):
    """Row -> GeoNames admin-1 code, like a dict, over one code number per row.

    Parameters
    ----------
    codes : numpy.ndarray
        Per row, the position of its code in ``vocab``, or -1 for none.
    vocab : list of str
        The distinct codes.
    """

    def __init__(self, codes: np.ndarray, vocab: list[str]):
        self._codes, self._vocab = codes.tolist(), vocab
        self._added: dict[int, str] = {}

    def _stored(self, row) -> Optional[str]:
        if type(row) is int and 0 <= row < len(self._codes):
            k = self._codes[row]
            return self._vocab[k] if k >= 0 else None
        return None

    def _stored_rows(self) -> list[int]:
        return [r for r, k in enumerate(self._codes) if k >= 0]


class StoredAliases(_RowMap):
    """Row -> alternate names, like a dict, decoded from the index file row by row on first use.

    Most rows' aliases are never asked for, so a load leaves them as one string.

    Parameters
    ----------
    rows : numpy.ndarray
        The rows that have aliases, ascending.
    ends : numpy.ndarray
        Where each row's NUL-joined aliases end in ``text`` (characters).
    text : str
        Every row's aliases, back to back.
    """

    def __init__(self, rows: np.ndarray, ends: np.ndarray, text: str):
        self._rows, self._ends, self._text = rows, ends, text
        self._decoded: dict[int, tuple[str, ...]] = {}
        self._added: dict[int, tuple[str, ...]] = {}  # rows appended after loading (user places)

    def _stored(self, row) -> Optional[tuple[str, ...]]:
        got = self._decoded.get(row)
        if got is None and type(row) is int:
            k = int(np.searchsorted(self._rows, row))
            if k < len(self._rows) and int(self._rows[k]) == row:
                start = int(self._ends[k - 1]) if k else 0
                got = self._decoded[row] = tuple(self._text[start:int(self._ends[k])].split(SEP))
        return got

    def _stored_rows(self) -> list[int]:
        return self._rows.tolist()
