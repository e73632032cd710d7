"""Cluster ids: "c" + the smallest member key, zero-padded, whichever way they are computed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from custclean.match.clustering import cluster_ids


def _by_groupby(keys: pd.Index, labels: np.ndarray) -> list[str]:
    smallest = pd.DataFrame({"label": labels, "key": keys}).groupby("label")["key"].transform("min")
    return ["c" + str(v).zfill(6) for v in smallest]


@given(st.lists(st.tuples(st.integers(-10**9, 10**12), st.integers(0, 40)), min_size=1, max_size=200,
                unique_by=lambda t: t[0]))
def test_integer_keys_take_the_smallest_member(rows: list[tuple[int, int]]) -> None:
    keys = pd.Index([k for k, _ in rows], dtype=np.int64)
    labels = np.array([label for _, label in rows], dtype=np.int64)
    assert cluster_ids(keys, labels).tolist() == _by_groupby(keys, labels)


def test_records_of_one_cluster_share_its_id_and_text_keys_are_hashed() -> None:
    labels = np.array([2, 0, 2, 5])
    ids = cluster_ids(pd.RangeIndex(7, 11), labels)
    assert ids.tolist() == ["c000007", "c000008", "c000007", "c000010"]
    hashed = cluster_ids(pd.Index(["b.csv:3", "a.csv:1", "b.csv:9", "a.csv:2"]), labels)
    assert hashed[0] == hashed[2] != hashed[1]
    assert all(h.startswith("c") and len(h) == 11 for h in hashed)
