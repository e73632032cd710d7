"""Chunked normalize/validate: the same output bytes and the same report rows as a whole-table run."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

import custclean as cc
from custclean import api
from custclean.cli import app

runner = CliRunner()

HEADER = ["ID", "Nom complet", "Email", "Téléphone", "Pays", "Date de naissance", "Ville", "Code postal"]
# Rows 1-10 hold only day/month-ambiguous dates and no country; row 17 proves the column is day-first.
ROWS = [
    ["C001", "Jean Dupont", "jean.dupont@orange.fr", "06 12 34 56 78", "", "03/04/1985", "Paris", "75002"],
    ["C002", "Ștefan Popescu", "stefan@yahoo", "0722 123 456", "", "05/06/1990", "București", "010063"],
    ["C003", "Nguyễn Văn An", "an@gmail.com", "0912 345 678", "", "01/02/1979", "Hà Nội", ""],
    ["C004", "Klaus Müller", "", "", "", "07/08/1965", "Berlin", "10117"],
    ["C005", "=HYPERLINK(\"x\")", "x@example.com", "+1 617 482 3310", "", "09/10/2001", "Boston", "02134"],
    ["C006", "María José García", "mj.garcia@hotmail.es", "612 34 56 78", "", "11/12/1988", "Sevilla", "41020"],
    ["C007", "Élodie Durand", "ELODIE@GMAIL.COM ", "01 23 45 67 89", "", "02/03/1992", "Lyon", "69001"],
    ["C008", "Ion Ionescu", "ion.ionescu@gmail.con", "0040 721 000 111", "", "04/05/1970", "Cluj", "400001"],
    ["C009", "Trần Thị Bình", "binh@vnn.vn", "+84 91 234 5678", "", "06/07/1999", "Huế", ""],
    ["C010", "Hans Schmidt", "hans@web.de", "030 1234567", "", "08/09/1955", "Berlin", "10115"],
    ["C011", "Dr. Anne Martin", "anne.martin@free.fr", "06 98 76 54 32", "France", "1980-01-31", "Nantes", "44000"],
    ["C002", "Stefan Popescu", "stefan.p@yahoo.ro", "0722 123 457", "România", "05/06/1990", "Iași", "700001"],
    ["C013", "Lucía Fernández", "lucia@gmail.com", "", "España", "", "Madrid", "28001"],
    ["C014", "Pierre \"Pierrot\" Leroy", "pierre@leroy.fr", "06 11 22 33 44", "FR", "12 mars 1985", "Lille", "59000"],
    ["C015", "Ana; Maria", "ana@maria.ro", "0733 000 111", "RO", "1991-13-01", "Timișoara", "300001"],
    ["C016", "Lê Văn Cường", "cuong@fpt.vn", "0987 654 321", "Việt Nam", "15/08/1945", "Sài Gòn", "700000"],
    ["C017", "Sophie Bernard", "sophie@bernard.fr", "06 55 44 33 22", "", "25/12/1990", "Nice", "06000"],
    ["C001", "Jean Dupont", "jean.dupont@orange.fr", "06 12 34 56 78", "France", "03/04/1985", "Paris", "75002"],
    ["C019", "Mme Claire Petit", "claire@petit.fr", "+33 6 01 02 03 04", "fr", "30/06/1975", "Rennes", "35000"],
    ["C020", "Gheorghe Hagi", "", "0744 555 666", "Romania", "05/02/1965", "Constanța", "900001"],
    ["C021", "Phạm Minh Châu", "chau@gmail.com", "", "VN", "20/10/2000", "Đà Nẵng", ""],
    ["C022", "Jürgen Weiß", "juergen@weiss.de", "+49 30 123456", "Deutschland", "31/01/1960", "München", "80331"],
]


def write_list(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",",
               newline: str = "\n", bom: bool = False) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        if bom:
            handle.write("\ufeff")
        writer = csv.writer(handle, delimiter=delimiter, lineterminator=newline)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def report_rows(path: Path) -> pd.DataFrame:
    """A report CSV's rows in a fixed order (chunks append them row by row, a whole run step by step)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)


def run(command: str, source: Path, out: Path, chunk_rows: int, *extra: str) -> Path:
    """Run a command writing everything under `out`; returns `out`."""
    out.mkdir()
    args = [command, str(source), "-o", str(out / "out.csv"), "--report", str(out / "report"),
            "--chunk-rows", str(chunk_rows), "-q", *extra]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return out


def assert_same_run(whole: Path, chunked: Path, files: tuple[str, ...], reports: tuple[str, ...]) -> None:
    for name in files:
        assert (chunked / name).read_bytes() == (whole / name).read_bytes(), name
    for name in reports:
        pd.testing.assert_frame_equal(report_rows(chunked / "report" / name), report_rows(whole / "report" / name))
    summary_whole = json.loads((whole / "report" / "summary.json").read_text(encoding="utf-8"))
    summary_chunked = json.loads((chunked / "report" / "summary.json").read_text(encoding="utf-8"))
    for key in ("rows_in", "rows_out", "edits", "findings", "columns"):
        assert summary_chunked[key] == summary_whole[key], key
    assert summary_chunked["stats"]["stream"]["chunks"] > 1
    assert "read in chunks" in (chunked / "report" / "report.html").read_text(encoding="utf-8")


def test_normalize_in_chunks_writes_what_a_whole_run_writes(tmp_path):
    source = write_list(tmp_path / "clients.csv", ROWS)
    whole = run("normalize", source, tmp_path / "whole", 0)
    chunked = run("normalize", source, tmp_path / "chunked", 7)
    assert_same_run(whole, chunked, ("out.csv",), ("changes.csv", "issues.csv"))
    out = pd.read_csv(chunked / "out.csv", dtype=str, keep_default_na=False)
    # Only row 17 (third chunk) proves day-first; row 1 (first chunk) is still read day-first.
    assert out.loc[0, "Date de naissance"] == "1985-04-03"
    # A title split off a name in the second chunk makes a column every chunk's rows have.
    assert list(out.columns) == [*HEADER, "title"]
    assert out.loc[10, "title"] == "Dr"
    assert out.loc[0, "title"] == ""
    assert out.loc[4, "Nom complet"].startswith("'=")


def test_validate_in_chunks_flags_duplicates_across_chunks(tmp_path):
    source = write_list(tmp_path / "clients.csv", ROWS)
    runs = []
    for name, rows in (("whole", 0), ("chunked", 5)):
        out = tmp_path / name
        out.mkdir()
        result = runner.invoke(app, [
            "validate", str(source), "-o", str(out / "out.csv"), "--report", str(out / "report"),
            "--quarantine", str(out / "held.csv"), "--incomplete", str(out / "todo.csv"), "--fail-on", "error",
            "--chunk-rows", str(rows), "-q"], catch_exceptions=False)
        assert result.exit_code == 1
        assert result.output.startswith("custclean: 6 finding(s) at or above 'error'")
        runs.append(out)
    assert_same_run(*runs, ("out.csv", "held.csv", "todo.csv"),
                    ("changes.csv", "issues.csv", "quarantine.csv", "incomplete.csv"))
    issues = report_rows(runs[1] / "report" / "issues.csv")
    # C001 (rows 1 and 18) and C002 (rows 2 and 12): every copy flagged, in whichever chunk it sits.
    assert sorted(issues.loc[issues["code"] == "id.duplicate", "row"].astype(int)) == [1, 2, 12, 18]
    held = pd.read_csv(runs[1] / "held.csv", dtype=str, keep_default_na=False)
    kept = pd.read_csv(runs[1] / "out.csv", dtype=str, keep_default_na=False)
    assert {"C001", "C002"} <= set(held["ID"])
    assert not {"C001", "C002"} & set(kept["ID"])
    assert len(kept) + len(held) == len(ROWS)


def test_cp1252_semicolon_crlf_file_round_trips_in_chunks(tmp_path):
    rows = [[c.replace("Ș", "S").replace("ș", "s").replace("ț", "t") for c in r] for r in ROWS
            if all(_fits(c, "cp1252") for c in r)]
    source = write_list(tmp_path / "clients.csv", rows, encoding="cp1252", delimiter=";", newline="\r\n")
    whole = run("normalize", source, tmp_path / "whole", 0)
    chunked = run("normalize", source, tmp_path / "chunked", 4)
    assert_same_run(whole, chunked, ("out.csv",), ("changes.csv", "issues.csv"))
    data = (chunked / "out.csv").read_bytes()
    assert data.count(b"\r\n") == len(rows) + 1
    assert b";" in data.split(b"\r\n")[0]
    assert "Müller".encode("cp1252") in data


def _fits(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_utf16_file_round_trips_in_chunks(tmp_path):
    source = write_list(tmp_path / "clients.csv", ROWS, encoding="utf-16-le", newline="\r\n", bom=True)
    whole = run("normalize", source, tmp_path / "whole", 0)
    chunked = run("normalize", source, tmp_path / "chunked", 9)
    assert_same_run(whole, chunked, ("out.csv",), ("changes.csv",))
    assert (chunked / "out.csv").read_bytes().startswith(b"\xff\xfeI\x00D\x00")


def test_which_inputs_are_read_in_chunks(tmp_path):
    source = write_list(tmp_path / "clients.csv", ROWS)
    config = cc.Config.load(None, input={"chunk_rows": 7})
    assert api.streamable(str(source), config, str(tmp_path / "out.csv"))
    assert not api.streamable(str(source), config, str(tmp_path / "out.xlsx"))
    assert not api.streamable(str(source), config, "-")
    assert not api.streamable("-", config)
    assert not api.streamable(str(source), cc.Config.load(None, input={"chunk_rows": 0}))
    assert not api.streamable(str(source), cc.Config.load(None, input={"chunk_rows": 50}))
    assert not api.streamable(str(source), cc.Config.load(None, input={"chunk_rows": 7, "encoding": "mixed"}))


def test_a_bad_row_late_in_the_file_leaves_nothing_written(tmp_path):
    lines = [",".join(HEADER)] + [",".join(r).replace(";", "") for r in (ROWS[:3] * 10)] + ["a,b,c,d,e,f,g,h,i,j"]
    source = tmp_path / "clients.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    messages = []
    for rows in (0, 7):
        out = tmp_path / f"out{rows}.csv"
        result = runner.invoke(app, ["normalize", str(source), "-o", str(out), "--chunk-rows", str(rows), "-q"])
        assert result.exit_code == 2
        assert not out.exists()
        messages.append(result.output.strip())
    assert messages[0] == messages[1] == f"custclean: {source}: line 32 has 10 fields but the header has 8; " \
        "quote values that contain the delimiter, or check --delimiter"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients.csv"]
