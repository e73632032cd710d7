"""Detects encoding and CSV dialect.

Encodings, in the order tried: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32), then UTF-8, then the
Windows code page a European Excel wrote: cp1252 (French, German, Spanish ...) unless the bytes only
make sense as cp1250 (Romanian ş ţ ă, Polish, Czech ...). A file whose lines mix UTF-8 and a code page
is refused with a clear message; `--encoding mixed` decodes each line on its own.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from custclean.errors import EncodingError, InputError

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
MIXED = "mixed"   # --encoding mixed: UTF-8 lines stay UTF-8, the others are read with the code page
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LEGACY = ("cp1252", "cp1250")
_SAMPLE = 2_000_000   # bytes looked at when choosing between code pages


@dataclass(frozen=True)
class Decoded:
    """A file's text and how it was encoded, so it can be written back the same way."""

    text: str
    encoding: str
    bom: bool


def _odd_chars(codec: str, extra: str = "") -> str:
    """Characters of a code page's upper half that are not letters of its languages."""
    upper = bytes(range(0x80, 0x100)).decode(codec, errors="ignore")
    return "".join(c for c in upper if not c.isalpha()) + extra


# cp1250 text read as cp1252 puts symbols inside words ("Bucureºti", "Constanþa", "Wroc³aw"); cp1252 text
# read as cp1250 gives letters ("Hčlčne"), so only the first mistake can be seen, and cp1252 wins ties.
_ODD = {"cp1252": _odd_chars("cp1252", "ªºþÞðÐ"), "cp1250": _odd_chars("cp1250")}
_WORD_HIGH = re.compile(rb"(?<![0-9\x80-\xff])[\x80-\xff](?=[A-Za-z\x80-\xff])|(?<=[A-Za-z])[\x80-\xff](?=[A-Za-z])")


def _oddness(data: bytes, codec: str) -> int:
    """How many high bytes inside words decode to a symbol rather than a letter in `codec`."""
    odd = _ODD[codec]
    picked = b"".join(m.group() for m in _WORD_HIGH.finditer(data[:_SAMPLE]))
    return sum(1 for c in picked.decode(codec, errors="ignore") if c in odd)


def legacy_codec(data: bytes) -> str | None:
    """cp1252 or cp1250, whichever decodes `data` and reads as words; None when neither decodes."""
    works = []
    for codec in _LEGACY:
        try:
            data.decode(codec)
            works.append(codec)
        except UnicodeDecodeError:
            continue
    if len(works) == 2:
        return "cp1250" if _oddness(data, "cp1252") > _oddness(data, "cp1250") else "cp1252"
    return works[0] if works else None


def _forced(data: bytes, name: str, encoding: str) -> Decoded:
    """--encoding: decode strictly; a matching byte-order mark is dropped and remembered."""
    if encoding.lower() == MIXED:
        return _decode_mixed(data, name)
    codec, skip = _forced_codec(data, name, encoding)
    return Decoded(_strict(data[skip:], codec, name, encoding), codec, skip > 0)


def _forced_codec(head: bytes, name: str, encoding: str) -> tuple[str, int]:
    """(codec, length of the byte-order mark to skip) for --encoding: a mark of the same UTF family wins."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"{name}: unknown encoding '{encoding}'; try utf-8, cp1252, cp1250 or latin-1") from None
    family = codec.removesuffix("-sig").removesuffix("-le").removesuffix("-be")
    for bom, bom_codec in _BOMS:
        if head.startswith(bom) and bom_codec.startswith(family) and family.startswith("utf"):
            return bom_codec, len(bom)
    return codec.removesuffix("-sig"), 0


def _strict(data: bytes, codec: str, name: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EncodingError(f"{name}: line {line} is not {label}; try another --encoding") from None


def decode(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Bytes -> text with the encoding the file most likely has; `encoding` forces one."""
    if encoding:
        return _forced(data, name, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom):], codec, name, f"{codec} as its byte-order mark says"), codec, True)
    if _looks_utf16(data):
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return Decoded(_strict(data, codec, name, codec), codec, False)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data, name)
    codec = legacy_codec(data)
    if codec is None:
        raise EncodingError(f"{name}: not UTF-8, cp1252 or cp1250 text; try --encoding (e.g. --encoding latin-1)")
    return Decoded(data.decode(codec), codec, False)


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: text where every other byte is zero."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4 and min(even.count(0), odd.count(0)) == 0


def _line_kinds(data: bytes) -> tuple[int | None, int | None]:
    """The first line that is non-ASCII UTF-8 and the first line that is not UTF-8 (1-based)."""
    return _first_line_kinds(data.split(b"\n"))


def _first_line_kinds(lines: Iterable[bytes]) -> tuple[int | None, int | None]:
    """`_line_kinds` over any sequence of lines (a whole file in memory, or one read in blocks)."""
    first_utf8 = first_other = None
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            first_utf8 = first_utf8 or number
        except UnicodeDecodeError:
            first_other = first_other or number
        if first_utf8 and first_other:
            break
    return first_utf8, first_other


def _refuse_mixed(data: bytes, name: str) -> None:
    utf8_line, other_line = _line_kinds(data)
    if utf8_line and other_line:
        raise EncodingError(
            f"{name}: mixed text encodings (line {utf8_line} is UTF-8, line {other_line} is not); "
            "re-save the file as UTF-8, or use --encoding mixed to read each line on its own"
        )


def _decode_mixed(data: bytes, name: str) -> Decoded:
    lines = data.removeprefix(codecs.BOM_UTF8).split(b"\n")
    decoded: list[str | None] = []
    others = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(None)
            others.append(line)
    codec = legacy_codec(b"\n".join(others)) or "latin-1"
    text = "\n".join(d if d is not None else line.decode(codec) for d, line in zip(decoded, lines, strict=True))
    return Decoded(text, "utf-8", False)


def delimiter_from_option(value: str) -> str:
    """--delimiter value -> the character: "tab" and "\\t" mean a tab."""
    delimiter = DELIMITER_NAMES.get(value.lower(), value)
    if len(delimiter) != 1 or delimiter in {'"', "\n", "\r"}:
        raise InputError(f"--delimiter must be one character (or tab), got '{value}'")
    return delimiter


def _field_counts(sample: str, delimiter: str) -> list[int]:
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar='"', doublequote=True)
    counts = []
    try:
        for row in reader:
            if row:
                counts.append(len(row))
    except csv.Error:
        pass
    return counts[:-1] if len(counts) > 2 else counts   # the sample's last record may be cut


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns, consistently over the first rows.

    A count-based choice is steadier than csv.Sniffer on real exports: an address "Flat 2, 33 High St"
    in a ';' file does not fool it, because the header line has no comma.
    """
    sample = text[:64_000]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = _field_counts(sample, delimiter)
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for n in counts if n == counts[0]) / len(counts)
        score = (round(consistent, 2), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def line_terminator(text: str) -> str:
    """The line ending the file uses, so a round trip keeps it."""
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


# Streaming: the same decisions as decode(), made over a file read in blocks ---------------------------

BLOCK = 16 * 1024 * 1024


@dataclass(frozen=True)
class Encoded:
    """How a file on disk is encoded, decided without holding its text: codec, BOM, bytes to skip."""

    encoding: str
    bom: bool
    skip: int = 0


def _blocks(path: str, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) blocks of a file from `start`."""
    with open(path, "rb") as handle:
        handle.seek(start)
        offset = start
        while block := handle.read(BLOCK):
            yield offset, block
            offset += len(block)


def _line_at(path: str, offset: int, start: int = 0) -> int:
    """1-based line number of a byte offset (counted from `start`)."""
    lines = 1
    for at, block in _blocks(path, start):
        if at >= offset:
            break
        lines += block.count(b"\n", 0, max(0, offset - at))
    return lines


def _first_error(path: str, codec: str, start: int) -> int | None:
    """Offset of the first byte `codec` cannot decode (strictly), or None when the whole file decodes."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    for at, block in _blocks(path, start):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(block, final=False)
        except UnicodeDecodeError as exc:
            return at - pending + exc.start
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return Path(path).stat().st_size - len(decoder.getstate()[0])
    return None


def _check_strict(path: str, name: str, codec: str, start: int, label: str) -> None:
    error = _first_error(path, codec, start)
    if error is not None:
        raise EncodingError(f"{name}: line {_line_at(path, error, start)} is not {label}; try another --encoding")


def refuse_nul_in_file(path: str, name: str, head: bytes) -> None:
    """NUL bytes anywhere mean a binary file, unless the file is UTF-16/32 (as `csv._refuse_nul`)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    sample = head[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if b"\x00" in sample and min(even, odd) == 0 and max(even, odd) > 0.4 * min(len(sample) // 2, 2048):
        return
    for at, block in _blocks(path):
        index = block.find(b"\x00")
        if index >= 0:
            line = _line_at(path, at + index)
            raise InputError(f"{name}: line {line} contains NUL bytes; this is not a text CSV file")


def _forced_encoded(path: str, name: str, encoding: str, head: bytes) -> Encoded:
    """--encoding as `_forced` reads it: a matching byte-order mark is skipped; decoding is strict."""
    codec, skip = _forced_codec(head, name, encoding)
    _check_strict(path, name, codec, skip, encoding)
    return Encoded(codec, skip > 0, skip)


def _line_kinds_in_file(path: str) -> tuple[int | None, int | None]:
    """`_line_kinds` over a file read in blocks."""
    return _first_line_kinds(_lines_in_file(path))


def _lines_in_file(path: str) -> Iterator[bytes]:
    """The file's lines without their "\\n", read in blocks (a line cut by a block end is carried over)."""
    carry = b""
    for _, block in _blocks(path):
        lines = (carry + block).split(b"\n")
        carry = lines.pop()
        yield from lines
    if carry:
        yield carry


def _legacy_in_file(path: str, head: bytes) -> str | None:
    """`legacy_codec` over a file read in blocks: the code pages that decode it all, ties by the head."""
    works = [codec for codec in _LEGACY if _first_error(path, codec, 0) is None]
    if len(works) == 2:
        return "cp1250" if _oddness(head, "cp1252") > _oddness(head, "cp1250") else "cp1252"
    return works[0] if works else None


def encoding_of_file(path: str, name: str, encoding: str | None = None) -> Encoded:
    """What `decode(whole file)` would decide, reading the file in blocks; raises the same errors.

    `--encoding mixed` is not handled here (it decodes line by line; the caller reads such files whole).
    """
    with open(path, "rb") as handle:
        head = handle.read(_SAMPLE)
    refuse_nul_in_file(path, name, head)
    if encoding:
        return _forced_encoded(path, name, encoding, head)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            _check_strict(path, name, codec, len(bom), f"{codec} as its byte-order mark says")
            return Encoded(codec, True, len(bom))
    if _looks_utf16(head):
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        _check_strict(path, name, codec, 0, codec)
        return Encoded(codec, False)
    if _first_error(path, "utf-8", 0) is None:
        return Encoded("utf-8", False)
    utf8_line, other_line = _line_kinds_in_file(path)
    if utf8_line and other_line:
        raise EncodingError(
            f"{name}: mixed text encodings (line {utf8_line} is UTF-8, line {other_line} is not); "
            "re-save the file as UTF-8, or use --encoding mixed to read each line on its own"
        )
    codec = _legacy_in_file(path, head)
    if codec is None:
        raise EncodingError(f"{name}: not UTF-8, cp1252 or cp1250 text; try --encoding (e.g. --encoding latin-1)")
    return Encoded(codec, False)


def head_text(path: str, encoded: Encoded, chars: int = 65536) -> str:
    """The start of the text, as the whole-file reader samples it for the delimiter and line endings.

    UTF-8 is sampled as the first `chars` bytes (what the fast reader looks at), other codecs as the
    first `chars` characters.
    """
    with open(path, "rb") as handle:
        handle.seek(encoded.skip)
        raw = handle.read(chars * 4 + 4)
    if encoded.encoding == "utf-8":
        return raw[:chars].decode("utf-8", errors="ignore")
    return codecs.getincrementaldecoder(encoded.encoding)("ignore").decode(raw, final=False)[:chars]
