"""The one-to-one assignment of link: mutual best first, and the bar of an uncontested pair."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.match.assign import LONE_MARGIN, assign, known_share, lone_bits

T = 8.17   # the default threshold in bits


def _links(pairs: list[tuple[int, int, float]], n_master: int, n_new: int, conflict: list[bool] | None = None
           ) -> dict[int, int]:
    left, right, weight = (np.array(x) for x in zip(*pairs, strict=True))
    result = assign(left.astype(np.int64), right.astype(np.int64), weight.astype(float), T, n_master, n_new,
                    None if conflict is None else np.array(conflict))
    return {int(right[i]): int(left[i]) for i in result.chosen}


def test_a_master_record_goes_to_its_best_new_record_and_the_other_takes_its_own() -> None:
    # new 1 prefers master 0 (9.0) but master 0 is new 0's (12.0): new 1 falls back on master 1 (8.5)
    links = _links([(0, 0, 12.0), (0, 1, 9.0), (1, 1, 8.5)], 2, 2)
    assert links == {0: 0, 1: 1}


def test_a_new_record_whose_only_match_is_taken_stays_unmatched() -> None:
    links = _links([(0, 0, 15.0), (0, 1, 10.0)], 1, 2)
    assert links == {0: 0}


def test_weak_uncontested_pair_is_linked_only_when_most_new_records_are_known() -> None:
    known = [(i, i, 20.0) for i in range(1, 40)]
    weak = [(0, 0, 4.0)]
    assert _links(known + weak, 40, 40)[0] == 0                        # 39 of 40 known: linked
    newcomers = [(i, i, 20.0) for i in range(1, 4)]
    assert 0 not in _links(newcomers + weak, 40, 40)                    # 3 of 40 known: not linked


def test_weak_pair_with_a_close_runner_up_or_an_email_conflict_is_not_linked() -> None:
    known = [(i, i, 20.0) for i in range(2, 40)]
    rivals = [(0, 0, 4.0), (1, 0, 4.0 - LONE_MARGIN / 2)]               # two plausible masters for new 0
    assert 0 not in _links(known + rivals, 40, 40)
    weak = [(0, 0, 4.0)]
    assert 0 not in _links(known + weak, 40, 40, [False] * len(known) + [True])


def test_lone_bar_falls_with_the_known_share_and_never_rises_above_the_threshold() -> None:
    shares = [0.1, 0.5, 0.6, 0.9, 0.99, 0.999]
    bars = [lone_bits(s, T) for s in shares]
    assert bars[0] == bars[1] == T
    assert all(a > b for a, b in itertools.pairwise(bars[1:]))
    assert 0.0 < known_share(0, 10) < known_share(10, 10) < 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.floats(-10, 30)), min_size=1, max_size=60,
                unique_by=lambda p: (p[0], p[1])))
def test_assignment_is_one_to_one_and_every_link_meets_a_bar(pairs: list[tuple[int, int, float]]) -> None:
    left, right, weight = (np.array(x) for x in zip(*pairs, strict=True))
    result = assign(left.astype(np.int64), right.astype(np.int64), weight.astype(float), T, 10, 10)
    chosen = result.chosen
    assert len(set(left[chosen])) == len(chosen) == len(set(right[chosen]))
    assert (weight[chosen][~result.lone] >= T).all()
    assert (weight[chosen][result.lone] >= result.lone_bits).all()
    assert ((result.probability >= 0) & (result.probability <= 1)).all()
    # every confident pair left out lost to a stronger (or equal) link of one of its records
    linked_w = {("l", int(left[i])): weight[i] for i in chosen} | {("r", int(right[i])): weight[i] for i in chosen}
    for i in np.flatnonzero(weight >= T):
        if i not in chosen:
            rivals = [linked_w.get(("l", int(left[i])), -np.inf), linked_w.get(("r", int(right[i])), -np.inf)]
            assert max(rivals) >= weight[i]
