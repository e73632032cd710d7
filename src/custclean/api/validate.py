"""validate(): built-in checks and the user's rules over a table; quarantine and follow-up list on request."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from custclean.api.io import write
from custclean.api.safety import STEP as SAFETY_STEP
from custclean.api.safety import formula_edits
from custclean.config import Config
from custclean.findings import Findings, Severity
from custclean.pipeline import Progress
from custclean.results import RunResult
from custclean.ruleset import RuleSet
from custclean.table import SourceInfo, Table
from custclean.validate import fail_level, run_validation


def validate(
    table: Table,
    config: Config | None = None,
    rules: RuleSet | None = None,
    *,
    quarantine: bool | None = None,
    incomplete: bool | None = None,
    progress: Progress | None = None,
    earlier: Findings | None = None,
) -> RunResult:
    """Check emails, phones, postal codes, countries, dates, ids, required fields and the user's rules.

    `result.table` holds the kept rows: every row, unless `quarantine` (default: whether
    [validate] quarantine names a file) sends rows with an error to `result.quarantine`.
    `incomplete` (default: whether [validate] incomplete names a file) fills `result.incomplete`.
    `earlier`: findings of steps run before (clean passes normalize's); `result.findings` is then the
    whole list, each problem once, with the severity the validation rules give it.

    >>> import custclean as cc
    >>> result = cc.validate(cc.read("examples/customers_multilang.csv"), quarantine=True)
    >>> len(result.table) + len(result.quarantine) == result.input_rows
    True
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    run = run_validation(
        table, config, rules, quarantine=quarantine, incomplete=incomplete, progress=progress,
        earlier=earlier.frame() if earlier is not None else None,
    )
    findings = Findings()
    findings.add(run.findings)
    return RunResult(
        table=run.table, command="validate", input_rows=len(table), findings=findings, timings=run.timings,
        warnings=run.warnings, stats={"validate": {"codes": run.counts()}},
        config={"validate": asdict(config.validate)}, quarantine=run.quarantine, incomplete=run.incomplete,
    )


def findings_at_or_above(result: RunResult, config: Config) -> int:
    """How many findings reach [validate] fail_on (0 when it is not set): the CLI exits 1 when > 0."""
    level = fail_level(config)
    if level is None:
        return 0
    frame = result.findings.frame()
    levels = frame["severity"].map({str(s): int(s) for s in Severity})
    return int((levels >= int(level)).sum())


def write_validation_files(result: RunResult, config: Config) -> list[str]:
    """Write the quarantine and follow-up files [validate] names, in the format their extension asks for.

    Formula-looking cells are made inert first (unless [output] allow_formulas), as for the output.
    """
    allow = config.output.allow_formulas
    if result.quarantine is not None and config.validate.quarantine and not allow:
        edits = formula_edits(result.quarantine)
        result.quarantine = result.quarantine.apply(edits)
        result.changes.record(edits, SAFETY_STEP)
    follow_up = _as_table(result)
    if follow_up is not None and not allow:
        follow_up = follow_up.apply(formula_edits(follow_up))
    written = []
    targets = ((result.quarantine, config.validate.quarantine), (follow_up, config.validate.incomplete))
    for table, path in targets:
        if table is not None and path:
            _, warnings = write(table, path, config)
            result.warnings.extend(warnings)
            written.append(path)
    return written


def _as_table(result: RunResult) -> Table | None:
    """The follow-up list as a text table written like the input (same delimiter and encoding)."""
    if result.incomplete is None:
        return None
    frame = result.incomplete.astype(str)
    source = result.table.source
    info = SourceInfo(
        path="", format=source.format, encoding=source.encoding, delimiter=source.delimiter,
        quotechar=source.quotechar, line_terminator=source.line_terminator, bom=source.bom,
        headers=tuple(frame.columns),
    )
    frame = frame.astype(object).set_axis(pd.RangeIndex(1, len(frame) + 1))    # as text_frame numbers rows
    frame.columns = pd.Index(list(frame.columns), dtype=object)
    return Table(frame, source=info)


__all__ = ["findings_at_or_above", "validate", "write_validation_files"]
