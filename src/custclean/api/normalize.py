"""normalize(): every selected normalizer over a table, each edit recorded."""

from __future__ import annotations

from dataclasses import asdict

from custclean.config import Config
from custclean.normalize.registry import build_steps
from custclean.pipeline import Progress, run_steps
from custclean.results import RunResult
from custclean.ruleset import RuleSet
from custclean.table import Table


def normalize(
    table: Table, config: Config | None = None, rules: RuleSet | None = None, progress: Progress | None = None
) -> RunResult:
    """Standardise countries, names, addresses, emails, phones ... in every column with a role.

    >>> import custclean as cc
    >>> result = cc.normalize(cc.read("examples/customers_multilang.csv"))
    >>> len(result.changes) > 0
    True
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    run = run_steps(table, build_steps(rules, config), progress)
    return RunResult(
        table=run.table, command="normalize", input_rows=len(table), changes=run.changes,
        findings=run.findings, timings=run.timings, config={"normalize": asdict(config.normalize)},
    )
