"""Sort-based unique for large int64 arrays (blocking codes); value codes.

numpy 2's hash-based `np.unique` is many times slower than sorting on millions of int64 values here,
and these run on every candidate pair. Text columns are handled as (code per row, distinct values), so
that work on text is done once per distinct value and rows share the resulting string objects. A table
column's codes come from the table's memo (`column_codes`) when normalize or validate already hashed it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custclean.roles import Role
from custclean.table import Table


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def distinct(values: object) -> tuple[np.ndarray, np.ndarray]:
    """(code per item, distinct values as an object array): pd.factorize, with missing values coded as ""."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=False)
    uniques = np.asarray(uniques, dtype=object)
    if len(codes) and codes.min() < 0:
        uniques = np.append(uniques, np.array([""], dtype=object))
        codes = np.where(codes < 0, len(uniques) - 1, codes)
    return codes.astype(np.intp, copy=False), uniques


def as_objects(items: object) -> np.ndarray:
    """A 1-d object array holding `items` as they are (tuples stay whole)."""
    items = list(items)  # type: ignore[call-overload]
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def missing_last(codes: np.ndarray, uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`distinct`'s codes from pd.factorize(..., use_na_sentinel=False)'s: the missing value, which that
    numbers where it was first seen, becomes "" after the others (both number the rest in first-seen order)."""
    uniques = np.asarray(uniques, dtype=object)
    missing = np.flatnonzero(uniques != uniques)        # factorize turned every missing cell into one NaN
    if not len(missing):
        return codes, uniques
    at = missing[0]
    shifted = codes - (codes > at)
    shifted[codes == at] = len(uniques) - 1
    return shifted, np.append(np.delete(uniques, at), np.array([""], dtype=object))


def column_codes(table: Table, role: Role) -> tuple[np.ndarray, np.ndarray]:
    """distinct(table.values(role)), from the table's factorized column (hashed once by normalize/validate).

    The codes may be read-only (shared with the memo): copy before writing.
    """
    column = table.roles.column(role)
    if column is None:      # every row "": no column of a million "" to hash
        empty = np.array([""] if len(table) else [], dtype=object)
        return np.zeros(len(table), dtype=np.intp), empty
    codes, uniques = table.factorized(column)
    return missing_last(codes.astype(np.intp, copy=False), uniques)
