"""Match keys: nickname-canonical, accent-folded, family-name-first splitting, phone and email forms."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.conftest import make_table

import custclean as cc
from custclean.match.keys import build_keys, email_key, name_parts, phone_key, split_full_name
from custclean.match.nicknames import shipped_nicknames


@pytest.mark.parametrize(("short", "canonical"), [
    ("rob", "robert"), ("bob", "robert"), ("robbie", "robert"), ("bill", "william"), ("liz", "elizabeth"),
    ("pepe", "jose"), ("paco", "francisco"), ("fane", "stefan"), ("nicu", "nicolae"), ("hans", "johannes"),
    ("manu", "emmanuel"), ("robert", "robert"), ("marie", "marie"),
])
def test_nickname_canonical(short: str, canonical: str) -> None:
    assert shipped_nicknames().canonical_of(short) == canonical


@pytest.mark.parametrize(("full", "first", "last"), [
    ("Nguyễn Văn An", "an", "nguyen"),
    ("Trần Thị Lan", "lan", "tran"),
    ("DUPONT Jean", "jean", "dupont"),
    ("Dupont, Jean", "jean", "dupont"),
    ("Mme Marie Curie", "marie", "curie"),
    ("Jean de La Fontaine", "jean", "de la fontaine"),
])
def test_full_name_split(full: str, first: str, last: str, rules: cc.RuleSet) -> None:
    assert split_full_name(full, name_parts(rules)) == (first, last)


def test_keys_from_messy_multilingual_rows(rules: cc.RuleSet) -> None:
    table = make_table([
        {"first_name": "Ștefan", "last_name": "POPESCU", "email": " Stefan.Popescu@Yahoo.RO ", "phone": "0722 123 456"},
        {"first_name": "Bob", "last_name": "Smith", "email": "b.smith+news@googlemail.com", "phone": "+44 7700 900123"},
        {"first_name": "", "last_name": "", "email": "not an email", "phone": "12"},
    ])
    keys = build_keys(table, cc.Config(), rules)
    assert keys.loc[1, "first_name"] == "stefan"
    assert keys.loc[1, "last_name"] == "popescu"
    assert keys.loc[2, "first_name:canonical"] == "robert"
    assert keys.loc[2, "email"] == "bsmith@gmail.com"
    assert keys.loc[1, "email"] == "stefan.popescu@yahoo.ro"
    assert keys.loc[3, ["first_name", "email", "phone", "name:sorted"]].tolist() == ["", "", "", ""]


def test_phone_key_ignores_prefix_and_format() -> None:
    keys = phone_key(pd.Series(["+33 6 12 34 56 78", "0033612345678", "06.12.34.56.78", "06 12 34 56 78 ext. 12",
                                "123"]))
    assert keys.tolist() == ["612345678"] * 4 + [""]


def test_gmail_equivalence_can_be_turned_off() -> None:
    values = pd.Series(["Jean.Dupont+x@gmail.com"])
    assert email_key(values, True).tolist() == ["jeandupont@gmail.com"]
    assert email_key(values, False).tolist() == ["jean.dupont+x@gmail.com"]


@pytest.mark.parametrize("with_split", [False, True])
def test_key_codes_from_build_keys_equal_factorizing_the_key_frame(rules: cc.RuleSet, with_split: bool) -> None:
    """Comparisons take build_keys' codes instead of factorizing again only where the numbering is identical.

    A full name split into first/last leaves a value no row has any more: those keys are refused.
    """
    from tests.match.conftest import background

    from custclean.match.comparisons import KeyCodes

    rows = background(300, seed=11)
    rows += [dict(r, first_name=r["first_name"].upper(), email=r["email"].title()) for r in rows[:30]]
    if with_split:
        rows.append({"first_name": "", "last_name": "", "full_name": "Nguyễn Văn An"})
    codes: dict = {}
    keys = build_keys(make_table(rows), cc.Config(), rules, codes=codes)
    fresh, seeded = KeyCodes(keys), KeyCodes(keys)
    refused = {key for key, (c, v) in codes.items() if not seeded.seed(key, c, v)}
    assert ("first_name" in refused) is with_split
    assert "email" not in refused
    for key in codes:
        got, want = seeded.get(key), fresh.get(key)
        assert (got[0].tolist(), got[1].tolist(), got[2]) == (want[0].tolist(), want[1].tolist(), want[2])


def test_key_codes_refuse_codes_in_another_order() -> None:
    """Codes numbered otherwise than by first appearance would reorder u's sums: they are not taken."""
    import numpy as np

    from custclean.match.comparisons import KeyCodes

    keys = pd.DataFrame({"city": ["lyon", "paris", "lyon", ""]})
    coded = KeyCodes(keys)
    assert not coded.seed("city", np.array([1, 0, 1, 2]), np.array(["paris", "lyon", ""], dtype=object))
    assert not coded.seed("city", np.array([0, 1, 0, 2]), np.array(["lyon", "paris", "", "nice"], dtype=object))
    assert coded.seed("city", np.array([0, 1, 0, 2]), np.array(["lyon", "paris", ""], dtype=object))
    assert coded.get("city")[2] == 2
