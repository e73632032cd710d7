"""The phone normalizer: national formats of FR/RO/VN/US/DE/ES/GB, spreadsheet damage, formats, regions."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.normalize.base import Fix, Unclear
from custclean.normalize.phone import PhoneNormalizer, fast_international, fast_national
from custclean.normalize.registry import build_steps
from custclean.pipeline import run_steps


@pytest.mark.cases("phone")
def test_phone_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("phone"), case)


@pytest.mark.parametrize(
    ("phone_format", "value", "hint", "expected"),
    [
        ("international", "06 12 34 56 78", "FR", "+33 6 12 34 56 78"),
        ("international", "+12015550123 ext. 123", "", "+1 201-555-0123 ext. 123"),
        ("national", "+33612345678", "FR", "06 12 34 56 78"),
        ("national", "+40721234567", "RO", "0721 234 567"),
        ("national", "+84912345678", "VN", "0912 345 678"),
        ("national", "+40721234567", "FR", "+40 721 234 567"),    # a foreign number stays international
        ("national", "+33612345678", "", "+33 6 12 34 56 78"),    # no region: national would lose the country
    ],
)
def test_output_formats(normalizer_for, phone_format, value, hint, expected):
    normalizer = normalizer_for("phone", phone_format=phone_format)
    outcome = normalizer.normalize(value, hint)
    assert isinstance(outcome, Fix)
    assert outcome.value == expected
    assert normalizer.normalize(outcome.value, hint) is None


def test_default_region_applies_only_to_rows_without_a_country(normalizer_for):
    normalizer = normalizer_for("phone", default_region="RO")
    assert normalizer.normalize("0721 234 567", "") == Fix("+40721234567", "phone.e164")
    assert normalizer.normalize("06 12 34 56 78", "FR") == Fix("+33612345678", "phone.e164")
    assert normalizer.normalize("0721 234 567", "Congo") == Unclear("phone.no_region")


@pytest.mark.parametrize(("key", "value"), [("phone_format", "E.164"), ("default_region", "Atlantis")])
def test_bad_options_are_config_errors(rules, key, value):
    with pytest.raises(ConfigError, match=key):
        PhoneNormalizer.from_rules(rules, Config().override(normalize={key: value}))


REGIONS = ("FR", "RO", "VN", "US", "DE", "ES", "GB", "IT", "CH", "BE")
TYPES = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)


@pytest.mark.parametrize("region", REGIONS)
def test_libphonenumber_examples_in_every_format_come_back_to_e164(normalizer_for, region):
    normalizer = normalizer_for("phone")
    for kind in TYPES:
        example = phonenumbers.example_number_for_type(region, kind)
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        for style in (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL):
            written = phonenumbers.format_number(example, style)
            outcome = normalizer.normalize(written, region)
            assert outcome is None if written == e164 else outcome.value == e164, (region, kind, written, outcome)
        assert normalizer.normalize(e164, region) is None


def _every_example() -> list[tuple[str, phonenumbers.PhoneNumber]]:
    examples = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(12):     # every PhoneNumberType with example data
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                examples.append((region, example))
    return examples


def test_fast_paths_agree_with_libphonenumber_for_every_region_and_type():
    """The fast paths skip the parser; they must never read a number differently from it."""
    checked = 0
    for region, example in _every_example():
        for style in (phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL):
            written = phonenumbers.format_number(example, style)
            digits = "".join(ch for ch in written if ch.isdigit())
            fast = fast_international(digits) if written.startswith("+") else fast_national(digits, region)
            if fast is None:
                continue
            parsed = phonenumbers.parse(written, region)
            assert phonenumbers.is_valid_number(parsed), (region, written)
            assert phonenumbers.format_number(fast, 0) == phonenumbers.format_number(parsed, 0), (region, written)
            assert phonenumbers.format_number(fast, 2) == phonenumbers.format_number(parsed, 2), (region, written)
            checked += 1
    assert checked > 500


EXAMPLES = _every_example()


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, len(EXAMPLES) - 1), tail=st.text("0123456789", min_size=1, max_size=4))
def test_fast_international_agrees_with_libphonenumber_near_real_numbers(index, tail):
    _, example = EXAMPLES[index]
    national = phonenumbers.national_significant_number(example)
    digits = f"{example.country_code}{national[: -len(tail)]}{tail}"
    fast = fast_international(digits)
    if fast is not None:
        parsed = phonenumbers.parse(f"+{digits}", None)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.format_number(fast, 0) == phonenumbers.format_number(parsed, 0)


@settings(max_examples=150, deadline=None)
@given(region=st.sampled_from(REGIONS), rest=st.text("0123456789", min_size=5, max_size=11))
def test_fast_national_agrees_with_libphonenumber_on_random_digits(region, rest):
    fast = fast_national("0" + rest, region)
    if fast is not None:
        parsed = phonenumbers.parse("0" + rest, region)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.format_number(fast, 0) == phonenumbers.format_number(parsed, 0)


def test_phone_reads_the_country_the_country_step_left(table_from, rules):
    """text -> country -> phone on one table: the phone step sees "FR", not "  france ", as its region."""
    table = table_from(
        [
            {"country": "  france ", "phone": "06 12 34 56 78"},
            {"country": "Hoa Kỳ", "phone": "(201) 555-0123 x12"},
            {"country": "România", "phone": "0721.234.567"},
            {"country": "Congo", "phone": "06 12 34 56 78"},
        ]
    )
    config = Config().override(normalize={"only": ("text", "country", "phone")})
    run = run_steps(table, build_steps(rules, config))
    phones = run.table.frame["phone"].tolist()
    assert phones == ["+33612345678", "+12015550123 ext. 12", "+40721234567", "06 12 34 56 78"]
    assert run.table.frame["country"].tolist() == ["FR", "US", "RO", "Congo"]
    assert run.findings.frame()["code"].tolist() == ["country.ambiguous", "phone.no_region"]
