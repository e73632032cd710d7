"""Regions: US/CA codes, one spelling with diacritics elsewhere, always read against the row's country."""

from __future__ import annotations

import pytest

from custclean.config import Config
from custclean.normalize.region import RegionNormalizer, country_code


@pytest.mark.cases("region")
def test_region_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("region"), case)


@pytest.mark.parametrize(("hint", "code"), [("FR", "FR"), ("fr", "FR"), ("FRA", "FR"), ("France", "FR"),
                                            ("", ""), ("Atlantis", "")])
def test_country_code_reads_codes_and_names(hint, code):
    assert country_code(hint) == code


def test_every_romanian_county_without_diacritics_gets_them(normalizer_for):
    import pycountry

    from custclean.text import strip_accents

    normalizer = normalizer_for("region")
    for sub in pycountry.subdivisions.get(country_code="RO"):
        bare = strip_accents(sub.name)
        outcome = normalizer.normalize(bare, "RO")
        assert (outcome is None and bare == sub.name) or outcome.value == sub.name, (bare, outcome)


def test_default_region_stands_in_for_a_missing_country(rules):
    normalizer = RegionNormalizer.from_rules(rules, Config().override(normalize={"default_region": "US"}))
    assert normalizer.normalize("Calif.", "").value == "CA"
    assert normalizer_without_default(rules).normalize("Calif.", "") is None


def normalizer_without_default(rules):
    return RegionNormalizer.from_rules(rules, Config())
