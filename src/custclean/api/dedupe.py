"""dedupe(): find the records that are one customer and merge each cluster into one golden record.

Matching always runs on normalized values ("06 12 34 56 78" = "+33612345678"), but the output keeps
the user's own text unless [merge] normalize (--normalize) is set: dedupe alone changes only what
merging changes, and every such change is in changes.csv (rule merge.<policy>).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from custclean.api.normalize import normalize
from custclean.changes import ChangeLog
from custclean.config import Config
from custclean.errors import ConfigError
from custclean.io import read_table
from custclean.merge.golden import GoldenResult, golden_records
from custclean.merge.plan import build_plan, check_merge_config
from custclean.pipeline import Progress
from custclean.results import RunResult
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table


def id_column(table: Table, config: Config) -> str | None:
    """--id-column when given and present, else the column with the id role."""
    wanted = config.match.id_column
    if wanted is not None and wanted not in table.columns:
        raise ConfigError(f"{table.source.name} has no column '{wanted}'", "--id-column")
    return wanted or table.roles.column(Role.ID)


def read_clusters(path: str | Path, table: Table, config: Config) -> pd.DataFrame:
    """A clusters file (one line per record: `row` or the id column, `cluster_id`, optional `probability`).

    Records the file does not list stay alone. Rows are the record keys written in clusters.csv.
    """
    frame = read_table(path, config.input).frame
    name = Path(str(path)).name
    ident = id_column(table, config)
    if "cluster_id" not in frame.columns:
        raise ConfigError(f"{name}: needs a cluster_id column", "--clusters")
    if "row" in frame.columns:
        keys = pd.to_numeric(frame["row"], errors="coerce")
        if keys.isna().any():
            raise ConfigError(f"{name}: row {int(keys.isna().idxmax())}: 'row' must be a row number", "--clusters")
    elif ident is not None and ident in frame.columns:
        ids = table.frame[ident]
        if ids.duplicated().any():
            raise ConfigError(f"{table.source.name}: column '{ident}' repeats ids; give `row` in {name}", "--clusters")
        keys = frame[ident].map(pd.Series(table.frame.index, index=ids.to_numpy()))
    else:
        raise ConfigError(f"{name}: needs a 'row' column or the id column '{ident or 'id'}'", "--clusters")
    known = keys.notna() & keys.isin(table.frame.index)
    probability = pd.to_numeric(frame.get("probability", pd.Series(1.0, index=frame.index)), errors="coerce")
    clusters = pd.DataFrame({"cluster_id": frame["cluster_id"][known].to_numpy(),
                             "probability": probability[known].fillna(1.0).to_numpy()},
                            index=pd.Index(keys[known].astype(int).to_numpy()))
    return clusters[clusters["cluster_id"] != ""]


def clusters_report(table: Table, clusters: pd.DataFrame, ident: str | None) -> pd.DataFrame:
    """clusters.csv: one line per record: row (and file), its id, cluster_id, probability."""
    aligned = clusters.reindex(table.frame.index)
    report = pd.DataFrame({"row": table.frame.index.to_numpy()})
    if table.origin is not None:
        report["source_file"] = table.origin["source"].to_numpy()
        report["source_row"] = table.origin["row"].to_numpy()
    if ident is not None:
        report[ident if ident not in report else f"{ident}_"] = table.frame[ident].to_numpy()
    alone = aligned["cluster_id"].isna().to_numpy()
    report["cluster_id"] = aligned["cluster_id"].fillna("").to_numpy()
    report.loc[alone, "cluster_id"] = [f"r{k}" for k in table.frame.index[alone]]
    report["probability"] = aligned["probability"].fillna(1.0).round(4).to_numpy()
    return report


@dataclass
class Deduped:
    """What the dedupe stage produced, for dedupe, merge and clean to put in their RunResult."""

    golden: GoldenResult
    clusters: pd.DataFrame
    timings: dict[str, float]
    match: RunResult | None = None
    warnings: list[str] = field(default_factory=list)


def _timed_match(table: Table, config: Config, rules: RuleSet) -> tuple[pd.DataFrame, RunResult | None, dict]:
    """Clusters from the clusters file when one is given, else from the matching engine (timed per stage)."""
    if config.merge.clusters:
        started = time.perf_counter()
        clusters = read_clusters(config.merge.clusters, table, config)
        return clusters, None, {"match.clusters_file": time.perf_counter() - started}
    from custclean.api.match import find_duplicates

    found = find_duplicates(table, config, rules, normalized=True)
    seconds = found.stats.get("match", {}).get("seconds") or {}
    timings = {f"match.{k}": float(v) for k, v in seconds.items()} or dict(found.timings)
    return found.clusters, found, timings


def merge_duplicates(
    table: Table, config: Config, rules: RuleSet, compare: Table | None = None, imposed: dict[str, str] | None = None
) -> Deduped:
    """Match `table` (already normalized, or `compare` is its normalized twin) and merge the clusters."""
    clusters, found, timings = _timed_match(compare or table, config, rules)
    started = time.perf_counter()
    plan = build_plan(table, rules, config, imposed)
    ident = id_column(table, config)
    golden = golden_records(table, clusters, plan, None if compare is None else compare.frame, ident)
    timings["merge"] = time.perf_counter() - started
    report = clusters_report(table, clusters, ident)
    return Deduped(golden, report, timings, found, list(plan.warnings))


def deduped_result(table: Table, deduped: Deduped, command: str, input_rows: int, config: Config) -> RunResult:
    """A RunResult holding the golden table, merges, clusters, pairs and review."""
    changes = ChangeLog()
    changes.record(deduped.golden.edits, "merge")
    found = deduped.match
    stats: dict[str, Any] = {"merge": deduped.golden.stats}
    if found is not None:
        stats["match"] = found.stats.get("match", {})
    return RunResult(
        table=deduped.golden.table, command=command, input_rows=input_rows, changes=changes,
        timings=dict(deduped.timings), warnings=[*deduped.warnings, *(found.warnings if found else [])],
        stats=stats, config={"match": asdict(config.match), "merge": asdict(config.merge)},
        pairs=None if found is None else found.pairs, clusters=deduped.clusters,
        review=None if found is None else found.review, merges=deduped.golden.merges,
    )


def dedupe(
    table: Table, config: Config | None = None, rules: RuleSet | None = None, progress: Progress | None = None
) -> RunResult:
    """One golden record per duplicate cluster; absorbed records listed in `result.merges`.

    >>> import custclean as cc
    >>> result = cc.dedupe(cc.read("examples/customers_multilang.csv"))
    >>> len(result.table) + result.stats["merge"]["records_absorbed"] == result.input_rows
    True
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    check_merge_config(rules, config)
    id_column(table, config)
    normalized = normalize(table, config, rules, progress)
    timings = {f"normalize.{k}": v for k, v in normalized.timings.items()}
    if config.merge.normalize:
        deduped = merge_duplicates(normalized.table, config, rules)
    else:
        deduped = merge_duplicates(table, config, rules, compare=normalized.table)
    result = deduped_result(table, deduped, "dedupe", len(table), config)
    result.timings = {**timings, **result.timings}
    if config.merge.normalize:
        result.changes = chain(normalized.changes, result.changes)
        result.findings = normalized.findings
    return result


def chain(*logs: ChangeLog) -> ChangeLog:
    """One change log holding the edits of several steps, in order."""
    out = ChangeLog()
    for log in logs:
        out.extend(log)
    return out


__all__ = ["dedupe", "read_clusters"]
