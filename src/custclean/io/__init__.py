"""read_table()/write_table(): dispatch on format.

The format is decided by the file's bytes, not only its name: a workbook named .csv, a CSV named .xlsx,
a PNG or a password-protected file each get a one-line InputError saying what the file really is.
"""

from __future__ import annotations

from pathlib import Path

from custclean.config import InputOptions, OutputOptions
from custclean.errors import InputError, OutputError
from custclean.io import csv as csv_io
from custclean.io import excel
from custclean.io.filetype import FileType, Kind, sniff_type
from custclean.table import SourceInfo, Table

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
_HEAD = 8192


def format_for(path: str | Path, fallback: str = "csv") -> str:
    """The file format a path asks for by its extension, else `fallback`."""
    suffix = Path(str(path)).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return suffix[1:].replace("xlsm", "xlsx")
    if suffix in TEXT_SUFFIXES:
        return "csv"
    return fallback


def _head(path: str) -> bytes:
    target = Path(path)
    if not target.exists():
        raise InputError(f"{path}: no such file")
    if target.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    try:
        with open(target, "rb") as handle:
            return handle.read(_HEAD)
    except PermissionError:
        raise InputError(f"{path}: cannot read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None


def _refuse(ftype: FileType, claimed: str, name: str) -> None:
    """Raise when the bytes contradict the name, or are nothing custclean reads."""
    if ftype.kind is Kind.ENCRYPTED:
        raise InputError(f"{name}: is password-protected; open it in Excel and save a copy without a password")
    if ftype.kind is Kind.DAMAGED and claimed in {"xlsx", "xls"}:
        raise InputError(f"{name}: damaged Excel file (not a valid zip archive); re-save it from Excel")
    if ftype.kind in {Kind.OTHER, Kind.DAMAGED}:
        hint = f"; {ftype.hint}" if ftype.hint else ""
        raise InputError(f"{name}: not a CSV or Excel file (it is {ftype.what}){hint}")
    if ftype.kind is Kind.TEXT and claimed in {"xlsx", "xls"}:
        raise InputError(f"{name}: not an Excel workbook but a text file; if it is a CSV, rename it .csv")
    if ftype.kind is not Kind.TEXT and claimed == "csv":
        suffix = ".xls" if ftype.kind is Kind.XLS else ".xlsx"
        raise InputError(f"{name}: is {ftype.what}, not a CSV file; rename it {suffix}")


def read_table(path: str | Path, options: InputOptions | None = None) -> Table:
    """Read a CSV/TSV/Excel file (or "-", standard input) as text; roles are detected later by the API."""
    options = options or InputOptions()
    text_path = str(path)
    data: bytes | None = None
    if text_path == "-":
        data = csv_io.read_path("-")
        ftype, claimed, name = sniff_type(data[:_HEAD], read_all=data), "", "<stdin>"
    else:
        ftype, claimed, name = sniff_type(_head(text_path), text_path), format_for(text_path, ""), text_path
    _refuse(ftype, claimed, name)
    if ftype.kind is Kind.TEXT:
        return csv_io.read_csv_bytes(data if data is not None else csv_io.read_path(text_path), text_path, options)
    if ftype.kind is Kind.XLS and data is None:
        data = csv_io.read_path(text_path)     # read by content: an old .xls may carry any name
    return excel.read_excel(text_path, options, data, zipped=ftype.kind is Kind.XLSX)


def write_table(table: Table, path: str | Path, options: OutputOptions | None = None) -> SourceInfo:
    """Write a table in the format its path asks for (else the input's); returns how it was written."""
    options = options or OutputOptions()
    fmt = format_for(path, table.source.format if table.source.format != "xls" else "xlsx")
    if str(path) != "-" and Path(str(path)).is_dir():
        raise OutputError(f"{path}: is a folder; give a file name; nothing was written")
    if Path(str(path)).suffix.lower() == ".xls":
        raise OutputError(f"{path}: custclean writes .xlsx, not the old .xls format; name the output .xlsx")
    if fmt in {"xlsx", "xls"}:
        return excel.write_excel(table, str(path), options)
    return csv_io.write_csv(table, str(path), options)
