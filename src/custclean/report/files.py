"""changes.csv, issues.csv, pairs.csv, review.csv, merges.csv, suppressed.csv, summary.json, report.html.

Report files are always UTF-8 with a BOM (Excel opens them with the right letters), written
atomically, owner-readable only: they hold customer data. report.html is built last, from the
files just written, exactly as `custclean report DIR` rebuilds it; the frames as written are handed
to it rather than read back, which for a million-row run saves reading hundreds of MB again.

The report CSVs of a run are committed together: each is written to a temp file beside it and they are
all renamed into place only once every one of them (and the run's output file, when `write_reports`
is given one to write) was written, so a failure leaves the folder as it was. A big run writes on two
cores: a forked helper writes the output file and the biggest report CSVs while this process writes the
others, then this process builds summary.json and report.html from the frames as written by both.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from custclean.errors import OutputError
from custclean.io.safe_write import atomic_path
from custclean.parallel import Abandoned, Helper, can_fork
from custclean.report.csvtext import FrameText, NumberTexts, frame_text
from custclean.report.html import write_html
from custclean.report.reportdata import REPORT_CSVS, ReportData, read_frame
from custclean.results import RunResult
from custclean.table import row_keys

REPORT_ENCODING = "utf-8-sig"


def _located(result: RunResult, frame: pd.DataFrame) -> pd.DataFrame:
    """Put the source file name in front when the run read several files.

    One index lookup per cell of the `row` column (as int64 when the keys are whole numbers held as
    Python objects): hashing three million object keys three times took seconds.
    """
    if result.table.origin is None or "row" not in frame.columns or frame.empty:
        return frame
    origin = result.table.origins()
    at = origin.index.get_indexer(row_keys(frame["row"].to_numpy(), origin.index))
    known = at >= 0
    located = frame.copy()
    sources = np.full(len(located), "", dtype=object)
    sources[known] = origin["source"].to_numpy()[at[known]]
    located.insert(0, "source", sources)
    located.loc[known, "row"] = origin["row"].to_numpy()[at[known]]
    return located


def write_csv_report(frame: pd.DataFrame, path: Path, umask: int = 0o077) -> Path:
    """One report CSV; cells are formula-neutralized since people open these in Excel."""
    _write_csv(frame, path, umask)
    return path


def _write_csv(
    frame: pd.DataFrame, path: Path, umask: int, numbers: NumberTexts | None = None
) -> pd.DataFrame | None:
    """Write the CSV (UTF-8 with BOM, atomically); return the frame as written, None if pandas wrote it."""
    with ExitStack() as stack:
        text = _stage(stack, frame, path, umask, numbers)
    return text.view()


def _stage(stack: ExitStack, frame: pd.DataFrame, path: Path, umask: int, numbers: NumberTexts | None) -> FrameText:
    """Write a report CSV to a temp file beside `path`, renamed into place when `stack` closes (else removed)."""
    tmp = stack.enter_context(atomic_path(path, 0o666 & ~umask))
    text = frame_text(frame, numbers=numbers)
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        text.write(handle)
    return text


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def write_json_report(data: dict[str, Any], path: Path, umask: int = 0o077) -> Path:
    with atomic_path(path, 0o666 & ~umask) as tmp:
        tmp.write_text(_json_text(data), encoding="utf-8")
    return path


def _report_frames(result: RunResult) -> dict[str, Callable[[], pd.DataFrame | None]]:
    """Report file name -> how to build it; a builder returning None means "not produced by this run"."""
    return {
        "changes.csv": lambda: _located(result, result.changes.frame(int_keys=True)),
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


def _report_folder(folder: Path, umask: int) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o777 & ~umask | 0o700)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the report folder ({exc.strerror})") from None


def write_reports(
    result: RunResult, folder: str | Path, umask: int = 0o077, output: Callable[[], list[str]] | None = None
) -> list[Path]:
    """Write every report the run produced into `folder` (created if needed); returns the paths.

    `output`, when given, writes the run's output file and returns its warnings (added to
    result.warnings); it runs first, or beside the report CSVs on a forked helper when the run is big,
    and the report CSVs are committed only once it succeeded; its error is raised rather than theirs.
    Timings (so summary.json): "write" gets the seconds until the output was written (added to what it
    holds: the formula guard's), "reports" the seconds the report CSVs took beyond that, so the steps
    still add up to the run's time; summary.json and report.html come after and are not counted.
    """
    started = time.perf_counter()
    folder = Path(folder)
    theirs = _helper_share(result, output is not None)
    helper = None if theirs is None else Helper(lambda conn: _helper_work(conn, result, folder, umask, output, theirs))
    try:
        texts, out_done, reports_done = _write_csvs(result, folder, umask, output, helper, theirs or [])
    finally:
        if helper is not None:
            helper.close()
    if output is not None:
        result.timings["write"] = result.timings.get("write", 0.0) + out_done - started
    result.timings["reports"] = max(0.0, reports_done - (out_done if output is not None else started))
    return _write_summary_and_page(result, folder, umask, texts)


def _write_csvs(
    result: RunResult, folder: Path, umask: int, output: Callable[[], list[str]] | None, helper: Helper | None,
    theirs: list[str],
) -> tuple[dict[str, FrameText], float, float]:
    """Every report CSV, committed together once the output is written; (texts, output done, CSVs done)."""
    out_done = time.perf_counter()
    if output is not None and helper is None:
        result.warnings.extend(output())
        out_done = time.perf_counter()
    texts: dict[str, FrameText] = {}
    numbers = NumberTexts()
    with ExitStack() as stack:
        try:
            _report_folder(folder, umask)
            for name, build in _report_frames(result).items():
                frame = None if name in theirs else build()
                if frame is not None:
                    texts[name] = _stage(stack, frame, folder / name, umask, numbers)
        except Exception:
            if helper is not None and output is not None:
                helper.expect("output")         # the output's error first, as when written one after the other
            raise
        if helper is not None:
            pending = _their_texts(result, theirs, numbers)     # while the helper still writes them
            if output is not None:
                warnings, out_done = helper.expect("output")
                result.warnings.extend(warnings)
            changed, their_done = helper.expect("staged")
            for name in changed:
                pending[name].absorb(changed[name])
                texts[name] = pending[name]
    reports_done = time.perf_counter()
    if helper is not None:
        reports_done = max(reports_done, their_done)
        helper.send("commit")
        helper.expect("done")
    return texts, out_done, reports_done


def _their_texts(result: RunResult, theirs: list[str], numbers: NumberTexts) -> dict[str, FrameText]:
    """The helper's files as this process sees them: the same frames; the cells it changed come after."""
    builds = _report_frames(result)
    frames = {name: builds[name]() for name in theirs}
    return {name: frame_text(frame, numbers=numbers) for name, frame in frames.items() if frame is not None}


def _write_summary_and_page(
    result: RunResult, folder: Path, umask: int, texts: dict[str, FrameText]
) -> list[Path]:
    data = ReportData(folder)
    written = []
    for name in _report_frames(result):
        if name in texts:
            written.append(folder / name)
            view = texts[name].view()
            if view is not None:
                data.frames[Path(name).stem] = view
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


# Two cores -------------------------------------------------------------------------------------------------

# Below this many cells to write (output + report CSVs) everything stays in this process: forking a big
# process, and building the helper's frames again here for report.html, cost more than the second core saves.
FORK_MIN_CELLS = 2_000_000
# report.html and summary.json, which this process builds after the CSVs, in report-cell units.
PAGE_SHARE = 0.25


def _report_cells(result: RunResult) -> dict[str, int]:
    """Each report CSV the run produces -> about how many cells it has, without building it."""
    sizes = {
        "changes.csv": len(result.changes) * 6, "issues.csv": len(result.findings) * 6,
        "clusters.csv": None if result.clusters is None else result.clusters.size + len(result.clusters),
        "quarantine.csv": None if result.quarantine is None else result.quarantine.frame.size,
    }
    for name in ("pairs.csv", "review.csv", "merges.csv", "suppressed.csv", "incomplete.csv"):
        frame = getattr(result, name.removesuffix(".csv"))
        sizes[name] = None if frame is None else frame.size
    return {name: int(size) for name, size in sizes.items() if size is not None}


def _helper_share(result: RunResult, output: bool) -> list[str] | None:
    """The report CSVs a helper writes after the output, so that both processes finish about together
    (biggest first, each to the side with less to do); None when the run is written in this process."""
    cells = _report_cells(result)
    helper = float(result.table.frame.size) if output else 0.0
    if helper + sum(cells.values()) < FORK_MIN_CELLS or not can_fork():
        return None
    mine = PAGE_SHARE * sum(cells.values())
    theirs = []
    for name in sorted(cells, key=lambda n: -cells[n]):
        if helper < mine:
            theirs.append(name)
            helper += cells[name]
        else:
            mine += cells[name]
    return theirs if theirs or output else None


def _helper_work(
    conn: Connection, result: RunResult, folder: Path, umask: int, output: Callable[[], list[str]] | None,
    theirs: list[str],
) -> None:
    """In the helper: the output, then its report CSVs staged until this process says "commit"."""
    if output is not None:
        conn.send(("output", output(), time.perf_counter()))
    builds, numbers = _report_frames(result), NumberTexts()
    with ExitStack() as stack:
        changed = {}
        for name in theirs:
            frame = builds[name]()
            if frame is not None:
                changed[name] = _stage(stack, frame, folder / name, umask, numbers).changed()
        conn.send(("staged", changed, time.perf_counter()))
        if conn.recv() != "commit":
            raise Abandoned
    conn.send(("done",))
