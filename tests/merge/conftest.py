"""Helpers for merge tests: people tables with roles, clusters built by hand, one-call golden merges.

Merge must not depend on how clusters were found, so these tests give the clusters themselves.
"""

from __future__ import annotations

import pandas as pd
import pytest
from tests.conftest import make_table

import custclean as cc
from custclean.merge.golden import GoldenResult, golden_records
from custclean.merge.plan import build_plan

RULES = cc.RuleSet.load()   # the shipped rules, parsed once for every test here

# Header -> role for the people tables below (headers in several languages, as in real lists).
ROLES = {
    "ID": "id", "Prénom": "first_name", "Nom": "last_name", "Email": "email", "Téléphone": "phone",
    "Mobile": "phone", "Adresse": "street", "Code postal": "postal_code", "Ville": "city", "Pays": "country",
    "Inscrit le": "date", "Dernière mise à jour": "date", "Désinscrit": "opt_out", "Sexe": "gender",
    "Date de naissance": "birth_date", "Société": "company",
}


def people(rows: list[dict[str, str]], name: str = "clients.csv") -> cc.Table:
    """A table of the given rows; every header in ROLES gets its role, others (Notes ...) none."""
    columns = dict.fromkeys(k for r in rows for k in r)
    return make_table(rows, roles={c: ROLES[c] for c in columns if c in ROLES}, name=name)


def clusters(table: cc.Table, *groups: list[int]) -> pd.DataFrame:
    """A clusters frame like the matcher's: each group of row keys is one cluster, others alone."""
    ids = {key: f"c{key:06d}" for key in table.frame.index}
    for group in groups:
        for key in group:
            ids[key] = f"c{min(group):06d}"
    return pd.DataFrame({"cluster_id": pd.Series(ids), "probability": 1.0}).reindex(table.frame.index)


def merged(table: cc.Table, *groups: list[int], config: cc.Config | None = None,
           compare: pd.DataFrame | None = None, id_column: str | None = "ID") -> GoldenResult:
    """Golden records of `table` for these groups, with the shipped rules."""
    plan = build_plan(table, RULES, config or cc.Config())
    return golden_records(table, clusters(table, *groups), plan, compare, id_column if id_column in table.columns
                          else None)


def with_policy(column: str, policy: str) -> cc.Config:
    return cc.Config().override(merge={"columns": {column: policy}})


@pytest.fixture
def people_table():
    return people
