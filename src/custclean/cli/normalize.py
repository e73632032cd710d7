"""custclean normalize: one standard form for countries, names, addresses, emails, phones ..."""

from __future__ import annotations

from custclean import api
from custclean.cli.app import command
from custclean.cli.common import finish, input_flags, load_config, output_flags
from custclean.cli.options import (
    AllowFormulas,
    ChunkRows,
    ConfigFile,
    Debug,
    Delimiter,
    Encoding,
    HighlightChanges,
    InPlace,
    InputFile,
    Json,
    KeepBackups,
    Mapping,
    Only,
    Output,
    Quiet,
    ReportDir,
    RulesDir,
    Sheet,
    Skip,
    Verbose,
)
from custclean.errors import ConfigError
from custclean.report.console import print_summary, progress_reporter


@command
def normalize(
    file: InputFile, output: Output = None, report: ReportDir = None, only: Only = None, skip: Skip = None,
    in_place: InPlace = False, keep_backups: KeepBackups = None, allow_formulas: AllowFormulas = False,
    encoding: Encoding = None, delimiter: Delimiter = None, sheet: Sheet = None, map: Mapping = None,
    config: ConfigFile = None, rules: RulesDir = None, json: Json = False, quiet: Quiet = False,
    highlight_changes: HighlightChanges = False, verbose: Verbose = False, chunk_rows: ChunkRows = None,
    debug: Debug = False,
) -> None:
    """Standardise countries, names, addresses, emails, phones, companies and dates.

    Every edited cell is listed in REPORT/changes.csv with the rule that changed it. A CSV file longer
    than --chunk-rows rows is read in chunks, in bounded memory, with the same results.

    Example: custclean normalize examples/customers_multilang.csv -o clean.csv --report report/
    """
    cfg = load_config(
        config, rules,
        input={**input_flags(encoding, delimiter, sheet, map), "chunk_rows": chunk_rows},
        normalize={"only": only, "skip": skip},
        output=output_flags(in_place, keep_backups, allow_formulas, highlight_changes),
    )
    if in_place:
        output = file
    if not output and not report:
        raise ConfigError("say where to write: -o OUT (or --in-place), and/or --report DIR")
    with progress_reporter(not quiet and not json) as progress:
        if api.streamable(file, cfg, output):
            result = api.stream_normalize(file, cfg, output=output, report=report, progress=progress)
            print_summary(result, as_json=json, quiet=quiet, verbose=verbose)
            return
        result = api.normalize(api.read(file, cfg), cfg, progress=progress)
    finish(result, cfg, output, report, json, quiet, verbose)
