"""link(): for each record of a new list, its match in a master list (same engine as dedupe).

Linking is one-to-one by default (`[match] one_to_one`): a master record is the match of at most one new
record, pairs are taken strongest first when each side is the other's best, and an uncontested weak pair
is accepted on a bar lowered by the share of new records that are clearly known (see match/assign.py).
With `one_to_one = false` each new record takes its best pair at or above the threshold, whoever else
took the same master record. Answers from review.csv (`[match] decisions`) are applied first: "yes" links
a pair, "no" never does; they are remembered in the decisions store as dedupe's are. Blocking adds the
`[[link_block]]` rules of match.toml to the `[[block]]` ones: wider nets (a surname or house number that
changed) that one-to-one competition keeps precise.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from custclean.config import Config
from custclean.match.assign import LONE_FLOOR_BITS, LONE_MARGIN, assign
from custclean.match.engine import DEFAULT_REVIEW_THRESHOLD, DEFAULT_THRESHOLD, REVIEW_ROLES, link_records
from custclean.match.review import load_decisions, pair_keys
from custclean.match.scoring import PRIOR_BITS, bits_for
from custclean.results import RunResult
from custclean.roles import Role
from custclean.ruleset import RuleSet
from custclean.table import Table

LINK_COLUMNS = ("match_row", "match_id", "match_probability")
PERSONAL_FIELDS = ("email",)   # compared fields one person does not share with the household (see assign)
FORCED_BITS = 1000.0           # added to a pair answered "yes", so that it is taken before any other


def _free_name(frame: pd.DataFrame, name: str) -> str:
    """`name`, or `name_2`, ... when the new list already has such a column."""
    candidate, n = name, 1
    while candidate in frame.columns:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _probability(bits: float) -> float:
    return float(1.0 / (1.0 + 2.0 ** -(bits + PRIOR_BITS)))


def _engine_config(config: Config, rules: RuleSet) -> Config:
    """The link blocking rules added, and pairs kept down to where they can still compete or be decided."""
    opts = config.match
    blocks = (*rules.data("match").get("link_block", []), *opts.blocks)
    floor = min(_review_threshold(config), _probability(LONE_FLOOR_BITS - LONE_MARGIN))
    return replace(config, match=replace(opts, blocks=blocks, review_threshold=floor))


def _threshold(config: Config) -> float:
    return config.match.threshold if config.match.threshold is not None else DEFAULT_THRESHOLD


def _review_threshold(config: Config) -> float:
    review = config.match.review_threshold
    return review if review is not None else min(DEFAULT_REVIEW_THRESHOLD, _threshold(config))


def _fingerprints(table: Table, side: str, id_column: str | None) -> np.ndarray:
    """A stable identity per record for the decisions store: its side and id, or its identifying values."""
    frame = table.frame
    if id_column is not None and id_column in frame.columns and (frame[id_column] != "").all():
        text = side + "\x1fid\x1f" + frame[id_column].astype(str)
    else:
        text = pd.Series(side, index=frame.index, dtype=object)
        for column in dict.fromkeys(c for role in REVIEW_ROLES if (c := table.roles.column(role)) is not None):
            text = text + "\x1f" + frame[column].astype(str).str.strip().str.casefold()
    codes, uniques = pd.factorize(text)
    digests = np.array([hashlib.sha1(t.encode()).hexdigest()[:16] for t in uniques], dtype=object)
    return digests[codes]


@dataclass
class _Pairs:
    """Candidate pairs as positions, their weights, and the reviewer's answers (pair keys where needed)."""

    frame: pd.DataFrame
    left: np.ndarray
    right: np.ndarray
    weight: np.ndarray
    yes: np.ndarray
    no: np.ndarray
    keys: np.ndarray


def _candidates(master: Table, new: Table, config: Config, frame: pd.DataFrame, review_bits: float) -> _Pairs:
    """Positions and weights of the scored pairs; pair keys for the shown pairs (all when answers exist)."""
    left = master.frame.index.get_indexer(frame["row_l"])
    right = new.frame.index.get_indexer(frame["row_r"])
    weight = frame["match_weight"].to_numpy(dtype=float)
    decisions, _ = load_decisions(config.match.decisions)
    need = np.ones(len(frame), bool) if decisions else weight >= review_bits - 1e-3
    master_id = config.match.id_column or master.roles.column(Role.ID)
    new_id = config.match.id_column if config.match.id_column in new.frame.columns else new.roles.column(Role.ID)
    fps = np.r_[_fingerprints(master, "master", master_id), _fingerprints(new, "new", new_id)]
    keys = np.full(len(frame), "", dtype=object)
    keys[need] = pair_keys(fps, left[need], right[need] + len(master))
    verdict = pd.Series(keys).map(decisions).to_numpy()
    return _Pairs(frame, left, right, weight, verdict == "yes", verdict == "no", keys)


def _conflicts(frame: pd.DataFrame) -> np.ndarray:
    conflict = np.zeros(len(frame), bool)
    for field in PERSONAL_FIELDS:
        if f"level_{field}" in frame.columns:
            conflict |= (frame[f"level_{field}"] == "else").to_numpy()
    return conflict


def _choose(pairs: _Pairs, threshold: float, n_master: int, n_new: int, one_to_one: bool
            ) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Chosen pair positions and their probabilities: answered "yes" first, "no" never, then the engine's rule."""
    allowed = np.flatnonzero(~pairs.no)
    weight = np.where(pairs.yes, pairs.weight + FORCED_BITS, pairs.weight)[allowed]
    left, right = pairs.left[allowed], pairs.right[allowed]
    if one_to_one:
        result = assign(left, right, weight, bits_for(threshold), n_master, n_new, _conflicts(pairs.frame)[allowed])
        stats = {"known_share": round(result.known_share, 4), "uncontested_bits": round(result.lone_bits, 2),
                 "uncontested_links": int(result.lone.sum())}
        return allowed[result.chosen], result.probability, stats
    ranked = pd.DataFrame({"r": right, "w": weight, "l": left, "i": np.arange(len(allowed))})
    ranked = ranked[ranked["w"] >= bits_for(threshold)]
    ranked = ranked.sort_values(["r", "w", "l"], ascending=[True, False, True]).drop_duplicates("r")
    chosen = ranked["i"].to_numpy()
    return allowed[chosen], 1.0 / (1.0 + np.exp2(-(weight[chosen] + PRIOR_BITS))), {}


def _best(new: Table, pairs: _Pairs, chosen: np.ndarray, probability: np.ndarray) -> pd.DataFrame:
    best = pd.DataFrame({"match_row": pd.Series([None] * len(new), dtype=object, index=new.frame.index),
                         "match_probability": np.nan, "match_weight": np.nan}, index=new.frame.index)
    rows = pairs.right[chosen]
    best.iloc[rows, 0] = pairs.frame["row_l"].to_numpy()[chosen]
    best.iloc[rows, 1] = np.round(probability, 6)
    best.iloc[rows, 2] = pairs.weight[chosen]
    return best


def _reported(master: Table, new: Table, pairs: _Pairs, chosen: np.ndarray, review_bits: float
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """pairs.csv: the pairs from the review threshold up plus every link, with pair_key and `linked`.
    review.csv: side by side, the undecided pairs from the review threshold up of new records left unmatched."""
    linked = np.zeros(len(pairs.weight), bool)
    linked[chosen] = True
    shown = linked | (pairs.weight >= review_bits - 1e-3)
    out = pairs.frame[shown].reset_index(drop=True)
    out.insert(2, "pair_key", pairs.keys[shown])
    out.insert(5, "linked", linked[shown])
    matched = np.zeros(len(new), bool)
    matched[pairs.right[chosen]] = True
    band = shown & ~matched[pairs.right] & ~pairs.yes & ~pairs.no
    return out, _side_by_side(master, new, pairs, band)


def _side_by_side(master: Table, new: Table, pairs: _Pairs, band: np.ndarray) -> pd.DataFrame:
    """The pairs to review, master record (_l) beside new record (_r), with the evidence and `decision`."""
    picked = pairs.frame[band].assign(pair_key=pairs.keys[band], _l=pairs.left[band], _r=pairs.right[band])
    picked = picked.sort_values(["probability", "row_r"], ascending=[False, True])
    out = picked[["pair_key", "row_l", "row_r", "probability"]].reset_index(drop=True)
    out["probability"] = out["probability"].round(4)
    for role in REVIEW_ROLES:
        col_l, col_r = master.roles.column(role), new.roles.column(role)
        if col_l is None and col_r is None:
            continue
        out[f"{role.value}_l"] = master.frame[col_l].to_numpy()[picked["_l"]] if col_l else ""
        out[f"{role.value}_r"] = new.frame[col_r].to_numpy()[picked["_r"]] if col_r else ""
    for name in [c for c in picked.columns if c.startswith("level_")]:
        out[name] = picked[name].astype(str).to_numpy()
    out["decision"] = ""
    return out


def link(master: Table, new: Table, config: Config | None = None, rules: RuleSet | None = None) -> RunResult:
    """`new` with three columns added at the end: match_row, match_id, match_probability.

    match_row is the 1-based data row of the matching record in `master` ("" when none), match_id the
    master's id column value for that row ("" without an id column). Answers in `[match] decisions`
    (review.csv with its decision column filled in) are applied: "yes" links the pair, "no" never does.

    >>> import custclean as cc
    >>> master = cc.read("examples/customers_multilang.csv")
    >>> result = cc.link(master, master)
    >>> list(result.table.columns[-3:])
    ['match_row', 'match_id', 'match_probability']
    """
    config = config or Config()
    rules = rules or RuleSet.load(*config.rules_dirs)
    _, output = link_records(master, new, _engine_config(config, rules), rules)
    threshold, review = _threshold(config), _review_threshold(config)
    started = time.perf_counter()
    scored = output.pairs.drop(columns="pair_key", errors="ignore")
    pairs = _candidates(master, new, config, scored, bits_for(review))
    chosen, probability, assigned = _choose(pairs, threshold, len(master), len(new), config.match.one_to_one)
    best = _best(new, pairs, chosen, probability)
    shown, review_pairs = _reported(master, new, pairs, chosen, bits_for(review))
    seconds = {**output.stats.get("seconds", {}), "assign": round(time.perf_counter() - started, 3)}
    stats = {**output.stats, **assigned, "matched": len(chosen), "decisions": int(pairs.yes.sum() + pairs.no.sum()),
             "review_threshold": review, "review_bits": round(bits_for(review), 2),
             "review_pairs": len(review_pairs), "seconds": seconds}
    return RunResult(
        table=new.with_frame(_with_match_columns(new, master, best, config)), command="link",
        input_rows=len(new), timings={"match": sum(seconds.values())}, stats={"match": stats},
        config={"match": asdict(config.match)}, pairs=shown, review=review_pairs,
    )


def _with_match_columns(new: Table, master: Table, best: pd.DataFrame, config: Config) -> pd.DataFrame:
    id_column = config.match.id_column or master.roles.column(Role.ID)
    found = best["match_row"].notna()
    frame = new.frame.copy()
    rows = best["match_row"]
    frame[_free_name(frame, "match_row")] = rows.where(found, "").astype(str).where(found, "")
    ids = pd.Series("", index=frame.index, dtype=object)
    if id_column is not None:
        ids[found] = master.frame.loc[rows[found].to_numpy(), id_column].to_numpy()
    frame[_free_name(frame, "match_id")] = ids
    frame[_free_name(frame, "match_probability")] = best["match_probability"].map(
        lambda p: "" if pd.isna(p) else f"{p:.4f}")
    return frame
