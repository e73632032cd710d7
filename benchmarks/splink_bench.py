#!/usr/bin/env python3
"""Splink 5 (DuckDB backend) on the generated customer rows: the reference benchmarks/throughput.py compares with.

Two steps, each run as its own process by throughput.py so that Splink's peak RSS is measured alone:

    python benchmarks/splink_bench.py prepare NORMALIZED.csv STD.csv
    python benchmarks/splink_bench.py run STD.csv CLUSTERS.csv RESULT.json [--threshold 0.9] [--u-pairs 1e7]

`prepare` standardises the input for Splink, outside any timing (issue 9 measures Splink "on input already
standardised for it"): it takes the output of `custclean normalize` (E.164 phones, ISO dates, one spelling per
country), then lowercases and accent-folds names, street and city, lowercases e-mail, keeps the digits of phones,
uppercases postcodes without spaces, and turns empty cells into NULL.

`run` times Splink's training + prediction + clustering only, with settings taken from Splink's own tutorials:

- comparisons: NameComparison on first name and surname (exact with term-frequency adjustment, Jaro-Winkler
  0.92/0.88/0.7), EmailComparison, ExactMatch on phone and on postcode (PostcodeComparison's sector and district
  levels are UK-only, and Levenshtein levels join neighbouring numeric codes), JaroWinkler 0.9/0.7 on street,
  DateOfBirthComparison on birth date. No city: Splink's docs warn against columns predictable from another
  one (city from postcode), whose evidence the model would count twice;
- blocking for prediction: postcode, email, phone, surname + first initial;
- training as in Splink's tutorial: probability_two_random_records_match from deterministic rules (email; first
  name + surname + birth date) at recall 0.7; u by random sampling (1e7 pairs, seeded; no blocking); m by two
  EM rounds blocked on those same deterministic rules, each estimating every column it does not hold (the
  e-mail round: names, phone, postcode, street, birth date; the name + birth date round: e-mail, phone, postcode,
  street). Both blocks are dense in matches, so EM's "match" class stays the duplicates. The tutorial's rounds
  (first name + surname, then birth date) broke at 1M rows: name blocks are then ~98% namesakes whose
  name-built e-mail addresses look alike, EM's "match" class became those namesakes (birth date m(exact) 0.03
  against u 0.00005), households and namesakes chained into giant clusters (pairwise F1 0.0017). Rounds blocked
  on postcode, phone or surname alone drift too (postcode blocks make every pair agree on city and address,
  surname blocks gather households). Postcode and phone get m(disagree) = 0 here, rightly: the generator only
  reformats them in duplicates and custclean normalize undoes that;
- predict at match probability 0.9, connected-component clusters at 0.9.

RESULT.json holds the seconds of each phase, CPU seconds (all DuckDB threads), the number of pairs scored and
predicted, and the settings used; CLUSTERS.csv holds unique_id (the 1-based data row), cluster_id for every row;
RESULT.model.json is the trained model (Splink's save_model_to_json), to check its m and u values.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

THRESHOLD = 0.9
U_PAIRS = 1e7
RECALL = 0.7
EM_RULES = (("email",), ("first_name", "surname", "birth_date"))  # match-dense blocks (see the module docstring)
COLUMNS = {  # Splink column <- column of the generated (and normalized) file
    "first_name": "first_name", "surname": "last_name", "email": "email", "phone": "phone",
    "postcode": "postal_code", "city": "city", "street": "street", "birth_date": "birth_date",
}


def _fold(text: str) -> str:
    """Lowercase without accents or extra spaces: 'Nguyễn  Thị' -> 'nguyen thi'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().split())


def _per_distinct(values: pd.Series, fn: Any) -> pd.Series:
    uniques = values.drop_duplicates()
    return values.map(dict(zip(uniques, map(fn, uniques), strict=True)))


def standardise(frame: pd.DataFrame) -> pd.DataFrame:
    """The Splink input: unique_id = 1-based data row, standardised columns, NULL for empty."""
    out = pd.DataFrame({"unique_id": range(1, len(frame) + 1)})
    for name in ("first_name", "surname", "city", "street"):
        out[name] = _per_distinct(frame[COLUMNS[name]], _fold).to_numpy()
    out["email"] = frame["email"].str.strip().str.lower().to_numpy()
    out["phone"] = frame["phone"].str.replace(r"\D", "", regex=True).to_numpy()
    out["postcode"] = frame["postal_code"].str.upper().str.replace(r"[\s-]", "", regex=True).to_numpy()
    birth = frame["birth_date"].str.strip()
    out["birth_date"] = birth.where(birth.str.fullmatch(r"\d{4}-\d{2}-\d{2}"), "").to_numpy()
    return out


def prepare(normalized: Path, out: Path) -> None:
    frame = pd.read_csv(normalized, dtype=str, keep_default_na=False)
    standardise(frame).to_csv(out, index=False)


def settings(threshold: float = THRESHOLD, blocking: str = "issue") -> Any:
    """The documented Splink model (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("street", [0.9, 0.7]),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
        ],
        blocking_rules_to_generate_predictions=prediction_blocking(blocking),
        retain_intermediate_calculation_columns=False,
    )


BLOCKINGS = {
    # The rules. At 1M generated rows postcode yields ~22M pairs, but surname + first initial ~251M
    # (Nguyễn is ~40% of Vietnamese surnames and "nguyen|t" alone holds 12,500 rows): hours for Splink.
    "issue": ["postcode", "email", "phone", "surname+first_initial"],
    # Finer rules for big generated lists: postcode with surname, and the whole given name with the surname.
    "fine": ["postcode+surname", "email", "phone", "surname+first_name"],
}
_RULE_COLUMNS = {"postcode": ("postcode",), "email": ("email",), "phone": ("phone",),
                 "surname+first_initial": ("surname", "substr(first_name, 1, 1)"),
                 "postcode+surname": ("postcode", "surname"), "surname+first_name": ("surname", "first_name")}


def prediction_blocking(name: str = "issue") -> list[Any]:
    from splink import block_on

    return [block_on(*_RULE_COLUMNS[rule]) for rule in BLOCKINGS[name]]


def _train(linker: Any, seed: int, u_pairs: float) -> None:
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match([block_on(*r) for r in EM_RULES], recall=RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    for rule in EM_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*rule))


def blocked_pairs(std: pd.DataFrame, blocking: str = "issue") -> dict[str, int]:
    """Pairs each prediction blocking rule yields (rules overlap; Splink scores their union). NULL keys never join."""
    columns = {"substr(first_name, 1, 1)": std["first_name"].str[:1]}
    out = {}
    for rule in BLOCKINGS[blocking]:
        parts = [columns.get(c, std[c] if c in std.columns else None) for c in _RULE_COLUMNS[rule]]
        usable = pd.concat([p != "" for p in parts], axis=1).all(axis=1)
        key = parts[0].str.cat(parts[1:], sep="|") if len(parts) > 1 else parts[0]
        counts = key[usable].value_counts().to_numpy()
        out[rule] = int((counts * (counts - 1) // 2).sum())
    return out


def run(std: Path, clusters_out: Path, result_out: Path, threshold: float, u_pairs: float, seed: int,
        blocking: str = "issue") -> dict:
    from splink import DuckDBAPI, Linker

    frame = pd.read_csv(std, dtype=str, keep_default_na=False)
    blocked = blocked_pairs(frame, blocking)
    frame = frame.astype(object).where(frame != "", None)
    frame["unique_id"] = frame["unique_id"].astype("int64")
    db_api = DuckDBAPI()
    table = db_api.register(frame, dataset_display_name="customers")
    del frame

    marks = [time.perf_counter()]
    cpu = time.process_time()
    linker = Linker(table, settings(threshold, blocking), log_level=logging.WARNING)
    _train(linker, seed, u_pairs)
    marks.append(time.perf_counter())
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    marks.append(time.perf_counter())
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    marks.append(time.perf_counter())
    cpu = time.process_time() - cpu

    result = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    result.to_csv(clusters_out, index=False)
    predicted = predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0]
    summary = {
        "train": marks[1] - marks[0], "predict": marks[2] - marks[1], "cluster": marks[3] - marks[2],
        "seconds": marks[3] - marks[0], "cpu_seconds": cpu, "rows": len(result),
        "predicted_pairs": int(predicted), "blocked_pairs": blocked,
        "settings": {"threshold": threshold, "u_pairs": u_pairs, "seed": seed, "recall": RECALL,
                     "blocking": BLOCKINGS[blocking],
                     "em_rounds": ["+".join(rule) for rule in EM_RULES]},
    }
    result_out.write_text(json.dumps(summary, indent=2))
    linker.misc.save_model_to_json(str(result_out.with_suffix(".model.json")), overwrite=True)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Splink 5 (DuckDB) reference run for benchmarks/throughput.py.")
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="standardise the output of custclean normalize for Splink")
    prep.add_argument("normalized", type=Path)
    prep.add_argument("out", type=Path)
    go = sub.add_parser("run", help="train, predict and cluster; time those phases")
    go.add_argument("std", type=Path)
    go.add_argument("clusters", type=Path)
    go.add_argument("result", type=Path)
    go.add_argument("--threshold", type=float, default=THRESHOLD)
    go.add_argument("--u-pairs", type=float, default=U_PAIRS)
    go.add_argument("--seed", type=int, default=42)
    go.add_argument("--blocking", choices=sorted(BLOCKINGS), default="issue", help="prediction blocking rules")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        prepare(args.normalized, args.out)
    else:
        run(args.std, args.clusters, args.result, args.threshold, args.u_pairs, args.seed, args.blocking)
    return 0


if __name__ == "__main__":
    sys.exit(main())
