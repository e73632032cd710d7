"""Every error a user can cause, each with a one-line message and an exit code.

The library raises these and never prints or exits; the CLI turns them into one stderr line.
Messages name the file, row and column when known, never cell values (customer data is personal data).
"""

from __future__ import annotations

from typing import ClassVar


class CustcleanError(Exception):
    """An error the user can fix. str() is one line: the file, what is wrong, what to try."""

    exit_code: ClassVar[int] = 2


class InputError(CustcleanError):
    """An input file that cannot be read as a customer list."""


class EncodingError(InputError):
    """A text file whose bytes do not decode with the detected or requested encoding."""


class ConfigError(CustcleanError):
    """A config file, rules file or flag value that is wrong; lists every problem at once."""

    def __init__(self, problems: list[str] | str, where: str = "") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        prefix = f"{where}: " if where else ""
        super().__init__(prefix + "; ".join(self.problems))


class OutputError(CustcleanError):
    """An output path that cannot be written; nothing was written."""


class DataProblems(CustcleanError):
    """Findings reached the --fail-on level. Raised by the CLI only, never by the library."""

    exit_code: ClassVar[int] = 1
