"""ChangeLog: columnar cell edits (source, row, column, old, new, step, rule).

A million edits cost a few arrays, not a million objects; changes.csv and the xlsx highlights are
built from it. The log lives through a whole run (matching included), so it is kept compact: row
keys that are whole numbers as int64 rather than Python ints, column names and rules as small codes
into their few distinct texts, the step name once per step. `frame()` gives back exactly the frame
the edits were recorded as.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

EDIT_COLUMNS = ("row", "column", "old", "new", "step", "rule")


def empty_edits() -> pd.DataFrame:
    """An edits frame with no rows but the right columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ("row", "column", "old", "new", "rule")})


def _own(values: np.ndarray) -> np.ndarray:
    """`values` as an array of its own: a view would keep the whole block of the step's edits frame alive."""
    return values if values.base is None else values.copy()


@dataclass(frozen=True)
class _Keys:
    """Row keys: Python ints held as int64 (a Python int costs 32 bytes more), anything else as given."""

    values: np.ndarray
    were_objects: bool = False

    @classmethod
    def of(cls, rows: np.ndarray) -> _Keys:
        if rows.dtype == object and infer_dtype(rows, skipna=False) == "integer":
            try:
                return cls(rows.astype(np.int64), True)
            except OverflowError:
                pass
        return cls(_own(rows))


@dataclass(frozen=True)
class _Coded:
    """A column of few distinct texts (column names, rules) as small codes; anything else as given."""

    values: np.ndarray
    names: np.ndarray | None = None

    @classmethod
    def of(cls, values: np.ndarray) -> _Coded:
        if values.dtype != object or infer_dtype(values, skipna=False) != "string":
            return cls(_own(values))
        codes, names = pd.factorize(values)
        return cls(codes.astype(np.min_scalar_type(max(len(names) - 1, 0))), names)


@dataclass(frozen=True)
class _Chunk:
    """One step's edits."""

    row: _Keys
    column: _Coded
    old: np.ndarray
    new: np.ndarray
    step: str
    rule: _Coded

    def __len__(self) -> int:
        return len(self.old)

    def dtype(self, name: str, int_keys: bool) -> np.dtype:
        """The dtype column `name` was recorded with (int64 for whole-number keys when `int_keys`)."""
        if name == "step":
            return np.dtype(object)
        if name == "row" and self.row.were_objects and not int_keys:
            return np.dtype(object)
        part = getattr(self, name)
        if isinstance(part, np.ndarray):
            return part.dtype
        return np.dtype(object) if isinstance(part, _Coded) and part.names is not None else part.values.dtype

    def fill(self, name: str, out: np.ndarray) -> None:
        """Write column `name` as recorded into `out` (an object array of this chunk's length)."""
        part = self.step if name == "step" else getattr(self, name)
        if isinstance(part, _Coded) and part.names is not None:
            np.take(part.names, part.values, out=out)
        else:
            out[:] = part.values if isinstance(part, _Keys | _Coded) else part

    def array(self, name: str, int_keys: bool) -> np.ndarray:
        """Column `name` as recorded, on its own."""
        if self.dtype(name, int_keys) != np.dtype(object):
            part = getattr(self, name)
            return part if isinstance(part, np.ndarray) else part.values
        out = np.empty(len(self), dtype=object)
        self.fill(name, out)
        return out


@dataclass
class ChangeLog:
    """Every cell edit in the order it was made."""

    _chunks: list[_Chunk] = field(default_factory=list)

    def record(self, edits: pd.DataFrame, step: str) -> None:
        """Keep a step's edits (columns row, column, old, new, rule)."""
        if edits.empty:
            return
        self._chunks.append(_Chunk(
            row=_Keys.of(edits["row"].to_numpy()), column=_Coded.of(edits["column"].to_numpy()),
            old=_own(edits["old"].to_numpy()), new=_own(edits["new"].to_numpy()), step=step,
            rule=_Coded.of(edits["rule"].to_numpy()),
        ))

    def extend(self, other: ChangeLog) -> None:
        """Append another log's edits (used when steps run on parts of a table)."""
        self._chunks.extend(other._chunks)

    def frame(self, int_keys: bool = False) -> pd.DataFrame:
        """All edits as one frame, in the order they were made.

        Always a copy: changing it leaves the log as it was.
        `int_keys`: row keys that are all whole numbers come as int64 rather than as Python ints (which
        print the same and cost 32 bytes more each): what report files want.
        """
        return self._columns(EDIT_COLUMNS, int_keys)

    def _columns(self, names: tuple[str, ...], int_keys: bool = False) -> pd.DataFrame:
        """Columns of object cells are written straight into one block (the frame pandas would build by
        concatenating the steps' frames), so building it costs that block and nothing more."""
        if not self._chunks:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in names})
        int_keys = int_keys and all(chunk.row.values.dtype == np.int64 for chunk in self._chunks)
        kinds = {name: {chunk.dtype(name, int_keys) for chunk in self._chunks} for name in names}
        objects = [name for name in names if kinds[name] == {np.dtype(object)}]
        block = np.empty((len(objects), len(self)), dtype=object)
        for i, name in enumerate(objects):
            start = 0
            for chunk in self._chunks:
                chunk.fill(name, block[i, start:start + len(chunk)])
                start += len(chunk)
        frame = pd.DataFrame(block.T, columns=objects, dtype=object, copy=False)
        for name in names:
            if name not in objects:     # a dtype of its own (int64 keys), or steps that disagree: as pandas joins them
                parts = [pd.Series(chunk.array(name, int_keys), copy=False) for chunk in self._chunks]
                frame.insert(names.index(name), name, pd.concat(parts, ignore_index=True).to_numpy())
        return frame

    def __len__(self) -> int:
        return sum(len(c) for c in self._chunks)

    def counts(self) -> dict[str, int]:
        """Edits per "column / rule", for summaries."""
        frame = self._columns(("column", "rule"))
        if frame.empty:
            return {}
        grouped = frame.groupby(["column", "rule"], sort=True).size()
        return {f"{col} / {rule}": int(n) for (col, rule), n in grouped.items()}
