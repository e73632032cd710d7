"""Levenshtein "within k" for millions of pairs, settled mostly by a vectorised lower bound.

Why: the edit levels (phone within 1, e-mail within 2, postcode within 1, birth date within 1 or 2) test pairs
that nearly all differ by far more than k. Handing each such pair to rapidfuzz costs about a microsecond, most of
it in building Python lists of strings. A character-bag bound settles them in numpy instead: one edit changes at
most one character count up and one down, so the larger of the two count excesses between the strings is a lower
bound of their Levenshtein distance (and it implies the length bound). Counting characters in 64 buckets keeps the
bound valid (merging counts can only shrink the excess). Pairs the bound leaves open go to rapidfuzz with a score
cutoff, so every answer is exactly rapidfuzz's.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

BUCKETS = 64
MAX_WIDTH = 64          # longer values skip the bound and always go to rapidfuzz
VALUE_CHUNK = 100_000   # distinct values converted to a code-point matrix at a time
PAIR_CHUNK = 1 << 18    # pairs whose bags are compared at a time (64 bytes a side each)


def _bucket_table() -> np.ndarray:
    """Bucket of every code point: digits, lowercase letters and e-mail punctuation each get their own."""
    table = (np.arange(0x110000, dtype=np.int64) % 23 + 41).astype(np.uint8)
    for bucket, char in enumerate(string.digits + string.ascii_lowercase + "._-@+"):
        table[ord(char)] = bucket
    return table


_BUCKET_OF = _bucket_table()


@dataclass(frozen=True)
class Bags:
    """Character counts per bucket for each distinct value; `long` values have no usable bag."""

    counts: np.ndarray      # (values, buckets in use) int8
    lengths: np.ndarray     # int32 per value
    long: np.ndarray        # bool per value


def bags_of(values: np.ndarray) -> Bags:
    """The bucketed character bag of each value (an object array of str)."""
    counts = np.zeros((len(values), BUCKETS), dtype=np.uint8)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    for start in range(0, len(values), VALUE_CHUNK):
        chunk = values[start:start + VALUE_CHUNK]
        width = int(min(max(lengths[start:start + VALUE_CHUNK].max(initial=0), 1), MAX_WIDTH))
        points = chunk.astype(f"<U{width}").view(np.uint32).reshape(len(chunk), width)
        rows = np.broadcast_to(np.arange(len(chunk))[:, None], points.shape)
        real = points != 0
        flat = rows[real] * BUCKETS + _BUCKET_OF[points[real]]
        counts[start:start + len(chunk)] = np.bincount(flat, minlength=len(chunk) * BUCKETS).reshape(-1, BUCKETS)
    used = counts.any(axis=0)     # phone keys use 10 buckets: a pair then costs 10 bytes a side, not 64
    return Bags(np.ascontiguousarray(counts[:, used]).view(np.int8), lengths.astype(np.int32), lengths > MAX_WIDTH)


def bag_distance(bags: Bags, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """Lower bound of the Levenshtein distance of each pair of value codes (0 where a value is too long)."""
    out = np.empty(len(ca), dtype=np.int16)
    for start in range(0, len(ca), PAIR_CHUNK):
        a, b = ca[start:start + PAIR_CHUNK], cb[start:start + PAIR_CHUNK]
        diff = bags.counts[a] - bags.counts[b]      # counts are at most MAX_WIDTH, so int8 cannot overflow
        surplus = np.maximum(diff, 0).sum(axis=1, dtype=np.int16)
        deficit = surplus - diff.sum(axis=1, dtype=np.int16)
        out[start:start + PAIR_CHUNK] = np.maximum(surplus, deficit)
    out[bags.long[ca] | bags.long[cb]] = 0
    return out


def within_edit(uniques: np.ndarray, bags: Bags, ca: np.ndarray, cb: np.ndarray, k: int,
                workers: int = -1) -> np.ndarray:
    """Whether Levenshtein(uniques[ca], uniques[cb]) <= k, for each pair of value codes."""
    out = np.zeros(len(ca), dtype=bool)
    near = np.flatnonzero((np.abs(bags.lengths[ca] - bags.lengths[cb]) <= k) | bags.long[ca] | bags.long[cb])
    open_ = near[bag_distance(bags, ca[near], cb[near]) <= k]
    if len(open_):
        distance = process.cpdist(list(uniques[ca[open_]]), list(uniques[cb[open_]]), scorer=Levenshtein.distance,
                                  score_cutoff=k, workers=workers)
        out[open_] = np.asarray(distance) <= k
    return out
