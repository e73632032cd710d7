"""The vectorised edit-distance test must give exactly rapidfuzz's answer, whatever the strings."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from custclean.match.editbounds import MAX_WIDTH, bag_distance, bags_of, within_edit

# Near-misses of the kinds the edit levels exist for, next to values that differ a lot.
VALUES = np.array([
    "612345678", "612345679", "621345678", "61234567", "6123456789", "987654321", "",
    "jean.dupont@gmail.com", "jean.dupont@gmial.com", "jeandupont@gmail.com", "nguyen.van.an@yahoo.com.vn",
    "ștefan.popescu@yahoo.ro", "stefan.popescu@yahoo.ro", "19800304", "19800403", "19080304", "75012", "75021",
    "x" * (MAX_WIDTH + 5), "x" * (MAX_WIDTH + 4) + "y", "Hoa Kỳ", "Hoa Ky",
], dtype=object)


def _expected(values: np.ndarray, ca: np.ndarray, cb: np.ndarray, k: int) -> np.ndarray:
    return np.array([Levenshtein.distance(values[a], values[b]) <= k for a, b in zip(ca, cb, strict=True)])


def _all_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    ca, cb = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return ca.ravel(), cb.ravel()


def test_every_pair_of_realistic_values_gets_rapidfuzz_answer():
    bags = bags_of(VALUES)
    ca, cb = _all_pairs(len(VALUES))
    for k in (0, 1, 2, 3):
        assert (within_edit(VALUES, bags, ca, cb, k) == _expected(VALUES, ca, cb, k)).all(), k


def test_bound_never_exceeds_the_distance_and_rejects_far_pairs():
    bags = bags_of(VALUES)
    ca, cb = _all_pairs(len(VALUES))
    bound = bag_distance(bags, ca, cb)
    true = np.array([Levenshtein.distance(VALUES[a], VALUES[b]) for a, b in zip(ca, cb, strict=True)])
    assert (bound <= true).all()
    phone, email = VALUES.tolist().index("612345678"), VALUES.tolist().index("jean.dupont@gmail.com")
    assert bound[(ca == phone) & (cb == email)][0] >= 9    # told apart without rapidfuzz
    assert bound[(ca == phone) & (cb == phone + 1)][0] == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("0123456789abcé.@- "), max_size=12), min_size=2, max_size=25),
       st.integers(0, 3))
def test_same_answer_as_rapidfuzz_on_any_strings(words, k):
    values = np.asarray(pd.unique(pd.Series(words, dtype=object)), dtype=object)
    ca, cb = _all_pairs(len(values))
    assert (within_edit(values, bags_of(values), ca, cb, k, workers=1) == _expected(values, ca, cb, k)).all()
