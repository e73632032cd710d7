"""Big CSV files a chunk at a time: reading blocks of rows, appending output blocks, with the same dialect,
encoding and errors as the whole-file reader and writer in csv.py (which stay the single source of both)."""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from custclean.config import InputOptions, OutputOptions
from custclean.errors import EncodingError, InputError
from custclean.io.csv import _codec, _delimiter, _first_bad_record, _to_csv, column_names, header_row
from custclean.io.sniff import Encoded, encoding_of_file, head_text, line_terminator
from custclean.table import SourceInfo


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
        _to_csv(frame, buffer, header, self.how, self.how.line_terminator)
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
