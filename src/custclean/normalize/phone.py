"""Phones: E.164 (or international/national) from any national format, with spreadsheet damage undone.

The region is the row's country (already alpha-2 after the country normalizer; other spellings are
mapped), else `default_region`. Extensions are kept ("+12015550123 ext. 123"). Repairs are tried
only when the number as written is not valid: a lost "+" ("33612345678") or a lost leading 0
("612345678" for FR, which libphonenumber reads as national) are undone when that gives a valid number.

Plain cells (digits and the usual separators: nearly all of them) are read and validated from the
tables `phonefast` compiles once, with libphonenumber's exact answers at a fifth of the cost: first
by its quick readers (one pass for a valid number whose reading is certain), else step by step;
anything else (labels, extensions, other scripts' digits) goes through libphonenumber itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar, Self

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.normalize.country import CountryNames, country_names
from custclean.normalize.phonefast import (
    FAILS,
    UNKNOWN,
    Reading,
    classify,
    main_plan,
    plain_digits,
    quick_national,
    quick_plus,
    read_national,
    read_plus,
    region_plan,
)
from custclean.roles import Role
from custclean.ruleset import RuleSet

# An optional label ("Tel:", "Mobil.", "ĐT:"), the number, an optional extension; nothing else.
_SHAPE = re.compile(
    r"(?:(?:tel|[^\W\d_]{1,12})\.?\s*:?\s*)?"
    r"(?P<number>[+(]?[\d\s().\-/\u2010-\u2015]*\d[\d\s().\-/\u2010-\u2015]*?)"
    r"(?:\s*(?:;\s*ext=|,|#|(?:ext|extn|extension|ex|x|poste|p|dw|durchwahl|int|interior|interno|nr|tl|máy lẻ)\.?:?)"
    r"\s*(?P<ext>\d{1,7}))?\s*",
    re.IGNORECASE,
)
_NOT_DIGIT = re.compile(r"\D")
_FLOAT_TAIL = re.compile(r"(\d{6,})\.0")       # a number a spreadsheet stored as a float: "612345678.0"
FORMATS: dict[str, int] = {
    "e164": PhoneNumberFormat.E164,
    "international": PhoneNumberFormat.INTERNATIONAL,
    "national": PhoneNumberFormat.NATIONAL,
}
_RULES = {name: f"phone.{name}" for name in FORMATS}      # the rule of a plain rewrite, per format


def _shape(text: str) -> tuple[str, str | None, str | None] | None:
    """(number, extension, plain digits of the number) as `_SHAPE` reads them; plain text is all number.

    Plain text ("06 12 34 56 78", "+33612345678": see `plain_digits`) skips the regex, the number
    loses its optional trunk 0 ("+33 (0)6 ...": dialled only nationally).
    """
    digits = plain_digits(text)
    if digits is not None and not text.endswith(" "):
        if "(0)" not in text:
            return text, None, digits
        number = text.replace("(0)", "")
        return number, None, plain_digits(number)
    shape = _SHAPE.fullmatch(text)
    if shape is None:
        return None
    number = shape["number"].replace("(0)", "")
    return number, shape["ext"], plain_digits(number)


def _parse(text: str, region: str | None) -> pn.PhoneNumber | None:
    """A valid number from `text`, or None."""
    try:
        number = pn.parse(text, region)
    except pn.NumberParseException:
        return None
    return number if pn.is_valid_number(number) else None


def _valid(reading: Reading) -> bool:
    return reading[0] != 0 and classify(*reading)[1] != UNKNOWN


def _reading(number: pn.PhoneNumber | None) -> Reading:
    return (number.country_code, pn.national_significant_number(number)) if number is not None else FAILS


def phone_number(reading: Reading) -> pn.PhoneNumber:
    """The PhoneNumber libphonenumber's parser builds for a reading (leading zeros kept as it keeps them)."""
    code, national = reading
    number = pn.PhoneNumber(country_code=code, national_number=int(national))
    if len(national) > 1 and national[0] == "0":
        number.italian_leading_zero = True
        zeros = len(national) - len(national.lstrip("0"))
        zeros = min(zeros, len(national) - 1)
        if zeros != 1:
            number.number_of_leading_zeros = zeros
    return number


def fast_international(digits: str) -> pn.PhoneNumber | None:
    """The valid number "+<digits>", built without libphonenumber's parser; None when unsure.

    It gives up whenever the parser could read the digits differently: an unknown country code, or a
    national number that starts with the country's trunk prefix (which the parser may strip).
    """
    if not digits.isascii() or not digits or digits[0] == "0":
        return None     # other scripts' digits: the parser knows them
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in pn.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[size:]
    plan = main_plan(code)
    if plan is None or not 2 <= len(national) <= 17:
        return None
    if plan.prefix_for_parsing is not None and plan.prefix_for_parsing.match(national):
        return None
    number = pn.PhoneNumber(country_code=code, national_number=int(national))
    zeros = len(national) - len(national.lstrip("0"))
    if zeros:
        number.italian_leading_zero = True
        if zeros > 1:
            number.number_of_leading_zeros = zeros
    return number if _valid((code, pn.national_significant_number(number))) else None


def fast_national(digits: str, region: str) -> pn.PhoneNumber | None:
    """The valid number for a national "0..." number where the trunk prefix is a plain "0"; None when unsure."""
    metadata = pn.PhoneMetadata.metadata_for_region(region)
    if (
        metadata is None
        or metadata.national_prefix_for_parsing != "0"
        or metadata.national_prefix_transform_rule
        or not digits.startswith("0")
        or (metadata.international_prefix and re.match(metadata.international_prefix, digits))
    ):
        return None
    return fast_international(f"{metadata.country_code}{digits[1:]}")


def _quick_read(text: str, region: str | None) -> tuple[Reading, bool] | None:
    """What `_read_plain` gives for plain text whose number `quick_plus` or `quick_national` is sure of, else None.

    Text `_shape` takes whole but for a "(0)": stripped and without spreadsheet damage. `_repaired` is only asked
    when a prefix that is not "0" went: a "0" is never the start of a country code.
    """
    digits = plain_digits(text)
    if digits is None:
        return None
    if "(0)" in text:
        text = text.replace("(0)", "")
        digits = plain_digits(text)
        if digits is None:
            return None
    if text[0] == "+":
        quick = quick_plus(digits)
        return (quick[0], False) if quick is not None else None
    quick = quick_national(digits, region) if region is not None else None
    if quick is None:
        return None
    reading = quick[0]
    if digits.startswith("00"):
        return reading, False           # as `_read_plain` reads "00...": never a repair
    if len(digits) == len(reading[1]):
        return reading, _trunk_is_zero(region)      # read whole: `_repaired` of a lost trunk 0
    return reading, digits[0] != "0" and _repaired(digits, reading, region)


@cache
def _trunk_is_zero(region: str) -> bool:
    """The region dials a "0" before national numbers: one read without it lost it (`_repaired`)."""
    plan = region_plan(region)
    return plan is not None and plan.national_prefix == "0"


def _read_plain(digits: str, plus: bool, region: str | None) -> tuple[Reading, bool] | Unclear:
    """`_read_library` for plain text (see `plain_digits`), from the compiled tables alone."""
    if plus:
        reading = read_plus(digits)
        return (reading, False) if _valid(reading) else Unclear("phone.invalid")
    if digits.startswith("00"):
        reading = read_national(digits, region) if region else FAILS
        reading = reading if _valid(reading) else read_plus(digits[2:])
        return (reading, False) if _valid(reading) else Unclear("phone.invalid")
    if region is None:
        return Unclear("phone.no_region")
    reading = read_national(digits, region)
    if _valid(reading):
        return reading, _repaired(digits, reading, region)
    reading = read_plus(digits) if len(digits) >= 8 and not digits.startswith("0") else FAILS
    return (reading, True) if _valid(reading) else Unclear("phone.invalid")


def _read_library(text: str, region: str | None) -> tuple[Reading, bool] | Unclear:
    """(reading, repaired) for the first reading of `text` that is valid, else the finding."""
    digits = _NOT_DIGIT.sub("", text)
    if text.lstrip().startswith("+"):
        number = fast_international(digits) or _parse(text, None)
        return (_reading(number), False) if number else Unclear("phone.invalid")
    if digits.startswith("00"):
        number = _parse(text, region) if region else None
        number = number or _parse("+" + digits[2:], None)
        return (_reading(number), False) if number else Unclear("phone.invalid")
    if region is None:
        return Unclear("phone.no_region")
    number = fast_national(digits, region) or _parse(text, region)
    if number is not None:
        reading = _reading(number)
        return reading, _repaired(digits, reading, region)
    number = _parse("+" + digits, None) if len(digits) >= 8 and not digits.startswith("0") else None
    return (_reading(number), True) if number else Unclear("phone.invalid")


def _repaired(digits: str, reading: Reading, region: str) -> bool:
    """True when the reading undoes a lost "+" ("40721234567" for RO) or a lost trunk 0 ("612345678" for FR)."""
    code, national = reading
    if len(digits) != len(national) and not digits.startswith(str(code)):
        return False        # the common case ("0612345678" read as 612345678): no repair, no plan needed
    if not digits.endswith(national):
        return False
    plan = region_plan(region)
    prefix = plan.national_prefix if plan is not None else None
    if digits == national:
        return plan is not None and prefix == "0" and code == plan.country_code
    return digits == f"{code}{national}" and not digits.startswith(prefix or "+")     # "1" in the US is a trunk prefix


@dataclass(frozen=True)
class PhoneNormalizer:
    """Phone numbers to one format; numbers it cannot read for sure stay as written."""

    name: ClassVar[str] = "phone"
    role: ClassVar[Role | None] = Role.PHONE
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ("text", "country")
    rules_declared: ClassVar[dict[str, str]] = {
        "phone.e164": "written in E.164 (+33612345678), extension kept",
        "phone.international": "written in international format (+33 6 12 34 56 78)",
        "phone.national": "written in the row country's national format (06 12 34 56 78)",
        "phone.repaired": "spreadsheet damage undone (a lost '+' or leading 0, a '.0' suffix, a text-forcing quote)",
        "phone.invalid": "not a valid phone number for its country; left as written",
        "phone.no_region": "no '+' and no country on the row nor default_region; left as written",
    }

    countries: CountryNames = field(repr=False)
    output: str = "e164"
    default_region: str | None = None
    _regions: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_rules(cls, rules: RuleSet, config: Config) -> Self:
        options = config.normalize
        if options.phone_format not in FORMATS:
            raise ConfigError(
                f"unknown phone_format '{options.phone_format}' (use {', '.join(FORMATS)})", "[normalize] phone_format"
            )
        countries = country_names(rules)
        default = options.default_region
        if default is not None and countries.alpha2(default) is None:
            raise ConfigError(f"default_region '{default}' is not a country", "[normalize] default_region")
        return cls(countries, options.phone_format, countries.alpha2(default) if default else None)

    def region_of(self, hint: str) -> str | None:
        """The row's country as alpha-2; default_region only when the row has no country at all."""
        try:
            return self._regions[hint]
        except KeyError:
            region = self._regions[hint] = self.countries.alpha2(hint) if hint.strip() else self.default_region
            return region

    def normalize(self, value: str, hint: str = "") -> Outcome:
        written = value.strip()
        floated = ".0" in written and _FLOAT_TAIL.search(written) is not None
        region = self.region_of(hint)
        found = None if floated else _quick_read(written, region)
        if found is None:
            return self._outcome(value, written, floated, region)
        reading, repaired = found
        rendered = f"+{reading[0]}{reading[1]}" if self.output == "e164" else self._render(reading, None, region)
        if rendered == value:
            return None
        return Fix(rendered, "phone.repaired" if repaired else _RULES[self.output])

    def _outcome(self, value: str, written: str, floated: bool, region: str | None) -> Outcome:
        """`normalize` for any cell: labels, extensions, damage, other scripts' digits, invalid numbers, repairs."""
        cleaned = written.removeprefix("'")
        shape = _shape(_FLOAT_TAIL.sub(r"\1", cleaned) if floated else cleaned)
        if shape is None:
            return Unclear("phone.invalid")
        text, extension, digits = shape
        found = _read_library(text, region) if digits is None else _read_plain(digits, text[0] == "+", region)
        if isinstance(found, Unclear):
            return found
        reading, repaired = found
        if self.output == "e164" and not extension:
            rendered = f"+{reading[0]}{reading[1]}"        # _render, inline for the common case
        else:
            rendered = self._render(reading, extension, region)
        if rendered == value:
            return None
        damaged = floated or written.startswith("'")
        return Fix(rendered, "phone.repaired" if repaired or damaged else _RULES[self.output])

    def _render(self, reading: Reading, extension: str | None, region: str | None) -> str:
        """The configured format; national only for the row's own country, else international."""
        if self.output == "e164":
            rendered = f"+{reading[0]}{reading[1]}"     # what format_number gives for E.164
            return f"{rendered} ext. {extension}" if extension else rendered
        number = phone_number(reading)
        if extension:
            number.extension = extension
        style = FORMATS[self.output]
        if style == PhoneNumberFormat.NATIONAL and (
            region is None or number.country_code != pn.country_code_for_region(region)
        ):
            style = PhoneNumberFormat.INTERNATIONAL
        return pn.format_number(number, style)
