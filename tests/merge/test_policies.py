"""Each survivorship policy on realistic multilingual duplicates: which value the golden record keeps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.merge.conftest import RULES, merged, people, with_policy

import custclean as cc
from custclean.merge.plan import build_plan
from custclean.merge.policies import POLICIES, fold_key
from custclean.text import fold


def golden_row(result, key: int = 1) -> dict[str, str]:
    return result.table.frame.loc[key].to_dict()


@given(st.text())
def test_the_fast_fold_key_is_text_fold(value):
    assert fold_key(value) == fold(value)


def test_every_policy_is_in_the_registry():
    expected = {"most_complete", "most_recent", "most_frequent", "source_priority", "longest", "min", "max",
                "concat_unique", "keep_all", "any_true"}
    assert set(POLICIES) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Stefan", "Ștefan", "S."], "Ștefan"),                       # diacritics beat ASCII at equal length
        (["NGUYEN VAN AN", "Nguyễn Văn An"], "Nguyễn Văn An"),
        (["J.", "", "Jean-Pierre"], "Jean-Pierre"),                  # longest filled value
        (["", "", "Müller"], "Müller"),                              # empty cells never win
        (["JEAN", "Jean"], "Jean"),                                  # mixed case beats ALL CAPS
        (["Dupont", "Dupond"], "Dupont"),                            # a true tie: the first record wins
    ],
)
def test_most_complete(values, expected):
    table = people([{"Company name": v} for v in values])
    result = merged(table, list(range(1, len(values) + 1)), config=with_policy("Company name", "most_complete"))
    assert golden_row(result)["Company name"] == expected


def test_most_recent_reads_the_updated_column_before_the_signup_date():
    table = people([
        {"Société": "Boulangerie Martin", "Inscrit le": "2023-01-01", "Dernière mise à jour": "2019-05-01"},
        {"Société": "Martin & Fils SARL", "Inscrit le": "2015-01-01", "Dernière mise à jour": "24/12/2024"},
        {"Société": "", "Inscrit le": "2010-01-01", "Dernière mise à jour": "2025-02-01"},   # newest, but empty
    ])
    result = merged(table, [1, 2, 3])
    assert golden_row(result)["Société"] == "Martin & Fils SARL"


def test_most_recent_without_a_date_column_keeps_the_first_record_and_warns():
    table = people([{"Société": "SC Alfa SRL"}, {"Société": "Alfa Impex SRL"}])
    plan = build_plan(table, RULES, cc.Config())
    assert any("no date column" in w for w in plan.warnings)
    assert golden_row(merged(table, [1, 2]))["Société"] == "SC Alfa SRL"


def test_most_frequent_counts_folded_values_and_keeps_the_best_spelling():
    table = people([{"Ville": "PARIS"}, {"Ville": "Lyon"}, {"Ville": "paris"}, {"Ville": "Paris"}])
    result = merged(table, [1, 2, 3, 4], config=with_policy("Ville", "most_frequent"))
    assert golden_row(result)["Ville"] == "Paris"


def test_most_frequent_birth_date_outvotes_a_typo():
    table = people([{"Date de naissance": "1984-10-11"}, {"Date de naissance": "1948-10-11"},
                    {"Date de naissance": "1984-10-11"}])
    assert golden_row(merged(table, [1, 2, 3]))["Date de naissance"] == "1984-10-11"


def test_source_priority_keeps_the_first_filled_value():
    table = people([{"Code client": ""}, {"Code client": "RO-77"}, {"Code client": "FR-01"}])
    result = merged(table, [1, 2, 3], config=with_policy("Code client", "source_priority"))
    assert golden_row(result)["Code client"] == "RO-77"


def test_longest():
    table = people([{"Complément": "Bât. B"}, {"Complément": "Bâtiment B, 3e étage"}])
    result = merged(table, [1, 2], config=with_policy("Complément", "longest"))
    assert golden_row(result)["Complément"] == "Bâtiment B, 3e étage"


@pytest.mark.parametrize(
    ("policy", "values", "expected"),
    [
        ("max", ["9", "10", ""], "10"),                                # numbers, not text ("9" > "10")
        ("min", ["12,5", "3", "7.25"], "3"),
        ("max", ["2021-03-01", "2023-06-01", "2019-12-31"], "2023-06-01"),
        ("min", ["05/01/2023", "2022-12-31"], "2022-12-31"),          # mixed date formats compare as dates
        ("max", ["Ana", "Zoë", "émile"], "Zoë"),                        # text: folded order
    ],
)
def test_min_and_max(policy, values, expected):
    table = people([{"Score": v} for v in values])
    result = merged(table, list(range(1, len(values) + 1)), config=with_policy("Score", policy))
    assert golden_row(result)["Score"] == expected


def test_date_role_takes_the_latest_date():
    table = people([{"Inscrit le": "2016-10-17"}, {"Inscrit le": "2015-04-05"}])
    assert golden_row(merged(table, [1, 2]))["Inscrit le"] == "2016-10-17"


def test_concat_unique_joins_distinct_notes_in_source_order():
    table = people([{"Notes": "VIP"}, {"Notes": "late payer | vip"}, {"Notes": ""}, {"Notes": "Rappeler en septembre"}])
    result = merged(table, [1, 2, 3, 4])
    assert golden_row(result)["Notes"] == "VIP | late payer | Rappeler en septembre"


def test_concat_unique_is_idempotent_when_merged_again():
    table = people([{"Notes": "VIP | client fidèle"}, {"Notes": "client fidele"}])
    assert golden_row(merged(table, [1, 2]))["Notes"] == "VIP | client fidèle"


def test_keep_all_puts_a_second_email_in_email_2_and_drops_only_exact_repeats():
    table = people([
        {"Email": "Jean.Dupont@Orange.fr"}, {"Email": "jean.dupont@orange.fr"}, {"Email": "jdupont@free.fr"},
        {"Email": "alone@example.com"},
    ])
    result = merged(table, [1, 2, 3])
    frame = result.table.frame
    assert frame.columns[-2:].tolist() == ["Email_2", "merged_from"]
    assert frame.loc[1, ["Email", "Email_2"]].tolist() == ["Jean.Dupont@Orange.fr", "jdupont@free.fr"]
    assert frame.loc[4, ["Email", "Email_2"]].tolist() == ["alone@example.com", ""]
    assert result.table.roles.columns(cc.Role.EMAIL) == ("Email", "Email_2")


def test_keep_all_compares_phones_in_their_normalized_form():
    table = people([{"Téléphone": "06 12 34 56 78"}, {"Téléphone": "+33 6 12 34 56 78"}, {"Téléphone": "0722 123 456"}])
    compare = table.frame.assign(Téléphone=["+33612345678", "+33612345678", "+40722123456"])
    result = merged(table, [1, 2, 3], compare=compare)
    assert result.table.frame.loc[1, ["Téléphone", "Téléphone_2"]].tolist() == ["06 12 34 56 78", "0722 123 456"]


def test_keep_all_fills_every_column_of_the_role_before_adding_one():
    table = people([
        {"Téléphone": "+33612345678", "Mobile": ""},
        {"Téléphone": "+33140000000", "Mobile": "+33612345678"},
        {"Téléphone": "+33700000000", "Mobile": ""},
    ])
    frame = merged(table, [1, 2, 3]).table.frame
    assert frame.loc[1, ["Téléphone", "Mobile", "Téléphone_3"]].tolist() == [
        "+33612345678", "+33140000000", "+33700000000"]


def test_keep_all_numbers_after_existing_extra_columns():
    table = people([{"Email": "a@x.fr", "Email_2": "b@x.fr"}, {"Email": "c@x.fr", "Email_2": ""}])
    table = table.with_frame(table.frame, table.roles.with_role(cc.Role.EMAIL, "Email_2"))
    frame = merged(table, [1, 2]).table.frame
    assert frame.loc[1, ["Email", "Email_2", "Email_3"]].tolist() == ["a@x.fr", "b@x.fr", "c@x.fr"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["non", "", "oui"], "oui"),          # sticky: one opt-out opts the golden record out
        (["no", "nu", ""], "no"),             # nobody opted out: the first filled answer
        (["", "x"], "x"),
        (["không", "có"], "có"),              # Vietnamese yes
        (["N", "unsubscribed"], "unsubscribed"),
    ],
)
def test_any_true_opt_out(values, expected):
    table = people([{"Désinscrit": v} for v in values])
    assert golden_row(merged(table, list(range(1, len(values) + 1))))["Désinscrit"] == expected


def test_address_parts_come_from_one_record():
    table = people([
        {"Adresse": "", "Code postal": "75002", "Ville": "Paris", "Pays": "FR", "Inscrit le": "2024-01-01"},
        {"Adresse": "Str. Lipscani 5", "Code postal": "030031", "Ville": "București", "Pays": "RO",
         "Inscrit le": "2020-01-01"},
        {"Adresse": "12 rue de la Paix", "Code postal": "75002", "Ville": "Paris", "Pays": "",
         "Inscrit le": "2022-01-01"},
    ])
    row = golden_row(merged(table, [1, 2, 3]))
    # the newest record with a street wins; its empty country is not filled from the Romanian address
    assert [row[c] for c in ("Adresse", "Code postal", "Ville", "Pays")] == ["12 rue de la Paix", "75002", "Paris", ""]


def test_first_and_last_names_are_never_mixed_from_swapped_records():
    table = people([{"Prénom": "Smith", "Nom": "Robert"}, {"Prénom": "Robert", "Nom": "Smith"},
                    {"Prénom": "ROBERT", "Nom": "SMITH"}])
    row = golden_row(merged(table, [1, 2, 3]))
    assert (row["Prénom"], row["Nom"]) == ("Robert", "Smith")


def test_a_config_override_takes_a_role_out_of_its_group():
    table = people([{"Ville": "Cluj", "Adresse": "Str. Lunga 3", "Inscrit le": "2024-01-01"},
                    {"Ville": "Cluj-Napoca", "Adresse": "", "Inscrit le": "2020-01-01"}])
    config = cc.Config().override(merge={"roles": {"city": "longest"}})
    row = golden_row(merged(table, [1, 2], config=config))
    assert (row["Adresse"], row["Ville"]) == ("Str. Lunga 3", "Cluj-Napoca")
