"""find_duplicates on a realistic population: who is merged, who is not, decisions, deterministic ids."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import make_table

import custclean as cc
from custclean.api.match import find_duplicates

SCENARIO = {
    # name: (row, row) that must be in one cluster
    "nickname": (
        {"first_name": "Rob", "last_name": "Smith", "phone": "07700 900123", "street": "12 High Street",
         "postal_code": "SW1A 1AA", "city": "London", "country": "UK", "birth_date": "1980-05-02"},
        {"first_name": "ROBERT", "last_name": "SMITH", "phone": "+44 7700 900123", "street": "12 HIGH STREET",
         "postal_code": "SW1A1AA", "city": "LONDON", "country": "GB", "email": "rsmith@mail.co.uk",
         "birth_date": "02/05/1980"},
    ),
    "romanian_diacritics": (
        {"first_name": "Ștefan", "last_name": "Popescu", "email": "stefan.popescu@yahoo.ro", "phone": "0722 123 456",
         "street": "Strada Morilor 5", "postal_code": "400001", "city": "Cluj-Napoca", "country": "RO"},
        {"first_name": "Stefan", "last_name": "Popescu", "email": "Stefan.Popescu@yahoo.ro",
         "phone": "+40 722 123 456", "street": "Str. Morilor nr. 5", "postal_code": "400001",
         "city": "Cluj Napoca", "country": "Romania"},
    ),
    "vietnamese_diacritics": (
        {"first_name": "Văn An", "last_name": "Nguyễn", "email": "an.nguyen@gmail.com", "phone": "0903 123 456",
         "street": "10 đường Hai Bà Trưng", "postal_code": "700000", "city": "Hồ Chí Minh", "country": "VN",
         "birth_date": "1990-01-15"},
        {"first_name": "Van An", "last_name": "Nguyen", "email": "annguyen+shop@gmail.com",
         "phone": "+84 903 123 456", "street": "10 duong Hai Ba Trung", "postal_code": "700000",
         "city": "Ho Chi Minh", "country": "Vietnam", "birth_date": "1990-01-15"},
    ),
}
NOT_MERGED = {
    # the same common name in two cities, nothing else in common
    "namesakes": (
        {"first_name": "John", "last_name": "Smith", "email": "john.smith1@mail.com", "phone": "+1 617 555 0101",
         "street": "5 Elm Street", "postal_code": "02134", "city": "Boston", "country": "US",
         "birth_date": "1970-03-03"},
        {"first_name": "John", "last_name": "Smith", "email": "jsmith@corp.com", "phone": "+1 206 555 0199",
         "street": "77 Pine Street", "postal_code": "98101", "city": "Seattle", "country": "US",
         "birth_date": "1985-09-09"},
    ),
    # a couple: same surname, address, postcode and landline; different first name and birth date
    "household": (
        {"first_name": "Jean", "last_name": "Dupont", "email": "jean.dupont@orange.fr", "phone": "01 44 55 66 77",
         "street": "8 rue des Lilas", "postal_code": "75011", "city": "Paris", "country": "France",
         "birth_date": "1962-04-12"},
        {"first_name": "Marie", "last_name": "Dupont", "email": "", "phone": "+33 1 44 55 66 77",
         "street": "8, rue des Lilas", "postal_code": "75011", "city": "PARIS", "country": "FR",
         "birth_date": "1965-08-23"},
    ),
    # their son: no birth date, no email; only the first name tells him apart
    "household_child": (
        {"first_name": "Jean", "last_name": "Dupont", "email": "jean.dupont@orange.fr", "phone": "01 44 55 66 77",
         "street": "8 rue des Lilas", "postal_code": "75011", "city": "Paris", "country": "France",
         "birth_date": "1962-04-12"},
        {"first_name": "Lucas", "last_name": "Dupont", "phone": "01 44 55 66 77", "street": "8 rue des Lilas",
         "postal_code": "75011", "city": "Paris", "country": "FR"},
    ),
}
COLUMNS = ["first_name", "last_name", "email", "phone", "street", "postal_code", "city", "country", "birth_date"]


def _rows(population: list[dict[str, str]]) -> tuple[list[dict[str, str]], dict[str, tuple[int, int]]]:
    rows = [dict(r) for r in population]
    where: dict[str, tuple[int, int]] = {}
    for name, (a, b) in {**SCENARIO, **NOT_MERGED}.items():
        rows.extend([a, b])
        where[name] = (len(rows) - 1, len(rows))      # 1-based record keys
    return [{c: r.get(c, "") for c in COLUMNS} for r in rows], where


@pytest.fixture(scope="module")
def scenario(population: list[dict[str, str]], rules: cc.RuleSet) -> tuple[cc.Table, dict, cc.RunResult]:
    rows, where = _rows(population)
    table = make_table(rows)
    return table, where, find_duplicates(table, cc.Config(), rules)


@pytest.mark.parametrize("name", list(SCENARIO))
def test_duplicates_found(name: str, scenario: tuple) -> None:
    _, where, result = scenario
    a, b = where[name]
    clusters = result.clusters["cluster_id"]
    assert clusters[a] == clusters[b], f"{name}: rows {a} and {b} should be one customer"


@pytest.mark.parametrize("name", list(NOT_MERGED))
def test_different_people_not_merged(name: str, scenario: tuple) -> None:
    _, where, result = scenario
    a, b = where[name]
    clusters = result.clusters["cluster_id"]
    assert clusters[a] != clusters[b], f"{name}: rows {a} and {b} are different customers"


def test_result_contract(scenario: tuple) -> None:
    table, where, result = scenario
    assert result.table is table
    assert list(result.clusters.columns) == ["cluster_id", "probability"]
    assert result.clusters.index.equals(table.frame.index)
    assert {"row_l", "row_r", "probability", "match_weight", "w_first_name", "level_first_name"} <= set(
        result.pairs.columns)
    a, _b = where["nickname"]
    assert result.clusters.loc[a, "cluster_id"] == f"c{a:06d}"           # the smallest member's key
    assert result.clusters["probability"].between(0, 1).all()
    assert "decision" in result.review.columns
    assert (result.review["decision"] == "").all()
    assert result.stats["match"]["candidate_pairs"] > 0


def test_cluster_ids_are_deterministic(scenario: tuple, rules: cc.RuleSet) -> None:
    table, _, result = scenario
    again = find_duplicates(table, cc.Config(), rules)
    pd.testing.assert_frame_equal(result.clusters, again.clusters)


def test_decisions_are_honoured_and_remembered(scenario: tuple, rules: cc.RuleSet, tmp_path: Path) -> None:
    table, where, result = scenario
    a, b = where["nickname"]
    pair = result.pairs[(result.pairs["row_l"] == a) & (result.pairs["row_r"] == b)]
    decisions = tmp_path / "decisions.csv"
    pd.DataFrame({"pair_key": pair["pair_key"], "decision": ["no"]}).to_csv(decisions, index=False)
    config = replace(cc.Config(), match=replace(cc.Config().match, decisions=str(decisions)))
    cut = find_duplicates(table, config, rules).clusters["cluster_id"]
    assert cut[a] != cut[b]
    decisions.unlink()                                     # the next night's run only has the store
    again = find_duplicates(table, config, rules).clusters["cluster_id"]
    assert again[a] != again[b]
    assert (tmp_path / "decisions.store.csv").is_file()


def test_decision_yes_links_a_pair_the_engine_did_not(scenario: tuple, rules: cc.RuleSet, tmp_path: Path) -> None:
    table, where, _result = scenario
    a, b = where["namesakes"]
    from custclean.match.keys import build_keys
    from custclean.match.review import pair_keys, record_fingerprints

    fps = record_fingerprints(build_keys(table, cc.Config(), rules))
    key = pair_keys(fps, pd.Index(table.frame.index).get_indexer([a]), pd.Index(table.frame.index).get_indexer([b]))
    decisions = tmp_path / "decisions.csv"
    pd.DataFrame({"pair_key": key, "decision": ["yes"]}).to_csv(decisions, index=False)
    config = replace(cc.Config(), match=replace(cc.Config().match, decisions=str(decisions)))
    linked = find_duplicates(table, config, rules).clusters["cluster_id"]
    assert linked[a] == linked[b]
