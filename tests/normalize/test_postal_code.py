"""Postal codes: lost zeros, spacing and case per country, and the schema the validator reads."""

from __future__ import annotations

import re

import pytest

from custclean.normalize.postal_code import PostalCodeNormalizer, postal_rules


@pytest.mark.cases("postal_code")
def test_postal_code_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("postal_code"), case)


def test_schema_covers_forty_countries_and_every_format_renders_a_valid_code(rules):
    data = rules.data("postal_codes")
    assert len(data) >= 40
    for country, spec in data.items():
        assert set(spec) <= {"pattern", "width", "pad", "format", "prefixes"}, country
        assert isinstance(spec["pattern"], str)
        re.compile(spec["pattern"])
    for country, rule in postal_rules(rules).items():
        for layout in rule.layouts:
            sample = "".join("1" if c in "#?" else "A" if c == "@" else c for c in layout.template)
            rendered = layout.render(sample)
            assert layout.fits(sample), (country, layout.format)
            assert rendered.count(" ") == layout.format.count(" "), (country, rendered)


def test_default_region_is_used_when_the_row_has_no_country(rules):
    from custclean.config import Config

    normalizer = PostalCodeNormalizer.from_rules(rules, Config().override(normalize={"default_region": "FR"}))
    assert normalizer.normalize("6000", "").value == "06000"
    assert normalizer.normalize("6000", "US").value == "06000"


def test_step_pads_codes_per_row_country(table_from, normalizer_for):
    from custclean.normalize.base import NormalizerStep
    from custclean.pipeline import run_steps

    table = table_from([
        {"postal_code": "2134", "country": "US"},
        {"postal_code": "2134", "country": "AT"},
        {"postal_code": "sw1a1aa", "country": "GB"},
    ])
    run = run_steps(table, [NormalizerStep(normalizer_for("postal_code"))])
    assert list(run.table.frame["postal_code"]) == ["02134", "2134", "SW1A 1AA"]
