"""Reads and writes CSV, keeping delimiter, encoding and header text.

Every cell is read as text ("02134", "NA" and "null" stay as written). Rows shorter than the header are
padded with ""; a row longer than the header, an unclosed quote or a NUL byte is an InputError that
names the line. Writing keeps the input's delimiter, encoding, byte-order mark and line endings when every
value fits the encoding, else it writes UTF-8 with a BOM (and the API warns).
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_object_dtype

from custclean.config import InputOptions, OutputOptions
from custclean.errors import InputError
from custclean.io.safe_write import atomic_path, csv_fields, quote_chars
from custclean.io.sniff import (
    decode,
    delimiter_from_option,
    line_terminator,
    sniff_delimiter,
)
from custclean.parallel import beside, can_fork
from custclean.table import SourceInfo, Table

SPLIT_BYTES = 8 << 20          # a UTF-8 file this big is parsed in two halves, the second by a forked process
BLANK_HEADER = "(column {})"   # name given to a column whose header cell is empty; written back as ""
WRITE_ROWS = 50_000            # rows of output text built at a time


def read_csv_bytes(data: bytes, path: str, options: InputOptions) -> Table:
    """Read every cell as text: leading zeros, "NA" and "null" stay exactly as written."""
    name = "<stdin>" if path == "-" else path
    _refuse_nul(data, name)
    if not data[:65536].strip() and not data.strip():
        raise InputError(f"{name}: empty file (no header line)")
    parsed = _read_utf8(data, name, options)
    if parsed is None:
        decoded = decode(data, name, options.encoding)
        delimiter = _delimiter(options, decoded.text[:65536])
        frame = _parse(io.StringIO(decoded.text), delimiter, name, lambda: decoded.text)
        parsed = (frame, delimiter, decoded.encoding, decoded.bom, line_terminator(decoded.text[:65536]))
    frame, delimiter, encoding, bom, newline = parsed
    headers = tuple(frame.iloc[0].tolist())
    frame = frame.iloc[1:]
    frame.columns = column_names(headers, name)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    source = SourceInfo(
        path=path, format="csv", encoding=encoding, delimiter=delimiter, line_terminator=newline, bom=bom,
        headers=headers,
    )
    return Table(frame, source=source)


def _read_utf8(data: bytes, name: str, options: InputOptions) -> tuple[pd.DataFrame, str, str, bool, str] | None:
    """The fast path for UTF-8 (most files): pandas decodes the bytes itself; None when they are not UTF-8."""
    if options.encoding and _codec_name(options.encoding) not in {"utf-8", "utf-8-sig"}:
        return None
    bom = data.startswith(codecs.BOM_UTF8)
    payload = data[3:] if bom else data
    if payload[:2] in {codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE} or (b"\x00" in payload[:4096]):
        return None
    head = payload[:65536].decode("utf-8", errors="ignore")
    delimiter = _delimiter(options, head)
    try:
        frame = _parse_split(payload, delimiter) if len(payload) >= SPLIT_BYTES and can_fork() else None
        if frame is None:
            frame = _parse(io.BytesIO(payload), delimiter, name, lambda: payload.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError:
        return None
    return frame, delimiter, "utf-8", bom, line_terminator(head)


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()


def _delimiter(options: InputOptions, sample: str) -> str:
    return delimiter_from_option(options.delimiter) if options.delimiter else sniff_delimiter(sample)


def _refuse_nul(data: bytes, name: str) -> None:
    """NUL bytes mean a binary file or a broken export, unless the file is UTF-16/32 (decoded first)."""
    index = data.find(b"\x00")
    if index < 0 or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    even, odd = data[:4096:2].count(0), data[1:4096:2].count(0)
    if min(even, odd) == 0 and max(even, odd) > 0.4 * min(len(data[:4096]) // 2, 2048):
        return   # UTF-16 without a byte-order mark
    line = data.count(b"\n", 0, index) + 1
    raise InputError(f"{name}: line {line} contains NUL bytes; this is not a text CSV file")


def _parse(
    source: io.StringIO | io.BytesIO, delimiter: str, name: str, text: Callable[[], str], encoding: str | None = None
) -> pd.DataFrame:
    """pandas' C parser, every cell as str; on a parse error the line is found with `text()`."""
    try:
        frame = _read_frame(source, delimiter, encoding)
    except pd.errors.ParserError:
        raise InputError(f"{name}: {locate_problem(text(), delimiter)}") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{name}: empty file (no header line)") from None
    return _padded(frame)


def _read_frame(source: io.StringIO | io.BytesIO, delimiter: str, encoding: str | None) -> pd.DataFrame:
    """pandas' C parser, every cell as it is written (dtype object: the same str cells as dtype=str, cheaper)."""
    return pd.read_csv(
        source, sep=delimiter, header=None, dtype=object, keep_default_na=False, na_filter=False,
        skip_blank_lines=True, engine="c", quotechar='"', doublequote=True, encoding=encoding,
    )


def _parse_split(payload: bytes, delimiter: str) -> pd.DataFrame | None:
    """The frame `_read_frame` gives for the whole file, parsed in two halves on two cores; None when this
    cannot be vouched for (the caller parses the whole file as usual, errors included).

    The halves meet after a line feed. The first half parsing without an error proves that this line feed
    ends a record: had it been inside a quoted value, the first half would end inside a quote, which the C
    parser refuses. The forked half sends its columns as one joined text each, much cheaper than a pickled
    str per cell.
    """
    cut = payload.find(b"\n", len(payload) * 55 // 100) + 1    # the half that comes back costs a little more
    if cut <= 0 or cut >= len(payload):
        return None
    tail, head = beside(partial(_packed_half, payload, cut, delimiter), partial(_half, payload[:cut], delimiter))
    if head is None or tail is None or len(tail[1]) != head.shape[1]:
        return None
    rows, columns = tail
    block = np.empty((head.shape[1], len(head) + rows), dtype=object)
    for i, packed in enumerate(columns):
        block[i, :len(head)] = head.iloc[:, i].to_numpy()
        block[i, len(head):] = _unpacked(packed)
    return _padded(pd.DataFrame(block.T))


_CELL = "\x00"    # joins the cells of a column sent back; a column holding it travels as an array
_SAMPLE = 10_000   # cells of a column looked at to decide whether it is sent as its distinct values
Packed = np.ndarray | bytes | tuple[bytes, bytes]


def _half(data: bytes, delimiter: str) -> pd.DataFrame | None:
    try:
        return _read_frame(io.BytesIO(data), delimiter, "utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None


def _packed_half(payload: bytes, cut: int, delimiter: str) -> tuple[int, list[Packed]] | None:
    """(rows, each column packed) of the bytes after `cut`; runs in the forked process."""
    frame = _half(payload[cut:], delimiter)
    if frame is None:
        return None
    return len(frame), [_packed(frame.iloc[:, i].to_numpy()) for i in range(frame.shape[1])]


def _packed(values: np.ndarray) -> Packed:
    """A column as its cells joined in UTF-8; as (int32 codes, distinct values joined) when its cells repeat
    (countries, cities, dates), which makes far fewer str to build on the other side; else the array itself
    (a cell that is not str, or that holds _CELL)."""
    codes = None
    if len(set(values[:_SAMPLE].tolist())) * 4 < min(len(values), _SAMPLE):
        codes, values = pd.factorize(values, use_na_sentinel=False)
    try:
        joined = _CELL.join(values.tolist())
    except TypeError:
        return values if codes is None else values[codes]
    if joined.count(_CELL) != len(values) - 1:
        return values if codes is None else values[codes]
    return joined.encode("utf-8") if codes is None else (codes.astype(np.int32).tobytes(), joined.encode("utf-8"))


def _unpacked(packed: Packed) -> np.ndarray | list[str]:
    if isinstance(packed, np.ndarray):
        return packed
    if isinstance(packed, bytes):
        return packed.decode("utf-8").split(_CELL)
    codes, joined = packed
    return np.array(joined.decode("utf-8").split(_CELL), dtype=object)[np.frombuffer(codes, dtype=np.int32)]


def _padded(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells missing from short rows become "". A short row lacks the last field, so one column tells."""
    if frame.shape[1] and frame.iloc[:, -1].isna().any():
        return frame.fillna("")
    return frame


def locate_problem(text: str, delimiter: str) -> str:
    """Find the line that broke the fast parser, with Python's csv module: too many fields or an open quote."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, len(text) + 1))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    try:
        return _first_bad_record(reader)
    finally:
        csv.field_size_limit(previous)


def column_names(headers: tuple[str, ...], name: str) -> list[str]:
    """Header cells as column names: blanks get a placeholder, duplicates are refused."""
    if not any(h.strip() for h in headers):
        raise InputError(f"{name}: the first line has no column names")
    seen: set[str] = set()
    for header in headers:
        if header.strip() and header in seen:
            raise InputError(f"{name}: duplicate column name '{header}' in the header; rename one of them")
        seen.add(header)
    return [h if h.strip() else BLANK_HEADER.format(i + 1) for i, h in enumerate(headers)]


def header_row(columns: list[str], source: SourceInfo) -> list[str]:
    """The header to write: the original text, including blank header cells."""
    original = source.headers

    def restored(i: int, column: str) -> str:
        blank = i < len(original) and not original[i].strip()
        return original[i] if blank and column == BLANK_HEADER.format(i + 1) else column

    return [restored(i, column) for i, column in enumerate(columns)]


def write_csv(table: Table, path: str, options: OutputOptions) -> SourceInfo:
    """Write with the input's delimiter and encoding when every value fits, else UTF-8 with a BOM."""
    source = table.source if table.source.format == "csv" else SourceInfo(path=path, bom=True)
    encoding = options.encoding or source.encoding or "utf-8"
    bom = source.bom if encoding == source.encoding else encoding.lower().startswith("utf")
    header = header_row(list(table.frame.columns), source)
    if path == "-":
        _to_csv(table.frame, sys.stdout, header, source, "\n")
        return replace(source, path=path, format="csv")
    with atomic_path(path, 0o666 & ~options.umask) as tmp:
        try:
            _write_file(tmp, table.frame, header, source, encoding, bom)
        except UnicodeEncodeError:   # a value the code page cannot hold: the whole file goes UTF-8
            encoding, bom = "utf-8", True
            _write_file(tmp, table.frame, header, source, encoding, bom)
    return replace(source, path=path, encoding=encoding, bom=bom, format="csv")


def _write_file(tmp: Path, frame: pd.DataFrame, header: list[str], how: SourceInfo, encoding: str, bom: bool) -> None:
    codec, mark = _codec(encoding, bom)
    with open(tmp, "w", encoding=codec, newline="") as out:
        out.write(mark)
        _to_csv(frame, out, header, how, how.line_terminator)


def _codec(encoding: str, bom: bool) -> tuple[str, str]:
    """(Python codec, text to write first) for an encoding and whether the file starts with a BOM."""
    name = codecs.lookup(encoding).name
    if name == "utf-8":
        return ("utf-8-sig" if bom else "utf-8"), ""
    if name in {"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}:
        return name, "\ufeff" if bom else ""
    return name, ""


def _to_csv(
    frame: pd.DataFrame, out: io.TextIOBase, header: list[str] | bool, how: SourceInfo, newline: str
) -> None:
    """Write as DataFrame.to_csv does, byte for byte; a frame of text (the usual table) goes the fast way."""
    if _all_text(frame):
        _write_text(frame, out, header, how, newline)
        return
    frame.to_csv(
        out, sep=how.delimiter, index=False, header=header, lineterminator=newline,
        quoting=csv.QUOTE_MINIMAL, quotechar=how.quotechar,
    )


def _all_text(frame: pd.DataFrame) -> bool:
    """Whether every cell is a str, in two columns or more (one column quotes an empty row: pandas does that)."""
    return frame.shape[1] >= 2 and len(frame) > 0 and all(
        is_object_dtype(frame.dtypes.iloc[i]) and infer_dtype(frame.iloc[:, i].to_numpy(), skipna=False) == "string"
        for i in range(frame.shape[1])
    )


def _write_text(
    frame: pd.DataFrame, out: io.TextIOBase, header: list[str] | bool, how: SourceInfo, newline: str
) -> None:
    """str cells only: rows joined a chunk at a time, quoting found by a scan of each chunk's joined column.

    pandas hands every cell to csv.writer; here only the cells to quote cost Python work, which makes
    writing a million-row table about three times faster, and memory stays one chunk of text.
    """
    chars = quote_chars(how.delimiter, how.quotechar, newline)
    header = list(frame.columns) if header is True else header
    if header is not False:
        csv.writer(out, delimiter=how.delimiter, quotechar=how.quotechar, lineterminator=newline,
                   quoting=csv.QUOTE_MINIMAL).writerow(header)
    columns = [frame.iloc[:, i].to_numpy() for i in range(frame.shape[1])]
    for start in range(0, len(frame), WRITE_ROWS):
        fields = [csv_fields(values[start:start + WRITE_ROWS].tolist(), chars, how.quotechar) for values in columns]
        out.write(newline.join(map(how.delimiter.join, zip(*fields, strict=True))) + newline)


def read_path(path: str) -> bytes:
    """The bytes of a file, or of standard input for "-"; unreadable files are InputErrors."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except PermissionError:
        raise InputError(f"{path}: cannot read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None


# Streaming: a file read a chunk of rows at a time, and an output written a chunk at a time ---------------


def _first_bad_record(reader: Any) -> str:
    width = None
    start = 1
    try:
        for row in reader:
            if row and width is None:
                width = len(row)
            elif width is not None and len(row) > width:
                return (f"line {start} has {len(row)} fields but the header has {width}; "
                        "quote values that contain the delimiter, or check --delimiter")
            start = reader.line_num + 1
    except csv.Error:
        return f"unclosed quote in the record starting on line {start}; close the quote or remove it"
    return "malformed CSV; check the quotes and --delimiter"
