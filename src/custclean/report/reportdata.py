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


CHUNK = 1 << 18     # rows hashed at a time: a million-row run's report counts millions of edits


def tally(values: pd.Series) -> pd.Series:
    """How often each value occurs, most first (ties in order of appearance), missing values left out.

    factorize + bincount: pandas' value_counts on millions of Python strings is several times slower.
    Text columns are counted a chunk at a time, so the codes of millions of edits never exist at once.
    """
    array = values.to_numpy()
    if array.dtype != object or len(array) <= CHUNK:
        codes, uniques = pd.factorize(values)
        sizes = np.bincount(codes[codes >= 0], minlength=len(uniques))
        return pd.Series(sizes, index=uniques, name="count").sort_values(ascending=False, kind="stable")
    counts: dict[object, int] = {}
    for start in range(0, len(array), CHUNK):
        codes, uniques = pd.factorize(array[start:start + CHUNK])
        for value, n in zip(uniques, np.bincount(codes[codes >= 0], minlength=len(uniques)).tolist(), strict=True):
            counts[value] = counts.get(value, 0) + n
    index = pd.Index(list(counts), dtype=object)
    return pd.Series(list(counts.values()), index=index, name="count", dtype=np.int64).sort_values(
        ascending=False, kind="stable")


def distinct(values: pd.Series) -> int:
    """The number of distinct values; whole numbers held as Python objects are counted as int64.

    Row numbers (small, not negative) are counted by marking them in a table of flags, which costs a
    byte per row of the input rather than a hash table of every edit.
    """
    array = values.to_numpy()
    if array.dtype == object and len(array) and isinstance(array[0], int):
        with contextlib.suppress(OverflowError, TypeError, ValueError):
            array = np.asarray(array, dtype=np.int64)
    if array.dtype.kind in "iu" and len(array) and array.min() >= 0 and array.max() < 4 * len(array) + (1 << 16):
        seen = np.zeros(int(array.max()) + 1, dtype=bool)
        seen[array] = True
        return int(np.count_nonzero(seen))
    return int(pd.Series(array, copy=False).nunique())


def numbers(values: pd.Series) -> pd.Series:
    """Report cells as floats (NaN when not a number), parsed once per distinct text."""
    codes, uniques = pd.factorize(values)
    parsed = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(dtype=float)
    return pd.Series(np.append(parsed, np.nan)[codes], index=values.index)


def edit_groups(data: ReportData) -> tuple[np.ndarray, pd.DataFrame]:
    """Each edit's (column, rule) group number (-1 when either is missing), and the groups in order of first edit.

    Computed once per report, a chunk of edits at a time, since a million-row run has millions of edits:
    factorizing both columns whole held five arrays of codes as long as the edits.
    """
    if "edit_groups" not in data.cache:
        changes = data.frame("changes")
        data.cache["edit_groups"] = _pair_groups(changes["column"].to_numpy(), changes["rule"].to_numpy())
    return data.cache["edit_groups"]


def _pair_groups(columns: np.ndarray, rules: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    groups: dict[tuple[object, object], int] = {}
    codes = np.empty(len(columns), dtype=np.int32)
    for start in range(0, len(columns), CHUNK):
        column_codes, column_names = pd.factorize(columns[start:start + CHUNK])
        rule_codes, rule_names = pd.factorize(rules[start:start + CHUNK])
        width = max(1, len(rule_names))
        pair = column_codes.astype(np.int64) * width + rule_codes
        pair[(column_codes < 0) | (rule_codes < 0)] = -1
        local, firsts = pd.factorize(pair, use_na_sentinel=False)
        numbers = [-1 if f < 0 else groups.setdefault((column_names[f // width], rule_names[f % width]), len(groups))
                   for f in firsts.tolist()]
        codes[start:start + CHUNK] = np.array(numbers, dtype=np.int32)[local]
    frame = pd.DataFrame({"column": pd.Series([c for c, _ in groups], dtype=object),
                          "rule": pd.Series([r for _, r in groups], dtype=object)})
    return codes, frame


def first_per_group(codes: np.ndarray, limit: int) -> list[int]:
    """Positions of the first `limit` rows ordered by (rank within their group, position); -1 = no group.

    Every group's first row comes first, then every group's second row ... Only ranks below R matter,
    R known from the group sizes: one stable sort by group (a radix sort on small codes) lines up each
    group's rows in order, and each group's first R rows are read off it.
    """
    known = codes[codes >= 0]
    if not known.size or limit <= 0:
        return []
    sizes = np.bincount(known)
    del known
    shown_rows, levels = 0, 0
    while shown_rows < limit and levels < sizes.max():
        shown_rows += int((sizes > levels).sum())
        levels += 1
    wanted = np.minimum(sizes, levels)
    small = codes.astype(np.int16) if len(sizes) < np.iinfo(np.int16).max else codes
    order = np.argsort(small, kind="stable")
    starts = len(codes) - int(sizes.sum()) + np.cumsum(sizes) - sizes     # each group's first place in `order`
    rank = np.arange(int(wanted.sum())) - np.repeat(np.cumsum(wanted) - wanted, wanted)
    positions = order[np.repeat(starts, wanted) + rank]
    return positions[np.lexsort((positions, rank))][:limit].tolist()


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
