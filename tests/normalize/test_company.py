"""Company names: legal forms in one spelling, shouting re-cased, and the matcher's company_key."""

from __future__ import annotations

import pytest

from custclean.errors import ConfigError
from custclean.normalize.company import LegalForms, company_key


@pytest.mark.cases("company")
def test_company_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("company"), case)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ACME INCORPORATED", "Acme, Inc."),
        ("Dupont S.A.R.L.", "SARL DUPONT"),
        ("Cty TNHH Ánh Dương", "CÔNG TY TNHH ANH DUONG"),
        ("SC Firma Mea SRL", "firma mea s.r.l."),
        ("Müller GmbH & Co. KG", "Muller GmbH"),
    ],
)
def test_company_key_ignores_legal_form_case_and_accents(a, b):
    assert company_key(a) == company_key(b)


def test_company_key_keeps_the_name_itself():
    assert company_key("Acme Inc") != company_key("Acme Holdings Inc")
    assert company_key("SARL") == "sarl"      # a bare legal form is not removed: nothing would be left
    assert company_key("Smith & Co") == "smith"


def test_conflicting_legal_form_aliases_are_refused():
    data = {"forms": {"SA": {"aliases": ["S.A."]}, "SAS": {"aliases": ["S.A"]}}}
    with pytest.raises(ConfigError):
        LegalForms.from_data(data)
