"""--highlight-changes: fills and comments on exactly the edited cells, every cell text, extra sheets."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from custclean.changes import ChangeLog
from custclean.findings import Findings, findings_frame
from custclean.report.xlsx import EDIT_FILL, write_highlighted_xlsx
from custclean.results import RunResult
from tests.conftest import make_table

ROWS = [
    {"ID": "007", "Prénom": "ȘTEFAN", "Nom": "Popescu", "Téléphone": "0721 234 567", "Pays": "Romania", "Notes": ""},
    {"ID": "008", "Prénom": "jean-pierre", "Nom": "DUPONT", "Téléphone": "06 12 34 56 78", "Pays": "Frnace",
     "Notes": "=1+2"},
    {"ID": "009", "Prénom": "Hoàng Nam", "Nom": "ĐỖ", "Téléphone": "0907670440", "Pays": "Hoa Kỳ", "Notes": "#N/A"},
    {"ID": "010", "Prénom": "Jürgen", "Nom": "Müller", "Téléphone": "", "Pays": "DE", "Notes": "VIP"},
]


def _edits(rows: list[tuple[int, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["row", "column", "old", "new", "rule"])


def _result() -> RunResult:
    """Steps edited some cells; row 4 was quarantined after an edit; row 2 was the survivor of a merge."""
    table = make_table(ROWS)
    log = ChangeLog()
    first = _edits([(1, "Prénom", "ȘTEFAN", "Ștefan", "name.case"), (2, "Pays", "Frnace", "FR", "country.typo"),
                    (3, "Pays", "Hoa Kỳ", "VN", "country.alias"), (4, "Nom", "Müller ", "Müller", "text.spaces")])
    second = _edits([(1, "Téléphone", "0721 234 567", "+40721234567", "phone.e164"),
                     (3, "Pays", "VN", "Vietnam", "country.name")])
    log.record(first, "normalize")
    log.record(second, "phone")
    output = table.frame.loc[[1, 2, 3]].copy()
    output.loc[1, "Prénom"], output.loc[1, "Téléphone"], output.loc[2, "Pays"] = "Ștefan", "+40721234567", "FR"
    output.loc[3, "Pays"] = "Vietnam"
    findings = Findings()
    findings.add(findings_frame([4, 2], ["Téléphone", "Nom"], ["", "DUPONT"], "error", ["required.contact",
                 "name.case"], ["needs a phone", "all capitals"]))
    clusters = pd.DataFrame({"cluster_id": ["c000001", "c000002", "c000002", "c000004"],
                             "probability": [1.0, 0.97, 0.97, 1.0]}, index=pd.Index([1, 2, 5, 4]))
    return RunResult(table=replace(table, frame=output), command="clean", input_rows=4, changes=log,
                     findings=findings, clusters=clusters)


def _highlighted(path: Path) -> dict[str, tuple[str, str]]:
    """Coordinate -> (value, comment) of every filled cell of the first sheet."""
    sheet = load_workbook(path).worksheets[0]
    found = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.fill.fgColor.rgb.endswith(EDIT_FILL) or cell.comment is not None:
                found[cell.coordinate] = (cell.value, cell.comment.text if cell.comment else "")
    return found


def test_fills_and_comments_on_exactly_the_edited_cells(tmp_path: Path) -> None:
    path = write_highlighted_xlsx(_result(), tmp_path / "out.xlsx")
    found = _highlighted(path)
    # columns: ID A, Prénom B, Nom C, Téléphone D, Pays E, Notes F; output rows 1, 2, 3 -> sheet rows 2, 3, 4
    assert set(found) == {"B2", "D2", "E3", "E4"}
    assert found["B2"] == ("Ștefan", "Was: “ȘTEFAN”\nRule: name.case (normalize)")
    assert found["D2"][1] == "Was: “0721 234 567”\nRule: phone.e164 (phone)"
    assert found["E3"][1] == "Was: “Frnace”\nRule: country.typo (normalize)"
    assert found["E4"][1].splitlines() == [
        "Was: “Hoa Kỳ”", "country.alias (normalize): “Hoa Kỳ” → “VN”", "country.name (phone): “VN” → “Vietnam”"]
    assert path.stat().st_mode & 0o777 == 0o600


def test_every_cell_is_text(tmp_path: Path) -> None:
    sheet = load_workbook(write_highlighted_xlsx(_result(), tmp_path / "out.xlsx")).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["ID", "Prénom", "Nom", "Téléphone", "Pays", "Notes"]
    assert [r[0] for r in values[1:]] == ["007", "008", "009"]           # leading zeros kept
    assert values[2][5] == "=1+2"
    assert values[3][5] == "#N/A"
    assert {c.data_type for row in sheet.iter_rows(min_row=2) for c in row if c.value} == {"s"}
    assert sheet.freeze_panes == "A2"


def test_issues_and_duplicates_sheets(tmp_path: Path) -> None:
    book = load_workbook(write_highlighted_xlsx(_result(), tmp_path / "out.xlsx"))
    assert book.sheetnames[1:] == ["Issues", "Duplicates"]
    issues = [[c.value for c in row] for row in book["Issues"].iter_rows()]
    assert issues[0] == ["row", "column", "value", "severity", "code", "message", "sheet row"]
    assert issues[1][:5] == ["4", "Téléphone", None, "error", "required.contact"]
    assert issues[1][6] is None
    assert issues[2][0] == "2"
    assert issues[2][6] == "3"
    duplicates = [[c.value for c in row] for row in book["Duplicates"].iter_rows()]
    assert duplicates[0] == ["row", "cluster_id", "probability", "sheet row"]
    assert [r[:2] for r in duplicates[1:]] == [["2", "c000002"], ["5", "c000002"]]   # only clusters of 2+


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 6), st.sampled_from(["Prénom", "Pays", "Gone"])), max_size=8))
def test_highlights_follow_the_record_key(tmp_path: Path, picks: list[tuple[int, str]]) -> None:
    """Whatever the edits, exactly the cells of edited records still in the output are highlighted."""
    table = make_table(ROWS)
    output = table.frame.loc[[3, 1, 2]]                                   # rows reordered, record 4 dropped
    log = ChangeLog()
    log.record(_edits([(r, c, "x", "y", "r") for r, c in picks]), "s")
    result = RunResult(table=replace(table, frame=output), changes=log)
    found = _highlighted(write_highlighted_xlsx(result, tmp_path / "p.xlsx"))
    sheet_row = {3: 2, 1: 3, 2: 4}
    expected = {f"{'B' if c == 'Prénom' else 'E'}{sheet_row[r]}" for r, c in picks if r in sheet_row and c != "Gone"}
    assert set(found) == expected
