"""Fellegi–Sunter: u from random pairs, m by EM, term-frequency adjustment.

Each field level has m = P(level | same person) and u = P(level | different people); its evidence is
the match weight log2(m/u) in bits. No labels are needed: u is counted on random pairs (almost all
different people; the exact level's u is computed from the value frequencies), and m is fitted by a
leave-one-out EM on the candidate pairs with u held fixed (see `fit_m`). Agreeing on a rare surname
counts more than on "Nguyen": for the exact level of a `tf` field, u is that value's frequency.

Probability and threshold. The share of matches λ among candidates depends on the list's size and on
blocking, so a probability built on it would mean something else at 5,000 and at 1,000,000 rows. The
reported probability instead puts the pair's total weight W (sum of the field weights, in bits) on a
fixed prior of PRIOR_BITS: p = 1 / (1 + 2^-(W + PRIOR_BITS)). A threshold is therefore a fixed amount
of evidence at any size: the default p >= 0.90 is W >= 8.2 bits, i.e. the evidence makes the pair
about 290 times likelier to be one person than two. λ is still estimated and reported (stats).

Households. Surname, address and landline are shared by a whole family, so their evidence is not
independent; the positive evidence of the "household" group is capped at HOUSEHOLD_CAP bits (and at
HOUSEHOLD_CAP_CONFLICT when the first names clearly differ), so it cannot outweigh a different first
name and birth date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from custclean.match.comparisons import MISSING, Comparison, KeyCodes

PRIOR_BITS = -5.0           # a fixed prior: 1 in 33 candidate pairs is a match (so p = 0.9 at W = 8.2 bits)
HOUSEHOLD_CAP = 14.0        # bits: the most a family's shared surname/address/phone can say
HOUSEHOLD_CAP_CONFLICT = 12.0   # ... when the first names clearly differ
RANDOM_PAIRS = 150_000      # pairs sampled to count u (the exact level's u is computed, not sampled)
EM_ITERATIONS = 8
CONTRADICTIONS = 2          # this many clear disagreements (birth date, street, phone) ...
CONTRADICTION_PENALTY = 3.0  # ... cost this many bits more than their independent weights say
ANCHOR_BITS = 20.0          # other fields' evidence at which a pair counts half as a match when fitting m ...
ANCHOR_ROWS = 5_000         # ... in a list of this size; +1 bit each time the list doubles (see fit_m)
M_PRIOR_STRENGTH = 25.0     # pseudo-pairs pulling m towards the defaults (stabilises rare levels)
SEED = 20240611
SCORE_CHUNK = 1 << 20       # pairs scored at a time (bounds the per-field temporaries)


@dataclass
class Model:
    """m and u for every level of every comparison, and the fitted share of matches λ."""

    comparisons: tuple[Comparison, ...]
    m: list[np.ndarray]
    u: list[np.ndarray]
    lam: float = 0.01
    history: list[float] = field(default_factory=list)

    def weights(self) -> list[np.ndarray]:
        """log2(m/u) per level (index = level code, last = "else")."""
        return [np.log2(m / u) for m, u in zip(self.m, self.u, strict=True)]

    def describe(self) -> dict[str, dict[str, dict[str, float]]]:
        """Per field and level: m, u and the weight in bits, for summary.json."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        for comp, m, u, w in zip(self.comparisons, self.m, self.u, self.weights(), strict=True):
            out[comp.field] = {
                label: {"m": round(float(mi), 5), "u": round(float(ui), 7), "bits": round(float(wi), 2)}
                for label, mi, ui, wi in zip(comp.labels, m, u, w, strict=True)
            }
        return out


def default_m(n_levels: int) -> np.ndarray:
    """A starting m: most matches agree exactly, a few fall in the fuzzy levels, 3% disagree."""
    m = np.empty(n_levels + 1)
    m[0] = 0.85
    if n_levels > 1:
        m[1:n_levels] = 0.12 / (n_levels - 1)
        m[-1] = 0.03
    else:
        m[0], m[-1] = 0.95, 0.05
    return m / m.sum()


def level_frequencies(levels: np.ndarray, n_levels: int, smoothing: float = 0.5) -> np.ndarray:
    """Share of each level among non-missing pairs, smoothed so no level has u = 0."""
    present = levels[levels != MISSING].astype(np.int64)
    counts = np.bincount(present, minlength=n_levels + 1).astype(np.float64) + smoothing
    return counts / counts.sum()


def exact_agreement(codes: np.ndarray, uniques: np.ndarray, empty: int) -> float | None:
    """P(two random records agree exactly | both filled) = sum of squared value shares; None if < 2 filled."""
    counts = np.bincount(codes, minlength=len(uniques)).astype(np.float64)
    if 0 <= empty < len(counts):
        counts[empty] = 0.0
    filled = counts.sum()
    if filled < 2:
        return None
    shares = counts / filled
    return float(max((shares**2).sum() - 1.0 / filled, 0.5 / filled**2))


def estimate_u(levels: np.ndarray, comparisons: Sequence[Comparison], coded: KeyCodes | None = None
               ) -> list[np.ndarray]:
    """u per level from random pairs; an "exact" first level gets its u from the value frequencies,
    which is exact where a sample would see no agreement at all on a rare field (email)."""
    out = []
    for j, comp in enumerate(comparisons):
        u = level_frequencies(levels[:, j], len(comp.levels))
        exact = exact_agreement(*coded.get(comp.key)) if coded is not None and comp.levels[0].kind == "exact" \
            else None
        if exact is not None:
            u = np.r_[exact, u[1:] / u[1:].sum() * (1 - exact)]
        out.append(u)
    return out


def random_pairs(n: int, size: int, source: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct random pairs (seeded, so runs are repeatable); across sources when linking."""
    rng = np.random.default_rng(SEED)
    if source is not None:
        a, b = np.flatnonzero(source == 0), np.flatnonzero(source != 0)
        size = min(size, len(a) * len(b))
        return rng.choice(a, size), rng.choice(b, size)
    size = min(size, n * (n - 1) // 2)
    left, right = rng.integers(0, n, size), rng.integers(0, n, size)
    keep = left != right
    return np.minimum(left, right)[keep], np.maximum(left, right)[keep]


def _patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the level matrix and how many pairs have each: EM works on these."""
    inverse, distinct = pd.factorize(_pattern_codes(levels), sort=True)   # hashed; only the distinct are sorted
    example = np.empty(len(distinct), dtype=np.int64)
    example[inverse] = np.arange(len(levels))              # any pair of a pattern stands for all of them
    return levels[example], np.bincount(inverse, minlength=len(distinct)).astype(np.float64)


def _pattern_codes(levels: np.ndarray) -> np.ndarray:
    """One number per row, ordered as the row's levels + 1 read as base-16 digits, first field first.

    Up to 15 fields of int8 levels below 15, two fields are packed per byte of a little-endian uint64
    (the first fields in the top byte), which is that number shifted left: the same order, made from a
    byte column per two fields instead of int64 arithmetic per field.
    """
    n, k = levels.shape
    if levels.dtype == np.int8 and k <= 15 and (n == 0 or int(levels.max()) < 15):
        shifted = (levels + 1).view(np.uint8)
        packed = np.zeros((n, 8), dtype=np.uint8)
        for j in range(0, k, 2):
            byte = shifted[:, j] << 4
            if j + 1 < k:
                byte |= shifted[:, j + 1]
            packed[:, 7 - j // 2] = byte
        return packed.view("<u8").ravel().astype(np.uint64, copy=False)
    codes = np.zeros(n, dtype=np.int64)
    for j in range(k):
        codes = codes * 16 + (levels[:, j].astype(np.int64) + 1)
    return codes


def _per_field(patterns: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    """Each pattern's weight per field (0 where missing)."""
    per_field = np.zeros(patterns.shape, dtype=np.float64)
    for j, w in enumerate(weights):
        col = patterns[:, j]
        present = col != MISSING
        per_field[present, j] = w[col[present]]
    return per_field


def combine(field_w: np.ndarray, household: np.ndarray, conflict: np.ndarray | None = None) -> np.ndarray:
    """Sum field weights, capping the positive evidence of the household fields.

    The cap is HOUSEHOLD_CAP, or HOUSEHOLD_CAP_CONFLICT for pairs whose first names clearly differ
    (`conflict`): within one family, a different first name is the mark of a different person.
    """
    total = field_w[:, ~household].sum(axis=1)
    if household.any():
        house = field_w[:, household]
        cap = HOUSEHOLD_CAP if conflict is None else np.where(conflict, HOUSEHOLD_CAP_CONFLICT, HOUSEHOLD_CAP)
        total = total + np.minimum(np.clip(house, 0, None).sum(axis=1), cap) + np.clip(house, None, 0).sum(axis=1)
    return total


def _contradictions(levels: np.ndarray, comparisons: Sequence[Comparison]) -> np.ndarray:
    """How many `contradicts` fields (birth date, street, phone) are present on both sides and disagree."""
    out = np.zeros(len(levels), dtype=np.int8)
    for j, comp in enumerate(comparisons):
        if comp.contradicts:
            out += levels[:, j] == len(comp.levels)
    return out


def conflicts(levels: np.ndarray, comparisons: Sequence[Comparison]) -> np.ndarray:
    """Pairs where a `distinguishes` field (the first name) is present on both sides and disagrees."""
    out = np.zeros(len(levels), dtype=bool)
    for j, comp in enumerate(comparisons):
        if comp.distinguishes:
            out |= levels[:, j] == len(comp.levels)
    return out


def anchor_bits(rows: int) -> float:
    """Evidence needed to count as a near-certain match when fitting m, for a list of `rows` records."""
    return ANCHOR_BITS + float(np.log2(max(rows, ANCHOR_ROWS) / ANCHOR_ROWS))


def fit_m(levels: np.ndarray, model: Model, rows: int = ANCHOR_ROWS) -> Model:
    """Estimate m (and λ) on the candidate pairs by a leave-one-out EM; runs on distinct level patterns.

    Plain EM with u fixed collapses on blocked candidates: they all share a surname or a postcode, so
    nearly every one looks like a match next to random pairs (λ -> 0.9, and "birth dates differ" stops
    counting against). Here the E-step for field f weighs each pair by the evidence of the OTHER fields
    only, centred at `anchor_bits(rows)`, so a field never vouches for itself; the household cap applies,
    so a family sharing an address does not teach the model that first names often differ. The centre
    rises one bit each time the list doubles: pairs of namesakes in one town grow with the square of
    the list while true duplicates grow with the list, so the prior odds of a candidate pair halve.
    """
    if len(levels) == 0:
        return model
    patterns, counts = _patterns(levels)
    priors = [default_m(len(c.levels)) for c in model.comparisons]
    household = np.array([c.group == "household" for c in model.comparisons], dtype=bool)
    conflict = conflicts(patterns, model.comparisons)
    m = [p.copy() for p in priors]
    centre = anchor_bits(rows)
    for _ in range(EM_ITERATIONS):
        per_field = _per_field(patterns, [np.log2(mi / ui) for mi, ui in zip(m, model.u, strict=True)])
        new_m = []
        for j, prior in enumerate(priors):
            others = per_field.copy()
            others[:, j] = 0.0
            post = 1.0 / (1.0 + np.exp2(-np.clip(combine(others, household, conflict) - centre, -60, 60)))
            col = patterns[:, j]
            present = col != MISSING
            totals = np.bincount(col[present].astype(np.int64), weights=(counts * post)[present],
                                 minlength=len(prior))
            new_m.append((totals + M_PRIOR_STRENGTH * prior) / (totals.sum() + M_PRIOR_STRENGTH))
        m = new_m
    bits = combine(_per_field(patterns, [np.log2(mi / ui) for mi, ui in zip(m, model.u, strict=True)]),
                   household, conflict)
    model.m = m
    model.lam = float((counts / (1.0 + np.exp2(-np.clip(bits + PRIOR_BITS, -60, 60)))).sum() / counts.sum())
    return model


@dataclass
class Scores:
    """Per pair: total weight W and probability on the fixed prior; each field's weight for the kept pairs."""

    weight: np.ndarray
    probability: np.ndarray
    field_weights: np.ndarray        # kept pairs x comparisons, bits (0 where missing)
    field_rows: np.ndarray           # positions of the kept pairs, ascending

    def field_weights_of(self, rows: np.ndarray) -> np.ndarray:
        """Field weights of the pairs at `rows` (ascending positions, all of them kept)."""
        at = np.searchsorted(self.field_rows, rows)
        if len(rows) and (at.max() >= len(self.field_rows) or (self.field_rows[at] != rows).any()):
            raise ValueError("field weights were not kept for some of these pairs")
        return self.field_weights[at]


def term_frequencies(codes: np.ndarray, uniques: np.ndarray, empty: int) -> np.ndarray:
    """Share of the filled records holding each distinct value (indexed by code), floored at two records
    (or 1 in 100,000)."""
    counts = np.bincount(codes, minlength=len(uniques)).astype(np.float64)
    if 0 <= empty < len(counts):
        counts[empty] = 0.0
    filled = max(counts.sum(), 1.0)
    return np.maximum(counts / filled, max(2.0 / filled, 1e-5))


@dataclass(frozen=True)
class PairFrequencies:
    """The frequency of each pair's left value, looked up a slice of pairs at a time: as one float per pair
    it would hold 80 MB per field at ten million pairs."""

    per_value: np.ndarray       # frequency by value code
    codes: np.ndarray           # value code by record
    left: np.ndarray            # left record by pair

    def __getitem__(self, part: slice) -> np.ndarray:
        return self.per_value[self.codes[self.left[part]]]

    def at(self, pairs: np.ndarray) -> np.ndarray:
        """The frequency of the left value of the pairs at these positions."""
        return self.per_value[self.codes[self.left[pairs]]]


def _field_weights(levels: np.ndarray, model: Model, weights: list[np.ndarray], tf: dict[str, PairFrequencies],
                   start: int) -> np.ndarray:
    """Weights per field of the pairs start, start + 1, ... (`levels` holds theirs); on an exact agreement of a
    `tf` field, log2(u / the left value's frequency) is added, looked up for those pairs only."""
    columns = np.asfortranarray(levels)         # column by column: contiguous reads and writes
    field_w = np.empty(levels.shape, dtype=np.float32, order="F")
    for j, comp in enumerate(model.comparisons):
        col = columns[:, j]
        np.take(weights[j], col, mode="wrap", out=field_w[:, j])     # MISSING (-1) takes the trailing 0
        if comp.tf and comp.field in tf:
            exact = np.flatnonzero(col == 0)
            field_w[exact, j] += np.log2(model.u[j][0] / tf[comp.field].at(exact + start))
    return field_w


def score(levels: np.ndarray, model: Model, tf: dict[str, PairFrequencies], keep_from: float = -np.inf) -> Scores:
    """Weights per field, term-frequency adjusted, the household cap, W and the probability.

    `tf` maps a field to the frequency of each pair's left value; on an exact agreement the field's u is
    replaced by that frequency: log2(m/f) instead of log2(m/u). Pairs are scored a million at a time, and
    the per-field weights are kept only for pairs with W >= `keep_from` (the ones reported): for all ten
    million candidates of a big list they would take a third of a gigabyte.
    """
    weights = [np.r_[w, 0.0].astype(np.float32) for w in model.weights()]
    household = np.array([c.group == "household" for c in model.comparisons], dtype=bool)
    total = np.empty(len(levels), dtype=np.float64)
    kept_rows, kept_weights = [np.empty(0, dtype=np.int64)], [np.empty((0, levels.shape[1]), dtype=np.float32)]
    for start in range(0, len(levels), SCORE_CHUNK):
        part = levels[start:start + SCORE_CHUNK]
        field_w = _field_weights(part, model, weights, tf, start)
        chunk = combine(field_w, household, conflicts(part, model.comparisons))
        contradicted = _contradictions(part, model.comparisons) >= CONTRADICTIONS
        total[start:start + len(part)] = np.where(contradicted, chunk - CONTRADICTION_PENALTY, chunk)
        rows = np.flatnonzero(total[start:start + len(part)] >= keep_from)
        kept_rows.append(rows + start)
        kept_weights.append(field_w[rows])
    probability = 1.0 / (1.0 + np.exp2(-np.clip(total + PRIOR_BITS, -60, 60)))
    return Scores(total, probability, np.concatenate(kept_weights), np.concatenate(kept_rows))


def bits_for(probability: float) -> float:
    """The total weight W at which a pair reaches `probability` (inverse of the fixed-prior sigmoid)."""
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return float(np.log2(p / (1 - p)) - PRIOR_BITS)
