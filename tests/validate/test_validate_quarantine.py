"""Quarantine and the follow-up list: every row ends up in exactly one place, with its reasons."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custclean.config import Config
from custclean.findings import findings_frame
from custclean.validate import run_validation
from custclean.validate.quarantine import ISSUES_COLUMN
from tests.conftest import make_table

EMAILS = ["jean@orange.fr", "ștefan@exemplu.ro", "", "pas-un-email", "an@gmail", "a@b.fr; c@d.fr"]
PHONES = ["06 12 34 56 78", "0722 123 456", "", "06 12", "+84 912 345 678"]
COUNTRIES = ["FR", "Roumanie", "", "Việt Nam", "Atlantis"]
NAMES = ["Jean", "", "Nguyễn"]
IDS = ["C1", "C2", "C3", ""]

row = st.fixed_dictionaries({
    "id": st.sampled_from(IDS), "first_name": st.sampled_from(NAMES), "email": st.sampled_from(EMAILS),
    "phone": st.sampled_from(PHONES), "country": st.sampled_from(COUNTRIES),
})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(row, min_size=1, max_size=25))
def test_output_and_quarantine_hold_every_row_exactly_once(rules, rows):
    table = make_table(rows)
    result = run_validation(table, Config(), rules, quarantine=True)
    kept, held = result.table.frame, result.quarantine.frame
    assert sorted([*kept.index, *held.index]) == list(table.frame.index)
    errors = set(result.findings.loc[result.findings["severity"] == "error", "row"].dropna())
    assert set(held.index) == errors
    assert kept.equals(table.frame.loc[kept.index])                              # kept rows untouched
    assert held.drop(columns=ISSUES_COLUMN).equals(table.frame.loc[held.index])  # held rows too, plus issues
    assert (held[ISSUES_COLUMN] != "").all()


def test_quarantined_rows_say_why(rules):
    table = make_table([
        {"first_name": "Jean", "email": "jean@orange.fr", "phone": "06 12", "country": "FR"},
        {"first_name": "", "email": "", "phone": "", "country": "FR"},
        {"first_name": "Ana", "email": "ana@yahoo.ro", "phone": "", "country": "RO"},
    ])
    result = run_validation(table, Config(), rules, quarantine=True)
    assert list(result.table.frame.index) == [3]
    assert result.quarantine.frame[ISSUES_COLUMN].to_dict() == {
        1: "phone.invalid (phone)",
        2: "required.name (first_name); required.contact (email / phone)",
    }


def test_without_quarantine_every_row_is_kept(rules):
    table = make_table([{"first_name": "", "email": "", "phone": ""}])
    result = run_validation(table, Config(), rules)
    assert result.quarantine is None
    assert len(result.table) == 1


def test_follow_up_list_names_what_is_missing(rules):
    table = make_table([
        {"first_name": "Jean", "email": "jean@orange.fr", "street": "1 rue de la Paix", "city": "Lyon",
         "postal_code": "69001", "country": "FR"},
        {"first_name": "Ana", "email": "", "street": "Calea Victoriei 91", "city": "București",
         "postal_code": "010063", "country": "RO"},
        {"first_name": "An", "email": "an@gmail.com", "street": "", "city": "Hà Nội", "postal_code": "",
         "country": "VN"},
    ])
    result = run_validation(table, Config(), rules, incomplete=True)
    frame = result.incomplete
    assert frame["row"].tolist() == [2, 3]
    assert frame["missing"].tolist() == ["email", "street, postal_code"]
    assert frame["first_name"].tolist() == ["Ana", "An"]


def test_follow_up_wants_are_configurable(rules):
    table = make_table([{"first_name": "Ana", "phone": "", "Newsletter": "oui"}, {"first_name": "Bo", "phone": "1"}],
                       {"first_name": "first_name", "phone": "phone"})
    config = Config().override(validate={"want": ["phone", "Newsletter"]})
    result = run_validation(table, config, rules, incomplete=True)
    assert result.incomplete["missing"].tolist() == ["phone", "Newsletter"]


def test_a_finding_an_earlier_step_made_is_restated_once_with_the_rules_severity(rules):
    table = make_table([{"first_name": "Ana", "email": "a@b.fr", "country": "Atlantis", "phone": "06 12 34 56 78"}])
    earlier = pd.concat([
        findings_frame([1.0], "country", "Atlantis", "warning", "country.unknown", "not recognised"),
        findings_frame([1], "phone", "06 12 34 56 78", "warning", "phone.no_region", "no region"),
        findings_frame([1], "email", "a@b.fr", "info", "email.typo_domain", "kept"),
    ], ignore_index=True)
    result = run_validation(table, Config(), rules, earlier=earlier)
    listed = list(zip(result.findings["code"], result.findings["severity"], strict=True))
    assert listed == [("email.typo_domain", "info"), ("phone.no_region", "info"), ("country.unknown", "warning")]


def test_errors_found_earlier_also_send_a_row_to_quarantine(rules):
    table = make_table([{"first_name": "Ana", "email": "a@b.fr"}, {"first_name": "Bo", "email": "b@c.fr"}])
    earlier = findings_frame([2], "email", "b@c.fr", "error", "email.blocked", "blocked domain")
    result = run_validation(table, Config(), rules, quarantine=True, earlier=earlier)
    assert list(result.quarantine.frame.index) == [2]
    assert result.quarantine.frame[ISSUES_COLUMN].tolist() == ["email.blocked (email)"]
