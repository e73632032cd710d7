"""write_reports(): the report files of a run, and report.html built from them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd

from custclean.changes import ChangeLog
from custclean.report.files import write_reports
from custclean.results import RunResult
from tests.conftest import make_table


def test_write_reports_adds_keys_and_the_html_page(tmp_path: Path) -> None:
    table = make_table([
        {"Prénom": "Thị Lan", "Nom": "Trần", "Email": "lan.tran@gmail.com"},
        {"Prénom": "Lan", "Nom": "TRẦN", "Email": "LAN.TRAN@GMAIL.COM"},
        {"Prénom": "Chloé", "Nom": "Dupont", "Email": ""},
    ])
    log = ChangeLog()
    log.record(pd.DataFrame({"row": [2], "column": ["Nom"], "old": ["TRẦN"], "new": ["Trần"],
                             "rule": ["name.case"]}), "last_name")
    clusters = pd.DataFrame({"cluster_id": ["c000001", "c000001", "c000003"], "probability": [0.95, 0.95, 1.0]},
                            index=pd.Index([1, 2, 3]))
    result = RunResult(table=table, command="dedupe", input_rows=3, changes=log, clusters=clusters,
                       quarantine=replace(table, frame=table.frame.loc[[3]]))
    written = {p.name for p in write_reports(result, tmp_path / "rep")}
    assert {"changes.csv", "clusters.csv", "quarantine.csv", "summary.json", "report.html"} <= written
    folder = tmp_path / "rep"
    assert (folder / "clusters.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "row,cluster_id,probability", "1,c000001,0.95", "2,c000001,0.95", "3,c000003,1.0"]
    assert (folder / "quarantine.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "3,Chloé,Dupont,"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["columns"] == ["Prénom", "Nom", "Email"]
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "custclean dedupe report" in page
    assert "Cluster c000001" in page
    assert "row 1, row 2" in page
    assert '<td class="old">TRẦN</td>' in page
