"""Dates to ISO 8601 (YYYY-MM-DD), with day-first or month-first decided per column, never guessed.

Order of evidence for "03/04/1990": `[normalize] date_order` when set (forced); else the column itself
(a value like 25/12/1990 proves day-first, 12/25/1990 month-first); else the row's country (US and a few
others month-first, every other known country day-first); else the value is left as written with
`date.ambiguous`. A value readable only one way (25/12/1990, 05/05/1990, 1990-12-25, 31.12.1990: dotted
dates are day-first wherever they are written) needs no evidence. Written months come from CLDR
(babel) in EN/FR/DE/ES/RO/VI/IT/PT/NL; Excel serial day numbers are read in a plausible range.
A time of day is kept for DATE columns ("2023-01-05 14:32"), dropped for birth dates, and dropped
when it is midnight (a spreadsheet's artefact).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import ClassVar, Self

import pandas as pd

from custclean.config import Config
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.normalize.region import country_code
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.text import fold

DAY_FIRST, MONTH_FIRST = "dmy", "mdy"
# Countries whose numeric dates are month-first; Canada writes all three orders, so it decides nothing.
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "VI", "UM"})
NO_ORDER_COUNTRIES = frozenset({"CA"})
LANGUAGES = ("en", "fr", "de", "es", "ro", "vi", "it", "pt", "nl")
# Words that may surround a written date: "5 de marzo de 1990", "ngày 5 ... năm 1990", "1er", "3rd", "den".
FILLERS = frozenset({"de", "del", "of", "the", "le", "am", "den", "der", "ngay", "nam", "er", "re", "st", "nd",
                     "rd", "th", "eme", "e", "o", "a", "lea", "y", "el", "on", "op", "il", "la"})
MONTH_WORDS = frozenset({"thang", "thg"})       # Vietnamese "tháng 3": the month is the number after it
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_RANGE = (10000, 73050)                     # 1927-05-18 .. 2099-12-31: five-digit serials only
YEAR_RANGE = (1800, 2200)

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(
    r"^(?P<date>.*?\d)(?:[T ]+|,\s*)(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_NUMERIC = re.compile(r"^(\d{1,4})([./\- ])(\d{1,2})\2(\d{1,4})\.?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.(\d+))?$")
_PARTIAL = re.compile(r"^(?:\d{4}|\d{1,2}[./\- ]\d{4}|\d{4}[./\- ]\d{1,2})$")
_TOKENS = re.compile(r"\d+|[^\W\d_]+")
MEMO_SIZE = 500_000     # answers remembered per normalizer (a column of birth dates has some 60,000 values)


class _NeedsCountry:
    """The answer for this value depends on the row's country (03/04/1990 with no other evidence)."""


NEEDS_COUNTRY = _NeedsCountry()
_UNSEEN = object()


@lru_cache(maxsize=1)
def calendar_words() -> tuple[dict[str, int], frozenset[str]]:
    """Folded month names and abbreviations (any of LANGUAGES) -> month; folded weekday words to skip."""
    from babel.dates import get_day_names, get_month_names

    months: dict[str, int] = {}
    weekdays: set[str] = set()
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    months.setdefault(fold(name), number)
                for name in get_day_names(width, context, lang).values():
                    weekdays.update(fold(name).split())
    months = {k: v for k, v in months.items() if " " not in k}     # "tháng 3" is read as words + number
    return months, frozenset(weekdays - set(months) - MONTH_WORDS)


def _two_digit_year(yy: int, pivot: int) -> int:
    return 2000 + yy if yy <= pivot else 1900 + yy


@dataclass(frozen=True)
class Parsed:
    """What a value says: year, month, day (0 when missing), its time text, and how it was written."""

    y: int
    m: int
    d: int
    time: str = ""
    rule: str = "date.iso"


@dataclass(frozen=True)
class DateNormalizer:
    """Any written date to YYYY-MM-DD: numeric in any order, dotted, written months, Excel serials."""

    name: ClassVar[str] = "date"
    role: ClassVar[Role] = Role.DATE
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ("country",)
    keep_time: ClassVar[bool] = True
    rules_declared: ClassVar[dict[str, str]] = {
        "date.iso": "rewritten as ISO 8601 YYYY-MM-DD (order from the value, its column or its country)",
        "date.two_digit_year": "two-digit year given its century (birth dates: never in the future)",
        "date.written_month": "written month name ('12 mars 1985', '3. März 1990') rewritten as ISO",
        "date.excel_serial": "spreadsheet serial day number (32874) rewritten as the date it stands for",
        "date.ambiguous": "day and month could be swapped and nothing decides; left as written",
        "date.invalid": "no such day (31/02/2020, month 13); left as written",
        "date.partial": "a year or month without a full date; left as written",
        "date.unparsed": "not a date this normalizer can read; left as written",
    }
    forced: str | None = None          # [normalize] date_order
    order: str | None = None           # decided from the column's values (for_column)
    pivot: int | None = None           # two-digit years up to this are 20yy; None: from today's year
    # value -> its outcome, or NEEDS_COUNTRY and then (value, country) -> outcome: values repeat across countries.
    _memo: dict[object, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        forced = config.normalize.date_order
        return cls(forced=forced if forced in (DAY_FIRST, MONTH_FIRST) else None)

    @classmethod
    def _pivot(cls) -> int:
        """Two-digit years up to ten years ahead are this century ("30" -> 2030), older ones the last."""
        return (date.today().year % 100) + 10

    def for_column(self, values: pd.Series) -> Self:
        """This normalizer with the order the column's own values prove (none when they disagree)."""
        return replace(self, order=column_order(values))

    def normalize(self, value: str, hint: str = "") -> Outcome:
        memo = self._memo
        found = memo.get(value, _UNSEEN)
        if found is _UNSEEN:
            found = self._remember(value, self._outcome(value, None))
        if found is not NEEDS_COUNTRY:
            return found    # type: ignore[return-value]
        key = (value, _country_code(hint))
        found = memo.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self._remember(key, self._outcome(value, hint))
        return found    # type: ignore[return-value]

    def _remember(self, key: object, outcome: Outcome | _NeedsCountry) -> Outcome | _NeedsCountry:
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = outcome
        return outcome

    def _outcome(self, value: str, hint: str | None) -> Outcome | _NeedsCountry:
        """The outcome for a value; with no hint, NEEDS_COUNTRY when only the row's country could decide."""
        iso = _ISO.match(value)
        if iso:
            return None if _valid(int(iso[1]), int(iso[2]), int(iso[3])) else Unclear("date.invalid")
        text = value.strip()
        time = ""
        timed = _TIME.match(text) if ":" in text else None
        if timed:
            text, time = timed["date"], self._time(timed)
        parsed = self._parse(text, hint)
        if not isinstance(parsed, Parsed):
            return parsed
        if not _valid(parsed.y, parsed.m, parsed.d):
            return Unclear("date.invalid")
        text = f"{parsed.y:04d}-{parsed.m:02d}-{parsed.d:02d}{time or parsed.time}"
        return None if text == value else Fix(text, parsed.rule)

    def _parse(self, value: str, hint: str | None) -> Parsed | Unclear | _NeedsCountry:
        for reader in (self._numeric, _compact, self._serial, self._written):
            found = reader(value, hint)
            if found is not None:
                return found
        return Unclear("date.partial" if _PARTIAL.match(value) else "date.unparsed")

    def _time(self, timed: re.Match[str]) -> str:
        hours, minutes, seconds = int(timed["h"]), int(timed["m"]), int(timed["s"] or 0)
        ampm = (timed["ampm"] or "").lower().replace(".", "")
        if ampm:
            hours = hours % 12 + (12 if ampm == "pm" else 0)
        if not self.keep_time or (hours, minutes, seconds) == (0, 0, 0) or hours > 23 or minutes > 59:
            return ""
        tz = timed["tz"] or ""
        if len(tz) == 5:
            tz = f"{tz[:3]}:{tz[3:]}"
        return f" {hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if timed["s"] else "") + tz

    def _numeric(self, value: str, hint: str | None) -> Parsed | Unclear | _NeedsCountry | None:
        match = _NUMERIC.match(value)
        if not match:
            return None
        first, sep, second, last = match[1], match[2], match[3], match[4]
        if len(first) == 4:
            return Parsed(int(first), int(second), int(last))
        if len(first) == 3 or len(last) not in (2, 4):
            return Unclear("date.unparsed")
        a, b = int(first), int(second)
        order = self._order(a, b, sep, hint)
        if order is NEEDS_COUNTRY:
            return NEEDS_COUNTRY
        if order is None:
            return Unclear("date.ambiguous")
        year, rule = self._year(last)
        day, month = (a, b) if order == DAY_FIRST else (b, a)
        return Parsed(year, month, day, rule=rule)

    def _order(self, a: int, b: int, sep: str, hint: str | None) -> str | _NeedsCountry | None:
        """Day-first or month-first for a/b: the value itself, then the config, the column, the country."""
        if a == b or sep == "." or (a > 12 >= b):
            return DAY_FIRST
        if b > 12 >= a:
            return MONTH_FIRST
        if a > 12 and b > 12:
            return DAY_FIRST    # no reading works; day-first makes _valid refuse it as date.invalid
        if self.forced or self.order:
            return self.forced or self.order
        if hint is None:
            return NEEDS_COUNTRY
        country = _country_code(hint)
        if not country or country in NO_ORDER_COUNTRIES:
            return None
        return MONTH_FIRST if country in MONTH_FIRST_COUNTRIES else DAY_FIRST

    def _year(self, text: str) -> tuple[int, str]:
        if len(text) == 4:
            return int(text), "date.iso"
        pivot = self._pivot() if self.pivot is None else self.pivot
        return _two_digit_year(int(text), pivot), "date.two_digit_year"

    def _serial(self, value: str, hint: str | None) -> Parsed | None:
        match = _SERIAL.match(value)
        if not match or not EXCEL_RANGE[0] <= int(match[1]) <= EXCEL_RANGE[1]:
            return None
        day = EXCEL_EPOCH + timedelta(days=int(match[1]))
        seconds = round(float(f"0.{match[2]}") * 86400) if match[2] else 0
        time = f" {seconds // 3600:02d}:{seconds // 60 % 60:02d}" if self.keep_time and 0 < seconds < 86400 else ""
        return Parsed(day.year, day.month, day.day, time, "date.excel_serial")

    def _written(self, value: str, hint: str | None) -> Parsed | Unclear | None:
        months, skip = calendar_words()
        tokens = _TOKENS.findall(fold(value))
        month, numbers = 0, []
        for i, token in enumerate(tokens):
            if token.isdigit():
                if i > 0 and tokens[i - 1] in MONTH_WORDS and not month:
                    month = int(token)
                else:
                    numbers.append(token)
            elif token in months and not month:
                month = months[token]
            elif token not in skip and token not in FILLERS and token not in MONTH_WORDS:
                return None
        if not month:
            return None
        return self._day_and_year(month, numbers)

    def _day_and_year(self, month: int, numbers: list[str]) -> Parsed | Unclear:
        if len(numbers) == 1 and len(numbers[0]) == 4:
            return Unclear("date.partial")
        if len(numbers) != 2:
            return Unclear("date.unparsed")
        four = [n for n in numbers if len(n) == 4]
        year_text = four[0] if len(four) == 1 else numbers[-1]
        day_text = numbers[0] if year_text is numbers[-1] else numbers[-1]
        if len(day_text) > 2 or len(year_text) not in (2, 4):
            return Unclear("date.unparsed")
        year, _ = self._year(year_text)
        return Parsed(year, month, int(day_text), rule="date.written_month")


@lru_cache(maxsize=4096)
def _country_code(hint: str) -> str:
    """country_code, remembered: hints repeat on every row and a name is looked up in pycountry."""
    return country_code(hint)


def _compact(value: str, hint: str | None) -> Parsed | None:
    match = _COMPACT.match(value)
    if not match or not YEAR_RANGE[0] <= int(match[1]) <= YEAR_RANGE[1]:
        return None
    return Parsed(int(match[1]), int(match[2]), int(match[3]))


def _valid(y: int, m: int, d: int) -> bool:
    if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
        return False
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def column_order(values: pd.Series) -> str | None:
    """"dmy" when some valid date has a first part over 12, "mdy" when one has a second part over 12, else None.

    Works on the column's distinct values with one vectorised regex. Only real dates count (31/02/1990
    proves nothing), so the decision is the same when the step runs again on its own output; dotted
    dates are left out (always day-first), and a column that proves both orders proves neither.
    """
    distinct = pd.Series(pd.unique(values.to_numpy()), dtype=object)
    parts = distinct.str.extract(r"^\s*(\d{1,2})([/\- ])(\d{1,2})\2(\d{4}|\d{2})(?!\d)").dropna()
    if parts.empty:
        return None
    a, b, year = parts[0].astype(int), parts[2].astype(int), parts[3].astype(int)
    year = year.where(year >= 100, year + 2000)
    day_first = bool(((a > 12) & (b <= 12) & _real(year, b, a)).any())
    month_first = bool(((b > 12) & (a <= 12) & _real(year, a, b)).any())
    if day_first == month_first:
        return None
    return DAY_FIRST if day_first else MONTH_FIRST


def _real(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Whether each (year, month, day) is a day of the calendar."""
    ok = month.between(1, 12) & day.between(1, 31)
    dates = pd.to_datetime(pd.DataFrame({"year": year, "month": month.where(ok, 1), "day": day.where(ok, 1)}),
                           errors="coerce")
    return ok & dates.notna()


@dataclass(frozen=True)
class BirthDateNormalizer(DateNormalizer):
    """Birth dates: as DATE, but a two-digit year is never in the future and times are dropped."""

    name: ClassVar[str] = "birth_date"
    role: ClassVar[Role] = Role.BIRTH_DATE
    keep_time: ClassVar[bool] = False

    @classmethod
    def _pivot(cls) -> int:
        return date.today().year % 100
