"""The bad-input corpus: each file gives exit 2 and one stderr line, writes nothing, and leaves the input alone.

Decisions recorded here: a header-only file is a valid empty list (zero rows, exit 0); a 10 MB cell and
5,000 columns are processed (no size limit: pandas' C parser takes them; only xlsx output refuses cells over
Excel's 32,767 characters); a file mixing UTF-8 and cp1252 lines is refused unless --encoding mixed.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from custclean.cli import app
from custclean.errors import CustcleanError
from custclean.io import read_table, write_table

BAD = Path(__file__).resolve().parent / "data" / "bad"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ZIP_BOMB = "refusing a workbook that expands to {} MiB (more than 1,024 MiB, or over 100:1); it looks like a zip bomb"

# file in tests/data/bad (or made by a test) -> extra flags, the message after "custclean: {path}: "
CASES: dict[str, tuple[list[str], str]] = {
    "empty.csv": ([], "empty file (no header line)"),
    "blank_lines.csv": ([], "empty file (no header line)"),
    "ragged_long.csv": ([], "line 3 has 6 fields but the header has 5; quote values that contain the delimiter, "
                            "or check --delimiter"),
    "unclosed_quote.csv": ([], "unclosed quote in the record starting on line 3; close the quote or remove it"),
    "nul_bytes.csv": ([], "line 3 contains NUL bytes; this is not a text CSV file"),
    "image.csv": ([], "not a CSV or Excel file (it is a PNG image)"),
    "page.xls": ([], "not a CSV or Excel file (it is an HTML page); open it in Excel and save it as .xlsx"),
    "text.xlsx": ([], "not an Excel workbook but a text file; if it is a CSV, rename it .csv"),
    "workbook.csv": ([], "is an Excel workbook (.xlsx), not a CSV file; rename it .xlsx"),
    "corrupt.xlsx": ([], "damaged Excel file (not a valid zip archive); re-save it from Excel"),
    "archive.xlsx": ([], "not a CSV or Excel file (it is a zip archive)"),
    "encrypted.xlsx": ([], "is password-protected; open it in Excel and save a copy without a password"),
    "xxe.xlsx": ([], "the workbook declares XML entities (DOCTYPE), which Excel never writes; refusing it for safety"),
    "zipbomb_declared.xlsx": ([], ZIP_BOMB.format("2,861")),
    "duplicate_headers.csv": ([], "duplicate column name 'Nom' in the header; rename one of them"),
    "no_header_names.csv": ([], "the first line has no column names"),
    "mixed_encoding.csv": ([], "mixed text encodings (line 1 is UTF-8, line 3 is not); re-save the file as UTF-8, "
                               "or use --encoding mixed to read each line on its own"),
    "not_utf8_forced.csv": (["--encoding", "utf-8"], "line 1 is not utf-8; try another --encoding"),
    "header_only.csv": (["--encoding", "klingon"], "unknown encoding 'klingon'; try utf-8, cp1252, cp1250 or latin-1"),
    "clienti_ro.xlsx": (["--sheet", "Nope"], "no sheet 'Nope' (sheets: Clienți); use --sheet NAME or a 0-based index"),
    "missing.csv": ([], "no such file"),
    "folder.csv": ([], "is a folder, not a file"),
    "ratio_bomb.xlsx": ([], ZIP_BOMB.format("64")),
}


def _make(name: str, folder: Path) -> Path:
    """Copy a corpus file into `folder`, or build the cases that are not files in the corpus."""
    path = folder / name
    if (BAD / name).exists():
        shutil.copyfile(BAD / name, path)
    elif name == "clienti_ro.xlsx":
        shutil.copyfile(EXAMPLES / name, path)
    elif name == "folder.csv":
        path.mkdir()
    elif name == "ratio_bomb.xlsx":
        _ratio_bomb(path)
    return path


def _ratio_bomb(path: Path) -> None:
    """A real zip bomb in miniature: a 64 MiB sheet of spaces that deflates to ~64 KB."""
    shutil.copyfile(BAD / "workbook.csv", path)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet2.xml", "w") as member,
    ):
        for _ in range(64):
            member.write(b" " * (1 << 20))


def _run(args: list[str]):
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_one_line_and_exit_2(tmp_path, name):
    flags, message = CASES[name]
    folder = tmp_path / "in"
    folder.mkdir()
    path = _make(name, folder)
    before = path.read_bytes() if path.is_file() else None
    out = tmp_path / "out"
    out.mkdir()
    result = _run(["normalize", str(path), "-o", str(out / "clean.csv"), "--only", "text", "--report",
                   str(out / "report"), *flags])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"custclean: {path}: {message}"]
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert list(out.iterdir()) == []                      # no output, no report, no temp file
    assert (path.read_bytes() if path.is_file() else None) == before


OUTPUT_CASES = {
    "missing_folder": ("nope/clean.csv", "{out}: folder does not exist; nothing was written"),
    "parent_is_a_file": ("file.txt/clean.csv", "{out}: folder does not exist; nothing was written"),
    "output_is_a_folder": ("sub", "{out}: is a folder; give a file name; nothing was written"),
    "old_xls": ("clean.xls", "{out}: custclean writes .xlsx, not the old .xls format; name the output .xlsx"),
}


@pytest.mark.parametrize("case", sorted(OUTPUT_CASES))
def test_output_that_cannot_be_written(tmp_path, case):
    target, message = OUTPUT_CASES[case]
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    out = tmp_path / target
    result = _run(["normalize", str(EXAMPLES / "optouts.csv"), "-o", str(out), "--only", "text"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"custclean: {message.format(out=out)}"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.skipif(hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0,
                    reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    out = folder / "clean.csv"
    result = _run(["normalize", str(EXAMPLES / "optouts.csv"), "-o", str(out), "--only", "text"])
    folder.chmod(0o700)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"custclean: {out}: cannot write (Permission denied); nothing was written"]
    assert list(folder.iterdir()) == []


def _normalize_ok(tmp_path: Path, source: Path) -> tuple[object, Path]:
    out = tmp_path / "clean.csv"
    result = _run(["normalize", str(source), "-o", str(out), "--only", "text", "-q"])
    assert result.exit_code == 0, result.output
    return result, out


def test_header_only_is_a_valid_empty_list(tmp_path):
    _, out = _normalize_ok(tmp_path, BAD / "header_only.csv")
    assert out.read_bytes() == (BAD / "header_only.csv").read_bytes()


def test_short_rows_are_padded_not_refused(tmp_path):
    _, out = _normalize_ok(tmp_path, BAD / "ragged_short.csv")
    assert out.read_text(encoding="utf-8").splitlines()[-1] == "C2,Jean,Dupont,,"


def test_ten_megabyte_cell_is_processed(tmp_path):
    source = tmp_path / "big_cell.csv"
    big = "Lorem ipsum — ễ ş " * 600_000
    source.write_text(f"Nom,Email,Notes\nDupont,a@b.fr,{big}\nMartin,,court\n", encoding="utf-8")
    assert source.stat().st_size > 10_000_000
    out = tmp_path / "clean.csv"
    result = _run(["normalize", str(source), "-o", str(out), "--only", "email", "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == source.read_bytes()


def test_five_thousand_columns_are_processed(tmp_path):
    source = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(5000))
    rows = "\n".join(",".join(f"v{r}_{i}" for i in range(5000)) for r in range(3))
    source.write_text(f"{header}\n{rows}\n", encoding="utf-8")
    table = read_table(source)
    assert (len(table), len(table.columns)) == (3, 5000)
    assert table.frame.iloc[2, 4999] == "v2_4999"
    write_table(table, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes() == source.read_bytes()


def test_mixed_encoding_is_read_with_encoding_mixed(tmp_path):
    out = tmp_path / "clean.csv"
    result = _run(["normalize", str(BAD / "mixed_encoding.csv"), "-o", str(out), "--only", "text", "--encoding",
                   "mixed", "-q"])
    assert result.exit_code == 0, result.output
    assert "C2,Jérôme,Müller" in out.read_text(encoding="utf-8-sig")


def test_calamine_itself_does_not_resolve_external_entities():
    """Even without custclean's DOCTYPE check, the reader refuses the entity instead of reading /etc/passwd."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(BAD / "xxe.xlsx")).get_sheet_by_index(0).to_python()
    except CalamineError:
        return
    assert "root:" not in repr(rows)


def test_forged_zip_sizes_are_refused_before_anything_expands(tmp_path):
    with zipfile.ZipFile(BAD / "zipbomb_declared.xlsx") as archive:
        declared = {i.filename: i.file_size for i in archive.infolist()}
    assert declared["xl/worksheets/sheet1.xml"] == 3_000_000_000
    data = (BAD / "zipbomb_declared.xlsx").read_bytes()
    assert len(data) < 10_000
    assert struct.unpack_from("<I", data, 0)[0] == 0x04034B50


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_readers_raise_only_custclean_errors_on_random_bytes(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        table = read_table(path)
    except CustcleanError as exc:
        message = str(exc)
    else:
        message = ""
        assert all(isinstance(v, str) for v in table.frame.to_numpy().ravel())
    assert "\n" not in message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), start=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
def test_readers_survive_random_bytes_behind_office_magic(tmp_path, data, start):
    path = tmp_path / "random.xlsx"
    path.write_bytes(start + data)
    with pytest.raises(CustcleanError):
        read_table(path)
