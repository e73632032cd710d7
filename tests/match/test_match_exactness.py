"""The vectorised matching helpers give exactly what their plain formulas give.

Pair keys are stored in decisions files and cluster ids are written to every report, so the fast paths
(fingerprints per distinct record, ids written by numpy, level patterns packed in bytes, ranks by one
stable sort, random-pair codes taken from the list's codes) must match the formulas digit for digit.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from tests.conftest import make_table
from tests.match.conftest import background

import custclean as cc
import custclean.match.scoring as scoring
from custclean.match.blocking import BlockContext, _dense
from custclean.match.clustering import cluster_ids
from custclean.match.comparisons import KeyCodes, compare_pairs
from custclean.match.engine import _random_pair_context, load_settings
from custclean.match.keys import build_keys
from custclean.match.nicknames import shipped_nicknames
from custclean.match.review import IDENTITY_KEYS, pair_keys, record_fingerprints


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def messy_keys(rules: cc.RuleSet) -> pd.DataFrame:
    rows = background(200, seed=5)
    rows += [dict(r) for r in rows[:15]]                                         # exact repeats
    rows += [dict(r, first_name=r["first_name"].upper(), email="") for r in rows[15:30]]
    rows += [{"first_name": "Nguyễn Thị", "last_name": "Hoà", "city": "Hà Nội", "street": "12 phố Huế"},
             {"first_name": "", "last_name": "", "email": "x@y.ro"}]
    return build_keys(make_table(rows), cc.Config(), rules)


def test_fingerprints_hash_the_identifying_keys_of_each_record(messy_keys: pd.DataFrame) -> None:
    present = [k for k in IDENTITY_KEYS if k in messy_keys.columns]
    expected = ["\x1f".join(str(messy_keys[k].iloc[i]) for k in present) for i in range(len(messy_keys))]
    rows = np.array([0, 3, 200, 201, 214, 230, len(messy_keys) - 1])
    fps = record_fingerprints(messy_keys, None, rows)
    assert fps[rows].tolist() == [_sha(expected[i]) for i in rows]
    assert (np.delete(fps, rows) == "").all()
    whole = record_fingerprints(messy_keys)
    assert whole.tolist() == [_sha(t) for t in expected]
    assert whole[0] == whole[200]
    assert whole[0] != whole[1]
    plain = messy_keys.astype(object)                                  # a key frame of plain strings
    assert record_fingerprints(plain).tolist() == whole.tolist()


def test_fingerprints_use_the_id_column_when_every_record_has_one(messy_keys: pd.DataFrame) -> None:
    ids = pd.Series([f"CU-{i:05d}" for i in range(len(messy_keys))])
    fps = record_fingerprints(messy_keys, ids, np.array([4, 7]))
    assert fps[[4, 7]].tolist() == [_sha("id\x1fCU-00004"), _sha("id\x1fCU-00007")]


def test_pair_keys_do_not_depend_on_which_record_comes_first(messy_keys: pd.DataFrame) -> None:
    fps = record_fingerprints(messy_keys)
    left, right = np.array([0, 5, 9, 200]), np.array([1, 2, 30, 0])
    keys = pair_keys(fps, left, right)
    assert keys.tolist() == pair_keys(fps, right, left).tolist()
    lo, hi = np.minimum(fps[left], fps[right]), np.maximum(fps[left], fps[right])
    assert keys.tolist() == [_sha(f"{a}|{b}") for a, b in zip(lo, hi, strict=True)]


def test_cluster_ids_of_every_width_and_sign() -> None:
    keys = pd.Index([2**63 - 1, 10**18, 10**18 - 1, 10**6, 999_999, 7, 0, -3, -(10**7)], dtype=np.int64)
    ids = cluster_ids(keys, np.arange(len(keys)))
    assert ids.tolist() == [f"c{k:06d}" for k in keys]
    assert cluster_ids(pd.Index([12, 3_000_000, 5], dtype=np.int64), np.array([0, 0, 1])).tolist() == \
        ["c000012", "c000012", "c000005"]


def _old_pattern_codes(levels: np.ndarray) -> np.ndarray:
    codes = np.zeros(len(levels), dtype=np.int64)
    for j in range(levels.shape[1]):
        codes = codes * 16 + (levels[:, j].astype(np.int64) + 1)
    return codes


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 15).flatmap(lambda k: arrays(np.int8, st.tuples(st.integers(0, 60), st.just(k)),
                                                   elements=st.integers(-1, 13))))
def test_level_patterns_keep_the_base16_order(levels: np.ndarray) -> None:
    fast, _ = pd.factorize(scoring._pattern_codes(levels), sort=True)
    plain, _ = pd.factorize(_old_pattern_codes(levels), sort=True)
    assert np.array_equal(fast, plain)
    patterns, counts = scoring._patterns(levels)
    assert counts.sum() == len(levels)
    assert len(np.unique(patterns, axis=0)) == len(patterns)


@settings(max_examples=60, deadline=None)
@given(arrays(np.int64, st.integers(0, 80), elements=st.integers(-(2**40), 2**40)))
def test_ordered_dense_codes_are_ranks_among_distinct_values(values: np.ndarray) -> None:
    codes, count = _dense(values, keep_order=True)
    uniques, inverse = np.unique(values, return_inverse=True)
    assert np.array_equal(codes, inverse.ravel())
    assert count == max(len(uniques), 1)


def test_ranks_sort_by_postcode_birth_date_street_then_row(messy_keys: pd.DataFrame) -> None:
    rank, order = BlockContext(messy_keys).ranks()
    text = messy_keys[["postal_code", "birth_date", "street"]].astype(str)
    expected = sorted(range(len(text)), key=lambda i: (*text.iloc[i].tolist(), i))
    assert order.tolist() == expected
    assert np.array_equal(rank[order], np.arange(len(order)))


def test_random_pair_codes_from_the_list_codes_give_the_same_levels(messy_keys: pd.DataFrame,
                                                                    rules: cc.RuleSet) -> None:
    comps = load_settings(cc.Config(), rules, list(messy_keys.columns)).comparisons
    coded = KeyCodes(messy_keys)
    known = [c.key for c in comps]
    seeded = _random_pair_context(messy_keys, None, shipped_nicknames(), 1, coded, known)
    fresh = _random_pair_context(messy_keys, None, shipped_nicknames(), 1)
    for key in known:                   # coded already: seeding the sample's own codes again is refused
        assert not seeded.coded.seed(key, *fresh.coded.get(key)[:2])
    assert np.array_equal(compare_pairs(seeded, comps), compare_pairs(fresh, comps))
    for key in known:
        mine, theirs = seeded.coded.get(key), fresh.coded.get(key)
        assert np.array_equal(mine[0], theirs[0])
        assert mine[1].tolist() == theirs[1].tolist()
        assert mine[2] == theirs[2]


def test_term_frequency_bits_only_on_exact_agreement(messy_keys: pd.DataFrame, rules: cc.RuleSet) -> None:
    comps = load_settings(cc.Config(), rules, list(messy_keys.columns)).comparisons
    coded = KeyCodes(messy_keys)
    left, _right = np.triu_indices(len(messy_keys), 1)
    ctx = _random_pair_context(messy_keys, None, shipped_nicknames(), 1)
    model = scoring.Model(comps, [scoring.default_m(len(c.levels)) for c in comps],
                          scoring.estimate_u(compare_pairs(ctx, comps), comps, coded))
    levels = np.zeros((len(left), len(comps)), dtype=np.int8)
    levels[::3] = -1
    tf = {c.field: scoring.PairFrequencies(scoring.term_frequencies(*coded.get(c.key)), coded.get(c.key)[0], left)
          for c in comps if c.tf}
    weights = [np.r_[w, 0.0].astype(np.float32) for w in model.weights()]
    got = scoring._field_weights(levels, model, weights, tf, 0)
    for j, comp in enumerate(comps):
        plain = weights[j][levels[:, j]]
        if comp.field in tf:
            plain = plain + np.where(levels[:, j] == 0, np.log2(model.u[j][0] / tf[comp.field][:]), 0.0)
        assert np.array_equal(got[:, j], plain.astype(np.float32))
