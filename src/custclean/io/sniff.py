"""Detects encoding (charset-normalizer) and CSV dialect."""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass

from custclean.errors import EncodingError, InputError

DELIMITERS = ",;\t|"
# Legacy encodings that European Excel exports produce, tried when the bytes are not UTF-8.
LEGACY_ENCODINGS = ("cp1252", "cp1250", "iso8859_2", "latin_1")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bool


def decode(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Bytes -> text with the encoding the file most likely has; `encoding` forces one."""
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding, False)
        except LookupError:
            raise InputError(f"{name}: unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise EncodingError(f"{name}: not {encoding} at byte {exc.start}; try another --encoding") from None
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"{name}: has a {codec} mark but is not {codec} at byte {exc.start}") from None
            return Decoded(text.lstrip("\ufeff"), codec, True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    return Decoded(*_legacy(data, name), False)


def _legacy(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=list(LEGACY_ENCODINGS)).best()
    order = [best.encoding] if best is not None else []
    for codec in [*order, *LEGACY_ENCODINGS]:
        try:
            return data.decode(codec), codecs.lookup(codec).name
        except UnicodeDecodeError:
            continue
    raise EncodingError(f"{name}: cannot tell the text encoding; try --encoding")  # pragma: no cover


def sniff_delimiter(text: str, name: str) -> str:
    """The delimiter of a CSV sample: csv.Sniffer, else the most frequent candidate in the header line."""
    sample = text[:64_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    first_line = sample.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        if "\n" not in sample.strip() and not sample.strip():
            raise InputError(f"{name}: empty file")
        return ","   # a single-column file
    return best


def line_terminator(text: str) -> str:
    """The line ending the file uses, so a round trip keeps it."""
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"
