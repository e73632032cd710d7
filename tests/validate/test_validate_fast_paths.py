"""The shortcuts validation takes at scale answer exactly as the plain pandas/library code they replace."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.ruleset import RuleSet
from custclean.validate.context import Regions
from custclean.validate.user_rules import blank_cells

# Text as lists have it: empty, spaces of every kind (tab, no-break, ideographic), letters, digits.
CELL = st.one_of(
    st.text(" \t\n\u00a0\u3000\u2003\u200bxé0", max_size=6),
    st.sampled_from(("", " ", "\u00a0", "\t \n", "Nguyễn", " Ana ", "\u200b", "0")),
)


@settings(max_examples=120, deadline=None)
@given(cells=st.lists(CELL, max_size=30))
def test_blank_cells_is_strip_empty(cells):
    values = pd.Series(cells, index=range(7, 7 + len(cells)), dtype=object)
    assert blank_cells(values.to_numpy()).tolist() == (values.str.strip() == "").tolist()


def test_blank_cells_counts_missing_values_as_filled_like_pandas():
    values = pd.Series(["", None, float("nan"), "  ", "x"], dtype=object)
    blank = blank_cells(values.to_numpy()).tolist()
    assert blank == (values.str.strip() == "").tolist() == [True, False, False, True, False]


def test_regions_keep_each_country_cell_and_the_default_for_blank_cells():
    rules = RuleSet.load()
    plain, defaulted = Regions.build(rules, None), Regions.build(rules, "ro")
    for _ in range(2):      # the second time from the kept answers
        assert defaulted.region("") == defaulted.region("   ") == "RO"
        assert plain.region("") is None
        assert plain.region("Việt Nam") == defaulted.region("Việt Nam") == "VN"
        assert plain.region("Atlantis") is None
        assert defaulted.region("Atlantis") == "RO"
