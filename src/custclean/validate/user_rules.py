"""Compiles [[rule]] tables into checks (required, required_any, required_if, regex, allowed, range, unique).

These kinds are what users write without code; the shipped defaults use them too (required.contact is
a required_any over email and phone). A rule names its cells by role ("email", whatever the header)
or by column header; value rules (regex, allowed, range) run once per distinct value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import reduce
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd

from custclean.roles import Role
from custclean.text import fold
from custclean.validate.base import RuleSpec, concat_findings, file_finding, row_findings
from custclean.validate.checks import DateRead, build_builtin
from custclean.validate.context import CheckContext

if TYPE_CHECKING:
    from custclean.table import Table


@dataclass(frozen=True)
class Target:
    """A role or a column header that a rule is about."""

    role: Role | None = None
    column: str | None = None

    @property
    def label(self) -> str:
        return self.role.value if self.role else f"'{self.column}'"

    def columns(self, table: Table) -> tuple[str, ...]:
        """Its columns in this table: every column of the role, or the header (exact, else folded)."""
        if self.role is not None:
            return table.roles.columns(self.role)
        if self.column in table.frame.columns:
            return (self.column,)
        key = fold(self.column or "")
        return tuple(c for c in table.columns if fold(c) == key)[:1]

    def filled(self, table: Table) -> pd.Series:
        """True where any of its columns holds something other than spaces."""
        return pd.Series(~self.blank(table), index=table.frame.index)

    def blank(self, table: Table, rows: np.ndarray | None = None) -> np.ndarray:
        """Whether each row (or each of the row positions `rows`) has only spaces in all of its columns.

        A whole column's answer is kept by the table while the column is unchanged: the required rules
        and the follow-up list ask about the same columns.
        """
        blank = np.ones(len(table) if rows is None else len(rows), dtype=bool)
        for column in self.columns(table):
            if rows is None:
                blank &= table.memo(("blank", column), (column,), blank_cells)
            else:
                blank &= blank_cells(table.frame[column].to_numpy()[rows])
        return blank

    def values(self, table: Table, folded: bool = False) -> pd.Series | None:
        columns = self.columns(table)
        if not columns:
            return None
        values = stripped(table.frame[columns[0]])
        return values.map(fold) if folded else values

    def absent(self, code: str) -> pd.DataFrame:
        what = f"no {self.role.value} column" if self.role else f"no column {self.label}"
        return file_finding(code, self.role.value if self.role else self.column or "", f"the list has {what}")


def blank_cells(values: np.ndarray) -> np.ndarray:
    """`values.str.strip() == ""` without building a million stripped strings: a cell of spaces is blank.

    strip() and isspace() share one idea of white space, so a text is blank exactly when it is "" or all
    spaces; anything that is not text counts as filled, as it does for the pandas comparison.
    """
    try:
        spaces = np.fromiter(map(str.isspace, values), dtype=bool, count=len(values))
    except TypeError:     # a cell that is not text (None, NaN): the slower test that allows for it
        return np.fromiter((isinstance(cell, str) and (not cell or cell.isspace()) for cell in values),
                           dtype=bool, count=len(values))
    return spaces | (values == "")


def stripped(values: pd.Series) -> pd.Series:
    """`values.str.strip()`; with str.strip itself when every cell is text (it returns a stripped text as it is)."""
    if values.dtype == object:
        try:
            cells = np.fromiter(map(str.strip, values.to_numpy()), dtype=object, count=len(values))
        except TypeError:
            return values.str.strip()
        return pd.Series(cells, index=values.index, name=values.name)
    return values.str.strip()


def targets_of(params: dict[str, Any]) -> tuple[Target, ...]:
    """The targets named by role/roles/column/columns, in that order."""
    roles = [params["role"]] if "role" in params else list(params.get("roles", []))
    columns = [params["column"]] if "column" in params else list(params.get("columns", []))
    return (*(Target(role=Role(r)) for r in roles), *(Target(column=c) for c in columns))


class _Rule:
    """What every user rule kind has: its code (also its step name) and the targets it checks."""

    role: ClassVar[Role | None] = None
    hint: ClassVar[Role | None] = None
    codes: ClassVar[dict[str, str]] = {}

    code: str
    targets: tuple[Target, ...]

    @property
    def name(self) -> str:
        return self.code


class _TableRule(_Rule):
    """Shared shape of the rule kinds that see the whole table."""


@dataclass(frozen=True)
class RequiredCheck(_TableRule):
    """Every target must be filled on every row."""

    params: ClassVar[dict[str, str]] = {}
    required_params: ClassVar[tuple[str, ...]] = ()

    code: str
    targets: tuple[Target, ...]

    @classmethod
    def from_spec(cls, spec: RuleSpec, ctx: CheckContext) -> Self:
        return cls(spec.code, targets_of(dict(spec.params)))

    def run(self, table: Table) -> pd.DataFrame:
        frames = []
        for target in self.targets:
            columns = target.columns(table)
            if not columns:
                frames.append(target.absent(self.code))
            else:
                frames.append(row_findings(table, target.blank(table), columns[0], self.code))
        return concat_findings(frames)


@dataclass(frozen=True)
class RequiredAnyCheck(RequiredCheck):
    """At least one of the targets must be filled (a name: first, last or full)."""

    def run(self, table: Table) -> pd.DataFrame:
        present = [t for t in self.targets if t.columns(table)]
        if not present:
            labels = " / ".join(t.label for t in self.targets)
            return file_finding(self.code, labels, "the list has none of these columns")
        column = " / ".join(t.columns(table)[0] for t in present)
        return row_findings(table, _blank_in_all(table, present), column, self.code)


def _blank_in_all(table: Table, targets: list[Target]) -> np.ndarray:
    """Rows where every target is blank; each target after the first is read only on the rows still blank."""
    blank = targets[0].blank(table)
    for target in targets[1:]:
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        blank[rows] = target.blank(table, rows)
    return blank


@dataclass(frozen=True)
class Condition:
    """`when = { role|column = ..., filled = true | equals = "x" | in = [...] }`."""

    target: Target
    filled: bool | None = None
    equals: frozenset[str] = frozenset()
    folded: bool = False

    @classmethod
    def parse(cls, when: dict[str, Any], folded: bool) -> Condition:
        target = targets_of(when)[0]
        values = [when["equals"]] if "equals" in when else when.get("in", [])
        keys = frozenset(fold(v) if folded else v.strip() for v in values)
        return cls(target, when.get("filled"), keys, folded)

    def holds(self, table: Table) -> pd.Series | None:
        """Where the condition is true; None when the list has no column for it."""
        if not self.target.columns(table):
            return None
        if self.filled is not None:
            return self.target.filled(table) == self.filled
        values = self.target.values(table, self.folded)
        return values.isin(self.equals) if values is not None else None


@dataclass(frozen=True)
class RequiredIfCheck(RequiredCheck):
    """The targets must be filled on rows where `when` holds (VAT number when a company is given)."""

    params: ClassVar[dict[str, str]] = {"when": "when", "fold": "bool"}
    required_params: ClassVar[tuple[str, ...]] = ("when",)

    when: Condition | None = None

    @classmethod
    def from_spec(cls, spec: RuleSpec, ctx: CheckContext) -> Self:
        when = Condition.parse(spec.params["when"], bool(spec.param("fold", False)))
        return cls(spec.code, targets_of(dict(spec.params)), when)

    def run(self, table: Table) -> pd.DataFrame:
        assert self.when is not None
        holds = self.when.holds(table)
        if holds is None:
            return self.when.target.absent(self.code)
        frames = []
        for target in self.targets:
            columns = target.columns(table)
            if not columns:
                frames.append(target.absent(self.code))
            else:
                frames.append(row_findings(table, holds & ~target.filled(table), columns[0], self.code))
        return concat_findings(frames)


@dataclass(frozen=True)
class UniqueCheck(RequiredCheck):
    """No two rows share a value (or a combination of the targets' values); every occurrence is flagged."""

    params: ClassVar[dict[str, str]] = {"fold": "bool"}

    folded: bool = False

    @classmethod
    def from_spec(cls, spec: RuleSpec, ctx: CheckContext) -> Self:
        return cls(spec.code, targets_of(dict(spec.params)), bool(spec.param("fold", False)))

    def run(self, table: Table) -> pd.DataFrame:
        parts = [t.values(table, self.folded) for t in self.targets]
        if any(p is None for p in parts):
            return self._absent(table)
        keys = reduce(lambda a, b: a + "\x1f" + b, parts)
        complete = reduce(lambda a, b: a & b, (p.to_numpy() != "" for p in parts))
        return row_findings(table, repeated(keys.to_numpy()) & complete, self.targets[0].columns(table)[0], self.code)

    def _absent(self, table: Table) -> pd.DataFrame:
        """A unique id rule on a list without ids says nothing; a named column that is missing is reported."""
        return concat_findings(t.absent(self.code) for t in self.targets if t.column and not t.columns(table))


def repeated(keys: np.ndarray) -> np.ndarray:
    """`duplicated(keep=False)`: whether each key occurs more than once, from one factorize (half the time)."""
    codes, _ = pd.factorize(keys, use_na_sentinel=False)
    return np.bincount(codes, minlength=1)[codes] > 1


class _ValueRule(_Rule):
    """Shared shape of the rule kinds that test one cell at a time (run once per distinct value)."""

    def columns_of(self, table: Table) -> list[str]:
        return list(dict.fromkeys(c for t in self.targets for c in t.columns(table)))


@dataclass(frozen=True)
class RegexCheck(_ValueRule):
    """A filled cell must match `pattern` in full (spaces around the value are ignored)."""

    params: ClassVar[dict[str, str]] = {"pattern": "regex", "ignore_case": "bool"}
    required_params: ClassVar[tuple[str, ...]] = ("pattern",)

    code: str
    targets: tuple[Target, ...]
    pattern: re.Pattern[str]

    @classmethod
    def from_spec(cls, spec: RuleSpec, ctx: CheckContext) -> Self:
        flags = re.IGNORECASE if spec.param("ignore_case") else 0
        return cls(spec.code, targets_of(dict(spec.params)), re.compile(spec.params["pattern"], flags))

    def check(self, value: str, hint: str = "") -> str | None:
        text = value.strip()
        return None if not text or self.pattern.fullmatch(text) else self.code


@dataclass(frozen=True)
class AllowedCheck(_ValueRule):
    """A filled cell must be one of `values` (compared folded when `fold = true`)."""

    params: ClassVar[dict[str, str]] = {"values": "list", "fold": "bool"}
    required_params: ClassVar[tuple[str, ...]] = ("values",)

    code: str
    targets: tuple[Target, ...]
    allowed: frozenset[str]
    folded: bool = False

    @classmethod
    def from_spec(cls, spec: RuleSpec, ctx: CheckContext) -> Self:
        folded = bool(spec.param("fold", False))
        allowed = frozenset(fold(v) if folded else v.strip() for v in spec.params["values"])
        return cls(spec.code, targets_of(dict(spec.params)), allowed, folded)

    def check(self, value: str, hint: str = "") -> str | None:
        text = value.strip()
        if not text:
            return None
        return None if (fold(text) if self.folded else text) in self.allowed else self.code


_NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f'’_]")


def parse_number(text: str) -> float | None:
    """ "1 234,5" and "1234.5" -> 1234.5; None when the text is not a number."""
    bare = _NUMBER_NOISE.sub("", text)
    if "," in bare:
        bare = bare.replace(".", "").replace(",", ".") if bare.count(",") == 1 else bare.replace(",", "")
    try:
        return float(bare)
    except ValueError:
        return None


@dataclass(frozen=True)
class RangeCheck(_ValueRule):
    """A filled cell must be a number (or a date) within [min, max]; unreadable values fail too."""

    params: ClassVar[dict[str, str]] = {"min": "bound", "max": "bound"}
    required_params: ClassVar[tuple[str, ...]] = ()

    code: str
    targets: tuple[Target, ...]
    low: float | date | None
    high: float | date | None
    dates: DateRead | None = None     # set when the bounds are dates

    @classmethod
    def from_spec(cls, spec: RuleSpec, ctx: CheckContext) -> Self:
        low, high = (_bound(spec.param(k), ctx.today) for k in ("min", "max"))
        dated = isinstance(low, date) or isinstance(high, date)
        dates = DateRead.build(ctx.rules, ctx.config) if dated else None
        return cls(spec.code, targets_of(dict(spec.params)), low, high, dates)

    def for_column(self, values: pd.Series) -> Self:
        return self if self.dates is None else replace(self, dates=self.dates.for_column(values))

    def check(self, value: str, hint: str = "") -> str | None:
        text = value.strip()
        if not text:
            return None
        parsed = self.dates.read(text) if self.dates else parse_number(text)
        if parsed is None:
            return self.code
        too_low = self.low is not None and parsed < self.low      # type: ignore[operator]
        too_high = self.high is not None and parsed > self.high   # type: ignore[operator]
        return self.code if too_low or too_high else None


def _bound(value: Any, today: date | None) -> float | date | None:
    """A range bound as read from TOML: a number, a date, an ISO date text, or "today"."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        return (today or date.today()) if value.strip().lower() == "today" else date.fromisoformat(value.strip())
    return float(value)


@dataclass(frozen=True)
class ColumnsPresent:
    """Reports, once, a column a value rule names that the list does not have (a typo in the rules file?)."""

    role: ClassVar[Role | None] = None
    codes: ClassVar[dict[str, str]] = {}

    code: str
    targets: tuple[Target, ...]

    @property
    def name(self) -> str:
        return f"{self.code}:columns"

    def run(self, table: Table) -> pd.DataFrame:
        return concat_findings(t.absent(self.code) for t in self.targets if t.column and not t.columns(table))


RULE_KINDS: dict[str, Any] = {
    "required": RequiredCheck,
    "required_any": RequiredAnyCheck,
    "required_if": RequiredIfCheck,
    "regex": RegexCheck,
    "allowed": AllowedCheck,
    "range": RangeCheck,
    "unique": UniqueCheck,
}


def build_checks(specs: dict[str, RuleSpec], ctx: CheckContext) -> list[Any]:
    """Every enabled check: the built-in ones, then one per user-kind rule, in the rules' order."""
    checks = build_builtin(specs, ctx)
    for spec in specs.values():
        kind = RULE_KINDS.get(spec.check)
        if kind is None or not spec.enabled:
            continue
        check = kind.from_spec(spec, ctx)
        checks.append(check)
        if isinstance(check, _ValueRule):
            checks.append(ColumnsPresent(spec.code, check.targets))
    return checks
