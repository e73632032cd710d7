"""Splits rows into kept, quarantined and incomplete (the follow-up list).

Quarantine holds back rows with an error, each with its findings in one readable column, so the
output and the quarantine together hold every input row exactly once. The follow-up list names the
fields a business wants but a row lacks (no email, no complete postal address), so staff can ask.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
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
    """(kept rows, quarantined rows with their issues in ISSUES_COLUMN).

    When no row is held the kept rows are `table` itself, not a copy: tables are never mutated, and the
    columns' remembered codes (Table.memo) then serve the steps after validation too.
    """
    held = error_rows(findings, table.frame.index)
    quarantined = table.frame.loc[held].copy()
    quarantined[ISSUES_COLUMN] = issues_by_row(findings, held).to_numpy(dtype=object)
    kept = table if held.empty else table.with_frame(without_rows(table.frame, held))
    return kept, table.with_frame(quarantined)


def without_rows(frame: pd.DataFrame, held: pd.Index) -> pd.DataFrame:
    """`frame.drop(index=held)` (same rows, same index, a RangeIndex kept where drop keeps one), by position.

    drop looks every remaining key up again in the index, which costs more on a million rows than the copy.
    """
    gone = frame.index.isin(held)
    kept = frame.take(np.flatnonzero(~gone))
    kept.index = frame.index.delete(np.flatnonzero(gone))
    return kept


def want_groups(want: Sequence[str]) -> list[tuple[Target, ...]]:
    """ "street+city+postal_code+country" -> the targets that must all be filled; a role name or a header."""
    groups = []
    for entry in want:
        names = [n.strip() for n in entry.split("+") if n.strip()]
        groups.append(tuple(Target(role=Role(n)) if n in ROLES else Target(column=n) for n in names))
    return groups


def follow_up(table: Table, want: Sequence[str], keep: np.ndarray | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Rows lacking something in `want`, with a `missing` column ("email, city"); and warnings.

    `keep` (a flag per row) limits the list to those rows, e.g. those not quarantined: the same list as
    for a table of only those rows, from what the required rules already found blank in the whole table.
    The first columns say where the row is (row, or source and row after a merge), then the row as it is.
    """
    missing, warnings = missing_labels(table, want)
    rows = missing != ""
    if keep is not None:
        rows &= keep
    frame = table.frame[rows].copy()
    frame[_free(MISSING_COLUMN, frame)] = missing[rows]
    where = table.origins().loc[frame.index] if table.origin is not None else None
    frame.insert(0, _free("row", frame), where["row"].to_numpy() if where is not None else frame.index.to_numpy())
    if where is not None:
        frame.insert(0, _free("source", frame), where["source"].to_numpy())
    return frame.reset_index(drop=True), warnings


def missing_labels(table: Table, want: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Per row, what it lacks ("email, city", "" when nothing), and a warning per wanted column the list lacks.

    Each row's lacking targets are bits of one number; the rows show few such patterns, each written once.
    """
    targets = [t for group in want_groups(want) for t in group]
    warnings = [f"[validate] want: the list has no column {t.label}; every row lacks it"
                for t in targets if t.column and not t.columns(table)]
    labels = [t.role.value if t.role else str(t.column) for t in targets]
    pattern = np.zeros(len(table), dtype=object if len(targets) > 62 else np.int64)
    for bit, target in enumerate(targets):
        pattern[target.blank(table)] += 1 << bit
    codes, patterns = pd.factorize(pattern)
    texts = np.array([", ".join(label for bit, label in enumerate(labels) if int(p) >> bit & 1) for p in patterns],
                     dtype=object)
    return texts[codes] if len(texts) else np.full(len(table), "", dtype=object), warnings


def _free(name: str, frame: pd.DataFrame) -> str:
    """`name`, or custclean_`name` when the customer's list already has such a column."""
    return name if name not in frame.columns else f"custclean_{name}"
