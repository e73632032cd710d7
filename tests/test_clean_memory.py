"""clean() frees what it no longer needs before matching, which on a million rows is hundreds of MB."""

from __future__ import annotations

import gc
import sys
import weakref

import pytest

import custclean as cc
from tests.conftest import make_table

ROWS = [
    {"first_name": "Thị Lan", "last_name": "TRẦN", "email": "LAN.TRAN@GMAIL.COM", "phone": "0907 670 440",
     "country": "viet nam"},
    {"first_name": "Lan", "last_name": "Trần", "email": "lan.tran@gmail.com", "phone": "+84907670440", "country": "VN"},
    {"first_name": "ștefan", "last_name": "popescu", "email": "", "phone": "0721 234 567", "country": "Roumanie"},
    {"first_name": "Chloé", "last_name": "  Dupont ", "email": "c.dupont@orange.fr", "phone": "06 12 34 56 78",
     "country": "France"},
]


def _clean_watching_the_input(
    monkeypatch: pytest.MonkeyPatch, rules: cc.RuleSet, keep: list[cc.Table] | None
) -> tuple[cc.RunResult, dict]:
    """Run clean() on a small multilingual list; report whether the input table and its memo lived into matching."""
    module = sys.modules["custclean.api.clean"]
    original = module.merge_duplicates
    seen: dict = {}

    def spying(*args, **kwargs):
        gc.collect()
        table = seen["input"]()
        seen["alive"], seen["memo"] = table is not None, None if table is None else dict(table._memo)
        seen["matched_memo"] = set(args[0]._memo)
        return original(*args, **kwargs)

    def read() -> list[cc.Table]:
        tables = [make_table(ROWS)]
        seen["input"] = weakref.ref(tables[0])
        if keep is not None:
            keep.extend(tables)
        return tables

    monkeypatch.setattr(module, "merge_duplicates", spying)
    return cc.clean(read(), rules=rules), seen


def test_an_input_nobody_else_holds_is_gone_before_matching(monkeypatch: pytest.MonkeyPatch, rules: cc.RuleSet) -> None:
    result, seen = _clean_watching_the_input(monkeypatch, rules, None)
    assert seen["alive"] is False
    assert ("factorized", "email") in seen["matched_memo"]     # normalize's codes, for the match keys to reuse
    assert result.input_rows == len(ROWS)
    assert len(result.changes) > 0
    assert result.command == "clean"


def test_an_input_the_caller_keeps_stays_whole_without_its_cached_codes(
    monkeypatch: pytest.MonkeyPatch, rules: cc.RuleSet
) -> None:
    kept: list[cc.Table] = []
    before = make_table(ROWS).frame
    result, seen = _clean_watching_the_input(monkeypatch, rules, kept)
    assert seen["alive"] is True
    assert seen["memo"] == {}
    assert kept[0].frame.equals(before)             # the caller's table is untouched
    assert result.input_rows == len(before)
