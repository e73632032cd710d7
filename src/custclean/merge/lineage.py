"""Report frames that list whole records: where each came from (row, file) in front of its columns.

merges.csv and suppressed.csv both show records in full so a person can read them in Excel and
custclean can rebuild the input from them. The first columns say which record it is: `row` (the
record key: the 1-based data row for a single file) and, for combined lists, `source_file` and
`source_row`. A data column with the same name as one of these gets a `custclean_` prefix on ours.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from custclean.table import Table

META = ("cluster_id", "row", "source_file", "source_row", "reason", "won_columns", "lost_columns")
PREFIX = "custclean_"


def meta_name(name: str, columns: Any) -> str:
    """`name`, or `custclean_<name>` when the data already has a column of that name."""
    return name if name not in columns else PREFIX + name


def with_meta(table: Table, frame: pd.DataFrame, front: dict[str, Any], back: dict[str, Any] | None = None
              ) -> pd.DataFrame:
    """`frame`'s records with `front` columns, their row (and file), then their columns, then `back`.

    Built on a shallow copy of `frame` (its blocks are shared, not copied): on a million-row list a
    fresh frame of the same cells would touch every string object once more. Callers pass a frame of
    their own (a selection of rows), never the table's.
    """
    columns = frame.columns
    meta: dict[str, Any] = {}
    if "cluster_id" in front:
        meta[meta_name("cluster_id", columns)] = front.pop("cluster_id")
    meta[meta_name("row", columns)] = frame.index.to_numpy()
    if table.origin is not None:
        origin = table.origin.loc[frame.index]
        meta[meta_name("source_file", columns)] = origin["source"].to_numpy()
        meta[meta_name("source_row", columns)] = origin["row"].to_numpy()
    meta.update({meta_name(k, columns): v for k, v in front.items()})
    tail = {meta_name(k, columns): v for k, v in (back or {}).items()}
    if not columns.is_unique or columns.isin([*meta, *tail]).any():       # a clash: a fresh frame, as dicts merge
        return pd.DataFrame({**meta, **{c: frame[c].to_numpy() for c in columns}, **tail})
    out = frame.copy(deep=False)
    out.index = pd.RangeIndex(len(out))
    for at, (name, values) in enumerate(meta.items()):
        out.insert(at, name, values)
    for name, values in tail.items():
        out[name] = values
    return out


def record_keys(report: pd.DataFrame) -> pd.Index:
    """The record keys a merges or suppressed frame lists."""
    return pd.Index(report[PREFIX + "row" if PREFIX + "row" in report else "row"])


def record_columns(report: pd.DataFrame) -> list[str]:
    """The data columns of a merges or suppressed frame (everything but our own columns)."""
    ours = {PREFIX + m if PREFIX + m in report.columns else m for m in META}
    return [c for c in report.columns if c not in ours]
