"""ValueNormalizer protocol, Fix/Unclear outcomes, run_value_normalizer() (distinct values once).

Lists repeat values heavily ("France" 40,000 times), so every normalizer sees each distinct
(value, hint) pair once; caching, mapping back, change records and findings live here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

import numpy as np
import pandas as pd

from custclean.changes import empty_edits
from custclean.findings import Severity, empty_findings, findings_frame
from custclean.parallel import parallel_map
from custclean.pipeline import StepResult
from custclean.roles import Role

if TYPE_CHECKING:
    from custclean.config import Config
    from custclean.ruleset import RuleSet
    from custclean.table import Table


@dataclass(frozen=True, slots=True)
class Fix:
    """Change the cell to `value`; `rule` is the dotted code written in the change log."""

    value: str
    rule: str
    # Extra cells for the same row in other roles' columns, e.g. a title split off a name.
    extra: tuple[tuple[Role, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Unclear:
    """Leave the cell exactly as written and record a finding with this code."""

    code: str
    severity: Severity = Severity.WARNING


Outcome = Fix | Unclear | None


class ValueNormalizer(Protocol):
    """A normalizer that is a pure function of one cell, plus a hint from another role of the row."""

    name: ClassVar[str]                          # used by --only/--skip and in rule codes
    role: ClassVar[Role | None]                  # the columns it works on (None: see columns_of)
    hint: ClassVar[Role | None]                  # e.g. phone reads the row's country
    after: ClassVar[tuple[str, ...]]             # normalizers that must run first
    rules_declared: ClassVar[dict[str, str]]     # rule/finding code -> one-line meaning

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self: ...

    def normalize(self, value: str, hint: str = "") -> Outcome: ...


class ColumnAware(Protocol):
    """Optional: a normalizer that decides something per column first (date order, say)."""

    def for_column(self, values: pd.Series) -> Any: ...


# Column names for the extra cells a normalizer may fill, when the table has no column of that role.
EXTRA_COLUMN_NAMES: dict[Role, str] = {
    Role.TITLE: "title",
    Role.SUFFIX: "suffix",
    Role.FIRST_NAME: "first_name",
    Role.LAST_NAME: "last_name",
}


def outcomes_for(normalizer: ValueNormalizer, pairs: pd.DataFrame, workers: int = 1) -> list[Outcome]:
    """Call the normalizer once per distinct (value, hint) pair; empty cells are never touched.

    Big columns are split over `workers` processes (see custclean.parallel): normalizers are pure.
    """
    normalize = normalizer.normalize

    def outcome(value: str, hint: str) -> Outcome:
        return normalize(value, hint) if value else None

    return parallel_map(outcome, pairs["value"].to_numpy(), pairs["hint"].to_numpy(), workers=workers)


class NormalizerStep:
    """Adapts any ValueNormalizer to the Step protocol, for every column of its role."""

    def __init__(self, normalizer: ValueNormalizer, workers: int = 1) -> None:
        self.normalizer = normalizer
        self.name = normalizer.name
        self.workers = workers      # processes for big columns; -1: every core

    def run(self, table: Table) -> StepResult:
        edits, findings, new_roles = [], [], []
        for column in self._columns(table):
            e, f, r = self._run_column(table, column)
            edits.append(e)
            findings.append(f)
            new_roles.extend(r)
        if not edits:
            return StepResult()
        return StepResult(
            pd.concat(edits, ignore_index=True) if edits else empty_edits(),
            pd.concat(findings, ignore_index=True) if findings else empty_findings(),
            tuple(dict.fromkeys(new_roles)),
        )

    def _columns(self, table: Table) -> list[str]:
        """The columns of the normalizer's role, or those it picks itself (`columns_of`)."""
        if hasattr(self.normalizer, "columns_of"):
            return list(self.normalizer.columns_of(table))
        return list(table.roles.columns(self.normalizer.role))

    def _run_column(self, table: Table, column: str) -> tuple[pd.DataFrame, pd.DataFrame, list]:
        normalizer = self.normalizer
        values = table.frame[column]
        if hasattr(normalizer, "for_column"):
            normalizer = normalizer.for_column(values)
        hints = table.values(normalizer.hint) if normalizer.hint else pd.Series("", index=values.index)
        cells = pd.DataFrame({"value": values.to_numpy(), "hint": hints.to_numpy()}, index=values.index)
        pairs = cells.drop_duplicates(ignore_index=True).copy()
        pairs["outcome"] = outcomes_for(normalizer, pairs, self.workers)
        pairs = pairs[pairs["outcome"].notna()]
        if pairs.empty:   # the common case on clean columns: skip the merge back to rows entirely
            return empty_edits(), empty_findings(), []
        resolved = cells.reset_index(names="row").merge(pairs, on=["value", "hint"], how="inner", sort=False)
        return _edits_and_findings(table, column, resolved, normalizer.rules_declared)


def _edits_and_findings(
    table: Table, column: str, resolved: pd.DataFrame, declared: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[Role, str]]]:
    is_fix = np.fromiter((isinstance(o, Fix) for o in resolved["outcome"]), dtype=bool, count=len(resolved))
    fixes, unclear = resolved[is_fix], resolved[~is_fix]
    edits = pd.DataFrame(
        {
            "row": fixes["row"].to_numpy(),
            "column": column,
            "old": fixes["value"].to_numpy(),
            "new": [o.value for o in fixes["outcome"]],
            "rule": [o.rule for o in fixes["outcome"]],
        }
    )
    edits = edits[edits["old"] != edits["new"]]   # a Fix kept only for its extra cells is not an edit
    extra_edits, new_roles = _extra_edits(table, fixes)
    findings = findings_frame(
        unclear["row"].to_numpy(),
        column,
        unclear["value"].to_numpy(),
        Severity.WARNING,
        [o.code for o in unclear["outcome"]],
        [declared.get(o.code, "") for o in unclear["outcome"]],
    )
    if not unclear.empty:
        findings["severity"] = [str(o.severity) for o in unclear["outcome"]]
    return pd.concat([edits, extra_edits], ignore_index=True), findings, new_roles


def _extra_edits(table: Table, fixes: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[Role, str]]]:
    """Edits into other roles' columns (a title split off a name), creating the column if needed."""
    records: list[dict[str, Any]] = []
    new_roles: list[tuple[Role, str]] = []
    for row, outcome in zip(fixes["row"], fixes["outcome"], strict=True):
        for role, value in outcome.extra:
            column = table.roles.column(role)
            if column is None:
                column = EXTRA_COLUMN_NAMES.get(role, role.value)
                new_roles.append((role, column))
            old = table.frame.at[row, column] if column in table.frame.columns else ""
            if value and not old:   # fill empty cells only: a value the user typed is never replaced
                records.append({"row": row, "column": column, "old": old, "new": value, "rule": outcome.rule})
    return (pd.DataFrame(records) if records else empty_edits()), new_roles
