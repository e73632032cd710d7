"""ChangeLog: columnar cell edits (source, row, column, old, new, step, rule).

A million edits cost a few arrays, not a million objects; changes.csv and the xlsx highlights are
built from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

EDIT_COLUMNS = ("row", "column", "old", "new", "step", "rule")


def empty_edits() -> pd.DataFrame:
    """An edits frame with no rows but the right columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ("row", "column", "old", "new", "rule")})


@dataclass
class ChangeLog:
    """Every cell edit in the order it was made."""

    _chunks: list[pd.DataFrame] = field(default_factory=list)

    def record(self, edits: pd.DataFrame, step: str) -> None:
        """Keep a step's edits (columns row, column, old, new, rule)."""
        if edits.empty:
            return
        chunk = {name: edits[name].to_numpy() for name in ("row", "column", "old", "new")}
        chunk["step"] = np.full(len(edits), step, dtype=object)
        chunk["rule"] = edits["rule"].to_numpy()
        self._chunks.append(pd.DataFrame({name: chunk[name] for name in EDIT_COLUMNS}))   # one copy

    def extend(self, other: ChangeLog) -> None:
        """Append another log's edits (used when steps run on parts of a table)."""
        self._chunks.extend(other._chunks)

    def frame(self) -> pd.DataFrame:
        """All edits as one frame, in the order they were made."""
        if not self._chunks:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in EDIT_COLUMNS})
        return pd.concat(self._chunks, ignore_index=True)

    def __len__(self) -> int:
        return sum(len(c) for c in self._chunks)

    def counts(self) -> dict[str, int]:
        """Edits per "column / rule", for summaries."""
        frame = self.frame()
        if frame.empty:
            return {}
        grouped = frame.groupby(["column", "rule"], sort=True).size()
        return {f"{col} / {rule}": int(n) for (col, rule), n in grouped.items()}
