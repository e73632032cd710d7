"""Reads and writes CSV, keeping delimiter, encoding and header text."""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd

from custclean.config import InputOptions, OutputOptions
from custclean.errors import InputError
from custclean.io.safe_write import atomic_path
from custclean.io.sniff import decode, line_terminator, sniff_delimiter
from custclean.table import SourceInfo, Table


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except PermissionError:
        raise InputError(f"{path}: cannot read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_csv(path: str, options: InputOptions) -> Table:
    """Read every cell as text: leading zeros, "NA" and "null" stay exactly as written."""
    name = "<stdin>" if path == "-" else path
    decoded = decode(_read_bytes(path), name, options.encoding)
    text = decoded.text
    if not text.strip():
        raise InputError(f"{name}: empty file")
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL bytes; not a text CSV file")
    delimiter = options.delimiter or sniff_delimiter(text, name)
    delimiter = "\t" if delimiter in {"\\t", "tab"} else delimiter
    frame = _parse(text, delimiter, name)
    headers = tuple(frame.iloc[0].tolist())
    _check_headers(headers, name)
    frame = frame.iloc[1:]
    frame.columns = list(headers)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    source = SourceInfo(
        path=path, format="csv", encoding=decoded.encoding, delimiter=delimiter,
        line_terminator=line_terminator(text), bom=decoded.bom, headers=headers,
    )
    return Table(frame, source=source)


def _parse(text: str, delimiter: str, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=True, engine="c", quotechar='"', doublequote=True,
        )
    except pd.errors.ParserError as exc:
        raise InputError(f"{name}: malformed CSV ({_short(exc)})") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{name}: empty file") from None
    return frame.fillna("").astype(object)


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[-1].removeprefix("Error tokenizing data. C error: ")


def _check_headers(headers: tuple[str, ...], name: str) -> None:
    blank = [i + 1 for i, h in enumerate(headers) if not h.strip()]
    seen: set[str] = set()
    dupes = [h for h in headers if h in seen or seen.add(h)]  # type: ignore[func-returns-value]
    if dupes:
        raise InputError(f"{name}: duplicate column name '{dupes[0]}' in the header; rename one")
    if blank and len(blank) == len(headers):
        raise InputError(f"{name}: the first line has no column names")


def encodable(frame: pd.DataFrame, headers: list[str], encoding: str) -> bool:
    """True when every cell and header can be written in `encoding`."""
    try:
        "".join(headers).encode(encoding)
        for column in frame.columns:
            "\x1f".join(frame[column].unique().tolist()).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def write_csv(table: Table, path: str, options: OutputOptions) -> SourceInfo:
    """Write with the input's delimiter and encoding when every value fits, else UTF-8 with a BOM."""
    source = table.source if table.source.format == "csv" else SourceInfo(path=path, bom=True)
    encoding = options.encoding or source.encoding or "utf-8"
    bom = source.bom
    if not encodable(table.frame, list(table.frame.columns), encoding):
        encoding, bom = "utf-8", True
    codec = "utf-8-sig" if (encoding == "utf-8" and bom) else encoding
    written = replace(source, path=path, encoding=encoding, bom=bom, format="csv")
    if path == "-":
        table.frame.to_csv(sys.stdout, sep=source.delimiter, index=False, lineterminator="\n")
        return written
    with atomic_path(path, 0o666 & ~options.umask) as tmp:
        table.frame.to_csv(
            tmp, sep=source.delimiter, index=False, encoding=codec, lineterminator=source.line_terminator,
            quoting=csv.QUOTE_MINIMAL, quotechar=source.quotechar,
        )
    return written
