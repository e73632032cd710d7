"""Comparison = ordered levels over one key; library of name/email/phone/date/address levels.

A pair takes the first level it meets (0 = best), the level after the last one ("else") when it
meets none, and -1 ("missing": no evidence) when either side is empty. Similarities are computed by
rapidfuzz over arrays, once per distinct (left, right) value combination — never a loop per pair.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from custclean.errors import ConfigError
from custclean.match.editbounds import Bags, bags_of, within_edit
from custclean.match.nicknames import Nicknames
from custclean.parallel import fork_each

MISSING = -1
PAIR_CODES_KEPT = 2         # a key and its swap partner (first and last name); gathering again costs ~20 ms
FORK_PAIRS = 1_000_000      # below this many pairs, a forked process costs more than it saves
SWAP_PARTNER = {"first_name": "last_name", "last_name": "first_name"}


@dataclass
class KeyCodes:
    """Each key factorized once per record (int codes + distinct values), shared by every PairContext."""

    keys: pd.DataFrame
    _codes: dict[str, tuple[np.ndarray, np.ndarray, int]] = field(default_factory=dict)
    _mapped: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    _bags: dict[str, Bags] = field(default_factory=dict)

    def get(self, key: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(code per record, distinct values, code of "" or -2)."""
        if key not in self._codes:
            codes, uniques = pd.factorize(self.keys[key].to_numpy(dtype=object))
            uniques = np.asarray(uniques, dtype=object)
            empty = np.flatnonzero(uniques == "")
            self._codes[key] = (codes.astype(np.int32), uniques, int(empty[0]) if len(empty) else -2)
        return self._codes[key]

    def present(self, key: str) -> int:
        """How many records have the key (a value other than "")."""
        codes, _, empty = self.get(key)
        return len(codes) - int(np.count_nonzero(codes == empty))

    def seed(self, key: str, codes: np.ndarray, values: np.ndarray) -> bool:
        """Take codes known already (build_keys' `exact_codes`) when they are exactly pd.factorize's.

        Exactly: numbered by first appearance with no unused value, which a cheap hash check of the
        codes' order proves. Anything else could renumber the values, and u sums over values in code
        order, so it is left to `get`. Returns whether the codes were taken.
        """
        if key in self._codes or len(codes) != len(self.keys) or not _first_seen_order(codes, len(values)):
            return False
        values = np.asarray(values, dtype=object)
        empty = np.flatnonzero(values == "")
        self._codes[key] = (codes.astype(np.int32, copy=False), values, int(empty[0]) if len(empty) else -2)
        return True

    def mapped(self, key: str, name: str, fn: Callable[[str], Any]) -> np.ndarray:
        """fn over the distinct values of a key, as integer codes (equal results, equal codes)."""
        if (key, name) not in self._mapped:
            _, uniques, _ = self.get(key)
            results = [fn(u) for u in uniques]
            if results and all(type(v) is int for v in results):
                self._mapped[(key, name)] = np.array(results, dtype=np.int64)
            else:
                self._mapped[(key, name)] = pd.factorize(np.asarray(results, dtype=object))[0].astype(np.int64)
        return self._mapped[(key, name)]

    def bags(self, key: str) -> Bags:
        """Character bags of the distinct values of a key, for the edit-distance bound."""
        if key not in self._bags:
            self._bags[key] = bags_of(self.get(key)[1])
        return self._bags[key]


def _first_seen_order(codes: np.ndarray, count: int) -> bool:
    """True when codes 0..count-1 all occur and each first occurs after the one before it."""
    seen = pd.unique(codes)
    return len(seen) == count and bool((seen == np.arange(count)).all())


@dataclass
class PairContext:
    """The keys of every record and the candidate pairs (row positions) being compared."""

    keys: pd.DataFrame
    left: np.ndarray
    right: np.ndarray
    nicknames: Nicknames
    workers: int = -1
    coded: KeyCodes | None = None
    _pair_codes: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    _scores: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.coded is None:
            self.coded = KeyCodes(self.keys)

    def codes(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Left codes, right codes and the distinct values of a key.

        Only the last few keys' pair codes are kept: each costs 8 bytes a pair (a gigabyte for all the
        keys of ten million pairs), and comparisons use their keys one after the other.
        """
        if key in self._pair_codes:
            self._pair_codes[key] = self._pair_codes.pop(key)    # most recently used last
        else:
            while len(self._pair_codes) >= PAIR_CODES_KEPT:
                del self._pair_codes[next(iter(self._pair_codes))]
            codes, uniques, _ = self.coded.get(key)
            self._pair_codes[key] = (codes[self.left], codes[self.right], uniques)
        return self._pair_codes[key]

    def present(self, key: str) -> np.ndarray:
        """Pairs where both sides have a value for the key."""
        ca, cb, _ = self.codes(key)
        empty = self.coded.get(key)[2]
        return (ca != empty) & (cb != empty)

    def column(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Left and right values of one key for every pair."""
        ca, cb, uniques = self.codes(key)
        return uniques[ca], uniques[cb]

    def derived(self, key: str, name: str, fn: Callable[[str], Any], idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Left and right codes of fn(key value) for the pairs `idx`, fn run once per distinct value of the key."""
        mapped = self.coded.mapped(key, name, fn)
        ca, cb, _ = self.codes(key)
        return mapped[ca[idx]], mapped[cb[idx]]

    def forget_scores(self) -> None:
        """Drop the cached similarity scores; a comparison's levels share them, later comparisons seldom do."""
        self._scores.clear()

    def cross_score(self, key_l: str, key_r: str, idx: np.ndarray, cutoff: float = 0.0) -> np.ndarray:
        """Jaro-Winkler between the left record's `key_l` and the right record's `key_r` (0 below `cutoff`)."""
        a = self.codes(key_l)
        b = self.codes(key_r)
        return _combo_scores(a[0][idx], a[2], b[1][idx], b[2], JaroWinkler.normalized_similarity, self.workers,
                             cutoff)

    def within_edit(self, key: str, idx: np.ndarray, distance: int) -> np.ndarray:
        """Whether each pair `idx` is within Levenshtein `distance` on a key."""
        ca, cb, uniques = self.codes(key)
        return within_edit(uniques, self.coded.bags(key), ca[idx], cb[idx], distance, self.workers)

    def score(self, key: str, scorer: str, idx: np.ndarray) -> np.ndarray:
        """A rapidfuzz score for the pairs `idx`, computed once per pair and distinct value combination."""
        done, values = self._scores.setdefault(
            (key, scorer), (np.zeros(len(self.left), dtype=bool), np.zeros(len(self.left))))
        todo = idx[~done[idx]]
        if len(todo):
            ca, cb, uniques = self.codes(key)
            values[todo] = _combo_scores(ca[todo], uniques, cb[todo], uniques, SCORERS[scorer], self.workers)
            done[todo] = True
        return values[idx]


def distinct_combos(ca: np.ndarray, cb: np.ndarray, width: np.int64) -> tuple[np.ndarray, np.ndarray]:
    """(distinct left*width+right combinations, index of each pair's combination in them).

    pandas' hash table, not a sort: on millions of pairs it is 3x faster than np.unique when values repeat.
    """
    inverse, combo = pd.factorize(ca.astype(np.int64) * width + cb)
    return combo, inverse


def _combo_scores(ca: np.ndarray, ua: np.ndarray, cb: np.ndarray, ub: np.ndarray,
                  scorer: Callable[..., float], workers: int, cutoff: float | None = None) -> np.ndarray:
    """Score each distinct (left code, right code) combination once, then spread to the pairs."""
    if len(ca) == 0:
        return np.empty(0, dtype=np.float64)
    width = np.int64(len(ub))
    combo, inverse = distinct_combos(ca, cb, width)
    scores = process.cpdist(list(ua[combo // width]), list(ub[combo % width]), scorer=scorer, workers=workers,
                            dtype=np.float64, score_cutoff=cutoff)
    return np.asarray(scores, dtype=np.float64)[inverse]


SCORERS: dict[str, Callable[..., float]] = {
    "jaro_winkler": JaroWinkler.normalized_similarity,
    "token_set": token_set_ratio,
}


LevelTest = Callable[[PairContext, str, np.ndarray, Any], np.ndarray]


def _exact(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    ca, cb, _ = ctx.codes(key)
    return ca[idx] == cb[idx]


def _jaro_winkler(ctx: PairContext, key: str, idx: np.ndarray, threshold: float) -> np.ndarray:
    return ctx.score(key, "jaro_winkler", idx) >= float(threshold)


def _edit(ctx: PairContext, key: str, idx: np.ndarray, distance: int) -> np.ndarray:
    return ctx.within_edit(key, idx, int(distance))


def _token(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """One value's words are all in the other ("garcia lopez" / "garcia").

    Two one-word values pass only when the word is the same, so only pairs with a longer value are scored.
    """
    wa, wb = ctx.derived(key, "words", lambda v: min(len(v.split()), 2), idx)
    one = (wa == 1) & (wb == 1)
    fa, fb = ctx.derived(key, "word", str.strip, idx)
    hit = one & (fa == fb)
    hit[~one] = ctx.score(key, "token_set", idx[~one]) >= 100
    return hit


def _nickname(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """Same canonical given name (Bob / Robert) or a known short-form relation (Chris / Christine)."""
    ca, cb, uniques = ctx.codes(f"{key}:canonical")
    same = ca[idx] == cb[idx]
    rest = idx[~same]
    if len(rest):
        width = np.int64(len(uniques))
        combos = pd.Series(ca[rest].astype(np.int64) * width + cb[rest])
        same[~same] = combos.isin(_related_combos(ctx.nicknames, uniques)).to_numpy()   # hashed: np.isin sorts
    return same


def _related_combos(nicknames: Nicknames, uniques: np.ndarray) -> np.ndarray:
    """left*width+right codes of every related name pair present among the values, both ways round."""
    position = {value: i for i, value in enumerate(uniques)}
    width = len(uniques)
    combos = []
    for pair in nicknames.related:
        a, _, b = pair.partition("|")
        if a in position and b in position:
            combos += [position[a] * width + position[b], position[b] * width + position[a]]
    return np.array(combos, dtype=np.int64)


def _initial(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """One side is just an initial, and it is the other's first letter ("J" / "Jean")."""
    la, lb = ctx.derived(key, "length", len, idx)
    fa, fb = ctx.derived(key, "initial", lambda v: v[:1], idx)
    return ((la == 1) | (lb == 1)) & (fa == fb)


def _swapped(ctx: PairContext, key: str, idx: np.ndarray, threshold: Any) -> np.ndarray:
    """First and last name written the other way round (each within Jaro-Winkler `threshold`, default exact)."""
    partner = SWAP_PARTNER.get(key)
    if partner is None:
        return np.zeros(len(idx), dtype=bool)
    limit = 1.0 if threshold is None else float(threshold)
    hit = ctx.cross_score(key, partner, idx, limit) >= limit
    hit[hit] = ctx.cross_score(partner, key, idx[hit], limit) >= limit    # the other half only where this one holds
    return hit


def _day_month_swapped(value: str) -> str:
    return value[:4] + value[6:8] + value[4:6]


def _transposed(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """Dates (YYYYMMDD) with day and month swapped: 1980-03-04 / 1980-04-03."""
    _, uniques, _ = ctx.coded.get(key)
    position = {v: i for i, v in enumerate(uniques)}
    swapped_code, _ = ctx.derived(key, "transposed", lambda v: position.get(_day_month_swapped(v), -1), idx)
    return swapped_code == ctx.codes(key)[1][idx]


def _local_part(value: str) -> str:
    """The mailbox name without dots (Gmail's are already gone from the key, so compare like with like)."""
    return value.rpartition("@")[0].replace(".", "")


def _user(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """Same mailbox name at another provider (jean.dupont@gmail.com / jean.dupont@orange.fr)."""
    ua, ub = ctx.derived(key, "user", _local_part, idx)
    la, _ = ctx.derived(key, "user_length", lambda v: len(_local_part(v)), idx)
    return (ua == ub) & (la >= 4)


def _same_number(ctx: PairContext, idx: np.ndarray) -> np.ndarray:
    na, nb, _ = ctx.codes("street:number")
    empty = ctx.coded.get("street:number")[2]
    na, nb = na[idx], nb[idx]
    return (na == nb) | (na == empty) | (nb == empty)


def _address_exact(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    return _exact(ctx, key, idx, None) & _same_number(ctx, idx)


def _address_jaro_winkler(ctx: PairContext, key: str, idx: np.ndarray, threshold: float) -> np.ndarray:
    return _same_number(ctx, idx) & _jaro_winkler(ctx, key, idx, threshold)


LEVELS: dict[str, LevelTest] = {
    "exact": _exact,
    "jaro_winkler": _jaro_winkler,
    "edit": _edit,
    "token": _token,
    "nickname": _nickname,
    "initial": _initial,
    "swapped": _swapped,
    "transposed": _transposed,
    "user": _user,
    "address_exact": _address_exact,
    "address_jaro_winkler": _address_jaro_winkler,
}


@dataclass(frozen=True)
class Level:
    kind: str
    param: Any = None

    @property
    def label(self) -> str:
        return self.kind if self.param is None else f"{self.kind}>={self.param}" if isinstance(
            self.param, float) else f"{self.kind}<={self.param}"


@dataclass(frozen=True)
class Comparison:
    """One field's graded agreement; `group` "household" marks evidence a family shares."""

    field: str
    key: str
    levels: tuple[Level, ...]
    tf: bool = False
    group: str = "person"
    distinguishes: bool = False    # disagreeing here marks another member of the same household
    contradicts: bool = False      # a clear disagreement here is evidence of another person

    @property
    def labels(self) -> list[str]:
        """Label of each level code: 0..n-1 the levels, n "else"; -1 is "missing"."""
        return [lvl.label for lvl in self.levels] + ["else"]

    def compute(self, ctx: PairContext) -> np.ndarray:
        undecided = ctx.present(self.key)
        level = np.full(len(undecided), len(self.levels), dtype=np.int8)
        level[~undecided] = MISSING
        for code, lvl in enumerate(self.levels):
            idx = np.flatnonzero(undecided)
            if len(idx) == 0:
                break
            hit = LEVELS[lvl.kind](ctx, self.key, idx, lvl.param)
            level[idx[hit]] = code
            undecided[idx[hit]] = False
        return level


def _level_from_spec(spec: str | Mapping[str, Any], where: str) -> Level:
    if isinstance(spec, str):
        kind, param = spec, None
    elif isinstance(spec, Mapping) and len(spec) == 1:
        kind, param = next(iter(spec.items()))
    else:
        raise ConfigError(f"{where}: a level is a name or {{name = value}}", "match")
    if kind not in LEVELS:
        raise ConfigError(f"{where}: unknown level '{kind}' (levels: {', '.join(LEVELS)})", "match")
    return Level(kind, param)


def comparison_from_spec(spec: Mapping[str, Any], known: Sequence[str]) -> Comparison:
    """A Comparison from its TOML form (see rules/match.toml)."""
    name = str(spec.get("field", spec.get("key", "")))
    key = str(spec.get("key", name))
    if key not in known:
        raise ConfigError(f"[[compare]] {name}: unknown match key '{key}' (keys: {', '.join(known)})", "match")
    levels = tuple(_level_from_spec(s, f"[[compare]] {name}") for s in spec.get("levels", ["exact"]))
    return Comparison(name, key, levels, bool(spec.get("tf", False)), str(spec.get("group", "person")),
                      bool(spec.get("distinguishes", False)), bool(spec.get("contradicts", False)))


def compare_pairs(ctx: PairContext, comparisons: Sequence[Comparison], processes: int = 1) -> np.ndarray:
    """Level codes, one column per comparison (int8, -1 = missing).

    With `processes` > 1 and enough pairs, the comparisons are shared out among forked processes (each
    comparison's levels depend only on its own keys); the keys are coded first so that every process
    inherits the codes and the caller keeps them.
    """
    out = np.empty((len(ctx.left), len(comparisons)), dtype=np.int8)
    groups = [list(range(len(comparisons)))]
    if processes > 1 and len(ctx.left) >= FORK_PAIRS:
        groups = [group for i in range(processes) if (group := list(range(i, len(comparisons), processes)))]
        for comparison in comparisons:
            ctx.coded.get(comparison.key)

    def levels_of(group: list[int]) -> list[tuple[int, np.ndarray]]:
        if len(groups) > 1:
            ctx.workers = 1         # one rapidfuzz thread per process: the processes already fill the cores
        done = []
        for j in group:
            done.append((j, comparisons[j].compute(ctx)))
            ctx.forget_scores()    # 9 bytes a pair per key and scorer: only one comparison's worth is kept
        return done

    for done in fork_each(levels_of, groups, len(groups)):
        for j, levels in done:
            out[:, j] = levels
    return out
