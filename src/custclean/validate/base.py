"""ValueCheck and TableCheck protocols, the rule specs they are built from, and their Step adapters.

A value check is a pure function of one cell (plus a hint such as the row's country), so it runs
once per distinct (value, hint) pair, as normalizers do: `ValueCheckAdapter` makes it look like a
normalizer that only ever answers Unclear(code), and `ValueCheckStep` runs it over a table's columns.
A table check sees the whole table (required fields, duplicates). Severities and messages are not the checks'
business: `Policy.apply` sets them from the rules, so a user can change them without code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np
import pandas as pd

from custclean.findings import FINDING_COLUMNS, Severity, empty_findings, findings_frame
from custclean.normalize.base import Unclear, column_pairs
from custclean.parallel import parallel_map
from custclean.pipeline import Step, StepResult
from custclean.roles import Role

if TYPE_CHECKING:
    from custclean.table import Table

SEVERITIES = tuple(str(s) for s in sorted(Severity, reverse=True))   # ("error", "warning", "info")


@dataclass(frozen=True)
class RuleSpec:
    """One [[rule]] table after the shipped and user files are merged and checked."""

    code: str
    check: str
    severity: Severity
    message: str
    enabled: bool = True
    params: Mapping[str, Any] = field(default_factory=dict)
    where: str = ""

    def param(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


class _Unsure:
    """The type of UNSURE."""

    def __repr__(self) -> str:
        return "UNSURE"


UNSURE = _Unsure()    # check_many's answer for a value only check() can judge


class ValueCheck(Protocol):
    """A check of one cell: returns a finding code, or None when the value is fine.

    Optional methods, used when present: `columns_of(table)` (columns other than those of `role`),
    `for_column(values) -> ValueCheck` (a decision per column, e.g. day/month order, from the column's
    distinct values, named as the column: a chunked run's first pass has only those), and
    `check_many(values, hints) -> array` for a cheap exact path over many distinct non-empty values at
    once: each answer is what check() would say, or UNSURE to leave that value to check().
    """

    name: str
    role: ClassVar[Role | None]
    hint: ClassVar[Role | None]               # another role of the row passed as `hint` (e.g. country)
    codes: ClassVar[dict[str, str]]           # finding code -> one-line meaning

    def check(self, value: str, hint: str = "") -> str | None: ...


class TableCheck(Protocol):
    """A check that needs the whole table; returns a findings frame (message = "" or a detail)."""

    name: str
    codes: ClassVar[dict[str, str]]

    def run(self, table: Table) -> pd.DataFrame: ...


@dataclass(frozen=True)
class ValueCheckAdapter:
    """A ValueCheck seen as a ValueNormalizer (it answers Unclear(code)); ValueCheckStep runs it per distinct pair."""

    check: Any
    rules_declared: Mapping[str, str] = field(default_factory=dict)   # messages come from Policy

    @property
    def name(self) -> str:
        return f"validate:{self.check.name}"

    @property
    def role(self) -> Role | None:
        return self.check.role

    @property
    def hint(self) -> Role | None:
        return self.check.hint

    def normalize(self, value: str, hint: str = "") -> Unclear | None:
        code = self.check.check(value, hint)
        return None if code is None else Unclear(code)

    def codes(self, values: np.ndarray, hints: np.ndarray, workers: int = 1) -> np.ndarray:
        """The finding code (None: fine) of each distinct value, with its hint; an empty cell is fine.

        check_many settles what it can at once; check() answers the rest, over `workers` processes
        when they are many.
        """
        found = np.full(len(values), None, dtype=object)
        todo = np.flatnonzero(values.astype(bool))
        check_many = getattr(self.check, "check_many", None)
        if check_many is not None and len(todo):
            answers = np.asarray(check_many(values[todo], hints[todo]), dtype=object)
            found[todo] = answers
            todo = todo[np.equal(answers, UNSURE)]
        if len(todo):
            found[todo] = parallel_map(self.check.check, values[todo], hints[todo], workers=workers)
        return found

    def columns_of(self, table: Table) -> list[str]:
        if hasattr(self.check, "columns_of"):
            return list(self.check.columns_of(table))
        return list(table.roles.columns(self.check.role)) if self.check.role else []

    def for_column(self, values: pd.Series) -> ValueCheckAdapter:
        if hasattr(self.check, "for_column"):
            return ValueCheckAdapter(self.check.for_column(values))
        return self


class ValueCheckStep:
    """A value check as a Step over every column it reads: each distinct (value, hint) checked once.

    Like NormalizerStep, whose surface (`normalizer`, `workers`) it keeps for the chunked first pass,
    but checks only find: no Outcome per value and no edits, just the codes spread back to the cells.
    """

    def __init__(self, adapter: ValueCheckAdapter, workers: int = 1) -> None:
        self.normalizer = adapter
        self.name = adapter.name
        self.workers = workers      # processes for big columns; -1: every core

    def run(self, table: Table) -> StepResult:
        findings = [self._run_column(table, column) for column in self.normalizer.columns_of(table)]
        if not findings:
            return StepResult()
        return StepResult(findings=pd.concat(findings, ignore_index=True))

    def _run_column(self, table: Table, column: str) -> pd.DataFrame:
        values = table.frame[column]
        distinct = pd.Series(table.factorized(column)[1], name=column, dtype=object)
        adapter = self.normalizer.for_column(distinct)
        cells, pairs = column_pairs(table, column, adapter.hint)
        found = adapter.codes(pairs["value"].to_numpy(), pairs["hint"].to_numpy(), self.workers)
        flagged = np.not_equal(found, None)
        if not flagged.any():
            return empty_findings()
        hit = np.flatnonzero(flagged[cells])
        rows, old = values.index.to_numpy(), values.to_numpy()
        return findings_frame(rows[hit], column, old[hit], Severity.WARNING, found[cells[hit]], "")


@dataclass(frozen=True)
class TableCheckStep:
    """A TableCheck as a Step: findings only, never edits."""

    check: Any

    @property
    def name(self) -> str:
        return f"validate:{self.check.name}"

    def run(self, table: Table) -> StepResult:
        return StepResult(findings=self.check.run(table))


def as_step(check: Any, workers: int = 1) -> Step:
    """The Step that runs a check: value checks through the distinct-value adapter."""
    if hasattr(check, "check"):
        return ValueCheckStep(ValueCheckAdapter(check), workers)
    return TableCheckStep(check)


@dataclass(frozen=True)
class Policy:
    """Severity, message and on/off per finding code, from the merged rules."""

    specs: Mapping[str, RuleSpec]

    def apply(self, findings: pd.DataFrame) -> pd.DataFrame:
        """Drop findings of disabled codes; set each one's severity and message (plus its detail)."""
        if findings.empty:
            return findings.loc[:, list(FINDING_COLUMNS)]
        enabled = {code for code, spec in self.specs.items() if spec.enabled}
        kept = findings[findings["code"].isin(enabled)].copy()
        if kept.empty:
            return kept.loc[:, list(FINDING_COLUMNS)]
        kept["severity"] = kept["code"].map({c: str(s.severity) for c, s in self.specs.items()})
        base = kept["code"].map({c: s.message for c, s in self.specs.items()})
        detail = kept["message"].fillna("").astype(str)
        kept["message"] = base.where(detail == "", base + " (" + detail + ")")
        return kept.reset_index(drop=True).loc[:, list(FINDING_COLUMNS)]


def row_findings(
    table: Table, failed: pd.Series | np.ndarray, column: str, code: str, detail: str = ""
) -> pd.DataFrame:
    """Findings for the rows where `failed` is True; the value shown is the cell of `column`, if any.

    `failed` is a Series over the table's row keys, or an array with one flag per row in table order.
    """
    if isinstance(failed, pd.Series):
        rows = failed.index[failed.to_numpy(dtype=bool)]
        if len(rows) == 0:
            return empty_findings()
        values = table.frame.loc[rows, column].to_numpy() if column in table.frame.columns else ""
        return findings_frame(rows.to_numpy(), column, values, Severity.WARNING, code, detail)
    hit = np.flatnonzero(failed)
    if len(hit) == 0:
        return empty_findings()
    values = table.frame[column].to_numpy()[hit] if column in table.frame.columns else ""
    return findings_frame(table.frame.index.to_numpy()[hit], column, values, Severity.WARNING, code, detail)


def file_finding(code: str, column: str, detail: str) -> pd.DataFrame:
    """One finding about the whole list (no row), e.g. a required column the list does not have."""
    return findings_frame([None], column, "", Severity.WARNING, code, detail)


def concat_findings(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty_findings()


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for the closest known word, or ""."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_severity(text: object, problems: list[str], where: str) -> Severity | None:
    """A severity name, or None with a problem (and a did-you-mean) appended."""
    if isinstance(text, str) and text.strip().lower() in SEVERITIES:
        return Severity.parse(text)
    hint = did_you_mean(str(text).lower(), SEVERITIES)
    problems.append(f"{where}severity must be one of {', '.join(SEVERITIES)}, not '{text}'{hint}")
    return None
