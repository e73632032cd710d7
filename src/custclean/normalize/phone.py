"""Phones: E.164 (or international/national) from any national format, with spreadsheet damage undone.

The region is the row's country (already alpha-2 after the country normalizer; other spellings are
mapped), else `default_region`. Extensions are kept ("+12015550123 ext. 123"). Repairs are tried
only when the number as written is not valid: a lost "+" ("33612345678") or a lost leading 0
("612345678" for FR, which libphonenumber reads as national) are undone when that gives a valid number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar, Self

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.normalize.base import Fix, Outcome, Unclear
from custclean.normalize.country import CountryNames, country_names
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
_TRUNK_ZERO_OPTIONAL = re.compile(r"\(0\)")    # "+33 (0)6 ...": the 0 is dialled only nationally
FORMATS: dict[str, int] = {
    "e164": PhoneNumberFormat.E164,
    "international": PhoneNumberFormat.INTERNATIONAL,
    "national": PhoneNumberFormat.NATIONAL,
}


def _parse(text: str, region: str | None) -> pn.PhoneNumber | None:
    """A valid number from `text`, or None."""
    try:
        number = pn.parse(text, region)
    except pn.NumberParseException:
        return None
    return number if pn.is_valid_number(number) else None


def fast_international(digits: str) -> pn.PhoneNumber | None:
    """The valid number "+<digits>", built without libphonenumber's parser (half the cost); None when unsure.

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
    metadata = pn.PhoneMetadata.metadata_for_region_or_calling_code(code, pn.region_code_for_country_code(code))
    if metadata is None or not 2 <= len(national) <= 17:
        return None
    if metadata.national_prefix_for_parsing and re.match(metadata.national_prefix_for_parsing, national):
        return None
    number = pn.PhoneNumber(country_code=code, national_number=int(national))
    zeros = len(national) - len(national.lstrip("0"))
    if zeros:
        number.italian_leading_zero = True
        if zeros > 1:
            number.number_of_leading_zeros = zeros
    return number if pn.is_valid_number(number) else None


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


def _lost_plus(digits: str, number: pn.PhoneNumber, region: str) -> bool:
    """True when the digits are the full international number without its "+" ("40721234567" for RO)."""
    metadata = pn.PhoneMetadata.metadata_for_region(region)
    trunk = (metadata.national_prefix if metadata else None) or "+"     # "1" in the US is a trunk prefix
    return digits == f"{number.country_code}{pn.national_significant_number(number)}" and not digits.startswith(trunk)


def _lost_zero(digits: str, number: pn.PhoneNumber, region: str) -> bool:
    """True when a national number was written without the trunk 0 every local would dial."""
    metadata = pn.PhoneMetadata.metadata_for_region(region)
    return bool(
        metadata is not None
        and metadata.national_prefix == "0"
        and number.country_code == metadata.country_code
        and digits == pn.national_significant_number(number)
    )


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
        if not hint.strip():
            return self.default_region
        if hint not in self._regions:
            self._regions[hint] = self.countries.alpha2(hint)
        return self._regions[hint]

    def normalize(self, value: str, hint: str = "") -> Outcome:
        written = value.strip()
        damaged = written.startswith("'") or _FLOAT_TAIL.search(written) is not None
        shape = _SHAPE.fullmatch(_FLOAT_TAIL.sub(r"\1", written.removeprefix("'")))
        if shape is None:
            return Unclear("phone.invalid")
        text = _TRUNK_ZERO_OPTIONAL.sub("", shape["number"])
        region = self.region_of(hint)
        found = self._read(text, region)
        if isinstance(found, Unclear):
            return found
        number, repaired = found
        if shape["ext"]:
            number.extension = shape["ext"]
        rendered = self._render(number, region)
        if rendered == value:
            return None
        return Fix(rendered, "phone.repaired" if repaired or damaged else f"phone.{self.output}")

    def _read(self, text: str, region: str | None) -> tuple[pn.PhoneNumber, bool] | Unclear:
        """(number, repaired) for the first reading that is valid, else the finding."""
        digits = _NOT_DIGIT.sub("", text)
        if text.lstrip().startswith("+"):
            number = fast_international(digits) or _parse(text, None)
            return (number, False) if number else Unclear("phone.invalid")
        if digits.startswith("00"):
            number = _parse(text, region) if region else None
            number = number or _parse("+" + digits[2:], None)
            return (number, False) if number else Unclear("phone.invalid")
        if region is None:
            return Unclear("phone.no_region")
        number = fast_national(digits, region) or _parse(text, region)
        if number is not None:
            return number, _lost_plus(digits, number, region) or _lost_zero(digits, number, region)
        number = _parse("+" + digits, None) if len(digits) >= 8 and not digits.startswith("0") else None
        return (number, True) if number else Unclear("phone.invalid")

    def _render(self, number: pn.PhoneNumber, region: str | None) -> str:
        """The configured format; national only for the row's own country, else international."""
        if self.output == "e164":
            rendered = pn.format_number(number, PhoneNumberFormat.E164)
            return f"{rendered} ext. {number.extension}" if number.extension else rendered
        style = FORMATS[self.output]
        if style == PhoneNumberFormat.NATIONAL and (
            region is None or number.country_code != pn.country_code_for_region(region)
        ):
            style = PhoneNumberFormat.INTERNATIONAL
        return pn.format_number(number, style)

