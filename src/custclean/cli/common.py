"""What every command does the same way: build the Config from flags, parse --map, finish a run."""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

from custclean import api
from custclean.config import Config
from custclean.errors import ConfigError
from custclean.report.console import print_summary
from custclean.report.files import write_reports
from custclean.report.xlsx import write_highlighted_xlsx
from custclean.results import RunResult


def parse_mapping(pairs: list[str] | None) -> dict[str, str] | None:
    """--map role=Header pairs -> {role: header}; None when no flag was given."""
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        role, sep, header = pair.partition("=")
        if not sep or not role.strip() or not header:
            raise ConfigError(f"--map takes role=Header, got '{pair}'")
        mapping[role.strip()] = header
    return mapping


def load_config(config: Path | None, rules: list[Path] | None = None, **sections: dict[str, Any]) -> Config:
    """Defaults < custclean.toml < the flags given (None = flag not given)."""
    cfg = Config.load(config, **sections)
    if rules:
        from dataclasses import replace

        cfg = replace(cfg, rules_dirs=(*cfg.rules_dirs, *map(str, rules)))
    return cfg


def input_flags(encoding: str | None, delimiter: str | None, sheet: str | None, mapping: list[str] | None) -> dict:
    return {"encoding": encoding, "delimiter": delimiter, "sheet": sheet, "mapping": parse_mapping(mapping)}


def match_flags(
    id_column: str | None, threshold: float | None, review_threshold: float | None, decisions: str | None
) -> dict:
    """The [match] flags dedupe, merge and clean share (None = flag not given)."""
    return {
        "id_column": id_column, "threshold": threshold, "review_threshold": review_threshold, "decisions": decisions,
    }


def output_flags(
    in_place: bool, keep_backups: int | None, allow_formulas: bool, highlight_changes: bool = False
) -> dict:
    return {"in_place": in_place or None, "keep_backups": keep_backups, "allow_formulas": allow_formulas or None,
            "highlight_changes": highlight_changes or None}


def finish(
    result: RunResult, cfg: Config, output: str | None, report: Path | None, json: bool, quiet: bool,
    verbose: bool = False,
) -> None:
    """Write the output and the reports, then print the summary.

    With a report folder the output is written by write_reports (beside the report CSVs, on a second
    core when the run is big), which commits the reports only once the output is written.
    """
    started = time.perf_counter()
    if output:
        api.guard_formulas(result, cfg.output.allow_formulas)
        result.timings["write"] = time.perf_counter() - started
    write_output = functools.partial(_write_output, result, cfg, output) if output else None
    if report and (not output or _apart(output, report)):
        write_reports(result, report, cfg.output.umask, write_output)
    else:
        if write_output is not None:
            result.warnings.extend(write_output())
            result.timings["write"] = time.perf_counter() - started
        if report:
            write_reports(result, report, cfg.output.umask)
    print_summary(result, as_json=json, quiet=quiet, verbose=verbose)


def _write_output(result: RunResult, cfg: Config, output: str) -> list[str]:
    """The output file (and its change highlights); returns its warnings. May run in a forked helper."""
    _, warnings = api.write(result.table, output, cfg)
    if cfg.output.highlight_changes and output.lower().endswith((".xlsx", ".xlsm")):
        write_highlighted_xlsx(result, output, cfg.output.umask)   # same path, after api.write's checks/backup
    return warnings


def _apart(output: str, report: Path) -> bool:
    """Whether the output can be written beside the reports: not to standard output (which is this process's),
    and not where the report folder goes (then whichever is written first decides which one fails)."""
    target, folder = Path(output).resolve(), Path(report).resolve()
    return output != "-" and target != folder and target not in folder.parents
