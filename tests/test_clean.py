"""The main job end to end: every input row lands in exactly one place, every step is timed and reported."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from typer.testing import CliRunner

import custclean as cc
from custclean.cli import app

CLIENTS = (
    "ID,Prénom,Nom,Email,Téléphone,Ville,Pays,Désinscrit,Notes\n"
    "C01,Jérôme,Faure,jfaure@hotmail.fr,07 78 90 76 61,Marseille,France,non,client fidèle\n"
    "C02,Jerome,FAURE,JFaure@hotmail.fr,+33 7 78 90 76 61,Marseille,FR,,=HYPERLINK(\"http://x\")\n"
    "C03,Ștefan,Popescu,stefan.popescu@gmail.com,0721 000 111,București,România,nu,\n"
    "C04,Stefan,Popescu,stefan.popescu@gmail.com,+40 721 000 111,Bucuresti,RO,,VIP\n"
    "C05,Thị Lan,Phạm,lan.pham@gmail.com,0907 670 440,Hà Nội,Việt Nam,có,\n"
    "C06,Hans,Müller,,,Berlin,Deutschland,nein,\n"
    "C07,Ana,Ionescu,ana.ionescu@yahoo.ro,0744 555 666,Cluj-Napoca,România,,\n"
    "C08,William,Wilson,wilson.william76@hotmail.com,617-207-3884,Boston,USA,No,\n"
)
OPTOUTS = "Courriel;Motif\nANA.IONESCU@yahoo.ro;RGPD\n"


def read_rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean")
    (folder / "clients.csv").write_text(CLIENTS, encoding="utf-8")
    (folder / "optouts.csv").write_text(OPTOUTS, encoding="utf-8")
    args = ["clean", str(folder / "clients.csv"), "-o", str(folder / "clean.csv"), "--report", str(folder / "rep"),
            "--suppress", str(folder / "optouts.csv"), "--fail-on", "error"]
    result = CliRunner().invoke(app, args)
    return folder, result


def test_clean_writes_everything_then_exits_1_on_errors(run):
    folder, result = run
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines()[-1].startswith("custclean: 1 finding(s) at or above 'error'")
    names = {p.name for p in (folder / "rep").iterdir()}
    assert {"changes.csv", "issues.csv", "summary.json", "merges.csv", "clusters.csv", "pairs.csv",
            "quarantine.csv", "suppressed.csv"} <= names


def test_every_input_row_lands_in_exactly_one_place(run):
    folder, _ = run
    output = read_rows(folder / "clean.csv")
    places = (
        [r["ID"] for r in output if not r["merged_from"]]
        + [r["ID"] for r in read_rows(folder / "rep" / "merges.csv")]
        + [r["ID"] for r in read_rows(folder / "rep" / "quarantine.csv")]
        + [r["ID"] for r in read_rows(folder / "rep" / "suppressed.csv") if not r["merged_from"]]
    )
    assert Counter(places) == Counter(f"C0{i}" for i in range(1, 9))


def test_the_output_holds_golden_records_and_untouched_rows(run):
    folder, _ = run
    output = {r["ID"]: r for r in read_rows(folder / "clean.csv")}
    assert set(output) == {"C01", "C03", "C08"}
    assert output["C01"]["merged_from"] == "C01;C02"
    assert output["C03"]["merged_from"] == "C03;C04"
    assert output["C03"]["Prénom"] == "Ștefan"
    assert output["C03"]["Notes"] == "VIP"
    assert output["C01"]["Notes"] == 'client fidèle | =HYPERLINK("http://x")'   # not a formula once joined
    assert output["C08"]["merged_from"] == ""


def test_held_rows_say_why(run):
    folder, _ = run
    assert [r["ID"] for r in read_rows(folder / "rep" / "quarantine.csv")] == ["C06"]
    suppressed = {r["ID"]: r["reason"] for r in read_rows(folder / "rep" / "suppressed.csv")}
    assert suppressed == {"C05": "opt_out", "C07": "suppression_list:optouts.csv"}


def test_summary_times_every_step(run):
    folder, _ = run
    summary = json.loads((folder / "rep" / "summary.json").read_text(encoding="utf-8"))
    steps = {key.split(".")[0] for key in summary["timings"]}
    assert steps == {"read", "normalize", "validate", "match", "merge", "suppress", "write", "reports"}
    assert (summary["rows_in"], summary["rows_out"], summary["quarantined"], summary["suppressed"]) == (8, 3, 1, 2)
    assert summary["merged"] == 4
    assert summary["stats"]["merge"]["records_absorbed"] == 2


def test_api_clean_takes_several_tables_and_suppression_tables(tmp_path):
    first, second = tmp_path / "fr.csv", tmp_path / "ro.csv"
    first.write_text(CLIENTS, encoding="utf-8")
    second.write_text("Prenume,Nume,Adresă de email,Telefon\nAna,Ionescu,ana@yahoo.ro,0744 555 000\n", "utf-8")
    optouts = cc.read(tmp_path / "fr.csv").with_frame(cc.read(tmp_path / "fr.csv").frame.iloc[[7]])
    config = cc.Config().override(merge={"clusters": None})
    result = cc.clean([cc.read(first), cc.read(second)], config, lists=[optouts])
    assert result.input_rows == 9
    assert result.table.frame.iloc[-1][["Prénom", "source"]].tolist() == ["Ana", "ro.csv"]
    assert "suppression_list:fr.csv" in set(result.suppressed["reason"])
    absorbed = result.stats["merge"]["records_absorbed"]
    assert len(result.table) + len(result.quarantine) + len(result.suppressed) + absorbed == 9
