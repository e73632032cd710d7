"""ValueNormalizer protocol, Fix/Unclear outcomes, run_value_normalizer() (distinct values once).

Lists repeat values heavily ("France" 40,000 times), so every normalizer sees each distinct
(value, hint) pair once; caching, mapping back, change records and findings live here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

import numpy as np
import pandas as pd

from custclean.changes import empty_edits
from custclean.findings import Severity, empty_findings, findings_frame
from custclean.parallel import parallel_chunks
from custclean.pipeline import StepResult
from custclean.roles import Role
from custclean.table import read_only

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


@dataclass(frozen=True)
class Outcomes:
    """The outcomes of a run of (value, hint) pairs, as columns: what a worker process sends back.

    One pickled Fix per distinct value made the parent's result thread (which holds the GIL) cost more
    than the normalizing it waited for on big columns; a few flat lists per chunk unpickle for almost nothing.
    """

    kind: np.ndarray                        # int8 per pair: 0 nothing to do, 1 Fix, 2 Unclear
    value: list[str]                        # per Fix, in pair order
    rule: list[str]                         # per Fix
    code: list[str]                         # per Unclear, in pair order
    severity: list[Severity]                # per Unclear
    extra: dict[int, tuple[tuple[Role, str], ...]]   # pair index -> the extra cells of its Fix, when it has any

    @classmethod
    def of(cls, normalize: Callable[[str, str], Outcome], values: Sequence[str], hints: Sequence[str]) -> Outcomes:
        """normalize(value, hint) for each pair, packed; empty values are never normalized."""
        kind = bytearray(len(values))
        value: list[str] = []
        rule: list[str] = []
        code: list[str] = []
        severity: list[Severity] = []
        extra: dict[int, tuple[tuple[Role, str], ...]] = {}
        for index, (text, hint) in enumerate(zip(values, hints, strict=True)):
            outcome = normalize(text, hint) if text else None
            if outcome is None:
                continue
            if isinstance(outcome, Fix):
                kind[index] = 1
                value.append(outcome.value)
                rule.append(outcome.rule)
                if outcome.extra:
                    extra[index] = outcome.extra
            else:
                kind[index] = 2
                code.append(outcome.code)
                severity.append(outcome.severity)
        return cls(np.frombuffer(bytes(kind), dtype=np.int8), value, rule, code, severity, extra)

    @classmethod
    def concat(cls, parts: Sequence[Outcomes]) -> Outcomes:
        """Consecutive chunks as one run of pairs."""
        if len(parts) == 1:
            return parts[0]
        offsets = np.cumsum([0, *(len(p.kind) for p in parts)])
        return cls(
            np.concatenate([p.kind for p in parts]) if parts else np.zeros(0, dtype=np.int8),
            [v for p in parts for v in p.value], [r for p in parts for r in p.rule],
            [c for p in parts for c in p.code], [s for p in parts for s in p.severity],
            {int(start) + i: e for p, start in zip(parts, offsets, strict=False) for i, e in p.extra.items()},
        )

    def per_pair(self, items: Sequence[Any], kind: int) -> np.ndarray:
        """Spread a per-Fix (kind 1) or per-Unclear (kind 2) list over all pairs, "" for the others."""
        spread = np.full(len(self.kind), "", dtype=object)
        at = np.flatnonzero(self.kind == kind)
        if len(at):
            objects = np.empty(len(items), dtype=object)
            objects[:] = items
            spread[at] = objects
        return spread


def outcomes_for(normalizer: ValueNormalizer, pairs: pd.DataFrame, workers: int = 1) -> Outcomes:
    """Call the normalizer once per distinct (value, hint) pair; empty cells are never touched.

    Big columns are split over `workers` processes (see custclean.parallel): normalizers are pure.
    """
    chunks = parallel_chunks(partial(Outcomes.of, normalizer.normalize), pairs["value"].to_numpy(),
                             pairs["hint"].to_numpy(), workers=workers)
    return Outcomes.concat(chunks)


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
        if hasattr(normalizer, "for_column"):
            normalizer = normalizer.for_column(table.frame[column])
        codes, pairs = column_pairs(table, column, normalizer.hint)
        outcomes = outcomes_for(normalizer, pairs, self.workers)
        if not outcomes.kind.any():   # the common case on clean columns: nothing to spread back to rows
            return empty_edits(), empty_findings(), []
        return _edits_and_findings(table, column, codes, pairs["value"].to_numpy(), outcomes,
                                   normalizer.rules_declared)


def distinct_pairs(values: np.ndarray, hints: np.ndarray | None) -> tuple[np.ndarray, pd.DataFrame]:
    """(code of each cell's (value, hint) pair, the distinct pairs in first-seen order).

    Hashed integer codes rather than drop_duplicates and a merge back: on a million rows the merge cost
    more than normalizing the distinct values did.
    """
    factorized = pd.factorize(values, use_na_sentinel=False)
    return _pairs(factorized, None if hints is None else pd.factorize(hints, use_na_sentinel=False))


def column_pairs(table: Table, column: str, hint: Role | None) -> tuple[np.ndarray, pd.DataFrame]:
    """distinct_pairs of a column and its rows' `hint` column, kept by the table while both columns are unchanged.

    The text normalizer, the column's own normalizer and validation's checks all read the same
    columns one after the other; a million-cell column is hashed once, not once per step. Both are
    shared with later steps: read them, never write into them (the codes refuse writes).
    """
    hint_column = table.roles.column(hint) if hint else None
    if hint_column is None:     # no hint, or no column for it: every hint is "", as table.values gives
        return table.memo(("pairs", column), (column,), lambda _: _pairs(table.factorized(column), None))
    return table.memo(("pairs", column, hint_column), (column, hint_column),
                      lambda *_: _pairs(table.factorized(column), table.factorized(hint_column)))


def _pairs(values: tuple[np.ndarray, np.ndarray], hints: tuple[np.ndarray, np.ndarray] | None,
           ) -> tuple[np.ndarray, pd.DataFrame]:
    """distinct_pairs from the factorized values and hints."""
    vcodes, vuniques = values
    if hints is None:
        return vcodes, pd.DataFrame({"value": vuniques, "hint": np.full(len(vuniques), "", dtype=object)})
    hcodes, huniques = hints
    width = max(len(huniques), 1)
    codes, combined = pd.factorize(vcodes.astype(np.int64) * width + hcodes)
    return read_only(codes), pd.DataFrame({"value": vuniques[combined // width], "hint": huniques[combined % width]})


def _edits_and_findings(
    table: Table, column: str, codes: np.ndarray, pair_values: np.ndarray, outcomes: Outcomes,
    declared: Mapping[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[Role, str]]]:
    """Spread each distinct pair's outcome to its cells: kind 1 = Fix (an edit), 2 = Unclear (a finding)."""
    edits, new_roles = _edits(table, column, codes, pair_values, outcomes)
    return edits, _findings(table, column, codes, outcomes, declared), new_roles


def _edits(table: Table, column: str, codes: np.ndarray, pair_values: np.ndarray, outcomes: Outcomes,
           ) -> tuple[pd.DataFrame, list[tuple[Role, str]]]:
    """An edit for every cell whose pair got a Fix with another value, then the Fixes' extra cells."""
    values = table.frame[column]
    rows, old = values.index.to_numpy(), values.to_numpy()
    new, rule = outcomes.per_pair(outcomes.value, 1), outcomes.per_pair(outcomes.rule, 1)
    # A Fix that gives the value back (kept only for its extra cells) is not an edit: decided per pair.
    edited = np.flatnonzero(((outcomes.kind == 1) & (new != pair_values))[codes])
    pair = codes[edited]
    edits = pd.DataFrame({"row": rows[edited], "column": column, "old": old[edited], "new": new[pair],
                          "rule": rule[pair]})
    extra_edits, new_roles = empty_edits(), []
    if outcomes.extra:
        extras = np.empty(len(outcomes.kind), dtype=object)
        has_extra = np.zeros(len(outcomes.kind), dtype=bool)
        for index, cells in outcomes.extra.items():
            extras[index], has_extra[index] = cells, True
        with_extra = np.flatnonzero(has_extra[codes])
        pair = codes[with_extra]
        extra_edits, new_roles = _extra_edits(table, rows[with_extra].tolist(), extras[pair], rule[pair])
    if extra_edits.empty:
        edits["row"] = edits["row"].astype(object)   # the dtype a concatenation with no extra edits gave
        return edits, new_roles
    return pd.concat([edits, extra_edits], ignore_index=True), new_roles


def _findings(table: Table, column: str, codes: np.ndarray, outcomes: Outcomes, declared: Mapping[str, str],
              ) -> pd.DataFrame:
    """A finding for every cell whose pair is Unclear, with the code's declared message."""
    values = table.frame[column]
    rows, old = values.index.to_numpy(), values.to_numpy()
    unclear = np.flatnonzero(outcomes.kind[codes] == 2)
    pair = codes[unclear]
    code = outcomes.per_pair(outcomes.code, 2)
    message = outcomes.per_pair([declared.get(c, "") for c in outcomes.code], 2)
    findings = findings_frame(rows[unclear], column, old[unclear], Severity.WARNING, code[pair].tolist(),
                              message[pair].tolist())   # lists: no finding gives the dtypes it always had
    if len(unclear):
        findings["severity"] = outcomes.per_pair([str(s) for s in outcomes.severity], 2)[pair]
    return findings


def _extra_edits(table: Table, rows: list[Any], extras: np.ndarray, rules: np.ndarray,
                 ) -> tuple[pd.DataFrame, list[tuple[Role, str]]]:
    """Edits into other roles' columns (a title split off a name), creating the column if needed."""
    records: list[dict[str, Any]] = []
    new_roles: list[tuple[Role, str]] = []
    for row, cells, rule in zip(rows, extras, rules, strict=True):
        for role, value in cells:
            column = table.roles.column(role)
            if column is None:
                column = EXTRA_COLUMN_NAMES.get(role, role.value)
                new_roles.append((role, column))
            old = table.frame.at[row, column] if column in table.frame.columns else ""
            if value and not old:   # fill empty cells only: a value the user typed is never replaced
                records.append({"row": row, "column": column, "old": old, "new": value, "rule": rule})
    return (pd.DataFrame(records) if records else empty_edits()), new_roles
