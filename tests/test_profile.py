"""profile: what custclean understood of a file, column by column, through the API and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import custclean as cc
from custclean.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _profile_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["profile", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("customers_multilang.csv", {
            "rows": 311, "format": "csv", "encoding": "utf-8", "delimiter": ",",
            "roles": ["id", "first_name", "last_name", "email", "phone", "company", "street", "postal_code", "city",
                      "country", "birth_date", "date", "gender", "opt_out", ""],
        }),
        ("clients_fr_cp1252.csv", {
            "rows": 60, "format": "csv", "encoding": "cp1252", "delimiter": ";",
            "roles": ["title", "first_name", "last_name", "street", "postal_code", "city", "country", "phone", "email",
                      "birth_date", "opt_out"],
        }),
    ],
)
def test_profile_of_the_examples(name, expected):
    data = _profile_json(str(EXAMPLES / name))
    got = {k: data[k] for k in ("rows", "format", "encoding", "delimiter")}
    assert got == {k: v for k, v in expected.items() if k != "roles"}
    assert [c["role"] for c in data["columns"]] == expected["roles"]


def test_profile_of_the_romanian_workbook_shows_its_sheet():
    data = _profile_json(str(EXAMPLES / "clienti_ro.xlsx"))
    assert (data["format"], data["sheet"], data["rows"]) == ("xlsx", "Clienți", 50)
    phone = next(c for c in data["columns"] if c["column"] == "Telefon")
    assert phone["role"] == "phone"
    assert all("." not in s for s in phone["samples"])       # 40749250725, not 40749250725.0


def test_profile_figures(table_from):
    table = table_from(
        [{"email": "a@b.fr", "phone": "06 12 34 56 78", "Notes": ""},
         {"email": "", "phone": "+33 6 12 34 56 78", "Notes": "VIP"},
         {"email": "c@d.ro", "phone": "0612345678", "Notes": ""},
         {"email": "a@b.fr", "phone": "", "Notes": ""}],
    )
    by_column = {row["column"]: row for row in cc.profile(table)}
    assert by_column["email"]["fill_rate"] == 0.75
    assert by_column["email"]["distinct"] == 2
    assert by_column["email"]["samples"] == ["a@b.fr", "c@d.ro"]
    assert by_column["email"]["formats"] == ["email 100%"]
    assert by_column["Notes"]["role"] == ""
    assert by_column["phone"]["formats"][0].startswith("international phone")


def test_profile_rich_table_names_encoding_and_delimiter():
    result = CliRunner().invoke(app, ["profile", str(EXAMPLES / "clients_fr_cp1252.csv")])
    assert result.exit_code == 0, result.output
    assert "clients_fr_cp1252.csv: 60 rows (csv, cp1252, delimiter ';')" in result.stdout
    assert "Tél. portable" in result.stdout
