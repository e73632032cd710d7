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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from custclean.merge.lineage import record_columns, record_keys, with_meta
from custclean.merge.plan import MERGED_FROM, MergePlan
from custclean.merge.policies import JOIN, POLICIES, Column, Members, date_numbers, join_runs
from custclean.table import Table

LIST_SEPARATOR = "; "


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


def _merge_values(
    frame: pd.DataFrame, compare: pd.DataFrame | None, table: Table, plan: MergePlan, members: Members
) -> tuple[dict[str, np.ndarray], dict[str, str], dict[str, tuple[str, ...]], dict[str, Column]]:
    """Golden values per column, each output column's policy, each input column's output columns and Column."""
    golden: dict[str, np.ndarray] = {}
    policy_of: dict[str, str] = {}
    outputs: dict[str, tuple[str, ...]] = {}
    cells: dict[str, Column] = {}
    taken = set(frame.columns)
    for job in plan.jobs:
        columns = [
            Column(name, table.roles.role_of(name), frame[name].to_numpy(dtype=object),
                   None if compare is None or name not in compare else compare[name].to_numpy(dtype=object))
            for name in job.columns
        ]
        values = POLICIES[job.policy].merge(columns, members)
        names = list(job.columns)
        for _ in range(len(values) - len(names)):
            names.append(_free_name(job.columns[0], len(names) + 1, taken))
            taken.add(names[-1])
        for name, array in zip(names, values, strict=True):
            golden[name], policy_of[name] = array, job.policy
        outputs.update({name: tuple(names) for name in job.columns})
        cells.update({column.name: column for column in columns})
    return golden, policy_of, outputs, cells


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


def _won_lost(frame: pd.DataFrame, golden: dict[str, np.ndarray], outputs: dict[str, tuple[str, ...]],
              policy_of: dict[str, str], members: Members, cells: dict[str, Column]
              ) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Which filled cells of each member survive in its golden record; conflicts per column.

    A cell won when the golden record holds it exactly (in any column its job filled); a note
    merged by concat_unique won when each of its parts is in the golden note. Only filled cells
    not settled yet are compared (most columns are sparse, and email_2 ... see few leftovers).
    """
    names = [c for c in frame.columns if c in outputs]
    won = np.zeros((len(frame), len(names)), dtype=bool)
    lost = np.zeros_like(won)
    conflicts: dict[str, int] = {}
    for j, name in enumerate(names):
        values, filled = cells[name].values, cells[name].filled
        kept, undecided = _settled(cells[name], [golden[o] for o in outputs[name]], members)
        for output in outputs[name]:
            todo = np.flatnonzero(undecided & ~kept)
            if not len(todo):
                break
            kept[todo] = values[todo] == golden[output][members.codes[todo]]
        if policy_of[name] == "concat_unique" and (filled & ~kept).any():
            check = filled & ~kept
            kept[check] = _parts_kept(values[check], golden[name][members.codes[check]])
        won[:, j], lost[:, j] = filled & kept, filled & ~kept
        conflicts[name] = _runs(members.codes[lost[:, j]])
    return _column_lists(won, names), _column_lists(lost, names), {k: v for k, v in conflicts.items() if v}


def _edits(frame: pd.DataFrame, starts: np.ndarray, golden: pd.DataFrame, policy_of: dict[str, str]) -> pd.DataFrame:
    """The survivors' cells (`frame` rows `starts`) the merge changed, as change-log edits with rule merge.<policy>."""
    parts = []
    for column in golden.columns:
        if column in frame:
            old = frame[column].to_numpy(dtype=object)[starts]
        else:
            old = np.full(len(golden), "", dtype=object)
        changed = old != golden[column].to_numpy()
        if changed.any():
            parts.append(pd.DataFrame({
                "row": golden.index[changed], "column": column, "old": old[changed],
                "new": golden[column].to_numpy()[changed], "rule": f"merge.{policy_of[column]}",
            }))
    columns = ["row", "column", "old", "new", "rule"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns, dtype=object)


def _replace_rows(frame: pd.DataFrame, absorbed: np.ndarray, golden: pd.DataFrame) -> pd.DataFrame:
    """The frame without the absorbed rows (a boolean mask), survivors holding golden values, new columns last.

    Built column by column into one Fortran-ordered array, so each cell is copied once (a million-row
    list holds millions of string objects; every extra copy costs a pass over all of them).
    """
    columns = [*frame.columns, *(c for c in golden.columns if c not in frame.columns)]
    keep = np.flatnonzero(~absorbed)
    values = np.empty((len(keep), len(columns)), dtype=object, order="F")
    at = frame.index[keep].get_indexer(golden.index)
    for j, column in enumerate(columns):
        if column in frame:
            np.take(frame[column].to_numpy(dtype=object), keep, out=values[:, j])
        else:
            values[:, j] = ""
        if column in golden:
            values[at, j] = golden[column].to_numpy()
    return pd.DataFrame(values, index=frame.index[keep], columns=columns)


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
    frame = table.frame.iloc[positions]
    compare_rows = None if compare is None else compare.reindex(frame.index)
    golden_values, policy_of, outputs, cells = _merge_values(frame, compare_rows, table, plan, members)
    survivor_keys = frame.index[members.starts]
    golden = pd.DataFrame(golden_values, index=survivor_keys, dtype=object)
    golden[MERGED_FROM] = _joined_labels(_labels(table, frame, id_column), members)
    policy_of[MERGED_FROM] = "lineage"
    new_columns = [c for c in golden.columns if c not in table.frame.columns]
    absorbed = np.zeros(len(table), dtype=bool)
    absorbed[positions] = True
    absorbed[positions[members.starts]] = False
    out = _replace_rows(table.frame, absorbed, golden)
    won, lost, conflicts = _won_lost(frame, golden_values, outputs, policy_of, members, cells)
    edits = _edits(frame, members.starts, golden.drop(columns=MERGED_FROM), policy_of)
    roles = table.roles
    base_of = {name: names[0] for names in outputs.values() for name in names}
    for column in new_columns:
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
