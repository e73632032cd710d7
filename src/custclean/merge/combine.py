"""Several lists into one table: columns aligned by role, each record remembering its file and row.

"Courriel" (FR), "E-mail" (EN) and "Adresă de email" (RO) are one column because they hold one role.
The output keeps the first file's header for each role, in the first file's order; columns of later
files that match nothing are appended after them, then a `source` column with each record's file
name. A role held by several columns ("Phone", "Mobile") is aligned by position within the role.
Columns without a role are aligned by their folded header ("Notes" = "notes").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from custclean.roles import Detection, Role, RoleMap
from custclean.table import Table
from custclean.text import fold

SOURCE_NAMES = ("source", "source_file", "custclean_source")


@dataclass(frozen=True)
class Combined:
    """The combined table, the name of its source column, and where each file's columns went."""

    table: Table
    source_column: str
    columns: dict[str, dict[str, str]]     # file name -> {its column: output column}


@dataclass
class _Layout:
    """Output columns as they are decided, file after file."""

    columns: list[str]
    by_role: dict[Role, list[str]]
    by_header: dict[str, str]
    detections: list[Detection]

    def add(self, name: str) -> str:
        number, candidate = 1, name
        while candidate in self.columns:
            number += 1
            candidate = f"{name}_{number}"
        self.columns.append(candidate)
        return candidate

    def place(self, table: Table) -> dict[str, str]:
        """Map one file's columns to output columns, adding the ones that match nothing."""
        mapping: dict[str, str] = {}
        seen_per_role: Counter[Role] = Counter()
        for column in table.columns:
            detection = next((d for d in table.roles.detections if d.column == column), None)
            if detection is not None:
                slots = self.by_role.setdefault(detection.role, [])
                index = seen_per_role[detection.role]
                seen_per_role[detection.role] += 1
                if index >= len(slots):
                    slots.append(self.add(column))
                    self.detections.append(replace(detection, column=slots[-1]))
                mapping[column] = slots[index]
                continue
            target = self.by_header.get(fold(column))
            if target is None or target in mapping.values():
                target = self.add(column)
                self.by_header.setdefault(fold(column), target)
            mapping[column] = target
        return mapping


def _file_names(tables: Sequence[Table]) -> list[str]:
    """Each file's name as reports show it; the full path when two files share a name."""
    names = [t.source.name for t in tables]
    counts = Counter(names)
    return [t.source.path if counts[n] > 1 else n for t, n in zip(tables, names, strict=True)]


def combine(tables: Sequence[Table]) -> Combined:
    """One table from several; source priority follows the order given (earlier files first)."""
    layout = _Layout([], {}, {}, [])
    mappings = [layout.place(table) for table in tables]
    names = _file_names(tables)
    source_column = next(n for n in SOURCE_NAMES if n not in layout.columns)
    parts, origins = [], []
    for table, mapping, name in zip(tables, mappings, names, strict=True):
        part = table.frame.rename(columns=mapping).reindex(columns=layout.columns, fill_value="")
        part[source_column] = name
        parts.append(part)
        origins.append(pd.DataFrame({"source": name, "row": table.frame.index.to_numpy()}))
    frame = pd.concat(parts, ignore_index=True).fillna("").astype(object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    origin = pd.concat(origins, ignore_index=True)
    origin.index = frame.index
    first = tables[0].source
    source = replace(first, headers=(*layout.columns, source_column))
    combined = Table(frame, RoleMap(tuple(layout.detections)), source, origin)
    return Combined(combined, source_column, dict(zip(names, mappings, strict=True)))
