"""link, one-to-one: households kept apart, swapped names found, weak uncontested pairs only in an update."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import make_table
from tests.match.conftest import background
from tests.match.test_find_duplicates import COLUMNS

import custclean as cc

ADDRESS = {"street": "8 rue des Lilas", "postal_code": "75011", "city": "Paris", "country": "FR"}
FATHER = {"first_name": "Jean", "last_name": "Dupont", "email": "jean.dupont@orange.fr", "phone": "01 44 55 66 77",
          "birth_date": "1962-04-12", **ADDRESS}
DAUGHTER = {"first_name": "Jeanne", "last_name": "Dupont", "email": "jeanne.dupont91@free.fr",
            "phone": "01 44 55 66 77", "birth_date": "1991-11-03", **ADDRESS}
ROMANIAN = {"first_name": "Andrei", "last_name": "Ionescu", "email": "", "phone": "", "street": "Strada Florilor 12",
            "postal_code": "400001", "city": "Cluj-Napoca", "country": "RO", "birth_date": "1975-03-02"}
SPANISH = {"first_name": "Lucía", "last_name": "Sánchez Ortega", "email": "", "phone": "",
           "street": "calle de Alcalá 14", "postal_code": "28013", "city": "Madrid", "country": "ES",
           "birth_date": "1970-06-21"}
# SPANISH re-keyed by another system: first name and birth date lost to a typing mix-up; only the rare surname
# and the address say it is her. It looks like a relative, so only the context can decide.
SPANISH_REKEYED = {**SPANISH, "first_name": "Carmen", "birth_date": "1988-02-09", "street": "C/ Alcalá, 14"}


def _rekeyed(row: dict[str, str]) -> dict[str, str]:
    """The same customer as another system writes it: upper-case names, another phone format."""
    phone = row["phone"].replace("+", "00") if row["phone"] else ""
    return {**row, "first_name": row["first_name"].upper(), "last_name": row["last_name"].upper(), "phone": phone}


@pytest.fixture(scope="module")
def master() -> cc.Table:
    rows = [*background(300, seed=11), FATHER, DAUGHTER, ROMANIAN, SPANISH]
    return make_table([{**{c: r.get(c, "") for c in COLUMNS}, "id": f"C{i:04d}"} for i, r in enumerate(rows, 1)])


def _link(master: cc.Table, new_rows: list[dict[str, str]], rules: cc.RuleSet, **match: object) -> cc.RunResult:
    new = make_table([{c: r.get(c, "") for c in COLUMNS} for r in new_rows])
    config = cc.Config()
    return cc.link(master, new, replace(config, match=replace(config.match, **match)), rules)


def _ids(result: cc.RunResult) -> list[str]:
    return result.table.frame["match_id"].tolist()


def test_household_members_each_linked_to_their_own_master_record(master: cc.Table, rules: cc.RuleSet) -> None:
    # the father typed "Jeanne" (an extra e) with no birth date nor e-mail: on its own his record looks most
    # like his daughter's; she is in the new list too, and takes her own record first
    father = {**FATHER, "first_name": "Jeanne", "email": "", "birth_date": ""}
    daughter = {**DAUGHTER, "street": "8, rue des Lilas", "phone": "+33 1 44 55 66 77"}
    result = _link(master, [father, daughter], rules)
    assert _ids(result) == ["C0301", "C0302"]
    assert _ids(_link(master, [father, daughter], rules, one_to_one=False)) == ["C0302", "C0302"]


def test_swapped_names_with_a_misspelt_name_and_a_postcode_typo_are_found(master: cc.Table, rules: cc.RuleSet
                                                                           ) -> None:
    swapped = {**ROMANIAN, "first_name": "Ionescu", "last_name": "Andrej", "postal_code": "400010",
               "street": "Strada Florilor"}
    result = _link(master, [swapped], rules)
    assert _ids(result) == ["C0303"]


def test_uncontested_weak_pair_linked_when_the_new_list_is_an_update(master: cc.Table, rules: cc.RuleSet) -> None:
    known = [_rekeyed(r) for r in background(300, seed=11)[:80]]
    result = _link(master, [*known, SPANISH_REKEYED], rules)
    assert _ids(result) == [f"C{i:04d}" for i in range(1, 81)] + ["C0304"]
    assert float(result.table.frame["match_probability"].iloc[-1]) >= 0.9
    stats = result.stats["match"]
    assert stats["uncontested_links"] == 1
    assert stats["known_share"] > 0.9


def test_same_weak_pair_not_linked_among_new_sign_ups(master: cc.Table, rules: cc.RuleSet) -> None:
    strangers = background(80, seed=99)
    for i, row in enumerate(strangers):       # other people: their own e-mail, phone and birth date
        row.update(email=f"new{i}@example.net", phone=f"+49 151 {1000000 + i}", birth_date=f"2001-01-{i % 28 + 1:02d}")
    result = _link(master, [*strangers, SPANISH_REKEYED], rules)
    assert result.table.frame["match_id"].iloc[-1] == ""
    assert result.stats["match"]["uncontested_links"] == 0


def test_weak_pair_with_another_email_not_linked_even_in_an_update(master: cc.Table, rules: cc.RuleSet) -> None:
    known = [_rekeyed(r) for r in background(300, seed=11)[:80]]
    emailed = make_table([{**{c: r.get(c, "") for c in COLUMNS}, "id": f"C{i:04d}"} for i, r in enumerate(
        [*background(300, seed=11), FATHER, DAUGHTER, ROMANIAN, {**SPANISH, "email": "lucia.sanchez@gmail.com"}], 1)])
    other = {**SPANISH_REKEYED, "email": "carmen.so88@hotmail.es"}
    result = _link(emailed, [*known, other], rules)
    assert result.table.frame["match_id"].iloc[-1] == ""


def test_two_new_records_of_one_master_record(master: cc.Table, rules: cc.RuleSet) -> None:
    person = background(300, seed=11)[41]
    twice = [_rekeyed(person), {**person, "email": ""}]
    assert _ids(_link(master, twice, rules, one_to_one=False)) == ["C0042", "C0042"]
    result = _link(master, twice, rules)
    assert sorted(_ids(result)) == ["", "C0042"]
    assert result.review["row_r"].tolist() == [_ids(result).index("") + 1]
    assert result.pairs["linked"].sum() == 1


def test_review_answers_are_applied_and_remembered(master: cc.Table, rules: cc.RuleSet, tmp_path: Path) -> None:
    strangers = background(40, seed=99)
    for i, row in enumerate(strangers):
        row.update(email=f"new{i}@example.net", phone=f"+49 151 {1000000 + i}", birth_date=f"2001-01-{i % 28 + 1:02d}")
    known = _rekeyed(background(300, seed=11)[7])
    new_rows = [*strangers, SPANISH_REKEYED, known]
    first = _link(master, new_rows, rules, review_threshold=0.1)       # her pair is weak: a wide review band
    review = first.review
    assert first.table.frame["match_id"].tolist()[-2:] == ["", "C0008"]
    asked = review.index[(review["row_r"] == 41) & (review["row_l"] == 304)]
    assert len(asked) == 1
    assert {"first_name_l", "first_name_r", "decision"} <= set(review.columns)
    answers = review.copy()
    answers.loc[asked, "decision"] = "oui"
    linked_key = first.pairs.loc[first.pairs["linked"] & (first.pairs["row_r"] == 42), "pair_key"].iloc[0]
    answers = pd.concat([answers, pd.DataFrame({"pair_key": [linked_key], "decision": ["no"]})])
    path = tmp_path / "review.csv"
    answers.to_csv(path, index=False)
    second = _link(master, new_rows, rules, review_threshold=0.1, decisions=str(path))
    assert second.table.frame["match_id"].tolist()[-2:] == ["C0304", ""]
    assert float(second.table.frame["match_probability"].iloc[-2]) == 1.0
    assert 41 not in second.review["row_r"].tolist()
    path.unlink()                                   # the store remembers both answers
    third = _link(master, new_rows, rules, review_threshold=0.1, decisions=str(path))
    assert third.table.frame["match_id"].tolist()[-2:] == ["C0304", ""]
