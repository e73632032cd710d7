"""Reads a report folder back: summary.json and whichever report CSVs exist, as text frames.

report.html is a pure function of these files, so it can be rebuilt after a review (review.csv
edited by hand) and tested without running the pipeline. A file that is missing, empty or no longer
parses is treated as "not produced" and named in `problems`, never a crash.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
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
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)   # figures several sections use

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


def read_frame(data: ReportData, name: str) -> None:
    """Add FOLDER/name.csv to `data` when it exists and parses; a broken one is named in `problems`."""
    path = data.folder / f"{name}.csv"
    if not path.is_file():
        return
    try:
        data.frames[name] = _read_csv(path)
    except pd.errors.EmptyDataError:
        return
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        data.problems.append(f"{name}.csv could not be read")


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
        read_frame(data, name)
    if not data.summary and not data.frames:
        raise InputError(f"{folder}: no report files (summary.json, changes.csv ...); run a command with --report")
    return data


def tally(values: pd.Series) -> pd.Series:
    """How often each value occurs, most first (ties in order of appearance), missing values left out.

    factorize + bincount: pandas' value_counts on millions of Python strings is several times slower.
    """
    codes, uniques = pd.factorize(values)
    sizes = np.bincount(codes[codes >= 0], minlength=len(uniques))
    return pd.Series(sizes, index=uniques, name="count").sort_values(ascending=False, kind="stable")


def distinct(values: pd.Series) -> int:
    """The number of distinct values; whole numbers held as Python objects are counted as int64."""
    array = values.to_numpy()
    if array.dtype == object and len(array) and isinstance(array[0], int):
        with contextlib.suppress(OverflowError, TypeError, ValueError):
            array = np.asarray(array, dtype=np.int64)
    return int(pd.Series(array, copy=False).nunique())


def numbers(values: pd.Series) -> pd.Series:
    """Report cells as floats (NaN when not a number), parsed once per distinct text."""
    codes, uniques = pd.factorize(values)
    parsed = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(dtype=float)
    return pd.Series(np.append(parsed, np.nan)[codes], index=values.index)


def edit_groups(data: ReportData) -> tuple[np.ndarray, pd.DataFrame]:
    """Each edit's (column, rule) group number (-1 when either is missing), and the groups in order of first edit.

    Computed once per report from two factorized columns, since a million-row run has millions of edits.
    """
    if "edit_groups" not in data.cache:
        changes = data.frame("changes")
        columns, column_names = pd.factorize(changes["column"])
        rules, rule_names = pd.factorize(changes["rule"])
        pair = columns.astype(np.int64) * max(1, len(rule_names)) + rules
        pair[(columns < 0) | (rules < 0)] = -1
        codes, firsts = pd.factorize(pair, use_na_sentinel=False)
        known = firsts >= 0
        groups = pd.DataFrame({"column": column_names.take(firsts[known] // max(1, len(rule_names))),
                               "rule": rule_names.take(firsts[known] % max(1, len(rule_names)))})
        renumber = np.cumsum(known) - 1
        data.cache["edit_groups"] = (np.where(known[codes], renumber[codes], -1), groups)
    return data.cache["edit_groups"]


def first_per_group(codes: np.ndarray, limit: int) -> list[int]:
    """Positions of the first `limit` rows ordered by (rank within their group, position); -1 = no group.

    Every group's first row comes first, then every group's second row ... Only ranks below R matter,
    R known from the group sizes, so ranks are computed on a growing prefix until it holds every
    group's first R rows: usually a few thousand rows, never more than one pass over all of them.
    """
    known = codes[codes >= 0]
    if not known.size or limit <= 0:
        return []
    sizes = np.bincount(known)
    shown_rows, levels = 0, 0
    while shown_rows < limit and levels < sizes.max():
        shown_rows += int((sizes > levels).sum())
        levels += 1
    wanted = np.minimum(sizes, levels)
    span = 4096
    while True:
        prefix = codes[:span]
        rank = pd.Series(prefix).groupby(prefix).cumcount().to_numpy()
        keep = (prefix >= 0) & (rank < levels)
        if span >= len(codes) or (np.bincount(prefix[keep], minlength=len(sizes)) == wanted).all():
            break
        span *= 4
    positions = np.flatnonzero(keep)
    return positions[np.lexsort((positions, rank[keep]))][:limit].tolist()


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
