"""run_steps and the distinct-value adapter: edits recorded, new columns appended, values seen once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.normalize.base import Fix, NormalizerStep, Unclear, column_pairs
from custclean.pipeline import run_steps
from custclean.roles import Role


@dataclass
class CountingUpper:
    """A toy normalizer that upper-cases cities and counts its calls."""

    name: ClassVar[str] = "upper"
    role: ClassVar[Role] = Role.CITY
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ()
    rules_declared: ClassVar[dict[str, str]] = {"upper.fix": "upper-cased", "upper.unclear": "digits"}
    calls: int = 0

    def normalize(self, value: str, hint: str = ""):
        self.calls += 1
        if value.isdigit():
            return Unclear("upper.unclear")
        if value == value.upper():
            return None
        extra = ((Role.TITLE, "Dr"),) if value == "paris" else ()
        return Fix(value.upper(), "upper.fix", extra)


def test_each_distinct_value_hint_pair_is_normalized_once(table_from):
    rows = [{"city": "paris", "country": "FR"}] * 50 + [{"city": "lyon", "country": "FR"}] * 30
    rows += [{"city": "paris", "country": "US"}, {"city": "", "country": "FR"}]
    normalizer = CountingUpper()
    run = run_steps(table_from(rows), [NormalizerStep(normalizer)])
    assert normalizer.calls == 3                       # (paris, FR), (lyon, FR), (paris, US); "" is skipped
    assert run.table.frame["city"].tolist()[:2] == ["PARIS", "PARIS"]
    assert run.table.frame.at[82, "city"] == ""
    assert len(run.changes) == 81 + 51                 # 81 city edits + 51 titles filled for "paris" rows


def test_edits_name_the_source_row_and_rule_and_keep_old_values(table_from):
    table = table_from([{"city": "PARIS"}, {"city": "nice"}, {"city": "75001"}])
    run = run_steps(table, [NormalizerStep(CountingUpper())])
    changes = run.changes.frame()
    assert changes.to_dict("records") == [
        {"row": 2, "column": "city", "old": "nice", "new": "NICE", "step": "upper", "rule": "upper.fix"}
    ]
    findings = run.findings.frame()
    assert findings[["row", "column", "value", "code", "message"]].to_dict("records") == [
        {"row": 3, "column": "city", "value": "75001", "code": "upper.unclear", "message": "digits"}
    ]
    assert table.frame.at[2, "city"] == "nice"          # the input table is never mutated


def test_extra_cells_go_to_a_new_column_at_the_end_with_its_role(table_from):
    table = table_from([{"city": "paris", "email": "a@b.c"}, {"city": "rome", "email": ""}])
    run = run_steps(table, [NormalizerStep(CountingUpper())])
    assert list(run.table.frame.columns) == ["city", "email", "title"]
    assert run.table.roles.column(Role.TITLE) == "title"
    assert run.table.frame["title"].tolist() == ["Dr", ""]


def test_a_title_the_user_typed_is_never_replaced(table_from):
    table = table_from([{"city": "paris", "title": "Mme"}])
    run = run_steps(table, [NormalizerStep(CountingUpper())])
    assert run.table.frame.at[1, "title"] == "Mme"


def test_timings_cover_every_step(table_from):
    run = run_steps(table_from([{"city": "x"}]), [NormalizerStep(CountingUpper())])
    assert set(run.timings) == {"upper"}
    assert isinstance(run.changes.frame(), pd.DataFrame)


MESSY = [
    {"first_name": " Jérôme ", "city": "paris", "country": "FR", "notes": "Rappeler\u00a0en septembre"},
    {"first_name": "Hoàng  Nam", "city": "Hà Nội", "country": "VN", "notes": ""},
    {"first_name": "Ştefan", "city": "12345", "country": "RO", "notes": "client fidèle"},
    {"first_name": "RenÃ©", "city": "lyon", "country": "FR", "notes": "x"},
]


def test_apply_leaves_the_original_untouched_and_shares_the_columns_it_did_not_edit(table_from):
    table = table_from(MESSY)
    before = table.frame.copy(deep=True)
    edits = pd.DataFrame({"row": [2, 4, 1], "column": ["city", "city", "title"], "new": ["HANOI", "LYON", "Mme"]})
    after = table.apply(edits)
    assert table.frame.equals(before)
    assert list(table.frame.columns) == list(before.columns)
    assert after.frame["city"].tolist() == ["paris", "HANOI", "12345", "LYON"]
    assert after.frame["title"].tolist() == ["Mme", "", "", ""]
    assert list(after.frame.columns) == [*before.columns, "title"]
    unchanged = ["first_name", "country", "notes"]
    assert after.frame[unchanged].equals(before[unchanged])
    for column in unchanged:   # shared, not copied: a step's edits cost its columns, not the table
        assert np.shares_memory(after.frame[column].to_numpy(), table.frame[column].to_numpy())


def test_apply_on_repeated_keys_writes_by_label_as_loc_does(table_from):
    table = table_from(MESSY)
    frame = table.frame.set_axis([1, 1, 2, 3])
    repeated = replace(table, frame=frame).apply(pd.DataFrame({"row": [2], "column": ["city"], "new": ["X"]}))
    assert repeated.frame["city"].tolist() == ["paris", "Hà Nội", "X", "lyon"]
    assert frame["city"].tolist() == ["paris", "Hà Nội", "12345", "lyon"]


def test_apply_refuses_a_row_the_table_does_not_have(table_from):
    with pytest.raises(KeyError):
        table_from(MESSY).apply(pd.DataFrame({"row": [9], "column": ["city"], "new": ["X"]}))


def test_codes_are_reused_only_while_the_column_is_the_same_array(table_from):
    table = table_from(MESSY * 3)
    codes, uniques = table.factorized("city")
    assert table.factorized("city")[0] is codes                           # memo hit
    country_codes = table.factorized("country")[0]
    edited = table.apply(pd.DataFrame({"row": [1], "column": ["city"], "new": ["lyon"]}))
    assert edited.factorized("country")[0] is country_codes               # untouched column: forwarded
    new_codes, new_uniques = edited.factorized("city")
    assert new_uniques.tolist() == ["lyon", "Hà Nội", "12345", "paris"]   # first-seen order of the new cells
    assert new_codes.tolist()[:5] == [0, 1, 2, 0, 3]
    assert uniques.tolist() == ["paris", "Hà Nội", "12345", "lyon"]       # the old table's memo is intact


def test_a_frame_swapped_in_by_replace_is_factorized_afresh(table_from):
    table = table_from(MESSY)
    table.factorized("city")
    NormalizerStep(CountingUpper()).run(table)
    swapped = replace(table, frame=table.frame.assign(city=["nice", "nice", "", "Ο Πειραιάς"]))
    assert swapped.factorized("city")[1].tolist() == ["nice", "", "Ο Πειραιάς"]
    run = run_steps(swapped, [NormalizerStep(CountingUpper())])
    assert run.table.frame["city"].tolist() == ["NICE", "NICE", "", "Ο ΠΕΙΡΑΙΆΣ"]


def test_a_subset_of_rows_is_factorized_afresh(table_from):
    table = table_from(MESSY)
    table.factorized("city")
    subset = table.with_frame(table.frame.iloc[[3, 0]])
    assert subset.factorized("city")[1].tolist() == ["lyon", "paris"]


def test_the_memo_checks_the_array_not_the_column_name(table_from):
    """Even a column swapped inside the table's own frame (which steps must not do) is not answered from the memo."""
    table = table_from(MESSY)
    column_pairs(table, "city", Role.COUNTRY)
    table.frame["city"] = ["nice", "nice", "Brașov", "nice"]
    assert table.factorized("city")[1].tolist() == ["nice", "Brașov"]
    codes, pairs = column_pairs(table, "city", Role.COUNTRY)
    assert pairs.to_dict("list") == {"value": ["nice", "nice", "Brașov"], "hint": ["FR", "VN", "RO"]}
    assert codes.tolist() == [0, 1, 2, 0]


def test_steps_see_each_others_edits_through_the_memo(table_from):
    """A step reading a column an earlier step edited must see the edited cells, not memoized old codes."""
    table = table_from([{"city": "  paris ", "country": "FR"}, {"city": "paris", "country": "FR"}] * 3)
    run = run_steps(table, [NormalizerStep(TrimCity()), NormalizerStep(CountingUpper())])
    assert run.table.frame["city"].tolist() == ["PARIS"] * 6
    city = run.changes.frame().query("column == 'city'")
    assert city["rule"].tolist() == ["trim.fix"] * 3 + ["upper.fix"] * 6
    assert city["old"].tolist() == ["  paris "] * 3 + ["paris"] * 6


@dataclass
class TrimCity:
    name: ClassVar[str] = "trim"
    role: ClassVar[Role] = Role.CITY
    hint: ClassVar[Role | None] = None
    after: ClassVar[tuple[str, ...]] = ()
    rules_declared: ClassVar[dict[str, str]] = {"trim.fix": "trimmed"}

    def normalize(self, value: str, hint: str = ""):
        return Fix(value.strip(), "trim.fix") if value != value.strip() else None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.sampled_from(["city", "notes", "title"]),
                          st.sampled_from(["", "Đà Nẵng", "Ştefan", "x y", "Ö"])), max_size=12))
def test_apply_equals_a_deep_copy_written_with_loc(edits: list[tuple[int, str, str]]) -> None:
    from tests.conftest import make_table

    table = make_table(MESSY + MESSY[:2])
    frame = pd.DataFrame(edits, columns=["row", "column", "new"])
    expected = table.frame.copy()
    for column, group in frame.groupby("column", sort=False):
        if column not in expected.columns:
            expected[column] = ""
        expected.loc[group["row"].to_numpy(), column] = group["new"].to_numpy()
    assert table.apply(frame).frame.equals(expected)
