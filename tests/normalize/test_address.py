"""Street lines: street types and units per country, where they are types; street_key for the matcher."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.errors import ConfigError
from custclean.normalize.address import PLAIN, Vocabulary, street_key
from custclean.normalize.base import Fix


@pytest.mark.cases("address")
def test_address_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("address"), case)


@pytest.mark.parametrize(
    ("value", "hint", "expanded"),
    [
        ("123 Main St Apt 4B", "US", "123 Main Street Apartment 4B"),
        ("123 St Mary St", "US", "123 St Mary Street"),
        ("12 bd Haussmann", "FR", "12 boulevard Haussmann"),
        ("Str. Lipscani nr. 5", "RO", "Strada Lipscani numărul 5"),
        ("Hauptstr. 5", "DE", "Hauptstraße 5"),
        ("C/ Mayor, 5", "ES", "Calle Mayor, 5"),
        ("123 Đ. Lê Lợi, P. Bến Nghé, Q. 1", "VN", "123 Đường Lê Lợi, Phường Bến Nghé, Quận 1"),
    ],
)
def test_expand_style(value, hint, expanded, normalizer_for):
    assert normalizer_for("address", address_style="expand").normalize(value, hint).value == expanded


@pytest.mark.parametrize(
    ("a", "b", "country", "number"),
    [
        ("12 BD HAUSSMANN", "12 boulevard Haussmann", "FR", "12"),
        ("123 Main Street Apt 4", "123 MAIN ST APARTMENT 4", "US", "123"),
        ("Hauptstr. 5", "Hauptstrasse 5", "DE", "5"),
        ("Str. Mihai Eminescu nr. 5", "Strada Mihai Eminescu 5", "RO", "5"),
        ("C/Mayor, 5", "Calle Mayor 5", "ES", "5"),
        ("Flat 3, 12 High St", "Flat 3, 12 High Street", "GB", "12"),
    ],
)
def test_street_key_matches_spellings_of_one_street(a, b, country, number):
    assert street_key(a, country) == street_key(b, country)
    assert street_key(a, country)[0] == number


def test_street_key_without_a_country_still_folds():
    assert street_key("12 Rue de l'Église", "") == ("12", "rue de l eglise")
    assert street_key("", "FR") == ("", "")


def test_a_word_that_is_both_a_type_and_a_unit_is_refused():
    data = {"street_types": {"street": {"short": "st"}}, "units": {"suite": {"short": "st"}}}
    with pytest.raises(ConfigError):
        Vocabulary.from_data(data, "address/xx.toml")


# The normalizer tidies each street once per digit template ("12 Main St" and "47 Main St" share one);
# these check that the answer is the one tidy_street gives the value itself.
_STREET_WORDS = ["Main", "Street", "STREET", "st", "Apt", "apartment", "Suite", "#", "N", "North", "rue", "BD",
                 "boulevard", "de", "l'Église", "Str.", "strada", "nr.", "bl.", "ap.", "Hauptstr.", "Straße",
                 "C/", "Calle", "Avenida", "Via", "P.za", "Đường", "Lê", "Lợi", "P.", "Q.", "bis", "ter", "1st",
                 "2ND", "3e", "17.", "Juni", "ş", "ţ", "Ave", "Rd", "flat", "nr.5", "C/Mayor", "Str.Mihai",
                 "Haupt1str", "12astr", "12astrasse", "4B", "12-14", "1/2", "0", "007", "١٢", "²"]
_STREETS = st.lists(
    st.one_of(st.sampled_from(_STREET_WORDS), st.from_regex(r"[0-9]{1,5}[a-zA-Z]?", fullmatch=True),
              st.text(alphabet="0123456789aA.,/-' şÉ", min_size=1, max_size=6)),
    min_size=1, max_size=7,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(street=_STREETS, country=st.sampled_from(["US", "GB", "FR", "DE", "ES", "IT", "RO", "VN", "", "BR"]),
       shout=st.booleans())
def test_templated_answer_is_the_plain_answer(street, country, shout, normalizer_for):
    normalizer = normalizer_for("address")
    value = street.upper() if shout else street
    vocab = normalizer.vocabularies.get(country, PLAIN)
    expected = normalizer._tidied(value, vocab) if value.strip() else None
    assert normalizer.normalize(value, country) == expected


def test_streets_sharing_a_template_keep_their_own_digits(normalizer_for):
    normalizer = normalizer_for("address")
    assert normalizer.normalize("12 Main Street Apartment 4", "US") == Fix("12 Main St Apt 4", "address.street_type")
    assert normalizer.normalize("47 Main Street Apartment 9", "US") == Fix("47 Main St Apt 9", "address.street_type")
    assert normalizer.normalize("Str.Mihai Eminescu nr.57", "RO").value == "Str. Mihai Eminescu nr. 57"
    assert normalizer.normalize("Str.Mihai Eminescu nr.31", "RO").value == "Str. Mihai Eminescu nr. 31"
    assert normalizer.normalize("12 Main St", "US") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12astrasse 5", "12astr. 5"), ("1astrasse 5", None), ("Am 12astrasse", "Am 12astr."), ("7ustr 12", None)],
)
def test_a_template_keeps_the_length_of_each_number(value, expected, normalizer_for):
    """A glued German type needs three characters before it: "12a" has them, "1a" has not."""
    outcome = normalizer_for("address").normalize(value, "DE")
    assert (outcome.value if outcome else None) == expected


def test_a_vocabulary_with_a_digit_in_a_word_is_tidied_value_by_value():
    plain = Vocabulary.from_data({"street_types": {"street": {"short": "st"}}}, "address/xx.toml")
    numbered = Vocabulary.from_data({"street_types": {"route 66": {"short": "rt66"}}}, "address/xx.toml")
    assert plain.templated
    assert not numbered.templated
