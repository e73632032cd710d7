"""benchmarks/generate.py on 1,000 rows, so the generator the throughput figures rely on cannot rot."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from tests.conftest import ROOT

SCRIPT = ROOT / "benchmarks" / "generate.py"


def _generate(out, seed: int) -> tuple[bytes, pd.DataFrame, pd.DataFrame]:
    command = [sys.executable, str(SCRIPT), "1000", str(out), "--seed", str(seed)]
    subprocess.run(command, check=True, capture_output=True)
    truth_path = out.with_name(out.stem + ".truth.csv")
    data = pd.read_csv(out, dtype=str, keep_default_na=False)
    return out.read_bytes(), data, pd.read_csv(truth_path, dtype=str, keep_default_na=False)


def test_generator_writes_data_with_truth_and_is_seeded(tmp_path):
    first, data, truth = _generate(tmp_path / "a.csv", 7)
    again, _, _ = _generate(tmp_path / "b.csv", 7)
    other, _, _ = _generate(tmp_path / "c.csv", 8)
    assert first == again
    assert first != other
    assert len(data) == 1000
    assert len(truth) == 1000
    assert truth["row"].astype(int).tolist() == list(range(1, 1001))
    sizes = truth.groupby("entity_id").size()
    assert (sizes > 1).sum() > 50                 # known duplicate clusters exist
    assert data["customer_id"].is_unique
    assert data["country"].nunique() > 7          # countries written many ways


def test_people_spread_over_small_localities(tmp_path):
    """Most people live outside the big cities, each small place with its own postcode.

    The former generator put everyone in ~200 big cities (French ones with a single postcode each): on 1,000 rows
    it gave ~160 distinct cities and 0.59 distinct postcodes per row, and 218M postcode-blocking pairs at 1M rows.
    """
    _, data, truth = _generate(tmp_path / "a.csv", 7)
    first = data[~truth["entity_id"].duplicated()]  # one record per person: duplicates repeat the postcode
    postcode = first["postal_code"].str.upper().str.replace(" ", "").str.lstrip("0")
    assert postcode.nunique() / len(first) > 0.9
    assert data["postal_code"].str.upper().str.replace(" ", "").nunique() / len(data) > 0.63
    assert data["city"].nunique() > 400
    block = postcode.value_counts()
    assert block.max() <= 4


def test_unique_addresses_end_when_a_common_mailbox_name_uses_up_its_suffixes():
    import importlib.util

    import numpy as np

    spec = importlib.util.spec_from_file_location("generate_bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_bench"] = module
    spec.loader.exec_module(module)
    people = 3000    # more than the 999 numbered variants of one mailbox name a list of millions runs into
    local = np.array(["jsmith"] * people, dtype=object)
    domain = np.array(["gmail.com"] * people, dtype=object)
    addresses = module._unique_addresses(np.random.default_rng(1), local, domain, set())
    assert len(set(addresses)) == people
    assert all(a.startswith("jsmith") and a.endswith("@gmail.com") for a in addresses)
