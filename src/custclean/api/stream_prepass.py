"""The first pass of a chunked run: what must be decided over the whole file before any chunk is written.

Two things cannot be decided one chunk at a time without changing the result:

- per-column decisions (`for_column`: a date column's day/month order, a phone column read as mobiles)
  would flip between chunks, since one chunk may prove "day first" and the next prove nothing;
- whole-table checks (UniqueCheck: the same id on two rows) must see a duplicate whose copies sit in
  different chunks, and flag *every* copy, the first one included, before that row is written (an
  error sends it to the quarantine).

So a first pass reads only the columns these need. It collects each column-aware step's distinct input
values (the in-memory decision is a function of the column's distinct values: `column_order` works on
`pd.unique`, PhoneCheck reads the header only), capped at CAP_DISTINCT per column, and the 64-bit hashes
of every unique-rule key (8 bytes a row, in numpy). The second pass then runs the steps with the
decisions frozen and flags exactly the keys whose hash occurs more than once. Deciding from the first
chunk instead would be cheaper but would not match the whole-file run on a file whose first rows are
all ambiguous (03/04/1985) and whose later rows prove the order (25/04/1985).
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd

from custclean.io.csv_stream import CsvChunks
from custclean.pipeline import Step, StepRun, apply_result
from custclean.roles import RoleMap
from custclean.table import Table
from custclean.validate.base import ValueCheckAdapter, as_step, concat_findings, row_findings
from custclean.validate.user_rules import UniqueCheck

CAP_DISTINCT = 100_000   # distinct values kept per column for a per-column decision (memory: a few MB)


def step_columns(step: Step, table: Table) -> list[str]:
    """The columns a normalizer step works on (as NormalizerStep picks them); [] for other steps."""
    normalizer = getattr(step, "normalizer", None)
    if normalizer is None:
        return []
    if hasattr(normalizer, "columns_of"):
        return list(normalizer.columns_of(table))
    return list(table.roles.columns(normalizer.role)) if normalizer.role else []


def _aware(step: Step) -> bool:
    """Whether a step makes a decision per column before it looks at values."""
    normalizer = getattr(step, "normalizer", None)
    if normalizer is None or not hasattr(normalizer, "for_column"):
        return False
    return not isinstance(normalizer, ValueCheckAdapter) or hasattr(normalizer.check, "for_column")


class Decided:
    """A column-aware normalizer (or check adapter) whose per-column decisions were made beforehand."""

    def __init__(self, inner: Any, decided: dict[str, Any]) -> None:
        self._inner = inner
        self._decided = decided

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def for_column(self, values: pd.Series) -> Any:
        decided = self._decided.get(str(values.name))
        return decided if decided is not None else self._inner.for_column(values)


def unique_keys(rule: UniqueCheck, table: Table) -> tuple[pd.Series, pd.Series] | None:
    """A unique rule's key per row and whether it is complete, as UniqueCheck.run builds them."""
    parts = [t.values(table, rule.folded) for t in rule.targets]
    if any(p is None for p in parts):
        return None
    keys = reduce(lambda a, b: a + "\x1f" + b, parts)
    complete = reduce(lambda a, b: a & b, (p != "" for p in parts))
    return keys, complete


def key_hashes(keys: pd.Series) -> np.ndarray:
    """64-bit hashes of text keys (SipHash with pandas' fixed key: the same in every process)."""
    return pd.util.hash_pandas_object(keys, index=False).to_numpy()


@dataclass(frozen=True)
class SeenUnique:
    """A UniqueCheck over a file read in chunks: `repeated` holds the hashes of keys seen on 2+ rows.

    Two different keys share a 64-bit hash with probability about n²/2⁶⁵ (3e-6 for 10M keys).
    """

    rule: UniqueCheck
    repeated: np.ndarray

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def codes(self) -> dict[str, str]:
        return self.rule.codes

    def run(self, table: Table) -> pd.DataFrame:
        found = unique_keys(self.rule, table)
        if found is None:
            return concat_findings(
                t.absent(self.rule.code) for t in self.rule.targets if t.column and not t.columns(table))
        keys, complete = found
        repeated = pd.Series(np.isin(key_hashes(keys), self.repeated), index=keys.index) & complete
        return row_findings(table, repeated, self.rule.targets[0].columns(table)[0], self.rule.code)


@dataclass
class FirstPass:
    """What the first pass collects, and the steps and checks it returns with the decisions frozen."""

    steps: list[Step]
    columns: tuple[str, ...]
    roles: RoleMap
    uniques: dict[int, UniqueCheck] = field(default_factory=dict)   # check index -> rule
    aware: dict[int, list[str]] = field(default_factory=dict)       # step index -> its columns
    seen: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    hashes: dict[int, list[np.ndarray]] = field(default_factory=dict)

    def needed(self, header: Table) -> list[str]:
        """Columns the pass must read: those of column-aware steps and of unique rules."""
        wanted = [c for cols in self.aware.values() for c in cols]
        wanted += [c for rule in self.uniques.values() for t in rule.targets for c in t.columns(header)[:1]]
        return list(dict.fromkeys(wanted))

    def read_after(self, index: int) -> set[str]:
        """Columns a column-aware step after step `index` decides on (earlier edits to them matter)."""
        return {c for i, cols in self.aware.items() if i > index for c in cols}

    def collect(self, index: int, table: Table) -> None:
        for column in self.aware[index]:
            bag = self.seen.setdefault((index, column), set())
            if len(bag) < CAP_DISTINCT:
                bag.update(pd.unique(table.frame[column].to_numpy())[: CAP_DISTINCT - len(bag)].tolist())

    def hash_keys(self, table: Table) -> None:
        for index, rule in self.uniques.items():
            found = unique_keys(rule, table)
            if found is not None:
                keys, complete = found
                self.hashes.setdefault(index, []).append(key_hashes(keys[complete]))

    def decided_steps(self) -> list[Step]:
        """The steps with every column-aware one deciding from the whole file's distinct values."""
        steps = list(self.steps)
        for index, columns in self.aware.items():
            step = steps[index]
            inner = step.normalizer   # type: ignore[attr-defined]
            decided = {c: inner.for_column(pd.Series(sorted(self.seen.pop((index, c), ())), name=c, dtype=object))
                       for c in columns}
            frozen = copy.copy(step)    # the same step (and its options), deciding as the whole file says
            frozen.normalizer = Decided(inner, decided)   # type: ignore[attr-defined]
            steps[index] = frozen
        return steps

    def repeated(self, index: int) -> np.ndarray:
        """Sorted hashes of the keys that occur on more than one row."""
        parts = self.hashes.get(index, [])
        if not parts:
            return np.empty(0, dtype=np.uint64)
        hashes = np.concatenate(parts)
        self.hashes[index] = []
        hashes.sort()
        return np.unique(hashes[1:][hashes[1:] == hashes[:-1]])


def _full_width(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A chunk read with only some columns, every other column empty (steps then skip them cheaply)."""
    return pd.DataFrame({c: frame[c] if c in frame.columns else "" for c in columns}, index=frame.index,
                        dtype=object)


def first_pass(
    chunks: CsvChunks, roles: RoleMap, steps: list[Step], checks: Sequence[Any], rows: int, run_prefix: bool
) -> list[Step]:
    """Decide per-column steps over the whole file and find repeated unique keys; returns the steps to run.

    `checks`: the validation checks `steps` were built from (step i runs check i), or () for normalize.

    `run_prefix`: run the editing steps that come before a column-aware step on its columns (normalize:
    the date order is decided on text-normalized values, as in a whole-table run). Validation checks
    never edit, so they are not run here.
    """
    header = Table(_full_width(pd.DataFrame(columns=list(chunks.columns)), chunks.columns), roles, chunks.source)
    plan = FirstPass(steps, chunks.columns, roles)
    plan.aware = {i: cols for i, s in enumerate(steps) if _aware(s) and (cols := step_columns(s, header))}
    plan.uniques = {i: c for i, c in enumerate(checks) if isinstance(c, UniqueCheck)}
    needed = plan.needed(header)
    if not needed:
        return steps
    last = max(plan.aware, default=-1)
    prefix = {i for i in range(last) if run_prefix and set(step_columns(steps[i], header)) & plan.read_after(i)}
    usecols = sorted(chunks.columns.index(c) for c in needed)
    for table in _tables(chunks, rows, usecols, roles):
        run = StepRun(table)
        for index in range(last + 1):
            if index in plan.aware:
                plan.collect(index, run.table)
            if index in prefix:
                apply_result(run, steps[index].name, steps[index].run(run.table))
        plan.hash_keys(table)
    decided = plan.decided_steps()
    for index, rule in plan.uniques.items():
        decided[index] = as_step(SeenUnique(rule, plan.repeated(index)))
    return decided


def _tables(chunks: CsvChunks, rows: int, usecols: list[int], roles: RoleMap) -> Iterator[Table]:
    for frame in chunks.frames(rows, usecols):
        yield Table(_full_width(frame, chunks.columns), roles, chunks.source)
        gc.collect()   # pandas' .str accessors leave cycles holding a chunk's arrays; free them now
