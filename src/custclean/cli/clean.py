"""custclean clean: the main job: normalize, validate, merge duplicates, suppress, report everything."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from custclean import api
from custclean.cli.app import command
from custclean.cli.common import finish, input_flags, load_config, match_flags, output_flags
from custclean.cli.options import (
    AllowFormulas,
    CheckDns,
    ClustersFile,
    ConfigFile,
    Debug,
    Decisions,
    DefaultRegion,
    Delimiter,
    Encoding,
    FailOn,
    ForMailing,
    HighlightChanges,
    IdColumn,
    Incomplete,
    InputFiles,
    Json,
    Mapping,
    Only,
    Output,
    Quarantine,
    Quiet,
    ReportDir,
    ReviewThreshold,
    RulesDir,
    RulesFile,
    Sheet,
    Skip,
    SuppressLists,
    Threshold,
    Verbose,
)
from custclean.config import Config
from custclean.errors import ConfigError, DataProblems
from custclean.report.console import progress_reporter

if TYPE_CHECKING:
    from custclean.table import Table


@command
def clean(
    files: InputFiles, output: Output = None, report: ReportDir = None, only: Only = None, skip: Skip = None,
    default_region: DefaultRegion = None, quarantine: Quarantine = None, incomplete: Incomplete = None,
    fail_on: FailOn = None, check_dns: CheckDns = False, rules_file: RulesFile = None, id_column: IdColumn = None,
    clusters: ClustersFile = None, threshold: Threshold = None, review_threshold: ReviewThreshold = None,
    decisions: Decisions = None, suppress: SuppressLists = None, for_mailing: ForMailing = None,
    allow_formulas: AllowFormulas = False, encoding: Encoding = None, delimiter: Delimiter = None,
    sheet: Sheet = None, map: Mapping = None, config: ConfigFile = None, rules: RulesDir = None,
    json: Json = False, quiet: Quiet = False,
    highlight_changes: HighlightChanges = False, verbose: Verbose = False, debug: Debug = False,
) -> None:
    """Normalize, validate, merge duplicates and prepare for mailing, in one run; several files are merged.

    Rows with errors go to REPORT/quarantine.csv (or --quarantine), absorbed duplicates to merges.csv,
    removed contacts to suppressed.csv: every input row lands in exactly one place. Without --report
    the reports go to OUTPUT's name + ".report/". Exit 1 when a finding reaches --fail-on.

    Example: custclean clean examples/customers_multilang.csv -o clean.csv --report report/
    """
    cfg = load_config(
        config, rules,
        input=input_flags(encoding, delimiter, sheet, map),
        normalize={"only": only, "skip": skip, "default_region": default_region},
        validate={"quarantine": quarantine, "incomplete": incomplete, "fail_on": fail_on,
                  "check_dns": check_dns or None},
        match=match_flags(id_column, threshold, review_threshold, decisions),
        merge={"clusters": clusters, "suppress": suppress, "for_mailing": for_mailing},
        output=output_flags(False, None, allow_formulas, highlight_changes),
    )
    if rules_file:
        cfg = cfg.override(validate={"rules": (*cfg.validate.rules, *(str(p.resolve()) for p in rules_file))})
    report = report or api.report_folder_for(output)
    if not output or report is None:
        raise ConfigError("say where to write: -o OUT, and --report DIR when OUT is standard output")
    read_seconds: list[float] = []
    with progress_reporter(not quiet and not json) as progress:
        result = api.clean(_read(files, cfg, read_seconds), cfg, progress=progress)
    result.timings = {"read": read_seconds[0], **result.timings}
    api.write_held_rows(result, cfg, report)
    finish(result, cfg, output, report, json, quiet, verbose)
    failing = api.findings_at_or_above(result, cfg)
    if failing:
        raise DataProblems(f"{failing} finding(s) at or above '{cfg.validate.fail_on}' (see {report}/issues.csv)")


def _read(files: list[str], cfg: Config, seconds: list[float]) -> list[Table]:
    """The input tables, read and timed; not kept in a variable here, so clean() can free them once
    normalized (a million-row list holds hundreds of MB that matching needs)."""
    started = time.perf_counter()
    tables = api.read_many(files, cfg)
    seconds.append(time.perf_counter() - started)
    return tables
