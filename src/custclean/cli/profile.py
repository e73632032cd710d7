"""custclean profile: what custclean understood of a file, column by column."""

from __future__ import annotations

import json as jsonlib

from rich.table import Table as RichTable

from custclean import api
from custclean.cli.app import command
from custclean.cli.common import input_flags, load_config
from custclean.cli.options import (
    ConfigFile,
    Debug,
    Delimiter,
    Encoding,
    InputFile,
    Json,
    Mapping,
    RulesDir,
    Sheet,
)


@command
def profile(
    file: InputFile, json: Json = False, encoding: Encoding = None, delimiter: Delimiter = None,
    sheet: Sheet = None, map: Mapping = None, config: ConfigFile = None, rules: RulesDir = None,
    debug: Debug = False,
) -> None:
    """Show each column's detected role, fill rate, distinct values, samples and formats.

    Example: custclean profile examples/customers_multilang.csv
    """
    cfg = load_config(config, rules, input=input_flags(encoding, delimiter, sheet, map))
    table = api.read(file, cfg)
    rows = api.profile(table)
    source = table.source
    how = {"format": source.format, "encoding": source.encoding, "sheet": source.sheet}
    if source.format == "csv":
        how["delimiter"] = source.delimiter
    if json:
        summary = {"file": source.name, "rows": len(table), **how, "columns": rows}
        print(jsonlib.dumps(summary, ensure_ascii=False))
        return
    described = ", ".join(f"{k} {v!r}" if k == "delimiter" else str(v) for k, v in how.items() if v and k != "format")
    view = RichTable(title=f"{source.name}: {len(table)} rows ({source.format}{', ' + described if described else ''})")
    for heading in ("column", "role", "conf.", "filled", "distinct", "samples", "formats"):
        view.add_column(heading, overflow="fold")
    for row in rows:
        view.add_row(
            row["column"], row["role"] or "-", f"{row['confidence']:.2f}", f"{row['fill_rate']:.0%}",
            str(row["distinct"]), " | ".join(row["samples"]), ", ".join(row["formats"]),
        )
    _stdout_print(view)


def _stdout_print(view: RichTable) -> None:
    from rich.console import Console

    Console(width=160).print(view)
