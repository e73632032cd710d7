"""report.html as a pure function of the report files: sections, caps, figures, escaping, missing files."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from custclean.cli import app
from custclean.errors import InputError
from custclean.report.clusterview import clusters_html
from custclean.report.html import render_html, write_html
from custclean.report.reportdata import ReportData, edit_groups, first_per_group
from tests.report.conftest import HOSTILE, write_report_folder


class _Tags(HTMLParser):
    """Every start tag with its attributes, to prove no hostile cell became markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8-sig")


def test_every_section_of_a_clean_run_is_shown(report_folder: Path) -> None:
    page = render_html(report_folder)
    for anchor in ("steps", "edits", "validity", "findings", "duplicates", "review", "samples", "suppressed",
                   "quarantine", "incomplete", "config"):
        assert f'<section id="{anchor}">' in page, anchor
    assert "custclean clean report" in page
    assert "Statele Unite ale Americii" in page
    assert "Nguyễn Văn" in page
    assert "Ștefan" in page
    assert "&quot;review_threshold&quot;: 0.7" in page          # the options that produced it


def test_hostile_cells_are_text_never_markup(report_folder: Path) -> None:
    page = render_html(report_folder)
    assert HOSTILE not in page
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in page
    tags = _tags(page)
    assert not [t for t, _ in tags if t in {"script", "img", "iframe", "link", "object"}]
    assert not [(t, a) for t, attrs in tags for a, _ in attrs if a.startswith("on")]


def test_page_is_self_contained(report_folder: Path) -> None:
    page = render_html(report_folder)
    urls = set(re.findall(r"https?://[^\s\"'<>)&]+", page)) - {"http://www.w3.org/2000/svg"}
    assert urls == {"http://x"}                       # only the (escaped) hostile cell's text
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert not [attrs for _, attrs in _tags(page) if any(a in {"src", "href"} and v and not v.startswith("#")
                                                         for a, v in attrs)]


def test_large_reports_are_capped_and_say_so(tmp_path: Path) -> None:
    folder = write_report_folder(tmp_path / "big", scale=7)
    page = render_html(folder)
    assert "Showing 20 of 42 clusters, largest first." in page
    assert "Showing 50 of 56 pairs, most likely first." in page
    assert "Showing 30 of 140 edits, one per column and rule first." in page
    assert len(re.findall(r'<div class="cluster( wide)?">', page)) == 20
    review = page.split('<section id="review">')[1].split("</section>")[0]
    assert review.count("<tr>") == 50 + 1          # and the header row


def test_cluster_shows_golden_values_and_which_won(tmp_path: Path) -> None:
    """merges.csv as the merge step writes it: records in full, won_columns / lost_columns."""
    _write(tmp_path, "clusters.csv", "row,cluster_id,probability\n3,c000003,0.98\n8,c000003,0.98\n9,c000009,1.0\n")
    _write(tmp_path, "merges.csv",
           "cluster_id,row,Prénom,Nom,Email,won_columns,lost_columns\n"
           "c000003,3,Thị Lan,Trần,,Prénom; Nom,\n"
           "c000003,8,Trần,Trần,lan.tran@gmail.com,Nom; Email,Prénom\n")
    page = render_html(tmp_path)
    card = page.split('<div class="clusters">')[1]
    assert "Cluster c000003" in card
    assert "2 records" in card
    assert '<td class="golden">lan.tran@gmail.com</td>' in card      # an absorbed record gave the email
    assert '<td class="won">lan.tran@gmail.com</td>' in card
    assert '<td class="won">Thị Lan</td>' in card
    assert '<td class="lost">Trần</td>' in card                       # first name typed as the last name
    assert "c000009" not in page                                        # singletons are not clusters


def test_validity_is_the_share_of_rows_without_a_finding(tmp_path: Path) -> None:
    summary = {"command": "validate", "rows_in": 10, "rows_out": 10, "columns": ["Email", "Téléphone", "Ville"]}
    _write(tmp_path, "summary.json", json.dumps(summary))
    _write(tmp_path, "issues.csv",
           "row,column,value,severity,code,message\n"
           "1,Email,a@@b.fr,error,email.invalid,not a valid email\n"
           "2,Email,x@,error,email.invalid,not a valid email\n"
           "2,Email,x@,warning,email.other,again the same row\n"
           "4,,,error,required.contact,needs an email or a phone\n")
    page = render_html(tmp_path)
    assert "<title>Email: 80.0%</title>" in page
    assert "<title>Téléphone: 100.0%</title>" in page
    assert "<title>Ville: 100.0%</title>" in page
    assert "<title>(whole row): 90.0%</title>" in page
    assert "3 error" in page
    assert "1 warning" in page


def test_guarded_formula_cells_show_as_written(tmp_path: Path) -> None:
    _write(tmp_path, "changes.csv", "row,column,old,new,step,rule\n2,Notes,'=1+2,'=1+2 ,text,text.spaces\n")
    page = render_html(tmp_path)
    assert "<td class=\"old\">=1+2</td>" in page


def test_any_report_file_may_be_missing(tmp_path: Path) -> None:
    _write(tmp_path, "summary.json", json.dumps({"command": "normalize", "rows_in": 3, "rows_out": 3, "edits": 0}))
    page = render_html(tmp_path)
    assert "custclean normalize report" in page
    assert '<section id="duplicates">' not in page
    (tmp_path / "summary.json").unlink()
    _write(tmp_path, "review.csv", "pair_key,row_l,row_r,probability,decision\n")
    assert "No pair needs a decision." in render_html(tmp_path)


def test_a_broken_file_is_named_not_fatal(tmp_path: Path) -> None:
    _write(tmp_path, "summary.json", "{not json")
    _write(tmp_path, "changes.csv", "row,column,old,new,step,rule\n1,Pays,Frnace,FR,country,country.typo\n")
    page = render_html(tmp_path)
    assert "Note: summary.json could not be read." in page
    assert "Frnace" in page


def test_not_a_report_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no report files"):
        render_html(tmp_path)
    with pytest.raises(InputError, match="no such report folder"):
        render_html(tmp_path / "absent")


def test_write_html_is_private_and_rebuilt_by_the_cli(report_folder: Path, tmp_path: Path) -> None:
    folder = write_report_folder(tmp_path / "r", scale=1)
    path = write_html(folder)
    assert path.stat().st_mode & 0o777 == 0o600
    path.unlink()
    result = CliRunner().invoke(app, ["report", str(folder)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = CliRunner().invoke(app, ["report", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert f"custclean: {tmp_path / 'nope'}: no such report folder" in missing.output


def test_equal_clusters_go_in_natural_id_order(tmp_path: Path) -> None:
    rows = [("007", 3), ("10", 2), ("c3", 2), ("2", 2), ("c10", 2), ("5", 1)]
    lines = [f"{10 * i + k},{cid},0.9" for i, (cid, size) in enumerate(rows) for k in range(size)]
    _write(tmp_path, "clusters.csv", "row,cluster_id,probability\n" + "\n".join(lines) + "\n")
    page = render_html(tmp_path)
    assert re.findall(r"<span>Cluster ([^<]+)</span>", page) == ["007", "2", "10", "c10", "c3"]
    assert clusters_html(pd.read_csv(tmp_path / "clusters.csv", dtype=str), None, limit=2).count("Cluster ") == 2


GROUP_VALUES = st.sampled_from(["Pays", "Téléphone", "Nom", ""])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(GROUP_VALUES, st.sampled_from(["country.alias", "phone.e164", "name.case"])), max_size=90),
       st.integers(1, 40))
def test_samples_and_counts_match_a_plain_groupby(edits: list[tuple[str, str]], limit: int) -> None:
    """Edits per (column, rule) and the "one per column and rule first" sample, as pandas' groupby gives them."""
    changes = pd.DataFrame(edits, columns=["column", "rule"], dtype=object)
    changes.insert(0, "row", [str(i + 1) for i in range(len(changes))])
    data = ReportData(Path("."), frames={"changes": changes})
    codes, groups = edit_groups(data)
    rank = changes.groupby(["column", "rule"], sort=False).cumcount()
    expected = changes.assign(_rank=rank).sort_values("_rank", kind="stable").head(limit).index.tolist()
    assert first_per_group(codes, limit) == expected
    sizes = changes.groupby(["column", "rule"], sort=False).size()
    assert list(zip(groups["column"], groups["rule"], np.bincount(codes, minlength=len(groups)), strict=True)) == [
        (c, r, n) for (c, r), n in sizes.items()]


def test_the_page_does_not_grow_with_the_run(tmp_path: Path) -> None:
    """Every table is capped: a run 4 times bigger gives a page of about the same size (longer row numbers)."""
    small = render_html(write_report_folder(tmp_path / "small", scale=20))
    big = render_html(write_report_folder(tmp_path / "big", scale=80))
    assert len(big) < len(small) * 1.1
    assert "Showing 20 of 480 clusters" in big


def test_first_per_group_looks_past_the_first_rows_when_a_group_starts_late() -> None:
    codes = np.zeros(20_000, dtype=np.int64)
    codes[1::3] = 1
    codes[[7_000, 19_990]] = [2, 3]
    codes[5] = -1
    rank = pd.Series(codes).groupby(codes).cumcount()
    expected = pd.DataFrame({"rank": rank, "code": codes}).query("code >= 0").sort_values("rank", kind="stable")
    assert first_per_group(codes, 9) == expected.index[:9].tolist()
    assert first_per_group(codes, 9)[:4] == [0, 1, 7_000, 19_990]
