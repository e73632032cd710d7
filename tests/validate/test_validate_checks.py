"""Each built-in check on valid and invalid values from FR, RO, VN, US, DE, GB and ES lists.

Every table below is run as one list (one row per case), so a failure names all the cases that disagree.
"""

from __future__ import annotations

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.config import Config
from tests.validate.conftest import found

# (value, row's country as written, expected code or None)
PHONES = [
    ("06 12 34 56 78", "FR", None),
    ("+33 6 12 34 56 78", "", None),
    ("01 42 68 53 00", "France", None),
    ("06 12 34", "FR", "phone.invalid"),
    ("0722 123 456", "RO", None),
    ("0722 123 456", "Roumanie", None),
    ("+40 722 123 456", "", None),
    ("0722 12", "România", "phone.invalid"),
    ("0912 345 678", "VN", None),
    ("024 3825 3536", "Việt Nam", None),
    ("0912 345", "VN", "phone.invalid"),
    ("(212) 555-0123", "US", None),
    ("202-555-0143", "Hoa Kỳ", None),
    ("555-0143", "USA", "phone.invalid"),
    ("030 1234567", "DE", None),
    ("0151 23456789", "Deutschland", None),
    ("0151 234", "Allemagne", "phone.invalid"),
    ("020 7946 0958", "GB", None),
    ("07700 900123", "Royaume-Uni", "phone.invalid"),
    ("612 34 56 78", "ES", None),
    ("91 123 45 67", "España", None),
    ("12 34", "ES", "phone.invalid"),
    ("n/a", "FR", "phone.invalid"),
    ("0800 123 456", "FR", "phone.unusual_type"),
    ("06 12 34 56 78", "", "phone.no_region"),
    ("06 12 34 56 78", "Atlantis", "phone.no_region"),
]

POSTAL_CODES = [
    ("75001", "FR", None),
    ("06000", "France", None),
    ("7501", "FR", "postal_code.bad_format"),
    ("75 001", "FR", "postal_code.bad_format"),
    ("010011", "RO", None),
    ("01001", "Romania", "postal_code.bad_format"),
    ("700000", "VN", None),
    ("7000000", "Vietnam", "postal_code.bad_format"),
    ("02134", "US", None),
    ("02134-1234", "États-Unis", None),
    ("2134", "US", "postal_code.bad_format"),
    ("10115", "DE", None),
    ("1011", "Deutschland", "postal_code.bad_format"),
    ("SW1A 1AA", "GB", None),
    ("sw1a 1aa", "UK", None),
    ("SW1A-1AA", "GB", "postal_code.bad_format"),
    ("28013", "ES", None),
    ("53000", "Espagne", "postal_code.bad_format"),
    ("ABC", "Atlantis", None),           # no known country: nothing to check against
    ("ABC", "", None),
]

COUNTRIES = [
    ("FR", None), ("France", None), ("Roumanie", None), ("România", None), ("Việt Nam", None),
    ("Vietnam", None), ("USA", None), ("États-Unis", None), ("Allemagne", None), ("Deutschland", None),
    ("Royaume-Uni", None), ("UK", None), ("España", None), ("ESP", None),
    ("Atlantis", "country.unknown"), ("Narnia", "country.unknown"), ("Congo", "country.ambiguous"),
]

EMAILS = [
    ("jean.dupont@orange.fr", None),
    ("Jean.Dupont@Orange.FR", None),
    ("stefan.popescu@yahoo.ro", None),
    ("ștefan@exemplu.ro", None),               # internationalised local part (SMTPUTF8)
    ("nguyen.van.a@gmail.com", None),
    ("müller@beispiel.de", None),
    ("o'brien@example.co.uk", None),
    ("josé.garcía@correo.es", None),
    ("mike+shop@example.com", None),
    ("jean.dupont@", "email.invalid"),
    ("jean dupont@orange.fr", "email.invalid"),
    ("jean..dupont@orange.fr", "email.invalid"),
    ("nguyen@gmail", "email.invalid"),
    ("mailto:jean@orange.fr", "email.invalid"),
    ("Jean Dupont <jean@orange.fr>", "email.invalid"),
    ("jean@localhost", "email.invalid"),
    ("a@b.fr; c@d.ro", "email.multiple"),
    ("a@b.fr, c@d.ro", "email.multiple"),
]

BIRTH_DATES = [   # today is 2024-06-15 in these tests
    ("1985-03-12", None),
    ("12/03/1985", None),
    ("12.03.1985", None),
    ("12 mars 1985", None),
    ("12 martie 1985", None),
    ("ngày 12 tháng 3 năm 1985", None),
    ("3. März 1990", None),
    ("12 de marzo de 1985", None),
    ("March 12, 1985", None),
    ("31050", None),                        # an Excel serial day number (1984-12-31)
    ("03/04/1985", None),                   # ambiguous order, still a plausible date
    ("2090-01-01", "birth_date.future"),
    ("2024-06-16", "birth_date.future"),
    ("1850-01-01", "birth_date.too_old"),
    ("1903-06-15", "birth_date.too_old"),   # 121 today
    ("1903-06-16", None),                   # 120, 121 tomorrow
    ("31/02/1985", "date.invalid"),
    ("32/13/1985", "date.invalid"),
    ("hier", "date.invalid"),
    ("1985", "date.invalid"),               # a year alone is not a birth date
]


def _disagreements(result, column: str, cases: list[tuple]) -> list[str]:
    problems = []
    for row, case in enumerate(cases, start=1):
        mine = (result.findings["row"] == row) & (result.findings["column"] == column)
        codes = set(result.findings.loc[mine, "code"])
        expected = {case[-1]} if case[-1] else set()
        if codes != expected:
            problems.append(f"{case[:-1]!r}: expected {expected or 'no finding'}, got {codes or 'no finding'}")
    return problems


def test_phones_are_checked_for_the_rows_country(validate):
    result = validate([{"phone": v, "country": c} for v, c, _ in PHONES])
    assert _disagreements(result, "phone", PHONES) == []


def test_default_region_checks_national_phones_on_rows_without_country(validate):
    config = Config().override(normalize={"default_region": "FR"})
    result = validate([{"phone": "06 12 34 56 78", "country": ""}, {"phone": "06 12", "country": ""}], config=config)
    assert found(result) == [(2, "phone.invalid")]


def test_a_fixed_line_in_a_mobile_column_is_reported(validate):
    rows = [{"Mobile": "01 42 68 53 00", "Téléphone fixe": "01 42 68 53 00", "Di động": "+84 24 3825 3536",
             "Handy": "+49 151 23456789", "country": "FR"}]
    roles = {"Mobile": "phone", "Téléphone fixe": "phone", "Di động": "phone", "Handy": "phone", "country": "country"}
    result = validate(rows, roles=roles)
    assert found(result) == [(1, "phone.not_mobile"), (1, "phone.not_mobile")]
    assert sorted(result.findings.loc[result.findings["code"] == "phone.not_mobile", "column"]) == ["Di động", "Mobile"]


def test_postal_codes_follow_their_countrys_pattern(validate):
    result = validate([{"postal_code": v, "country": c} for v, c, _ in POSTAL_CODES])
    assert _disagreements(result, "postal_code", POSTAL_CODES) == []


def test_countries_in_any_language_are_known(validate):
    result = validate([{"country": v} for v, _ in COUNTRIES])
    assert _disagreements(result, "country", COUNTRIES) == []


def test_email_syntax(validate):
    result = validate([{"email": v} for v, _ in EMAILS])
    assert _disagreements(result, "email", EMAILS) == []


def test_birth_dates_must_be_plausible(validate):
    result = validate([{"birth_date": v} for v, _ in BIRTH_DATES])
    assert _disagreements(result, "birth_date", BIRTH_DATES) == []


def test_max_age_comes_from_the_rules(validate, tmp_path):
    rules_file = tmp_path / "ours.toml"
    rules_file.write_text('[[rule]]\ncode = "birth_date.too_old"\nmax_age = 100\n', encoding="utf-8")
    config = Config().override(validate={"rules": [str(rules_file)]})
    result = validate([{"birth_date": "1920-01-01"}, {"birth_date": "1930-01-01"}], config=config)
    assert found(result) == [(1, "birth_date.too_old")]


def test_other_dates_only_need_to_be_readable(validate):
    values = ["2023-05-01 14:32", "1/25/2019", "25/1/2019", "44426", "2090-01-01", "32/13/2020", "bientôt"]
    result = validate([{"date": v} for v in values])
    assert found(result) == [(6, "date.invalid"), (7, "date.invalid")]


def test_a_date_in_the_other_order_than_its_column_is_still_a_date(validate):
    rows = [{"birth_date": "13/02/1990"}, {"birth_date": "25/12/1985"}, {"birth_date": "02/13/1990"}]
    assert found(validate(rows)) == []


@settings(max_examples=200, deadline=None)
@given(digits=st.text("0123456789", min_size=4, max_size=14), plus=st.booleans(),
       region=st.sampled_from(["FR", "RO", "VN", "US", "DE", "GB", "ES", None]))
def test_number_type_unknown_means_invalid(digits, plus, region):
    """PhoneCheck relies on this to skip is_valid_number (half the cost per number)."""
    try:
        number = phonenumbers.parse(("+" if plus else "") + digits, region)
    except phonenumbers.NumberParseException:
        return
    unknown = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.UNKNOWN
    assert unknown == (not phonenumbers.is_valid_number(number))


def test_duplicate_ids_flag_every_occurrence(validate):
    rows = [{"id": "C1"}, {"id": "C2"}, {"id": "C1"}, {"id": ""}, {"id": ""}, {"id": "C1 "}]
    result = validate(rows)
    assert found(result, "id.duplicate") == [(1, "id.duplicate"), (3, "id.duplicate"), (6, "id.duplicate")]


def test_required_name_and_contact(validate):
    rows = [
        {"first_name": "Ștefan", "last_name": "", "full_name": "", "email": "", "phone": "0722 123 456",
         "country": "RO"},
        {"first_name": "", "last_name": "", "full_name": "Nguyễn Văn An", "email": "an@gmail.com", "phone": "",
         "country": "VN"},
        {"first_name": "", "last_name": "", "full_name": "", "email": "x@y.de", "phone": "", "country": "DE"},
        {"first_name": "María", "last_name": "García", "full_name": "", "email": "  ", "phone": "", "country": "ES"},
    ]
    result = validate(rows)
    assert found(result) == [(3, "required.name"), (4, "required.contact")]
    contact = result.findings[result.findings["code"] == "required.contact"].iloc[0]
    assert (contact["column"], contact["severity"]) == ("email / phone", "error")


def test_a_list_without_name_columns_gets_one_finding_not_one_per_row(validate):
    result = validate([{"email": "a@b.fr"}, {"email": "c@d.fr"}])
    names = result.findings[result.findings["code"] == "required.name"]
    assert len(names) == 1
    assert names["row"].isna().all()
    assert "the list has none of these columns" in names["message"].iloc[0]


def test_severities_and_messages_come_from_validation_toml(validate):
    result = validate([{"email": "nope", "phone": "06 12 34 56 78", "first_name": "Jean"}])
    rows = result.findings.set_index("code")
    assert rows.loc["email.invalid", "severity"] == "error"
    assert rows.loc["email.invalid", "message"] == "not a valid email address"
    assert rows.loc["phone.no_region", "severity"] == "info"


def test_each_distinct_value_is_checked_once(validate, monkeypatch):
    from custclean.validate import emails

    calls: list[str] = []
    original = emails.email_domain
    monkeypatch.setattr(emails, "email_domain", lambda text: calls.append(text) or original(text))
    # Spaces around them keep these off the plain-address fast path, so check() reads them.
    rows = [{"email": "jean@orange.fr "}] * 50 + [{"email": " ana@yahoo.ro"}] * 50
    validate(rows)
    assert sorted(calls) == ["ana@yahoo.ro", "jean@orange.fr"]
