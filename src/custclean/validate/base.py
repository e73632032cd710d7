"""ValueCheck and TableCheck protocols, the rule specs they are built from, and their Step adapters.

A value check is a pure function of one cell (plus a hint such as the row's country), so it runs
through the normalizers' distinct-value machinery: `ValueCheckAdapter` makes it look like a
normalizer that only ever answers Unclear(code), and `NormalizerStep` does the rest. A table check
sees the whole table (required fields, duplicates). Severities and messages are not the checks'
business: `Policy.apply` sets them from the rules, so a user can change them without code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import pandas as pd

from custclean.findings import FINDING_COLUMNS, Severity, empty_findings, findings_frame
from custclean.normalize.base import NormalizerStep, Unclear
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


class ValueCheck(Protocol):
    """A check of one cell: returns a finding code, or None when the value is fine.

    Optional methods, used when present: `columns_of(table)` (columns other than those of `role`)
    and `for_column(values) -> ValueCheck` (a decision per column, e.g. day/month order).
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
    """A ValueCheck seen as a ValueNormalizer, so NormalizerStep runs it once per distinct (value, hint)."""

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

    def columns_of(self, table: Table) -> list[str]:
        if hasattr(self.check, "columns_of"):
            return list(self.check.columns_of(table))
        return list(table.roles.columns(self.check.role)) if self.check.role else []

    def for_column(self, values: pd.Series) -> ValueCheckAdapter:
        if hasattr(self.check, "for_column"):
            return ValueCheckAdapter(self.check.for_column(values))
        return self


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
        return NormalizerStep(ValueCheckAdapter(check), workers)
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


def row_findings(table: Table, failed: pd.Series, column: str, code: str, detail: str = "") -> pd.DataFrame:
    """Findings for the rows where `failed` is True; the value shown is the cell of `column`, if any."""
    rows = failed.index[failed.to_numpy(dtype=bool)]
    if len(rows) == 0:
        return empty_findings()
    values = table.frame.loc[rows, column].to_numpy() if column in table.frame.columns else ""
    return findings_frame(rows.to_numpy(), column, values, Severity.WARNING, code, detail)


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
