"""Street lines: street types and units per country, where they are types; street_key for the matcher."""

from __future__ import annotations

import pytest

from custclean.errors import ConfigError
from custclean.normalize.address import Vocabulary, street_key


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
