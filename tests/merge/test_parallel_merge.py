"""Big lists merge on two processes (jobs split by column) and pick winners without a sort: same results.

The split is forced here on small tables (the threshold set to 0), so the forked path runs in tests;
its output must equal the in-process one cell for cell, merges.csv, edits and stats included.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.merge.conftest import merged, people

from custclean.merge import golden
from custclean.merge.policies import Members, winners
from custclean.parallel import beside, can_fork

FIRST = ["Ștefan", "Stefan", "STEFAN", "Thị Lan", "Thi Lan", "Jean-Pierre", "J.", "", "Müller", "Nguyễn Văn An"]
LAST = ["Popescu", "POPESCU", "Phạm", "Dupont", "Dupond", "", "Müller", "González Durán"]
EMAILS = ["stefan@alfa.ro", "STEFAN@alfa.ro", "lan.pham@gmail.com", "", "jp@orange.fr", "jp.dupont@free.fr"]
PHONES = ["+40721000111", "0721 000 111", "", "+33612345678", "0907670440"]
STREETS = [("12 rue de la Paix", "75002", "Paris"), ("Strada Mare 3", "010101", "București"),
           ("", "", "Hà Nội"), ("Calle de Andalucía, 14", "07585", "Puebla de la Reina")]
NOTES = ["", "VIP", "late payer", "VIP | newsletter", "appeler le soir"]


def _people(count: int, seed: int) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(count):
        street, postal, city = STREETS[rng.integers(len(STREETS))]
        rows.append({
            "ID": f"C{i:04d}", "Prénom": FIRST[rng.integers(len(FIRST))], "Nom": LAST[rng.integers(len(LAST))],
            "Email": EMAILS[rng.integers(len(EMAILS))], "Téléphone": PHONES[rng.integers(len(PHONES))],
            "Adresse": street, "Code postal": postal, "Ville": city,
            "Inscrit le": f"20{rng.integers(10, 25)}-0{rng.integers(1, 10)}-1{rng.integers(0, 10)}",
            "Désinscrit": ["", "oui", "non", "da"][rng.integers(4)], "Notes": NOTES[rng.integers(len(NOTES))],
        })
    return rows


def _groups(count: int, seed: int) -> list[list[int]]:
    rng = np.random.default_rng(seed + 1)
    labels = rng.integers(0, count // 3, size=count)
    groups: dict[int, list[int]] = {}
    for key, label in enumerate(labels, start=1):
        groups.setdefault(int(label), []).append(key)
    return [g for g in groups.values() if len(g) > 1]


def _assert_same(one: golden.GoldenResult, two: golden.GoldenResult) -> None:
    pd.testing.assert_frame_equal(one.table.frame, two.table.frame)
    pd.testing.assert_frame_equal(one.merges, two.merges)
    pd.testing.assert_frame_equal(one.edits, two.edits)
    assert one.stats == two.stats
    assert one.table.roles == two.table.roles


@pytest.mark.skipif(not can_fork(), reason="no fork on this platform")
@pytest.mark.parametrize("seed", [1, 2])
def test_two_processes_give_the_in_process_result(monkeypatch, seed):
    table = people(_people(120, seed))
    groups = _groups(120, seed)
    alone = merged(table, *groups)
    monkeypatch.setattr(golden, "PARALLEL_MIN_RECORDS", 0)
    split = merged(table, *groups)
    _assert_same(alone, split)
    assert "Email_2" in split.table.frame.columns               # keep_all's extra columns came back too
    assert split.edits["rule"].str.startswith("merge.").all()
    assert split.stats["records_absorbed"] > 0


def test_jobs_are_shared_so_every_one_runs_once_in_order(monkeypatch, tmp_path):
    monkeypatch.setattr(golden, "PARALLEL_MIN_RECORDS", 0)
    parent = os.getpid()
    jobs = [golden.Job(policy, (f"c{i}",)) for i, policy in enumerate(
        ["most_frequent", "keep_all", "most_recent", "max", "any_true", "concat_unique"])]

    def run(job: golden.Job) -> tuple[str, int]:
        if os.getpid() != parent:
            (tmp_path / "forked").touch()
        return job.columns[0], os.getpid()

    def own() -> int:                      # this side starts its share once the forked one has begun
        deadline = time.monotonic() + 20
        while can_fork() and not (tmp_path / "forked").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return os.getpid()

    done, mine = golden._merge_jobs(jobs, run, 10, own)
    assert [name for name, _ in done] == [f"c{i}" for i in range(6)]
    assert mine == parent
    if can_fork():
        assert {pid for _, pid in done} != {parent}              # the forked process took jobs


def _fail() -> None:
    raise ValueError("clients.csv: row 3: column 'Email' is broken")


def test_an_error_in_the_forked_half_is_raised_here():
    with pytest.raises(ValueError, match="row 3"):
        beside(_fail, lambda: 1)
    assert beside(lambda: "theirs", lambda: "mine") == ("theirs", "mine")


def _lexsorted(codes: np.ndarray, scores: list[np.ndarray]) -> np.ndarray:
    """The plain definition of winners: sort by cluster, scores descending (NaN last), then position."""
    keys = [np.arange(len(codes)), *(-s for s in reversed(scores))]
    order = np.lexsort((*keys, codes))
    ordered = codes[order]
    return order[np.r_[True, ordered[1:] != ordered[:-1]]]


SCORES = st.sampled_from([0.0, 1.0, 2.0, -1.0, np.nan, -np.inf, np.inf, 1000.5])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=8), st.integers(1, 3), st.data())
def test_winners_without_a_sort_are_the_sorted_winners(sizes, count, data):
    codes = np.repeat(np.arange(len(sizes)), sizes)
    scores = [np.array(data.draw(st.lists(SCORES, min_size=len(codes), max_size=len(codes))))
              for _ in range(count)]
    members = Members(codes, len(sizes), np.zeros(len(codes)), frozenset())
    assert winners(members, *scores).tolist() == _lexsorted(codes, scores).tolist()
