"""--highlight-changes: an xlsx whose edited cells are filled and carry the old value in a comment.

The output sheet is the result table, every cell written as text (leading zeros kept, "=..."
and "#N/A" stay text, never formulas or error values). Each edited cell gets a light yellow fill
and a comment listing what it was and which rule changed it. Sheets `Issues` (every finding) and
`Duplicates` (clusters with more than one record; `Merges` too when the run merged) follow.

Edits find their cell through the record key: sheet row i + 1 holds table.frame.index[i - 1]
(row 1 is the header), and a golden record keeps the key of its surviving record. Edits to
records that are not in the output (quarantined, merged away, suppressed) have no cell.

openpyxl's write-only mode takes styled cells with comments (WriteOnlyCell), so a large file is
streamed instead of held as a cell object per value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from custclean.io.safe_write import atomic_path
from custclean.report.files import keyed
from custclean.results import RunResult

EDIT_FILL = "FFF59D"             # light yellow
HEADER_FILL = "E8EAF0"
MAX_COMMENT_VALUE = 300          # characters of an old value quoted in a comment
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")      # characters an xlsx cannot hold
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


def edit_comments(changes: pd.DataFrame, frame: pd.DataFrame) -> dict[tuple[int, int], str]:
    """(0-based position in frame, 0-based column) -> comment text, for every edited cell in the output."""
    if changes.empty:
        return {}
    keys = frame.index[~frame.index.duplicated()]
    row_of = pd.Series(np.arange(len(frame))[~frame.index.duplicated()], index=keys)
    columns = {name: i for i, name in reversed(list(enumerate(frame.columns)))}
    rows = row_of.reindex(changes["row"].to_numpy()).to_numpy()
    cols = changes["column"].map(columns).to_numpy(dtype=float)
    kept = ~(np.isnan(rows) | np.isnan(cols))
    edits = changes.loc[kept, ["old", "new", "step", "rule"]]
    per_cell: dict[tuple[int, int], list[tuple[object, object, object, object]]] = {}
    for r, c, old, new, step, rule in zip(rows[kept].astype(int).tolist(), cols[kept].astype(int).tolist(),
                                          *(edits[k].tolist() for k in ("old", "new", "step", "rule")), strict=True):
        per_cell.setdefault((r, c), []).append((old, new, step, rule))
    return {cell: _comment_text(made) for cell, made in per_cell.items()}


def _quote(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    text = _ILLEGAL.sub("", text)
    return "(empty)" if text == "" else f"“{text[:MAX_COMMENT_VALUE]}{'…' if len(text) > MAX_COMMENT_VALUE else ''}”"


def _comment_text(made: list[tuple[object, object, object, object]]) -> str:
    """Was: the value before custclean; then each edit's rule (and values when several), in the order made."""
    lines = [f"Was: {_quote(made[0][0])}"]
    if len(made) == 1:
        return f"{lines[0]}\nRule: {made[0][3]} ({made[0][2]})"
    lines += [f"{rule} ({step}): {_quote(old)} → {_quote(new)}" for old, new, step, rule in made]
    return "\n".join(lines)


def _text(value: Any) -> str:
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    return _ILLEGAL.sub("", text) if _ILLEGAL.search(text) else text


class _SheetWriter:
    """Streams rows into one write-only sheet, every value as text, styled cells where asked."""

    def __init__(self, workbook: Any, title: str, headers: list[str]) -> None:
        from openpyxl.styles import Font, PatternFill

        self.sheet = workbook.create_sheet(title=_sheet_title(title))
        self.fill = PatternFill("solid", fgColor=EDIT_FILL)
        self.sheet.freeze_panes = "A2"
        header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.sheet.append([self._cell(_text(h), fill=header_fill, font=Font(bold=True)) for h in headers])

    def widths(self, frame: pd.DataFrame) -> None:
        from openpyxl.utils import get_column_letter

        sample = frame.head(200)
        for i, name in enumerate(frame.columns, start=1):
            longest = max([len(str(name)), *(len(str(v)) for v in sample.iloc[:, i - 1])])
            self.sheet.column_dimensions[get_column_letter(i)].width = min(48, max(8, longest + 2))

    def _cell(self, value: str, **style: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.sheet, value=value)
        cell.data_type = "s"
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def row(self, values: Iterable[Any], comments: dict[int, str] | None = None, plain: bool = False) -> None:
        """Append one row; `plain` rows (checked in bulk beforehand) skip the per-value checks."""
        from openpyxl.comments import Comment

        if plain:
            cells: list[Any] = list(values)
        else:
            cells = [
                self._cell(text) if text.startswith("=") or text in _EXCEL_ERRORS else text
                for text in map(_text, values)
            ]
        for i, note in (comments or {}).items():
            text = cells[i].value if hasattr(cells[i], "value") else cells[i]
            comment = Comment(note, "custclean", height=24 + 18 * note.count("\n"), width=320)
            cells[i] = self._cell(text, fill=self.fill, comment=comment)
        self.sheet.append(cells)


def _sheet_title(title: str) -> str:
    return _SHEET_NAME.sub("_", title)[:31] or "Sheet1"


def _rows_by_position(comments: dict[tuple[int, int], str]) -> dict[int, dict[int, str]]:
    by_row: dict[int, dict[int, str]] = {}
    for (r, c), text in comments.items():
        by_row.setdefault(r, {})[c] = text
    return by_row


def _write_frame(workbook: Any, title: str, frame: pd.DataFrame) -> None:
    writer = _SheetWriter(workbook, title, [str(c) for c in frame.columns])
    writer.widths(frame)
    for row in frame.itertuples(index=False, name=None):
        writer.row(row)


def _with_sheet_row(frame: pd.DataFrame, table_index: pd.Index, key: str = "row") -> pd.DataFrame:
    """Add "sheet row": where the record sits in the main sheet (blank when it is not in the output)."""
    if key not in frame.columns:
        return frame
    position = pd.Series(np.arange(len(table_index)) + 2, index=table_index)
    position = position[~table_index.duplicated()]
    found = position.reindex(frame[key].to_numpy()).to_numpy()
    sheet_row = [("" if np.isnan(v) else str(int(v))) for v in found.astype(float)]
    return frame.assign(**{"sheet row": sheet_row})


def _extra_sheets(result: RunResult) -> Iterator[tuple[str, pd.DataFrame]]:
    index = result.table.frame.index
    yield "Issues", _with_sheet_row(result.findings.frame(), index)
    clusters = None if result.clusters is None else keyed(result.clusters)
    if clusters is not None and {"cluster_id", "row"} <= set(clusters.columns):
        sizes = clusters.groupby("cluster_id")["row"].transform("size")
        several = clusters[sizes > 1].sort_values("cluster_id", kind="stable")
        yield "Duplicates", _with_sheet_row(several, index)
        if result.merges is not None:
            yield "Merges", _with_sheet_row(result.merges, index)
    elif result.merges is not None:
        yield "Duplicates", _with_sheet_row(result.merges, index)


def _plain_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows openpyxl can take as they are: no formula- or error-looking text, no illegal character."""
    plain = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        values = frame[column].astype(str)
        plain &= ~(values.str.startswith("=") | values.isin(_EXCEL_ERRORS) | values.str.contains(_ILLEGAL)).to_numpy()
    return plain


def write_highlighted_xlsx(result: RunResult, path: str | Path, umask: int = 0o077) -> Path:
    """Write the result table as xlsx with edited cells filled and commented, plus Issues/Duplicates sheets."""
    from openpyxl import Workbook

    frame = result.table.frame
    by_row = _rows_by_position(edit_comments(result.changes.frame(), frame))
    plain = _plain_rows(frame)
    workbook = Workbook(write_only=True)
    main = _SheetWriter(workbook, result.table.source.sheet or "Sheet1", [str(c) for c in frame.columns])
    main.widths(frame)
    for position, row in enumerate(frame.itertuples(index=False, name=None)):
        if plain[position] and position not in by_row:
            main.sheet.append(row)
        else:
            main.row(row, by_row.get(position), bool(plain[position]))
    for title, extra in _extra_sheets(result):
        _write_frame(workbook, title, extra)
    target = Path(path)
    with atomic_path(target, 0o666 & ~umask) as tmp:
        workbook.save(tmp)
    return target
