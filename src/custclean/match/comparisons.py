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
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.fuzz import token_set_ratio

from custclean.errors import ConfigError
from custclean.match.arrays import unique_inverse
from custclean.match.nicknames import Nicknames

MISSING = -1
PAIR_CODES_KEPT = 4
SWAP_PARTNER = {"first_name": "last_name", "last_name": "first_name"}


@dataclass
class KeyCodes:
    """Each key factorized once per record (int codes + distinct values), shared by every PairContext."""

    keys: pd.DataFrame
    _codes: dict[str, tuple[np.ndarray, np.ndarray, int]] = field(default_factory=dict)
    _mapped: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def get(self, key: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(code per record, distinct values, code of "" or -2)."""
        if key not in self._codes:
            codes, uniques = pd.factorize(self.keys[key].to_numpy(dtype=object))
            uniques = np.asarray(uniques, dtype=object)
            empty = np.flatnonzero(uniques == "")
            self._codes[key] = (codes.astype(np.int32), uniques, int(empty[0]) if len(empty) else -2)
        return self._codes[key]

    def mapped(self, key: str, name: str, fn: Callable[[str], Any]) -> np.ndarray:
        """fn over the distinct values of a key, as integer codes (equal results, equal codes)."""
        if (key, name) not in self._mapped:
            _, uniques, _ = self.get(key)
            results = pd.Series([fn(u) for u in uniques], dtype=object)
            if results.map(lambda v: isinstance(v, int)).all() and len(results):
                self._mapped[(key, name)] = results.to_numpy(dtype=np.int64)
            else:
                self._mapped[(key, name)] = pd.factorize(results)[0].astype(np.int64)
        return self._mapped[(key, name)]


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

    def derived(self, key: str, name: str, fn: Callable[[str], Any]) -> tuple[np.ndarray, np.ndarray]:
        """Left and right codes of fn(key value), computed once per distinct value of the key."""
        mapped = self.coded.mapped(key, name, fn)
        ca, cb, _ = self.codes(key)
        return mapped[ca], mapped[cb]

    def forget_scores(self) -> None:
        """Drop the cached similarity scores; a comparison's levels share them, later comparisons seldom do."""
        self._scores.clear()

    def cross_score(self, key_l: str, key_r: str, idx: np.ndarray) -> np.ndarray:
        """Jaro-Winkler between the left record's `key_l` and the right record's `key_r`."""
        a = self.codes(key_l)
        b = self.codes(key_r)
        return _combo_scores(a[0][idx], a[2], b[1][idx], b[2], JaroWinkler.normalized_similarity, self.workers)

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


def _combo_scores(ca: np.ndarray, ua: np.ndarray, cb: np.ndarray, ub: np.ndarray,
                  scorer: Callable[..., float], workers: int) -> np.ndarray:
    """Score each distinct (left code, right code) combination once, then spread to the pairs."""
    if len(ca) == 0:
        return np.empty(0, dtype=np.float64)
    width = np.int64(len(ub))
    combo, inverse = unique_inverse(ca.astype(np.int64) * width + cb)
    scores = process.cpdist(list(ua[combo // width]), list(ub[combo % width]), scorer=scorer, workers=workers,
                            dtype=np.float64)
    return np.asarray(scores, dtype=np.float64)[inverse]


SCORERS: dict[str, Callable[..., float]] = {
    "jaro_winkler": JaroWinkler.normalized_similarity,
    "levenshtein": Levenshtein.distance,
    "token_set": token_set_ratio,
}


LevelTest = Callable[[PairContext, str, np.ndarray, Any], np.ndarray]


def _exact(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    ca, cb, _ = ctx.codes(key)
    return ca[idx] == cb[idx]


def _jaro_winkler(ctx: PairContext, key: str, idx: np.ndarray, threshold: float) -> np.ndarray:
    return ctx.score(key, "jaro_winkler", idx) >= float(threshold)


def _edit(ctx: PairContext, key: str, idx: np.ndarray, distance: int) -> np.ndarray:
    return ctx.score(key, "levenshtein", idx) <= int(distance)


def _token(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """One value's words are all in the other ("garcia lopez" / "garcia")."""
    return ctx.score(key, "token_set", idx) >= 100


def _nickname(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """Same canonical given name (Bob / Robert) or a known short-form relation (Chris / Christine)."""
    ca, cb, uniques = ctx.codes(f"{key}:canonical")
    same = ca[idx] == cb[idx]
    rest = idx[~same]
    if len(rest):
        width = np.int64(len(uniques))
        combo, inverse = unique_inverse(ca[rest].astype(np.int64) * width + cb[rest])
        related = ctx.nicknames.related
        hit = np.array([(f"{a}|{b}" if a < b else f"{b}|{a}") in related
                        for a, b in zip(uniques[combo // width], uniques[combo % width], strict=True)], dtype=bool)
        same[~same] = hit[inverse]
    return same


def _initial(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """One side is just an initial, and it is the other's first letter ("J" / "Jean")."""
    la, lb = ctx.derived(key, "length", len)
    fa, fb = ctx.derived(key, "initial", lambda v: v[:1])
    return ((la[idx] == 1) | (lb[idx] == 1)) & (fa[idx] == fb[idx])


def _swapped(ctx: PairContext, key: str, idx: np.ndarray, threshold: Any) -> np.ndarray:
    """First and last name written the other way round (each within Jaro-Winkler `threshold`, default exact)."""
    partner = SWAP_PARTNER.get(key)
    if partner is None:
        return np.zeros(len(idx), dtype=bool)
    limit = 1.0 if threshold is None else float(threshold)
    return (ctx.cross_score(key, partner, idx) >= limit) & (ctx.cross_score(partner, key, idx) >= limit)


def _day_month_swapped(value: str) -> str:
    return value[:4] + value[6:8] + value[4:6]


def _transposed(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """Dates (YYYYMMDD) with day and month swapped: 1980-03-04 / 1980-04-03."""
    _, uniques, _ = ctx.coded.get(key)
    position = {v: i for i, v in enumerate(uniques)}
    swapped_code, _ = ctx.derived(key, "transposed", lambda v: position.get(_day_month_swapped(v), -1))
    return swapped_code[idx] == ctx.codes(key)[1][idx]


def _local_part(value: str) -> str:
    """The mailbox name without dots (Gmail's are already gone from the key, so compare like with like)."""
    return value.rpartition("@")[0].replace(".", "")


def _user(ctx: PairContext, key: str, idx: np.ndarray, _: Any) -> np.ndarray:
    """Same mailbox name at another provider (jean.dupont@gmail.com / jean.dupont@orange.fr)."""
    ua, ub = ctx.derived(key, "user", _local_part)
    la, _ = ctx.derived(key, "user_length", lambda v: len(_local_part(v)))
    return (ua[idx] == ub[idx]) & (la[idx] >= 4)


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


def compare_pairs(ctx: PairContext, comparisons: Sequence[Comparison]) -> np.ndarray:
    """Level codes, one column per comparison (int8, -1 = missing)."""
    out = np.empty((len(ctx.left), len(comparisons)), dtype=np.int8)
    for j, comparison in enumerate(comparisons):
        out[:, j] = comparison.compute(ctx)
        ctx.forget_scores()    # 9 bytes a pair per key and scorer: only one comparison's worth is kept
    return out
