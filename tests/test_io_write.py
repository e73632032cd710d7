"""Writing: round trips byte for byte, format by extension, encoding fallback, --in-place backups, modes."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import custclean as cc
from custclean.config import OutputOptions
from custclean.errors import OutputError
from custclean.io import csv as csv_io
from custclean.io import read_table, write_table
from custclean.table import SourceInfo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ROWS = [
    ["ID", "Prénom", "Nom", "Téléphone", "Code postal", "Adresse", "Notes"],
    ["007", "Hélène", "Lefèvre", "06 12 34 56 78", "06000", "12, rue de la Paix", "NA"],
    ["008", "Jérôme", "Bœuf", "+33 (0)7 81 22 33 44", "01000", 'dit "Jéjé"', ""],
    ["009", "Zoë", "Müller-Straße", "0033612345678", "75011", "Bât. B\nEsc. 2", "null"],
]


def _csv_text(delimiter: str, newline: str) -> str:
    def cell(value: str) -> str:
        special = delimiter in value or '"' in value or "\n" in value
        return '"' + value.replace('"', '""') + '"' if special else value

    return "".join(delimiter.join(cell(v) for v in row) + newline for row in ROWS)


ROUND_TRIPS = {
    "utf-8": _csv_text(",", "\n").encode("utf-8"),
    "utf-8-bom": b"\xef\xbb\xbf" + _csv_text(",", "\r\n").encode("utf-8"),
    "cp1252-semicolon-crlf": _csv_text(";", "\r\n").encode("cp1252"),
    "utf-16-le-bom-tab": b"\xff\xfe" + _csv_text("\t", "\r\n").encode("utf-16-le"),
    "utf-16-be-bom-tab": b"\xfe\xff" + _csv_text("\t", "\n").encode("utf-16-be"),
    "pipe": _csv_text("|", "\n").encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_csv_round_trip_is_byte_identical(tmp_path, name):
    source = tmp_path / f"{name}.csv"
    source.write_bytes(ROUND_TRIPS[name])
    target = tmp_path / "out.csv"
    write_table(read_table(source), target)
    assert target.read_bytes() == ROUND_TRIPS[name]


@pytest.mark.parametrize("name", ["customers_multilang.csv", "clients_fr_cp1252.csv", "optouts.csv"])
def test_example_files_round_trip_byte_identical(tmp_path, name):
    target = tmp_path / name
    write_table(read_table(EXAMPLES / name), target)
    assert target.read_bytes() == (EXAMPLES / name).read_bytes()


def test_blank_header_cell_is_written_back_blank(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(b"Nom,,Email\nDupont,VIP,a@b.fr\n")
    write_table(read_table(source), tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes() == source.read_bytes()


def _typed_workbook(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Clienți"
    workbook.active.append(["Nume", "Telefon", "Cod poștal", "Data nașterii", "Notă"])
    workbook.active.append(["Popescu", 40721123456, 10011, dt.datetime(1985, 3, 12), "=1+2"])
    workbook.active.append(["Ţăranu", 721123456, "010011", dt.date(1990, 1, 31), ""])
    workbook.save(path)


def test_xlsx_round_trip_keeps_the_cells(tmp_path):
    _typed_workbook(tmp_path / "in.xlsx")
    first = read_table(tmp_path / "in.xlsx")
    write_table(first, tmp_path / "out.xlsx")
    second = read_table(tmp_path / "out.xlsx")
    assert second.frame.equals(first.frame)
    assert second.source.sheet == "Clienți"
    assert first.frame["Telefon"].tolist() == ["40721123456", "721123456"]


def test_xlsx_output_cells_are_all_text(tmp_path):
    from openpyxl import load_workbook

    _typed_workbook(tmp_path / "in.xlsx")
    write_table(read_table(tmp_path / "in.xlsx"), tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells} == {"s"}           # "=1+2" too: stored as text, never a live formula
    assert sheet["C3"].value == "010011"


def test_output_format_follows_the_extension(tmp_path):
    table = read_table(EXAMPLES / "clients_fr_cp1252.csv")
    write_table(table, tmp_path / "out.xlsx")
    back = read_table(tmp_path / "out.xlsx")
    assert back.frame.equals(table.frame)
    assert back.columns == table.columns
    written = write_table(back, tmp_path / "again.csv")
    assert (written.encoding, written.bom, written.delimiter) == ("utf-8", True, ",")
    assert read_table(tmp_path / "again.csv").frame.equals(table.frame)


def test_no_extension_keeps_the_input_format(tmp_path):
    written = write_table(read_table(EXAMPLES / "clients_fr_cp1252.csv"), tmp_path / "out")
    assert (written.format, written.encoding, written.delimiter) == ("csv", "cp1252", ";")


def test_value_outside_the_code_page_falls_back_to_utf8_with_bom_and_a_warning(tmp_path):
    table = cc.read(EXAMPLES / "clients_fr_cp1252.csv")
    frame = table.frame.copy()
    frame.loc[1, "Nom"] = "Nguyễn"
    written, warnings = cc.write(replace(table, frame=frame), tmp_path / "out.csv")
    assert (written.encoding, written.bom, written.delimiter) == ("utf-8", True, ";")
    assert warnings == [f"{tmp_path / 'out.csv'}: some values cannot be written in cp1252; wrote UTF-8 with BOM"]
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbfCivilit\xc3\xa9;")


def test_added_columns_go_at_the_end_and_headers_keep_their_text(tmp_path):
    table = read_table(EXAMPLES / "customers_multilang.csv")
    edits = pd.DataFrame({"row": [1], "column": ["email_2"], "old": [""], "new": ["x@y.fr"], "rule": ["t"]})
    write_table(table.apply(edits), tmp_path / "out.csv")
    header = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "ID,Prénom,Nom,Email,Téléphone,Société,Adresse,Code postal,Ville,Pays,Date de naissance," \
                     "Inscrit le,Sexe,Désinscrit,Notes,email_2"


def test_refuses_to_overwrite_the_input_without_in_place(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_bytes((EXAMPLES / "optouts.csv").read_bytes())
    table = cc.read(source)
    with pytest.raises(OutputError, match="is the input file; use --in-place"):
        cc.write(table, source)


def test_in_place_keeps_timestamped_backups(tmp_path):
    source = tmp_path / "clients.csv"
    original = (EXAMPLES / "optouts.csv").read_bytes()
    source.write_bytes(original)
    config = cc.Config().override(output={"in_place": True, "keep_backups": 2})
    for _ in range(4):
        _, warnings = cc.write(cc.read(source), source, config)
    backups = sorted(tmp_path.glob("clients.csv.*.bak"))
    assert len(backups) == 2
    assert warnings == [f"backup of the previous version kept as {backups[-1].name}"]
    assert backups[0].read_bytes() == original
    assert source.read_bytes() == original


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_outputs_reports_and_backups_are_private(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_bytes((EXAMPLES / "optouts.csv").read_bytes())
    os.chmod(source, 0o644)
    result = cc.normalize(cc.read(source), cc.Config().override(normalize={"only": ("text",)}))
    cc.write(result.table, tmp_path / "out.csv")
    cc.write(result.table, tmp_path / "out.xlsx")
    cc.write(result.table, source, cc.Config().override(output={"in_place": True}))
    reports = cc.write_reports(result, tmp_path / "report")
    backup = next(tmp_path.glob("clients.csv.*.bak"))
    assert {p.name: _mode(p) for p in [tmp_path / "out.csv", tmp_path / "out.xlsx", backup, *reports]} == {
        p.name: 0o600 for p in [tmp_path / "out.csv", tmp_path / "out.xlsx", backup, *reports]
    }
    assert _mode(tmp_path / "report") == 0o700


def test_xlsx_refuses_what_a_cell_cannot_hold(tmp_path):
    table = read_table(EXAMPLES / "optouts.csv")
    frame = table.frame.copy()
    frame.loc[3, "reason"] = "bell\x07"
    with pytest.raises(OutputError, match=r"row 3, column 'reason' has control characters"):
        write_table(replace(table, frame=frame), tmp_path / "out.xlsx")
    frame.loc[3, "reason"] = "x" * 40_000
    with pytest.raises(OutputError, match=r"row 3, column 'reason' has more than 32,767 characters"):
        write_table(replace(table, frame=frame), tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_old_xls_output_is_refused(tmp_path):
    with pytest.raises(OutputError, match=r"writes .xlsx, not the old .xls format"):
        write_table(read_table(EXAMPLES / "optouts.csv"), tmp_path / "out.xls", OutputOptions())


# The output writer builds rows itself for text tables: the bytes must be pandas' to_csv bytes, in any dialect.
CELL = st.one_of(
    st.sampled_from([r[i] for r in ROWS for i in range(len(r))] + [
        "Nguyễn Văn\r\nAn", "Ștefan; Ionescu", "tab\there", "pipe|x", 'say "hi"', "\r", "", " ", "a\x00b", "Đỗ",
    ]),
    st.text(alphabet=st.sampled_from(list(",;|\t\"\r\n aé0+=")), max_size=6),
)


@st.composite
def text_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, SourceInfo]:
    width, rows = draw(st.integers(1, 5)), draw(st.integers(0, 7))
    headers = [f"Col{i}" + draw(st.sampled_from(["", ",", ";", " é", '"q"'])) for i in range(width)]
    frame = pd.DataFrame({h: draw(st.lists(CELL, min_size=rows, max_size=rows)) for h in headers}, dtype=object)
    how = SourceInfo(path="in.csv", format="csv", encoding="utf-8", delimiter=draw(st.sampled_from(",;\t|")),
                     line_terminator=draw(st.sampled_from(["\n", "\r\n", "\r"])), headers=tuple(headers))
    return frame, how


@settings(max_examples=150, deadline=None)
@given(text_tables())
def test_text_tables_are_written_as_pandas_writes_them(tmp_path_factory, drawn):
    frame, how = drawn
    target = tmp_path_factory.mktemp("w") / "out.csv"
    write_table(cc.Table(frame, source=how), target)
    expected = frame.to_csv(sep=how.delimiter, index=False, lineterminator=how.line_terminator,
                            quoting=csv.QUOTE_MINIMAL, quotechar='"')
    assert target.read_bytes() == expected.encode("utf-8")


def test_a_big_table_is_written_in_chunks_as_one(tmp_path, monkeypatch):
    """Several chunks of rows, and a column that is not text (pandas writes that table), give the same file."""
    monkeypatch.setattr(csv_io, "WRITE_ROWS", 2)
    frame = pd.DataFrame([r for r in ROWS[1:] * 3], columns=ROWS[0], dtype=object)
    how = SourceInfo(path="in.csv", format="csv", encoding="cp1252", delimiter=";", line_terminator="\r\n",
                     headers=tuple(ROWS[0]))
    with monkeypatch.context() as patched:     # a text table never goes through pandas' writer
        patched.setattr(pd.DataFrame, "to_csv", lambda *a, **k: pytest.fail("pandas wrote a text table"))
        write_table(cc.Table(frame, source=how), tmp_path / "text.csv")
    mixed = frame.assign(Notes=[None, 1.5, "x"] * 3)
    write_table(cc.Table(mixed, source=how), tmp_path / "mixed.csv")
    text = (tmp_path / "text.csv").read_bytes().decode("cp1252")
    assert text == frame.to_csv(sep=";", index=False, lineterminator="\r\n")
    assert text.count("\r\n") == 10
    assert '"Bât. B\nEsc. 2"' in text
    assert (tmp_path / "mixed.csv").read_bytes().decode("cp1252") == mixed.to_csv(
        sep=";", index=False, lineterminator="\r\n")
