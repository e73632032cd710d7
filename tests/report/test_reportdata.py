"""reportdata's counting helpers: the same answers whether millions of edits are counted whole or a chunk at a time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.report import reportdata
from custclean.report.reportdata import ReportData, distinct, edit_groups, first_per_group, tally

COLUMNS = st.sampled_from(["Pays", "Téléphone", "Nom", "Prénom", "", None])
RULES = st.sampled_from(["country.alias", "phone.e164", "name.case", "text.trim", None])


def _plain_groups(changes: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Groups as one whole-column groupby gives them (NaN-free pairs in order of first edit)."""
    complete = changes["column"].notna() & changes["rule"].notna()
    numbers = changes[complete].groupby(["column", "rule"], sort=False).ngroup()
    codes = np.full(len(changes), -1, dtype=np.int64)
    codes[complete.to_numpy()] = numbers.to_numpy()
    pairs = changes[complete].drop_duplicates(["column", "rule"])[["column", "rule"]].reset_index(drop=True)
    return codes, pairs


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(COLUMNS, RULES), max_size=120), st.integers(1, 9), st.integers(1, 40))
def test_edit_groups_and_samples_do_not_depend_on_the_chunk_size(edits, chunk, limit) -> None:
    changes = pd.DataFrame(edits, columns=["column", "rule"], dtype=object)
    expected_codes, expected_groups = _plain_groups(changes)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reportdata, "CHUNK", chunk)
        codes, groups = edit_groups(ReportData(Path("."), frames={"changes": changes}))
    assert codes.tolist() == expected_codes.tolist()
    pd.testing.assert_frame_equal(groups, expected_groups.astype(object))
    rank = pd.Series(expected_codes).groupby(expected_codes).cumcount()
    ranked = pd.DataFrame({"rank": rank, "code": expected_codes}).query("code >= 0").sort_values("rank", kind="stable")
    assert first_per_group(codes, limit) == ranked.index[:limit].tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["text", "phone", "address", "merge", "safety", None]), max_size=60),
       st.integers(1, 9))
def test_tally_counts_a_chunk_at_a_time_as_a_whole_column(steps, chunk) -> None:
    values = pd.Series(steps, dtype=object)
    whole = tally(values)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reportdata, "CHUNK", chunk)
        chunked = tally(values)
    pd.testing.assert_series_equal(chunked, whole)
    assert dict(whole) == values.dropna().value_counts().to_dict()
    assert list(whole.index) == sorted(dict.fromkeys(values.dropna()), key=lambda v: -int(whole[v]))


@pytest.mark.parametrize("rows", [
    [3, 3, 17, 1_000_000, 2], [5], [-4, 2, 2], [2**40, 1], ["a.csv:3", "b.csv:3", "a.csv:3"], [1, "x", 1],
])
def test_distinct_counts_row_keys_of_any_kind(rows) -> None:
    assert distinct(pd.Series(np.array(rows, dtype=object))) == len(set(rows))
    if all(isinstance(r, int) for r in rows):
        assert distinct(pd.Series(np.array(rows, dtype=np.int64))) == len(set(rows))
