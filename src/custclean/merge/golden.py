"""One golden record per cluster, with lineage (merged_from, merges.csv).

A golden record replaces its cluster's records at the place of the surviving one (the first by
source priority: earlier file, then earlier row) and carries that record's key. Its `merged_from`
cell lists the ids (the id column's values, else row numbers; "file:row" for combined lists) of
every record it absorbed, survivor included, e.g. "12;57;301". Singletons are left untouched, with
an empty `merged_from` (or the value it already had, so a second run keeps the first run's lineage).

merges.csv lists every record a golden record absorbed (the survivor too, since the golden record
replaces it), in full, one row each: `cluster_id`, `row` (the record key), `source_file`/`source_row`
for combined lists, every original column as it was, then `won_columns` and `lost_columns` (which
of its filled cells made it into the golden record, and which did not): a person reads a cluster's
story in Excel by filtering on cluster_id. So every input record is either an output row with an
empty merged_from or a line of merges.csv, and `rebuild()` gets the input back from the two.

Each job (a policy over its columns) is independent of the others, so on big lists a forked process
shares the jobs with this one, which meanwhile selects merges.csv's rows and the rows that stay. Jobs
answer in numbers (which member cell each golden value is, which cells won), never in text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from custclean.merge.lineage import record_columns, record_keys, with_meta
from custclean.merge.plan import MERGED_FROM, Job, MergePlan
from custclean.merge.policies import JOIN, POLICIES, Column, Members, Picks, date_numbers, join_runs
from custclean.parallel import share_jobs
from custclean.table import Table

LIST_SEPARATOR = "; "
PARALLEL_MIN_RECORDS = 100_000      # clustered records below which merging stays in-process (a fork costs more)
# What a policy costs per column (relative, measured on a million-row list): the costliest jobs go first.
COSTS = {"most_frequent": 2.0, "keep_all": 2.5, "source_priority": 1.5}


@dataclass(frozen=True)
class GoldenResult:
    """The merged table, the absorbed records, and the survivors' cells the merge changed."""

    table: Table
    merges: pd.DataFrame
    edits: pd.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)


def cluster_ids(table: Table, clusters: pd.DataFrame | pd.Series | None) -> pd.Series:
    """Each record's cluster id ("" for a record in no cluster), aligned on the table's keys."""
    if clusters is None:
        return pd.Series("", index=table.frame.index, dtype=object)
    ids = clusters["cluster_id"] if isinstance(clusters, pd.DataFrame) else clusters
    if not ids.index.equals(table.frame.index):
        ids = ids.reindex(table.frame.index)
    ids = ids.fillna("")
    return ids if pd.api.types.infer_dtype(ids, skipna=False) == "string" else ids.astype(str).astype(object)


def _members(table: Table, ids: pd.Series, plan: MergePlan) -> tuple[np.ndarray, Members]:
    """Positions of records in clusters of two or more, sorted by cluster then position, and their Members."""
    all_codes, _ = pd.factorize(ids.to_numpy())               # numbered in order of first appearance
    filled = ids.to_numpy() != ""
    sizes = np.bincount(all_codes[filled], minlength=int(all_codes.max(initial=-1)) + 1)
    positions = np.flatnonzero(filled & (sizes[all_codes] > 1))
    codes = pd.factorize(all_codes[positions])[0]
    order = np.argsort(codes, kind="stable")
    positions, codes = positions[order], codes[order]
    recency = np.full(len(positions), -np.inf)
    if plan.recency_column is not None:
        cells = table.frame[plan.recency_column].to_numpy(dtype=object)[positions]
        codes_, uniques = pd.factorize(cells, use_na_sentinel=False)
        dates = date_numbers(pd.Series(uniques, dtype=object), plan.dayfirst).to_numpy()[codes_]
        recency = np.where(np.isnan(dates), -np.inf, dates)
    return positions, Members(codes, int(codes.max(initial=-1)) + 1, recency, plan.truthy)


def _free_name(base: str, number: int, taken: set[str]) -> str:
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


@dataclass(frozen=True)
class _Merged:
    """One job merged, in numbers (what a forked process sends back): its golden cells, each input
    column's marks per member (0 empty, 1 won, 2 lost) and conflicts, each output's changed survivors."""

    picks: Picks
    marks: dict[str, np.ndarray]
    conflicts: dict[str, int]
    changed: list[np.ndarray]


def _merge_job(job: Job, table: Table, cells: Callable[[str], np.ndarray], compare: pd.DataFrame | None,
               members: Members) -> _Merged:
    """Run one job's policy over its columns' member cells (`cells(name)`) and say which cells won."""
    columns = [
        Column(name, table.roles.role_of(name), cells(name),
               None if compare is None or name not in compare else compare[name].to_numpy(dtype=object))
        for name in job.columns
    ]
    picks = POLICIES[job.policy].merge(columns, members)
    golden = picks.values(columns)
    marks, conflicts = {}, {}
    for own, column in enumerate(columns):
        kept = _kept(column, golden, own, job.policy == "concat_unique", members)
        marks[column.name] = np.where(column.filled, np.where(kept, 1, 2), 0).astype(np.int8)
        conflicts[column.name] = _runs(members.codes[column.filled & ~kept])
    starts = members.starts
    changed = [np.flatnonzero((columns[k].values[starts] if k < len(columns) else "") != values)
               for k, values in enumerate(golden)]
    return _Merged(picks, marks, conflicts, changed)


def _merge_jobs(jobs: Sequence[Job], merge: Callable[[Job], _Merged], records: int,
                own: Callable[[], Any]) -> tuple[list[_Merged], Any]:
    """Every job merged, and `own()`: on big lists a forked process shares the jobs meanwhile.

    Jobs are independent (a policy sees its own columns only), so they split by column: each process
    takes the next job when free, the costliest policies first; this one runs own() (merges.csv's
    rows, merged_from, the kept rows) before joining in.
    """
    if records < PARALLEL_MIN_RECORDS:
        mine = own()
        return [merge(job) for job in jobs], mine
    order = sorted(range(len(jobs)), key=lambda i: -COSTS.get(jobs[i].policy, 1.0) * len(jobs[i].columns))
    done, mine = share_jobs(len(order), lambda at: merge(jobs[order[at]]), own)
    merged = dict(zip(order, done, strict=True))
    return [merged[i] for i in range(len(jobs))], mine


def _labels(table: Table, frame: pd.DataFrame, id_column: str | None) -> np.ndarray:
    """What merged_from calls each record: its id, else its row; prefixed by its file for combined lists."""
    origin = None if table.origin is None else table.origin.loc[frame.index]
    rows = pd.Series(frame.index if origin is None else origin["row"].to_numpy(), index=frame.index)
    label = pd.Series("", index=frame.index, dtype=object)
    if id_column and id_column in frame.columns:
        ids = frame[id_column].to_numpy(dtype=object)
        label = pd.Series(np.fromiter(map(str.strip, ids), dtype=object, count=len(ids)), index=frame.index)
    missing = (label == "").to_numpy()
    label[missing] = rows[missing].astype(str).to_numpy()
    if origin is not None:
        label = origin["source"].astype(str) + ":" + label
    if MERGED_FROM in frame.columns:
        previous = frame[MERGED_FROM]
        label = label.where(previous == "", previous)
    return label.to_numpy(dtype=object)


def _joined_labels(labels: np.ndarray, members: Members) -> np.ndarray:
    return join_runs(labels, members.codes, ";")[1]


def _column_lists(matrix: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """For each row of a boolean matrix, the names of its True columns joined by "; " (built per pattern)."""
    if matrix.size == 0:
        return np.full(matrix.shape[0], "", dtype=object)
    packed = np.packbits(matrix, axis=1)
    pattern = np.zeros(len(matrix), dtype=object if packed.shape[1] > 7 else np.int64)
    for byte in range(packed.shape[1]):
        pattern = pattern * 256 + packed[:, byte].astype(pattern.dtype)
    codes, _ = pd.factorize(pattern)                  # numbered in order of first appearance: no sort needed
    seen = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.r_[True, seen[1:] > seen[:-1]])
    texts = [LIST_SEPARATOR.join(names[j] for j in np.flatnonzero(matrix[row])) for row in first]
    return np.asarray(texts, dtype=object)[codes]


def _runs(sorted_codes: np.ndarray) -> int:
    """How many distinct values a sorted array holds (clusters with a conflict)."""
    return int(len(sorted_codes) and 1 + np.count_nonzero(sorted_codes[1:] != sorted_codes[:-1]))


def _parts_kept(values: np.ndarray, golden: np.ndarray) -> np.ndarray:
    """For joined notes: every " | " part of the value is, as written, one of the golden value's parts."""
    def kept(value: str, merged: str) -> bool:
        padded = JOIN + merged + JOIN
        return all(JOIN + part.strip() + JOIN in padded for part in value.split(JOIN))

    return np.fromiter((kept(v, g) for v, g in zip(values, golden, strict=True)), bool, len(values))


def _settled(column: Column, goldens: list[np.ndarray], members: Members) -> tuple[np.ndarray, np.ndarray]:
    """(kept, undecided): cells of clusters that agree on one value are decided once per cluster.

    Outside contested clusters every filled cell equals the cluster's first filled one, so it won
    when that value is in the golden record; only contested clusters' cells are compared one by one.
    """
    known = column.known_contested(members)
    if known is None:
        return np.zeros(len(column.values), dtype=bool), column.filled
    contested, first = known
    common = column.values[first]
    agree = np.zeros(members.count, dtype=bool)
    for values in goldens:
        agree |= values == common
    return column.filled & ~contested & agree[members.codes], column.filled & contested


def _kept(column: Column, golden: list[np.ndarray], own: int, joined: bool, members: Members) -> np.ndarray:
    """Which members' cells made it into their golden record, in any column their job filled.

    A cell won when the golden record holds it exactly; a note merged by concat_unique won when
    each of its parts is in the golden note. Only filled cells not settled yet are compared, against
    the column's own output first (most cells that won are there), then the job's others.
    """
    values, filled = column.values, column.filled
    kept, undecided = _settled(column, golden, members)
    for output in [golden[own], *golden[:own], *golden[own + 1:]]:
        todo = np.flatnonzero(undecided & ~kept)
        if not len(todo):
            break
        kept[todo] = values[todo] == output[members.codes[todo]]
    if joined and (filled & ~kept).any():
        check = filled & ~kept
        kept[check] = _parts_kept(values[check], golden[own][members.codes[check]])
    return kept


def _won_lost(names: list[str], merged: list[_Merged]) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """merges.csv's won_columns and lost_columns, and the clusters with a conflict per column (`names` order)."""
    marks = {name: m for done in merged for name, m in done.marks.items()}
    counts = {name: n for done in merged for name, n in done.conflicts.items()}
    matrix = np.stack([marks[name] for name in names], axis=1) if names else np.zeros((0, 0), dtype=np.int8)
    conflicts = {name: counts[name] for name in names if counts[name]}
    return _column_lists(matrix == 1, names), _column_lists(matrix == 2, names), conflicts


def _edits(table: Table, survivors: np.ndarray, keys: pd.Index, golden: dict[str, np.ndarray],
           changed: dict[str, np.ndarray], policy_of: dict[str, str]) -> pd.DataFrame:
    """The survivors' cells (table positions `survivors`, keys `keys`) the merge changed, rule merge.<policy>."""
    parts = []
    for column, at in changed.items():
        if not len(at):
            continue
        if column in table.frame:
            old = table.frame[column].to_numpy(dtype=object)[survivors[at]]
        else:
            old = np.full(len(at), "", dtype=object)
        parts.append(pd.DataFrame({"row": keys[at], "column": column, "old": old, "new": golden[column][at],
                                   "rule": f"merge.{policy_of[column]}"}))
    columns = ["row", "column", "old", "new", "rule"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns, dtype=object)


def _rows_kept(frame: pd.DataFrame, keep: np.ndarray) -> np.ndarray:
    """Every column's cells of the rows that stay (positions `keep`), as one Fortran-ordered array.

    Built column by column, so each cell is copied once (a million-row list holds millions of string
    objects; every extra copy costs a pass over all of them). It needs no golden value, so it is made
    while the policies run.
    """
    values = np.empty((len(keep), len(frame.columns)), dtype=object, order="F")
    for j, column in enumerate(frame.columns):
        np.take(frame[column].to_numpy(dtype=object), keep, out=values[:, j])
    return values


def _replace_rows(frame: pd.DataFrame, keep: np.ndarray, values: np.ndarray, at: np.ndarray,
                  golden: dict[str, np.ndarray]) -> pd.DataFrame:
    """The kept rows (`values` from _rows_kept), survivors (rows `at`) holding golden values, new columns last."""
    for j, column in enumerate(frame.columns):
        if column in golden:
            values[at, j] = golden[column]
    out = pd.DataFrame(values, index=frame.index[keep], columns=list(frame.columns))
    for column in (c for c in golden if c not in frame.columns):      # added one by one: the rest is not copied
        added = np.full(len(keep), "", dtype=object)
        added[at] = golden[column]
        out[column] = added
    return out


def _golden_values(table: Table, positions: np.ndarray, jobs: Sequence[Job], merged: list[_Merged]
                   ) -> tuple[dict[str, np.ndarray], dict[str, str], dict[str, np.ndarray], dict[str, str]]:
    """Per output column (email_2 ... named here): golden values read from the table's own cells, policy,
    changed survivors, and the input column it extends."""
    golden: dict[str, np.ndarray] = {}
    policy_of: dict[str, str] = {}
    changed: dict[str, np.ndarray] = {}
    base_of: dict[str, str] = {}
    taken = set(table.frame.columns)
    for job, done in zip(jobs, merged, strict=True):
        names = list(job.columns)
        for _ in range(len(done.picks.cells) - len(names)):
            names.append(_free_name(job.columns[0], len(names) + 1, taken))
            taken.add(names[-1])
        sources = [table.frame[name].to_numpy(dtype=object) for name in job.columns]
        for k, name in enumerate(names):
            golden[name] = done.picks.output(k, lambda i, at, sources=sources: sources[i][positions[at]])
            policy_of[name], changed[name], base_of[name] = job.policy, done.changed[k], job.columns[0]
    return golden, policy_of, changed, base_of


def golden_records(
    table: Table,
    clusters: pd.DataFrame | pd.Series | None,
    plan: MergePlan,
    compare: pd.DataFrame | None = None,
    id_column: str | None = None,
) -> GoldenResult:
    """Merge each cluster of two or more records into one golden record; singletons are not touched.

    `compare` (same keys, e.g. the normalized values) is what values are compared on when the kept
    text is the user's own (dedupe without --normalize): "06 12 34 56 78" and "+33612345678" are one phone.
    """
    ids = cluster_ids(table, clusters)
    positions, members = _members(table, ids, plan)
    keys = table.frame.index[positions]
    compare_rows = None if compare is None else compare.reindex(keys)
    survivors = positions[members.starts]
    absorbed = np.zeros(len(table), dtype=bool)
    absorbed[positions] = True
    absorbed[survivors] = False
    keep = np.flatnonzero(~absorbed)

    rows: dict[str, pd.DataFrame] = {}          # the members' rows, once this process has them

    def own() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        rows["frame"] = frame = table.frame.iloc[positions]
        return frame, _joined_labels(_labels(table, frame, id_column), members), _rows_kept(table.frame, keep)

    def cells(name: str) -> np.ndarray:
        if "frame" in rows:
            return rows["frame"][name].to_numpy(dtype=object)
        return table.frame[name].to_numpy(dtype=object)[positions]

    merged, (frame, lineage, kept) = _merge_jobs(
        plan.jobs, lambda job: _merge_job(job, table, cells, compare_rows, members), len(positions), own)
    golden, policy_of, changed, base_of = _golden_values(table, positions, plan.jobs, merged)
    edits = _edits(table, survivors, keys[members.starts], golden, changed, policy_of)
    golden[MERGED_FROM] = lineage
    out = _replace_rows(table.frame, keep, kept, np.searchsorted(keep, survivors), golden)
    merged_columns = {c for job in plan.jobs for c in job.columns}
    won, lost, conflicts = _won_lost([c for c in frame.columns if c in merged_columns], merged)
    roles = table.roles
    for column in (c for c in golden if c not in table.frame.columns):
        role = table.roles.role_of(base_of[column]) if column in base_of else None
        if role is not None:
            roles = roles.with_role(role, column, "merge")
    stats = {"clusters_merged": members.count, "records_merged": len(frame),
             "records_absorbed": len(frame) - members.count, "conflicts": conflicts}
    return GoldenResult(
        table.with_frame(out, roles),
        with_meta(table, frame, {"cluster_id": ids.to_numpy()[positions]}, {"won_columns": won, "lost_columns": lost}),
        edits, stats,
    )


def rebuild(output: Table | pd.DataFrame, merges: pd.DataFrame) -> pd.DataFrame:
    """The input records, indexed by key, from a merge's output table and its merges frame.

    Records of a cluster come back from merges (the golden record carries a member's key, so it is
    skipped); every other output row is an untouched input record. Columns the merge added
    (email_2 ..., merged_from when the input had none) are dropped.
    """
    frame = output.frame if isinstance(output, Table) else output
    columns = record_columns(merges)
    keys = record_keys(merges)
    singles = frame.loc[~frame.index.isin(keys), columns]
    absorbed = merges[columns].set_axis(keys, axis=0)
    absorbed.index.name = singles.index.name
    return pd.concat([singles, absorbed]).sort_index()
