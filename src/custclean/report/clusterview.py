"""The duplicates panel of report.html: the largest clusters side by side with their golden record.

It reads merges.csv as the merge step writes it: every record a golden record absorbed (the
survivor too), in full, one row each: `cluster_id`, `row`, `source_file`/`source_row` for combined
lists, the record's columns as they were, then `won_columns` and `lost_columns` ("; "-separated
names of its filled cells that did / did not make it into the golden record). Our own columns get
a `custclean_` prefix when the data has a column of that name. The golden record's value of a
column is the value of a member that won it. A merges.csv of any other shape is shown as a plain
table, and clusters.csv alone gives the cluster members without their values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from custclean.report.htmlkit import esc, showing, table
from custclean.report.reportdata import record_label, shown

TOP_CLUSTERS = 20
MAX_RECORDS = 6
SEPARATOR = "; "
PREFIX = "custclean_"
META = ("cluster_id", "row", "source", "source_file", "source_row", "reason", "won_columns", "lost_columns",
        "merged_from")


@dataclass
class Cluster:
    """One cluster as shown: member labels, per-record values, golden values, winning cells."""

    cluster_id: str
    members: list[str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)     # record -> field -> value
    golden: dict[str, str] = field(default_factory=dict)                # field -> value
    won: set[tuple[str, str]] = field(default_factory=set)              # (record, field)
    fields: list[str] = field(default_factory=list)


def _unprefixed(frame: pd.DataFrame) -> pd.DataFrame:
    """Our columns under their plain names; a data column of the same name becomes "<name> (data)"."""
    renames = {PREFIX + m: m for m in META if PREFIX + m in frame.columns}
    if not renames:
        return frame
    clashing = {m: f"{m} (data)" for m in renames.values() if m in frame.columns}
    names = [renames.get(c, clashing.get(c, c)) for c in frame.columns]
    return frame.set_axis(names, axis=1)


def _fields(frame: pd.DataFrame) -> list[str] | None:
    """The record columns of an (unprefixed) merges.csv, or None when it does not have the known shape."""
    if not {"cluster_id", "row"} <= set(frame.columns):
        return None
    return [c for c in frame.columns if c not in META] or None


def long_cells(merges: pd.DataFrame) -> pd.DataFrame | None:
    """merges.csv as cluster_id, record, column, value, won ("" record = the golden value); None if unknown."""
    frame = _unprefixed(merges)
    fields = _fields(frame)
    if fields is None:
        return None
    frame = frame.assign(record=record_label(frame))
    cells = frame.melt(id_vars=["cluster_id", "record"], value_vars=fields, var_name="column", value_name="value")
    if "won_columns" not in frame.columns:
        return cells.assign(won=False)
    won_lists = frame["won_columns"].str.split(SEPARATOR, regex=False)
    won_pairs = {(r, c) for r, cols in zip(frame["record"], won_lists, strict=True) for c in cols if c}
    won = [(r, c) in won_pairs for r, c in zip(cells["record"], cells["column"], strict=True)]
    cells = cells.assign(won=won)
    golden = cells[cells["won"]].drop_duplicates(["cluster_id", "column"]).assign(record="", won=True)
    return pd.concat([golden, cells], ignore_index=True)


def _sizes(clusters: pd.DataFrame | None, merges: pd.DataFrame | None, limit: int) -> tuple[pd.Series, int]:
    """The `limit` largest clusters' sizes, largest first, and how many clusters of 2+ records there are.

    Sizes come from clusters.csv when present, else merges.csv. Ties go in natural order of the cluster
    id (2 before 10, numbers before names); only the clusters that can make the top are sorted.
    """
    if clusters is not None and {"cluster_id", "row"} <= set(clusters.columns):
        codes, ids = pd.factorize(clusters["cluster_id"])
        sizes = np.bincount(codes[codes >= 0], minlength=len(ids))
    elif merges is not None and _fields(merges) is not None:
        labels = merges.assign(_record=record_label(merges))
        per_cluster = labels.groupby("cluster_id", sort=False)["_record"].nunique()
        sizes, ids = per_cluster.to_numpy(), per_cluster.index.to_numpy()
    else:
        return pd.Series(dtype=int), 0
    keep = sizes > 1
    sizes, ids = sizes[keep], np.asarray(ids)[keep]
    total = len(sizes)
    if total > limit > 0:
        top = sizes >= np.partition(sizes, total - limit)[total - limit]
        sizes, ids = sizes[top], ids[top]
    sizes = pd.Series(sizes, index=pd.Index(ids, dtype=object))
    ids = pd.Series(sizes.index.astype(str), index=sizes.index)
    digits = ids.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
    number = ids.where(~digits, ids.str.lstrip("0"))
    keys = pd.DataFrame({"size": -sizes.to_numpy(), "named": (~digits).to_numpy(),
                         "length": number.str.len().where(digits, 0).to_numpy(), "id": number.to_numpy(),
                         "raw": ids.to_numpy()})
    order = keys.sort_values(["size", "named", "length", "id", "raw"], kind="stable").index
    return sizes.iloc[order[:limit]], total


def build_clusters(
    clusters: pd.DataFrame | None, merges: pd.DataFrame | None, limit: int
) -> tuple[list[Cluster], int, pd.DataFrame | None]:
    """The `limit` largest clusters, filled with whatever values merges.csv gives; the total count; their cells.

    Only the chosen clusters' rows of merges.csv are turned into cells, so the cost does not grow with
    the run.
    """
    merges = _unprefixed(merges) if merges is not None else None
    sizes, total = _sizes(clusters, merges, limit)
    chosen = [str(c) for c in sizes.index]
    members: dict[str, list[str]] = {c: [] for c in chosen}
    if clusters is not None and {"cluster_id", "row"} <= set(clusters.columns):
        picked = clusters[clusters["cluster_id"].astype(str).isin(chosen)]
        for cid, label in zip(picked["cluster_id"], record_label(picked), strict=True):
            members[str(cid)].append(label)
    views = {c: Cluster(c, members[c]) for c in chosen}
    cells = None
    if merges is not None and _fields(merges) is not None:
        cells = long_cells(merges[merges["cluster_id"].astype(str).isin(chosen)])
        for cid, column, record, value, won in cells[["cluster_id", "column", "record", "value", "won"]].itertuples(
            index=False, name=None
        ):
            _add_cell(views[str(cid)], str(column), str(record), shown(value), bool(won))
    return [views[c] for c in chosen], total, cells


def _add_cell(view: Cluster, column: str, record: str, value: str, won: bool) -> None:
    if column not in view.fields:
        view.fields.append(column)
    if record == "":
        view.golden[column] = value
        return
    if record not in view.members:
        view.members.append(record)
    view.values.setdefault(record, {})[column] = value
    if won:
        view.won.add((record, column))


def _cluster_table(view: Cluster) -> str:
    records = [r for r in view.members if r in view.values][:MAX_RECORDS]
    has_golden = bool(view.golden)
    heads = ["field", *(["golden record"] if has_golden else []), *records]
    rows = []
    for name in view.fields:
        cells = [f'<td class="field">{esc(name)}</td>']
        if has_golden:
            cells.append(f'<td class="golden">{esc(view.golden.get(name, ""))}</td>')
        for record in records:
            value = view.values[record].get(name, "")
            state = _cell_state(view, record, name, value)
            cells.append(f'<td class="{state}">{esc(value)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th class="{"golden" if h == "golden record" else ""}">{esc(h)}</th>' for h in heads)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _cell_state(view: Cluster, record: str, name: str, value: str) -> str:
    """won: the golden record holds this value in this field; lost: it holds another one.

    The golden value decides when it is known: merges.csv marks a cell won when its value is anywhere
    in the golden record, so a first name typed in the last-name field would otherwise show as won.
    """
    if not value:
        return ""
    if name in view.golden:
        return "won" if value == view.golden[name] else "lost"
    return "won" if (record, name) in view.won else ""


def _card(view: Cluster) -> str:
    others = len(view.members) - len([r for r in view.members if r in view.values][:MAX_RECORDS])
    members = ", ".join(view.members[:12]) + (" …" if len(view.members) > 12 else "")
    body = _cluster_table(view) if view.fields else ""
    more = f'<p class="cap">{others} more record(s) not shown side by side.</p>' if view.fields and others else ""
    span = " wide" if min(MAX_RECORDS, len(view.values)) >= 4 else ""
    return (
        f'<div class="cluster{span}"><h3><span>Cluster {esc(view.cluster_id)}</span>'
        f'<span class="chip accent">{len(view.members)} records</span></h3>'
        f'<p class="sub">{esc(members)}</p>{body}{more}</div>'
    )


def clusters_html(
    clusters: pd.DataFrame | None, merges: pd.DataFrame | None, columns: list[str] | None = None,
    limit: int = TOP_CLUSTERS,
) -> str:
    """Cluster cards, largest first; a plain grouped table when merges.csv has an unknown shape.

    Fields follow `columns` (the table's column order from summary.json), then merges.csv's order.
    """
    views, total, cells = build_clusters(clusters, merges, limit)
    if cells is not None:
        order = list(dict.fromkeys([*(columns or []), *map(str, cells["column"].unique())]))
        for view in views:
            view.fields.sort(key=order.index)
    if not views and merges is not None and cells is None and not merges.empty:
        return _plain_merges(merges)
    if not views:
        return '<p class="empty">No duplicate clusters.</p>'
    legend = (
        '<p class="sub"><span class="chip good">green</span> the golden record holds this value · '
        '<span class="chip muted">struck through</span> the golden record holds another value</p>'
        if cells is not None else ""
    )
    cards = "".join(_card(v) for v in views)
    return legend + f'<div class="clusters">{cards}</div>' + showing(len(views), total, "clusters", "largest first")


def _plain_merges(merges: pd.DataFrame, limit: int = 200) -> str:
    ordered = merges.sort_values(list(merges.columns[:1]), kind="stable") if len(merges.columns) else merges
    rows = [[shown(v) for v in r] for r in ordered.head(limit).itertuples(index=False, name=None)]
    return table(list(merges.columns), rows, customer_cells=True) + showing(len(rows), len(merges), "merged values")
