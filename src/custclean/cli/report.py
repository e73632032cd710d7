"""custclean report: rebuild report.html from a report folder's files (after a review, say)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from custclean.cli.app import command
from custclean.cli.options import Debug, Quiet
from custclean.report.html import write_html

ReportFolder = Annotated[Path, typer.Argument(help="A folder written by --report (summary.json, changes.csv ...).")]


@command
def report(folder: ReportFolder, quiet: Quiet = False, debug: Debug = False) -> None:
    """Rebuild FOLDER/report.html from the report files in FOLDER; nothing else is read or changed.

    The page is self-contained (no network): open it in any browser, or mail it.

    Example: custclean report report/
    """
    path = write_html(folder)
    if not quiet:
        typer.echo(f"wrote {path}", err=True)
