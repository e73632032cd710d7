#!/usr/bin/env python3
"""Throughput, memory and accuracy of a whole `custclean clean` on generated rows, optionally next to Splink.

    python benchmarks/throughput.py [--rows 100000 1000000] [--splink] [--workdir DIR] [--keep] [--seed 42]

For each N: generate N rows with benchmarks/generate.py (reused from WORKDIR when present, keyed by N and seed),
run `python -m custclean clean IN -o OUT --report DIR --quiet` as a child process, and report

- wall time, CPU time (user+sys of the child and the worker processes it waited for) and peak RSS, both from
  os.wait4's rusage (ru_maxrss is the peak of the largest single process of the tree, in KiB on Linux); with
  psutil installed also the sampled peak of the whole tree's PSS (forked workers share pages, PSS counts a
  shared page once);
- seconds and rows/s per step from DIR/summary.json "timings" ("-" when a step reports no timing);
- candidate pairs per blocking rule, from summary.json stats["match"];
- pairwise and cluster precision/recall/F1 of DIR/clusters.csv against OUT.truth.csv. Quarantined rows are
  not matched and count as singletons. Pairwise: a pair of records is predicted when they share a cluster and
  true when they share an entity. Clusters: only clusters of two or more records count, predicted and true
  alike; a predicted cluster is correct when it holds exactly the records of one true entity.

With --splink (the `bench` extra: splink, duckdb, psutil) the same rows are standardised for Splink outside any
timing (`custclean normalize`, then benchmarks/splink_bench.py prepare) and Splink 5 runs in its own child
process (settings in splink_bench.py); its training + prediction + clustering time is compared with custclean's
whole wall time, and peak RSS with peak RSS, as issue 9 asks. The same accuracy figures are computed for it.

A markdown summary is printed last and written, with every figure, to WORKDIR/throughput.json. Without --keep
the outputs of the runs are deleted and only the generated inputs (and throughput.json) stay in WORKDIR.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
GENERATE = HERE / "generate.py"
SPLINK = HERE / "splink_bench.py"
STEPS = ("read", "normalize", "validate", "match.keys", "match.blocking", "match.compare", "match.score",
         "match.cluster", "match.report", "merge", "suppress", "write", "reports")
SAMPLE_SECONDS = 1.0    # tree PSS (reading smaps of every process) costs ~8 ms per GB-sized process: sampled sparingly


@dataclass
class Measure:
    """One child process: wall seconds, CPU seconds (user+sys, waited-for descendants included), peak memory."""

    wall: float
    cpu: float
    max_rss_kib: int
    tree_pss_kib: int | None = None
    returncode: int = 0


@dataclass
class Scores:
    pair_precision: float
    pair_recall: float
    pair_f1: float
    cluster_precision: float
    cluster_recall: float
    cluster_f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    true_clusters: int
    predicted_clusters: int
    correct_clusters: int


@dataclass
class Run:
    rows: int
    data: str
    clean: Measure
    steps: dict[str, float | None]
    candidate_pairs: dict[str, Any]
    quarantined: int
    scores: Scores
    reachable_pairs: int      # true pairs whose two records both reached matching (neither quarantined)
    splink: dict[str, Any] | None = None


# --------------------------------------------------------------------------------------------------------------
# Child processes
# --------------------------------------------------------------------------------------------------------------


def _tree_pss_kib(root: int) -> int | None:
    """PSS of a process and its descendants, in KiB (None without psutil or when the process is gone)."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        parent = psutil.Process(root)
        procs = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return None
    total = 0
    for proc in procs:
        try:
            total += proc.memory_full_info().pss
        except psutil.Error:
            continue
    return total // 1024


def measure(command: list[str], log: Path) -> Measure:
    """Run `command`, stdout+stderr to `log`; exact wall/CPU/peak RSS from wait4, tree PSS by sampling."""
    peak: list[int] = []
    with open(log, "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(SAMPLE_SECONDS):
                value = _tree_pss_kib(child.pid)
                if value is not None:
                    peak.append(value)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting again
    return Measure(wall=wall, cpu=usage.ru_utime + usage.ru_stime, max_rss_kib=usage.ru_maxrss,
                   tree_pss_kib=max(peak) if peak else None, returncode=child.returncode)


def _check(result: Measure, what: str, log: Path) -> None:
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{what} failed (exit {result.returncode}); log {log}:\n{tail}")


def truth_path(data: Path) -> Path:
    return data.with_name(data.stem + ".truth.csv")


def generated(rows: int, seed: int, workdir: Path) -> Path:
    """WORKDIR/gen_N_sSEED.csv (+ .truth.csv), generated once."""
    data = workdir / f"gen_{rows}_s{seed}.csv"
    if not (data.exists() and truth_path(data).exists()):
        subprocess.run([sys.executable, str(GENERATE), str(rows), str(data), "--seed", str(seed)], check=True)
    return data


def run_clean(data: Path, out_dir: Path) -> tuple[Measure, dict[str, Any]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / "report"
    command = [sys.executable, "-m", "custclean", "clean", str(data), "-o", str(out_dir / "out.csv"),
               "--report", str(report), "--quiet"]
    log = out_dir / "clean.log"
    result = measure(command, log)
    _check(result, "custclean clean", log)
    return result, json.loads((report / "summary.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------------------


def step_seconds(timings: dict[str, float]) -> dict[str, float | None]:
    """The STEPS' seconds; normalize sums its per-normalizer entries; None where no timing was reported."""
    out: dict[str, float | None] = {step: timings.get(step) for step in STEPS}
    normalizers = [value for key, value in timings.items() if key.startswith("normalize.")]
    out["normalize"] = float(sum(normalizers)) if normalizers else timings.get("normalize")
    return out


def candidate_pairs(stats: dict[str, Any]) -> dict[str, Any]:
    match = stats.get("match", {})
    out: dict[str, Any] = {"total": match.get("candidate_pairs")}
    for rule, figures in match.get("blocking", {}).items():
        out[rule] = figures.get("new_pairs", figures.get("pairs")) if isinstance(figures, dict) else figures
    return out


def _pairs(sizes: np.ndarray) -> int:
    sizes = sizes.astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def _prf(correct: int, predicted: int, true: int) -> tuple[float, float, float]:
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(truth: np.ndarray, predicted: np.ndarray) -> Scores:
    """Pairwise and cluster P/R/F1 of two labelings of the same records (clusters of size >= 2 only)."""
    t, p = pd.factorize(truth)[0], pd.factorize(predicted)[0]
    t_size, p_size = np.bincount(t), np.bincount(p)
    cells = pd.DataFrame({"p": p, "t": t}).value_counts(sort=False)
    n = cells.to_numpy()
    cp, ct = cells.index.get_level_values("p").to_numpy(), cells.index.get_level_values("t").to_numpy()
    correct_pairs, predicted_pairs, true_pairs = _pairs(n), _pairs(p_size), _pairs(t_size)
    exact = int(((n >= 2) & (n == p_size[cp]) & (n == t_size[ct])).sum())
    predicted_clusters, true_clusters = int((p_size >= 2).sum()), int((t_size >= 2).sum())
    pair = _prf(correct_pairs, predicted_pairs, true_pairs)
    cluster = _prf(exact, predicted_clusters, true_clusters)
    return Scores(*pair, *cluster, true_pairs=true_pairs, predicted_pairs=predicted_pairs,
                  correct_pairs=correct_pairs, true_clusters=true_clusters, predicted_clusters=predicted_clusters,
                  correct_clusters=exact)


def labels_from(truth: pd.DataFrame, clusters: pd.DataFrame, row: str, cluster: str) -> tuple[np.ndarray, np.ndarray]:
    """True entity and predicted cluster per data row; rows missing from `clusters` become singletons."""
    rows = truth["row"].astype(np.int64).to_numpy()
    assigned = pd.Series(clusters[cluster].astype(str).to_numpy(), index=clusters[row].astype(np.int64).to_numpy())
    predicted = assigned.reindex(rows).to_numpy(dtype=object)
    missing = pd.isna(predicted)
    predicted[missing] = [f"singleton:{r}" for r in rows[missing]]
    return truth["entity_id"].to_numpy(dtype=object), predicted


def read_truth(data: Path) -> pd.DataFrame:
    return pd.read_csv(truth_path(data), dtype=str, keep_default_na=False)


def clean_scores(data: Path, report: Path) -> tuple[Scores, int]:
    """Scores of clean's clusters.csv, and the true pairs between rows that reached matching at all."""
    truth = read_truth(data)
    clusters = pd.read_csv(report / "clusters.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    matched = truth[truth["row"].astype(np.int64).isin(clusters["row"].astype(np.int64))]
    reachable = _pairs(matched["entity_id"].value_counts().to_numpy())
    return score(*labels_from(truth, clusters, "row", "cluster_id")), reachable


# --------------------------------------------------------------------------------------------------------------
# Splink
# --------------------------------------------------------------------------------------------------------------


def splink_input(data: Path, workdir: Path) -> Path:
    """Standardised Splink input next to the data (cached): custclean normalize, then splink_bench.py prepare."""
    std = workdir / f"{data.stem}.splink.csv"
    if std.exists():
        return std
    normalized = workdir / f"{data.stem}.normalized.csv"
    subprocess.run([sys.executable, "-m", "custclean", "normalize", str(data), "-o", str(normalized), "--quiet"],
                   check=True)
    subprocess.run([sys.executable, str(SPLINK), "prepare", str(normalized), str(std)], check=True)
    normalized.unlink()
    return std


def run_splink(data: Path, workdir: Path, out_dir: Path, blocking: str = "issue") -> dict[str, Any]:
    std = splink_input(data, workdir)
    clusters, result, log = out_dir / "splink_clusters.csv", out_dir / "splink.json", out_dir / "splink.log"
    measured = measure([sys.executable, str(SPLINK), "run", str(std), str(clusters), str(result),
                        "--blocking", blocking], log)
    _check(measured, "splink", log)
    figures = json.loads(result.read_text())
    found = pd.read_csv(clusters, dtype=str, keep_default_na=False)
    figures["scores"] = asdict(score(*labels_from(read_truth(data), found, "unique_id", "cluster_id")))
    figures["process"] = asdict(measured)
    return figures


# --------------------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------------------


def _mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:,.0f} MiB"


def _num(value: float | None, fmt: str = "{:.2f}") -> str:
    return "-" if value is None else fmt.format(value)


def print_run(run: Run) -> None:
    clean = run.clean
    print(f"\n== {run.rows:,} rows ({run.data})")
    print(f"custclean clean: wall {clean.wall:.1f} s, CPU {clean.cpu:.1f} s, peak RSS {_mib(clean.max_rss_kib)} "
          f"(largest process), tree PSS {_mib(clean.tree_pss_kib)} (sampled), {run.rows / clean.wall:,.0f} rows/s")
    print(f"{'step':16s} {'seconds':>9s} {'rows/s':>12s}")
    for step, seconds in run.steps.items():
        rate = f"{run.rows / seconds:,.0f}" if seconds else "-"
        print(f"{step:16s} {_num(seconds):>9s} {rate:>12s}")
    known = sum(s for s in run.steps.values() if s)
    print(f"{'(rest: startup)':16s} {clean.wall - known:9.2f}")
    pairs = dict(run.candidate_pairs)
    total = pairs.pop("total", None)
    print(f"candidate pairs: {_num(total, '{:,}')}; new pairs per blocking rule (after the rules before it): "
          + (", ".join(f"{k}={_num(v, '{:,}')}" for k, v in pairs.items()) or "-"))
    ceiling = run.reachable_pairs / run.scores.true_pairs if run.scores.true_pairs else 1.0
    print(f"quarantined rows (scored as singletons): {run.quarantined:,}; true pairs between matched rows "
          f"{run.reachable_pairs:,} (pairwise recall ceiling {ceiling:.4f}; recall among them "
          f"{run.scores.correct_pairs / max(run.reachable_pairs, 1):.4f})")
    _print_scores("custclean", run.scores)
    if run.splink:
        sp, proc = run.splink, run.splink["process"]
        print(f"splink: train {sp['train']:.1f} s + predict {sp['predict']:.1f} s + cluster {sp['cluster']:.1f} s "
              f"= {sp['seconds']:.1f} s (CPU {sp['cpu_seconds']:.1f} s); peak RSS {_mib(proc['max_rss_kib'])}, "
              f"tree PSS {_mib(proc['tree_pss_kib'])}; blocked pairs per rule {sp['blocked_pairs']}, "
              f"predicted pairs >= {sp['settings']['threshold']}: {sp['predicted_pairs']:,}")
        _print_scores("splink", Scores(**sp["scores"]))
        ratios = splink_ratios(run)
        print("custclean/splink: " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()))


def _print_scores(name: str, s: Scores) -> None:
    print(f"{name:9s} pairwise P {s.pair_precision:.4f} R {s.pair_recall:.4f} F1 {s.pair_f1:.4f} "
          f"({s.correct_pairs:,}/{s.predicted_pairs:,} predicted, {s.true_pairs:,} true pairs); "
          f"clusters (size >= 2) P {s.cluster_precision:.4f} R {s.cluster_recall:.4f} F1 {s.cluster_f1:.4f} "
          f"({s.correct_clusters:,} exact of {s.predicted_clusters:,} predicted, {s.true_clusters:,} true)")


def splink_ratios(run: Run) -> dict[str, float]:
    if run.splink is None:
        return {}
    proc = run.splink["process"]
    ratios = {"time": run.clean.wall / run.splink["seconds"], "cpu": run.clean.cpu / run.splink["cpu_seconds"],
              "peak_rss": run.clean.max_rss_kib / proc["max_rss_kib"]}
    if run.clean.tree_pss_kib and proc.get("tree_pss_kib"):
        ratios["tree_pss"] = run.clean.tree_pss_kib / proc["tree_pss_kib"]
    return ratios


def summary_table(runs: list[Run]) -> str:
    """The markdown table for an issue note."""
    lines = ["| rows | tool | time s | CPU s | peak RSS | pair P | pair R | pair F1 | cluster F1 | vs Splink |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in runs:
        ratio = ""
        if run.splink:
            r = splink_ratios(run)
            ratio = f"time {r['time']:.2f}, CPU {r['cpu']:.2f}, RSS {r['peak_rss']:.2f}"
        s = run.scores
        lines.append(f"| {run.rows:,} | custclean clean (whole run) | {run.clean.wall:.1f} | {run.clean.cpu:.1f} | "
                     f"{_mib(run.clean.max_rss_kib)} | {s.pair_precision:.4f} | {s.pair_recall:.4f} | "
                     f"{s.pair_f1:.4f} | {s.cluster_f1:.4f} | {ratio} |")
        if run.splink:
            sp, t = run.splink, Scores(**run.splink["scores"])
            lines.append(f"| {run.rows:,} | Splink 5 train+predict+cluster | {sp['seconds']:.1f} | "
                         f"{sp['cpu_seconds']:.1f} | {_mib(sp['process']['max_rss_kib'])} | {t.pair_precision:.4f} | "
                         f"{t.pair_recall:.4f} | {t.pair_f1:.4f} | {t.cluster_f1:.4f} | |")
    lines.append("")
    lines.append("Peak RSS: ru_maxrss of the largest process (wait4). Cluster F1 counts clusters of >= 2 records; "
                 "quarantined rows are singletons.")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------------------


def bench(rows: int, args: argparse.Namespace) -> Run:
    data = generated(rows, args.seed, args.workdir)
    out_dir = args.workdir / f"run_{rows}_s{args.seed}"
    try:
        clean, summary = run_clean(data, out_dir)
        scores, reachable = clean_scores(data, out_dir / "report")
        run = Run(rows=rows, data=str(data), clean=clean, steps=step_seconds(summary.get("timings", {})),
                  candidate_pairs=candidate_pairs(summary.get("stats", {})),
                  quarantined=int(summary.get("quarantined", 0)), scores=scores, reachable_pairs=reachable)
        if args.splink:
            run.splink = run_splink(data, args.workdir, out_dir, args.splink_blocking)
    finally:
        if not args.keep:
            shutil.rmtree(out_dir, ignore_errors=True)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time, memory and accuracy of custclean clean (and Splink).")
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--splink", action="store_true", help="also run Splink 5 (needs the bench extra)")
    parser.add_argument("--splink-blocking", choices=["issue", "fine"], default="issue",
                        help="Splink's prediction blocking: the issue's rules, or finer ones for 1M generated rows")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "custclean-throughput")
    parser.add_argument("--keep", action="store_true", help="keep the outputs and reports of the runs")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    runs = []
    for rows in args.rows:
        run = bench(rows, args)
        print_run(run)
        runs.append(run)
    table = summary_table(runs)
    print("\n" + table)
    payload = {"command": " ".join(["python", "benchmarks/throughput.py", *(argv or sys.argv[1:])]),
               "runs": [asdict(run) for run in runs], "markdown": table}
    (args.workdir / "throughput.json").write_text(json.dumps(payload, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
