"""The country normalizer: ISO codes, CLDR names in every language, aliases, typos, ambiguity, output forms."""

from __future__ import annotations

import pytest

from custclean.config import Config
from custclean.errors import ConfigError
from custclean.normalize import country as country_module
from custclean.normalize.base import Fix, Unclear
from custclean.normalize.country import CountryNormalizer, country_names


@pytest.mark.cases("country")
def test_country_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("country"), case)


@pytest.mark.parametrize(
    ("country_format", "value", "expected"),
    [
        ("alpha3", "France", "FRA"),
        ("alpha3", "Hoa Kỳ", "USA"),
        ("alpha3", "FR", "FRA"),
        ("name", "Allemagne", "Germany"),
        ("name", "UK", "United Kingdom"),
        ("name:fr", "Germany", "Allemagne"),
        ("name:ro", "USA", "Statele Unite ale Americii"),
        ("name:vi", "Deutschland", "Đức"),
        ("name:de", "ESP", "Spanien"),
    ],
)
def test_output_formats(normalizer_for, country_format, value, expected):
    outcome = normalizer_for("country", country_format=country_format).normalize(value)
    assert isinstance(outcome, Fix)
    assert outcome.value == expected


@pytest.mark.parametrize("country_format", ["alpha2", "alpha3", "name", "name:fr", "name:vi", "name:ro", "name:de"])
def test_every_rendered_country_is_already_normal(normalizer_for, country_format):
    normalizer = normalizer_for("country", country_format=country_format)
    not_normal = {code: text for code, text in normalizer.rendered.items() if normalizer.normalize(text) is not None}
    assert not_normal == {}


def test_rendered_names_map_back_to_their_country(normalizer_for):
    """A name written by format "name" is recognised as the same country once the format changes."""
    alpha2 = normalizer_for("country")
    by_name = normalizer_for("country", country_format="name:fr").rendered
    wrong = {}
    for code, text in by_name.items():
        outcome = alpha2.normalize(text)
        if not (isinstance(outcome, Unclear) and outcome.code == "country.ambiguous") and (
            outcome is None or outcome.value != code
        ):
            wrong[code] = (text, outcome)
    assert wrong == {}


@pytest.mark.parametrize("bad", ["alpha4", "name:zz-not-a-language", "iso"])
def test_bad_country_format_is_a_config_error(rules, bad):
    with pytest.raises(ConfigError, match="country_format"):
        CountryNormalizer.from_rules(rules, Config().override(normalize={"country_format": bad}))


def test_names_that_fold_to_two_countries_across_languages_are_ambiguous(rules):
    """"Kongo" (CD in some languages, CG in others) is not in countries.toml: CLDR itself says it is ambiguous."""
    table = country_names(rules)
    assert "kongo" not in {n.casefold() for n in rules.data("countries")["ambiguous"]["names"]}
    assert "kongo" in table.ambiguous
    assert "kongo" not in table.exact
    assert country_module.cldr_names()["kongo"] == ["CD", "CG"]


def test_a_typo_close_to_two_countries_is_not_guessed(rules):
    table = country_names(rules)
    assert table.lookup("Irak")[0] == "IQ"          # French and German spelling, not a typo
    assert table.lookup("Iram") == (None, "country.unknown")     # one letter from Iran and from Iraq
    assert table.lookup("Gerogia") == (None, "country.unknown")  # close to an ambiguous name


def test_alpha2_helper_for_other_normalizers(rules):
    table = country_names(rules)
    assert [table.alpha2(v) for v in ("France", "ro", "VNM", "Vương quốc Anh", "Congo", "")] == [
        "FR", "RO", "VN", "GB", None, None,
    ]


def test_user_rules_extend_aliases(tmp_path, normalizer_for):
    (tmp_path / "countries.toml").write_text('[aliases]\nFR = ["Hexagone"]\n', encoding="utf-8")
    normalizer = CountryNormalizer.from_rules(country_module.RuleSet.load(tmp_path), Config())
    assert normalizer_for("country").normalize("Hexagone") == Unclear("country.unknown")
    assert normalizer.normalize("Hexagone") == Fix("FR", "country.alias")
    assert normalizer.normalize("Allemagne") == Fix("DE", "country.alias")


def test_user_alias_for_an_unknown_code_is_refused(tmp_path):
    (tmp_path / "countries.toml").write_text('[aliases]\nZQ = ["Zanzibarre"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="ZQ"):
        CountryNormalizer.from_rules(country_module.RuleSet.load(tmp_path), Config())


def test_cldr_table_is_cached_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("CUSTCLEAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(country_module, "_build_cldr_names", lambda: {"frantsa": ["FR"]})
    country_module.cldr_names.cache_clear()
    try:
        assert country_module.cldr_names() == {"frantsa": ["FR"]}
        assert len(list(tmp_path.glob("cldr-countries-*.json"))) == 1

        def must_not_build():
            raise AssertionError("the table should come from the cache file")

        monkeypatch.setattr(country_module, "_build_cldr_names", must_not_build)
        country_module.cldr_names.cache_clear()
        assert country_module.cldr_names() == {"frantsa": ["FR"]}
    finally:
        country_module.cldr_names.cache_clear()
        country_module._names_from.cache_clear()
