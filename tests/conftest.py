"""Shared fixtures: the shipped rules, a table builder, and a CLI runner that shows tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

import custclean as cc
from custclean.roles import Detection, RoleMap
from custclean.table import SourceInfo, text_frame

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def rules() -> cc.RuleSet:
    return cc.RuleSet.load()


def make_table(rows: list[dict[str, str]], roles: dict[str, str] | None = None, name: str = "t.csv") -> cc.Table:
    """A Table from dicts; `roles` maps column -> role name (default: the column name is the role)."""
    columns = list(dict.fromkeys(k for r in rows for k in r))
    frame = text_frame([[r.get(c, "") for c in columns] for r in rows], columns)
    mapping = roles if roles is not None else {c: c for c in columns if c in {r.value for r in cc.Role}}
    detections = tuple(Detection(cc.Role(role), col, 1.0, "test") for col, role in mapping.items())
    return cc.Table(frame, RoleMap(detections), SourceInfo(path=name, headers=tuple(columns)))


@pytest.fixture
def table_from():
    return make_table
