"""RunResult: everything one run produced, read by the report writers and the CLI summary.

Steps fill the parts they own (the matcher fills `pairs` and `clusters`, the merger `merges` ...);
a part a run did not reach stays None and its report file is not written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from custclean.changes import ChangeLog
from custclean.findings import Findings
from custclean.table import Table


@dataclass
class RunResult:
    """The output table of a run and every record of what happened on the way."""

    table: Table
    command: str = ""
    input_rows: int = 0
    changes: ChangeLog = field(default_factory=ChangeLog)
    findings: Findings = field(default_factory=Findings)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)     # step -> figures for summary.json
    config: dict[str, Any] = field(default_factory=dict)    # the options that produced it
    quarantine: Table | None = None       # rows held back by validation errors
    incomplete: pd.DataFrame | None = None
    pairs: pd.DataFrame | None = None     # scored candidate pairs with per-field weights
    clusters: pd.DataFrame | None = None  # one row per input record: cluster_id, probability
    review: pd.DataFrame | None = None    # pairs in the review band
    merges: pd.DataFrame | None = None    # absorbed records with their cluster and won/lost values
    suppressed: pd.DataFrame | None = None
    _sizes: tuple[Any, ...] = field(default=(), init=False, repr=False, compare=False)

    def summary(self) -> dict[str, Any]:
        """The figures people and scripts read first (the rich table, --json, summary.json)."""
        summary: dict[str, Any] = {
            "command": self.command,
            "rows_in": self.input_rows,
            "rows_out": len(self.table),
            "edits": len(self.changes),
            "findings": self.findings.by_severity(),
        }
        if self.quarantine is not None:
            summary["quarantined"] = len(self.quarantine)
        if self.clusters is not None:
            sizes = self._cluster_sizes()
            summary["clusters"] = int((sizes > 1).sum())
            summary["records_in_clusters"] = int(sizes[sizes > 1].sum())
        if self.review is not None:
            summary["review_pairs"] = len(self.review)
        if self.merges is not None:
            summary["merged"] = len(self.merges)
        if self.suppressed is not None:
            summary["suppressed"] = len(self.suppressed)
        summary["seconds"] = round(sum(self.timings.values()), 3)
        return summary

    def _cluster_sizes(self) -> np.ndarray:
        """Records per cluster id. Hashing a million ids costs a few tenths of a second and the summary is asked
        for twice (summary.json, the console): the answer is kept with a copy of the ids it counted, and used
        again while the ids are still those (a compare of the same str objects, some milliseconds)."""
        ids = self.clusters["cluster_id"].to_numpy()
        if not self._sizes or not _same_values(self._sizes[0], ids):
            codes, _ = pd.factorize(ids)   # a sorted groupby costs seconds at 1M rows
            self._sizes = (ids.copy(), np.bincount(codes[codes >= 0]))
        return self._sizes[1]


def _same_values(kept: np.ndarray, ids: np.ndarray) -> bool:
    return kept.dtype == ids.dtype and kept.shape == ids.shape and bool((kept == ids).all())
