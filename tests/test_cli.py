"""CLI wiring: help teaches with an example, errors are one line with the documented exit code."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from custclean.cli import app
from tests.conftest import ROOT

runner = CliRunner()


def _command_names() -> list[str]:
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_help_with_an_example(name):
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


@pytest.mark.parametrize("name", _command_names())
def test_every_command_is_documented_in_the_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"custclean {name}" in readme


def test_missing_input_is_one_line_exit_2(tmp_path):
    result = runner.invoke(app, ["normalize", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"custclean: {tmp_path / 'nope.csv'}: no such file"]
    assert not (tmp_path / "out.csv").exists()


def test_bad_config_value_is_exit_2_with_a_suggestion(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("email\na@b.fr\n", encoding="utf-8")
    result = runner.invoke(app, ["normalize", str(source), "-o", str(tmp_path / "o.csv"), "--only", "contry"])
    assert result.exit_code == 2
    assert "no normalizer named 'contry'" in result.stderr


def test_the_input_is_never_overwritten_without_in_place(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Email\n  a@b.fr\n", encoding="utf-8")
    result = runner.invoke(app, ["normalize", str(source), "-o", str(source)])
    assert result.exit_code == 2
    assert "--in-place" in result.stderr
    assert source.read_text(encoding="utf-8") == "Email\n  a@b.fr\n"


def test_in_place_keeps_a_backup(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Email\n  a@b.fr\n", encoding="utf-8")
    result = runner.invoke(app, ["normalize", str(source), "--in-place", "--only", "text"])
    assert result.exit_code == 0, result.stderr
    backups = list(tmp_path.glob("in.csv.*.bak"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == "Email\n  a@b.fr\n"
    assert source.read_text(encoding="utf-8") == "Email\na@b.fr\n"


def test_internal_errors_are_one_line_exit_3_without_cell_values(tmp_path):
    code = (
        "import sys, custclean.api\n"
        "n = sys.modules['custclean.api.normalize']\n"
        "def boom(*a, **k): raise ValueError('secret-customer@example.com')\n"
        "n.run_steps = boom\n"
        "from custclean.cli import main\n"
        f"sys.argv = ['custclean', 'normalize', {str(tmp_path / 'in.csv')!r}, '-o', {str(tmp_path / 'o.csv')!r}]\n"
        "main()\n"
    )
    (tmp_path / "in.csv").write_text("Email\na@b.fr\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 3
    assert proc.stderr.strip() == "custclean: internal error (ValueError) — rerun with --debug and report it"
    assert "secret" not in proc.stderr


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "custclean", "--help"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "normalize" in proc.stdout


def test_highlight_changes_marks_exactly_the_edited_cells_from_the_cli(tmp_path):
    from openpyxl import load_workbook

    source = tmp_path / "in.csv"
    source.write_text("Nom,Pays,Email\nDUPONT,France,ana@x.ro\nPopescu,FR,ION@GMIAL.COM\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["normalize", str(source), "-o", str(out), "--highlight-changes", "--quiet"])
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(out).worksheets[0]
    commented = {(c.row, c.column) for row in sheet.iter_rows() for c in row if c.comment}
    assert commented == {(2, 1), (2, 2), (3, 3)}    # DUPONT -> Dupont, France -> FR, the email typo + case
    assert sheet.cell(3, 3).value == "ion@gmail.com"


def test_map_refuses_unknown_roles_and_missing_columns_at_once(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Courriel,Nom\na@b.fr,Dupont\n", encoding="utf-8")
    result = runner.invoke(app, ["profile", str(source), "--map", "mail=Courriel", "--map", "phone=Tél"])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "unknown role 'mail'" in line
    assert "in.csv has no column 'Tél' for role phone" in line
    assert "\n" not in line
