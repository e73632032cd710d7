"""Fixtures for validation tests: run the checks on a small table with a fixed 'today'."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest

from custclean.config import Config
from custclean.ruleset import RuleSet
from custclean.validate import CheckContext, ValidationRun, run_validation
from tests.conftest import make_table

TODAY = date(2024, 6, 15)


def found(run: ValidationRun, code: str | None = None) -> list[tuple[Any, str]]:
    """(row, code) pairs of a run's row findings (not those about the whole list), optionally of one code."""
    frame = run.findings[run.findings["row"].notna()]
    frame = frame if code is None else frame[frame["code"] == code]
    return sorted(zip(frame["row"], frame["code"], strict=True))


@pytest.fixture
def validate(rules: RuleSet) -> Callable[..., ValidationRun]:
    """`validate(rows, roles=None, config=None, **run_options)`: run_validation with today = TODAY."""

    def run(rows: list[dict[str, str]], roles: dict[str, str] | None = None, config: Config | None = None,
            resolver: Any = None, **options: Any) -> ValidationRun:
        config = config or Config()
        context = CheckContext(rules, config, today=TODAY, dns_resolver=resolver)
        return run_validation(make_table(rows, roles), config, rules, context=context, **options)

    return run


@pytest.fixture
def codes_for(validate: Callable[..., ValidationRun]) -> Callable[..., dict[str, set[str]]]:
    """`codes_for("email", ["a@b.fr", ...], **row_extra)`: value -> the codes found for it (one row each)."""

    def run(column: str, values: list[str], config: Config | None = None, **extra: str) -> dict[str, set[str]]:
        rows = [{column: v, **extra} for v in values]
        result = validate(rows, config=config)
        frame: pd.DataFrame = result.findings[result.findings["column"] == column]
        return {v: set(frame.loc[frame["row"] == i, "code"]) for i, v in enumerate(values, start=1)}

    return run
