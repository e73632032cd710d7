"""Text: Unicode NFC, trimmed, single spaces, no zero-width characters, mojibake repaired.

Runs first on every column, so the other normalizers and the matcher see clean text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from custclean.config import Config
from custclean.normalize.base import Fix, Outcome
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table
from custclean.text import fix_mojibake, nfc, squeeze_spaces


@dataclass(frozen=True)
class TextNormalizer:
    """Whitespace and broken-Unicode repair for any text cell."""

    name: ClassVar[str] = "text"
    role: ClassVar[Role | None] = None      # every column, see columns_of()
    hint: ClassVar[Role | None] = None
    after: ClassVar[tuple[str, ...]] = ()
    rules_declared: ClassVar[dict[str, str]] = {
        "text.mojibake": "letters garbled by a wrong-encoding round trip, repaired",
        "text.spaces": "leading, trailing, repeated, non-breaking or zero-width spaces removed",
        "text.unicode": "letters recomposed to Unicode NFC",
    }

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        return cls()

    @staticmethod
    def columns_of(table: Table) -> list[str]:
        """Every column: stray spaces and broken letters are never data."""
        return table.columns

    def normalize(self, value: str, hint: str = "") -> Outcome:
        repaired = fix_mojibake(value)
        if repaired != value:
            return Fix(squeeze_spaces(nfc(repaired)), "text.mojibake")
        composed = nfc(value)
        squeezed = squeeze_spaces(composed)
        if squeezed != composed:
            return Fix(squeezed, "text.spaces")
        if composed != value:
            return Fix(composed, "text.unicode")
        return None
