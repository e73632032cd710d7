"""rich summary table and progress bars (only when stderr is a TTY).

stdout carries data only (`-o -`, `--json`); everything here goes to stderr. On a terminal a
command ends with a summary table, and steps that run longer than a second show a progress bar
with counts and ETA. Elsewhere (cron, pipes) the summary is one plain line and there are no bars.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table as RichTable
from rich.text import Text

from custclean.pipeline import Progress as ProgressCallback
from custclean.results import RunResult

_LABELS = {
    "rows_in": "rows in", "rows_out": "rows out", "edits": "cells edited", "quarantined": "quarantined",
    "clusters": "duplicate clusters", "records_in_clusters": "records in clusters",
    "review_pairs": "pairs to review", "merged": "records merged", "suppressed": "suppressed",
    "seconds": "seconds",
}
SHOW_AFTER = 1.0    # seconds a step runs before its bar appears


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def one_line(summary: dict[str, Any]) -> str:
    """The cron-friendly summary: one line, no colour, every figure."""
    parts = [f"{_LABELS.get(k, k)}: {v}" for k, v in summary.items() if k not in {"command", "findings"}]
    findings = summary.get("findings", {})
    parts.insert(3, "findings: " + ", ".join(f"{n} {sev}" for sev, n in findings.items()))
    return f"custclean {summary.get('command', '')}: " + "; ".join(parts)


def summary_table(summary: dict[str, Any]) -> RichTable:
    """The end-of-command table: one figure per line, findings coloured by severity."""
    table = RichTable(title=f"custclean {summary.get('command', '')}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    colours = {"error": "red", "warning": "yellow", "info": "blue"}
    for key, value in summary.items():
        if key == "command":
            continue
        if key == "findings":
            value = ", ".join(
                f"[{colours.get(sev, 'white')}]{n} {sev}[/]" if n else f"{n} {sev}" for sev, n in value.items()
            )
        table.add_row(_LABELS.get(key, key), str(value))
    return table


def detail_table(result: RunResult) -> RichTable:
    """--verbose: time per step and the most frequent finding codes."""
    table = RichTable(title="details", show_header=True)
    table.add_column("step or finding")
    table.add_column("figure", justify="right")
    for step, seconds in result.timings.items():
        table.add_row(step, f"{seconds:.3f} s")
    findings = result.findings.frame()
    if not findings.empty:
        for (code, severity), n in findings.groupby(["code", "severity"]).size().nlargest(15).items():
            table.add_row(f"{code} ({severity})", str(int(n)))
    return table


def print_summary(
    result: RunResult, as_json: bool = False, quiet: bool = False, verbose: bool = False,
    console: Console | None = None,
) -> None:
    """JSON on stdout for scripts; a rich table on a terminal; one line otherwise; nothing if quiet."""
    summary = result.summary()
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
        return
    console = console or stderr_console()
    for warning in result.warnings:
        console.print(Text.assemble(("warning: ", "yellow" if console.is_terminal else ""), warning), soft_wrap=True)
    if quiet:
        return
    if not console.is_terminal:
        console.print(one_line(summary), soft_wrap=True, markup=False)
        return
    console.print(summary_table(summary))
    if verbose:
        console.print(detail_table(result))


class _Bars:
    """A pipeline.Progress callable drawing rich bars for steps that outlast SHOW_AFTER.

    Calls are (step, done, total). The first call for a step name starts that step (run_steps
    reports "step i of n" that way); later calls for the same name report its own progress
    (rows or pairs done), shown as a second bar. A timer reveals bars only once a step has run
    SHOW_AFTER seconds, so quick commands print no bar at all.
    """

    def __init__(self, progress: Progress, delay: float) -> None:
        self.progress = progress
        self.delay = delay
        self.overall: TaskID = progress.add_task("starting", total=None, visible=False)
        self.inner: TaskID | None = None
        self.current = ""
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.started = False

    def __call__(self, step: str, done: int, total: int) -> None:
        with self.lock:
            if step != self.current:
                self._new_step(step, done, total)
            elif self.inner is None:
                self.inner = self.progress.add_task(f"  {step}", total=total, completed=done,
                                                    visible=self.started)
            else:
                self.progress.update(self.inner, completed=done, total=total)

    def _new_step(self, step: str, done: int, total: int) -> None:
        self.current = step
        if self.inner is not None:
            self.progress.remove_task(self.inner)
            self.inner = None
        self.progress.update(self.overall, description=step, completed=done, total=total)
        if self.timer is not None:
            self.timer.cancel()
        if done < total and not self.started:
            self.timer = threading.Timer(self.delay, self._reveal, args=(step,))
            self.timer.daemon = True
            self.timer.start()

    def _reveal(self, step: str) -> None:
        """Called by the timer: the step is still running after `delay`, so show the bars from now on."""
        with self.lock:
            if self.current != step or self.started:
                return
            self.started = True
            self.progress.start()
            for task in self.progress.tasks:
                self.progress.update(task.id, visible=True)

    def close(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            if self.started:
                self.progress.stop()


def _no_progress(step: str, done: int, total: int) -> None:
    """What commands get when bars are off: a callable that does nothing."""


@contextlib.contextmanager
def progress_reporter(
    enabled: bool, console: Console | None = None, delay: float = SHOW_AFTER
) -> Iterator[ProgressCallback]:
    """Yield a pipeline.Progress callable for the API; bars only when enabled and stderr is a terminal.

    Usage: `with progress_reporter(not quiet and not json) as progress: api.normalize(t, cfg, progress=progress)`.
    """
    console = console or stderr_console()
    if not enabled or not console.is_terminal:
        yield _no_progress
        return
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("eta"),
        TimeRemainingColumn(), console=console, transient=True, auto_refresh=True,
    )
    bars = _Bars(progress, delay)
    try:
        yield bars
    finally:
        bars.close()
