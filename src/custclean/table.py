"""Table: a DataFrame of text indexed by source row, with its RoleMap and SourceInfo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from custclean.roles import Role, RoleMap


@dataclass(frozen=True)
class SourceInfo:
    """Where a table came from and how it was written, so it can be written back the same way."""

    path: str
    format: str = "csv"                   # "csv", "xlsx" or "xls"
    encoding: str | None = "utf-8"
    delimiter: str = ","
    quotechar: str = '"'
    line_terminator: str = "\r\n"
    bom: bool = False
    sheet: str | None = None
    headers: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file name people see in reports ("<stdin>" for standard input)."""
        return "<stdin>" if self.path == "-" else self.path.replace("\\", "/").rsplit("/", 1)[-1]


T = TypeVar("T")


@dataclass(frozen=True)
class _Memo:
    """Something computed from some columns, with the exact arrays it was computed from.

    Holding the arrays keeps their memory alive, so an array at the same address with the same shape
    and strides is the same array: a column that changed (apply, a replaced frame) never matches.
    """

    columns: tuple[str, ...]
    arrays: tuple[np.ndarray, ...]
    value: Any

    def fits(self, arrays: tuple[np.ndarray, ...]) -> bool:
        return len(arrays) == len(self.arrays) and all(map(_same_array, self.arrays, arrays))


def _same_array(a: np.ndarray, b: np.ndarray) -> bool:
    return a is b or (
        a.__array_interface__["data"] == b.__array_interface__["data"]
        and a.shape == b.shape and a.strides == b.strides and a.dtype == b.dtype
    )


@dataclass(frozen=True)
class Table:
    """Customer rows exactly as read: every cell a str, "" when empty, nothing coerced.

    The index is a record key; for a table read from one file it is the 1-based data row (header
    excluded), so every report points at a row a person can find in their spreadsheet. A table built
    from several files (merge) keeps each key's file and row in `origin`. Steps never mutate `frame`;
    they return edits and `run_steps` applies them.
    """

    frame: pd.DataFrame
    roles: RoleMap = field(default_factory=RoleMap)
    source: SourceInfo = field(default_factory=lambda: SourceInfo(path=""))
    origin: pd.DataFrame | None = None    # index = key; columns "source", "row"
    # Per-column results (factorized codes) reused while the column's array is the same; never copied
    # by dataclasses.replace (init=False), forwarded only by apply/with_frame for columns they keep.
    _memo: dict[Any, _Memo] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_memo"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _memo={})

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def values(self, role: Role) -> pd.Series:
        """The primary column of a role; "" for every row when the table has no such column."""
        column = self.roles.column(role)
        if column is None:
            return pd.Series("", index=self.frame.index, dtype=object)
        return self.frame[column]

    def origins(self) -> pd.DataFrame:
        """For each key, the file name and 1-based row it came from."""
        if self.origin is not None:
            return self.origin
        return pd.DataFrame({"source": self.source.name, "row": self.frame.index}, index=self.frame.index)

    def memo(self, key: Any, columns: tuple[str, ...], compute: Callable[..., T]) -> T:
        """compute(*arrays of `columns`), remembered under `key` until one of those columns changes.

        Steps never mutate a frame, so the same column array means the same cells: normalizers and
        checks reading one column one after the other factorize it once.
        """
        arrays = tuple(self.frame[c].to_numpy() for c in columns)
        found = self._memo.get(key)
        if found is not None and found.columns == columns and found.fits(arrays):
            return found.value
        value = compute(*arrays)
        self._memo[key] = _Memo(columns, arrays, value)
        return value

    def forget(self) -> None:
        """Drop the remembered per-column results: a million-row list holds a few hundred MB of codes that
        only normalize and validate read, and matching needs that memory for its own arrays."""
        self._memo.clear()

    def factorized(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """pd.factorize of a column (first-seen order, no NA sentinel), once while the column is unchanged."""
        return self.memo(("factorized", column), (column,), _factorize)

    def apply(self, edits: pd.DataFrame) -> Table:
        """A new Table with `edits` (columns row, column, new) applied; unknown columns are appended.

        Only the edited columns are new arrays: the other columns are shared with this table (whose
        frame is left untouched), so a step's edits cost the size of its columns, not of the table.
        """
        if edits.empty:
            return self
        frame = self.frame.copy(deep=False)
        rows, new = row_keys(edits["row"].to_numpy(), frame.index), edits["new"].to_numpy()
        by_column = _positions_by_column(edits["column"].to_numpy())
        for column, at in by_column.items():
            frame[column] = _edited(frame, column, rows[at], new[at])
        return self._keeping_memo(replace(self, frame=frame), set(by_column))

    def with_frame(self, frame: pd.DataFrame, roles: RoleMap | None = None) -> Table:
        """A copy over another frame (a subset of rows, or extra columns)."""
        if frame is self.frame:     # new roles only: same rows, same columns, same memo
            return self._keeping_memo(replace(self, roles=roles or self.roles), set())
        origin = None if self.origin is None else self.origin.loc[frame.index]
        return replace(self, frame=frame, roles=roles or self.roles, origin=origin)

    def _keeping_memo(self, table: Table, changed: set[str]) -> Table:
        """`table` with this table's memo entries for the columns it did not change."""
        table._memo.update({k: m for k, m in self._memo.items() if changed.isdisjoint(m.columns)})
        return table


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return read_only(codes), read_only(uniques)


def read_only(array: np.ndarray) -> np.ndarray:
    """`array`, refusing writes from now on: a memoized array is shared by every step that reads it."""
    array.flags.writeable = False
    return array


def _positions_by_column(columns: np.ndarray) -> dict[Any, np.ndarray]:
    """Positions of each column's edits, columns in first-seen order (groupby(sort=False) without hashing
    every cell: a step's edits come in one run per column)."""
    starts = np.flatnonzero(np.concatenate([[True], columns[1:] != columns[:-1]])) if len(columns) else []
    bounds = np.append(starts, len(columns))
    runs: dict[Any, list[np.ndarray]] = {}
    for start, stop in pairwise(bounds):
        runs.setdefault(columns[start], []).append(np.arange(start, stop))
    return {column: parts[0] if len(parts) == 1 else np.concatenate(parts) for column, parts in runs.items()}


def row_keys(rows: np.ndarray, index: pd.Index) -> np.ndarray:
    """Row keys as integers when they are and `index` is (edits and reports often carry them as objects):
    looked up in the index 5x faster."""
    if rows.dtype != object or index.dtype.kind not in "iu":
        return rows
    try:
        as_int = rows.astype(np.int64)
    except (TypeError, ValueError, OverflowError):
        return rows
    return as_int if (as_int == rows).all() else rows


def _edited(frame: pd.DataFrame, column: str, rows: np.ndarray, new: np.ndarray) -> np.ndarray:
    """A new array for `column` ("" everywhere when it is new) with `new` written at the `rows` keys."""
    if column in frame.columns:
        values = frame[column].to_numpy(dtype=object, copy=True)
    else:
        values = np.full(len(frame), "", dtype=object)
    if not frame.index.is_unique:   # keys repeat (a hand-built frame): label-based, as loc does
        series = pd.Series(values, index=frame.index, dtype=object)
        series.loc[rows] = new
        return series.to_numpy()
    positions = frame.index.get_indexer(rows)
    if (positions < 0).any():
        raise KeyError(f"edits name rows the table does not have: {rows[positions < 0][:5].tolist()}")
    values[positions] = new
    return values


def text_frame(rows: list[list[str]] | dict[str, list[str]], columns: list[str] | None = None) -> pd.DataFrame:
    """A frame of text indexed from 1, as custclean reads files; handy in tests and the API."""
    frame = pd.DataFrame(rows, columns=columns, dtype=object).fillna("")
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame.astype(str).astype(object)
