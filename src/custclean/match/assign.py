"""One-to-one assignment for linking: each new record takes at most one master record, and each master record
is taken at most once, best pairs first.

"Find, for each new record, its record in the master list" is one-to-one by nature: a person is one row of a
clean master list. So a pair is only linked when each side is the other's best remaining candidate (mutual
best), strongest pairs first; a record taken by a stronger pair is no longer free for weaker ones.

A weak pair without competition. The default threshold (8.2 bits) puts a pair's weight on a fixed prior of
1 match in 33 candidate pairs (scoring.py), right for a record among several candidates. A mutual-best pair
with no competitor on either side (no other candidate of either record within LONE_MARGIN bits) answers
another question: "is this new record in the master list at all?", since this pair is its only plausible
match. Its prior odds are those of a new record being known, π / (1 - π), where π is the share of new records
that have a confident pair (counted, smoothed by half a record); its probability is
1 / (1 + 2^-(W + log2(π / (1 - π)))) and it is linked when that reaches the threshold probability. When most
new records are known (the new list is an update or another copy of the master), an uncontested weak pair
is far likelier the same person than a newcomer; when few are known (new sign-ups), a new record with one
weak candidate is likelier a newcomer, and the bar is never lower than the threshold's while π <= 1/2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custclean.match.scoring import PRIOR_BITS

LONE_MARGIN = 3.0        # bits: a runner-up this close to a pair is a competitor
KNOWN_MAJORITY = 0.5     # π above which uncontested pairs get their own bar
LONE_FLOOR_BITS = -8.0   # pairs below this are never linked, whatever π says (π is at most 1 - 1/2n anyway)


@dataclass(frozen=True)
class Assignment:
    """The accepted pairs (positions into the candidate arrays), and what decided them."""

    chosen: np.ndarray     # positions of linked pairs
    lone: np.ndarray       # bool per chosen pair: accepted below the threshold as an uncontested pair
    probability: np.ndarray   # per chosen pair: the fixed-prior probability, or the π-prior one when lone
    known_share: float     # π: share of new records with a confident (>= threshold) one-to-one match
    lone_bits: float       # the bar used for uncontested pairs


def _first_per(group: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Positions (from `order`, best first) of the first pair of each group."""
    _, first = np.unique(group[order], return_index=True)
    return order[first]


def _runner_up(group: np.ndarray, weight: np.ndarray, alive: np.ndarray, size: int) -> np.ndarray:
    """Per group id, the second-highest weight among alive pairs (-inf when there is none)."""
    idx = np.flatnonzero(alive)
    order = idx[np.lexsort((-weight[idx], group[idx]))]
    g = group[order]
    out = np.full(size, -np.inf)
    if len(g) < 2:
        return out
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    second = starts + 1
    has = second < len(g)
    has[has] = g[second[has]] == g[starts[has]]
    out[g[starts[has]]] = weight[order[second[has]]]
    return out


def _mutual_best(left: np.ndarray, right: np.ndarray, weight: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Positions of alive pairs that are the best alive pair of both their records (ties: lower rows first)."""
    idx = np.flatnonzero(alive)
    if len(idx) == 0:
        return idx
    order = idx[np.lexsort((right[idx], left[idx], -weight[idx]))]
    return np.intersect1d(_first_per(right, order), _first_per(left, order), assume_unique=True)


def _greedy(left: np.ndarray, right: np.ndarray, weight: np.ndarray, bar: np.ndarray, alive: np.ndarray,
            taken: tuple[np.ndarray, np.ndarray]) -> list[np.ndarray]:
    """Accept mutual-best pairs meeting their bar, free records only, until nothing changes."""
    taken_l, taken_r = taken
    accepted: list[np.ndarray] = []
    alive = alive & ~taken_l[left] & ~taken_r[right]
    while True:
        best = _mutual_best(left, right, weight, alive)
        best = best[weight[best] >= bar[best]]
        if len(best) == 0:
            return accepted
        accepted.append(best)
        taken_l[left[best]] = True
        taken_r[right[best]] = True
        alive &= ~taken_l[left] & ~taken_r[right]


def known_share(confident: int, n_new: int) -> float:
    """π: the share of new records with a confident match, smoothed by half a record (never 0 nor 1)."""
    return (confident + 0.5) / (n_new + 1.0)


def lone_bits(share: float, threshold_bits: float) -> float:
    """The weight at which an uncontested pair reaches the threshold probability on the prior odds π / (1 - π).

    Never above the threshold (a lone pair is not held to more), and the threshold itself while π <= 1/2.
    """
    if share <= KNOWN_MAJORITY:
        return threshold_bits
    target = threshold_bits + PRIOR_BITS                  # log2 odds of the threshold probability
    return float(min(max(target - np.log2(share / (1.0 - share)), LONE_FLOOR_BITS), threshold_bits))


def _probabilities(weight: np.ndarray, lone: np.ndarray, share: float) -> np.ndarray:
    prior = np.where(lone, np.log2(share / (1.0 - share)), PRIOR_BITS)
    return 1.0 / (1.0 + np.exp2(-(weight + prior)))


def assign(left: np.ndarray, right: np.ndarray, weight: np.ndarray, threshold_bits: float,
           n_master: int, n_new: int, personal_conflict: np.ndarray | None = None) -> Assignment:
    """One-to-one links between master rows `left` (0..n_master-1) and new rows `right` (0..n_new-1).

    First the confident pairs (weight >= threshold_bits), mutual best first; then, among records still free,
    mutual-best pairs without a competitor within LONE_MARGIN bits, from the lowered bar of `lone_bits`.
    `personal_conflict` marks pairs whose records both have a personal value (an e-mail address) and differ:
    such a pair is never linked on the lowered bar, since that is a concrete sign of another person where
    the lowered bar only weighs how likely a new record is to be known at all.
    """
    taken = (np.zeros(n_master, bool), np.zeros(n_new, bool))
    everyone = np.ones(len(weight), bool)
    confident = _greedy(left, right, weight, np.full(len(weight), threshold_bits), everyone, taken)
    sure = np.concatenate(confident) if confident else np.empty(0, np.int64)
    share = known_share(len(sure), n_new)
    bar_bits = lone_bits(share, threshold_bits)
    free = ~taken[0][left] & ~taken[1][right] & (weight >= bar_bits)
    if personal_conflict is not None:
        free &= ~personal_conflict
    lone = np.zeros(0, np.int64)
    if bar_bits < threshold_bits and free.any():
        # competitors: the other candidates of either record whose other side is still free (one taken by a
        # confident pair is another record's better partner and no longer competes)
        alive = ~taken[0][left] & ~taken[1][right]
        second = np.maximum(_runner_up(right, weight, alive, n_new)[right],
                            _runner_up(left, weight, alive, n_master)[left])
        uncontested = free & (second < weight - LONE_MARGIN)
        bar = np.where(uncontested, bar_bits, np.inf)
        found = _greedy(left, right, weight, bar, free, taken)
        lone = np.concatenate(found) if found else lone
    chosen = np.r_[sure, lone].astype(np.int64)
    flags = np.r_[np.zeros(len(sure), bool), np.ones(len(lone), bool)]
    return Assignment(chosen, flags, _probabilities(weight[chosen], flags, share), share, bar_bits)
