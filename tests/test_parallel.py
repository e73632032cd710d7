"""The fork-based map must give exactly the answers of a plain loop, in order, whatever the split."""

from __future__ import annotations

import os

import pytest

import custclean as cc
import custclean.parallel as parallel
from custclean.config import Config
from custclean.match.keys import build_keys
from custclean.ruleset import RuleSet


@pytest.fixture
def tiny_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork for a handful of items, so the small example exercises the multi-process path."""
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 3)


def _pid_and(value: str, hint: str) -> tuple[int, str]:
    return os.getpid(), f"{value}|{hint}"


@pytest.mark.usefixtures("tiny_split")
def test_map_keeps_order_and_uses_other_processes() -> None:
    values = [f"Nguyễn {i}" for i in range(40)]
    hints = ["VN" if i % 3 else "FR" for i in range(40)]
    got = parallel.parallel_map(_pid_and, values, hints, workers=2)
    assert [text for _, text in got] == [f"{v}|{h}" for v, h in zip(values, hints, strict=True)]
    assert {pid for pid, _ in got} - {os.getpid()}, "no child process did any of the work"


def test_small_inputs_stay_in_process() -> None:
    got = parallel.parallel_map(_pid_and, ["a", "b"], ["", ""], workers=2)
    assert {pid for pid, _ in got} == {os.getpid()}


def test_workers_resolve_to_the_cores_available() -> None:
    assert parallel.resolve_workers(3) == 3
    assert parallel.resolve_workers(-1) == len(os.sched_getaffinity(0))


@pytest.mark.usefixtures("tiny_split")
def test_normalize_validate_and_keys_are_the_same_on_one_or_two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    table = cc.read("examples/customers_multilang.csv")
    rules = RuleSet.load()
    runs = {}
    for workers in (1, 2):
        config = Config().override(normalize={"workers": workers})
        normalized = cc.normalize(table, config, rules)
        validated = cc.validate(normalized.table, config, rules)
        keys = build_keys(normalized.table, config, rules, normalized=True) if workers == 2 else None
        runs[workers] = (normalized, validated, keys)
    one, two = runs[1], runs[2]
    assert one[0].table.frame.equals(two[0].table.frame)
    assert one[0].changes.frame().equals(two[0].changes.frame())
    assert one[1].findings.frame().equals(two[1].findings.frame())
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 10**9)   # the reference keys: this process alone
    assert build_keys(one[0].table, Config(), rules, normalized=True).equals(two[2])
