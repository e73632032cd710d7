"""Annotated option types shared by commands, each defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

InputFile = Annotated[str, typer.Argument(help="CSV, TSV or Excel file ('-' reads standard input).")]
InputFiles = Annotated[list[str], typer.Argument(help="One or more CSV, TSV or Excel files.")]
Output = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Where to write the result; the format follows the extension."),
]
ReportDir = Annotated[
    Path | None, typer.Option("--report", help="Folder for report files (changes.csv, summary.json ...).")
]
ConfigFile = Annotated[
    Path | None, typer.Option("--config", help="A custclean.toml (default: ./custclean.toml if present).")
]
Encoding = Annotated[str | None, typer.Option("--encoding", help="Input encoding, e.g. cp1252 (default: detect).")]
Delimiter = Annotated[str | None, typer.Option("--delimiter", help="CSV delimiter: , ; tab | (default: sniff).")]
Sheet = Annotated[str | None, typer.Option("--sheet", help="Excel sheet name or 0-based index (default: first).")]
Mapping = Annotated[
    list[str] | None,
    typer.Option("--map", help="Force a column's role: --map email=Courriel (repeatable)."),
]
InPlace = Annotated[
    bool, typer.Option("--in-place", help="Overwrite the input file, keeping a timestamped backup.")
]
KeepBackups = Annotated[int | None, typer.Option("--keep-backups", help="Backups kept with --in-place (default 5).")]
AllowFormulas = Annotated[
    bool, typer.Option("--allow-formulas", help="Do not neutralize cells a spreadsheet would run as formulas.")
]
RulesDir = Annotated[
    list[Path] | None, typer.Option("--rules", help="A folder of rules files extending the shipped ones.")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
Json = Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object on stdout.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also print warnings about individual cells.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show a traceback on internal errors.")]
Only = Annotated[str | None, typer.Option("--only", help="Run only these normalizers: --only country,phone")]
Skip = Annotated[str | None, typer.Option("--skip", help="Skip these normalizers: --skip name,company")]
