"""write_reports(): the report files of a run, and report.html built from them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from custclean.changes import ChangeLog
from custclean.findings import Findings, findings_frame
from custclean.report.files import write_reports
from custclean.report.html import render_html
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
    assert summary["timings"] == result.timings
    assert list(summary["timings"]) == ["reports"]          # the report CSVs' seconds, for the benchmark
    assert 0 <= summary["timings"]["reports"] < 60
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "custclean dedupe report" in page
    assert "Cluster c000001" in page
    assert "row 1, row 2" in page
    assert '<td class="old">TRẦN</td>' in page


def _messy_result(origin: bool) -> RunResult:
    """A clean run over a FR/RO/VI list: formula cells, phones, floats, float32 weights, categories, NaN."""
    table = make_table([
        {"Prénom": "Thị Lan", "Nom": "Trần", "Email": "lan.tran@gmail.com", "Téléphone": "+84907670440",
         "Notes": "=HYPERLINK(\"http://x\")"},
        {"Prénom": "Lan", "Nom": "TRẦN", "Email": "LAN.TRAN@GMAIL.COM", "Téléphone": "0907 670 440", "Notes": ""},
        {"Prénom": "Ștefan", "Nom": "Popescu", "Email": "", "Téléphone": "0721 234 567", "Notes": "-2+3"},
        {"Prénom": "Chloé", "Nom": "Dupont, Martin", "Email": "c.dupont@orange.fr", "Téléphone": "", "Notes": "@x"},
    ])
    if origin:
        table = replace(table, origin=pd.DataFrame({"source": ["a.csv", "a.csv", "b.xlsx", "b.xlsx"],
                                                    "row": [1, 2, 1, 2]}, index=table.frame.index))
    log = ChangeLog()
    log.record(pd.DataFrame({"row": [2, 2, 3, 1], "column": ["Nom", "Téléphone", "Téléphone", "Notes"],
                             "old": ["TRẦN", "0907 670 440", "0721 234 567", "=HYPERLINK(\"http://x\")"],
                             "new": ["Trần", "+84907670440", "+40721234567", "'=HYPERLINK(\"http://x\")"],
                             "rule": ["name.case", "phone.e164", "phone.e164", "formula.neutralized"]}), "normalize")
    findings = Findings()
    findings.add(findings_frame([3, 4], ["Email", ""], ["", "-1+1"], "error", ["required.contact", "x.y"],
                                ["needs an email", "=odd, \"quoted\" message"]))
    clusters = pd.DataFrame({"cluster_id": ["c000001", "c000001", "c000003", "c000004"],
                             "probability": [0.9731, 0.9731, 1.0, np.nan]}, index=pd.Index([1, 2, 3, 4]))
    pairs = pd.DataFrame({"row_l": [1, 3], "row_r": [2, 4], "probability": [0.9731, 0.41],
                          "w_email": np.array([9.746, -1.25], dtype=np.float32),
                          "level_email": pd.Categorical(["exact", "else"])})
    review = pd.DataFrame({"pair_key": ["k1"], "row_l": [3], "row_r": [4], "probability": [0.81234],
                           "first_name_l": ["Ștefan"], "first_name_r": ["=Chloé"], "decision": [""]})
    merges = pd.DataFrame({"cluster_id": ["c000001", "c000001"], "row": [1, 2], "Prénom": ["Thị Lan", "Lan"],
                           "Nom": ["Trần", "Trần"], "Notes": ["=HYPERLINK(\"http://x\")", None],
                           "won_columns": ["Prénom; Nom; Notes", "Nom"], "lost_columns": ["", "Prénom"]})
    suppressed = pd.DataFrame({"row": [4], "reason": ["Désinscrit = oui"], "Prénom": ["Chloé"], "Email": [np.nan]})
    return RunResult(table=table, command="clean", input_rows=4, changes=log, findings=findings, clusters=clusters,
                     pairs=pairs, review=review, merges=merges, suppressed=suppressed,
                     quarantine=replace(table, frame=table.frame.loc[[3]]),
                     incomplete=pd.DataFrame({"row": [4], "missing": ["+Téléphone"]}))


@pytest.mark.parametrize("origin", [False, True])
def test_the_page_written_equals_the_page_rebuilt_from_the_files(tmp_path: Path, origin: bool) -> None:
    """report.html is built from the frames as written; reading the files back must give the same page."""
    folder = tmp_path / "rep"
    write_reports(_messy_result(origin), folder)
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page == render_html(folder)
    assert "Cluster c000001" in page
    assert '<td class="old">=HYPERLINK(&quot;http://x&quot;)</td>' in page      # shown as the customer wrote it
    changes = (folder / "changes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert changes[-1].endswith(',"\'=HYPERLINK(""http://x"")","\'=HYPERLINK(""http://x"")",normalize,'
                                'formula.neutralized')             # guarded once: "'=..." is no formula
    pairs = (folder / "pairs.csv").read_text(encoding="utf-8-sig").splitlines()
    assert pairs[1:] == ["1,2,0.9731,9.746,exact", "3,4,0.41,-1.25,else"]


def test_a_stale_report_file_in_the_folder_is_shown_as_on_disk(tmp_path: Path) -> None:
    """As `custclean report DIR` would: a file this run did not write (an earlier review.csv) still shows."""
    folder = tmp_path / "rep"
    folder.mkdir()
    (folder / "review.csv").write_text("pair_key,row_l,row_r,probability,decision\nk9,7,8,0.8,\n",
                                       encoding="utf-8-sig")
    result = _messy_result(False)
    result.review = None
    write_reports(result, folder)
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page == render_html(folder)
    assert "row 7" in page
