"""BlockOn / SortedNeighbourhood rules; union of candidate pairs; block-size cap.

Comparing every record with every other is N²/2 pairs (5·10¹¹ at a million rows), so only pairs
that share something are compared: the union of several blocking rules. Pairs are generated with
numpy index arithmetic, never a loop per pair. Pairs grow with the square of a block's size, and
name blocks grow with the list ("Maria García" is 100 people in a million), so a block of more than
SMALL_BLOCK records only pairs each record with its next BLOCK_WINDOW - 1 members once sorted by
postcode, birth date and street; a block larger than `max_block` is skipped (and counted), so that
one common value ("Nguyen", an empty-looking placeholder) cannot explode. Empty keys never block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from custclean.errors import ConfigError
from custclean.match.arrays import sorted_unique, unique_inverse

DEFAULT_MAX_BLOCK = 2000
SMALL_BLOCK = 12     # blocks up to this size give all their pairs; larger ones only close neighbours
BLOCK_WINDOW = 4     # ... within this many places once sorted by postcode, birth date and street


@dataclass
class Pairs:
    """Candidate pairs as row positions (left < right in dedupe), and what each rule contributed."""

    left: np.ndarray
    right: np.ndarray
    stats: dict[str, dict[str, int]]


@dataclass
class BlockContext:
    """What every rule reads: the keys, the source of each record (linking), the cap, shared codes."""

    keys: pd.DataFrame
    source: np.ndarray | None = None
    max_block: int = DEFAULT_MAX_BLOCK
    rank: np.ndarray | None = None
    _codes: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict)

    def codes(self, key: str) -> tuple[np.ndarray, int]:
        """A key's per-record codes and their count, factorized once for all the rules that use it."""
        if key not in self._codes:
            codes, uniques = pd.factorize(self.keys[key].to_numpy(dtype=object))
            self._codes[key] = (codes.astype(np.int64), max(len(uniques), 1))
        return self._codes[key]

    def across(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Only pairs across the two sources when linking."""
        if self.source is None:
            return left, right
        cross = self.source[left] != self.source[right]
        return left[cross], right[cross]


class BlockingRule(Protocol):
    name: str

    def pairs(self, ctx: BlockContext) -> tuple[np.ndarray, np.ndarray, int]: ...


def _within_groups(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair inside each group; `order` lists row positions group by group."""
    offset = np.arange(len(order)) - np.repeat(starts, sizes)          # position inside the group
    later = np.repeat(sizes, sizes) - offset - 1                       # members after this one
    total = int(later.sum())
    if total == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    left_pos = np.repeat(np.arange(len(order)), later)
    first_of_run = np.repeat(np.cumsum(later) - later, later)
    right_pos = left_pos + 1 + (np.arange(total) - first_of_run)
    return order[left_pos].astype(np.int64), order[right_pos].astype(np.int64)


@dataclass(frozen=True)
class BlockOn:
    """Records that agree exactly on every key of `on` (and have none of them empty)."""

    on: tuple[str, ...]

    @property
    def name(self) -> str:
        return "+".join(self.on)

    def pairs(self, ctx: BlockContext) -> tuple[np.ndarray, np.ndarray, int]:
        keys, max_block = ctx.keys, ctx.max_block
        filled = np.ones(len(keys), dtype=bool)
        for key in self.on:
            filled &= keys[key].to_numpy() != ""
        rows = np.flatnonzero(filled)
        if len(rows) < 2:
            return np.empty(0, np.int64), np.empty(0, np.int64), 0
        combined = np.zeros(len(rows), dtype=np.int64)
        for key in self.on:
            key_codes, width = ctx.codes(key)
            combined = unique_inverse(combined * width + key_codes[rows])[1]
        codes = combined
        size_of = np.bincount(codes)[codes]
        small = (size_of >= 2) & (size_of <= min(SMALL_BLOCK, max_block))
        order = np.flatnonzero(small)[np.argsort(codes[small], kind="stable")]
        sorted_codes = codes[order]
        starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]) if len(order) else order
        sizes = np.diff(np.r_[starts, len(order)])
        left, right = _within_groups(rows[order], starts, sizes)
        big = (size_of > SMALL_BLOCK) & (size_of <= max_block)
        if big.any():
            wl, wr = _window_in_groups(rows[big], codes[big], None if ctx.rank is None else ctx.rank[rows[big]])
            left, right = np.r_[left, wl], np.r_[right, wr]
        left, right = ctx.across(left, right)
        return left, right, int((np.bincount(codes) > max_block).sum())


def _window_in_groups(rows: np.ndarray, codes: np.ndarray, rank: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """In a large block, only neighbours once its members are sorted by postcode, birth date and street."""
    order = np.lexsort((rank if rank is not None else rows, codes))
    rows, codes = rows[order], codes[order]
    lefts, rights = [], []
    for step in range(1, BLOCK_WINDOW):
        same = codes[:-step] == codes[step:]
        lefts.append(rows[:-step][same])
        rights.append(rows[step:][same])
    return np.concatenate(lefts).astype(np.int64), np.concatenate(rights).astype(np.int64)


def neighbour_rank(keys: pd.DataFrame) -> np.ndarray:
    """Each record's place when sorted by postcode, birth date and street (for windows in large blocks)."""
    columns = [c for c in ("street", "birth_date", "postal_code") if c in keys.columns]
    if not columns:
        return np.arange(len(keys))
    order = np.lexsort([pd.factorize(keys[c], sort=True)[0] for c in columns])
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    return rank


@dataclass(frozen=True)
class SortedNeighbourhood:
    """Records within `window` places of each other once sorted by a key: catches typos anywhere but the start."""

    key: str
    window: int = 4

    @property
    def name(self) -> str:
        return f"sorted:{self.key}:{self.window}"

    def pairs(self, ctx: BlockContext) -> tuple[np.ndarray, np.ndarray, int]:
        codes, uniques = pd.factorize(ctx.keys[self.key].to_numpy(dtype=object), sort=True)
        empty = np.flatnonzero(np.asarray(uniques, dtype=object) == "")
        rows = np.flatnonzero(codes != (empty[0] if len(empty) else -2))
        order = rows[np.argsort(codes[rows], kind="stable")]
        lefts, rights = [], []
        for step in range(1, self.window):
            lefts.append(order[:-step])
            rights.append(order[step:])
        if not lefts:
            return np.empty(0, np.int64), np.empty(0, np.int64), 0
        left, right = ctx.across(np.concatenate(lefts).astype(np.int64), np.concatenate(rights).astype(np.int64))
        return left, right, 0


def rule_from_spec(spec: Mapping[str, Any], known: Sequence[str]) -> BlockingRule:
    """A rule from its TOML form: {on = ["postal_code", "last_name:metaphone"]} or {sorted = "name", window = 4}."""
    if "sorted" in spec:
        rule: BlockingRule = SortedNeighbourhood(str(spec["sorted"]), int(spec.get("window", 4)))
        names = [spec["sorted"]]
    elif "on" in spec:
        on = spec["on"]
        names = [on] if isinstance(on, str) else list(on)
        rule = BlockOn(tuple(names))
    else:
        raise ConfigError("a [[block]] rule needs `on = [keys]` or `sorted = key`", "match")
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError([f"unknown match key '{n}' in a blocking rule (keys: {', '.join(known)})"
                           for n in unknown], "match")
    return rule


def candidate_pairs(
    keys: pd.DataFrame, rules: Sequence[BlockingRule], max_block: int = DEFAULT_MAX_BLOCK,
    source: np.ndarray | None = None,
) -> Pairs:
    """The union of every rule's pairs, each pair once (left < right for dedupe, left in source 0 for link)."""
    n = len(keys)
    found: list[np.ndarray] = []
    stats: dict[str, dict[str, int]] = {}
    ctx = BlockContext(keys, source, max_block, neighbour_rank(keys))
    for rule in rules:
        left, right, skipped = rule.pairs(ctx)
        if source is None:
            left, right = np.minimum(left, right), np.maximum(left, right)
        else:
            swap = source[left] != 0
            left, right = np.where(swap, right, left), np.where(swap, left, right)
        found.append(sorted_unique(left * n + right))
        stats[rule.name] = {"pairs": len(found[-1]), "new_pairs": 0, "blocks_skipped": skipped}
    if not found:
        return Pairs(np.empty(0, np.int64), np.empty(0, np.int64), stats)
    codes = np.concatenate(found)
    rule_of = np.repeat(np.arange(len(found)), [len(f) for f in found])
    order = np.argsort(codes, kind="stable")            # a pair's first rule comes first
    codes, rule_of = codes[order], rule_of[order]
    first = np.r_[True, codes[1:] != codes[:-1]] if len(codes) else np.empty(0, bool)
    for rule, count in zip(rules, np.bincount(rule_of[first], minlength=len(found)), strict=True):
        stats[rule.name]["new_pairs"] = int(count)
    seen = codes[first]
    return Pairs(seen // n, seen % n, stats)
