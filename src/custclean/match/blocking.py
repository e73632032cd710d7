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
from custclean.match.arrays import distinct

DEFAULT_MAX_BLOCK = 2000
SMALL_BLOCK = 12     # blocks up to this size give all their pairs; larger ones only close neighbours
BLOCK_WINDOW = 4     # ... within this many places once sorted by postcode, birth date and street
_LIMIT = 2**62       # int64 codes stay below this


@dataclass
class Pairs:
    """Candidate pairs as row positions (left < right in dedupe), and what each rule contributed."""

    left: np.ndarray
    right: np.ndarray
    stats: dict[str, dict[str, int]]


@dataclass
class BlockContext:
    """What every rule reads: the keys, the source of each record (linking), the cap, shared codes.

    Each key is factorized once for all the rules; its string order (sorted neighbourhood, the order
    inside large blocks) is found by sorting its distinct values only, never the rows' strings.
    """

    keys: pd.DataFrame
    source: np.ndarray | None = None
    max_block: int = DEFAULT_MAX_BLOCK
    _codes: dict[str, tuple[np.ndarray, np.ndarray, int]] = field(default_factory=dict)
    _sorted: dict[str, np.ndarray] = field(default_factory=dict)
    _rank: tuple[np.ndarray, np.ndarray] | None = None

    def coded(self, key: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(code per record, distinct values, code of "" or -1)."""
        if key not in self._codes:
            codes, uniques = distinct(self.keys[key].to_numpy(dtype=object))
            empty = np.flatnonzero(uniques == "")
            self._codes[key] = (codes.astype(np.int32 if len(codes) < 2**31 else np.int64), uniques,
                                int(empty[0]) if len(empty) else -1)
        return self._codes[key]

    def seed(self, key: str, codes: np.ndarray, values: np.ndarray) -> None:
        """Codes known already (equal values, equal codes; `values` distinct), instead of factorizing."""
        empty = np.flatnonzero(values == "")
        self._codes[key] = (codes, values, int(empty[0]) if len(empty) else -1)

    def codes(self, key: str) -> tuple[np.ndarray, int]:
        """A key's per-record codes and their count, factorized once for all the rules that use it."""
        codes, uniques, _ = self.coded(key)
        return codes, max(len(uniques), 1)

    def sorted_codes(self, key: str) -> tuple[np.ndarray, int]:
        """Codes numbered in the values' string order, and the code of "" (-1 when no value is empty)."""
        codes, uniques, empty = self.coded(key)
        if key not in self._sorted:
            place = np.empty(len(uniques), dtype=np.int64)
            values = uniques.tolist()
            place[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
            self._sorted[key] = place
        place = self._sorted[key]
        return place[codes], int(place[empty]) if empty >= 0 else -1

    def ranks(self) -> tuple[np.ndarray, np.ndarray]:
        """(place of each record, record at each place) once sorted by postcode, birth date and street.

        Ties keep the records' order (a stable sort of the three values' order combined).
        """
        if self._rank is None:
            n = len(self.keys)
            combined, span = np.zeros(n, dtype=np.int64), 1
            for column in ("postal_code", "birth_date", "street"):
                if column in self.keys.columns:
                    codes, _ = self.sorted_codes(column)
                    width = len(self._sorted[column])
                    if span * width >= _LIMIT:
                        combined, span = _dense(combined, keep_order=True)
                    combined, span = combined * width + codes, span * max(width, 1)
            order = np.argsort(combined, kind="stable")         # by the three values, then by row
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(n)
            self._rank = (rank, order)
        return self._rank

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
        n = len(ctx.keys)
        filled = np.ones(n, dtype=bool)
        for key in self.on:
            codes, _, empty = ctx.coded(key)
            filled &= codes != empty
        rows = np.flatnonzero(filled)
        if len(rows) < 2:
            return np.empty(0, np.int64), np.empty(0, np.int64), 0
        group, members = _grouped(rows, [ctx.codes(key) for key in self.on], n)
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        sizes = np.diff(np.r_[starts, len(group)])
        small = (sizes >= 2) & (sizes <= min(SMALL_BLOCK, ctx.max_block))
        left, right = _within_groups(members[np.repeat(small, sizes)], np.cumsum(sizes[small]) - sizes[small],
                                     sizes[small])
        big = (sizes > SMALL_BLOCK) & (sizes <= ctx.max_block)
        if big.any():
            wl, wr = _window_in_groups(members[np.repeat(big, sizes)], sizes[big], ctx.ranks())
            left, right = np.r_[left, wl], np.r_[right, wr]
        left, right = ctx.across(left, right)
        return left, right, int((sizes > ctx.max_block).sum())


def _grouped(rows: np.ndarray, keys: list[tuple[np.ndarray, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(group code, row) of `rows` sorted by group, then row: one int64 sort of group * n + row.

    A group code is the keys' codes combined; it is renumbered densely when the product would overflow.
    """
    combined, span = np.zeros(len(rows), dtype=np.int64), 1
    for codes, width in keys:
        if span * width >= _LIMIT:
            combined, span = _dense(combined)
        combined, span = combined * width + codes[rows], span * width
    if span * n >= _LIMIT:
        combined, span = _dense(combined)
    keyed = np.sort(combined * n + rows)
    return keyed // n, keyed % n


def _dense(values: np.ndarray, keep_order: bool = False) -> tuple[np.ndarray, int]:
    """Codes 0..k-1 for the distinct values (in their order with keep_order), and k."""
    if keep_order:      # ranks from one argsort: a binary search per value costs four times more
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        first = np.r_[True, ordered[1:] != ordered[:-1]] if len(values) else np.zeros(0, dtype=bool)
        codes = np.empty(len(values), dtype=np.int64)
        codes[order] = np.cumsum(first) - 1
        return codes, max(int(first.sum()), 1)
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64), max(len(uniques), 1)


def _window_in_groups(rows: np.ndarray, sizes: np.ndarray, ranks: tuple[np.ndarray, np.ndarray]
                      ) -> tuple[np.ndarray, np.ndarray]:
    """In a large block, only neighbours once its members are sorted by postcode, birth date and street.

    `rows` lists the blocks' members block by block, `sizes` their sizes.
    """
    rank, by_rank = ranks
    n = np.int64(max(len(rank), 1))
    keyed = np.sort(np.repeat(np.arange(len(sizes), dtype=np.int64), sizes) * n + rank[rows])
    block, rows = keyed // n, by_rank[keyed % n]
    lefts, rights = [], []
    for step in range(1, BLOCK_WINDOW):
        same = block[:-step] == block[step:]
        lefts.append(rows[:-step][same])
        rights.append(rows[step:][same])
    return np.concatenate(lefts).astype(np.int64), np.concatenate(rights).astype(np.int64)


def neighbour_rank(keys: pd.DataFrame) -> np.ndarray:
    """Each record's place when sorted by postcode, birth date and street (for windows in large blocks)."""
    return BlockContext(keys).ranks()[0]


@dataclass(frozen=True)
class SortedNeighbourhood:
    """Records within `window` places of each other once sorted by a key: catches typos anywhere but the start."""

    key: str
    window: int = 4

    @property
    def name(self) -> str:
        return f"sorted:{self.key}:{self.window}"

    def pairs(self, ctx: BlockContext) -> tuple[np.ndarray, np.ndarray, int]:
        codes, empty = ctx.sorted_codes(self.key)
        rows = np.flatnonzero(codes != empty)
        n = max(len(codes), 1)
        if (int(codes.max()) + 1 if len(codes) else 1) * n < _LIMIT:
            order = np.sort(codes[rows] * n + rows) % n        # by value, then by row
        else:
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


def oriented(left: np.ndarray, right: np.ndarray, source: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Each pair written one way only: smaller position first, or (linking) the master record first."""
    if source is None:
        return np.minimum(left, right), np.maximum(left, right)
    swap = source[left] != 0
    return np.where(swap, right, left), np.where(swap, left, right)


def candidate_pairs(
    keys: pd.DataFrame, rules: Sequence[BlockingRule], max_block: int = DEFAULT_MAX_BLOCK,
    source: np.ndarray | None = None, codes: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> Pairs:
    """The union of every rule's pairs, each pair once (left < right for dedupe, left in source 0 for link).

    Every rule's pairs are coded pair * rules + rule and sorted together once: a pair's first rule then
    comes first among its copies, which gives each rule's own and new pairs in one pass. `codes`, from
    build_keys(codes=...), spares factorizing the keys' columns again.
    """
    n = len(keys)
    ctx = BlockContext(keys, source, max_block)
    for key, (key_codes, values) in (codes or {}).items():
        ctx.seed(key, key_codes, values)
    bits = max(len(rules) - 1, 1).bit_length()
    width = 1 << bits
    if n * n * width >= _LIMIT:
        raise ConfigError(f"too many records to block ({n}); split the list", "match")
    found: list[np.ndarray] = []
    skipped: list[int] = []
    for i, rule in enumerate(rules):
        left, right, count = rule.pairs(ctx)
        left, right = oriented(left, right, source)
        found.append(((left * n + right) << bits) + i)
        skipped.append(count)
    coded = _concatenate(found)
    coded.sort()
    if len(coded):
        coded = coded[np.r_[True, coded[1:] != coded[:-1]]]
    own = np.bincount(coded & (width - 1), minlength=width)
    pair = coded >> bits
    first = np.r_[True, pair[1:] != pair[:-1]] if len(pair) else np.empty(0, bool)
    new = np.bincount(coded[first] & (width - 1), minlength=width)
    del coded
    stats: dict[str, dict[str, int]] = {}
    for i, rule in enumerate(rules):
        stats[rule.name] = {"pairs": int(own[i]), "new_pairs": 0, "blocks_skipped": skipped[i]}
    for i, rule in enumerate(rules):
        stats[rule.name]["new_pairs"] = int(new[i])
    seen = pair[first]
    del pair, first
    left = seen // n
    seen -= left * n
    return Pairs(left, seen, stats)


def _concatenate(parts: list[np.ndarray]) -> np.ndarray:
    """One array of all the parts, freeing each as it is copied (peak: the result plus one part)."""
    out = np.empty(sum(len(p) for p in parts), dtype=np.int64)
    at = 0
    while parts:
        part = parts.pop(0)
        out[at:at + len(part)] = part
        at += len(part)
    return out
