"""changes.csv, issues.csv, pairs.csv, review.csv, merges.csv, suppressed.csv, summary.json, report.html.

Report files are always UTF-8 with a BOM (Excel opens them with the right letters), written
atomically, owner-readable only: they hold customer data. report.html is built last, from the
files just written, exactly as `custclean report DIR` rebuilds it; the frames as written are handed
to it rather than read back, which for a million-row run saves reading hundreds of MB again.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from custclean.errors import OutputError
from custclean.io.safe_write import atomic_path
from custclean.report.csvtext import NumberTexts, write_frame
from custclean.report.html import write_html
from custclean.report.reportdata import REPORT_CSVS, ReportData, read_frame
from custclean.results import RunResult

REPORT_ENCODING = "utf-8-sig"


def _located(result: RunResult, frame: pd.DataFrame) -> pd.DataFrame:
    """Put the source file name in front when the run read several files."""
    if result.table.origin is None or "row" not in frame.columns or frame.empty:
        return frame
    origin = result.table.origins()
    located = frame.copy()
    known = located["row"].isin(origin.index)
    located.insert(0, "source", "")
    located.loc[known, "source"] = origin.loc[located.loc[known, "row"], "source"].to_numpy()
    located.loc[known, "row"] = origin.loc[located.loc[known, "row"], "row"].to_numpy()
    return located


def write_csv_report(frame: pd.DataFrame, path: Path, umask: int = 0o077) -> Path:
    """One report CSV; cells are formula-neutralized since people open these in Excel."""
    _write_csv(frame, path, umask)
    return path


def _write_csv(
    frame: pd.DataFrame, path: Path, umask: int, numbers: NumberTexts | None = None
) -> pd.DataFrame | None:
    """Write the CSV (UTF-8 with BOM, atomically); return the frame as written, None if pandas wrote it."""
    with atomic_path(path, 0o666 & ~umask) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        return write_frame(frame, handle, numbers=numbers)


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def write_json_report(data: dict[str, Any], path: Path, umask: int = 0o077) -> Path:
    with atomic_path(path, 0o666 & ~umask) as tmp:
        tmp.write_text(_json_text(data), encoding="utf-8")
    return path


def _report_frames(result: RunResult) -> dict[str, Callable[[], pd.DataFrame | None]]:
    """Report file name -> how to build it; a builder returning None means "not produced by this run"."""
    return {
        "changes.csv": lambda: _located(result, result.changes.frame()),
        "issues.csv": lambda: _located(result, result.findings.frame()),
        "pairs.csv": lambda: result.pairs,
        "review.csv": lambda: result.review,
        "clusters.csv": lambda: _located(result, keyed(result.clusters)) if result.clusters is not None else None,
        "merges.csv": lambda: result.merges,
        "suppressed.csv": lambda: result.suppressed,
        "incomplete.csv": lambda: result.incomplete,
        "quarantine.csv": lambda: _quarantine_frame(result),
    }


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame indexed by record key (clusters) with that key as a `row` column in front."""
    if "row" in frame.columns:
        return frame
    out = frame.copy()
    out.insert(0, "row", frame.index.to_numpy())
    return out.reset_index(drop=True)


def _quarantine_frame(result: RunResult) -> pd.DataFrame | None:
    """The held-back rows with their record key in front, so a person finds them in the input."""
    if result.quarantine is None:
        return None
    return _located(result, keyed(result.quarantine.frame))


def write_reports(result: RunResult, folder: str | Path, umask: int = 0o077) -> list[Path]:
    """Write every report the run produced into `folder` (created if needed); returns the paths.

    The seconds spent on the report CSVs go in result.timings["reports"] (so in summary.json);
    summary.json and report.html come after and are not counted: the page shows the figures it is built from.
    """
    started = time.perf_counter()
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o777 & ~umask | 0o700)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the report folder ({exc.strerror})") from None
    data, numbers = ReportData(folder), NumberTexts()
    written = []
    for name, build in _report_frames(result).items():
        frame = build()
        if frame is None:
            continue
        path = folder / name
        view = _write_csv(frame, path, umask, numbers)
        written.append(path)
        if view is not None:
            data.frames[path.stem] = view
    result.timings["reports"] = time.perf_counter() - started
    summary = {
        **result.summary(), "stats": result.stats, "timings": result.timings, "config": result.config,
        "columns": [str(c) for c in result.table.columns],
    }
    written.append(write_json_report(summary, folder / "summary.json", umask))
    data.summary = json.loads(_json_text(summary))     # exactly what reading summary.json back gives
    for name in REPORT_CSVS:        # written by pandas, or left in the folder by another command: as on disk
        if name not in data.frames:
            read_frame(data, name)
    written.append(write_html(folder, umask, data))
    return written
