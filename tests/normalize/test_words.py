"""Gender and yes/no words in FR/RO/VN/EN/DE/ES to M/F/X and yes/no; the vocabulary is checked for conflicts."""

from __future__ import annotations

import pytest

from custclean.errors import ConfigError
from custclean.normalize.base import Fix
from custclean.normalize.words import GenderNormalizer, WordTable, YesNoNormalizer
from custclean.ruleset import RuleSet


@pytest.mark.cases("gender")
def test_gender_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("gender"), case)


@pytest.mark.cases("yesno")
def test_yesno_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("yesno"), case)


def test_every_word_of_the_shipped_table_leads_to_its_canonical_value(rules):
    for table_name, normalizer_class in (("gender", GenderNormalizer), ("yes_no", YesNoNormalizer)):
        spec = rules.data("words")[table_name]
        normalizer = normalizer_class(WordTable.from_rules(rules, table_name))
        for canonical, languages in spec.items():
            for word in (w for words in languages.values() for w in words):
                outcome = normalizer.normalize(word)
                assert outcome is None if word == canonical else outcome == Fix(canonical, outcome.rule), word


def test_a_word_under_two_values_is_refused(tmp_path):
    (tmp_path / "words.toml").write_text('[gender.M]\nfr = ["Féminin"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="minin"):
        WordTable.from_rules(RuleSet.load(tmp_path), "gender")


def test_a_symbol_under_two_values_is_refused(tmp_path):
    (tmp_path / "words.toml").write_text('[yes_no.no]\nen = ["✓"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="✓"):
        WordTable.from_rules(RuleSet.load(tmp_path), "yes_no")


def test_user_words_extend_the_table(tmp_path):
    (tmp_path / "words.toml").write_text('[yes_no.yes]\nit = ["sì", "vero"]\n', encoding="utf-8")
    table = WordTable.from_rules(RuleSet.load(tmp_path), "yes_no")
    assert (table.lookup("Vero"), table.lookup("oui"), table.lookup("nein")) == ("yes", "yes", "no")
