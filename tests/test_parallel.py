"""The fork-based map must give exactly the answers of a plain loop, in order, whatever the split."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from typing import ClassVar

import pytest

import custclean as cc
import custclean.parallel as parallel
from custclean.config import Config
from custclean.findings import Severity
from custclean.match.keys import build_keys
from custclean.normalize.base import Fix, NormalizerStep, Outcome, Unclear
from custclean.normalize.name import FirstNameNormalizer
from custclean.normalize.text import TextNormalizer
from custclean.roles import Role
from custclean.ruleset import RuleSet
from tests.conftest import make_table


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


@dataclass(frozen=True)
class Titles:
    """A toy with every kind of outcome: Fix, Fix with an extra cell, Unclear at two severities, None."""

    name: ClassVar[str] = "titles"
    role: ClassVar[Role] = Role.FIRST_NAME
    hint: ClassVar[Role | None] = Role.COUNTRY
    after: ClassVar[tuple[str, ...]] = ()
    rules_declared: ClassVar[dict[str, str]] = {"titles.digits": "digits in a name", "titles.long": "long"}

    def normalize(self, value: str, hint: str = "") -> Outcome:
        if any(c.isdigit() for c in value):
            return Unclear("titles.digits", Severity.ERROR if hint == "RO" else Severity.WARNING)
        if len(value) > 14:
            return Unclear("titles.long", Severity.INFO)
        head, _, rest = value.partition(" ")
        if head in {"Mme", "Dr", "Dna", "Ông"} and rest:
            return Fix(rest, "titles.split", ((Role.TITLE, head),))
        return Fix(value.title(), "titles.case") if value != value.title() else None


MESSY_NAMES = ["  Jérôme", "Mme Jeanne", "RenÃ©", "Ştefan", "Ông Hoàng Nam", "nguyễn văn a", "Dna Ioana",
               "José\u00a0María", "Jo\u200bhn", "R2D2", "Zoë", "Mme", "ĐỖ", "Dr Ana-Maria Popescu-Ionescu", ""]


@pytest.mark.usefixtures("tiny_split")
def test_columnar_results_from_workers_equal_one_process(monkeypatch: pytest.MonkeyPatch, rules: RuleSet) -> None:
    rows = [{"first_name": MESSY_NAMES[(i * 7) % len(MESSY_NAMES)] + ("" if i % 4 else f" {i % 5}"),
             "country": ["FR", "RO", "VN", "ES", "DE"][i % 5]} for i in range(90)]
    table = make_table(rows)
    forks = []
    forked = parallel._forked
    monkeypatch.setattr(parallel, "_forked", lambda *a: forks.append(len(a[2])) or forked(*a))
    config = Config()
    for normalizer in (Titles(), TextNormalizer(), FirstNameNormalizer.from_rules(rules, config)):
        one = NormalizerStep(normalizer, workers=1).run(table)
        two = NormalizerStep(normalizer, workers=2).run(table)
        assert one.edits.equals(two.edits), normalizer.name
        assert one.findings.equals(two.findings), normalizer.name
        assert one.new_roles == two.new_roles
        assert len(one.edits), normalizer.name
    assert forks, "the forked path never ran"
    titles = NormalizerStep(Titles(), workers=2).run(table)
    assert set(titles.findings["severity"]) == {"error", "warning", "info"}
    assert set(titles.edits["column"]) == {"first_name", "title"}
    assert titles.new_roles == ((Role.TITLE, "title"),)
    assert titles.findings["message"].isin(["digits in a name", "long"]).all()


def _killed_in_a_child(parent: int, answer: str):
    """A job whose forked copy dies without a word (as when the kernel kills it for memory)."""
    def job() -> str:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return answer
    return job


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork")
def test_a_killed_helper_costs_time_not_the_answer() -> None:
    parent = os.getpid()
    assert parallel.beside(_killed_in_a_child(parent, "clients.csv"), lambda: "mine") == ("clients.csv", "mine")
    done, mine = parallel.share_jobs(
        6, lambda i: _killed_in_a_child(parent, f"job {i}")() if i == 1 else f"job {i}", lambda: "mine")
    assert done == [f"job {i}" for i in range(6)]
    assert mine == "mine"
    helper = parallel.Helper(lambda conn: os.kill(os.getpid(), signal.SIGKILL), what="the merge helper")
    try:
        with pytest.raises(parallel.Stopped, match=r"^the merge helper stopped \(signal 9\); nothing was committed"):
            helper.expect("result")
    finally:
        helper.close()
