"""Reads and writes xlsx/xls: cells as a person sees them, dates as ISO 8601."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from custclean.config import InputOptions, OutputOptions
from custclean.errors import InputError
from custclean.io.safe_write import atomic_path
from custclean.table import SourceInfo, Table


def cell_text(value: Any) -> str:
    """The text a person sees for a typed cell: 33612345678, not 3.36e10 nor "33612345678.0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _open_workbook(path: str) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(path)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise InputError(f"{path}: not a readable Excel file ({type(exc).__name__})") from None


def _pick_sheet(workbook: Any, wanted: str | None, path: str) -> str:
    names: list[str] = list(workbook.sheet_names)
    if not names:
        raise InputError(f"{path}: the workbook has no sheets")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    if wanted.isdigit() and int(wanted) < len(names):
        return names[int(wanted)]
    raise InputError(f"{path}: no sheet '{wanted}' (sheets: {', '.join(names)}); use --sheet NAME|INDEX")


def read_excel(path: str, options: InputOptions) -> Table:
    """Read one sheet, every cell as the text a person sees in Excel."""
    if Path(path).suffix.lower() != ".xls" and not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not an Excel workbook (not a zip file); if it is a CSV, rename it .csv")
    workbook = _open_workbook(path)
    sheet = _pick_sheet(workbook, options.sheet, path)
    try:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InputError(f"{path}: sheet '{sheet}' cannot be read ({type(exc).__name__})") from None
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise InputError(f"{path}: sheet '{sheet}' is empty")
    headers = [cell_text(c).strip() for c in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    body = [[cell_text(c) for c in (list(r) + [None] * width)[:width]] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=headers, dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return Table(frame, source=SourceInfo(path=path, format="xlsx", encoding=None, sheet=sheet, headers=tuple(headers)))


def write_excel(table: Table, path: str, options: OutputOptions) -> SourceInfo:
    """Write an xlsx whose every cell is text, so ids and phones keep their leading zeros."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(table.source.sheet or "Sheet1")[:31])
    sheet.append(list(table.frame.columns))
    for row in table.frame.itertuples(index=False, name=None):
        sheet.append(list(row))
    with atomic_path(path, 0o666 & ~options.umask) as tmp:
        workbook.save(tmp)
    headers = tuple(table.frame.columns)
    return SourceInfo(path=path, format="xlsx", encoding=None, sheet=table.source.sheet, headers=headers)
