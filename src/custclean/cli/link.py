"""custclean link: for each record of a new list, its best match in a master list."""

from __future__ import annotations

from custclean import api
from custclean.cli.app import command
from custclean.cli.common import finish, input_flags, load_config, match_flags, output_flags
from custclean.cli.options import (
    AllowFormulas,
    ConfigFile,
    Debug,
    Decisions,
    Delimiter,
    Encoding,
    IdColumn,
    InputFile,
    Json,
    Mapping,
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
def link(
    master: InputFile, new: InputFile, output: Output = None, report: ReportDir = None,
    threshold: Threshold = None, review_threshold: ReviewThreshold = None, decisions: Decisions = None,
    id_column: IdColumn = None, allow_formulas: AllowFormulas = False,
    encoding: Encoding = None, delimiter: Delimiter = None, sheet: Sheet = None, map: Mapping = None,
    config: ConfigFile = None, rules: RulesDir = None, json: Json = False, quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Find each NEW record's best match in MASTER; NEW is written with match_row, match_id, match_probability.

    The columns are added at the end; a record with no match above the threshold gets empty cells.
    REPORT gets pairs.csv (every scored pair with its per-field evidence) and review.csv; answer
    review.csv's `decision` column (yes/no) and rerun with --decisions to apply the answers.

    Example: custclean link customers.csv new_signups.csv -o new_signups.linked.csv
    """
    cfg = load_config(
        config, rules,
        input=input_flags(encoding, delimiter, sheet, map),
        match=match_flags(id_column, threshold, review_threshold, decisions),
        output=output_flags(False, None, allow_formulas),
    )
    if not output and not report:
        raise ConfigError("say where to write: -o OUT, and/or --report DIR")
    result = api.link(api.read(master, cfg), api.read(new, cfg), cfg)
    finish(result, cfg, output, report, json, quiet)
