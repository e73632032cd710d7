"""Formula injection: cells a spreadsheet would run are made inert before output, and each change is logged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import custclean as cc
from custclean.api.safety import formula_edits
from custclean.cli import app
from custclean.io import read_table
from custclean.io.safe_write import formula_positions, is_formula, neutralize
from custclean.table import text_frame

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# cell -> is it a formula a spreadsheet would run?
CELLS = [
    ('=HYPERLINK("http://evil.example","clic")', True), ("@SUM(1)", True), ("=1+2", True),
    ("+cmd|' /C calc'!A0", True), ("-2+3", True), ("\t=1+1", True), ("\rfoo", True), ("-A1", True),
    ("+33 6 12 34 56 78", False), ("+1 (617) 482-3310", False), ("-12.5", False), ("-12", False),
    ("+40721123456", False), ("0033 6 12 34 56 78", False), ("Dupont", False), ("", False), ("+", False),
    ("-", False), ("a=b", False), ("jean@example.fr", False), ("- ", True), ("--", True),
]


@pytest.mark.parametrize(("cell", "formula"), CELLS, ids=[repr(c) for c, _ in CELLS])
def test_is_formula(cell, formula):
    assert is_formula(cell) is formula
    assert neutralize(cell) == ("'" + cell if formula else cell)


@given(st.text(max_size=30))
def test_neutralized_cells_are_never_formulas(cell):
    assert not is_formula(neutralize(cell))


CELL_TEXT = st.one_of(
    st.sampled_from([c for c, _ in CELLS] + ["+1 x 5\n", "+33 1 23 45 67 89 POSTE 12", "-٣٤", "+\n", "-\x00=1"]),
    st.text(alphabet=st.sampled_from(list("=+-@\t\r\n 0123456789().-/xXeEtpsDURCHWAHL'a\x00\u2003\u0660")),
            max_size=12),
    st.text(max_size=12),
)


@given(st.lists(CELL_TEXT, max_size=40))
def test_formula_positions_is_is_formula_over_a_list(cells):
    """The one-scan version used for report files flags exactly the cells is_formula flags."""
    assert formula_positions(cells) == [i for i, c in enumerate(cells) if is_formula(c)]


def test_formula_positions_on_the_known_cells():
    cells = [c for c, _ in CELLS]
    assert formula_positions(cells) == [i for i, (_, formula) in enumerate(CELLS) if formula]
    assert formula_positions(["a\x00=b", "=1"]) == [1]        # a cell holding NUL is checked on its own


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["+33 6 12 34 56 78", "+40721123456", "-12.5", "+1 (617) 482-3310", "Nguyễn"]),
                min_size=40, max_size=120),
       st.lists(CELL_TEXT, max_size=6))
def test_formula_positions_in_a_column_of_phones(phones, odd):
    """A column where most cells start with a sign (phones) is cleared in bulk: only real formulas are left."""
    cells = phones + odd + phones[:7]
    assert formula_positions(cells) == [i for i, c in enumerate(cells) if is_formula(c)]


def test_formula_edits_of_a_column_that_is_not_all_text():
    """A cell that is not str is checked as str() writes it, as before."""
    frame = pd.DataFrame({"Notes": ["=1+2", "ok", None], "Solde": [-2, 3, 4]}, index=[1, 2, 3])
    edits = formula_edits(cc.Table(frame))
    assert edits[["row", "column", "old", "new"]].to_numpy().tolist() == [[1, "Notes", "=1+2", "'=1+2"]]


def _result() -> cc.RunResult:
    frame = text_frame(
        [["C1", "=1+2", "+33 6 12 34 56 78"], ["C2", "@SUM(1)", "-12.5"], ["C3", "ok", "-2+3"]],
        ["ID", "Notes", "Solde"],
    )
    return cc.RunResult(cc.Table(frame))


def test_guard_formulas_records_each_change():
    result = _result()
    cc.guard_formulas(result)
    assert result.table.frame.to_numpy().tolist() == [
        ["C1", "'=1+2", "+33 6 12 34 56 78"], ["C2", "'@SUM(1)", "-12.5"], ["C3", "ok", "'-2+3"],
    ]
    changes = result.changes.frame()
    assert changes[["row", "column", "old", "new", "step", "rule"]].to_numpy().tolist() == [
        [1, "Notes", "=1+2", "'=1+2", "safety", "formula.neutralized"],
        [2, "Notes", "@SUM(1)", "'@SUM(1)", "safety", "formula.neutralized"],
        [3, "Solde", "-2+3", "'-2+3", "safety", "formula.neutralized"],
    ]


def test_guard_formulas_allowed_changes_nothing():
    result = _result()
    cc.guard_formulas(result, allow=True)
    assert result.table.frame.equals(_result().table.frame)
    assert len(result.changes) == 0


def test_guard_formulas_covers_the_quarantine():
    result = _result()
    result.quarantine = cc.Table(text_frame([["=cmd"]], ["Notes"]))
    cc.guard_formulas(result)
    assert result.quarantine.frame.iloc[0, 0] == "'=cmd"


def _normalize(tmp_path: Path, output: str, *flags: str):
    out = tmp_path / output
    result = CliRunner().invoke(app, ["normalize", str(EXAMPLES / "customers_multilang.csv"), "-o", str(out),
                                      "--only", "text", "--report", str(tmp_path / "report"), "-q", *flags])
    assert result.exit_code == 0, result.output
    return out


NOTES = ['=HYPERLINK("http://example.com/promo","Cliquez ici")', "@SUM(1)", "=1+2", "+cmd|' /C calc'!A0", "-2+3"]


@pytest.mark.parametrize("output", ["clean.csv", "clean.xlsx"])
def test_cli_neutralizes_formulas_in_the_output(tmp_path, output):
    out = _normalize(tmp_path, output)
    notes = read_table(out).frame["Notes"]
    assert sorted(notes[notes.str.startswith("'")].tolist()) == sorted("'" + n for n in NOTES)
    assert not notes.map(is_formula).any()
    phones = read_table(out).frame["Téléphone"]
    assert phones.str.startswith("+").any()                 # "+33 ..." phones stay as they were
    changes = (tmp_path / "report" / "changes.csv").read_text(encoding="utf-8-sig")
    assert changes.count(",safety,formula.neutralized") == len(NOTES)


@pytest.mark.parametrize("output", ["clean.csv", "clean.xlsx"])
def test_cli_allow_formulas_keeps_them(tmp_path, output):
    out = _normalize(tmp_path, output, "--allow-formulas")
    assert set(NOTES) <= set(read_table(out).frame["Notes"])
    if output.endswith(".xlsx"):                             # still text cells in xlsx, never live formulas
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        assert {c.data_type for row in sheet.iter_rows() for c in row if c.value} == {"s"}
