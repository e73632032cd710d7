"""Survivorship functions by name: most_complete, most_recent, keep_all, any_true ...

A policy sees one column (or a group of columns) of every record that belongs to a cluster of two or
more, and returns one value per cluster. Work is vectorised over all clusters at once: a "selector"
policy scores each record and keeps the best one per cluster in a single `np.lexsort`; the others
group by (cluster, comparison key). Ties go to the record with the higher source priority (earlier
file, then earlier row), so results are deterministic.

Most clusters agree on most columns, so text scores (length, accents ...) are computed only for
"contested" clusters, those with two different filled values; elsewhere the first filled value wins,
which is the same value. A filled cell is a non-empty one (the text normalizer trims cells).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from custclean.roles import Role
from custclean.text import fold

JOIN = " | "                       # concat_unique separator; splitting on it keeps re-merging idempotent


@dataclass(frozen=True)
class Members:
    """The records of multi-record clusters, sorted by cluster then source priority.

    `codes[i]` is the cluster number (0..count-1, non-decreasing) of the i-th member; `recency` its
    date as a float (missing dates are -inf); `truthy` the folded opt-out words.
    """

    codes: np.ndarray
    count: int
    recency: np.ndarray
    truthy: frozenset[str]

    @cached_property
    def starts(self) -> np.ndarray:
        """The position of each cluster's first member (its surviving record)."""
        return np.flatnonzero(np.r_[True, self.codes[1:] != self.codes[:-1]]) if len(self.codes) else self.codes

    def per_cluster_any(self, mask: np.ndarray) -> np.ndarray:
        """Spread "true for some member" to every member of the same cluster."""
        if not len(mask):
            return mask
        return np.logical_or.reduceat(mask, self.starts)[self.codes]


class Column:
    """One column's cells for every member: the text kept (`values`) and the text compared (`compare`)."""

    def __init__(self, name: str, role: Role | None, values: np.ndarray, compare: np.ndarray | None = None):
        self.name = name
        self.role = role
        self.values = values
        self.compare = values if compare is None else compare
        self.filled = values != ""
        self._contested: tuple[Members, np.ndarray, np.ndarray] | None = None

    def contested(self, members: Members) -> np.ndarray:
        """Members of clusters holding two different filled values in this column (kept: scorers ask again)."""
        if self._contested is not None and self._contested[0] is members:
            return self._contested[1]
        if not len(self.values):
            return self.filled
        positions = np.where(self.filled, np.arange(len(self.values)), len(self.values) - 1)
        first = np.minimum.reduceat(positions, members.starts)
        differs = self.filled & (self.values != self.values[first[members.codes]])
        contested = members.per_cluster_any(differs)
        contested.flags.writeable = False
        self._contested = (members, contested, first)
        return contested

    def known_contested(self, members: Members) -> tuple[np.ndarray, np.ndarray] | None:
        """(contested members, each cluster's first filled position) when a policy already worked them out.

        Outside contested clusters every filled cell equals the cluster's first filled one.
        """
        if self._contested is None or self._contested[0] is not members:
            return None
        return self._contested[1], self._contested[2]

    def keys(self, mask: np.ndarray) -> np.ndarray:
        """Comparison form of the masked cells: lower-cased email, phone digits, folded text otherwise."""
        return per_unique(self.compare[mask], KEYERS.get(self.role, _fold_key))


def per_unique(values: np.ndarray, fn: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """Apply a vectorised function to the distinct values only, then map back (lists repeat a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    result = fn(pd.Series(uniques, dtype=object)).to_numpy()
    return result[codes] if len(codes) else result[:0]


_ASCII_PUNCT = re.compile(r"[^\w\s]")


def fold_key(value: str) -> str:
    """`text.fold`, with a fast path for plain ASCII text (most cells), where folding is just lower-casing."""
    if value.isascii():
        return " ".join(_ASCII_PUNCT.sub(" ", value.lower()).split())
    return fold(value)


def _fold_key(values: pd.Series) -> pd.Series:
    return values.map(fold_key)


_NOT_DIGIT = re.compile(r"(?!^\+)\D")


def email_key(value: str) -> str:
    """How emails compare: trimmed, lower-cased, without "mailto:"."""
    return value.strip().lower().removeprefix("mailto:")


def phone_key(value: str) -> str:
    """How phones compare when not normalized: their digits (and a leading +)."""
    return _NOT_DIGIT.sub("", value.strip())


KEYERS: dict[Role | None, Callable[[pd.Series], pd.Series]] = {
    Role.EMAIL: lambda values: values.map(email_key),
    Role.PHONE: lambda values: values.map(phone_key),
}


def _contested(columns: Sequence[Column], members: Members) -> np.ndarray:
    return np.logical_or.reduce([c.contested(members) for c in columns])


def _on(mask: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """fn computed for the masked members only; 0 elsewhere."""
    out = np.zeros(len(mask), dtype=np.float64)
    if mask.any():
        out[mask] = fn(mask)
    return out


# --- selectors: score every record, keep the best per cluster ------------------------------------

def winners(members: Members, *scores: np.ndarray) -> np.ndarray:
    """Position of the best member of each cluster: highest scores (first = most important), then first row.

    One pass per score instead of a sort: each keeps, within every cluster, the members that reach the
    cluster's best value so far (NaN ranks below everything, as a sort would put it).
    """
    if not len(members.codes):
        return members.codes[:0].astype(np.int64)
    starts = members.starts
    best = np.ones(len(members.codes), dtype=bool)
    for score in scores:
        for key in _keys_of(np.asarray(score, dtype=np.float64)):
            masked = np.where(best, key, -np.inf)
            best &= masked == np.maximum.reduceat(masked, starts)[members.codes]
    return np.minimum.reduceat(np.where(best, np.arange(len(best)), len(best)), starts)


def _keys_of(score: np.ndarray) -> tuple[np.ndarray, ...]:
    """A score as keys without NaN: (is a number, the number) when it holds NaN."""
    nan = np.isnan(score)
    if not nan.any():
        return (score,)
    return (~nan).astype(np.float64), np.where(nan, -np.inf, score)


def _filled_count(columns: Sequence[Column]) -> np.ndarray:
    return np.sum([c.filled for c in columns], axis=0)


def _presence(columns: Sequence[Column]) -> tuple[np.ndarray, np.ndarray]:
    """Whether the first (most important) column is filled, then whether any is: a group's street first."""
    return columns[0].filled, _filled_count(columns) > 0


def _informative_one(value: str) -> int:
    text = value.strip()
    accents = min(len(text.encode("utf-8")) - len(text), 99)       # extra UTF-8 bytes: accented letters
    mixed = text != text.upper() and text != text.lower()
    return len(text) * 1000 + accents * 10 + mixed


def _informative(values: pd.Series) -> pd.Series:
    """Longest trimmed text first, then more accented letters ("Ștefan" > "Stefan"), then mixed case."""
    return values.map(_informative_one)


def _length(values: pd.Series) -> pd.Series:
    return values.map(lambda v: len(v.strip()))


def _text_score(columns: Sequence[Column], members: Members, fn: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """Sum of a text score over the columns, for contested clusters only."""
    return _on(_contested(columns, members),
               lambda m: np.sum([per_unique(c.values[m], fn) for c in columns], axis=0))


def most_complete_scores(columns: Sequence[Column], members: Members) -> tuple[np.ndarray, ...]:
    return columns[0].filled, _filled_count(columns), _text_score(columns, members, _informative)


def most_recent_scores(columns: Sequence[Column], members: Members) -> tuple[np.ndarray, ...]:
    return *_presence(columns), members.recency


def source_priority_scores(columns: Sequence[Column], members: Members) -> tuple[np.ndarray, ...]:
    return _presence(columns)


def longest_scores(columns: Sequence[Column], members: Members) -> tuple[np.ndarray, ...]:
    return *_presence(columns), _text_score(columns, members, _length)


def any_true_scores(columns: Sequence[Column], members: Members) -> tuple[np.ndarray, ...]:
    column = columns[0]
    truthy = _on(column.contested(members), lambda m: np.isin(column.keys(m), list(members.truthy)))
    return truthy, column.filled


def most_frequent_scores(columns: Sequence[Column], members: Members) -> tuple[np.ndarray, ...]:
    """The value (or combination, for a group) most records agree on, compared folded, most complete spelling."""
    filled = _filled_count(columns) > 0

    def frequency(mask: np.ndarray) -> np.ndarray:
        key_codes = pd.factorize(columns[0].keys(mask))[0].astype(np.int64)
        for column in columns[1:]:                 # a group: the combination of its keys, as one number
            more = pd.factorize(column.keys(mask))[0].astype(np.int64)
            key_codes = pd.factorize(key_codes * (int(more.max(initial=0)) + 1) + more)[0].astype(np.int64)
        pair = members.codes[mask].astype(np.int64) * (int(key_codes.max(initial=0)) + 1) + key_codes
        pair_codes = pd.factorize(pair)[0]
        return np.where(filled[mask], np.bincount(pair_codes)[pair_codes], 0)

    contested = _contested(columns, members)
    return *_presence(columns), _on(contested, frequency), _text_score(columns, members, _informative)


def _rank(uniques: pd.Series) -> pd.Series:
    """Each value's rank in ascending order: as numbers, else as dates, else as folded text."""
    filled = uniques.str.strip() != ""
    for parse in (_as_number, date_numbers):
        parsed = parse(uniques)
        if parsed[filled].notna().all():
            return parsed.rank(method="dense").fillna(0)
    return uniques.map(fold).rank(method="dense")


def _as_number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.str.strip().str.replace(",", ".", regex=False), errors="coerce")


def date_numbers(values: pd.Series, dayfirst: bool = True) -> pd.Series:
    """Dates as float nanoseconds (NaN when not a date): ISO first, then day/month/year text."""
    text = values.str.strip()
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    retry = parsed.isna() & (text != "")
    if retry.any():
        parsed[retry] = pd.to_datetime(text[retry], errors="coerce", format="mixed", dayfirst=dayfirst)
    numbers = parsed.to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(np.float64)
    numbers[parsed.isna().to_numpy()] = np.nan
    return pd.Series(numbers, index=values.index)


def _ordered(column: Column, members: Members) -> np.ndarray:
    return _on(column.contested(members), lambda m: per_unique(column.values[m], _rank))


def max_scores(columns: Sequence[Column], members: Members) -> tuple[np.ndarray, ...]:
    return columns[0].filled, _ordered(columns[0], members)


def min_scores(columns: Sequence[Column], members: Members) -> tuple[np.ndarray, ...]:
    return columns[0].filled, -_ordered(columns[0], members)


@dataclass(frozen=True)
class Picks:
    """A job's golden values as the member cells they come from, so they travel as numbers, not text.

    `cells[k, c]` is where output k of cluster c comes from: `index * size + position` in the job's
    columns (`size` members each), -1 for an empty value; `texts[k]` = (clusters, text) overrides
    built values (joined notes).
    """

    cells: np.ndarray
    size: int
    texts: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def output(self, k: int, read: Callable[[int, np.ndarray], np.ndarray]) -> np.ndarray:
        """Output k, with `read(column index, member positions)` giving those cells (the objects, not copies)."""
        cells = self.cells[k]
        column = int(cells.max(initial=-1)) // max(self.size, 1)
        if len(cells) and column >= 0 and int(cells.min()) >= column * self.size:     # one column, never empty
            out = read(column, cells - column * self.size)
        else:
            out = np.full(len(cells), "", dtype=object)
            index, at = np.divmod(cells, max(self.size, 1))
            for source in np.unique(index[cells >= 0]):
                where = (cells >= 0) & (index == source)
                out[where] = read(int(source), at[where])
        if k in self.texts:
            codes, texts = self.texts[k]
            out[codes] = texts
        return out

    def values(self, columns: Sequence[Column]) -> list[np.ndarray]:
        """The golden values themselves, read from the columns' cells."""
        return [self.output(k, lambda index, at: columns[index].values[at]) for k in range(len(self.cells))]


Scorer = Callable[[Sequence[Column], Members], tuple[np.ndarray, ...]]
Merge = Callable[[Sequence[Column], Members], Picks]


def selector(scorer: Scorer) -> Merge:
    """A policy that keeps, per cluster, every given column from the one best-scoring record."""

    def merge(columns: Sequence[Column], members: Members) -> Picks:
        best = winners(members, *scorer(columns, members))
        return Picks(np.stack([k * len(members.codes) + best for k in range(len(columns))]), len(members.codes))

    return merge


# --- aggregators: build a value from several records --------------------------------------------

def join_runs(values: np.ndarray, codes: np.ndarray, separator: str) -> tuple[np.ndarray, np.ndarray]:
    """Join the values of each run of equal codes (codes sorted); returns (run codes, joined text)."""
    if not len(values):
        return codes[:0], values[:0]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    pieces = separator + values.astype(object)
    pieces[starts] = values[starts]
    return codes[starts], np.add.reduceat(pieces, starts)


def _distinct_cells(columns: Sequence[Column], members: Members, mask: np.ndarray, split: bool) -> pd.DataFrame:
    """The masked filled cells as (code, value), first of each (cluster, key), in source-priority order."""
    parts = []
    for index, column in enumerate(columns):
        keep = mask & column.filled
        parts.append(pd.DataFrame({"code": members.codes[keep], "pos": np.flatnonzero(keep), "col": index,
                                   "value": column.values[keep], "key": column.keys(keep)}))
    cells = pd.concat(parts, ignore_index=True)
    if split:
        cells = cells.assign(value=cells["value"].str.split(JOIN, regex=False)).explode("value", ignore_index=True)
        cells["value"] = cells["value"].str.strip()
        cells = cells[cells["value"] != ""]
        cells["key"] = per_unique(cells["value"].to_numpy(dtype=object), _fold_key)
    order = np.lexsort((cells.index.to_numpy(), cells["col"].to_numpy(), cells["pos"].to_numpy(),
                        cells["code"].to_numpy()))
    cells = cells.iloc[order]
    return cells[~cells.duplicated(["code", "key"])]


def concat_unique(columns: Sequence[Column], members: Members) -> Picks:
    """Every distinct value of the cluster, in source-priority order, joined with " | "."""
    column = columns[0]
    picks = Picks(winners(members, column.filled)[None, :], len(members.codes))
    contested = column.contested(members) | members.per_cluster_any(column.filled & pd.Series(
        column.values).str.contains(JOIN, regex=False).to_numpy(dtype=bool))
    if contested.any():
        cells = _distinct_cells(columns[:1], members, contested, split=True)
        picks.texts[0] = join_runs(cells["value"].to_numpy(dtype=object), cells["code"].to_numpy(), JOIN)
    return picks


def keep_all(columns: Sequence[Column], members: Members) -> Picks:
    """Every distinct value, first in the given columns, the rest in extra columns (email_2 ...).

    Contact points are never dropped: a customer's second email is as useful as the first.
    """
    if len(columns) == 1:
        mask = columns[0].contested(members)
        first = winners(members, columns[0].filled)
    else:
        mask = np.ones(len(members.codes), dtype=bool)
        first = np.full(members.count, -1, dtype=np.int64)
    cells = _distinct_cells(columns, members, mask, split=False)
    codes = cells["code"].to_numpy()
    slots = cells.groupby("code", sort=False).cumcount().to_numpy()
    width = max(len(columns), int(slots.max(initial=-1)) + 1)
    out = np.full((width, members.count), -1, dtype=np.int64)
    out[0] = first
    out[:, codes] = -1
    out[slots, codes] = cells["col"].to_numpy() * len(members.codes) + cells["pos"].to_numpy()
    return Picks(out, len(members.codes))


@dataclass(frozen=True)
class Policy:
    """A survivorship rule. `whole_record` ones pick one record, so they can merge a column group."""

    merge: Merge
    whole_record: bool = False
    many_columns: bool = False      # merges all columns of a role together (keep_all)


POLICIES: dict[str, Policy] = {
    "most_complete": Policy(selector(most_complete_scores), whole_record=True),
    "most_recent": Policy(selector(most_recent_scores), whole_record=True),
    "source_priority": Policy(selector(source_priority_scores), whole_record=True),
    "longest": Policy(selector(longest_scores), whole_record=True),
    "most_frequent": Policy(selector(most_frequent_scores), whole_record=True),
    "min": Policy(selector(min_scores)),
    "max": Policy(selector(max_scores)),
    "any_true": Policy(selector(any_true_scores)),
    "concat_unique": Policy(concat_unique),
    "keep_all": Policy(keep_all, many_columns=True),
}
