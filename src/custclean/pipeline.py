"""The Step protocol and run_steps(), the only code that applies edits to a Table.

A step reads a Table and returns edits and findings; it never mutates. run_steps applies the edits,
records them in the ChangeLog, gathers findings and times every step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from custclean.changes import ChangeLog, empty_edits
from custclean.findings import Findings, empty_findings
from custclean.roles import Role
from custclean.table import Table


@dataclass(frozen=True)
class StepResult:
    """What a step wants done: cell edits (row, column, old, new, rule), findings, new column roles.

    An edit may name a column the table does not have yet; run_steps appends it (at the end, so the
    user's column order is kept) and `new_roles` tells which role it holds.
    """

    edits: pd.DataFrame = field(default_factory=empty_edits)
    findings: pd.DataFrame = field(default_factory=empty_findings)
    new_roles: tuple[tuple[Role, str], ...] = ()


class Step(Protocol):
    """Anything run_steps can run: reads a Table, returns edits and findings, never mutates."""

    name: str

    def run(self, table: Table) -> StepResult: ...


Progress = Callable[[str, int, int], None]   # (step name, done, total)


@dataclass
class StepRun:
    """A table after some steps, with everything that happened to it."""

    table: Table
    changes: ChangeLog = field(default_factory=ChangeLog)
    findings: Findings = field(default_factory=Findings)
    timings: dict[str, float] = field(default_factory=dict)


def apply_result(run: StepRun, step_name: str, result: StepResult) -> None:
    """Apply one step's result to `run` in place: edits, new roles, change log, findings."""
    table = run.table.apply(result.edits)
    if result.new_roles:
        roles = table.roles
        for role, column in result.new_roles:
            roles = roles.with_role(role, column)
        table = table.with_frame(table.frame, roles)
    run.table = table
    run.changes.record(result.edits, step_name)
    run.findings.add(result.findings)


def run_steps(table: Table, steps: Iterable[Step], progress: Progress | None = None) -> StepRun:
    """Run steps in order, each on the table the previous ones left."""
    steps = list(steps)
    run = StepRun(table)
    for index, step in enumerate(steps):
        if progress:
            progress(step.name, index, len(steps))
        started = time.perf_counter()
        apply_result(run, step.name, step.run(run.table))
        run.timings[step.name] = time.perf_counter() - started
    if progress:
        progress("done", len(steps), len(steps))
    return run
