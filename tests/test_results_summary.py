"""RunResult.summary: cluster figures counted once per set of cluster ids, and again when the ids change."""

from __future__ import annotations

import numpy as np
import pandas as pd

import custclean as cc
from custclean.table import text_frame


def _result(ids: list[str | None]) -> cc.RunResult:
    result = cc.RunResult(cc.Table(text_frame([["Nguyễn", "Hà Nội"]], ["nom", "ville"])))
    result.clusters = pd.DataFrame({"cluster_id": np.array(ids, dtype=object), "probability": 1.0})
    return result


def test_cluster_figures():
    summary = _result(["c000001", "c000001", "c000003", "c000004", "c000004", "c000004"]).summary()
    assert (summary["clusters"], summary["records_in_clusters"]) == (2, 5)


def test_figures_follow_ids_changed_in_place_or_replaced():
    result = _result(["c000001", "c000001", "c000003", "c000004"])
    assert result.summary()["clusters"] == 1
    result.clusters.loc[2, "cluster_id"] = "c000004"          # same frame, same array, other ids
    assert (result.summary()["clusters"], result.summary()["records_in_clusters"]) == (2, 4)
    result.clusters = result.clusters.iloc[:2]
    assert (result.summary()["clusters"], result.summary()["records_in_clusters"]) == (1, 2)


def test_missing_ids_are_no_cluster():
    result = _result(["c000001", None, None, "c000001"])
    assert (result.summary()["clusters"], result.summary()["records_in_clusters"]) == (1, 2)
