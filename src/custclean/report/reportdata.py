"""Reads a report folder back: summary.json and whichever report CSVs exist, as text frames.

report.html is a pure function of these files, so it can be rebuilt after a review (review.csv
edited by hand) and tested without running the pipeline. A file that is missing, empty or no longer
parses is treated as "not produced" and named in `problems`, never a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from custclean.errors import InputError
from custclean.io.safe_write import is_formula

REPORT_CSVS = (
    "changes", "issues", "pairs", "review", "clusters", "merges", "suppressed", "quarantine", "incomplete",
)
SEVERITIES = ("error", "warning", "info")


@dataclass
class ReportData:
    """The figures and tables of one report folder."""

    folder: Path
    summary: dict[str, Any] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def frame(self, name: str) -> pd.DataFrame | None:
        """A report CSV by stem ("changes"), or None when the run did not write it."""
        return self.frames.get(name)

    def figure(self, key: str, default: Any = None) -> Any:
        return self.summary.get(key, default)

    def findings_by_severity(self) -> dict[str, int]:
        """From summary.json when present, else counted from issues.csv."""
        counts = self.summary.get("findings")
        if isinstance(counts, dict):
            return {str(k): int(v) for k, v in counts.items()}
        issues = self.frame("issues")
        counted = {s: 0 for s in SEVERITIES}
        if issues is not None and "severity" in issues.columns:
            for severity, n in issues["severity"].str.lower().value_counts().items():
                counted[str(severity)] = int(n)
        return counted


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")


def load_report(folder: str | Path) -> ReportData:
    """Everything a report folder holds; raises InputError when it is not a report folder at all."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such report folder")
    data = ReportData(folder)
    summary_path = folder / "summary.json"
    if summary_path.is_file():
        try:
            loaded = json.loads(summary_path.read_text(encoding="utf-8-sig"))
            data.summary = loaded if isinstance(loaded, dict) else {}
        except (ValueError, UnicodeDecodeError):
            data.problems.append("summary.json could not be read")
    for name in REPORT_CSVS:
        path = folder / f"{name}.csv"
        if not path.is_file():
            continue
        try:
            data.frames[name] = _read_csv(path)
        except pd.errors.EmptyDataError:
            continue
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
            data.problems.append(f"{name}.csv could not be read")
    if not data.summary and not data.frames:
        raise InputError(f"{folder}: no report files (summary.json, changes.csv ...); run a command with --report")
    return data


def shown(value: object) -> str:
    """A report cell as the customer wrote it: undo the quote that guarded formula-looking cells."""
    text = "" if value is None else str(value)
    return text[1:] if text.startswith("'") and is_formula(text[1:]) else text


def record_label(frame: pd.DataFrame, row_column: str = "row") -> pd.Series:
    """"row 12", or "clients.csv:12" when the report covers several files."""
    rows = frame[row_column].astype(str)
    if {"source_file", "source_row"} <= set(frame.columns):
        return frame["source_file"].astype(str) + ":" + frame["source_row"].astype(str)
    if "source" in frame.columns:
        sources = frame["source"].astype(str)
        return sources.where(sources == "", sources + ":").where(sources != "", "row ") + rows
    return "row " + rows
