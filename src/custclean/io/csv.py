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
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from custclean.config import InputOptions, OutputOptions
from custclean.errors import EncodingError, InputError
from custclean.io.safe_write import atomic_path
from custclean.io.sniff import (
    Encoded,
    decode,
    delimiter_from_option,
    encoding_of_file,
    head_text,
    line_terminator,
    sniff_delimiter,
)
from custclean.table import SourceInfo, Table

BLANK_HEADER = "(column {})"   # name given to a column whose header cell is empty; written back as ""


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
        frame = pd.read_csv(
            source, sep=delimiter, header=None, dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=True, engine="c", quotechar='"', doublequote=True, encoding=encoding,
        )
    except pd.errors.ParserError:
        raise InputError(f"{name}: {locate_problem(text(), delimiter)}") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{name}: empty file (no header line)") from None
    if frame.isna().to_numpy().any():      # cells missing from short rows
        frame = frame.fillna("")
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


def _to_csv(frame: pd.DataFrame, out: io.TextIOBase, header: list[str], how: SourceInfo, newline: str) -> None:
    frame.to_csv(
        out, sep=how.delimiter, index=False, header=header, lineterminator=newline,
        quoting=csv.QUOTE_MINIMAL, quotechar=how.quotechar,
    )


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


@dataclass(frozen=True)
class CsvChunks:
    """A CSV/TSV file on disk read `rows` data rows at a time, decoded and split as read_csv_bytes would.

    The encoding is decided over the whole file (in blocks) and the delimiter and line endings on its
    head, exactly as the whole-file reader decides them; data rows keep their 1-based row numbers.
    """

    path: str
    encoded: Encoded
    source: SourceInfo
    columns: tuple[str, ...]

    def frames(self, rows: int, usecols: list[int] | None = None) -> Iterator[pd.DataFrame]:
        """Text frames of at most `rows` data rows, indexed by data row; `usecols` reads only those columns."""
        names = list(self.columns)
        next_row = 1
        with open(self.path, "rb") as handle:
            handle.seek(self.encoded.skip)
            reader = self._reader(handle, rows, usecols)
            for index, frame in enumerate(self._guarded(reader)):
                frame = self._checked(frame, usecols)
                if index == 0:
                    frame = frame.iloc[1:]
                if frame.isna().to_numpy().any():
                    frame = frame.fillna("")
                frame.columns = [names[int(c)] for c in frame.columns]
                frame.index = pd.RangeIndex(next_row, next_row + len(frame))
                next_row += len(frame)
                yield frame

    def _reader(self, handle: BinaryIO, rows: int, usecols: list[int] | None) -> Iterator[pd.DataFrame]:
        return pd.read_csv(
            handle, sep=self.source.delimiter, header=None, dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=True, engine="c", quotechar='"', doublequote=True, encoding=self.encoded.encoding,
            chunksize=max(2, rows), usecols=usecols, names=self._names(usecols),
        )

    def _names(self, usecols: list[int] | None) -> list[int] | None:
        """Column numbers for pandas: one spare when every column is read (see `_checked`)."""
        if not self.columns:
            return None
        return list(range(len(self.columns) + (usecols is None)))

    def _checked(self, frame: pd.DataFrame, usecols: list[int] | None) -> pd.DataFrame:
        """Refuse rows longer than the header, and drop the spare column that shows them.

        pandas checks a row's length against the row before it, except on the first row of a chunk,
        whose extra fields it drops silently; reading one spare column makes them visible there
        too. Not seen: a row whose one extra field is empty ("a,b,c," under a 3-column header).
        """
        width = len(self.columns)
        spare = frame.get(width) if usecols is None and width else None
        if not isinstance(frame.index, pd.RangeIndex) or (spare is not None and (spare.fillna("") != "").any()):
            raise InputError(f"{self.path}: {self._problem()}")
        return frame.drop(columns=[width]) if spare is not None else frame

    def _guarded(self, reader: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        """The reader's frames; parser errors become the one-line InputError the whole-file reader gives."""
        name = self.path
        try:
            yield from reader
        except pd.errors.ParserError:
            raise InputError(f"{name}: {self._problem()}") from None
        except pd.errors.EmptyDataError:
            raise InputError(f"{name}: empty file (no header line)") from None
        except UnicodeDecodeError:
            raise EncodingError(f"{name}: not {self.encoded.encoding} throughout; try another --encoding") from None


    def _problem(self) -> str:
        return locate_problem_in_file(self.path, self.encoded, self.source.delimiter)


def open_csv_chunks(path: str, options: InputOptions) -> CsvChunks:
    """Decide encoding, delimiter and line endings as read_csv_bytes does, and read the header line."""
    encoded = encoding_of_file(path, path, options.encoding)
    head = head_text(path, encoded)
    delimiter = _delimiter(options, head)
    newline = line_terminator(head)
    probe = CsvChunks(path, encoded, SourceInfo(path=path, delimiter=delimiter), ())
    with open(path, "rb") as handle:
        handle.seek(encoded.skip)
        try:
            first = next(iter(probe._guarded(probe._reader(handle, 2, None))))
        except StopIteration:
            raise InputError(f"{path}: empty file (no header line)") from None
    headers = tuple(first.iloc[0].fillna("").tolist())
    columns = tuple(column_names(headers, path))
    source = SourceInfo(
        path=path, format="csv", encoding=encoded.encoding, delimiter=delimiter, line_terminator=newline,
        bom=encoded.bom, headers=headers,
    )
    return CsvChunks(path, encoded, source, columns)


def locate_problem_in_file(path: str, encoded: Encoded, delimiter: str) -> str:
    """`locate_problem` over a file read as a stream of records (nothing held but one record)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, Path(path).stat().st_size + 1))
    try:
        with open(path, "rb") as raw:
            raw.seek(encoded.skip)
            text = io.TextIOWrapper(raw, encoding=encoded.encoding, errors="replace", newline="\n")   # as StringIO
            return _first_bad_record(csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True,
                                                strict=True))
    finally:
        csv.field_size_limit(previous)


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


def more_rows_than(path: str, rows: int) -> bool:
    """Whether a text file has more than `rows` lines after its header (counted in blocks, stops early).

    A quoted value spanning lines counts more than once; this only decides whether to read in chunks.
    """
    seen = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            seen += block.count(b"\n")
            if seen > rows + 1:
                return True
    return False


class CsvAppender:
    """Writes an output CSV a chunk at a time exactly as write_csv writes it whole.

    Same delimiter, quoting, encoding, byte-order mark and line endings; when a value cannot be
    encoded in the input's code page, what was written so far is re-encoded and the whole file
    becomes UTF-8 with a BOM, as write_csv does. Columns a later chunk adds (a title split off a
    name) are added to every row at `close`, in the order given there.
    """

    def __init__(self, tmp: Path, source: SourceInfo, options: OutputOptions) -> None:
        self.tmp = tmp
        self.how = source if source.format == "csv" else SourceInfo(path=str(tmp), bom=True)
        self.encoding = options.encoding or self.how.encoding or "utf-8"
        self.bom = self.how.bom if self.encoding == self.how.encoding else self.encoding.lower().startswith("utf")
        self.columns: list[str] = []
        self.widened = False
        self._out = open(tmp, "wb")  # noqa: SIM115 - closed in close()
        self._encoder = self._new_encoder()
        self._started = False

    def _new_encoder(self) -> codecs.IncrementalEncoder:
        codec, mark = _codec(self.encoding, self.bom)
        encoder = codecs.getincrementalencoder(codec)("strict")
        self._mark = mark
        return encoder

    def write(self, frame: pd.DataFrame) -> None:
        """Append a chunk's rows (the header first, with the first chunk)."""
        if not self._started:
            self.columns = list(frame.columns)
        for column in frame.columns:
            if column not in self.columns:
                self.columns.append(column)
                self.widened = True
        frame = frame.reindex(columns=self.columns, fill_value="")
        buffer = io.StringIO()
        header = header_row(self.columns, self.how) if not self._started else False
        frame.to_csv(buffer, sep=self.how.delimiter, index=False, header=header,
                     lineterminator=self.how.line_terminator, quoting=csv.QUOTE_MINIMAL, quotechar=self.how.quotechar)
        text = (self._mark if not self._started else "") + buffer.getvalue()
        try:
            data = self._encoder.encode(text)
        except UnicodeEncodeError:
            self._to_utf8()
            data = self._encoder.encode(text if not self._started else buffer.getvalue())
        self._out.write(data)
        self._started = True

    def _to_utf8(self) -> None:
        """Re-encode what was written as UTF-8 with a BOM and go on in UTF-8 (write_csv's fallback)."""
        old = self.encoding
        self._out.close()
        self.encoding, self.bom = "utf-8", True
        self._encoder = self._new_encoder()
        _transcode(self.tmp, old, self._encoder, self._mark if self._started else "")
        self._out = open(self.tmp, "ab")  # noqa: SIM115 - closed in close()

    def close(self, order: list[str] | None = None) -> SourceInfo:
        """Finish the file; `order` puts columns added by later chunks where a whole-table run puts them."""
        self._out.write(self._encoder.encode("", final=True))
        self._out.close()
        order = order or self.columns
        if self.widened or order != self.columns:
            _widen(self.tmp, self.how, self.encoding, self.bom, self.columns, order)
            self.columns = order
        return replace(self.how, encoding=self.encoding, bom=self.bom, format="csv")


def _transcode(path: Path, codec: str, encoder: codecs.IncrementalEncoder, mark: str) -> None:
    """Rewrite a file written in `codec` with another encoder (which may start with a mark)."""
    decoder = codecs.getincrementaldecoder(codecs.lookup(codec).name.removesuffix("-sig"))("strict")
    target = path.with_name(path.name + ".utf8")
    try:
        with open(path, "rb") as src, open(target, "wb") as out:
            out.write(encoder.encode(mark))
            while block := src.read(1 << 22):
                out.write(encoder.encode(decoder.decode(block)))
            out.write(encoder.encode(decoder.decode(b"", final=True)))
        os.chmod(target, os.stat(path).st_mode)   # keep the mode atomic_path gave the temp file
        os.replace(target, path)
    finally:
        target.unlink(missing_ok=True)


def _widen(path: Path, how: SourceInfo, encoding: str, bom: bool, columns: list[str], order: list[str]) -> None:
    """Pad every record to the final columns and put them in `order` (streamed record by record)."""
    codec, mark = _codec(encoding, bom)
    where = [columns.index(c) for c in order]
    target = path.with_name(path.name + ".wide")
    try:
        with open(path, encoding=codec, newline="") as src, open(target, "w", encoding=codec, newline="") as out:
            out.write(mark)
            reader = csv.reader(src, delimiter=how.delimiter, quotechar=how.quotechar, doublequote=True)
            writer = csv.writer(out, delimiter=how.delimiter, quotechar=how.quotechar, doublequote=True,
                                lineterminator=how.line_terminator, quoting=csv.QUOTE_MINIMAL)
            for number, record in enumerate(reader):
                if number == 0:
                    writer.writerow(header_row(order, how))
                    continue
                padded = record + [""] * (len(columns) - len(record))
                writer.writerow([padded[i] for i in where])
        os.chmod(target, os.stat(path).st_mode)   # keep the mode atomic_path gave the temp file
        os.replace(target, path)
    finally:
        target.unlink(missing_ok=True)
