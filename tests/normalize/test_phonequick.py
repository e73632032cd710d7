"""The quick phone readers answer only when sure, and then exactly as the step-by-step readers and libphonenumber do.

`quick_plus` and `quick_national` give a valid number's reading and type in one pass, or None ("ask the
step-by-step readers"). Whenever they answer, the answer must be read_plus/read_national + classify's,
and libphonenumber's own parse + number_type; they must also answer for the common written forms (else
they would be useless and these tests could not fail). The phone normalizer and PhoneCheck must give
the same outcome with the quick readers as without them.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import phonenumbers as pn
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.config import Config
from custclean.normalize import phone, phonefast
from custclean.normalize.base import Fix
from custclean.normalize.phonefast import (
    UNKNOWN,
    classify,
    plain_digits,
    quick_national,
    quick_plus,
    read_national,
    read_plus,
)
from custclean.ruleset import RuleSet
from custclean.validate.checks import PhoneCheck
from custclean.validate.context import CheckContext

RULES = RuleSet.load()
REGIONS = sorted(pn.SUPPORTED_REGIONS)
# The countries of generated and real customer lists, then some sharing a country code with them.
LIST_REGIONS = ("FR", "DE", "ES", "GB", "US", "RO", "VN", "IT", "BE", "CH", "NL", "PT", "PL", "AT", "IE")
SHARED = ("CA", "JE", "GG", "IM", "KZ", "RU", "RE", "YT", "GP", "BL", "MF", "CW", "BQ", "PR", "AG")
EXAMPLES = [(r, e) for r in REGIONS for kind in range(12) if (e := pn.example_number_for_type(r, kind))]
LIST_EXAMPLES = [(r, e) for r, e in EXAMPLES if r in LIST_REGIONS]


def _digits(number: pn.PhoneNumber, style: int) -> str:
    return "".join(ch for ch in pn.format_number(number, style) if ch.isdigit())


def _steps_plus(digits: str) -> tuple[tuple[int, str], int]:
    reading = read_plus(digits)
    return reading, classify(*reading)[1] if reading[0] else UNKNOWN


def _steps_national(digits: str, region: str) -> tuple[tuple[int, str], int]:
    reading = read_national(digits, region)
    return reading, classify(*reading)[1] if reading[0] else UNKNOWN


def _library(text: str, region: str | None) -> tuple[tuple[int, str], int] | None:
    try:
        number = pn.parse(text, region)
    except pn.NumberParseException:
        return None
    return (number.country_code, pn.national_significant_number(number)), pn.number_type(number)


def test_quick_plus_reads_every_e164_example_as_libphonenumber():
    answered = 0
    for _, example in EXAMPLES:
        digits = _digits(example, pn.PhoneNumberFormat.E164)
        quick = quick_plus(digits)
        if quick is not None:
            answered += 1
            assert quick == _library("+" + digits, None) == _steps_plus(digits), digits
            assert quick[1] != UNKNOWN
    assert answered > 0.8 * len(EXAMPLES)


def test_quick_national_reads_the_list_countries_examples_as_libphonenumber():
    """National, international without "+", 00-prefixed and trunk-less forms of FR/DE/ES/GB/US/RO/VN/IT ... numbers."""
    answered = total = 0
    for region, example in LIST_EXAMPLES:
        national = _digits(example, pn.PhoneNumberFormat.NATIONAL)
        e164 = _digits(example, pn.PhoneNumberFormat.E164)
        for digits in (national, national.lstrip("0"), "00" + e164, "011" + e164, e164):
            if len(digits) < 3:
                continue
            total += 1
            quick = quick_national(digits, region)
            if quick is not None:
                answered += 1
                assert quick == _library(digits, region) == _steps_national(digits, region), (digits, region)
    assert answered > 0.6 * total


@st.composite
def digit_strings(draw) -> str:
    """An example's digits, often with a typo, a prefix or a country code in front; or random digits."""
    _, example = draw(st.sampled_from(EXAMPLES))
    digits = _digits(example, draw(st.sampled_from((pn.PhoneNumberFormat.E164, pn.PhoneNumberFormat.NATIONAL))))
    at = draw(st.integers(0, len(digits)))
    digits = draw(st.sampled_from((digits, digits[:at] + digits[at + 1:], digits[:at] + "7" + digits[at:])))
    return draw(st.sampled_from(("", "", "0", "1", "00", "011", "8", "810", "33", "44", "1"))) + digits


@settings(max_examples=400, deadline=None)
@given(digits=st.one_of(digit_strings(), st.text("0123456789", min_size=0, max_size=20)))
def test_quick_plus_answers_only_as_the_steps_do(digits):
    quick = quick_plus(digits)
    if quick is not None:
        assert quick == _steps_plus(digits) == _library("+" + digits, None)


@settings(max_examples=400, deadline=None)
@given(digits=st.one_of(digit_strings(), st.text("0123456789", min_size=3, max_size=20)),
       region=st.sampled_from(LIST_REGIONS + SHARED + ("BR", "AR", "MX", "CN", "JP")))
def test_quick_national_answers_only_as_the_steps_do(digits, region):
    quick = quick_national(digits, region)
    if quick is not None:
        assert quick == _steps_national(digits, region) == _library(digits, region)


def test_regions_sharing_out_a_code_are_left_to_the_steps():
    """Jersey's national numbers are classified by GB's tables first; Russia's +7 by leading digits."""
    assert quick_national("01534 456789", "JE") is None
    assert quick_plus("77011234567") is None
    assert quick_national("0612345678", "FR") == ((33, "612345678"), pn.PhoneNumberType.MOBILE)
    assert quick_national("1 212 244 1636".replace(" ", ""), "US") == ((1, "2122441636"), 2)


# The normalizer and the check: the same outcomes with and without the quick readers ------------------------------


CELLS = (
    "06 12 34 56 78", "06.12.34.56.78", "0612345678", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78",
    "612345678", "33612345678", "(214) 909-4225", "214-909-4225", "1-212-244-1636", "+1 602 845 6647", "2149094225",
    "011 33 6 12 34 56 78", "0151 55597844", "0160/51486066", "+49 (0)178 83522897", "971 622 748", "0034 714 906 106",
    "07163 399166", "+44 (0)7401 099600", "020 7946 0958", "0741 332 042", "40721234567", "0040 723 935 087",
    "0708 025 909", "+84 366 490 732", "0258 703 6740", "06 6982 0000", "+39 347 123 4567", "0800 123 456",
    "+33 6 12 34 56 78 (0)", "+(0)33 6 12", "(0)6 12 34 56 78", "06 12 34", "+1 800 FLOWERS", "06 12 34 56 78 x12",
)
COUNTRIES = ("FR", "US", "DE", "ES", "GB", "RO", "VN", "IT", "", "Jersey", "Atlantis")


@cache
def _normalizer(phone_format: str, default_region: str | None) -> phone.PhoneNormalizer:
    config = Config().override(normalize={"phone_format": phone_format, "default_region": default_region})
    return phone.PhoneNormalizer.from_rules(RULES, config)


def _without_quick(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(phone, "quick_plus", lambda digits: None)
    patch.setattr(phone, "quick_national", lambda digits, region: None)
    patch.setattr(phonefast, "quick_plus", lambda digits: None)
    patch.setattr(phonefast, "quick_national", lambda digits, region: None)


@pytest.mark.parametrize("phone_format", ["e164", "international", "national"])
@pytest.mark.parametrize("default_region", [None, "RO"])
def test_normalizer_gives_the_same_outcomes_without_the_quick_readers(phone_format, default_region):
    normalizer = _normalizer(phone_format, default_region)
    cells = [(cell, country) for cell in CELLS for country in COUNTRIES]
    quick = [normalizer.normalize(*case) for case in cells]
    with pytest.MonkeyPatch.context() as patch:
        _without_quick(patch)
        assert [normalizer.normalize(*case) for case in cells] == quick
    rules = {outcome.rule for outcome in quick if isinstance(outcome, Fix)}
    assert {"phone.repaired", f"phone.{phone_format}"} <= rules
    assert quick[CELLS.index("612345678") * len(COUNTRIES)] == Fix(
        {"e164": "+33612345678", "international": "+33 6 12 34 56 78", "national": "06 12 34 56 78"}[phone_format],
        "phone.repaired",
    )


LETTERS = "0123456789" * 3 + " ().-/+(0)" + "x#'\u2013"


@settings(max_examples=200, deadline=None)
@given(cell=st.text(LETTERS, min_size=1, max_size=20), country=st.sampled_from(COUNTRIES),
       phone_format=st.sampled_from(("e164", "e164", "international", "national")))
def test_normalizer_gives_the_same_outcome_without_the_quick_readers_on_any_cell(cell, country, phone_format):
    normalizer = _normalizer(phone_format, None)
    quick = normalizer.normalize(cell, country)
    with pytest.MonkeyPatch.context() as patch:
        _without_quick(patch)
        assert normalizer.normalize(cell, country) == quick, cell


@pytest.mark.parametrize("mobile", [False, True])
def test_phone_check_gives_the_same_verdicts_without_the_quick_readers(mobile):
    check = replace(PhoneCheck.from_specs({}, CheckContext(RULES, Config())), mobile=mobile)
    written = [(cell, country) for cell in CELLS for country in COUNTRIES]
    normalized = [(outcome.value, country) for (cell, country) in written
                  if isinstance(outcome := _normalizer("e164", None).normalize(cell, country), Fix)]
    examples = [(pn.format_number(e, pn.PhoneNumberFormat.E164), r) for r, e in EXAMPLES[::4]]
    cases = written + normalized + examples
    quick = [check.check(*case) for case in cases]
    with pytest.MonkeyPatch.context() as patch:
        _without_quick(patch)
        assert [check.check(*case) for case in cases] == quick
    expected = {None, "phone.invalid", "phone.no_region", "phone.unusual_type"}
    assert set(quick) == expected | ({"phone.not_mobile"} if mobile else set())


@settings(max_examples=300, deadline=None)
@given(text=st.text("0123456789" * 2 + " ().-/+\u2013'x" + "(0)" * 4, max_size=18).map(str.strip))
def test_plain_cells_skip_the_shape_regex_and_read_the_same(text):
    """_shape's shortcut: plain text is all number, no extension, "(0)" dropped, exactly as `_SHAPE` reads it."""
    shape = phone._SHAPE.fullmatch(text)
    expected = None if shape is None else (shape["number"].replace("(0)", ""), shape["ext"])
    got = phone._shape(text)
    assert (got if got is None else got[:2]) == expected, text
    if got is not None:
        assert got[2] == plain_digits(got[0])
