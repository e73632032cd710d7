"""write_reports(): every report file a run produced, in one folder."""

from __future__ import annotations

from pathlib import Path

from custclean.report.files import write_reports as _write_reports
from custclean.results import RunResult


def write_reports(result: RunResult, folder: str | Path, umask: int = 0o077) -> list[Path]:
    """Write changes.csv, issues.csv, summary.json ... for whatever steps the run went through."""
    return _write_reports(result, folder, umask)
