"""Built-in checks: email, phone, postal code, country and dates (required fields and ids are rule kinds).

Each check reports only the codes it declares; rules/validation.toml gives each code its severity and
message. The checks accept raw files as well as normalized ones: a row's country may be a name in any
language, a phone may be national, a date may be written "12 mars 1985".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd

from custclean.errors import ConfigError
from custclean.normalize.base import Unclear
from custclean.normalize.date import YEAR_RANGE, BirthDateNormalizer, DateNormalizer
from custclean.roles import Role
from custclean.text import fold
from custclean.validate.base import UNSURE, RuleSpec
from custclean.validate.context import CheckContext, Regions
from custclean.validate.emails import EmailCheck

if TYPE_CHECKING:
    from custclean.config import Config
    from custclean.ruleset import RuleSet

# Phones ------------------------------------------------------------------------------------------

_MIN_PHONE_DIGITS = 6
_MAX_PHONE_INPUT = 250          # phonefast.plain_digits reads text up to this length


@cache
def _phonefast() -> ModuleType:
    """custclean.normalize.phonefast, imported on first use (it loads phonenumbers)."""
    from custclean.normalize import phonefast

    return phonefast


@dataclass(frozen=True)
class PhoneCheck:
    """Phone validity for the row's country (libphonenumber), and a fixed line in a mobile column."""

    name: ClassVar[str] = "phone"
    role: ClassVar[Role | None] = Role.PHONE
    hint: ClassVar[Role | None] = Role.COUNTRY
    codes: ClassVar[dict[str, str]] = {
        "phone.invalid": "not a valid number for the row's country (or for its own +country code)",
        "phone.no_region": "a national number in a row without a known country and no --default-region",
        "phone.not_mobile": "a fixed-line number in a column whose header says mobile",
        "phone.unusual_type": "toll-free, premium-rate, shared-cost, pager, VoIP or voicemail number",
    }
    params: ClassVar[dict[str, str]] = {"mobile_headers": "list"}

    regions: Regions
    mobile_headers: tuple[str, ...] = ()
    mobile: bool = False          # this column holds mobile numbers (set per column)

    @classmethod
    def from_specs(cls, specs: dict[str, RuleSpec], ctx: CheckContext) -> Self:
        words = [w for s in specs.values() for w in s.param("mobile_headers", [])]
        return cls(ctx.regions, tuple(dict.fromkeys(fold(w) for w in words)))

    def for_column(self, values: pd.Series) -> Self:
        header = f" {fold(str(values.name or ''))} "
        return replace(self, mobile=any(f" {word} " in header for word in self.mobile_headers))

    def check(self, value: str, hint: str = "") -> str | None:
        """libphonenumber's verdict; plain numbers (the E.164 the normalizer writes) from its compiled tables.

        A valid number after a "+" reads the same in any row, so the quick reader needs no region for it.
        """
        phonefast = _phonefast()
        text = value.strip()
        if not text:
            return None
        digits = text[1:]
        if text[0] == "+" and digits.isdigit() and digits.isascii() and 3 <= len(digits) < _MAX_PHONE_INPUT:
            quick = phonefast.quick_plus(digits)
            if quick is not None:
                return _verdicts(self.mobile)[quick[1]]
        else:
            digits = phonefast.plain_digits(text)      # E.164 is plain already: the shortcut gives the same digits
        region = self.regions.region(hint)
        if digits is None:
            return self._check_library(text, region)
        if text[0] == "+":
            reading = phonefast.read_plus(digits, region)
        elif region is None:
            reading = phonefast.FAILS
        else:
            quick = phonefast.quick_national(digits, region)
            if quick is not None:
                return _verdicts(self.mobile)[quick[1]]
            reading = phonefast.read_national(digits, region)
        if reading == phonefast.FAILS:
            national = region is None and text[0] != "+"
            return "phone.no_region" if national and len(digits) >= _MIN_PHONE_DIGITS else "phone.invalid"
        return self._verdict(phonefast.classify(*reading)[1])

    def _check_library(self, text: str, region: str | None) -> str | None:
        import phonenumbers

        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            national = region is None and not text.startswith("+")
            enough = sum(ch.isdigit() for ch in text) >= _MIN_PHONE_DIGITS
            return "phone.no_region" if national and enough else "phone.invalid"
        return self._verdict(phonenumbers.number_type(number))   # UNKNOWN exactly when the number is not valid

    def _verdict(self, kind: int) -> str | None:
        return _verdicts(self.mobile)[kind]


@cache
def _verdicts(mobile: bool) -> dict[int, str | None]:
    """Number type -> finding code, for a mobile column or any other."""
    from phonenumbers import PhoneNumberType as T

    unusual = {T.TOLL_FREE, T.PREMIUM_RATE, T.SHARED_COST, T.PAGER, T.UAN, T.VOICEMAIL, T.VOIP}
    kinds = [value for name, value in vars(T).items() if name.isupper() and isinstance(value, int)]
    verdicts: dict[int, str | None] = {kind: "phone.unusual_type" if kind in unusual else None for kind in kinds}
    verdicts[T.UNKNOWN] = "phone.invalid"
    if mobile:
        verdicts[T.FIXED_LINE] = "phone.not_mobile"
    return verdicts


# Addresses ---------------------------------------------------------------------------------------


def postal_patterns(rules: RuleSet) -> dict[str, re.Pattern[str]]:
    """alpha-2 -> compiled `pattern` from postal_codes.toml (case-insensitive: casing is the normalizer's job)."""
    patterns, problems = {}, []
    for country, spec in rules.data("postal_codes").items():
        if isinstance(spec, dict) and "pattern" in spec:
            try:
                patterns[country.upper()] = re.compile(spec["pattern"], re.IGNORECASE)
            except re.error as exc:
                problems.append(f"postal_codes.toml [{country}] pattern: {exc}")
    if problems:
        raise ConfigError(problems, "rules")
    return patterns


@dataclass(frozen=True)
class PostalFormatCheck:
    """A postal code against its country's pattern; rows of countries without a pattern pass."""

    name: ClassVar[str] = "postal_format"
    role: ClassVar[Role | None] = Role.POSTAL_CODE
    hint: ClassVar[Role | None] = Role.COUNTRY
    codes: ClassVar[dict[str, str]] = {"postal_code.bad_format": "does not fit the country's postal code pattern"}
    params: ClassVar[dict[str, str]] = {}

    regions: Regions
    patterns: dict[str, re.Pattern[str]]

    @classmethod
    def from_specs(cls, specs: dict[str, RuleSpec], ctx: CheckContext) -> Self:
        return cls(ctx.regions, postal_patterns(ctx.rules))

    def check(self, value: str, hint: str = "") -> str | None:
        pattern = self.patterns.get(self.regions.region(hint) or "")
        if pattern is None or not value.strip():
            return None
        return None if pattern.fullmatch(value.strip()) else "postal_code.bad_format"

    def check_many(self, values: np.ndarray, hints: np.ndarray) -> np.ndarray:
        """check() of each value, the pattern looked up once per distinct country cell rather than per value."""
        answers = np.full(len(values), None, dtype=object)
        countries, names = pd.factorize(hints, use_na_sentinel=False)
        for number, name in enumerate(names):
            pattern = self.patterns.get(self.regions.region(name) or "")
            if pattern is None:
                continue
            rows = np.flatnonzero(countries == number)
            answers[rows] = [None if not (text := value.strip()) or pattern.fullmatch(text)
                             else "postal_code.bad_format" for value in values[rows]]
        return answers


@dataclass(frozen=True)
class CountryCheck:
    """A country cell must name one country: a code, a name in any language, an alias or a close typo."""

    name: ClassVar[str] = "country"
    role: ClassVar[Role | None] = Role.COUNTRY
    hint: ClassVar[Role | None] = None
    codes: ClassVar[dict[str, str]] = {
        "country.unknown": "not recognised as a country",
        "country.ambiguous": "a name shared by several countries",
    }
    params: ClassVar[dict[str, str]] = {}

    regions: Regions

    @classmethod
    def from_specs(cls, specs: dict[str, RuleSpec], ctx: CheckContext) -> Self:
        return cls(ctx.regions)

    def check(self, value: str, hint: str = "") -> str | None:
        if not value.strip():
            return None
        code, how = self.regions.lookup(value)
        return None if code else how


# Dates -------------------------------------------------------------------------------------------


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(text: str) -> date | None:
    """The day a YYYY-MM-DD text names, as the date normalizer reads it: None outside YEAR_RANGE or the calendar."""
    year = int(text[:4])
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return None
    try:
        return date(year, int(text[5:7]), int(text[8:]))
    except ValueError:
        return None


@dataclass(frozen=True)
class DateRead:
    """What date a cell means, read by the date normalizer (any order, written months, Excel serials).

    A value the normalizer calls ambiguous (03/04/1985 with nothing to decide) is still a date: it is
    placed day-first, which is enough to judge whether it is plausible.
    """

    reader: Any
    day_first: Any

    @classmethod
    def build(cls, rules: RuleSet, config: Config, birth: bool = False) -> DateRead:
        kind = BirthDateNormalizer if birth else DateNormalizer
        forced = config.override(normalize={"date_order": "dmy"})
        return cls(kind.from_rules(rules, config), kind.from_rules(rules, forced))

    def for_column(self, values: pd.Series) -> DateRead:
        return replace(self, reader=self.reader.for_column(values))

    @staticmethod
    def read_many(values: np.ndarray) -> list[Any]:
        """read() of each value written YYYY-MM-DD in ASCII digits (as the date normalizer writes dates),
        without the reader; UNSURE for every other value."""
        return [_iso_day(value) if _ISO_DAY.fullmatch(value) else UNSURE for value in values]

    def read(self, value: str, hint: str = "") -> date | None:
        outcome = self.reader.normalize(value, hint)
        if isinstance(outcome, Unclear) and outcome.code == "date.ambiguous":
            outcome = self.day_first.normalize(value, hint)
        if isinstance(outcome, Unclear):
            return None
        try:
            return date.fromisoformat((value.strip() if outcome is None else outcome.value)[:10])
        except ValueError:
            return None


@dataclass(frozen=True)
class DateCheck:
    """A date cell must be a full date custclean can read."""

    name: ClassVar[str] = "date"
    role: ClassVar[Role | None] = Role.DATE
    # No country hint: it only orders ambiguous dates, which are readable (and as plausible) either way,
    # and without it each distinct date is read once rather than once per country.
    hint: ClassVar[Role | None] = None
    codes: ClassVar[dict[str, str]] = {"date.invalid": "not a readable full date"}
    params: ClassVar[dict[str, str]] = {}

    dates: DateRead

    @classmethod
    def from_specs(cls, specs: dict[str, RuleSpec], ctx: CheckContext) -> Self:
        return cls(DateRead.build(ctx.rules, ctx.config))

    def for_column(self, values: pd.Series) -> Self:
        return replace(self, dates=self.dates.for_column(values))

    def check(self, value: str, hint: str = "") -> str | None:
        if not value.strip():
            return None
        return self._verdict(self.dates.read(value, hint))

    def check_many(self, values: np.ndarray, hints: np.ndarray) -> np.ndarray:
        """check() of the values written as ISO dates, read without the reader; UNSURE for the others."""
        return np.array([day if day is UNSURE else self._verdict(day) for day in self.dates.read_many(values)],
                        dtype=object)

    def _verdict(self, day: date | None) -> str | None:
        return None if day else "date.invalid"


@dataclass(frozen=True)
class BirthDateCheck(DateCheck):
    """A birth date must be readable, not in the future and not more than `max_age` years ago."""

    name: ClassVar[str] = "birth_date"
    role: ClassVar[Role | None] = Role.BIRTH_DATE
    codes: ClassVar[dict[str, str]] = {
        "date.invalid": "not a readable full date",
        "birth_date.future": "after today",
        "birth_date.too_old": "more than max_age years ago",
    }
    params: ClassVar[dict[str, str]] = {"max_age": "int"}

    max_age: int = 120
    today: date | None = None

    @classmethod
    def from_specs(cls, specs: dict[str, RuleSpec], ctx: CheckContext) -> Self:
        max_age = next((s.param("max_age") for s in specs.values() if s.param("max_age") is not None), 120)
        return cls(DateRead.build(ctx.rules, ctx.config, birth=True), int(max_age), ctx.today)

    def _verdict(self, born: date | None) -> str | None:
        if born is None:
            return "date.invalid"
        today = self.today or date.today()
        if born > today:
            return "birth_date.future"
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return "birth_date.too_old" if age > self.max_age else None


BUILTIN_CHECKS: dict[str, Any] = {
    cls.name: cls for cls in (EmailCheck, PhoneCheck, PostalFormatCheck, CountryCheck, DateCheck, BirthDateCheck)
}


def build_builtin(specs: dict[str, RuleSpec], ctx: CheckContext) -> list[Any]:
    """Each built-in check with at least one enabled code, built from those codes' rules."""
    built = []
    for cls in BUILTIN_CHECKS.values():
        mine = {code: specs[code] for code in cls.codes if code in specs and specs[code].enabled}
        if mine:
            built.append(cls.from_specs(mine, ctx))
    return built
