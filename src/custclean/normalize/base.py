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

    def __reduce__(self) -> tuple[type[Fix], tuple[str, str, tuple[tuple[Role, str], ...]]]:
        """Pickled as its fields: the frozen-slots default costs ~15 µs a Fix on its way back from a worker."""
        return (Fix, (self.value, self.rule, self.extra))


@dataclass(frozen=True, slots=True)
class Unclear:
    """Leave the cell exactly as written and record a finding with this code."""

    code: str
    severity: Severity = Severity.WARNING

    def __reduce__(self) -> tuple[type[Unclear], tuple[str, Severity]]:
        return (Unclear, (self.code, self.severity))


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
        hints = table.values(normalizer.hint).to_numpy() if normalizer.hint else None
        codes, pairs = distinct_pairs(values.to_numpy(), hints)
        outcomes = np.empty(len(pairs), dtype=object)
        outcomes[:] = outcomes_for(normalizer, pairs, self.workers)
        kind = np.fromiter((0 if o is None else 1 if isinstance(o, Fix) else 2 for o in outcomes), np.int8,
                           len(outcomes))
        if not kind.any():   # the common case on clean columns: nothing to spread back to rows
            return empty_edits(), empty_findings(), []
        return _edits_and_findings(table, column, codes, outcomes, kind, normalizer.rules_declared)


def distinct_pairs(values: np.ndarray, hints: np.ndarray | None) -> tuple[np.ndarray, pd.DataFrame]:
    """(code of each cell's (value, hint) pair, the distinct pairs in first-seen order).

    Hashed integer codes rather than drop_duplicates and a merge back: on a million rows the merge cost
    more than normalizing the distinct values did.
    """
    vcodes, vuniques = pd.factorize(values, use_na_sentinel=False)
    if hints is None:
        return vcodes, pd.DataFrame({"value": vuniques, "hint": np.full(len(vuniques), "", dtype=object)})
    hcodes, huniques = pd.factorize(hints, use_na_sentinel=False)
    width = max(len(huniques), 1)
    codes, combined = pd.factorize(vcodes.astype(np.int64) * width + hcodes)
    return codes, pd.DataFrame({"value": vuniques[combined // width], "hint": huniques[combined % width]})


def _edits_and_findings(
    table: Table, column: str, codes: np.ndarray, outcomes: np.ndarray, kind: np.ndarray, declared: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[Role, str]]]:
    """Spread each distinct pair's outcome to its cells: kind 1 = Fix (an edit), 2 = Unclear (a finding)."""
    values = table.frame[column]
    rows, old = values.index.to_numpy(), values.to_numpy()
    cell_kind = kind[codes]
    fixed = np.flatnonzero(cell_kind == 1)
    fixed_codes = codes[fixed]
    new = np.array([o.value if k == 1 else "" for o, k in zip(outcomes, kind, strict=True)], dtype=object)
    rule = np.array([o.rule if k == 1 else "" for o, k in zip(outcomes, kind, strict=True)], dtype=object)
    edits = pd.DataFrame({"row": rows[fixed], "column": column, "old": old[fixed], "new": new[fixed_codes],
                          "rule": rule[fixed_codes]})
    edits = edits[edits["old"] != edits["new"]]   # a Fix kept only for its extra cells is not an edit
    has_extra = np.array([k == 1 and bool(o.extra) for o, k in zip(outcomes, kind, strict=True)], dtype=bool)
    extra_edits, new_roles = empty_edits(), []
    if has_extra.any():
        with_extra = fixed[has_extra[fixed_codes]]
        extra_edits, new_roles = _extra_edits(table, pd.DataFrame({"row": rows[with_extra],
                                                                   "outcome": outcomes[codes[with_extra]]}))
    unclear = np.flatnonzero(cell_kind == 2)
    found = outcomes[codes[unclear]]
    findings = findings_frame(rows[unclear], column, old[unclear], Severity.WARNING, [o.code for o in found],
                              [declared.get(o.code, "") for o in found])
    if len(unclear):
        findings["severity"] = [str(o.severity) for o in found]
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
