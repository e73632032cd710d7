"""Validation: built-in checks, user rules files, quarantine and follow-up lists.

`run_validation` is what `validate` and `clean` call: it builds the checks from the shipped and user
rules, runs them as pipeline steps, sets severities and messages from the rules, and (when asked)
splits off the quarantine and the follow-up list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.findings import Severity
from custclean.pipeline import Progress, Step, run_steps
from custclean.ruleset import RuleSet
from custclean.table import Table
from custclean.validate.base import SEVERITIES, Policy, as_step, did_you_mean
from custclean.validate.context import CheckContext
from custclean.validate.quarantine import follow_up, split
from custclean.validate.specs import load_specs
from custclean.validate.user_rules import build_checks

_KEY = ["row", "column", "code"]


@dataclass
class ValidationRun:
    """What validation found and where each row went."""

    table: Table                                  # kept rows (every row unless quarantining)
    findings: pd.DataFrame
    quarantine: Table | None = None
    incomplete: pd.DataFrame | None = None
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Findings per code, most frequent first."""
        return dict(Counter(self.findings["code"].astype(str)).most_common())


def fail_level(config: Config) -> Severity | None:
    """[validate] fail_on as a Severity, refusing an unknown level with a did-you-mean."""
    level = config.validate.fail_on
    if level is None:
        return None
    if level.strip().lower() not in SEVERITIES:
        hint = did_you_mean(level.lower(), SEVERITIES)
        raise ConfigError(f"fail_on must be one of {', '.join(SEVERITIES)}, not '{level}'{hint}", "--fail-on")
    return Severity.parse(level)


@dataclass
class ValidationPlan:
    """The enabled checks and the policy that gives their findings severity and message."""

    checks: list[Any]
    policy: Policy
    workers: int = 1

    def steps(self) -> list[Step]:
        return [as_step(check, self.workers) for check in self.checks]

    def notes(self) -> list[str]:
        """Run-level remarks from the checks (e.g. DNS was unusable), after they ran."""
        return [note for check in self.checks if hasattr(check, "notes") for note in check.notes()]


def validation_plan(config: Config, rules: RuleSet, context: CheckContext | None = None) -> ValidationPlan:
    """Load the shipped and user rules (ConfigError listing every problem) and build the checks."""
    specs = load_specs(rules, config)
    checks = build_checks(specs, context or CheckContext(rules, config))
    return ValidationPlan(checks, Policy(specs), config.normalize.workers)


def validation_steps(
    config: Config, rules: RuleSet, context: CheckContext | None = None
) -> tuple[list[Step], Policy]:
    """One pipeline step per enabled check, and the policy to apply to their findings frame."""
    plan = validation_plan(config, rules, context)
    return plan.steps(), plan.policy


def run_validation(
    table: Table,
    config: Config | None = None,
    rules: RuleSet | None = None,
    *,
    quarantine: bool | None = None,
    incomplete: bool | None = None,
    earlier: pd.DataFrame | None = None,
    progress: Progress | None = None,
    context: CheckContext | None = None,
) -> ValidationRun:
    """Check `table`; quarantine rows with errors and list incomplete rows when asked.

    `quarantine`/`incomplete` default to whether [validate] quarantine/incomplete name a file.
    `earlier` holds the findings of earlier steps (normalization); then `findings` is the whole list:
    the earlier findings, minus those validation restates for the same row, column and code (its
    rules set the severity), followed by validation's own. Every error in it can quarantine a row.
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    fail_level(config)
    plan = validation_plan(config, rules, context)
    run = run_steps(table, plan.steps(), progress)
    findings = plan.policy.apply(run.findings.frame())
    if earlier is not None and not earlier.empty:
        findings = pd.concat([_not_restated(earlier, findings), findings], ignore_index=True)
    result = ValidationRun(table, findings, timings=run.timings, warnings=plan.notes())
    if _asked(quarantine, config.validate.quarantine):
        result.table, result.quarantine = split(run.table, findings)
    if _asked(incomplete, config.validate.incomplete):
        # Over the whole checked table (whose blank cells the required rules found), limited to the kept rows.
        kept = None if result.quarantine is None else ~run.table.frame.index.isin(result.quarantine.frame.index)
        result.incomplete, warnings = follow_up(run.table, config.validate.want, kept)
        result.warnings.extend(warnings)
    return result


def _asked(flag: bool | None, path: str | None) -> bool:
    return path is not None if flag is None else flag


def _not_restated(earlier: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """The earlier findings that no validation finding restates (same row, column and code)."""
    restated = _keys(findings).drop_duplicates()
    marked = _keys(earlier).merge(restated, how="left", on=_KEY, indicator=True)
    return earlier[(marked["_merge"] == "left_only").to_numpy()]


def _keys(findings: pd.DataFrame) -> pd.DataFrame:
    """(row, column, code) as text, a row of 7 and of 7.0 alike, a missing row as ""."""
    keys = findings[_KEY].astype(str)
    keys["row"] = pd.to_numeric(findings["row"], errors="coerce").astype("Int64").astype(str).replace("<NA>", "")
    return keys


__all__ = [
    "CheckContext", "ValidationPlan", "ValidationRun", "fail_level", "run_validation", "validation_plan",
    "validation_steps",
]
