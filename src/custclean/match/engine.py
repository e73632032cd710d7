"""The matching run: keys -> blocking -> comparisons -> scoring -> clusters -> review, timed per stage.

`match_records` finds duplicates inside one table; `link_records` scores the pairs between two
tables with the same machinery (only pairs across the two are generated).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from custclean.config import Config
from custclean.match.arrays import sorted_unique
from custclean.match.blocking import DEFAULT_MAX_BLOCK, BlockingRule, candidate_pairs, rule_from_spec
from custclean.match.clustering import AGAINST_BITS, Links, cluster, cluster_frame
from custclean.match.comparisons import Comparison, KeyCodes, PairContext, compare_pairs, comparison_from_spec
from custclean.match.keys import build_keys
from custclean.match.nicknames import Nicknames, load_nicknames, shipped_nicknames
from custclean.match.review import load_decisions, pair_keys, record_fingerprints, review_frame
from custclean.match.scoring import (
    RANDOM_PAIRS,
    Model,
    PairFrequencies,
    Scores,
    bits_for,
    estimate_u,
    fit_m,
    random_pairs,
    score,
    term_frequencies,
)
from custclean.parallel import resolve_workers
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table

# Default thresholds, as probabilities on the fixed prior of scoring.py (so they mean the same evidence at
# 5,000 and at 1,000,000 rows). 0.90 = W >= 8.2 bits was chosen on the benchmarks: FEBRL3's pairwise F1 is
# 0.996 at 6 bits, 0.995 at 8 and 0.991 at 10 (its duplicates carry heavy typos, so it wants a low bar);
# on the synthetic customer lists F1 is 0.996 at 4 bits and 0.998 at 8-12 (households and namesakes want a
# high one). A household member with another first name and no birth date scores about 12 - 5 = 7 bits
# (household cap minus the first-name disagreement), so the bar must sit above 7: 8.2 bits holds both.
# Pairs from 5 bits (p >= 0.50) up are sent to review.
DEFAULT_THRESHOLD = 0.90
DEFAULT_REVIEW_THRESHOLD = 0.50
REVIEW_ROLES = (Role.FIRST_NAME, Role.LAST_NAME, Role.FULL_NAME, Role.BIRTH_DATE, Role.EMAIL, Role.PHONE,
                Role.STREET, Role.POSTAL_CODE, Role.CITY, Role.COMPANY, Role.ID)


@dataclass(frozen=True)
class Settings:
    """Blocking rules, comparisons and thresholds, from rules/match.toml and the [match] config."""

    blocks: tuple[BlockingRule, ...]
    comparisons: tuple[Comparison, ...]
    max_block: int
    threshold: float
    review_threshold: float

    @property
    def threshold_bits(self) -> float:
        return bits_for(self.threshold)

    @property
    def review_bits(self) -> float:
        return bits_for(self.review_threshold)


def load_settings(config: Config, rules: RuleSet, key_names: list[str]) -> Settings:
    data = rules.data("match")
    opts = config.match
    blocks = tuple(rule_from_spec(s, key_names) for s in [*data.get("block", []), *opts.blocks])
    comparisons = tuple(comparison_from_spec(s, key_names) for s in data.get("compare", []))
    if opts.fields:
        comparisons = tuple(c for c in comparisons if c.field in opts.fields)
    threshold = opts.threshold if opts.threshold is not None else DEFAULT_THRESHOLD
    review = opts.review_threshold if opts.review_threshold is not None else min(DEFAULT_REVIEW_THRESHOLD, threshold)
    max_block = opts.max_block or int(data.get("max_block", DEFAULT_MAX_BLOCK))
    return Settings(blocks, comparisons, max_block, threshold, review)


@dataclass
class Stages:
    """Seconds per stage, for stats and the benchmark."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def time(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 3)


@dataclass
class Scored:
    """Candidate pairs (row positions) with their levels, weights and probabilities."""

    left: np.ndarray
    right: np.ndarray
    levels: np.ndarray
    scores: Scores
    model: Model
    comparisons: tuple[Comparison, ...]
    block_stats: dict[str, dict[str, int]]


def _nicknames(rules: RuleSet) -> Nicknames:
    return load_nicknames(rules) if rules.user_dirs else shipped_nicknames()


def score_pairs(keys: pd.DataFrame, settings: Settings, config: Config, rules: RuleSet, stages: Stages,
                source: np.ndarray | None = None, codes: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
                ) -> Scored:
    """Blocking, comparisons, u/m estimation and scoring over a key frame (`codes`: build_keys' key codes)."""
    nicknames = _nicknames(rules)
    coded = KeyCodes(keys)
    for key, (key_codes, values) in (codes or {}).items():
        coded.seed(key, key_codes, values)
    comps = tuple(c for c in settings.comparisons if coded.present(c.key) >= 2)
    with stages.time("blocking"):
        pairs = candidate_pairs(keys, settings.blocks, settings.max_block, source, codes=codes)
    with stages.time("compare"):    # the pair context and its caches are dropped once the levels are known
        levels = compare_pairs(PairContext(keys, pairs.left, pairs.right, nicknames, config.match.workers, coded),
                               comps, resolve_workers(config.match.workers))
    with stages.time("score"):
        u_levels = compare_pairs(_random_pair_context(keys, source, nicknames, config.match.workers, coded,
                                                      [c.key for c in comps]), comps)
        model = fit_m(levels, Model(comps, [], estimate_u(u_levels, comps, coded)), len(keys))
        tf = {c.field: PairFrequencies(term_frequencies(*coded.get(c.key)), coded.get(c.key)[0], pairs.left)
              for c in comps if c.tf}
        scores = score(levels, model, tf, keep_from=settings.review_bits)
    return Scored(pairs.left, pairs.right, levels, scores, model, comps, pairs.stats)


def _random_pair_context(keys: pd.DataFrame, source: np.ndarray | None, nicknames: Nicknames, workers: int,
                         coded: KeyCodes | None = None, known: Sequence[str] = ()) -> PairContext:
    """Random pairs over the records they touch only, so per-value work (character bags, e-mail users) is
    done for those 300,000 records' values rather than for every distinct value of the list.

    The `known` keys, factorized already in `coded` for the whole list, are coded for the sample from
    those codes (numbered by first appearance, as factorizing the sample's text would) instead of again.
    """
    rl, rr = random_pairs(len(keys), RANDOM_PAIRS, source)
    rows, inverse = np.unique(np.r_[rl, rr], return_inverse=True)
    sample = keys.iloc[rows]
    sampled = KeyCodes(sample)
    for key in known if coded is not None else ():
        codes, values, _ = coded.get(key)
        local, used = pd.factorize(codes[rows])
        sampled.seed(key, local, values[used])
    return PairContext(sample, inverse[:len(rl)], inverse[len(rl):], nicknames, workers, sampled)


def pairs_frame(index: pd.Index, scored: Scored, keep: np.ndarray) -> pd.DataFrame:
    """row_l, row_r, probability, match_weight, then w_<field> and level_<field> for the kept pairs."""
    frame = pd.DataFrame({
        "row_l": index[scored.left[keep]],
        "row_r": index[scored.right[keep]],
        "probability": scored.scores.probability[keep].round(6),
        "match_weight": scored.scores.weight[keep].round(3),
    })
    field_weights = scored.scores.field_weights_of(np.flatnonzero(keep))
    for j, comp in enumerate(scored.comparisons):
        frame[f"w_{comp.field}"] = field_weights[:, j].round(3)
        labels = np.array([*comp.labels, "missing"], dtype=object)
        frame[f"level_{comp.field}"] = pd.Categorical(labels[scored.levels[keep, j]], categories=labels)
    return frame


def _decided(decisions: dict[str, str], keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not decisions:
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=bool)
    verdict = pd.Series(keys).map(decisions).to_numpy()
    return verdict == "yes", verdict == "no"


def _forced_pairs(decisions: dict[str, str], fps: np.ndarray, known: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """Pairs answered "yes" that blocking did not produce this time: found again by fingerprint."""
    yes = {k for k, v in decisions.items() if v == "yes" and k not in known}
    if not yes:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    by_fp = pd.Series(np.arange(len(fps))).groupby(fps).first()
    if len(by_fp) > 50_000:      # pairing every fingerprint is too costly; such pairs wait for blocking
        return np.empty(0, np.int64), np.empty(0, np.int64)
    fp = by_fp.index.to_numpy()
    i, j = np.triu_indices(len(fp), 1)
    keys = pair_keys(fp, i, j)
    hit = np.isin(keys, list(yes))
    return by_fp.to_numpy()[i[hit]], by_fp.to_numpy()[j[hit]]


def _with_forced(links: Links, n: int, extra_l: np.ndarray, extra_r: np.ndarray) -> Links:
    """Links plus the pairs answered "yes" that blocking missed; a scored pair answered "yes" is linked."""
    forced = np.isin(links.left * n + links.right, np.minimum(extra_l, extra_r) * n + np.maximum(extra_l, extra_r))
    return Links(
        np.r_[links.left, extra_l], np.r_[links.right, extra_r], np.r_[links.weight, np.full(len(extra_l), 99.0)],
        np.r_[links.probability, np.ones(len(extra_l))], np.r_[links.linked | forced, np.ones(len(extra_l), bool)],
        np.r_[links.forbidden & ~forced, np.zeros(len(extra_l), bool)],
    )


@dataclass
class MatchOutput:
    pairs: pd.DataFrame
    clusters: pd.DataFrame
    review: pd.DataFrame
    stats: dict[str, Any]


def _review_columns(table: Table) -> dict[str, str]:
    return {role.value: col for role in REVIEW_ROLES if (col := table.roles.column(role)) is not None}


def _nothing_to_compare(index: pd.Index) -> MatchOutput:
    """Fewer than two records: every record is its own customer."""
    links = Links(*(np.empty(0, np.int64),) * 2, *(np.empty(0),) * 2, *(np.empty(0, bool),) * 2)
    clusters = cluster_frame(index, np.arange(len(index)), links)
    empty = pd.DataFrame(columns=["pair_key", "row_l", "row_r", "probability", "match_weight", "decision"])
    return MatchOutput(empty.drop(columns="decision"), clusters, empty, {"rows": len(index), "candidate_pairs": 0,
                                                                          "seconds": {}})


def match_records(table: Table, config: Config, rules: RuleSet, normalized: bool = False) -> MatchOutput:
    """Find the duplicates inside one table: scored pairs, clusters, and the pairs to review."""
    if len(table) < 2:
        return _nothing_to_compare(table.frame.index)
    stages = Stages()
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    with stages.time("keys"):
        keys = build_keys(table, config, rules, normalized, codes=codes)    # reads the memoized column codes
        table.forget()      # then frees them (a few hundred MB) before blocking and comparisons fork
    settings = load_settings(config, rules, list(keys.columns))
    scored = score_pairs(keys, settings, config, rules, stages, codes=codes)
    del codes
    with stages.time("cluster"):
        ids = table.values(Role.ID) if config.match.id_column is None else table.frame[config.match.id_column]
        w, p = scored.scores.weight, scored.scores.probability
        keep = w >= settings.review_bits
        decisions, store = load_decisions(config.match.decisions)
        needed = None if decisions else sorted_unique(np.r_[scored.left[keep], scored.right[keep]])
        fps = record_fingerprints(keys, ids if table.roles.column(Role.ID) or config.match.id_column else None,
                                  needed)
        n = len(keys)
        del keys        # a million-row column per key, not needed past here: freed before clustering
        pkeys = np.full(len(w), "", dtype=object)
        pkeys[keep] = pair_keys(fps, scored.left[keep], scored.right[keep])
        yes, no = _decided(decisions, pkeys)
        linked = ((w >= settings.threshold_bits) | yes) & ~no
        forbidden = no | ((w < AGAINST_BITS) & ~yes)
        extra_l, extra_r = _forced_pairs(decisions, fps, set(pkeys[keep]))
        links = Links(scored.left, scored.right, w, p, linked, forbidden)
        if len(extra_l):
            links = _with_forced(links, n, extra_l, extra_r)
        labels, split = cluster(n, links)
        clusters = cluster_frame(table.frame.index, labels, links)
    with stages.time("report"):
        pairs = pairs_frame(table.frame.index, scored, keep)
        pairs.insert(2, "pair_key", pkeys[keep])
        band = ((w[keep] >= settings.review_bits) & (w[keep] < settings.threshold_bits)
                & ~yes[keep] & ~no[keep])
        review = review_frame(table.frame, _review_columns(table), pairs, band)
    stats = _stats(table, settings, scored, np.bincount(labels), review, stages)
    stats.update(decisions=len(decisions), decisions_store=str(store) if store else None, clusters_split=split)
    return MatchOutput(pairs, clusters, review, stats)


def _stats(table: Table, settings: Settings, scored: Scored, sizes: np.ndarray, review: pd.DataFrame,
           stages: Stages) -> dict[str, Any]:
    """The run's figures; `sizes` are the records per cluster label (0 for a label no record has)."""
    return {
        "rows": len(table),
        "candidate_pairs": len(scored.left),
        "blocking": scored.block_stats,
        "max_block": settings.max_block,
        "threshold": settings.threshold,
        "threshold_bits": round(settings.threshold_bits, 2),
        "review_threshold": settings.review_threshold,
        "review_bits": round(settings.review_bits, 2),
        "linked_pairs": int((scored.scores.weight >= settings.threshold_bits).sum()),
        "clusters": int((sizes > 1).sum()),
        "records_in_clusters": int(sizes[sizes > 1].sum()),
        "review_pairs": len(review),
        "lambda": round(scored.model.lam, 6),
        "model": scored.model.describe(),
        "seconds": stages.seconds,
    }


def link_records(master: Table, new: Table, config: Config, rules: RuleSet) -> tuple[pd.DataFrame, MatchOutput]:
    """For each record of `new`, its best match in `master` at or above the threshold.

    Returns (best, output): `best` is indexed like `new` with match_row (master's key, or None),
    match_probability and the pair's match_weight; output.pairs holds every pair at or above the
    review threshold.
    """
    if len(master) == 0 or len(new) == 0:
        best = pd.DataFrame({"match_row": pd.Series([None] * len(new), dtype=object, index=new.frame.index),
                             "match_probability": np.nan, "match_weight": np.nan}, index=new.frame.index)
        return best, _nothing_to_compare(new.frame.index[:0])
    stages = Stages()
    with stages.time("keys"):
        keys = pd.concat([build_keys(master, config, rules), build_keys(new, config, rules)], ignore_index=True)
    source = np.r_[np.zeros(len(master), np.int8), np.ones(len(new), np.int8)]
    settings = load_settings(config, rules, list(keys.columns))
    scored = score_pairs(keys, settings, config, rules, stages, source)
    w, p = scored.scores.weight, scored.scores.probability
    index = master.frame.index.append(new.frame.index)
    with stages.time("assign"):
        linked = np.flatnonzero(w >= settings.threshold_bits)
        ranked = pd.DataFrame({"l": scored.left[linked], "r": scored.right[linked], "p": p[linked], "w": w[linked]})
        ranked = ranked.sort_values(["r", "w", "l"], ascending=[True, False, True]).drop_duplicates("r")
        best = pd.DataFrame({"match_row": pd.Series([None] * len(new), dtype=object),
                             "match_probability": np.nan, "match_weight": np.nan}, index=new.frame.index)
        rows = ranked["r"].to_numpy() - len(master)
        best.iloc[rows, 0] = index[ranked["l"].to_numpy()].to_numpy()
        best.iloc[rows, 1] = ranked["p"].round(6).to_numpy()
        best.iloc[rows, 2] = ranked["w"].round(3).to_numpy()
    keep = w >= settings.review_bits
    pairs = pairs_frame(index, scored, keep)
    band = (w[keep] < settings.threshold_bits)
    clusters = pd.DataFrame(columns=["cluster_id", "probability"])
    review = pairs[band].reset_index(drop=True)
    stats = _stats(new, settings, scored, np.zeros(0, dtype=np.int64), review, stages)
    stats.update(rows_master=len(master), matched=len(ranked))
    return best, MatchOutput(pairs, clusters, review, stats)
