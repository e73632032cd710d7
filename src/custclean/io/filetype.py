"""What a file really is, from its first bytes: text, an xlsx or xls workbook, or something else.

People rename files, and web apps export HTML with an .xls name; checking the bytes first turns
"cannot parse" into "this is a PNG image" or "this is an Excel workbook; rename it .xlsx".
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

# Leading bytes -> what a person would call the file. Zip and OLE containers are looked into further.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program (ELF)"),
    (b"{\\rtf", "an RTF document"),
)
# Zip members that tell which Office/OpenDocument format a zip holds.
_ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("xl/", "xlsx"),
    ("word/", "a Word document"),
    ("ppt/", "a PowerPoint presentation"),
)


class Kind(StrEnum):
    """The formats custclean reads, and "other" for everything it refuses."""

    TEXT = "text"
    XLSX = "xlsx"
    XLS = "xls"
    ENCRYPTED = "encrypted"
    DAMAGED = "damaged"
    OTHER = "other"


@dataclass(frozen=True)
class FileType:
    """A file's real kind; `what` names it in an error message ("a PNG image"), `hint` says what to do."""

    kind: Kind
    what: str
    hint: str = ""


def _zip_type(source: str | io.BytesIO) -> FileType:
    try:
        with zipfile.ZipFile(source) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return FileType(Kind.DAMAGED, "a damaged zip archive")
    if "mimetype" in names and any(n == "content.xml" for n in names):
        return FileType(Kind.OTHER, "an OpenDocument file (.ods/.odt)", "save it as .xlsx or .csv")
    for prefix, what in _ZIP_KINDS:
        if any(n.startswith(prefix) for n in names):
            return FileType(Kind.XLSX, "an Excel workbook (.xlsx)") if what == "xlsx" else FileType(Kind.OTHER, what)
    return FileType(Kind.OTHER, "a zip archive")


def _ole_type(data: bytes) -> FileType:
    if _ENCRYPTED_STREAM in data:
        return FileType(Kind.ENCRYPTED, "a password-protected Office file")
    return FileType(Kind.XLS, "an Excel 97-2003 workbook (.xls)")


def _markup_type(head: bytes) -> FileType | None:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<html", b"<!doctype html", b"<table")):
        return FileType(Kind.OTHER, "an HTML page", "open it in Excel and save it as .xlsx")
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head[:4096].lower():
        return FileType(Kind.OTHER, "an Excel 2003 XML spreadsheet", "open it in Excel and save it as .xlsx")
    return None


def sniff_type(head: bytes, path: str | None = None, read_all: bytes | None = None) -> FileType:
    """The real kind of a file from its first bytes (`head`); zips are opened (from `path`) to look inside.

    `read_all` is the whole content when it is already in memory (stdin); OLE files need it to tell a
    password-protected workbook from an old .xls.
    """
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if read_all is not None or path is None:
            return _zip_type(io.BytesIO(read_all if read_all is not None else head))
        return _zip_type(path)
    if head.startswith(OLE_MAGIC):
        if read_all is None and path is not None:
            with open(path, "rb") as handle:
                read_all = handle.read()
        return _ole_type(read_all if read_all is not None else head)
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return FileType(Kind.OTHER, what)
    return _markup_type(head) or FileType(Kind.TEXT, "a text file")
