"""merge(): several lists into one, columns aligned by role, duplicates within and across them merged.

Source priority follows the order the files are given: on a tie, the first file's value wins, and a
golden record carries the key (and `source`) of its record from the earliest file.
"""

from __future__ import annotations

from collections.abc import Sequence

from custclean.api.dedupe import chain, deduped_result, id_column, merge_duplicates
from custclean.api.normalize import normalize
from custclean.config import Config
from custclean.errors import ConfigError
from custclean.merge.combine import combine
from custclean.merge.plan import check_merge_config
from custclean.pipeline import Progress
from custclean.results import RunResult
from custclean.ruleset import RuleSet
from custclean.table import Table


def merge(
    tables: Sequence[Table], config: Config | None = None, rules: RuleSet | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """One list from several: aligned by role, each record's file in a `source` column, duplicates merged.

    >>> import custclean as cc
    >>> tables = [cc.read("examples/customers_multilang.csv"), cc.read("examples/clients_fr_cp1252.csv")]
    >>> result = cc.merge(tables)
    >>> {"customers_multilang.csv", "clients_fr_cp1252.csv"} <= set(result.table.frame["source"])
    True
    """
    if not tables:
        raise ConfigError("merge needs at least one file")
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    check_merge_config(rules, config)
    combined = combine(tables)
    table = combined.table
    id_column(table, config)
    normalized = normalize(table, config, rules, progress)
    imposed = {combined.source_column: "concat_unique"}
    if config.merge.normalize:
        deduped = merge_duplicates(normalized.table, config, rules, imposed=imposed)
    else:
        deduped = merge_duplicates(table, config, rules, compare=normalized.table, imposed=imposed)
    result = deduped_result(table, deduped, "merge", len(table), config)
    result.timings = {**{f"normalize.{k}": v for k, v in normalized.timings.items()}, **result.timings}
    result.stats["combine"] = {"files": len(tables), "columns": combined.columns}
    if config.merge.normalize:
        result.changes = chain(normalized.changes, result.changes)
        result.findings = normalized.findings
    return result


__all__ = ["merge"]
