"""find_duplicates(): score candidate pairs, build clusters and the review band; the table is unchanged."""

from __future__ import annotations

from dataclasses import asdict

from custclean.config import Config
from custclean.match.engine import match_records
from custclean.results import RunResult
from custclean.ruleset import RuleSet
from custclean.table import Table


def find_duplicates(
    table: Table, config: Config | None = None, rules: RuleSet | None = None, *, normalized: bool = False
) -> RunResult:
    """Find the records that are the same customer; the table comes back unchanged.

    `result.clusters` has one row per record (same index as the table): `cluster_id` ("c" + the
    smallest member's row, zero-padded) and `probability` (the record's best link inside its cluster;
    1.0 for a record alone). `result.pairs` holds the scored pairs at or above the review threshold,
    `result.review` the pairs between review_threshold and threshold, with an empty `decision`
    column. Pass `normalized=True` when the table already went through `normalize` (saves time).

    >>> import custclean as cc
    >>> result = cc.find_duplicates(cc.read("examples/customers_multilang.csv"))
    >>> list(result.clusters.columns)
    ['cluster_id', 'probability']
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    output = match_records(table, config, rules, normalized)
    return RunResult(
        table=table, command="find_duplicates", input_rows=len(table), timings={"match": sum(
            output.stats["seconds"].values())}, stats={"match": output.stats}, config={"match": asdict(config.match)},
        pairs=output.pairs, clusters=output.clusters, review=output.review,
    )
