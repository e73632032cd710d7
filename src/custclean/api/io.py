"""read() and write(): files in and out, with role detection and the --in-place backup."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from custclean.config import Config
from custclean.errors import ConfigError, OutputError
from custclean.io import read_table as _read_table
from custclean.io import write_table
from custclean.io.safe_write import backup
from custclean.roles import Role, detect_roles
from custclean.ruleset import RuleSet
from custclean.table import SourceInfo, Table

SAMPLE_ROWS = 500   # rows looked at when a column's role is guessed from its content


def read(path: str | Path, config: Config | None = None, rules: RuleSet | None = None) -> Table:
    """Read a CSV/TSV/Excel file as text and detect the role of each column.

    >>> import custclean as cc
    >>> table = cc.read("examples/customers_multilang.csv")
    >>> table.roles.column(cc.Role.EMAIL)
    'Email'
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    table = _read_table(path, config.input)
    sample = table.frame.head(SAMPLE_ROWS)
    samples = {c: sample[c].tolist() for c in sample.columns}
    check_mapping(config, table)
    roles = detect_roles(table.columns, samples, rules.header_synonyms(), config.input.mapping)
    return replace(table, roles=roles)


def check_mapping(config: Config, table: Table) -> None:
    """Refuse --map entries naming an unknown role or a column the file does not have, all at once."""
    known = {r.value for r in Role}
    problems = []
    for role, header in config.input.mapping.items():
        if role not in known:
            problems.append(f"unknown role '{role}' (roles: {', '.join(r.value for r in Role)})")
        elif header not in table.columns:
            problems.append(f"{table.source.name} has no column '{header}' for role {role}")
    if problems:
        raise ConfigError(problems, "--map")


def read_many(paths: list[str | Path], config: Config | None = None) -> list[Table]:
    """Read several files with the same options (rules are loaded once)."""
    config = config or Config()
    rules = RuleSet.load(*config.rules_dirs)
    return [read(p, config, rules) for p in paths]


def write(table: Table, path: str | Path, config: Config | None = None) -> tuple[SourceInfo, list[str]]:
    """Write atomically in the format the path asks for; returns how it was written and any warnings.

    The input file is never overwritten unless `output.in_place` is set, and then a timestamped
    backup of the previous version is kept next to it.
    """
    config = config or Config()
    target = Path(str(path))
    warnings: list[str] = []
    if str(path) != "-" and table.source.path not in {"", "-"} and _same_file(target, Path(table.source.path)):
        if not config.output.in_place:
            raise OutputError(f"{target}: is the input file; use --in-place to overwrite it (a backup is kept)")
        copy = backup(target, config.output.keep_backups)
        if copy is not None:
            warnings.append(f"backup of the previous version kept as {copy.name}")
    written = write_table(table, path, config.output)
    if table.source.format == "csv" and written.format == "csv" and written.encoding != table.source.encoding:
        warnings.append(
            f"{written.path}: some values cannot be written in {table.source.encoding}; wrote UTF-8 with BOM"
        )
    return written, warnings


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False
