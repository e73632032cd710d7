"""Whole-pipeline invariants on the shipped messy example: determinism and idempotence.

Per-normalizer idempotence on random text is in tests/normalize/test_contracts.py; conservation and
rebuild-from-lineage are in tests/merge. These run the CLI end to end, as a user or a cron job would.
"""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from custclean.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
EXAMPLE = str(EXAMPLES / "customers_multilang.csv")


def _run(*args: str) -> None:
    result = runner.invoke(app, [*args, "--quiet"])
    assert result.exit_code == 0, result.stderr


def test_clean_is_deterministic_to_the_byte(tmp_path):
    for name in ("a", "b"):
        _run("clean", EXAMPLE, "-o", str(tmp_path / f"{name}.csv"), "--report", str(tmp_path / name))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    for report in ("clusters.csv", "merges.csv", "changes.csv", "issues.csv"):
        assert (tmp_path / "a" / report).read_bytes() == (tmp_path / "b" / report).read_bytes(), report


def test_normalizing_a_normalized_file_changes_nothing(tmp_path):
    once, twice = tmp_path / "once.csv", tmp_path / "twice.csv"
    _run("normalize", EXAMPLE, "-o", str(once), "--report", str(tmp_path / "r1"))
    first = pd.read_csv(tmp_path / "r1" / "changes.csv", dtype=str, keep_default_na=False)
    assert len(first) > 500                     # the example is messy: this test is not vacuous
    _run("normalize", str(once), "-o", str(twice), "--report", str(tmp_path / "r2"))
    second = pd.read_csv(tmp_path / "r2" / "changes.csv", dtype=str, keep_default_na=False)
    assert second.empty, second.head(10).to_string()
    assert once.read_bytes() == twice.read_bytes()


def test_phone_extensions_are_not_mistaken_for_formulas(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Name,Phone,Country,Notes\nAnn Lee,+1 201 555 0123 ext. 12,US,=HYPERLINK(\"x\")\n", "utf-8")
    _run("normalize", str(source), "-o", str(tmp_path / "out.csv"), "--report", str(tmp_path / "r"))
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out.at[0, "Phone"] == "+12015550123 ext. 12"
    assert out.at[0, "Notes"] == "'=HYPERLINK(\"x\")"
