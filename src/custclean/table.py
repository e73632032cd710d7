"""Table: a DataFrame of text indexed by source row, with its RoleMap and SourceInfo."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from custclean.roles import Role, RoleMap


@dataclass(frozen=True)
class SourceInfo:
    """Where a table came from and how it was written, so it can be written back the same way."""

    path: str
    format: str = "csv"                   # "csv", "xlsx" or "xls"
    encoding: str | None = "utf-8"
    delimiter: str = ","
    quotechar: str = '"'
    line_terminator: str = "\r\n"
    bom: bool = False
    sheet: str | None = None
    headers: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file name people see in reports ("<stdin>" for standard input)."""
        return "<stdin>" if self.path == "-" else self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Table:
    """Customer rows exactly as read: every cell a str, "" when empty, nothing coerced.

    The index is a record key; for a table read from one file it is the 1-based data row (header
    excluded), so every report points at a row a person can find in their spreadsheet. A table built
    from several files (merge) keeps each key's file and row in `origin`. Steps never mutate `frame`;
    they return edits and `run_steps` applies them.
    """

    frame: pd.DataFrame
    roles: RoleMap = field(default_factory=RoleMap)
    source: SourceInfo = field(default_factory=lambda: SourceInfo(path=""))
    origin: pd.DataFrame | None = None    # index = key; columns "source", "row"

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def values(self, role: Role) -> pd.Series:
        """The primary column of a role; "" for every row when the table has no such column."""
        column = self.roles.column(role)
        if column is None:
            return pd.Series("", index=self.frame.index, dtype=object)
        return self.frame[column]

    def origins(self) -> pd.DataFrame:
        """For each key, the file name and 1-based row it came from."""
        if self.origin is not None:
            return self.origin
        return pd.DataFrame({"source": self.source.name, "row": self.frame.index}, index=self.frame.index)

    def apply(self, edits: pd.DataFrame) -> Table:
        """A new Table with `edits` (columns row, column, new) applied; unknown columns are appended."""
        if edits.empty:
            return self
        frame = self.frame.copy()
        for column, group in edits.groupby("column", sort=False):
            if column not in frame.columns:
                frame[column] = ""
            frame.loc[group["row"].to_numpy(), column] = group["new"].to_numpy()
        return replace(self, frame=frame)

    def with_frame(self, frame: pd.DataFrame, roles: RoleMap | None = None) -> Table:
        """A copy over another frame (a subset of rows, or extra columns)."""
        origin = None if self.origin is None else self.origin.loc[frame.index]
        return replace(self, frame=frame, roles=roles or self.roles, origin=origin)


def text_frame(rows: list[list[str]] | dict[str, list[str]], columns: list[str] | None = None) -> pd.DataFrame:
    """A frame of text indexed from 1, as custclean reads files; handy in tests and the API."""
    frame = pd.DataFrame(rows, columns=columns, dtype=object).fillna("")
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame.astype(str).astype(object)
