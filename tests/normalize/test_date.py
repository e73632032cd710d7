"""Dates: ISO output, the per-column day/month decision, written months, Excel serials, honest findings."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.normalize.base import NormalizerStep, Unclear
from custclean.normalize.date import column_order
from custclean.pipeline import run_steps


@pytest.mark.cases("date")
def test_date_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("date"), case)


@pytest.mark.cases("birth_date")
def test_birth_date_cases(case, check_case, normalizer_for):
    check_case(normalizer_for("birth_date"), case)


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["01/02/1990", "25/12/1990", ""], "dmy"),
        (["01/02/1990", "12/25/1990"], "mdy"),
        (["01/02/1990", "02/03/1991"], None),                      # nothing proves either order
        (["01/02/1990", "25/12/1990", "12/25/1990"], None),        # two merged lists prove neither
        (["31.12.1980", "01/02/1990"], None),                      # dotted dates are day-first anyway
        (["1990-12-25", "n/a", "32874"], None),
    ],
)
def test_column_order(values, order):
    assert column_order(pd.Series(values, dtype=object)) == order


def test_a_column_decides_its_ambiguous_values(normalizer_for):
    normalizer = normalizer_for("date")
    day_first = normalizer.for_column(pd.Series(["25/12/1990", "03/04/1990"]))
    month_first = normalizer.for_column(pd.Series(["12/25/1990", "03/04/1990"]))
    assert day_first.normalize("03/04/1990").value == "1990-04-03"
    assert month_first.normalize("03/04/1990").value == "1990-03-04"
    assert month_first.normalize("03/04/1990", "FR").value == "1990-03-04"   # the column outweighs the row


def test_config_date_order_is_forced(normalizer_for):
    forced = normalizer_for("date", date_order="mdy")
    assert forced.normalize("03/04/1990").value == "1990-03-04"
    assert forced.for_column(pd.Series(["25/12/1990"])).normalize("03/04/1990").value == "1990-03-04"


def test_two_digit_years_of_birth_are_never_in_the_future(normalizer_for):
    birth, other = normalizer_for("birth_date"), normalizer_for("date")
    assert birth.normalize("01/02/30", "FR").value == "1930-02-01"
    assert other.normalize("01/02/30", "FR").value == "2030-02-01"


def test_step_uses_the_column_evidence(table_from, normalizer_for):
    table = table_from([{"birth_date": "25/12/1990"}, {"birth_date": "03/04/1990"}, {"birth_date": "31/02/1990"}])
    run = run_steps(table, [NormalizerStep(normalizer_for("birth_date"))])
    assert list(run.table.frame["birth_date"]) == ["1990-12-25", "1990-04-03", "31/02/1990"]
    assert list(run.findings.frame()["code"]) == ["date.invalid"]


# The normalizer remembers each value's answer, and per country the answers only a country can decide.
_DATES = st.one_of(
    st.from_regex(r"\s?[0-9]{1,4}[./\- ][0-9]{1,2}[./\- ][0-9]{1,4}\.?( [0-9]{1,2}:[0-9]{2}( ?[AaPp][Mm])?)?",
                  fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?)?", fullmatch=True),
    st.from_regex(r"[0-9]{5}(\.[0-9]{1,3})?|[0-9]{8}", fullmatch=True),
    st.from_regex(r"(le |ngày )?[0-9]{1,2}\.? (mars|März|tháng [0-9]|Dec|sept\.?|Ianuarie) (năm )?[0-9]{2,4}",
                  fullmatch=True),
)
_HINTS = st.sampled_from(["US", "FR", "CA", "", "PH", "Vereinigte Staaten", "France", "Atlantis", "usa"])


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.tuples(_DATES, _HINTS), min_size=1, max_size=6), name=st.sampled_from(["date", "birth_date"]))
def test_remembered_answers_are_the_computed_ones(cells, name, normalizer_for):
    shared = normalizer_for(name)
    for value, hint in [*cells, *((v, h) for v, _ in cells for h in ("US", "FR", ""))]:
        assert shared.normalize(value, hint) == shared._outcome(value, hint)


def test_one_value_read_per_row_country(normalizer_for):
    normalizer = normalizer_for("birth_date").for_column(pd.Series(["03/04/1990"]))
    assert normalizer.normalize("03/04/1990", "US").value == "1990-03-04"
    assert normalizer.normalize("03/04/1990", "FR").value == "1990-04-03"
    assert normalizer.normalize("03/04/1990", "") == Unclear("date.ambiguous")
    assert normalizer.normalize("03/04/1990", "Vereinigte Staaten") == Unclear("date.ambiguous")   # unknown here
    assert normalizer.normalize("03/04/1990", "United States").value == "1990-03-04"
    assert normalizer.normalize("25/04/1990", "US").value == "1990-04-25"
