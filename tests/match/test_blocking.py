"""Blocking: exact pair generation, empty keys, the block-size cap, and the union across rules."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import make_table

import custclean as cc
from custclean.match.blocking import BLOCK_WINDOW, BlockOn, SortedNeighbourhood, candidate_pairs
from custclean.match.engine import load_settings
from custclean.match.keys import build_keys


def brute_force(values: list[str], max_block: int) -> set[tuple[int, int]]:
    sizes = pd.Series(values).value_counts()
    return {(i, j) for i, j in itertools.combinations(range(len(values)), 2)
            if values[i] == values[j] and values[i] != "" and sizes[values[i]] <= max_block}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["", "a", "b", "c", "d"]), min_size=0, max_size=40), st.integers(2, 8))
def test_block_on_gives_exactly_the_pairs_sharing_a_key(values: list[str], max_block: int) -> None:
    keys = pd.DataFrame({"k": values}, dtype=object)
    pairs = candidate_pairs(keys, [BlockOn(("k",))], max_block)
    assert set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == brute_force(values, max_block)


def test_empty_keys_never_block() -> None:
    keys = pd.DataFrame({"email": ["", "", "", "x@y.fr"]}, dtype=object)
    assert len(candidate_pairs(keys, [BlockOn(("email",))]).left) == 0


def test_union_counts_each_pair_once() -> None:
    keys = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["1", "1", "1", "2"]}, dtype=object)
    pairs = candidate_pairs(keys, [BlockOn(("a",)), BlockOn(("b",)), SortedNeighbourhood("a", 2)])
    codes = pairs.left * 4 + pairs.right
    assert len(codes) == len(np.unique(codes))
    assert pairs.stats["b"] == {"pairs": 3, "new_pairs": 2, "blocks_skipped": 0}
    assert set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == {(0, 1), (2, 3), (0, 2), (1, 2)}


def test_block_cap_holds_when_every_row_has_the_same_surname(rules: cc.RuleSet) -> None:
    n = 3000
    rng = np.random.default_rng(3)
    rows = [{"first_name": str(rng.choice(["Thị Lan", "Văn An", "Minh", "Hoa", "Tuấn", "Thảo"])),
             "last_name": "Nguyễn", "city": "Hà Nội", "postal_code": "100000",
             "phone": f"09{rng.integers(10_000_000, 99_999_999)}"} for _ in range(n)]
    table = make_table(rows)
    keys = build_keys(table, cc.Config(), rules)
    config = load_settings(cc.Config(), rules, list(keys.columns))
    pairs = candidate_pairs(keys, config.blocks, config.max_block)
    assert len(pairs.left) < 10 * n                     # not the 4.5 million of all pairs
    assert pairs.stats["postal_code+last_name:metaphone"]["blocks_skipped"] == 1
    assert pairs.stats["postal_code+last_name:metaphone"]["pairs"] == 0
    assert pairs.stats["name:sorted"]["pairs"] < BLOCK_WINDOW * n   # not 1M pairs


def test_large_block_pairs_neighbours_only() -> None:
    keys = pd.DataFrame({"k": ["same"] * 100, "postal_code": [f"{i:05d}" for i in range(100)]}, dtype=object)
    pairs = candidate_pairs(keys, [BlockOn(("k",))], max_block=1000)
    assert len(pairs.left) == sum(100 - step for step in range(1, BLOCK_WINDOW))   # not 4,950 pairs
    assert ((pairs.right - pairs.left) < BLOCK_WINDOW).all()                      # neighbours in postcode order
