"""Sort-based unique for large int64 arrays (blocking codes); value codes.

numpy 2's hash-based `np.unique` is many times slower than sorting on millions of int64 values here,
and these run on every candidate pair. Text columns are handled as (code per row, distinct values), so
that work on text is done once per distinct value and rows share the resulting string objects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


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
