"""The dedupe, merge and suppress commands: files written, reports, exit codes and one-line errors."""

from __future__ import annotations

import csv

import pandas as pd
from typer.testing import CliRunner

import custclean as cc
from custclean.cli import app
from custclean.merge.golden import rebuild

runner = CliRunner()

CLIENTS = (
    "ID,Prénom,Nom,Email,Téléphone,Ville,Pays,Désinscrit,Notes\n"
    "C1,Stefan,POPESCU,stefan@alfa.ro,0721 000 111,București,RO,nu,VIP\n"
    "C2,Jean,Dupont,jean@orange.fr,,Paris,FR,,\n"
    "C3,Ștefan,Popescu,s.popescu@beta.ro,+40 721 000 111,Cluj-Napoca,RO,da,late payer\n"
    "C4,Thị Lan,Phạm,lan.pham@gmail.com,0907670440,Hà Nội,VN,không,\n"
    "C5,J.,Dupont,JEAN@orange.fr,06 12 34 56 78,Paris,FR,non,newsletter\n"
)


def read_report(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_dedupe_with_a_clusters_file_keeps_the_users_values(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_text(CLIENTS, encoding="utf-8")
    (tmp_path / "clusters.csv").write_text("ID,cluster_id\nC1,a\nC3,a\nC2,b\nC5,b\nC4,c\n", encoding="utf-8")
    out, report = tmp_path / "golden.csv", tmp_path / "report"
    result = runner.invoke(app, ["dedupe", str(source), "-o", str(out), "--report", str(report),
                                 "--clusters", str(tmp_path / "clusters.csv")])
    assert result.exit_code == 0, result.output
    rows = read_report(out)
    assert [r["ID"] for r in rows] == ["C1", "C2", "C4"]
    assert rows[0]["Téléphone"] == "0721 000 111"          # not rewritten: no --normalize
    assert "Téléphone_2" not in rows[0]                     # +40 721 000 111 is the same number
    assert (rows[0]["Prénom"], rows[0]["Email_2"], rows[0]["merged_from"]) == ("Ștefan", "s.popescu@beta.ro", "C1;C3")
    assert {r["rule"] for r in read_report(report / "changes.csv")} <= {
        "merge.most_frequent", "merge.keep_all", "merge.most_recent", "merge.any_true", "merge.concat_unique",
        "merge.most_complete"}
    clusters = read_report(report / "clusters.csv")
    assert list(clusters[0]) == ["row", "ID", "cluster_id", "probability"]
    assert [c["cluster_id"] for c in clusters] == ["a", "b", "a", "c", "b"]
    merges = pd.read_csv(report / "merges.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    merges["row"] = merges["row"].astype(int)
    output = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("ID", drop=False)
    output.index = output["ID"].map({"C1": 1, "C2": 2, "C4": 4})
    original = pd.read_csv(source, dtype=str, keep_default_na=False)
    original.index = range(1, 6)
    pd.testing.assert_frame_equal(rebuild(output, merges), original, check_names=False, check_index_type=False)


def test_suppress_writes_every_removed_row_with_its_reason_beside_the_output(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_text(CLIENTS, encoding="utf-8")
    (tmp_path / "optouts.csv").write_text("email;phone\nJEAN@ORANGE.FR;\n;+84 907 670 440\n", encoding="utf-8")
    out = tmp_path / "mailing.csv"
    result = runner.invoke(app, ["suppress", str(source), "--list", str(tmp_path / "optouts.csv"),
                                 "--for-mailing", "email", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [r["ID"] for r in read_report(out)] == ["C1"]
    suppressed = read_report(tmp_path / "mailing.report" / "suppressed.csv")
    assert [(r["ID"], r["reason"]) for r in suppressed] == [
        ("C2", "suppression_list:optouts.csv"), ("C3", "opt_out"), ("C4", "suppression_list:optouts.csv"),
        ("C5", "suppression_list:optouts.csv")]
    assert "suppressed: 4" in result.stderr


def test_merge_command_combines_files(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(CLIENTS, encoding="utf-8")
    second.write_text("Nume,Prenume,Adresă de email\nIonescu,Ana,ana@yahoo.ro\n", encoding="utf-8")
    (tmp_path / "clusters.csv").write_text("row,cluster_id\n1,x\n3,x\n", encoding="utf-8")
    out = tmp_path / "all.csv"
    result = runner.invoke(app, ["merge", str(first), str(second), "-o", str(out), "--report", str(tmp_path / "r"),
                                 "--clusters", str(tmp_path / "clusters.csv")])
    assert result.exit_code == 0, result.output
    rows = read_report(out)
    assert list(rows[0]) == ["ID", "Prénom", "Nom", "Email", "Téléphone", "Ville", "Pays", "Désinscrit", "Notes",
                             "source", "Email_2", "merged_from"]
    assert (rows[-1]["Prénom"], rows[-1]["Nom"], rows[-1]["source"]) == ("Ana", "Ionescu", "b.csv")
    assert rows[0]["merged_from"] == "a.csv:C1;a.csv:C3"


def test_errors_are_one_line_and_exit_2(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_text(CLIENTS, encoding="utf-8")
    cases = [
        (["dedupe", str(source)],
         "custclean: say where to write: -o OUT, and --report DIR when OUT is standard output"),
        (["suppress", str(source), "-o", str(tmp_path / "o.csv"), "--for-mailing", "sms"],
         "custclean: --for-mailing takes email or postal, not 'sms'"),
        (["dedupe", str(source), "-o", str(tmp_path / "o.csv"), "--id-column", "Code"],
         "custclean: --id-column: clients.csv has no column 'Code'"),
    ]
    for args, line in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert result.stderr.strip().splitlines() == [line]
        assert not (tmp_path / "o.csv").exists()


def test_a_wrong_policy_name_in_the_config_is_refused_with_a_suggestion(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_text(CLIENTS, encoding="utf-8")
    config = tmp_path / "custclean.toml"
    config.write_text('[merge]\nroles = { email = "keep_al" }\ncolumns = { Notes = "concat" }\n', encoding="utf-8")
    result = runner.invoke(app, ["dedupe", str(source), "-o", str(tmp_path / "o.csv"), "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "custclean: [merge] roles email: unknown merge policy 'keep_al' (did you mean 'keep_all'?); "
        "[merge] columns 'Notes': unknown merge policy 'concat' (did you mean 'concat_unique'?)")


def test_dedupe_with_normalize_writes_normalized_values(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_text(CLIENTS, encoding="utf-8")
    (tmp_path / "clusters.csv").write_text("row,cluster_id\n1,a\n3,a\n", encoding="utf-8")
    config = cc.Config().override(merge={"clusters": str(tmp_path / "clusters.csv"), "normalize": True})
    result = cc.dedupe(cc.read(source), config)
    assert result.table.frame.loc[1, "Téléphone"] == "+40721000111"
    assert result.table.frame.loc[5, "Téléphone"] == "+33612345678"
    steps = set(result.changes.frame()["step"])
    assert "merge" in steps
    assert len(steps) > 1                                    # the normalizers' edits are in the log too
