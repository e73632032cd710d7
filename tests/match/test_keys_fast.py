"""Keys computed per distinct value and folded in one batch equal the row-by-row definitions."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import make_table

import custclean as cc
from custclean.match import keys as match_keys
from custclean.match.folding import fast_fold, fold_many
from custclean.match.keys import build_keys, email_key, phone_key
from custclean.text import fold

# Letters of the six languages, marks that NFKD splits off or keeps (ß, œ, đ), every kind of space
# (tab, information separators, no-break, ideographic), invisible characters, punctuation, digits.
ALPHABET = ("aZ09 -.,'/+@#" "éÈçÑüÖßœÆđĐłøăâîșțşţ" "ễẠỳƯươ" "ΣσςЖж" "\t\x0b\x1c\x1f\r\xa0\u2003\u3000"
            "\u200b\u00ad\u0301\u0326\ufb01" "٣²")
TEXT = st.text(alphabet=ALPHABET, max_size=14)


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, max_size=30))
def test_batch_fold_equals_folding_each_value(values: list[str]) -> None:
    assert fold_many(values, batch_from=0) == [fast_fold(v) for v in values]


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, max_size=10), TEXT)
def test_a_value_with_a_newline_is_folded_on_its_own(values: list[str], other: str) -> None:
    values = [*values, other + "\nx"]
    assert fold_many(values, batch_from=0) == [fast_fold(v) for v in values]


@pytest.mark.parametrize("value", ["Ștefan", "NGUYỄN Văn-An", "Müller-Lüdenscheidt", "  O'Brien  ", "Œuvre  ß"])
def test_fast_fold_is_fold(value: str) -> None:
    assert fold_many([value], batch_from=0) == [fold(value)] == [fast_fold(value)]


def _email_rowwise(values: pd.Series) -> pd.Series:
    """The row-by-row pandas definition the per-distinct version replaced."""
    email = values.str.strip().str.lower()
    email = email.where(email.str.contains("@", regex=False), "")
    user, _, domain = email.str.rpartition("@").T.to_numpy()
    user = pd.Series(user, index=values.index).str.replace(r"\+.*$", "", regex=True)
    dom = pd.Series(domain, index=values.index).replace("googlemail.com", "gmail.com")
    user = user.where(dom != "gmail.com", user.str.replace(".", "", regex=False))
    return (user + "@" + dom).where(email != "", "")


def _phone_rowwise(values: pd.Series) -> pd.Series:
    digits = values.str.replace(re.compile(r"(?:ext|x|poste|#|doorkies)\.?\s*\d+\s*$|\D", re.I), "", regex=True)
    return digits.str[-9:].where(digits.str.len() >= 7, "")


EMAILS = st.lists(st.one_of(
    st.sampled_from(["Jean.Dupont+news@GoogleMail.com", " ana.pop@yahoo.ro ", "b.smith@gmail.com", "x@y",
                     "no at sign", "", "Nguyễn.Văn@gmail.com", "a+b+c@gmail.com", "a.b@mail.gmail.com"]),
    st.text(alphabet="ab.+@ GM\n", max_size=12)), min_size=1, max_size=25)
PHONES = st.lists(st.one_of(
    st.sampled_from(["+33612345678", "06 12 34 56 78", "0033 6 12 34 56 78 ext. 12", "+84 912 345 678 x 9",
                     "(0)20 7946 0958 poste 3", "123", "", "+٣٣٦١٢٣٤٥٦٧٨"]),
    st.text(alphabet="0123456789+ ext.#", max_size=16)), max_size=25)


@settings(max_examples=80, deadline=None)
@given(EMAILS)
def test_email_key_equals_the_rowwise_definition(values: list[str]) -> None:
    series = pd.Series(values, dtype=object)
    assert email_key(series, True).tolist() == _email_rowwise(series).tolist()


@settings(max_examples=80, deadline=None)
@given(PHONES)
def test_phone_key_equals_the_rowwise_definition(values: list[str]) -> None:
    series = pd.Series(values, dtype=object)
    assert phone_key(series).tolist() == _phone_rowwise(series).tolist()


ROWS = [
    {"first_name": "Ștefan", "last_name": "POPESCU", "street": "Strada Ștefan cel Mare nr. 7", "country": "RO",
     "postal_code": "700 259", "city": "Iași", "birth_date": "1980-03-04", "email": "s.popescu@yahoo.ro"},
    {"first_name": "Bob", "last_name": "Smith", "street": "5 Main St", "country": "US", "postal_code": "94127",
     "city": "San Francisco", "company": "ACME Inc.", "phone": "+1 415 555 0100"},
    {"first_name": "", "last_name": "", "full_name": "Nguyễn Văn An", "street": "123 Đường Lê Lợi", "country": "VN",
     "city": "Hồ Chí Minh", "email": "an.nguyen+shop@googlemail.com"},
    {"first_name": "Jean-Luc", "last_name": "de La Fontaine", "street": "12 bis, Av. des Champs-Élysées",
     "country": "FR", "postal_code": "75008", "birth_date": "19790215", "phone": "06.12.34.56.78"},
    {"first_name": "Dr. Jürgen", "last_name": "Müller", "street": "Hauptstr. 5", "country": "DE", "city": "Köln"},
]


def test_each_row_keys_are_its_own_keys(rules: cc.RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work per distinct value, batched folding and the shared block give every row the keys it has alone."""
    monkeypatch.setattr(match_keys, "BATCH_FOLD_FROM", 1)
    rows = ROWS * 3 + [ROWS[0] | {"first_name": "Stefan"}, ROWS[2] | {"email": ""}]
    together = build_keys(make_table(rows), cc.Config(), rules)
    assert all(isinstance(t, pd.CategoricalDtype) and t.categories.dtype == object for t in together.dtypes)
    assert together.astype(object).map(lambda v: isinstance(v, str)).all().all()
    for i, row in enumerate(rows):
        alone = build_keys(make_table([row]), cc.Config(), rules)
        assert together.iloc[i].tolist() == alone.iloc[0].tolist(), row


def test_street_name_and_email_keys_on_multilingual_rows(rules: cc.RuleSet) -> None:
    keys = build_keys(make_table(ROWS), cc.Config(), rules).set_index(pd.RangeIndex(len(ROWS)))
    assert keys["street:number"].tolist() == ["7", "5", "123", "12", "5"]
    assert keys["street"].tolist()[1:4] == ["main street", "duong le loi", "avenue des champs elysees"]
    assert keys.loc[2, ["first_name", "last_name", "email"]].tolist() == ["an", "nguyen", "annguyen@gmail.com"]
    assert keys.loc[0, ["name", "name:reversed", "city"]].tolist() == ["popescu stefan", "ucsepop nafets", "iasi"]
    assert keys.loc[3, ["first_name", "birth_date", "birth_date:year", "phone"]].tolist() == [
        "jean luc", "19790215", "1979", "612345678"]
    assert keys.loc[1, ["first_name:metaphone", "name:sorted"]].tolist() == ["RBRT", "RBRT SM0"]   # Bob = Robert


def test_codes_handed_out_with_the_keys_match_the_frame(rules: cc.RuleSet) -> None:
    codes: dict = {}
    keys = build_keys(make_table(ROWS * 2), cc.Config(), rules, codes=codes)
    assert list(codes) == list(keys.columns)
    for column, (row_codes, values) in codes.items():
        assert values[row_codes].tolist() == keys[column].tolist(), column
        assert len(set(values)) == len(values), column
