"""Write the small files of the bad-input corpus (tests/data/bad/); big ones are made inside the tests.

Run: python tests/data/bad/make_bad.py. The password-protected workbook needs msoffcrypto-tool, which is
not a custclean dependency: `pip install --target /tmp/msoff msoffcrypto-tool` and set PYTHONPATH=/tmp/msoff;
without it the committed encrypted.xlsx is kept as is.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "ID,Prénom,Nom,Email,Téléphone\n"
ROW = "C1,Hélène,Lefèvre,helene@example.fr,06 12 34 56 78\n"


def png() -> bytes:
    """A real 1x1 PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(
        b"IEND", b"")


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xxe_xlsx() -> bytes:
    """A workbook whose sheet XML declares an external entity pointing at /etc/passwd."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["Nom", "Email"], ["Dupont", "a@b.fr"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(
                    b"<worksheet ", b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet ', 1
                ).replace(b"Dupont", b"&xxe;")
            target.writestr(info, body)
    return out.getvalue()


def forged_sizes_xlsx() -> bytes:
    """A small workbook whose zip directory declares a 3 GiB sheet: refused before anything expands."""
    data = bytearray(xlsx([["Nom"], ["Dupont"]]))
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:           # central directory entries
        name_len = struct.unpack_from("<H", data, start + 28)[0]
        name = bytes(data[start + 46: start + 46 + name_len])
        if name == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, start + 24, 3_000_000_000)   # uncompressed size
        start += 4
    return bytes(data)


def encrypted_xlsx(plain: bytes) -> bytes | None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return None
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("secret", encrypted)
    return encrypted.getvalue()


FILES: dict[str, bytes] = {
    "empty.csv": b"",
    "blank_lines.csv": b"\n\n  \n",
    "header_only.csv": HEADER.encode(),
    "ragged_long.csv": (HEADER + ROW + "C2,Jean,Dupont,jean@example.fr,06 98 76 54 32,extra\n" + ROW).encode(),
    "ragged_short.csv": (HEADER + ROW + "C2,Jean,Dupont\n").encode(),
    "unclosed_quote.csv": (HEADER + ROW + 'C2,"Jean,Dupont,jean@example.fr,06 98 76 54 32\n' + ROW * 3).encode(),
    "nul_bytes.csv": (HEADER + ROW).encode() + b"C2,Jean\x00\x00,Dupont,,\n",
    "duplicate_headers.csv": b"ID,Nom,Email,Nom\n1,Dupont,a@b.fr,Martin\n",
    "no_header_names.csv": b",,,\n1,2,3,4\n",
    "mixed_encoding.csv": (HEADER + ROW).encode() + "C2,Jérôme,Müller,j@example.de,\n".encode("cp1252"),
    "not_utf8_forced.csv": (HEADER + ROW).encode("cp1252"),
    "image.csv": png(),
    "page.xls": b"<html><body><table><tr><td>Nom</td></tr><tr><td>Dupont</td></tr></table></body></html>\n",
    "text.xlsx": (HEADER + ROW).encode(),
    "workbook.csv": xlsx([["Nom", "Email"], ["Dupont", "a@b.fr"]]),
    "corrupt.xlsx": xlsx([["Nom", "Email"], ["Dupont", "a@b.fr"]])[:1500],
    "xxe.xlsx": xxe_xlsx(),
    "zipbomb_declared.xlsx": forged_sizes_xlsx(),
    "archive.xlsx": b"",   # filled below: a zip without a workbook in it
}


def main() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    FILES["archive.xlsx"] = buffer.getvalue()
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    encrypted = encrypted_xlsx(xlsx([["Nom"], ["Dupont"]]))
    if encrypted is not None:
        (HERE / "encrypted.xlsx").write_bytes(encrypted)
    elif not (HERE / "encrypted.xlsx").exists():
        sys.exit("encrypted.xlsx needs msoffcrypto-tool (see the docstring)")


if __name__ == "__main__":
    main()
