"""Table-driven comparison levels: each row is two spellings of one field and the level they must get."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import make_table

import custclean as cc
from custclean.match.comparisons import PairContext, compare_pairs
from custclean.match.engine import load_settings
from custclean.match.keys import build_keys
from custclean.match.nicknames import shipped_nicknames

CASES = [
    # field, left, right, expected level
    ("first_name", "Jean", "JEAN", "exact"),
    ("first_name", "Bob", "Robert", "nickname"),
    ("first_name", "Liz", "Elizabeth", "nickname"),
    ("first_name", "Pepe", "José", "nickname"),
    ("first_name", "Fănel", "Ștefan", "nickname"),
    ("first_name", "Christine", "Christina", "jaro_winkler>=0.92"),
    ("first_name", "J.", "Jean", "initial"),
    ("first_name", "Anne", "Anne-Marie", "token"),
    ("first_name", "Marie", "Jean", "else"),
    ("first_name", "", "Jean", "missing"),
    ("last_name", "Dubois", "DUBOIS", "exact"),
    ("last_name", "Nguyễn", "Nguyen", "exact"),
    ("last_name", "Fernandez", "Fernandes", "jaro_winkler>=0.92"),
    ("last_name", "García López", "García", "token"),
    ("last_name", "Smith", "Jones", "else"),
    ("birth_date", "1980-03-04", "1980-03-04", "exact"),
    ("birth_date", "1980-03-04", "19800304", "exact"),
    ("birth_date", "1980-03-04", "1980-04-03", "transposed"),
    ("birth_date", "1980-03-04", "1980-03-05", "edit<=1"),
    ("birth_date", "1980-03-04", "1908-03-04", "edit<=2"),
    ("birth_date", "1980-03-04", "1955-11-21", "else"),
    ("birth_date", "1980-03-04", "", "missing"),
    ("email", "Jean.Dupont@GMAIL.com", "jeandupont+shop@gmail.com", "exact"),
    ("email", "jean.dupont@gmail.com", "jean.dupont@orange.fr", "user"),
    ("email", "jean.dupont@orange.fr", "jean.dupond@orange.fr", "edit<=2"),
    ("email", "jean.dupont@orange.fr", "marie.curie@free.fr", "else"),
    ("phone", "+33 6 12 34 56 78", "06.12.34.56.78", "exact"),
    ("phone", "0033612345678", "06 12 34 56 78", "exact"),
    ("phone", "06 12 34 56 78", "06 12 34 56 79", "edit<=1"),
    ("phone", "06 12 34 56 78", "07 98 76 54 32", "else"),
    ("street", "12 rue de la Paix", "12, RUE DE LA PAIX", "address_exact"),
    ("street", "12 rue de la Paix", "rue de la Paix", "address_exact"),
    ("street", "12 rue de la Paix", "12 rue de la Pais", "address_jaro_winkler>=0.9"),
    ("street", "12 rue de la Paix", "14 rue de la Paix", "exact"),
    ("street", "12 rue de la Paix", "3 avenue Foch", "else"),
]


@pytest.fixture(scope="module")
def levels(rules: cc.RuleSet) -> dict[int, str]:
    rows = []
    for field, left, right, _ in CASES:
        rows.append({field: left, "country": "FR"})
        rows.append({field: right, "country": "FR"})
    columns = ["first_name", "last_name", "birth_date", "email", "phone", "street", "country"]
    table = make_table([{c: r.get(c, "") for c in columns} for r in rows])
    config = cc.Config()
    keys = build_keys(table, config, rules)
    settings = load_settings(config, rules, list(keys.columns))
    left = np.arange(0, len(rows), 2)
    ctx = PairContext(keys, left, left + 1, shipped_nicknames())
    codes = compare_pairs(ctx, settings.comparisons)
    fields = [c.field for c in settings.comparisons]
    out = {}
    for i, (field, *_rest) in enumerate(CASES):
        comp = settings.comparisons[fields.index(field)]
        code = int(codes[i, fields.index(field)])
        out[i] = "missing" if code < 0 else comp.labels[code]
    return out


@pytest.mark.parametrize("case", range(len(CASES)), ids=[f"{c[0]}:{c[1]}|{c[2]}" for c in CASES])
def test_level(case: int, levels: dict[int, str]) -> None:
    field, left, right, expected = CASES[case]
    assert levels[case] == expected, f"{field}: {left!r} vs {right!r} -> {levels[case]}, expected {expected}"


def test_comparisons_shared_out_to_forked_processes_give_the_same_levels(rules: cc.RuleSet, monkeypatch) -> None:
    from tests.match.conftest import background

    import custclean.match.comparisons as comparisons

    table = make_table(background(300, seed=5))
    config = cc.Config()
    keys = build_keys(table, config, rules)
    settings = load_settings(config, rules, list(keys.columns))
    left, right = np.triu_indices(len(keys), 1)
    alone = compare_pairs(PairContext(keys, left, right, shipped_nicknames()), settings.comparisons)
    monkeypatch.setattr(comparisons, "FORK_PAIRS", 0)
    shared = compare_pairs(PairContext(keys, left, right, shipped_nicknames()), settings.comparisons, processes=2)
    assert len(np.unique(alone)) > 3      # missing, exact, fuzzy and else levels all occur
    assert np.array_equal(alone, shared)
