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
Quarantine = Annotated[
    str | None, typer.Option("--quarantine", help="Write rows with an error here instead of to the output.")
]
Incomplete = Annotated[
    str | None,
    typer.Option("--incomplete", help="Write a follow-up list of rows lacking wanted fields (email, address)."),
]
FailOn = Annotated[
    str | None, typer.Option("--fail-on", help="Exit 1 when a finding reaches this level: error, warning or info.")
]
CheckDns = Annotated[
    bool, typer.Option("--check-dns", help="Also check that each email domain takes mail (needs DNS; short timeout).")
]
RulesFile = Annotated[
    list[Path] | None,
    typer.Option("--rules-file", help="A TOML file of validation rules like rules/validation.toml (repeatable)."),
]
DefaultRegion = Annotated[
    str | None, typer.Option("--default-region", help="Country (ISO code) for phones on rows without one, e.g. FR.")
]
IdColumn = Annotated[
    str | None, typer.Option("--id-column", help="Your customer id column (default: the column detected as id).")
]
ClustersFile = Annotated[
    str | None,
    typer.Option("--clusters", help="Use this clusters file (row or id, cluster_id) instead of matching."),
]
Threshold = Annotated[
    float | None, typer.Option("--threshold", help="Match probability from which records are merged (0-1).")
]
ReviewThreshold = Annotated[
    float | None, typer.Option("--review-threshold", help="Pairs from this probability up go to review.csv (0-1).")
]
Decisions = Annotated[
    str | None, typer.Option("--decisions", help="Your accept/reject answers for review.csv (a CSV file).")
]
NormalizeValues = Annotated[
    bool, typer.Option("--normalize", help="Also write normalized values (default: only merging changes cells).")
]
SuppressLists = Annotated[
    list[str] | None,
    typer.Option("--suppress", help="Remove contacts whose email or phone is in this opt-out list (repeatable)."),
]
OptOutLists = Annotated[
    list[str] | None, typer.Option("--list", help="An opt-out / suppression list: CSV or Excel (repeatable).")
]
ForMailing = Annotated[
    str | None,
    typer.Option("--for-mailing", help="Keep only contacts reachable this way: email or postal."),
]
HighlightChanges = Annotated[
    bool,
    typer.Option("--highlight-changes", help="For .xlsx output: fill edited cells, old value and rule in a comment."),
]
ChunkRows = Annotated[
    int | None,
    typer.Option("--chunk-rows", help="Read CSV files longer than this in chunks of this many rows (0: never)."),
]
