"""Atomic write (temp + rename), backups, 0600 mode, formula-injection guard."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np

from custclean.errors import OutputError

# A cell a spreadsheet would run: starts with = or @, or +/- followed by something that is not a number or a
# phone, or a leading tab/CR. "+33 6 12 34 56 78", "+1 (617) 482-3310" and "-12.5" are data: digits and
# separators only, so no function, cell reference or DDE call can hide in them.
# A phone number may carry an extension ("+12015550123 ext. 123", "+33 1 23 45 67 89 poste 12").
_NUMBER = r"[\d\s().\-/]*\d[\d\s().\-/]*(?:\s*(?:ext|x|poste|durchwahl)\.?\s*\d+)?"
_FORMULA = re.compile(rf"^(?:[=@\t\r]|[+\-](?!{_NUMBER}$))", re.IGNORECASE)
# Where the first cell that may be a formula starts: most columns hold none, and this scan is cheap.
_SEP = "\x00"
_TRIGGER = re.compile(r"\x00[=@\t\r+\-]")
# Over the UTF-8 bytes of the joined cells: the first bytes that always make a formula, the signs, and a map
# of the bytes after a sign: 2 for an ASCII digit, 0 for the separators _NUMBER allows, 1 for anything else
# (non-ASCII too). A sign followed by 0s and 2s only, a 2 among them, is surely a number or a phone.
_ALWAYS = np.zeros(256, dtype=bool)
_ALWAYS[[ord(c) for c in "=@\t\r"]] = True
_SIGN = np.zeros(256, dtype=bool)
_SIGN[[ord(c) for c in "+-"]] = True
_DIGIT, _OTHER = 2, 1
_AFTER_SIGN = bytes(
    _DIGIT if chr(i) in "0123456789" else 0 if chr(i) in " \t\n\r\x0b\x0c().-/\x00" else _OTHER for i in range(256)
)


def is_formula(value: str) -> bool:
    """True when a spreadsheet would evaluate this cell instead of showing it."""
    return bool(value) and bool(_FORMULA.match(value)) and value not in {"+", "-"}


def neutralize(value: str) -> str:
    """Make a formula-looking cell inert by prefixing a quote, as OWASP advises for CSV injection."""
    return "'" + value if is_formula(value) else value


def join_cells(values: list[str]) -> str | None:
    """The cells joined, each after a NUL, for one C-speed scan; None when a cell holds NUL itself."""
    joined = _SEP + _SEP.join(values)
    return joined if joined.count(_SEP) == len(values) else None


def joined_text(values: list[str]) -> str:
    """The cells joined, each after a NUL, without join_cells' check for NUL inside a cell: for
    formula_positions, which makes that check itself only when a cell may be a formula."""
    return _SEP + _SEP.join(values)


def cells_at(joined: str, positions: list[int]) -> list[int]:
    """Indices of the cells of `join_cells` text that hold the given character positions (sorted), once each."""
    found, index, last = [], -1, 0
    for position in positions:
        index += joined.count(_SEP, last, position + 1)
        last = position + 1
        if not found or found[-1] != index:
            found.append(index)
    return found


def formula_positions(values: list[str], joined: str | None = None) -> list[int]:
    """Indices of the cells `is_formula` flags, found without a Python call per cell.

    A million cells cost a join, a C-speed scan for a first character that can start a formula and, only
    when one does, a pass of numpy over the joined bytes that clears the cells that are surely numbers or
    phones ("+33 6 12 34 56 78"); is_formula decides the few cells left. `joined` is `join_cells(values)`
    or `joined_text(values)` when the caller already has it.
    """
    if joined is None:
        joined = joined_text(values)
    if _TRIGGER.search(joined) is None:
        return []
    candidates = _candidates(joined, len(values))
    if candidates is None:      # a cell holds NUL itself: cells are checked one by one
        return [i for i, v in enumerate(values) if is_formula(v)]
    return [int(i) for i in candidates if is_formula(values[i])]


def _candidates(joined: str, count: int) -> np.ndarray | None:
    """Indices of the joined cells that may be formulas: a first byte in "=@\\t\\r", or a sign not followed
    by ASCII digits and number separators only, a digit among them. None when a cell holds NUL itself."""
    raw = (joined + _SEP).encode("utf-8", "surrogatepass")
    data = np.frombuffer(raw, dtype=np.uint8)
    starts = np.flatnonzero(data == 0)
    if len(starts) != count + 1:
        return None
    first = data[starts[:-1] + 1]
    sign = _SIGN[first]
    candidate = _ALWAYS[first]
    if np.count_nonzero(sign) * 32 <= count:    # few signs: is_formula checks each of them
        candidate |= sign
    else:
        # OR of the map over each cell after its first byte, from bounds (after the first byte, next separator);
        # a cell of one byte gets another cell's byte: it is a lone sign, which is_formula never flags anyway
        bounds = np.minimum(np.column_stack([starts[:-1] + 2, starts[1:]]).ravel(), len(data) - 1)
        after = np.bitwise_or.reduceat(np.frombuffer(raw.translate(_AFTER_SIGN), dtype=np.uint8), bounds)[::2]
        candidate |= sign & (after != _DIGIT)
    return np.flatnonzero(candidate)


def neutralize_all(values: list[str]) -> list[str]:
    """`neutralize` over a list of str cells; the same list back when no cell is a formula."""
    positions = formula_positions(values)
    if not positions:
        return values
    out = list(values)
    for i in positions:
        out[i] = "'" + out[i]
    return out


def quote_chars(delimiter: str = ",", quotechar: str = '"', newline: str = "\n") -> str:
    """The characters that make csv.writer (QUOTE_MINIMAL) quote a field in this dialect, asked of this Python.

    Python 3.11 quotes for the delimiter, the quote character and the line terminator's own characters
    (a "\\r" is left bare under a "\\n" terminator); asking csv.writer keeps that exact on any version.
    """
    found = ""
    for char in dict.fromkeys(delimiter + quotechar + "\n\r" + newline):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, quotechar=quotechar, lineterminator=newline,
                   quoting=csv.QUOTE_MINIMAL).writerow([f"a{char}b", "x"])
        found += char if buffer.getvalue().startswith(quotechar) else ""
    return found


def quote_positions(cells: list[str], joined: str | None, chars: str) -> list[int]:
    """Indices of the cells csv.writer would quote, found with a fast find per character over `joined`."""
    if joined is None:
        return [i for i, c in enumerate(cells) if any(q in c for q in chars)]
    hits = []
    for char in chars:
        at = joined.find(char)
        while at >= 0:
            hits.append(at)
            at = joined.find(char, at + 1)
    return cells_at(joined, sorted(hits)) if hits else []


def quote_cells(cells: list[str], positions: list[int], quotechar: str = '"') -> None:
    """Quote the cells at `positions` in place as csv.writer does (doubling the quote character)."""
    for i in positions:
        cells[i] = quotechar + cells[i].replace(quotechar, quotechar + quotechar) + quotechar


def csv_fields(cells: list[str], chars: str, quotechar: str = '"') -> list[str]:
    """str cells as CSV fields, quoted where csv.writer would; the same list when none needs it."""
    positions = quote_positions(cells, join_cells(cells), chars)
    if positions:
        cells = list(cells)
        quote_cells(cells, positions, quotechar)
    return cells


@contextlib.contextmanager
def atomic_path(target: str | Path, mode: int = 0o600) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success it replaces `target` in one rename.

    On any error the temp file is removed, so a crash or a bad row never leaves a half-written file,
    and the previous version of `target` stays intact until the rename.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: folder does not exist; nothing was written")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror}); nothing was written") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, mode)
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def backup(path: str | Path, keep: int = 5) -> Path | None:
    """Copy `path` to `path.YYYYmmdd-HHMMSS.bak` before it is replaced, keeping the newest `keep` copies."""
    path = Path(path)
    if not path.is_file():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    copy = path.with_name(f"{path.name}.{stamp}.bak")
    shutil.copy2(path, copy)
    os.chmod(copy, 0o600)
    olds = sorted(path.parent.glob(f"{path.name}.*.bak"))
    for old in olds[: max(0, len(olds) - keep)]:
        old.unlink(missing_ok=True)
    return copy
