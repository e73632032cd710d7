"""Reads and writes xlsx/xls: cells as a person sees them, dates as ISO 8601.

Reading goes through calamine (Rust): it does not resolve XML entities, and before it opens a workbook
the zip is checked here, so a zip bomb (declared sizes too large) or a workbook that declares entities
(DOCTYPE, never written by Excel) is refused with an InputError instead of being expanded or parsed.
Writing makes every cell a text cell, so ids, phones and postcodes keep their leading zeros.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pandas as pd

from custclean.config import InputOptions, OutputOptions
from custclean.errors import InputError, OutputError
from custclean.io.csv import column_names, header_row
from custclean.io.safe_write import atomic_path
from custclean.table import SourceInfo, Table

MAX_UNCOMPRESSED = 1 << 30        # a workbook that expands past 1 GiB is refused
MAX_RATIO = 100                   # ... as is a large member compressed more than 100:1
RATIO_CHECKED_FROM = 50 << 20     # members smaller than this may compress as well as they like
MAX_CELL = 32_767                 # the most characters an Excel cell holds
_ENTITY_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def cell_text(value: Any) -> str:
    """The text a person sees for a typed cell: 33612345678, not 3.36e10 nor "33612345678.0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"       # Excel shows at most 15 significant digits
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def check_workbook_zip(source: str | io.BytesIO, name: str) -> None:
    """Refuse a zip bomb or an entity-declaring workbook before any XML parser sees it."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            _check_sizes(members, name)
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(member) as handle:
                        head = handle.read(4096)
                    if any(marker in head for marker in _ENTITY_MARKERS):
                        raise InputError(
                            f"{name}: the workbook declares XML entities (DOCTYPE), which Excel never writes; "
                            "refusing it for safety"
                        )
    except RuntimeError:      # zipfile's answer to an encrypted member
        raise InputError(f"{name}: is password-protected; save a copy without a password") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, ValueError):
        raise InputError(f"{name}: damaged Excel file (not a valid zip archive); re-save it from Excel") from None


def _check_sizes(members: list[zipfile.ZipInfo], name: str) -> None:
    total = sum(m.file_size for m in members)
    inflated = any(
        m.file_size > RATIO_CHECKED_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members
    )
    if total > MAX_UNCOMPRESSED or inflated:
        raise InputError(
            f"{name}: refusing a workbook that expands to {total / (1 << 20):,.0f} MiB "
            f"(more than {MAX_UNCOMPRESSED >> 20:,} MiB, or over {MAX_RATIO}:1); it looks like a zip bomb"
        )


def _open_workbook(path: str, data: bytes | None, name: str) -> Any:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        if data is not None:
            return CalamineWorkbook.from_filelike(io.BytesIO(data))
        return CalamineWorkbook.from_path(path)
    except PasswordError:
        raise InputError(f"{name}: is password-protected; save a copy without a password") from None
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(f"{name}: not a readable Excel file ({type(exc).__name__}); re-save it from Excel") from None


def _pick_sheet(workbook: Any, wanted: str | None, name: str) -> str:
    names: list[str] = list(workbook.sheet_names)
    if not names:
        raise InputError(f"{name}: the workbook has no sheets")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    if wanted.isdigit() and int(wanted) < len(names):
        return names[int(wanted)]
    raise InputError(f"{name}: no sheet '{wanted}' (sheets: {', '.join(names)}); use --sheet NAME or a 0-based index")


def _sheet_rows(workbook: Any, sheet: str, name: str) -> list[list[Any]]:
    from python_calamine import CalamineError

    try:
        return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(f"{name}: sheet '{sheet}' cannot be read ({type(exc).__name__})") from None


def read_excel(path: str, options: InputOptions, data: bytes | None = None, zipped: bool = True) -> Table:
    """Read one sheet, every cell as the text a person sees in Excel; blank rows are skipped.

    `data` holds the file when it came from standard input or is an old .xls read by content.
    """
    name = "<stdin>" if path == "-" else path
    if zipped:
        check_workbook_zip(io.BytesIO(data) if data is not None else path, name)
    workbook = _open_workbook(path, data, name)
    sheet = _pick_sheet(workbook, options.sheet, name)
    rows = [r for r in _sheet_rows(workbook, sheet, name) if any(c not in (None, "") for c in r)]
    if not rows:
        raise InputError(f"{name}: sheet '{sheet}' is empty")
    headers = [cell_text(c).strip() for c in rows[0]]
    body = [[cell_text(c) for c in row] for row in rows[1:]]
    keep = _kept_columns(headers, body)
    headers = [headers[i] for i in keep]
    frame = pd.DataFrame([[row[i] for i in keep] for row in body], columns=column_names(tuple(headers), name),
                         dtype=object)
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in frame.columns})
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    fmt = "xls" if path.lower().endswith(".xls") else "xlsx"
    return Table(frame, source=SourceInfo(path=path, format=fmt, encoding=None, sheet=sheet, headers=tuple(headers)))


def _kept_columns(headers: list[str], body: list[list[str]]) -> list[int]:
    """Columns with a header or with data; an empty unnamed column (formatting left-over) is dropped."""
    return [i for i, h in enumerate(headers) if h or any(row[i] for row in body)]


def _sheet_title(title: str | None) -> str:
    return _SHEET_TITLE_BAD.sub("_", title or "Sheet1")[:31] or "Sheet1"


def _check_cells(frame: pd.DataFrame) -> None:
    """Refuse what an xlsx cannot hold (control characters, > 32,767 characters), naming the cell."""
    for column in frame.columns:
        values = frame[column].astype(str)
        too_long = values.str.len() > MAX_CELL
        illegal = values.str.contains(_ILLEGAL_XML)
        for mask, why in ((too_long, f"more than {MAX_CELL:,} characters"), (illegal, "control characters")):
            if mask.any():
                row = mask.idxmax()
                raise OutputError(
                    f"row {row}, column '{column}' has {why}, which an Excel cell cannot hold; "
                    "write a .csv instead; nothing was written"
                )


def write_excel(table: Table, path: str, options: OutputOptions) -> SourceInfo:
    """Write an xlsx whose every cell is text, so ids and phones keep their leading zeros."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    _check_cells(table.frame)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(table.source.sheet))
    header = header_row(list(table.frame.columns), table.source)
    for row in [header, *table.frame.itertuples(index=False, name=None)]:
        sheet.append([_text_cell(sheet, v, WriteOnlyCell) if v.startswith("=") else v for v in row])
    with atomic_path(path, 0o666 & ~options.umask) as tmp:
        workbook.save(tmp)
    return SourceInfo(path=path, format="xlsx", encoding=None, sheet=table.source.sheet, headers=tuple(header))


def _text_cell(sheet: Any, value: str, cell_type: Any) -> Any:
    """A cell holding "=..." as text: openpyxl would otherwise store it as a live formula."""
    cell = cell_type(sheet, value)
    cell.data_type = "s"
    return cell
