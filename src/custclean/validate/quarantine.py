"""Splits rows into kept, quarantined and incomplete (the follow-up list).

Quarantine holds back rows with an error, each with its findings in one readable column, so the
output and the quarantine together hold every input row exactly once. The follow-up list names the
fields a business wants but a row lacks (no email, no complete postal address), so staff can ask.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from custclean.findings import Severity
from custclean.roles import Role
from custclean.table import Table
from custclean.validate.user_rules import Target

ISSUES_COLUMN = "custclean_issues"
MISSING_COLUMN = "missing"
ROLES = frozenset(r.value for r in Role)


def error_rows(findings: pd.DataFrame, index: pd.Index) -> pd.Index:
    """The rows (in table order) that have at least one error finding."""
    errors = findings.loc[findings["severity"] == str(Severity.ERROR), "row"]
    return index[index.isin(errors.dropna())]


def issues_by_row(findings: pd.DataFrame, rows: pd.Index) -> pd.Series:
    """Row -> "phone.invalid (Téléphone); postal_code.bad_format (CP)", errors first, for the given rows."""
    mine = findings[findings["row"].isin(rows)]
    rank = mine["severity"].map({str(s): -s.value for s in Severity})
    mine = mine.iloc[rank.argsort(kind="stable")]
    labels = mine["code"].astype(str) + " (" + mine["column"].astype(str) + ")"
    return labels.groupby(mine["row"].to_numpy(), sort=False).agg("; ".join).reindex(rows, fill_value="")


def split(table: Table, findings: pd.DataFrame) -> tuple[Table, Table]:
    """(kept rows, quarantined rows with their issues in ISSUES_COLUMN)."""
    held = error_rows(findings, table.frame.index)
    quarantined = table.frame.loc[held].copy()
    quarantined[ISSUES_COLUMN] = issues_by_row(findings, held).to_numpy(dtype=object)
    return table.with_frame(table.frame.drop(index=held)), table.with_frame(quarantined)


def want_groups(want: Sequence[str]) -> list[tuple[Target, ...]]:
    """ "street+city+postal_code+country" -> the targets that must all be filled; a role name or a header."""
    groups = []
    for entry in want:
        names = [n.strip() for n in entry.split("+") if n.strip()]
        groups.append(tuple(Target(role=Role(n)) if n in ROLES else Target(column=n) for n in names))
    return groups


def follow_up(table: Table, want: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """Rows lacking something in `want`, with a `missing` column ("email, city"); and warnings.

    The first columns say where the row is (row, or source and row after a merge), then the row as it is.
    """
    missing = pd.Series("", index=table.frame.index, dtype=object)
    warnings = []
    for target in (t for group in want_groups(want) for t in group):
        if target.column and not target.columns(table):
            warnings.append(f"[validate] want: the list has no column {target.label}; every row lacks it")
        label = target.role.value if target.role else str(target.column)
        lacking = ~target.filled(table)
        missing = missing.mask(lacking, missing.where(missing == "", missing + ", ") + label)
    rows = missing != ""
    frame = table.frame.loc[rows].copy()
    frame[_free(MISSING_COLUMN, frame)] = missing[rows]
    where = table.origins().loc[frame.index] if table.origin is not None else None
    frame.insert(0, _free("row", frame), where["row"].to_numpy() if where is not None else frame.index.to_numpy())
    if where is not None:
        frame.insert(0, _free("source", frame), where["source"].to_numpy())
    return frame.reset_index(drop=True), warnings


def _free(name: str, frame: pd.DataFrame) -> str:
    """`name`, or custclean_`name` when the customer's list already has such a column."""
    return name if name not in frame.columns else f"custclean_{name}"
