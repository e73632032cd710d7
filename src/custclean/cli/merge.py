"""custclean merge: several lists into one, columns aligned by role, duplicates merged across them."""

from __future__ import annotations

from custclean import api
from custclean.cli.app import command
from custclean.cli.common import finish, input_flags, load_config, match_flags, output_flags
from custclean.cli.options import (
    AllowFormulas,
    ClustersFile,
    ConfigFile,
    Debug,
    Decisions,
    Delimiter,
    Encoding,
    IdColumn,
    InputFiles,
    Json,
    Mapping,
    NormalizeValues,
    Output,
    Quiet,
    ReportDir,
    ReviewThreshold,
    RulesDir,
    Sheet,
    Threshold,
)
from custclean.errors import ConfigError


@command
def merge(
    files: InputFiles, output: Output = None, report: ReportDir = None, id_column: IdColumn = None,
    clusters: ClustersFile = None, threshold: Threshold = None, review_threshold: ReviewThreshold = None,
    decisions: Decisions = None, normalize: NormalizeValues = False, allow_formulas: AllowFormulas = False,
    encoding: Encoding = None, delimiter: Delimiter = None, sheet: Sheet = None, map: Mapping = None,
    config: ConfigFile = None, rules: RulesDir = None, json: Json = False, quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Combine lists whose headers differ in name and language; the first file wins ties.

    The output keeps the first file's headers, appends the other files' extra columns and a `source`
    column; duplicates within and across files are merged (REPORT/merges.csv lists them).

    Example: custclean merge examples/customers_multilang.csv examples/clienti_ro.xlsx -o all.csv --report report/
    """
    cfg = load_config(
        config, rules,
        input=input_flags(encoding, delimiter, sheet, map),
        match=match_flags(id_column, threshold, review_threshold, decisions),
        merge={"clusters": clusters, "normalize": normalize or None},
        output=output_flags(False, None, allow_formulas),
    )
    report = report or api.report_folder_for(output)
    if not output or report is None:
        raise ConfigError("say where to write: -o OUT, and --report DIR when OUT is standard output")
    result = api.merge(api.read_many(files, cfg), cfg)
    finish(result, cfg, output, report, json, quiet)
