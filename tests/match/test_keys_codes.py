"""Keys from the table's memoized column codes, batched e-mail/phone forms, and half the keys on a forked core:
all give exactly the keys (and key codes) of the plain per-value, in-process build."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import make_table

import custclean as cc
from custclean.match import keys as match_keys
from custclean.match.arrays import column_codes, distinct
from custclean.match.folding import fold_many
from custclean.match.keys import _email, _phone, build_keys, email_key, phone_key
from custclean.parallel import can_fork
from custclean.roles import Role
from custclean.text import fold

# What stripping and lowercasing can trip on: final sigma, dotted I, every kind of space, line breaks
# other than "\n", Gmail forms, tags, several @. (No NUL: pd.factorize cuts object strings at a NUL.)
EMAIL_TEXT = st.text(alphabet="aB.+@ \t\x85\u2028\u3000ΣσİßG\n", max_size=14)
EMAILS = st.lists(st.one_of(EMAIL_TEXT, st.sampled_from([
    "Jean.Dupont+news@GoogleMail.com", " ana.pop@yahoo.ro ", "B.Smith@GMAIL.COM", "a+b+c@gmail.com",
    "a.b@mail.gmail.com", "x+y@yahoo.fr", "ΟΔΟΣ@ex.gr", "no at sign", "", "a@b+c.com"])), max_size=30)
PHONES = st.lists(st.one_of(st.text(alphabet="+0123456789 ٣²x", max_size=14), st.sampled_from([
    "+33612345678", "+1234567", "+12345678", "+123456789", "+٣٣٦١٢٣٤٥٦٧٨", "+3361234567²", "+33 6 12 34 56 78",
    "0612345678"])),
    max_size=30)


@pytest.fixture
def batch_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the batched paths (meant for thousands of values) on a handful."""
    monkeypatch.setattr(match_keys, "BATCH_FOLD_FROM", 1)


@pytest.mark.usefixtures("batch_everything")
@settings(max_examples=150, deadline=None)
@given(EMAILS, st.booleans())
def test_batched_email_key_is_each_values_own(values: list[str], gmail: bool) -> None:
    series = pd.Series(values, dtype=object)
    assert email_key(series, gmail).tolist() == [_email(v, gmail) for v in values]


@settings(max_examples=100, deadline=None)
@given(PHONES)
def test_phone_key_shortcut_is_the_full_reading(values: list[str]) -> None:
    assert phone_key(pd.Series(values, dtype=object)).tolist() == [_phone(v) for v in values]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="aZ9 .-'\x00\t\x1c\x85\u2028\xa0éßΣ\u0301\u200b", max_size=10), max_size=30))
def test_fold_of_plain_and_accented_values_apart_is_fold(values: list[str]) -> None:
    assert fold_many(values, batch_from=0) == [fold(v) for v in values]


def _messy_table() -> cc.Table:
    rows = [
        {"first_name": "Ștefan", "last_name": "Popescu", "email": "S.Popescu@Yahoo.ro", "country": "RO",
         "street": "Str. Ștefan cel Mare 7", "phone": "+40722123456", "birth_date": "1980-03-04"},
        {"first_name": "Bob", "last_name": "Smith", "email": "bob.smith+x@googlemail.com", "country": "US",
         "street": "5 Main St", "postal_code": "94127", "phone": "+14155550100", "company": "ACME Inc."},
        {"first_name": "Nguyễn", "last_name": "Văn An", "email": "", "country": "VN", "city": "Hồ Chí Minh"},
    ]
    table = make_table(rows * 3)
    frame = table.frame.copy()
    frame.loc[2, "email"] = None             # cells a reader left missing
    frame.loc[4, "street"] = np.nan
    frame.loc[5, "city"] = None
    return table.with_frame(frame)


@pytest.mark.parametrize("role", [Role.EMAIL, Role.STREET, Role.CITY, Role.FIRST_NAME, Role.REGION])
def test_column_codes_are_distinct_of_the_column(role: Role) -> None:
    table = _messy_table()
    expected = distinct(table.values(role))
    for _ in range(2):      # computed, then read back from the memo
        codes, values = column_codes(table, role)
        assert codes.tolist() == expected[0].tolist()
        assert values.tolist() == expected[1].tolist()


def test_column_codes_of_an_empty_table() -> None:
    table = make_table([{"first_name": "x"}]).with_frame(make_table([{"first_name": "x"}]).frame.iloc[:0])
    for role in (Role.FIRST_NAME, Role.REGION):
        codes, values = column_codes(table, role)
        assert (codes.tolist(), values.tolist()) == tuple(a.tolist() for a in distinct(table.values(role)))


def _keys(table: cc.Table, rules: cc.RuleSet, normalized: bool) -> tuple[pd.DataFrame, dict]:
    codes: dict = {}
    return build_keys(table, cc.Config(), rules, normalized, codes=codes), codes


def _same(a: tuple[pd.DataFrame, dict], b: tuple[pd.DataFrame, dict]) -> None:
    assert a[0].equals(b[0])
    assert list(a[1]) == list(b[1]) == list(a[0].columns)
    for name, (codes, values) in a[1].items():
        assert codes.tolist() == b[1][name][0].tolist(), name
        assert values.tolist() == b[1][name][1].tolist(), name


@pytest.mark.parametrize("normalized", [True, False])
def test_keys_from_memoized_codes_are_the_keys_of_a_fresh_table(rules: cc.RuleSet, normalized: bool) -> None:
    table = _messy_table()
    for column in table.columns:
        table.factorized(column)
    fresh = table.with_frame(table.frame.copy())
    assert not fresh._memo
    _same(_keys(table, rules, normalized), _keys(fresh, rules, normalized))


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_half_the_keys_built_in_a_forked_process_are_the_same(rules: cc.RuleSet,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    table = _messy_table()
    alone = _keys(table, rules, True)
    place_keys = match_keys._place_keys

    def with_pid(*args: object) -> dict:
        return {**place_keys(*args), "pid": (np.zeros(len(table), np.intp), np.array([str(os.getpid())], object))}

    monkeypatch.setattr(match_keys, "FORK_FROM", 1)
    monkeypatch.setattr(match_keys, "_place_keys", with_pid)
    frame, codes = _keys(table, rules, True)
    assert frame["pid"].iloc[0] != str(os.getpid())           # built in another process
    _same((frame.drop(columns="pid"), {k: v for k, v in codes.items() if k != "pid"}), alone)


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_an_error_in_the_forked_half_is_raised_here(rules: cc.RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> dict:
        raise ValueError("street vocabulary unreadable")

    monkeypatch.setattr(match_keys, "FORK_FROM", 1)
    monkeypatch.setattr(match_keys, "_place_keys", broken)
    with pytest.raises(ValueError, match="street vocabulary unreadable"):
        build_keys(_messy_table(), cc.Config(), rules, True)


def test_one_worker_keeps_every_key_in_process(rules: cc.RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(match_keys, "FORK_FROM", 1)
    monkeypatch.setattr(match_keys, "_place_keys", lambda *a: {"pid": (np.zeros(9, np.intp),
                                                                       np.array([str(os.getpid())], object))})
    keys = build_keys(_messy_table(), cc.Config().override(match={"workers": 1}), rules, True)
    assert keys["pid"].iloc[0] == str(os.getpid())
