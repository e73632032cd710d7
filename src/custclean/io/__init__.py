"""read_table()/write_table(): dispatch on format."""

from __future__ import annotations

from pathlib import Path

from custclean.config import InputOptions, OutputOptions
from custclean.errors import InputError
from custclean.io import csv as csv_io
from custclean.io import excel
from custclean.table import SourceInfo, Table

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def format_for(path: str | Path, fallback: str = "csv") -> str:
    """The file format an output path asks for by its extension, else `fallback`."""
    suffix = Path(str(path)).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return suffix[1:].replace("xlsm", "xlsx")
    if suffix in {".csv", ".tsv", ".txt"}:
        return "csv"
    return fallback


def read_table(path: str | Path, options: InputOptions | None = None) -> Table:
    """Read a CSV/TSV/Excel file as text; roles are detected later by the API."""
    options = options or InputOptions()
    text_path = str(path)
    if text_path != "-" and not Path(text_path).exists():
        raise InputError(f"{text_path}: no such file")
    if text_path != "-" and Path(text_path).is_dir():
        raise InputError(f"{text_path}: is a folder, not a file")
    if format_for(text_path) in {"xlsx", "xls"} and not options.encoding:
        return excel.read_excel(text_path, options)
    return csv_io.read_csv(text_path, options)


def write_table(table: Table, path: str | Path, options: OutputOptions | None = None) -> SourceInfo:
    """Write a table in the format its path asks for (else the input's); returns how it was written."""
    options = options or OutputOptions()
    fmt = format_for(path, table.source.format if table.source.format != "xls" else "xlsx")
    if fmt in {"xlsx", "xls"}:
        return excel.write_excel(table, str(path), options)
    return csv_io.write_csv(table, str(path), options)
