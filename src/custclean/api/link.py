"""link(): for each record of a new list, its best match in a master list (same engine as dedupe)."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from custclean.config import Config
from custclean.match.engine import link_records
from custclean.results import RunResult
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table

LINK_COLUMNS = ("match_row", "match_id", "match_probability")


def _free_name(frame: pd.DataFrame, name: str) -> str:
    """`name`, or `name_2`, ... when the new list already has such a column."""
    candidate, n = name, 1
    while candidate in frame.columns:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def link(master: Table, new: Table, config: Config | None = None, rules: RuleSet | None = None) -> RunResult:
    """`new` with three columns added at the end: match_row, match_id, match_probability.

    match_row is the 1-based data row of the best match in `master` at or above the threshold ("" when
    none), match_id the master's id column value for that row ("" without an id column).

    >>> import custclean as cc
    >>> master = cc.read("examples/customers_multilang.csv")
    >>> result = cc.link(master, master)
    >>> list(result.table.columns[-3:])
    ['match_row', 'match_id', 'match_probability']
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    best, output = link_records(master, new, config, rules)
    id_column = config.match.id_column or master.roles.column(Role.ID)
    found = best["match_row"].notna()
    frame = new.frame.copy()
    rows = best["match_row"]
    frame[_free_name(frame, "match_row")] = rows.where(found, "").astype(str).where(found, "")
    ids = pd.Series("", index=frame.index, dtype=object)
    if id_column is not None:
        ids[found] = master.frame.loc[rows[found].to_numpy(), id_column].to_numpy()
    frame[_free_name(frame, "match_id")] = ids
    frame[_free_name(frame, "match_probability")] = best["match_probability"].map(
        lambda p: "" if pd.isna(p) else f"{p:.4f}")
    return RunResult(
        table=new.with_frame(frame), command="link", input_rows=len(new),
        timings={"match": sum(output.stats["seconds"].values())}, stats={"match": output.stats},
        config={"match": asdict(config.match)}, pairs=output.pairs, review=output.review,
    )
