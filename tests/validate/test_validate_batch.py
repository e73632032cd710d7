"""Validation's batch paths answer exactly as the per-value and pandas code they replace.

Each test sets a fast path beside a plain reference (the check itself, NormalizerStep, Series.str.strip,
drop, duplicated, the former mask-by-mask follow-up list) on messy multilingual cells, including the
ones the fast path must refuse and leave to the slow one.
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.config import Config
from custclean.normalize.base import NormalizerStep
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.validate import CheckContext, validation_plan
from custclean.validate.base import UNSURE, ValueCheckAdapter, ValueCheckStep
from custclean.validate.emails import EmailCheck, plain_email_domain, plain_emails
from custclean.validate.quarantine import follow_up, missing_labels, want_groups, without_rows
from custclean.validate.user_rules import RequiredAnyCheck, Target, blank_cells, repeated, stripped
from tests.conftest import make_table

# The plain shape as one pattern, as it was written before the local and domain parts were split.
_ONE_PATTERN = re.compile(
    r"(?P<local>[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*)@"
    r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})"
)


def _one_pattern_domain(text: str) -> str | None:
    plain = _ONE_PATTERN.fullmatch(text)
    if plain and len(plain["local"]) <= 64 and len(text) <= 254 and "--" not in plain["domain"]:
        domain = plain["domain"].lower()
        if domain.rsplit(".", 1)[1] not in {"arpa", "invalid", "local", "localhost", "onion", "test"}:
            return domain
    return None


HARD_EMAILS = [
    "jean.dupont@orange.fr", "Ion.Popescu@Yahoo.RO", " ana@gmail.com", "ana@gmail.com ", "ana@gmail.com\n",
    "ștefan@exemplu.ro", "nguyễn@gmail.com", "ana@exämple.de", "ana@@x.fr", "ana@x", "a@b.test", "x@y.Test",
    "A@B.LOCALHOST", "a@b.onion", "a@b.arpa.fr", "jean..dupont@x.fr", ".a@b.fr", "a.@b.fr", "a--b@x.fr",
    "a@x--y.fr", "a@-b.fr", "a@b-.fr", "a@b.f", "a@b.fr2", "a@b..fr", "a@.b.fr", "@b.fr", "a@b.fr.",
    "l" * 64 + "@x.fr", "l" * 65 + "@x.fr", "a@" + ".".join(["b" * 60] * 4) + ".fr", "a@b.fr; c@d.fr",
    "ana@gmail.com / ion@yahoo.ro", "a b@c.fr", '"a b"@c.fr', "a@[127.0.0.1]", "mailto:a@b.fr",
    "ana@xn--bcher-kva.ch", "\u00a0", "x",
]
EMAIL_TEXT = st.one_of(
    st.sampled_from(HARD_EMAILS),
    st.text(alphabet="aZ09._%+-@ \u00a0é", max_size=24),
    st.builds(lambda a, b, c: f"{a}@{b}.{c}", st.text("ab.-_é", min_size=0, max_size=8),
              st.text("ab.-0", min_size=0, max_size=8), st.sampled_from(["fr", "FR", "Test", "local", "c0m", "x"])),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(EMAIL_TEXT, min_size=1, max_size=20))
def test_plain_emails_is_the_one_pattern_shape_address_by_address(texts):
    values = np.array(texts, dtype=object)
    expected = [_one_pattern_domain(t) for t in texts]
    assert [plain_email_domain(t) for t in texts] == expected
    assert plain_emails(values).tolist() == [d is not None for d in expected]


def test_email_check_many_settles_plain_addresses_and_leaves_the_rest_to_check():
    check = EmailCheck()
    values = np.array(HARD_EMAILS, dtype=object)
    answers = check.check_many(values, np.full(len(values), "", dtype=object))
    settled = [v for v, a in zip(HARD_EMAILS, answers, strict=True) if a is not UNSURE]
    assert "jean.dupont@orange.fr" in settled
    assert "Ion.Popescu@Yahoo.RO" in settled
    assert "a--b@x.fr" in settled                                   # "--" is refused in a domain only
    for unsure in (" ana@gmail.com", "ștefan@exemplu.ro", "a@b.test", "a@x--y.fr", "a@b.fr; c@d.fr"):
        assert unsure not in settled
    for value, answer in zip(HARD_EMAILS, answers, strict=True):
        if answer is not UNSURE:
            assert answer is None
            assert check.check(value) is None


def test_with_dns_every_address_goes_to_check():
    from custclean.validate.emails import DomainCheck

    check = EmailCheck(DomainCheck(resolver=None))
    answers = check.check_many(np.array(["jean@orange.fr", "x"], dtype=object), np.array(["", ""], dtype=object))
    assert [a is UNSURE for a in answers] == [True, True]


MESSY = [
    {"email": "jean@orange.fr", "phone": "06 12 34 56 78", "country": "France", "postal_code": "75001",
     "birth_date": "1985-02-30", "date": "2020-02-29"},
    {"email": " Ana@Orange.fr ", "phone": "+40 21 123 4567", "country": "Roumanie", "postal_code": "0101",
     "birth_date": "12 mars 1985", "date": "01/02/2020"},
    {"email": "a@b.fr; c@d.fr", "phone": "12", "country": "Việt Nam", "postal_code": "700000",
     "birth_date": "2030-01-01", "date": "x"},
    {"email": "ana@@x.fr", "phone": "", "country": "Congo", "postal_code": " ", "birth_date": "1890-05-05",
     "date": "2020-13-01"},
    {"email": "nguyễn@gmail.com", "phone": "0800 123 456", "country": "Atlantis", "postal_code": "ABCDE",
     "birth_date": "\uff11\uff19\uff18\uff15-01-05", "date": " 2020-01-01"},
    {"email": "jean@orange.fr", "phone": "+84 90 123 45 67", "country": "", "postal_code": "75001",
     "birth_date": "1985-1-5", "date": "2020-01-01 14:32"},
    {"email": "a@b.test", "phone": "abc", "country": "USA", "postal_code": "10001-1234", "birth_date": "1799-01-01",
     "date": "44000"},
    {"email": "", "phone": "+1 800 555 0199", "country": "fr", "postal_code": "7500", "birth_date": "2024-06-16",
     "date": "2020-1-1"},
]


def test_value_check_step_finds_what_normalizer_step_found():
    rules, config = RuleSet.load(), Config()
    table = make_table(MESSY * 3)
    plan = validation_plan(config, rules, CheckContext(rules, config, today=date(2024, 6, 15)))
    checked = 0
    for check in plan.checks:
        if not hasattr(check, "check"):
            continue
        ours = ValueCheckStep(ValueCheckAdapter(check)).run(table).findings
        theirs = NormalizerStep(ValueCheckAdapter(check)).run(table).findings
        assert ours.equals(theirs), check.name
        assert list(ours.dtypes) == list(theirs.dtypes)
        checked += not ours.empty
    assert checked >= 5       # email, phone, postal code, country, dates all found something here


class _Counting:
    """A value check whose check_many settles values starting with "ok" and leaves the rest to check()."""

    name = "counting"
    role = Role.CITY
    hint = Role.COUNTRY
    codes: ClassVar[dict[str, str]] = {"city.bad": "bad"}

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def check_many(self, values: np.ndarray, hints: np.ndarray) -> list[object]:
        return [None if v.startswith("ok") else UNSURE for v in values]

    def check(self, value: str, hint: str = "") -> str | None:
        self.asked.append((value, hint))
        return "city.bad" if value.strip() == "bad" else None


def test_check_many_answers_are_kept_and_only_unsure_values_reach_check():
    rows = [{"city": c, "country": k} for c, k in
            [("ok Iași", "RO"), ("bad", "RO"), ("bad", "RO"), ("bad", "FR"), ("", "FR"), ("Huế", "VN"), ("ok", "")]]
    check = _Counting()
    findings = ValueCheckStep(ValueCheckAdapter(check)).run(make_table(rows)).findings
    assert findings["row"].tolist() == [2, 3, 4]
    assert findings["code"].tolist() == ["city.bad"] * 3
    assert sorted(check.asked) == [("Huế", "VN"), ("bad", "FR"), ("bad", "RO")]   # each pair once, never ""


CELL = st.one_of(
    st.text(" \t\n\u00a0\u3000\u2003\u200bxé0", max_size=6),
    st.sampled_from(("", " ", "\u00a0", "\t \n", "Nguyễn", " Ana ", "\u200b", "Đà Nẵng ")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(CELL, max_size=30), st.booleans())
def test_blank_stripped_and_repeated_are_the_pandas_answers(cells, with_missing):
    if with_missing and cells:
        cells[0] = None       # not text: the slow ways that allow for it
    values = pd.Series(cells, index=range(3, 3 + len(cells)), dtype=object, name="city")
    assert blank_cells(values.to_numpy()).tolist() == (values.str.strip() == "").tolist()
    assert stripped(values).equals(values.str.strip())
    assert repeated(stripped(values).to_numpy()).tolist() == stripped(values).duplicated(keep=False).tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=25))
def test_required_any_reads_later_targets_only_where_needed_and_finds_the_same(cells):
    rows = [{"first_name": a, "last_name": b, "full_name": c} for a, b, c in cells]
    table = make_table(rows)
    rule = RequiredAnyCheck("required.name", (Target(Role.FIRST_NAME), Target(Role.LAST_NAME), Target(Role.FULL_NAME)))
    blank = table.frame[["first_name", "last_name", "full_name"]].apply(lambda c: c.str.strip() == "")
    expected = list(blank.index[blank.all(axis=1)])
    assert rule.run(table)["row"].tolist() == expected
    positions = np.array([i for i in range(len(rows)) if i % 2 == 0])
    assert Target(Role.LAST_NAME).blank(table, positions).tolist() == blank["last_name"].to_numpy()[positions].tolist()


def _follow_up_by_masks(table, want):
    """The follow-up list's `missing` column as it was built before: one pandas mask per target."""
    missing = pd.Series("", index=table.frame.index, dtype=object)
    for target in (t for group in want_groups(want) for t in group):
        label = target.role.value if target.role else str(target.column)
        lacking = ~target.filled(table)
        missing = missing.mask(lacking, missing.where(missing == "", missing + ", ") + label)
    return missing


WANTS = st.lists(st.sampled_from(["email", "street+city+postal_code+country", "city", "Numéro client",
                                  "phone+email", "email"]), min_size=0, max_size=4)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=20), WANTS, st.data())
def test_follow_up_labels_and_kept_rows_are_as_before(cells, want, data):
    rows = [{"email": a, "city": b, "country": c, "street": b} for a, b, c in cells]
    table = make_table(rows)
    labels, warnings = missing_labels(table, want)
    assert labels.tolist() == _follow_up_by_masks(table, want).tolist()
    assert len(warnings) == want.count("Numéro client")
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows))), dtype=bool)
    kept_only = table.with_frame(table.frame[keep])
    assert follow_up(table, want, keep)[0].equals(follow_up(kept_only, want)[0])


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 12), st.sets(st.integers(0, 11)), st.booleans())
def test_without_rows_is_drop_with_the_same_index(size, held_positions, ranged):
    index = pd.RangeIndex(1, size + 1) if ranged else pd.Index([10 * i + 3 for i in range(size)])
    frame = pd.DataFrame({"name": [f"Nguyễn {i}" for i in range(size)]}, index=index, dtype=object)
    held = index[[p for p in sorted(held_positions) if p < size]]
    ours, theirs = without_rows(frame, held), frame.drop(index=held)
    assert ours.equals(theirs)
    assert type(ours.index) is type(theirs.index)
    assert ours.index.equals(theirs.index)


VALUE = st.one_of(
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.from_regex(r"(1[789]|2[012])[0-9]{2}-(0[0-9]|1[0-3])-[0-3][0-9]", fullmatch=True),
    st.sampled_from([s for row in MESSY for s in row.values()] + HARD_EMAILS + ["1985-02-30\n", "2200-12-31"]),
    st.text(alphabet="0123456789-/. aéZ", max_size=12),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(VALUE, min_size=1, max_size=12), st.lists(st.sampled_from(["FR", "Roumanie", "", "Việt Nam", "US",
                                                                            "Atlantis"]), min_size=12, max_size=12))
def test_every_check_many_says_what_check_says(values, countries):
    rules, config = RuleSet.load(), Config()
    plan = validation_plan(config, rules, CheckContext(rules, config, today=date(2024, 6, 15)))
    texts = np.array([v for v in values if v], dtype=object)
    hints = np.array(countries[: len(texts)], dtype=object)
    for check in (c for c in plan.checks if hasattr(c, "check_many")):
        answers = check.check_many(texts, hints)
        for value, hint, answer in zip(texts, hints, answers, strict=True):
            if answer is not UNSURE:
                assert answer == check.check(value, hint), (check.name, value, hint)
