"""guard_formulas(): make cells a spreadsheet would run as formulas inert, before any output is written.

A customer list is data that strangers typed (web forms, imports). Opened in Excel, a cell such as
=HYPERLINK(...) or @SUM(1) would run; OWASP's advice for CSV injection is a leading quote. Phones such
as "+33 6 12 34 56 78" and numbers such as "-12.5" are data and stay untouched. Every neutralized cell
is recorded in the change log (step "safety", rule "formula.neutralized"), like any other edit.
"""

from __future__ import annotations

import pandas as pd

from custclean.io.safe_write import formula_positions, joined_text, neutralize
from custclean.results import RunResult
from custclean.table import Table

STEP = "safety"
RULE = "formula.neutralized"


def formula_edits(table: Table) -> pd.DataFrame:
    """Edits (row, column, old, new, rule) that neutralize every formula-looking cell of a table."""
    chunks = []
    for column in table.frame.columns:
        values, cells, joined = _joined(table.frame[column])
        positions = formula_positions(cells, joined)    # one scan over the whole column
        if positions:
            formulas = values.iloc[positions]
            chunks.append(pd.DataFrame({
                "row": formulas.index, "column": column, "old": formulas.to_numpy(),
                "new": formulas.map(neutralize).to_numpy(), "rule": RULE,
            }))
    if not chunks:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("row", "column", "old", "new", "rule")})
    return pd.concat(chunks, ignore_index=True)


def _joined(values: pd.Series) -> tuple[pd.Series, list[str], str | None]:
    """(the column as str, its cells, the cells joined for formula_positions). A column of str (the usual
    table) is used as it is: the join itself tells, so no copy and no type check are paid for it."""
    cells = values.tolist()
    try:
        return values, cells, joined_text(cells)
    except TypeError:       # a cell that is not str: the column as text, as str() writes it
        values = values.astype(str)
        return values, values.tolist(), None


def guard_formulas(result: RunResult, allow: bool = False) -> None:
    """Neutralize formula-looking cells of the output (and quarantine) tables, unless `allow`.

    >>> import custclean as cc
    >>> result = cc.RunResult(cc.Table(cc.table.text_frame([["=1+2", "+33 6 12 34 56 78"]], ["a", "b"])))
    >>> cc.guard_formulas(result)
    >>> result.table.frame.iloc[0].tolist()
    ["'=1+2", '+33 6 12 34 56 78']
    """
    if allow:
        return
    edits = formula_edits(result.table)
    if not edits.empty:
        result.table = result.table.apply(edits)
        result.changes.record(edits, STEP)
    if result.quarantine is not None:
        held = formula_edits(result.quarantine)
        if not held.empty:
            result.quarantine = result.quarantine.apply(held)
            result.changes.record(held, STEP)
