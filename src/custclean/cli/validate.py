"""custclean validate: emails, phones, postal codes, countries, dates, ids, required fields and your rules."""

from __future__ import annotations

from custclean import api
from custclean.cli.app import command
from custclean.cli.common import finish, input_flags, load_config, output_flags
from custclean.cli.options import (
    AllowFormulas,
    CheckDns,
    ChunkRows,
    ConfigFile,
    Debug,
    DefaultRegion,
    Delimiter,
    Encoding,
    FailOn,
    Incomplete,
    InputFile,
    Json,
    Mapping,
    Output,
    Quarantine,
    Quiet,
    ReportDir,
    RulesDir,
    RulesFile,
    Sheet,
)
from custclean.errors import DataProblems
from custclean.report.console import print_summary


@command
def validate(
    file: InputFile, output: Output = None, report: ReportDir = None, quarantine: Quarantine = None,
    incomplete: Incomplete = None, fail_on: FailOn = None, check_dns: CheckDns = False,
    rules_file: RulesFile = None, default_region: DefaultRegion = None, allow_formulas: AllowFormulas = False,
    encoding: Encoding = None, delimiter: Delimiter = None, sheet: Sheet = None, map: Mapping = None,
    config: ConfigFile = None, rules: RulesDir = None, json: Json = False, quiet: Quiet = False,
    chunk_rows: ChunkRows = None, debug: Debug = False,
) -> None:
    """Check every row; list problems in REPORT/issues.csv, hold back or list rows on request.

    Without -o only reports are written; with -o the kept rows (all rows unless --quarantine).
    Exit code 1 when a finding reaches --fail-on, after everything is written. A CSV file longer than
    --chunk-rows rows is read in chunks, in bounded memory, with the same results.

    Example: custclean validate examples/customers_multilang.csv --report report/ --quarantine held.csv
    """
    cfg = load_config(
        config, rules,
        input={**input_flags(encoding, delimiter, sheet, map), "chunk_rows": chunk_rows},
        normalize={"default_region": default_region},
        validate={"quarantine": quarantine, "incomplete": incomplete, "fail_on": fail_on,
                  "check_dns": check_dns or None},
        output=output_flags(False, None, allow_formulas),
    )
    if rules_file:
        cfg = cfg.override(validate={"rules": (*cfg.validate.rules, *(str(p.resolve()) for p in rules_file))})
    held = (cfg.validate.quarantine, cfg.validate.incomplete)
    if api.streamable(file, cfg, output, *held):
        result = api.stream_validate(file, cfg, output=output, report=report)
        print_summary(result, as_json=json, quiet=quiet)
    else:
        result = api.validate(api.read(file, cfg), cfg)
        api.write_validation_files(result, cfg)
        finish(result, cfg, output, report, json, quiet)
    failing = api.failing_findings(result, cfg)
    if failing:
        raise DataProblems(f"{failing} finding(s) at or above '{cfg.validate.fail_on}' (see issues.csv with --report)")
