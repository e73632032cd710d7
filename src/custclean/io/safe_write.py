"""Atomic write (temp + rename), backups, 0600 mode, formula-injection guard."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from custclean.errors import OutputError

# A cell a spreadsheet would run: starts with = or @, or +/- followed by something that is not a number or a
# phone, or a leading tab/CR. "+33 6 12 34 56 78", "+1 (617) 482-3310" and "-12.5" are data: digits and
# separators only, so no function, cell reference or DDE call can hide in them.
# A phone number may carry an extension ("+12015550123 ext. 123", "+33 1 23 45 67 89 poste 12").
_FORMULA = re.compile(
    r"^(?:[=@\t\r]|[+\-](?![\d\s().\-/]*\d[\d\s().\-/]*(?:\s*(?:ext|x|poste|durchwahl)\.?\s*\d+)?$))",
    re.IGNORECASE,
)


def is_formula(value: str) -> bool:
    """True when a spreadsheet would evaluate this cell instead of showing it."""
    return bool(value) and bool(_FORMULA.match(value)) and value not in {"+", "-"}


def neutralize(value: str) -> str:
    """Make a formula-looking cell inert by prefixing a quote, as OWASP advises for CSV injection."""
    return "'" + value if is_formula(value) else value


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
