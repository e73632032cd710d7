"""Reading: encodings, delimiters, cells as text, ragged rows, stdin, Excel cells as a person sees them."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest

import custclean as cc
from custclean.config import InputOptions
from custclean.errors import EncodingError, InputError
from custclean.io import read_table
from custclean.io.sniff import legacy_codec, sniff_delimiter

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FR_ROWS = "Prénom;Nom;Ville\nLoïc;Cœurdacier;Saint-Étienne\nHélène;Lefèvre;Orléans\nJérôme;Bérégovoy;Nîmes\n"
RO_ROWS = "Prenume;Nume;Localitate\nŞtefan;Ţăranu;Bucureşti\nIoana;Stănescu;Timişoara\nMihai;Niţă;Constanţa\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        ("Nom,Ville\nNguyễn,Hà Nội\n".encode(), "utf-8", False),
        (b"\xef\xbb\xbf" + "Nom,Ville\nNguyễn,Hà Nội\n".encode(), "utf-8", True),
        (b"\xff\xfe" + "Nom\tVille\nNguyễn\tHà Nội\n".encode("utf-16-le"), "utf-16-le", True),
        (b"\xfe\xff" + "Nom\tVille\nNguyễn\tHà Nội\n".encode("utf-16-be"), "utf-16-be", True),
        ("Nom\tVille\nNguyễn\tHà Nội\n".encode("utf-16-le"), "utf-16-le", False),   # no BOM
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-no-bom"],
)
def test_unicode_encodings(tmp_path, data, encoding, bom):
    table = read_table(_write(tmp_path, "t.csv", data))
    assert (table.source.encoding, table.source.bom) == (encoding, bom)
    assert table.columns == ["Nom", "Ville"]
    assert table.frame.iloc[0].tolist() == ["Nguyễn", "Hà Nội"]


def test_small_french_cp1252_file_is_cp1252_not_cp1250(tmp_path):
    table = read_table(_write(tmp_path, "fr.csv", FR_ROWS.encode("cp1252")))
    assert table.source.encoding == "cp1252"
    assert table.frame["Prénom"].tolist() == ["Loïc", "Hélène", "Jérôme"]
    assert table.frame["Nom"].tolist() == ["Cœurdacier", "Lefèvre", "Bérégovoy"]


def test_romanian_cp1250_file_is_cp1250(tmp_path):
    table = read_table(_write(tmp_path, "ro.csv", RO_ROWS.encode("cp1250")))
    assert table.source.encoding == "cp1250"
    assert table.frame["Localitate"].tolist() == ["Bucureşti", "Timişoara", "Constanţa"]
    assert table.frame["Nume"].tolist() == ["Ţăranu", "Stănescu", "Niţă"]


def test_the_french_example_export_is_cp1252():
    table = cc.read(EXAMPLES / "clients_fr_cp1252.csv")
    assert (table.source.encoding, table.source.delimiter, table.source.line_terminator) == ("cp1252", ";", "\r\n")
    assert len(table) == 60
    assert "Hélène" in table.frame["Prénom"].str.strip().tolist()


@pytest.mark.parametrize(
    ("text", "codec"),
    [("Loïc Cœur à Noël, Zoé, Gaëlle", "cp1252"), ("Ştefan Ţăranu, Bucureşti, Niţă", "cp1250"),
     ("Straße, Müller, Größe", "cp1252"), ("García, Muñoz, 3º B, nº 12", "cp1252")],
)
def test_legacy_codec_choice(text, codec):
    assert legacy_codec(text.encode(codec)) == codec


def test_encoding_override(tmp_path):
    path = _write(tmp_path, "ro.csv", RO_ROWS.encode("cp1250"))
    forced = read_table(path, InputOptions(encoding="iso-8859-2"))
    assert forced.source.encoding == "iso8859-2"
    assert forced.frame["Prenume"].iloc[0] == "Ştefan"
    with pytest.raises(EncodingError, match=r"ro.csv: line 2 is not utf-8; try another --encoding"):
        read_table(path, InputOptions(encoding="utf-8"))


def test_utf8_override_keeps_the_bom(tmp_path):
    table = read_table(_write(tmp_path, "b.csv", b"\xef\xbb\xbfNom\nA\n"), InputOptions(encoding="utf-8"))
    assert (table.columns, table.source.bom) == (["Nom"], True)


def test_mixed_encodings_are_refused_then_read_line_by_line_on_request(tmp_path):
    data = "Nom,Ville\nNguyễn,Hà Nội\n".encode() + "Müller,Köln\n".encode("cp1252")
    path = _write(tmp_path, "mixed.csv", data)
    with pytest.raises(EncodingError, match=r"line 2 is UTF-8, line 3 is not.*--encoding mixed"):
        read_table(path)
    table = read_table(path, InputOptions(encoding="mixed"))
    assert table.frame["Ville"].tolist() == ["Hà Nội", "Köln"]
    assert table.source.encoding == "utf-8"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    rows = [["Nom", "Adresse", "CP"], ["Dupont", "Flat 2, 33 Victoria Road", "06000"], ["Martin", "5 rue X", "75011"]]
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter == "," and "," in c else c for c in r) for r in rows)
    table = read_table(_write(tmp_path, "d.csv", (text + "\n").encode()))
    assert table.source.delimiter == delimiter
    assert table.frame["Adresse"].iloc[0] == "Flat 2, 33 Victoria Road"


def test_semicolon_file_with_unquoted_commas_in_values():
    text = "Nom;Adresse;Ville\nDupont;12, rue de la Paix;Paris\nMartin;3, av. Foch, bât. B;Lyon\n"
    assert sniff_delimiter(text) == ";"


@pytest.mark.parametrize("option", ["tab", "\\t", "\t", "TAB"])
def test_delimiter_option_accepts_tab(tmp_path, option):
    path = _write(tmp_path, "t.txt", b"a,b\tc\n1,2\t3\n")
    table = read_table(path, InputOptions(delimiter=option))
    assert table.columns == ["a,b", "c"]


def test_cells_stay_exactly_as_written(tmp_path):
    text = (
        'ID,Zip,Note,Phone,Empty\n007,02134,NA,0033 6 12 34 56 78,\n008,2134,null, +1 (617) 482-3310 ,\n'
        '009,N/A,"",1e5,\n'
    )
    table = read_table(_write(tmp_path, "t.csv", text.encode()))
    assert table.frame.to_dict("list") == {
        "ID": ["007", "008", "009"], "Zip": ["02134", "2134", "N/A"], "Note": ["NA", "null", ""],
        "Phone": ["0033 6 12 34 56 78", " +1 (617) 482-3310 ", "1e5"], "Empty": ["", "", ""],
    }
    assert table.frame.index.tolist() == [1, 2, 3]
    assert all(isinstance(v, str) for v in table.frame.to_numpy().ravel())


def test_short_rows_are_padded(tmp_path):
    table = read_table(_write(tmp_path, "t.csv", b"a,b,c\n1,2\n3\n4,5,6\n"))
    assert table.frame.to_numpy().tolist() == [["1", "2", ""], ["3", "", ""], ["4", "5", "6"]]


def test_header_only_file_is_zero_rows(tmp_path):
    table = read_table(_write(tmp_path, "h.csv", "Prénom,Nom,Email\n".encode()))
    assert len(table) == 0
    assert table.columns == ["Prénom", "Nom", "Email"]


def test_blank_header_cell_gets_a_placeholder(tmp_path):
    table = read_table(_write(tmp_path, "t.csv", b"Nom,,Email\nDupont,VIP,a@b.fr\n"))
    assert table.columns == ["Nom", "(column 2)", "Email"]
    assert table.source.headers == ("Nom", "", "Email")


def test_multiline_quoted_cell(tmp_path):
    table = read_table(_write(tmp_path, "t.csv", b'Nom,Adresse\nDupont,"12 rue X\nBat. B"\nMartin,Y\n'))
    assert table.frame["Adresse"].tolist() == ["12 rue X\nBat. B", "Y"]


def test_stdin(monkeypatch):
    data = "Nom;Ville\nNguyễn;Hà Nội\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    table = read_table("-")
    assert (table.source.name, table.source.delimiter) == ("<stdin>", ";")
    assert table.frame.iloc[0].tolist() == ["Nguyễn", "Hà Nội"]


def test_stdin_can_be_a_workbook(monkeypatch):
    data = (EXAMPLES / "clienti_ro.xlsx").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert len(read_table("-")) == 50


def _xlsx(tmp_path: Path, rows: list[list[object]], sheets: dict[str, list[list[object]]] | None = None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Clients"
    for row in rows:
        workbook.active.append(row)
    for title, extra in (sheets or {}).items():
        sheet = workbook.create_sheet(title)
        for row in extra:
            sheet.append(row)
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    return path


def test_excel_cells_as_a_person_sees_them(tmp_path):
    path = _xlsx(tmp_path, [
        ["Telefon", "Cod poștal", "Suma", "Data nașterii", "Ultima vizită", "Activ", "ID"],
        [33612345678, 1000, 12.5, dt.datetime(1985, 3, 12), dt.datetime(2024, 1, 2, 14, 30), True, "007"],
        [40721123456.0, 75011, 0.1 + 0.2, dt.date(2001, 2, 3), None, False, 42],
    ])
    table = read_table(path)
    assert table.frame.to_dict("list") == {
        "Telefon": ["33612345678", "40721123456"], "Cod poștal": ["1000", "75011"],
        "Suma": ["12.5", "0.3"], "Data nașterii": ["1985-03-12", "2001-02-03"],
        "Ultima vizită": ["2024-01-02 14:30:00", ""], "Activ": ["TRUE", "FALSE"], "ID": ["007", "42"],
    }
    assert (table.source.format, table.source.sheet) == ("xlsx", "Clients")


def test_excel_sheet_by_name_and_index(tmp_path):
    path = _xlsx(tmp_path, [["Nom"], ["Dupont"]], {"Export 2": [["Name"], ["Smith"], ["Jones"]]})
    assert read_table(path, InputOptions(sheet="Export 2")).frame["Name"].tolist() == ["Smith", "Jones"]
    assert read_table(path, InputOptions(sheet="1")).source.sheet == "Export 2"
    assert read_table(path, InputOptions(sheet="0")).frame["Nom"].tolist() == ["Dupont"]
    with pytest.raises(InputError, match=r"no sheet 'Nope' \(sheets: Clients, Export 2\)"):
        read_table(path, InputOptions(sheet="Nope"))


def test_excel_blank_rows_and_empty_unnamed_columns_are_dropped(tmp_path):
    path = _xlsx(tmp_path, [["Nom", "Email", None, None], [], ["Dupont", "a@b.fr", None, "note"], [None] * 4])
    table = read_table(path)
    assert table.columns == ["Nom", "Email", "(column 3)"]
    assert table.frame.to_numpy().tolist() == [["Dupont", "a@b.fr", "note"]]


def test_the_romanian_workbook_keeps_numbers_typed_by_excel():
    table = cc.read(EXAMPLES / "clienti_ro.xlsx")
    phones = table.frame["Telefon"]
    assert not phones.str.contains(r"\.0$|e\+", regex=True).any()
    assert phones.iloc[0] == "40749250725"
    assert table.frame["Data nașterii"].iloc[1] == "1984-04-14"
    assert "10011" in table.frame["Cod poștal"].tolist()   # Excel dropped the leading zero of 010011; kept as seen


def test_excel_file_read_by_content_whatever_its_extension(tmp_path):
    path = tmp_path / "export.dat"
    path.write_bytes((EXAMPLES / "clienti_ro.xlsx").read_bytes())
    assert read_table(path).source.sheet == "Clienți"
