"""custclean validate: the files it writes, the summary line and the --fail-on exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from custclean.cli import app

runner = CliRunner()

LIST = (
    "ID,Prénom,Nom,Email,Téléphone,Adresse,Code postal,Ville,Pays\n"
    "C1,Jean,Dupont,jean.dupont@orange.fr,06 12 34 56 78,1 rue de la Paix,75002,Paris,France\n"
    "C2,Ștefan,Popescu,stefan@yahoo,0722 123 456,Calea Victoriei 91,010063,București,România\n"
    "C3,An,Nguyễn,an@gmail.com,0912 345 678,,,Hà Nội,Việt Nam\n"
    "C4,Klaus,Müller,,,,1011,Berlin,Deutschland\n"          # no email, phone nor street: unreachable
)


@pytest.fixture
def customers(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text(LIST, encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_reports_quarantine_and_follow_up(customers, tmp_path):
    report, held, todo = tmp_path / "report", tmp_path / "held.csv", tmp_path / "todo.csv"
    result = runner.invoke(app, ["validate", str(customers), "--report", str(report), "--quarantine", str(held),
                                 "--incomplete", str(todo)])
    assert result.exit_code == 0, result.stderr
    issues = {(r["row"], r["code"]) for r in _rows(report / "issues.csv")}
    assert issues == {("2", "email.invalid"), ("4", "required.contact"), ("4", "postal_code.bad_format")}
    assert [r["ID"] for r in _rows(held)] == ["C2", "C4"]
    assert _rows(held)[1]["custclean_issues"] == (
        "required.contact (Email / Téléphone / Adresse); postal_code.bad_format (Code postal)"     # errors first
    )
    assert [(r["ID"], r["missing"]) for r in _rows(todo)] == [("C3", "street, postal_code")]
    summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    assert (summary["rows_in"], summary["rows_out"], summary["quarantined"]) == (4, 2, 2)
    assert result.stderr.strip().splitlines()[-1].startswith(
        "custclean validate: rows in: 4; rows out: 2; cells edited: 0; findings: 2 error, 1 warning, 0 info; "
        "quarantined: 2;"
    )


def test_output_holds_the_kept_rows(customers, tmp_path):
    out = tmp_path / "ok.csv"
    result = runner.invoke(app, ["validate", str(customers), "-o", str(out), "--quarantine", str(tmp_path / "q.csv")])
    assert result.exit_code == 0, result.stderr
    assert [r["ID"] for r in _rows(out)] == ["C1", "C3"]


def test_without_output_nothing_but_reports_is_written(customers, tmp_path):
    result = runner.invoke(app, ["validate", str(customers), "--report", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients.csv", "r"]


@pytest.mark.parametrize(("level", "exit_code"), [("error", 1), ("warning", 1), ("info", 1)])
def test_fail_on_exits_1_after_writing_everything(customers, tmp_path, level, exit_code):
    report = tmp_path / "r"
    result = runner.invoke(app, ["validate", str(customers), "--report", str(report), "--fail-on", level])
    assert result.exit_code == exit_code
    assert (report / "issues.csv").exists()
    assert result.stderr.strip().splitlines()[-1].startswith("custclean: ")
    assert f"at or above '{level}'" in result.stderr


def test_fail_on_passes_when_no_finding_reaches_the_level(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text("Prénom,Email,Pays,Code postal\nJean,jean@orange.fr,FR,7501\n", encoding="utf-8")
    assert runner.invoke(app, ["validate", str(clean), "--fail-on", "error"]).exit_code == 0
    assert runner.invoke(app, ["validate", str(clean), "--fail-on", "warning"]).exit_code == 1


def test_an_unknown_fail_on_level_is_exit_2_with_a_suggestion(customers, tmp_path):
    result = runner.invoke(app, ["validate", str(customers), "--report", str(tmp_path / "r"), "--fail-on", "eror"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "custclean: --fail-on: fail_on must be one of error, warning, info, not 'eror' (did you mean 'error'?)"
    )
    assert not (tmp_path / "r").exists()


def test_rules_file_flag(customers, tmp_path):
    rules = tmp_path / "shop.toml"
    rules.write_text('[[rule]]\ncode = "email.invalid"\nseverity = "info"\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(customers), "--rules-file", str(rules), "--fail-on", "error"])
    assert result.exit_code == 1          # required.contact is still an error
    assert "1 error, 1 warning, 1 info" in result.stderr


def test_a_bad_rules_file_is_one_line_exit_2(customers, tmp_path):
    rules = tmp_path / "shop.toml"
    rules.write_text('[[rule]]\ncode = "shop.x"\ncheck = "regx"\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(customers), "--rules-file", str(rules)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown check 'regx' (did you mean 'regex'?)" in result.stderr


def test_default_region_flag_checks_national_phones(tmp_path):
    source = tmp_path / "no_country.csv"
    source.write_text("Prénom,Téléphone\nJean,06 12 34 56 78\nLuc,06 12\n", encoding="utf-8")
    report = tmp_path / "r"
    result = runner.invoke(app, ["validate", str(source), "--report", str(report), "--default-region", "FR"])
    assert result.exit_code == 0, result.stderr
    assert [(r["row"], r["code"]) for r in _rows(report / "issues.csv")] == [("2", "phone.invalid")]


def test_quarantined_formulas_are_made_inert(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Prénom,Email,Notes\nJean,pas-un-email,=HYPERLINK(\"http://x\")\n", encoding="utf-8")
    held = tmp_path / "held.csv"
    result = runner.invoke(app, ["validate", str(source), "--quarantine", str(held)])
    assert result.exit_code == 0, result.stderr
    assert _rows(held)[0]["Notes"] == "'=HYPERLINK(\"http://x\")"
