"""run_steps and the distinct-value adapter: edits recorded, new columns appended, values seen once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from custclean.normalize.base import Fix, NormalizerStep, Unclear
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
