"""Report CSVs written fast, byte for byte as DataFrame.to_csv writes them, with formula cells neutralized.

pandas' to_csv hands every cell to csv.writer and the formula guard was a Python call per cell: for a
million-row run that was most of the time spent on reports. Here a column becomes a list of cell texts
(numbers formatted as pandas formats them, floats once per distinct value) and text is checked for
formula triggers and quote characters in one scan of the joined cells (io/safe_write). Rows are joined
and written a chunk at a time, so the extra memory is one chunk of text. A frame with a column of
another kind (dates, float categories ...), a single column, no rows or non-text headers goes through
pandas itself, cell by cell, as before.

`write_frame` also returns the frame as written (neutralized text, before CSV quoting), which is what
reading the file back gives, so report.html is built without reading the files again. `FrameText`
splits that in two: a process that wrote a file hands over only the cells it changed (`changed()`),
and another holding the same frame rebuilds the view from them (`absorb()`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from custclean.io.safe_write import (
    csv_fields,
    formula_positions,
    is_formula,
    join_cells,
    neutralize,
    quote_cells,
    quote_chars,
    quote_positions,
)

CHUNK_ROWS = 50_000
_QUOTE_CHARS = quote_chars(",", '"', "\n")   # pandas' dialect, as this Python's csv.writer quotes


def _scalar_text(value: object) -> str:
    """One cell of an object column as pandas and csv.writer render it: missing -> "", floats by repr."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    return repr(value) if isinstance(value, float) else str(value)


class NumberTexts:
    """str(n) for 0..N, made once for all the report files of a run: row numbers recur in every one of them."""

    def __init__(self) -> None:
        self._texts = np.empty(0, dtype=object)

    def fields(self, ints: np.ndarray) -> Callable[[int, int], list[str]]:
        """Cell texts of an int column: picked from the table when its values are small and not negative."""
        if ints.size and ints.min() >= 0 and ints.max() < max(len(self._texts), 4 * ints.size, 1 << 16):
            top = int(ints.max())
            if top >= len(self._texts):
                more = np.array(list(map(str, range(len(self._texts), top + 1))), dtype=object)
                self._texts = np.concatenate([self._texts, more])
            texts = self._texts
            return lambda start, stop: texts[ints[start:stop]].tolist()
        return lambda start, stop: list(map(str, ints[start:stop].tolist()))


def _quote(cells: list[str], positions: list[int]) -> None:
    quote_cells(cells, positions)


def _quote_positions(cells: list[str], joined: str | None) -> list[int]:
    return quote_positions(cells, joined, _QUOTE_CHARS)


def _fields(cells: list[str]) -> list[str]:
    """Cell texts as CSV fields: quoted where csv.writer would quote them; the same list when none needs it."""
    return csv_fields(cells, _QUOTE_CHARS)


@dataclass
class Column:
    """One column as CSV fields, a row range at a time, and as the text a reader of the file gets back.

    `fields(start, stop)` gives quoted fields; `view()` the unquoted texts of the whole column. A column
    of str or int cells stands for its own text (`keeps_values`): only the cells whose text differs
    (`changed`, filled while writing) read otherwise.
    """

    series: pd.Series
    fields: Callable[[int, int], list[str]]
    texts: Callable[[], np.ndarray] | None = None
    keeps_values: bool = False
    changed: dict[int, str] = field(default_factory=dict)

    def view(self) -> np.ndarray:
        if self.texts is not None:
            return self.texts()
        values = self.series.to_numpy()
        if not self.changed:
            return values
        values = values.copy()
        values[np.fromiter(self.changed, dtype=np.int64, count=len(self.changed))] = list(self.changed.values())
        return values


def _text_column(series: pd.Series, values: np.ndarray, guard: bool) -> Column:
    """Cells taken to be str: formula cells and cells to quote found in one scan of the joined chunk.

    A chunk holding anything else (None, NaN, numbers) is rendered cell by cell; every cell whose
    text differs from its value is remembered, so the view stays exact.
    """
    column = Column(series, lambda start, stop: [], keeps_values=True)

    def fields(start: int, stop: int) -> list[str]:
        cells = values[start:stop].tolist()
        try:
            joined = join_cells(cells)
        except TypeError:
            return _fields(_mixed_texts(column, cells, start, guard))
        formulas = formula_positions(cells, joined) if guard else []
        quotes = _quote_positions(cells, joined)
        if formulas or quotes:
            cells = list(cells)
            for i in formulas:
                cells[i] = column.changed[start + i] = "'" + cells[i]
            _quote(cells, quotes)
        return cells

    column.fields = fields
    return column


def _mixed_texts(column: Column, cells: list[object], start: int, guard: bool) -> list[str]:
    """Cells of any kind as pandas writes them; only str cells are guarded, missing cells are empty."""
    texts = []
    for i, value in enumerate(cells):
        text = neutralize(value) if guard and isinstance(value, str) else _scalar_text(value)
        if text is not value:
            column.changed[start + i] = text
        texts.append(text)
    return texts


def _lookup_column(series: pd.Series, codes: np.ndarray, texts: np.ndarray) -> Column:
    """A column of few distinct texts (floats, categories): each rendered once, then picked by code."""
    quoted = np.array(_fields(texts.tolist()), dtype=object)
    return Column(series, lambda start, stop: quoted[codes[start:stop]].tolist(), texts=lambda: texts[codes])


def _float_column(series: pd.Series) -> Column:
    """Floats as pandas writes them (numpy's str, "" for NaN), formatted once per distinct bit pattern."""
    values = series.to_numpy()
    codes, uniques = pd.factorize(values.view(f"i{values.dtype.itemsize}"))
    numbers = uniques.view(values.dtype)
    texts = numbers.astype(str).astype(object)
    texts[np.isnan(numbers)] = ""
    return _lookup_column(series, codes, texts)


def _categorical_column(series: pd.Series, guard: bool) -> Column | None:
    categories = series.cat.categories
    kind = infer_dtype(categories, skipna=False)
    if len(categories) and kind not in {"string", "integer"}:
        return None
    names = [str(c) for c in categories]
    if guard and kind == "string":
        names = [neutralize(n) for n in names]
    return _lookup_column(series, series.cat.codes.to_numpy(), np.array([*names, ""], dtype=object))


def _object_column(series: pd.Series, guard: bool, numbers: NumberTexts) -> Column:
    values = series.to_numpy(dtype=object)
    first = values[0] if len(values) else ""
    if not isinstance(first, str) and infer_dtype(values, skipna=False) == "integer":
        try:
            return Column(series, numbers.fields(np.asarray(values, dtype=np.int64)), keeps_values=True)
        except (OverflowError, TypeError, ValueError):
            return Column(series, lambda start, stop: list(map(str, values[start:stop])), keeps_values=True)
    return _text_column(series, values, guard)


def column_fields(series: pd.Series, guard: bool = True, numbers: NumberTexts | None = None) -> Column | None:
    """A column as CSV fields (formula cells quoted when `guard`); None when pandas must write it."""
    dtype = series.dtype
    numbers = numbers or NumberTexts()
    if isinstance(dtype, pd.CategoricalDtype):
        return _categorical_column(series, guard)
    if isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind == "O"):
        return _object_column(series, guard, numbers)
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return Column(series, numbers.fields(series.to_numpy()), keeps_values=True)
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return _lookup_column(series, series.to_numpy().astype(np.int8), np.array(["False", "True"], dtype=object))
    if isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype.itemsize in (2, 4, 8):
        return _float_column(series)
    return None


def fast_columns(frame: pd.DataFrame, guard: bool = True, numbers: NumberTexts | None = None) -> list[Column] | None:
    """Every column's cell texts, or None when this frame is for pandas to write."""
    if frame.shape[1] < 2 or frame.empty or infer_dtype(frame.columns, skipna=False) != "string":
        return None
    numbers = numbers or NumberTexts()
    columns = [column_fields(frame.iloc[:, i], guard, numbers) for i in range(frame.shape[1])]
    return None if any(c is None for c in columns) else columns  # type: ignore[return-value]


@dataclass
class FrameText:
    """A frame ready to be written as CSV: its columns' cell texts (None when pandas writes it).

    Writing fills each column's `changed` cells; `changed()` hands them over and `absorb()` takes them,
    so another process holding the same frame can build the view of a file this one wrote.
    """

    frame: pd.DataFrame
    guard: bool = True
    columns: list[Column] | None = None

    def write(self, handle: TextIO) -> None:
        """Write as `frame.to_csv(index=False, lineterminator="\\n")` would, formula cells neutralized."""
        if self.columns is None:
            _pandas_write(self.frame, handle, self.guard)
            return
        csv.writer(handle, lineterminator="\n").writerow(list(self.frame.columns))
        for start in range(0, len(self.frame), CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, len(self.frame))
            cells = [column.fields(start, stop) for column in self.columns]
            handle.write("\n".join(map(",".join, zip(*cells, strict=True))) + "\n")

    def changed(self) -> list[dict[int, str]] | None:
        return None if self.columns is None else [column.changed for column in self.columns]

    def absorb(self, changed: list[dict[int, str]] | None) -> None:
        for column, cells in zip(self.columns or [], changed or [], strict=False):
            column.changed.update(cells)

    def view(self) -> pd.DataFrame | None:
        """The frame as written (str cells neutralized, floats as text; int cells stay ints, which print
        the same), or None when pandas wrote it."""
        if self.columns is None:
            return None
        view = self.frame.copy(deep=False)
        view.index = pd.RangeIndex(len(view))
        for i, column in enumerate(self.columns):
            if column.texts is not None or column.changed:
                view.isetitem(i, column.view())
        return view


def frame_text(frame: pd.DataFrame, guard: bool = True, numbers: NumberTexts | None = None) -> FrameText:
    """`frame` ready to write; `numbers` shares int texts between the files of a run."""
    return FrameText(frame, guard, fast_columns(frame, guard, numbers))


def write_frame(
    frame: pd.DataFrame, handle: TextIO, guard: bool = True, numbers: NumberTexts | None = None
) -> pd.DataFrame | None:
    """Write `frame` as `frame.to_csv(index=False, lineterminator="\\n")` would, formula cells neutralized.

    Returns the frame as written (see FrameText.view), or None when pandas wrote it.
    """
    text = frame_text(frame, guard, numbers)
    text.write(handle)
    return text.view()


def _pandas_write(frame: pd.DataFrame, handle: TextIO, guard: bool) -> None:
    """The general case: pandas writes, after every str cell of a text or category column is neutralized."""
    safe = frame
    if guard:
        safe = frame.copy()
        for i in range(frame.shape[1]):
            column = frame.iloc[:, i]
            if isinstance(column.dtype, pd.CategoricalDtype) or (
                column.dtype == object and column.map(lambda v: isinstance(v, str) and is_formula(v)).any()
            ):
                safe.isetitem(i, np.array([_guard_cell(v) for v in column], dtype=object))   # no dtype guessing
    safe.to_csv(handle, index=False, lineterminator="\n")


def _guard_cell(value: object) -> object:
    return neutralize(value) if isinstance(value, str) else value
