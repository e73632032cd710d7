"""benchmarks/throughput.py (and its Splink side) run end to end on 1,000 generated rows, so they cannot rot.

Speed is never asserted; the figures must exist and be sane (an engine or a scorer that broke gives F1 near 0).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import numpy as np
import pytest

from tests.conftest import ROOT


def _load():
    spec = importlib.util.spec_from_file_location("throughput_bench", ROOT / "benchmarks" / "throughput.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["throughput_bench"] = module
    spec.loader.exec_module(module)
    return module


throughput = _load()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("throughput")      # shared: the generated rows are made once


def test_scores_count_pairs_and_exact_clusters():
    truth = np.array(["a", "a", "b", "b", "c", "d", "d"], dtype=object)
    found = np.array(["1", "1", "1", "2", "3", "4", "4"], dtype=object)
    s = throughput.score(truth, found)
    # predicted pairs: C(3,2) + C(2,2) = 4; true: 3; correct: (0,1) and (5,6)
    assert (s.predicted_pairs, s.true_pairs, s.correct_pairs) == (4, 3, 2)
    assert s.pair_precision == pytest.approx(0.5)
    assert s.pair_recall == pytest.approx(2 / 3)
    # clusters of >= 2 records: predicted {0,1,2} and {5,6}; true {0,1}, {2,3}, {5,6}; only {5,6} is exact
    assert (s.predicted_clusters, s.true_clusters, s.correct_clusters) == (2, 3, 1)
    assert s.cluster_f1 == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))


def test_rows_missing_from_the_clusters_file_are_singletons():
    import pandas as pd

    truth = pd.DataFrame({"row": ["1", "2", "3"], "entity_id": ["E1", "E1", "E1"]})
    clusters = pd.DataFrame({"row": ["1", "3"], "cluster_id": ["c1", "c1"]})     # row 2 was quarantined
    entity, found = throughput.labels_from(truth, clusters, "row", "cluster_id")
    s = throughput.score(entity, found)
    assert (s.correct_pairs, s.predicted_pairs, s.true_pairs) == (1, 1, 3)


def _check_run(run: dict) -> None:
    assert run["rows"] == 1000
    clean = run["clean"]
    assert clean["wall"] > 0
    assert clean["cpu"] > 0
    assert 50_000 < clean["max_rss_kib"] < 8_000_000     # KiB: a Python process with pandas, below 8 GiB
    scores = run["scores"]
    assert 0.8 < scores["pair_f1"] <= 1.0
    assert 0.0 < scores["cluster_f1"] <= 1.0
    assert scores["true_pairs"] > 100
    assert scores["true_clusters"] > 50
    assert run["candidate_pairs"]["total"] >= scores["predicted_pairs"]
    assert scores["correct_pairs"] <= run["reachable_pairs"] <= scores["true_pairs"]  # quarantine: unreachable
    timed = {step: seconds for step, seconds in run["steps"].items() if seconds is not None}
    assert {"normalize", "validate", "match.score", "merge"} <= timed.keys()
    assert all(seconds >= 0 for seconds in timed.values())


def _printed_rates(out: str) -> dict[str, float]:
    rates = {}
    for line in out.splitlines():
        match = re.fullmatch(r"(\S+)\s+([\d.]+)\s+([\d,]+)", line.strip())
        if match:
            rates[match[1]] = float(match[3].replace(",", ""))
    return rates


def test_throughput_on_1000_rows(workdir, capsys):
    assert throughput.main(["--rows", "1000", "--workdir", str(workdir)]) == 0
    out = capsys.readouterr().out
    payload = json.loads((workdir / "throughput.json").read_text())
    (run,) = payload["runs"]
    _check_run(run)
    assert run["splink"] is None
    rates = _printed_rates(out)
    assert {"normalize", "validate", "merge"} <= rates.keys()
    assert all(rate > 0 for rate in rates.values())
    assert "| 1,000 | custclean clean (whole run) |" in out
    assert payload["markdown"] in out
    assert not (workdir / "run_1000_s42").exists()           # outputs go without --keep; the input stays
    assert (workdir / "gen_1000_s42.truth.csv").exists()


@pytest.mark.slow
def test_throughput_with_splink_on_1000_rows(workdir, capsys):
    pytest.importorskip("splink")
    pytest.importorskip("duckdb")
    assert throughput.main(["--rows", "1000", "--workdir", str(workdir), "--splink", "--keep"]) == 0
    out = capsys.readouterr().out
    (run,) = json.loads((workdir / "throughput.json").read_text())["runs"]
    _check_run(run)
    splink = run["splink"]
    assert 0.8 < splink["scores"]["pair_f1"] <= 1.0
    assert splink["seconds"] > 0
    assert splink["process"]["max_rss_kib"] > 50_000
    assert splink["blocked_pairs"]["email"] > 0
    assert "| 1,000 | Splink 5 train+predict+cluster |" in out
    ratios = re.search(r"custclean/splink: time ([\d.]+), cpu ([\d.]+), peak_rss ([\d.]+)", out)
    assert ratios
    assert all(float(value) > 0 for value in ratios.groups())
    assert (workdir / "run_1000_s42" / "report" / "clusters.csv").exists()     # --keep keeps them
