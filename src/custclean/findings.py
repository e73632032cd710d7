"""Findings: columnar problems (row, column, value, severity, code, message)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import pandas as pd

FINDING_COLUMNS = ("row", "column", "value", "severity", "code", "message")


class Severity(IntEnum):
    """Ordered so that `severity >= fail_on` answers "should the run fail?"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]

    def __str__(self) -> str:
        return self.name.lower()


def findings_frame(
    rows: object, column: object, value: object, severity: Severity | str, code: object, message: object
) -> pd.DataFrame:
    """Build a findings frame from arrays or scalars (scalars are broadcast)."""
    frame = pd.DataFrame({"row": rows})
    frame["column"] = column
    frame["value"] = value
    frame["severity"] = str(severity)
    frame["code"] = code
    frame["message"] = message
    return frame.loc[:, list(FINDING_COLUMNS)]


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FINDING_COLUMNS})


@dataclass
class Findings:
    """Problems found by normalizers and checks, in the order found."""

    _chunks: list[pd.DataFrame] = field(default_factory=list)

    def add(self, frame: pd.DataFrame) -> None:
        if not frame.empty:
            self._chunks.append(frame.loc[:, list(FINDING_COLUMNS)])

    def extend(self, other: Findings) -> None:
        self._chunks.extend(other._chunks)

    def frame(self) -> pd.DataFrame:
        if not self._chunks:
            return empty_findings()
        return pd.concat(self._chunks, ignore_index=True)

    def __len__(self) -> int:
        return sum(len(c) for c in self._chunks)

    def by_severity(self) -> dict[str, int]:
        """Counts per severity name, every severity present (0 when none)."""
        counts = {str(s): 0 for s in sorted(Severity, reverse=True)}
        frame = self.frame()
        for sev, n in frame["severity"].value_counts().items():
            counts[str(sev)] = int(n)
        return counts

    def worst(self) -> Severity | None:
        frame = self.frame()
        if frame.empty:
            return None
        return max(Severity.parse(s) for s in frame["severity"].unique())
