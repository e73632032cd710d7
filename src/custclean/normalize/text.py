"""Text: Unicode NFC, trimmed, single spaces, no zero-width characters, mojibake repaired.

Runs first on every column, so the other normalizers and the matcher see clean text. Line breaks
inside a cell (a two-line address, a note) are kept; each line is squeezed on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar, Self

from custclean.config import Config
from custclean.normalize.base import Fix, Outcome
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table
from custclean.text import nfc, squeeze_spaces

# A UTF-8 lead byte read as cp1252/latin-1 (Ã, È, Ä, á, â ...) then a continuation byte's glyph (0x80-0xBF).
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00ef][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u20ac\u2122]"
)
# Scripts a repaired customer value may use; a round trip that lands elsewhere ("Ô™" -> "ԙ") was a coincidence.
_PLAUSIBLE = re.compile("[\x00-\u024f\u0300-\u036f\u0370-\u04ff\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
# Values made only of these characters need no work at all: the fast path for most cells.
_PLAIN = re.compile(r"[!-~]+(?: [!-~]+)*")
# The next fast path: no space but single inner ones, nothing invisible. Such a value in NFC without the
# mojibake hint is what _once leaves alone (squeeze_lines keeps it; \s is exactly str.isspace).
_NOT_SPACED = "[^\\s\u00a0\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\u00ad]"
_CLEAN = re.compile(f"{_NOT_SPACED}+(?: {_NOT_SPACED}+)*")


def _undo_cp1252(value: str) -> str | None:
    """The text whose UTF-8 bytes were decoded as cp1252 (or latin-1) to give `value`; None if there is none."""
    raw = bytearray()
    for char in value:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:        # a letter no single-byte reading can produce: not this kind of damage
                return None
            raw.append(ord(char))       # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in cp1252, kept by latin-1
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return decoded if _PLAUSIBLE.fullmatch(decoded) else None


def repair_mojibake(value: str) -> str:
    """Undo wrong-encoding round trips ("RenÃ©" -> "René", "È˜tefan" -> "Ștefan"), even when done twice.

    A strict round trip (the whole value must become valid UTF-8) is tried first: random real text
    almost never passes it. ftfy handles what remains (mixed damage). Repeats until stable, so the
    result never looks repairable again (idempotence).
    """
    for _ in range(3):
        if not _MOJIBAKE_HINT.search(value):
            break
        repaired = _undo_cp1252(value)
        if repaired is None:
            import ftfy  # imported lazily: only a few values ever need it

            repaired = ftfy.fix_encoding(value)
            if not _PLAUSIBLE.fullmatch(repaired):   # ftfy guessed another script ("Ü†" -> "܆"): keep the text
                break
        if repaired == value:
            break
        value = repaired
    return value


def squeeze_lines(value: str) -> str:
    """squeeze_spaces on each line; line breaks become "\\n" and blank edge lines go."""
    if not _LINE_BREAK.search(value):
        return squeeze_spaces(value)
    return "\n".join(squeeze_spaces(line) for line in _LINE_BREAK.split(value)).strip("\n")


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
        """One pass can reveal more work (a soft hyphen gone leaves "Ì\x81" to repair): run to a fixed point."""
        if _PLAIN.fullmatch(value) or (
            _CLEAN.fullmatch(value) and not _MOJIBAKE_HINT.search(value) and unicodedata.is_normalized("NFC", value)
        ):
            return None
        return self.to_fixed_point(value)

    def to_fixed_point(self, value: str) -> Outcome:
        """The answer without the fast paths: repairs repeated until one changes nothing more."""
        first = self._once(value)
        if not isinstance(first, Fix):
            return first
        result = first.value
        for _ in range(3):
            again = self._once(result)
            if not isinstance(again, Fix):
                break
            result = again.value
        return Fix(result, first.rule)

    def _once(self, value: str) -> Outcome:
        if _PLAIN.fullmatch(value):
            return None
        repaired = repair_mojibake(value) if _MOJIBAKE_HINT.search(value) else value
        if repaired != value:
            return Fix(squeeze_lines(nfc(repaired)), "text.mojibake")
        composed = value if unicodedata.is_normalized("NFC", value) else nfc(value)
        squeezed = squeeze_lines(composed)
        if squeezed != composed:
            return Fix(squeezed, "text.spaces")
        if composed != value:
            return Fix(composed, "text.unicode")
        return None
