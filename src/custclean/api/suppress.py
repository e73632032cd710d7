"""suppress(): prepare a mailing: drop opted-out and listed contacts, and those it cannot reach."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict

from custclean.api.io import read
from custclean.config import Config
from custclean.merge.plan import opt_out_words
from custclean.merge.suppress import check_mailing, suppress_rows, suppression_list, usual_region
from custclean.results import RunResult
from custclean.ruleset import RuleSet
from custclean.table import Table


def suppress(
    table: Table, lists: Sequence[Table] | None = None, config: Config | None = None, rules: RuleSet | None = None
) -> RunResult:
    """Remove rows on a suppression list, opted out, or (with [merge] for_mailing) unreachable.

    Removed rows are in `result.suppressed` with a `reason`: `suppression_list:FILE`, `opt_out`,
    `no_valid_email` or `incomplete_postal_address`. `lists` default: the files [merge] suppress names.

    >>> import custclean as cc
    >>> optouts = cc.read("examples/optouts.csv")
    >>> result = cc.suppress(cc.read("examples/customers_multilang.csv"), [optouts])
    >>> len(result.table) + len(result.suppressed) == result.input_rows
    True
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    started = time.perf_counter()
    lists = suppression_tables(config, rules) if lists is None else lists
    done = suppress_table(table, lists, config, rules)
    done.timings["suppress"] = time.perf_counter() - started
    return done


def suppression_tables(config: Config, rules: RuleSet) -> list[Table]:
    """The opt-out lists [merge] suppress names (--suppress, --list), read like any input."""
    return [read(path, config, rules) for path in config.merge.suppress]


def suppress_table(table: Table, lists: Sequence[Table], config: Config, rules: RuleSet) -> RunResult:
    """The suppress step on its own (no timing), for suppress() and clean()."""
    check_mailing(config.merge.for_mailing)
    region = config.normalize.default_region
    listed = [suppression_list(t, usual_region(table, region)) for t in lists]
    outcome = suppress_rows(table, listed, config.merge.for_mailing, opt_out_words(rules), region)
    stats = {"reasons": outcome.stats, "lists": {s.name: len(s.emails) + len(s.phones) for s in listed}}
    return RunResult(
        table=outcome.table, command="suppress", input_rows=len(table), stats={"suppress": stats},
        config={"merge": asdict(config.merge)}, suppressed=outcome.suppressed,
    )


__all__ = ["suppress"]
