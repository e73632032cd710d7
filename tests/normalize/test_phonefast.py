"""The compiled phone tables give libphonenumber's own answers, and so do the normalizer and check built on them.

Every region's example numbers of every type, their near neighbours (a digit dropped, added or
changed; a trunk or international prefix inserted) and random digit strings: the fast functions must
read, classify and format them exactly as the library does, and the phone normalizer and PhoneCheck
must answer exactly as their libphonenumber-only paths do.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import phonenumbers as pn
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.config import Config
from custclean.normalize import phone
from custclean.normalize.base import Fix, Unclear
from custclean.normalize.phonefast import FAILS, UNKNOWN, classify, plain_digits, read_national, read_plus
from custclean.ruleset import RuleSet
from custclean.validate.checks import PhoneCheck
from custclean.validate.context import CheckContext

REGIONS = sorted(pn.SUPPORTED_REGIONS)
HINTS = ("FR", "RO", "VN", "US", "DE", "ES", "GB", "IT", "CA", "JE", "BR", "AR", "MX", "RU", "KZ")
CODES = sorted(pn.COUNTRY_CODE_TO_REGION_CODE)
SEPARATORS = (" ", "", "-", ".", "/", "\u2013", " (", ") ")


def _examples() -> list[tuple[str, pn.PhoneNumber]]:
    """(region, number) for every example libphonenumber ships: each region's types and the +800-style codes."""
    found = [(r, e) for r in REGIONS for kind in range(12) if (e := pn.example_number_for_type(r, kind))]
    nongeo = [("001", pn.example_number_for_non_geo_entity(code)) for code in pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS]
    return found + [(r, e) for r, e in nongeo if e is not None]


EXAMPLES = _examples()
GEOGRAPHIC = [(r, e) for r, e in EXAMPLES if r != "001"]
NSNS = [(e.country_code, pn.national_significant_number(e)) for _, e in EXAMPLES]
RULES = RuleSet.load()


def _neighbours(nsn: str) -> list[str]:
    """The number and a few typos of it: a digit dropped at either end, added, or changed at four places."""
    middle = len(nsn) // 2
    return [nsn, nsn[:-1], nsn + "5", "0" + nsn, nsn[:middle] + str((int(nsn[middle]) + 3) % 10) + nsn[middle + 1:]]


def _library_number(code: int, nsn: str) -> pn.PhoneNumber:
    """The PhoneNumber the parser stores for a national significant number (leading zeros as it keeps them)."""
    number = phone.phone_number((code, nsn))
    assert pn.national_significant_number(number) == nsn
    return number


def _library_reading(text: str, region: str | None) -> tuple[int, str]:
    try:
        number = pn.parse(text, region)
    except pn.NumberParseException:
        return FAILS
    return number.country_code, pn.national_significant_number(number)


def _library_classify(code: int, nsn: str) -> tuple[str | None, int]:
    number = _library_number(code, nsn)
    kind = pn.number_type(number)
    assert (kind != UNKNOWN) == pn.is_valid_number(number), (code, nsn)
    return pn.region_code_for_number(number), kind


def test_examples_cover_every_type_and_shared_country_code():
    kinds = {pn.number_type(e) for _, e in EXAMPLES}
    assert len(EXAMPLES) > 1200
    assert len(kinds) >= 10
    assert {"GB", "GG", "JE", "IM", "US", "CA", "RU", "KZ", "RE", "YT", "GP", "BL", "CW", "BQ", "001"} <= {
        r for r, _ in EXAMPLES
    }


def test_classify_agrees_with_libphonenumber_on_every_example_and_its_neighbours():
    checked = valid = 0
    for code, nsn in NSNS:
        for variant in _neighbours(nsn)[:4]:
            if len(variant) < 2:
                continue
            mine = classify(code, variant)
            assert mine == _library_classify(code, variant), (code, variant)
            checked, valid = checked + 1, valid + (mine[1] != UNKNOWN)
    assert checked > 5_000
    assert 1_000 < valid < checked - 1_000


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(CODES), nsn=st.text("0123456789", min_size=2, max_size=17))
def test_classify_agrees_with_libphonenumber_on_random_digits(code, nsn):
    assert classify(code, nsn) == _library_classify(code, nsn)


def test_formatting_a_reading_gives_the_parsed_numbers_formats():
    """phone_number(reading) is the parser's PhoneNumber: same E.164, international and national text."""
    for region, example in EXAMPLES:
        e164 = pn.format_number(example, pn.PhoneNumberFormat.E164)
        reading = _library_reading(e164, None)
        assert f"+{reading[0]}{reading[1]}" == e164
        rebuilt = phone.phone_number(reading)
        for style in (pn.PhoneNumberFormat.INTERNATIONAL, pn.PhoneNumberFormat.NATIONAL):
            assert pn.format_number(rebuilt, style) == pn.format_number(example, style), (region, e164)


@st.composite
def near_international(draw) -> str:
    """Digits after a "+": an example's, often with a typo or a trunk/international prefix after the country code."""
    code, nsn = draw(st.sampled_from(NSNS))
    nsn = draw(st.sampled_from(_neighbours(nsn)))
    prefix = draw(st.sampled_from(("", "", "", "0", "1", "00", "011", "8", "06")))
    return draw(st.sampled_from((f"{code}{prefix}{nsn}", f"{prefix}{code}{nsn}", f"{code}{nsn}")))


@settings(max_examples=250, deadline=None)
@given(digits=st.one_of(near_international(), st.text("0123456789", min_size=0, max_size=19)),
       region=st.sampled_from((None, "ZZ", "AQ", "us", *HINTS, *REGIONS)))
def test_read_plus_agrees_with_parse(digits, region):
    assert read_plus(digits, region) == _library_reading("+" + digits, region)


@st.composite
def written_nationally(draw) -> tuple[str, str]:
    """(text, region): an example as a person might type it without "+", in its own or another region."""
    region, example = draw(st.sampled_from(GEOGRAPHIC))
    national = pn.format_number(example, pn.PhoneNumberFormat.NATIONAL)
    international = pn.format_number(example, pn.PhoneNumberFormat.INTERNATIONAL)[1:]
    e164 = pn.format_number(example, pn.PhoneNumberFormat.E164)[1:]
    digits = draw(st.sampled_from(_neighbours("".join(ch for ch in national if ch.isdigit()))))
    text = draw(st.sampled_from((national, international, "00" + e164, "011" + e164, "8" + e164, e164, digits)))
    sep = draw(st.sampled_from(SEPARATORS))
    text = text.replace(" ", sep) if draw(st.booleans()) else text
    return text, draw(st.sampled_from((region, region, "ZZ", *HINTS)))


@settings(max_examples=250, deadline=None)
@given(case=written_nationally())
def test_read_national_agrees_with_parse(case):
    text, region = case
    digits = plain_digits(text)
    if digits is not None:
        assert read_national(digits, region) == _library_reading(text, region), case


PLAIN_OR_NOT = "0123456789" * 3 + " ().-/\u2010\u2015" + "\t\u00a0+x#,;\u0663\uff10a"


@settings(max_examples=300, deadline=None)
@given(text=st.text(PLAIN_OR_NOT, max_size=18), region=st.sampled_from((None, *HINTS)))
def test_plain_digits_are_what_the_parser_reads_from_the_text(text, region):
    """Whatever text plain_digits accepts, the parser reads it exactly as the fast readers read its digits."""
    digits = plain_digits(text)
    if digits is None:
        return
    assert digits.isascii()
    assert digits.isdigit()
    assert len(digits) >= 3
    if text.startswith("+"):
        assert read_plus(digits, region) == _library_reading(text, region), text
    elif region is not None:
        assert read_national(digits, region) == _library_reading(text, region), text


def test_plain_digits_refuses_what_only_the_parser_knows():
    assert plain_digits("+33 (0)6 12-34.56/78") == "330612345678"
    assert plain_digits("06\u201312 34") == "061234"
    for text in ("06\t12 34 56 78", "\u0660\u0666 12 34 56 78", "06 12 34 56 78 x12", " +33612345678", "++33612",
                 "3+3612", "12", "06,12,34", "Tel: 0612345678", "(201)" + " " * 250 + "555-0123"):
        assert plain_digits(text) is None, text


# The normalizer and the check: fast paths against the library-only paths -----------------------------------


LABELS = ("", "", "", "Tel: ", "Tél. : ", "ĐT: ", "Mobil ", "'")
EXTENSIONS = ("", "", "", "", " ext. 12", " x123", " poste 4", ";ext=7", ".0")
COUNTRIES = ("", "FR", "France", "România", "Việt Nam", "US", "USA", "Deutschland", "España", "UK", "GB", "Italia",
             "Canada", "Jersey", "Congo", "Atlantis")


@st.composite
def messy_phone(draw) -> tuple[str, str]:
    """(cell, country cell) as customer lists have them: any format, labels, extensions, spreadsheet damage."""
    text, region = draw(written_nationally())
    text = draw(st.sampled_from((text, "+" + text, text.lstrip("0"), f"+{text[:2]} (0){text[2:]}")))
    cell = draw(st.sampled_from(LABELS)) + text + draw(st.sampled_from(EXTENSIONS))
    return cell, draw(st.sampled_from((region, *COUNTRIES)))


@pytest.mark.parametrize("phone_format", ["e164", "international", "national"])
def test_normalizer_answers_as_libphonenumber_alone_on_every_example(normalizer_for, monkeypatch, phone_format):
    normalizer = normalizer_for("phone", phone_format=phone_format)
    cells = []
    for region, example in EXAMPLES[:: 3 if phone_format == "e164" else 7]:
        for style in (pn.PhoneNumberFormat.E164, pn.PhoneNumberFormat.INTERNATIONAL, pn.PhoneNumberFormat.NATIONAL):
            cells.append((pn.format_number(example, style), "" if region == "001" else region))
    cells += [("612345678", "FR"), ("40721234567", "RO"), ("33612345678", "FR"), ("0033 6 12 34 56 78", "US")]
    fast = [normalizer.normalize(cell, hint) for cell, hint in cells]
    with monkeypatch.context() as patch:
        patch.setattr(phone, "plain_digits", lambda text: None)
        patch.setattr(phone, "fast_international", lambda digits: None)
        patch.setattr(phone, "fast_national", lambda digits, region: None)
        slow = [normalizer.normalize(cell, hint) for cell, hint in cells]
    assert fast == slow
    assert sum(outcome is None for outcome in fast) > 50
    assert sum(outcome is not None for outcome in fast) > 100


@settings(max_examples=150, deadline=None)
@given(case=messy_phone(), phone_format=st.sampled_from(("e164", "e164", "international", "national")),
       default_region=st.sampled_from((None, "RO")))
def test_normalizer_answers_as_libphonenumber_alone_on_messy_cells(case, phone_format, default_region):
    normalizer = _normalizer(phone_format, default_region)
    fast = normalizer.normalize(*case)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(phone, "plain_digits", lambda text: None)
        patch.setattr(phone, "fast_international", lambda digits: None)
        patch.setattr(phone, "fast_national", lambda digits, region: None)
        assert normalizer.normalize(*case) == fast, case


@cache
def _normalizer(phone_format: str, default_region: str | None) -> phone.PhoneNormalizer:
    config = Config().override(normalize={"phone_format": phone_format, "default_region": default_region})
    return phone.PhoneNormalizer.from_rules(RULES, config)


@cache
def _check(default_region: str | None, mobile: bool) -> PhoneCheck:
    config = Config().override(normalize={"default_region": default_region})
    return replace(PhoneCheck.from_specs({}, CheckContext(RULES, config)), mobile=mobile)


@settings(max_examples=200, deadline=None)
@given(case=messy_phone(), mobile=st.booleans(), default_region=st.sampled_from((None, "FR")))
def test_phone_check_answers_as_libphonenumber_alone(case, mobile, default_region):
    check = _check(default_region, mobile)
    cell, country = case
    region = check.regions.region(country)
    assert check.check(cell, country) == (check._check_library(cell.strip(), region) if cell.strip() else None), case


def test_phone_check_on_e164_examples_of_every_type():
    """What the validator mostly sees after normalizing: every example in E.164, fast and library alike."""
    check = _check(None, False)
    verdicts = set()
    for region, example in EXAMPLES:
        e164 = pn.format_number(example, pn.PhoneNumberFormat.E164)
        for hint in ("", region if region != "001" else "FR"):
            verdict = check.check(e164, hint)
            assert verdict == check._check_library(e164, check.regions.region(hint)), (e164, hint)
            verdicts.add(verdict)
    assert verdicts == {None, "phone.unusual_type"}


# Cells that have tripped phone code before: each must read exactly as libphonenumber alone reads it.
TRICKY = (
    "+33 06 12 34 56 78", "+33 (0)6 12 34 56 78", "+39 06 6982 0000", "+39 347 123 4567", "0039 06 69820000",
    "0033612345678", "00 40 721 234 567", "+0033612345678", "+00 33 6 12 34 56 78", "011 1 201 555 0123",
    "1-800-FLOWERS", "+1 800 FLOWERS", "0800 REPAIR", "06 12 34 56 78 ext. 12", "06 12 34 56 78 x123",
    "+1 201-555-0123;ext=7", "02 12 34 56 78 poste 4", "612345678.0", "'0612345678", "33612345678",
    "40721234567", "612345678", "721234567", "+84 90 123 45 67", "090 123 45 67", "+44 (0)20 7946 0958",
    "+44 7700 900123", "07700 900123", "+1 (201) 555-0123", "201.555.0123", "+49 30 123456", "030 123456",
    "\u0660\u0666 \u0661\u0662 \u0663\u0664 \u0665\u0666 \u0667\u0668",
    "\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
    "06\u201312\u201334\u201356\u201378", "+33612345678 ", " +33612345678", "++33612345678", "+8", "+80012345678",
    "+882 3456 7890", "Tel: +33 6 12 34 56 78", "ĐT: 090 123 45 67", "+7 701 123 4567", "8 701 123 4567",
    "+1 441 234 5678", "+262 692 12 34 56", "+599 9 123 4567", "+" + "1" * 249, "+" + "1" * 250,
)


@pytest.mark.parametrize("hint", ["", "France", "RO", "VN", "US", "Atlantis"])
@pytest.mark.parametrize("phone_format", ["e164", "international", "national"])
def test_tricky_cells_read_as_libphonenumber_alone(phone_format, hint):
    for default_region in (None, "FR"):
        normalizer = _normalizer(phone_format, default_region)
        fast = [normalizer.normalize(cell, hint) for cell in TRICKY]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(phone, "plain_digits", lambda text: None)
            patch.setattr(phone, "fast_international", lambda digits: None)
            patch.setattr(phone, "fast_national", lambda digits, region: None)
            slow = [normalizer.normalize(cell, hint) for cell in TRICKY]
        assert fast == slow
        assert sum(isinstance(outcome, Fix) for outcome in fast) > 10


@pytest.mark.parametrize("mobile", [False, True])
def test_tricky_cells_checked_as_libphonenumber_alone(mobile):
    verdicts = set()
    for default_region in (None, "FR"):
        check = _check(default_region, mobile)
        for hint in ("", "FR", "España", "RO", "US", "Atlantis"):
            region = check.regions.region(hint)
            for cell in TRICKY:
                verdict = check.check(cell, hint)
                assert verdict == check._check_library(cell.strip(), region), (cell, hint)
                verdicts.add(verdict)
    assert {None, "phone.invalid"} <= verdicts


@settings(max_examples=120, deadline=None)
@given(digits=st.one_of(near_international(), st.text("0123456789", max_size=20),
                        st.text("0123456789", min_size=245, max_size=252)),
       country=st.sampled_from(("", "FR", "Deutschland", "Atlantis")), mobile=st.booleans())
def test_e164_shortcut_of_the_check_agrees_with_the_library(digits, country, mobile):
    """"+" and ASCII digits skip plain_digits in PhoneCheck: same verdict at any length, in any row."""
    check = _check(None, mobile)
    cell = "+" + digits
    assert check.check(cell, country) == check._check_library(cell, check.regions.region(country)), cell


def test_blank_and_named_countries_keep_their_own_region_per_normalizer():
    """region_of keeps its answers per normalizer: a blank country is the default region of that one only."""
    with_default, without = _normalizer("e164", "RO"), _normalizer("e164", None)
    for _ in range(2):      # the second time from the kept answers
        assert with_default.region_of("") == with_default.region_of("  ") == "RO"
        assert without.region_of("") is None
        assert with_default.region_of("Việt Nam") == without.region_of("Việt Nam") == "VN"
        assert without.region_of("Atlantis") is None
    assert with_default.normalize("0721 234 567", " ") == Fix("+40721234567", "phone.e164")
    assert without.normalize("0721 234 567", " ") == Unclear("phone.no_region")


@pytest.mark.parametrize(
    ("cell", "country", "expected"),
    [
        ("+33 06 12 34 56 78", "FR", Fix("+33612345678", "phone.e164")),          # +CC with the trunk 0 kept
        ("0033612345678", "US", Fix("+33612345678", "phone.e164")),               # 00 where the US dials 011
        ("00 40 721 234 567", "", Fix("+40721234567", "phone.e164")),
        ("40721234567", "RO", Fix("+40721234567", "phone.repaired")),             # lost "+"
        ("612345678", "FR", Fix("+33612345678", "phone.repaired")),               # lost trunk 0
        ("612345678.0", "FR", Fix("+33612345678", "phone.repaired")),
        ("06 12 34 56 78 ext. 12", "FR", Fix("+33612345678 ext. 12", "phone.e164")),
        ("+39 06 6982 0000", "IT", Fix("+390669820000", "phone.e164")),           # Italian leading zero
        ("\u0660\u0666 \u0661\u0662 \u0663\u0664 \u0665\u0666 \u0667\u0668", "FR", Fix("+33612345678", "phone.e164")),
        ("8 701 123 4567", "KZ", Fix("+77011234567", "phone.e164")),
        ("090 123 45 67", "Việt Nam", Fix("+84901234567", "phone.e164")),
        ("1-800-FLOWERS", "US", Unclear("phone.invalid")),                        # vanity: left to people
        ("+33612345678", "FR", None),
    ],
)
def test_tricky_cells_get_the_known_answer(cell, country, expected):
    assert _normalizer("e164", None).normalize(cell, country) == expected
