"""The vectorised blocking against a plain reference: same pairs, same order, same per-rule stats.

The reference groups rows with dicts and sorts them with Python tuples, the way the rules are
documented: blocks of up to SMALL_BLOCK give all their pairs, larger ones pair each member with its
next BLOCK_WINDOW - 1 members by (postcode, birth date, street, row), blocks over max_block are skipped.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.match.blocking import (
    BLOCK_WINDOW,
    SMALL_BLOCK,
    BlockingRule,
    BlockOn,
    SortedNeighbourhood,
    candidate_pairs,
    neighbour_rank,
)

RANK_KEYS = ("postal_code", "birth_date", "street")
RULES: list[BlockingRule] = [
    BlockOn(("last_name",)), BlockOn(("postal_code", "last_name")), SortedNeighbourhood("name", 3),
    BlockOn(("birth_date", "street", "last_name")), SortedNeighbourhood("street", 2), BlockOn(("last_name",)),
]


def _block_on(keys: pd.DataFrame, on: tuple[str, ...], max_block: int) -> tuple[set[tuple[int, int]], int]:
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for row, values in enumerate(zip(*(keys[c] for c in on), strict=True)):
        if all(values):
            groups[values].append(row)
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for members in groups.values():
        if len(members) > max_block:
            skipped += 1
        elif len(members) <= SMALL_BLOCK:
            pairs.update(itertools.combinations(members, 2))
        else:
            ordered = sorted(members, key=lambda r: (*(keys[c].iloc[r] for c in RANK_KEYS), r))
            pairs.update((ordered[i], ordered[i + s]) for s in range(1, BLOCK_WINDOW) for i in range(len(ordered) - s))
    return pairs, skipped


def _sorted_window(keys: pd.DataFrame, key: str, window: int) -> set[tuple[int, int]]:
    ordered = [row for _, row in sorted((v, row) for row, v in enumerate(keys[key]) if v)]
    return {(ordered[i], ordered[i + s]) for s in range(1, window) for i in range(len(ordered) - s)}


def reference(keys: pd.DataFrame, rules: list[BlockingRule], max_block: int,
              source: np.ndarray | None = None) -> tuple[list[tuple[int, int]], dict[str, dict[str, int]]]:
    seen: set[tuple[int, int]] = set()
    stats: dict[str, dict[str, int]] = {}
    for rule in rules:
        if isinstance(rule, BlockOn):
            pairs, skipped = _block_on(keys, rule.on, max_block)
        else:
            assert isinstance(rule, SortedNeighbourhood)
            pairs, skipped = _sorted_window(keys, rule.key, rule.window), 0
        if source is None:
            pairs = {(min(a, b), max(a, b)) for a, b in pairs}
        else:
            pairs = {(a, b) if source[a] == 0 else (b, a) for a, b in pairs if source[a] != source[b]}
        stats[rule.name] = {"pairs": len(pairs), "new_pairs": len(pairs - seen), "blocks_skipped": skipped}
        seen |= pairs
    return sorted(seen, key=lambda p: p[0] * len(keys) + p[1]), stats


# Few values per column, so that blocks of every size show up; accented values test the string order.
VALUES = {
    "last_name": ["", "nguyen", "muller", "müller", "popescu"],
    "name": ["", "nguyen an", "nguyen anh", "ștefan", "zoe", "élodie"],
    "postal_code": ["", "75011", "10115", "700000"],
    "birth_date": ["", "19800101", "19800110"],
    "street": ["", "rue de la paix", "hauptstrasse", "duong le loi"],
}


@st.composite
def key_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 70))
    columns = {c: draw(st.lists(st.sampled_from(v[:draw(st.integers(2, len(v)))]), min_size=n, max_size=n))
               for c, v in VALUES.items()}
    return pd.DataFrame(columns, dtype=object)


@settings(max_examples=80, deadline=None)
@given(key_frames(), st.integers(2, 40))
def test_fast_blocking_gives_the_reference_pairs_and_stats(keys: pd.DataFrame, max_block: int) -> None:
    pairs = candidate_pairs(keys, RULES, max_block)
    expected, stats = reference(keys, RULES, max_block)
    assert list(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == expected
    assert pairs.stats == stats
    assert pairs.left.dtype == np.int64
    assert pairs.right.dtype == np.int64


@settings(max_examples=40, deadline=None)
@given(key_frames(), st.integers(2, 40), st.data())
def test_fast_blocking_links_across_sources_like_the_reference(keys: pd.DataFrame, max_block: int,
                                                                data: st.DataObject) -> None:
    source = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=len(keys), max_size=len(keys))),
                      dtype=np.int8)
    pairs = candidate_pairs(keys, RULES, max_block, source)
    expected, stats = reference(keys, RULES, max_block, source)
    assert list(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == expected
    assert pairs.stats == stats


def test_large_block_pairs_neighbours_by_postcode_birth_date_and_street() -> None:
    # 14 "Nguyễn" in one block (> SMALL_BLOCK): only records close in postcode/birth date/street pair up.
    streets = [f"duong le loi {i:02d}" for i in range(14)]
    keys = pd.DataFrame({"last_name": ["nguyen"] * 14, "postal_code": ["700000"] * 7 + ["100000"] * 7,
                         "birth_date": [""] * 14, "street": streets[::-1]}, dtype=object)
    pairs = candidate_pairs(keys, [BlockOn(("last_name",))])
    got = set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))
    assert (12, 13) in got
    assert (0, 13) not in got
    assert len(got) == 14 * 3 - 6
    assert neighbour_rank(keys).tolist()[7:] == list(range(7))[::-1]


@settings(max_examples=40, deadline=None)
@given(key_frames(), st.integers(2, 40), st.randoms(use_true_random=False))
def test_codes_given_by_the_caller_give_the_same_pairs(keys: pd.DataFrame, max_block: int, rnd: random.Random) -> None:
    codes = {}
    for column in keys.columns:
        values = sorted(set(keys[column]) | {"unused"})
        rnd.shuffle(values)                                  # any numbering, values no row has
        place = {v: i for i, v in enumerate(values)}
        codes[column] = (np.array([place[v] for v in keys[column]], dtype=np.int32), np.array(values, dtype=object))
    pairs = candidate_pairs(keys, RULES, max_block, codes=codes)
    expected, stats = reference(keys, RULES, max_block)
    assert list(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == expected
    assert pairs.stats == stats
