"""custclean suppress: prepare a mailing list; opted-out, listed and unreachable contacts removed."""

from __future__ import annotations

from custclean import api
from custclean.cli.app import command
from custclean.cli.common import finish, input_flags, load_config, output_flags
from custclean.cli.options import (
    AllowFormulas,
    ConfigFile,
    Debug,
    DefaultRegion,
    Delimiter,
    Encoding,
    ForMailing,
    InputFile,
    Json,
    Mapping,
    OptOutLists,
    Output,
    Quiet,
    ReportDir,
    RulesDir,
    Sheet,
)
from custclean.errors import ConfigError


@command
def suppress(
    file: InputFile, lists: OptOutLists = None, for_mailing: ForMailing = None, output: Output = None,
    report: ReportDir = None, default_region: DefaultRegion = None, allow_formulas: AllowFormulas = False,
    encoding: Encoding = None, delimiter: Delimiter = None, sheet: Sheet = None, map: Mapping = None,
    config: ConfigFile = None, rules: RulesDir = None, json: Json = False, quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Remove contacts on an opt-out list (email or phone), opted out, or unreachable for the mailing.

    Every removed row is in REPORT/suppressed.csv with its reason. Without --report it goes to
    OUTPUT's name + ".report/".

    Example: custclean suppress clean.csv --list examples/optouts.csv --for-mailing email -o mailing.csv
    """
    cfg = load_config(
        config, rules,
        input=input_flags(encoding, delimiter, sheet, map),
        normalize={"default_region": default_region},
        merge={"suppress": lists, "for_mailing": for_mailing},
        output=output_flags(False, None, allow_formulas),
    )
    report = report or api.report_folder_for(output)
    if not output or report is None:
        raise ConfigError("say where to write: -o OUT, and --report DIR when OUT is standard output")
    result = api.suppress(api.read(file, cfg), config=cfg)
    finish(result, cfg, output, report, json, quiet)
