"""Connected components with a chain guard; deterministic cluster ids.

Linked pairs form clusters by transitivity (A~B and B~C put A, B and C together). That is what lifts
recall when a record has several duplicates, but a chain can also join two people through a third
record that resembles both. The guard: a cluster holding a pair of members that must not be linked
(a person answered "no", or their direct comparison is strong evidence against) is rebuilt greedily,
strongest links first, never joining two groups that contain such a pair.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

AGAINST_BITS = -4.0     # a direct comparison this negative means "different people" inside a cluster


@dataclass
class Links:
    """Scored pairs as row positions, with the links forced or forbidden by decisions."""

    left: np.ndarray
    right: np.ndarray
    weight: np.ndarray
    probability: np.ndarray
    linked: np.ndarray          # bool: the pair is a link (above threshold or forced "yes")
    forbidden: np.ndarray       # bool: the pair must not end up in one cluster ("no" or strongly against)


def components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Component label per row position."""
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _find(parent: dict[int, int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _split(members: np.ndarray, edges: list[tuple[float, int, int]], forbidden: set[tuple[int, int]]) -> dict[int, int]:
    """Greedy constrained clustering of one component: strongest links first, never across a forbidden pair.

    Each group keeps the set of records its members must not join; merging checks the smaller side
    against it, and the sets merge small into large, so a large component costs about its edge count.
    """
    parent = {int(m): int(m) for m in members}
    group = {int(m): {int(m)} for m in members}
    avoid: dict[int, set[int]] = {int(m): set() for m in members}
    for a, b in forbidden:
        avoid[a].add(b)
        avoid[b].add(a)
    for _, a, b in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ra, rb = _find(parent, a), _find(parent, b)
        if ra == rb:
            continue
        if len(group[ra]) < len(group[rb]):
            ra, rb = rb, ra
        if not avoid[ra].isdisjoint(group[rb]):
            continue
        parent[rb] = ra
        group[ra] |= group.pop(rb)
        avoid[ra] |= avoid.pop(rb)
    return {m: _find(parent, m) for m in parent}


def cluster(n: int, links: Links) -> tuple[np.ndarray, int]:
    """Cluster label per row position after the chain guard, and how many clusters it split."""
    on = links.linked & ~links.forbidden
    labels = components(n, links.left[on], links.right[on])
    same = labels[links.left] == labels[links.right]
    bad = np.unique(labels[links.left[links.forbidden & same]])
    if len(bad) == 0:
        return labels, 0
    inside = np.flatnonzero(same & pd.Series(labels[links.left]).isin(bad).to_numpy() & (on | links.forbidden))
    comp_of = labels[links.left[inside]]
    order = np.argsort(comp_of, kind="stable")
    inside, comp_of = inside[order], comp_of[order]
    starts = np.flatnonzero(np.r_[True, comp_of[1:] != comp_of[:-1]])
    members_of = _members(labels, bad)
    next_label = labels.max() + 1
    for start, end in zip(starts, np.r_[starts[1:], len(inside)], strict=True):
        pos = inside[start:end]
        edges = [(float(links.weight[i]), int(links.left[i]), int(links.right[i])) for i in pos if on[i]]
        forbid = {(int(links.left[i]), int(links.right[i])) for i in pos if links.forbidden[i]}
        groups: dict[int, list[int]] = {}
        for member, root in _split(members_of[comp_of[start]], edges, forbid).items():
            groups.setdefault(root, []).append(member)
        for root in sorted(groups):
            labels[groups[root]] = next_label
            next_label += 1
    return labels, len(bad)


def _members(labels: np.ndarray, wanted: np.ndarray) -> dict[int, np.ndarray]:
    """Row positions of each wanted label (a groupby over every record would build a million groups)."""
    rows = np.flatnonzero(pd.Series(labels).isin(wanted).to_numpy())
    rows = rows[np.argsort(labels[rows], kind="stable")]
    parts = np.split(rows, np.flatnonzero(np.diff(labels[rows])) + 1) if len(rows) else []
    return {int(labels[part[0]]): part for part in parts}


def cluster_ids(keys: pd.Index, labels: np.ndarray) -> np.ndarray:
    """"c" + the smallest member key (zero-padded) for integer keys, else a stable hash of it."""
    if pd.api.types.is_integer_dtype(keys) and len(keys):
        return _integer_cluster_ids(keys.to_numpy(), labels)
    frame = pd.DataFrame({"label": labels, "key": keys})
    smallest = frame.groupby("label")["key"].transform("min")
    return np.array(["c" + hashlib.sha1(str(k).encode()).hexdigest()[:10] for k in smallest], dtype=object)


def _integer_cluster_ids(keys: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The smallest key per label by an unbuffered minimum, each id formatted once per cluster, not per row."""
    smallest = np.full(int(labels.max()) + 1, np.iinfo(keys.dtype).max, dtype=keys.dtype)
    np.minimum.at(smallest, labels, keys)
    used = np.flatnonzero(np.bincount(labels))
    ids = np.empty(len(smallest), dtype=object)
    ids[used] = _padded_ids(smallest[used].astype(np.int64))
    return ids[labels]


def _padded_ids(values: np.ndarray) -> np.ndarray:
    """f"c{value:06d}" for each value, as an object array: the digits are written by numpy, a width at a time."""
    out = np.empty(len(values), dtype=object)
    width = np.full(len(values), 6, dtype=np.int8)
    for power in range(6, 19):
        if not len(values) or values.max() < 10**power:
            break
        width += values >= 10**power
    odd = (values < 0) | (width > 18)            # a sign, or more digits than handled here
    if odd.any():
        out[odd] = [f"c{v:06d}" for v in values[odd].tolist()]
    for size in np.flatnonzero(np.bincount(width[~odd], minlength=7)).tolist():
        at = np.flatnonzero((width == size) & ~odd)
        out[at] = _digits(values[at], size)
    return out


def _digits(values: np.ndarray, size: int) -> np.ndarray:
    """"c" and `size` decimal digits of each value (< 10**size, >= 0), as an object array of str."""
    chars = np.empty((len(values), size + 1), dtype=np.uint32)     # one UCS-4 code point per character
    chars[:, 0] = ord("c")
    rest = values.astype(np.int32) if size <= 9 else values
    for place in range(size, 0, -1):
        rest, digit = np.divmod(rest, 10)
        chars[:, place] = digit + ord("0")
    return chars.view(f"U{size + 1}").ravel().astype(object)


def cluster_frame(keys: pd.Index, labels: np.ndarray, links: Links) -> pd.DataFrame:
    """One row per record: cluster_id and the record's best link probability inside its cluster.

    A record alone in its cluster gets probability 1.0 (it is certainly its own customer).
    """
    probability = np.ones(len(keys))
    inside = links.linked & (labels[links.left] == labels[links.right])
    if inside.any():
        best = np.full(len(keys), -np.inf)
        np.maximum.at(best, links.left[inside], links.probability[inside])
        np.maximum.at(best, links.right[inside], links.probability[inside])
        probability = np.where(best > -np.inf, best, probability)
    return pd.DataFrame({"cluster_id": cluster_ids(keys, labels), "probability": probability}, index=keys)
