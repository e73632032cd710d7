"""Where a chunked run's rows go: the output, the quarantine and follow-up files, and the report folder.

Every file is written into a temp file beside its target and renamed only when the whole run
succeeded (the ExitStack the caller holds does the renames), so a failure or a kill leaves the
previous files as they were and never a half-written one.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd

from custclean.api.safety import formula_edits
from custclean.api.stream_report import ReportCsv, Tally, render_html, summary_json, write_text
from custclean.config import Config
from custclean.errors import OutputError
from custclean.io.csv_stream import CsvAppender
from custclean.io.safe_write import atomic_path, backup
from custclean.report.files import keyed
from custclean.results import RunResult
from custclean.table import SourceInfo, Table, text_frame

_REPORT_CSVS = ("changes", "issues")


def follow_up_table(incomplete: pd.DataFrame, source: SourceInfo, allow_formulas: bool) -> Table:
    """The follow-up list as a text table written like the input (as api.validate's `_as_table`)."""
    frame = incomplete.astype(str)
    info = SourceInfo(
        path="", format=source.format, encoding=source.encoding, delimiter=source.delimiter,
        quotechar=source.quotechar, line_terminator=source.line_terminator, bom=source.bom,
        headers=tuple(frame.columns),
    )
    table = Table(text_frame(frame.to_numpy().tolist(), list(frame.columns)), source=info)
    return table if allow_formulas else table.apply(formula_edits(table))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


class Sink:
    """The files of one chunked run, each appended chunk by chunk, plus the tallies for the report."""

    def __init__(
        self, stack: ExitStack, config: Config, source: SourceInfo, output: str | None,
        report: str | Path | None, validate: bool,
    ) -> None:
        self.stack, self.config, self.source = stack, config, source
        self.umask = config.output.umask
        self.tally = Tally()
        self.chunks = 0
        self.warnings: list[str] = []
        self.files: dict[str, tuple[CsvAppender, str]] = {}
        self.reports: dict[str, ReportCsv] = {}
        self.report = Path(report) if report else None
        if output:
            self._open_file("output", output, source)
        if validate and config.validate.quarantine:
            self._open_file("quarantine", config.validate.quarantine, source)
        if self.report is not None:
            self._open_reports(validate)

    def _open_file(self, key: str, path: str, source: SourceInfo) -> None:
        """A CSV written like write() writes it: refuses the input file unless in place (backed up first)."""
        target = Path(path)
        if target.is_dir():
            raise OutputError(f"{path}: is a folder; give a file name; nothing was written")
        if self.source.path and _same_file(target, Path(self.source.path)):
            if not self.config.output.in_place:
                raise OutputError(f"{target}: is the input file; use --in-place to overwrite it (a backup is kept)")
            copy = backup(target, self.config.output.keep_backups)
            if copy is not None:
                self.warnings.append(f"backup of the previous version kept as {copy.name}")
        tmp = self.stack.enter_context(atomic_path(target, 0o666 & ~self.umask))
        self.files[key] = (CsvAppender(tmp, source, self.config.output), path)

    def _open_reports(self, validate: bool) -> None:
        assert self.report is not None
        try:
            self.report.mkdir(parents=True, exist_ok=True)
            os.chmod(self.report, 0o777 & ~self.umask | 0o700)
        except OSError as exc:
            raise OutputError(f"{self.report}: cannot create the report folder ({exc.strerror})") from None
        names = list(_REPORT_CSVS)
        if validate and self.config.validate.incomplete is not None:
            names.append("incomplete")
        if validate and self.config.validate.quarantine is not None:
            names.append("quarantine")
        for name in names:
            tmp = self.stack.enter_context(atomic_path(self.report / f"{name}.csv", 0o666 & ~self.umask))
            self.reports[name] = ReportCsv(tmp)

    def add(
        self, kept: pd.DataFrame, changes: pd.DataFrame, findings: pd.DataFrame,
        quarantine: Table | None = None, incomplete: pd.DataFrame | None = None,
    ) -> None:
        """Append one chunk's rows to every file it belongs in."""
        self.chunks += 1
        if "output" in self.files:
            self.files["output"][0].write(kept)
        if quarantine is not None and "quarantine" in self.files:
            self.files["quarantine"][0].write(quarantine.frame)
        if incomplete is not None and self.config.validate.incomplete:
            follow = follow_up_table(incomplete, self.source, self.config.output.allow_formulas)
            if "incomplete" not in self.files:
                self._open_file("incomplete", self.config.validate.incomplete, follow.source)
            self.files["incomplete"][0].write(follow.frame)
        held = keyed(quarantine.frame) if quarantine is not None else None
        for name, frame in (("changes", changes), ("issues", findings), ("quarantine", held),
                            ("incomplete", incomplete)):
            if frame is not None and name in self.reports:
                self.reports[name].write(frame)
        self.tally.add_changes(changes)
        self.tally.add_findings(findings)
        if held is not None:
            self.tally.add_rows("quarantine", held)
        if incomplete is not None:
            self.tally.add_rows("incomplete", incomplete)

    def close(self, columns: list[str]) -> list[str]:
        """Finish every file (the renames happen when the caller's ExitStack closes); returns warnings."""
        for key, (appender, path) in self.files.items():
            written = appender.close(columns if key == "output" else None)
            if self.source.format == "csv" and written.encoding != self.source.encoding:
                self.warnings.append(
                    f"{path}: some values cannot be written in {self.source.encoding}; wrote UTF-8 with BOM")
        for report in self.reports.values():
            report.close()
        return self.warnings

    def write_summary(self, result: RunResult) -> None:
        """summary.json and report.html, from the run's figures and the tallies."""
        if self.report is None:
            return
        summary: dict[str, Any] = {
            **result.summary(), "stats": result.stats, "timings": result.timings, "config": result.config,
            "columns": [str(c) for c in result.table.columns],
        }
        mode = 0o666 & ~self.umask
        for name, text in (("summary.json", summary_json(summary)),
                           ("report.html", render_html(self.report, summary, self.tally))):
            write_text(self.stack.enter_context(atomic_path(self.report / name, mode)), text)
