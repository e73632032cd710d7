"""Scoring a slice of pairs at a time must not change any pair's weight, and keeps field weights for reported pairs."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import make_table
from tests.match.conftest import background

import custclean as cc
import custclean.match.scoring as scoring
from custclean.match.comparisons import KeyCodes, PairContext, compare_pairs
from custclean.match.engine import load_settings
from custclean.match.keys import build_keys
from custclean.match.nicknames import shipped_nicknames


@pytest.fixture(scope="module")
def scored_inputs(rules: cc.RuleSet):
    rows = background(250, seed=3)
    rows += [dict(r, first_name=r["first_name"].upper(), phone="") for r in rows[:40]]   # duplicates
    table = make_table(rows)
    keys = build_keys(table, cc.Config(), rules)
    settings = load_settings(cc.Config(), rules, list(keys.columns))
    left, right = np.triu_indices(len(keys), 1)
    coded = KeyCodes(keys)
    levels = compare_pairs(PairContext(keys, left, right, shipped_nicknames(), 1, coded), settings.comparisons)
    comps = settings.comparisons
    u = scoring.estimate_u(levels[::7], comps, coded)
    model = scoring.fit_m(levels, scoring.Model(comps, [], u), len(keys))
    tf = {c.field: scoring.PairFrequencies(scoring.term_frequencies(*coded.get(c.key)), coded.get(c.key)[0], left)
          for c in comps if c.tf}
    return levels, model, tf, settings.review_bits


def test_chunked_scores_equal_one_pass(scored_inputs, monkeypatch):
    levels, model, tf, review_bits = scored_inputs
    whole = scoring.score(levels, model, tf, keep_from=review_bits)
    monkeypatch.setattr(scoring, "SCORE_CHUNK", 997)
    sliced = scoring.score(levels, model, tf, keep_from=review_bits)
    assert len(levels) > 10 * 997
    assert np.array_equal(whole.weight, sliced.weight)
    assert np.array_equal(whole.field_rows, sliced.field_rows)
    assert np.array_equal(whole.field_weights, sliced.field_weights)


def test_field_weights_are_kept_for_reported_pairs_only(scored_inputs):
    levels, model, tf, review_bits = scored_inputs
    everything = scoring.score(levels, model, tf)
    kept = scoring.score(levels, model, tf, keep_from=review_bits)
    reported = np.flatnonzero(kept.weight >= review_bits)
    assert 40 <= len(reported) < len(levels) // 100         # the duplicates, not the crowd
    assert np.array_equal(kept.field_weights_of(reported), everything.field_weights[reported])
    with pytest.raises(ValueError, match="not kept"):
        kept.field_weights_of(np.flatnonzero(kept.weight < review_bits)[:3])
