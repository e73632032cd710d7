"""Golden records: where they sit, what merged_from says, what merges.csv holds, and the rebuild."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.merge.conftest import RULES, merged, people

import custclean as cc
from custclean.merge.golden import rebuild
from custclean.merge.plan import opt_out_words
from custclean.merge.suppress import SuppressionList, suppress_rows

CLIENTS = [
    {"ID": "C1001", "Prénom": "Stefan", "Nom": "POPESCU", "Email": "stefan@alfa.ro", "Téléphone": "+40721000111",
     "Ville": "București", "Inscrit le": "2021-03-01", "Désinscrit": "nu", "Notes": "VIP"},
    {"ID": "C1002", "Prénom": "Jean", "Nom": "Dupont", "Email": "jean@orange.fr", "Téléphone": "",
     "Ville": "Paris", "Inscrit le": "2020-01-01", "Désinscrit": "", "Notes": ""},
    {"ID": "C1003", "Prénom": "Ștefan", "Nom": "Popescu", "Email": "s.popescu@beta.ro", "Téléphone": "+40721000111",
     "Ville": "Cluj-Napoca", "Inscrit le": "2023-06-01", "Désinscrit": "da", "Notes": "late payer"},
    {"ID": "C1004", "Prénom": "Thị Lan", "Nom": "Phạm", "Email": "lan.pham@gmail.com", "Téléphone": "0907670440",
     "Ville": "Hà Nội", "Inscrit le": "2019-01-01", "Désinscrit": "không", "Notes": ""},
    {"ID": "C1005", "Prénom": "J.", "Nom": "Dupont", "Email": "JEAN@orange.fr", "Téléphone": "06 12 34 56 78",
     "Ville": "Paris", "Inscrit le": "2018-01-01", "Désinscrit": "non", "Notes": "newsletter"},
]


def test_golden_record_replaces_its_cluster_at_the_survivors_place():
    result = merged(people(CLIENTS), [1, 3], [2, 5])
    frame = result.table.frame
    assert frame.index.tolist() == [1, 2, 4]
    assert frame.loc[1, ["ID", "Prénom", "Nom", "Ville", "Désinscrit", "Notes"]].tolist() == [
        "C1001", "Ștefan", "Popescu", "Cluj-Napoca", "da", "VIP | late payer"]
    assert frame.loc[1, "Email_2"] == "s.popescu@beta.ro"
    assert frame["merged_from"].tolist() == ["C1001;C1003", "C1002;C1005", ""]
    assert frame.loc[4].drop(["Email_2", "merged_from"]).to_dict() == CLIENTS[3]
    assert result.stats == {"clusters_merged": 2, "records_merged": 4, "records_absorbed": 2,
                            "conflicts": result.stats["conflicts"]}


def test_merged_from_uses_rows_without_an_id_column():
    rows = [{k: v for k, v in r.items() if k != "ID"} for r in CLIENTS]
    result = merged(people(rows), [2, 5, 4])
    assert result.table.frame.loc[2, "merged_from"] == "2;4;5"


def test_merges_lists_every_record_of_a_cluster_with_what_won_and_lost():
    merges = merged(people(CLIENTS), [1, 3]).merges
    assert merges.columns[:3].tolist() == ["cluster_id", "row", "ID"]
    assert merges.columns[-2:].tolist() == ["won_columns", "lost_columns"]
    first, second = merges.to_dict("records")
    assert (first["row"], second["row"]) == (1, 3)
    assert first["Prénom"] == "Stefan"                     # the record as it was, not as merged
    assert "Prénom" in first["lost_columns"].split("; ")
    assert "Email" in first["won_columns"].split("; ")
    assert second["lost_columns"].split("; ") == ["ID"]


def test_merge_edits_name_the_policy():
    edits = merged(people(CLIENTS), [1, 3]).edits
    rules = dict(zip(edits["column"], edits["rule"], strict=True))
    assert rules["Prénom"] == "merge.most_frequent"
    assert rules["Email_2"] == "merge.keep_all"
    assert rules["Désinscrit"] == "merge.any_true"
    assert edits.set_index("column").loc["Ville", ["old", "new"]].tolist() == ["București", "Cluj-Napoca"]


def test_rebuild_gives_back_every_input_record():
    table = people(CLIENTS)
    result = merged(table, [1, 3], [2, 5])
    pd.testing.assert_frame_equal(rebuild(result.table, result.merges), table.frame)


def test_merging_the_output_again_keeps_the_lineage():
    first = merged(people(CLIENTS), [1, 3])
    again = merged(first.table, [1, 2])
    assert again.table.frame.loc[1, "merged_from"] == "C1001;C1003;C1002"
    alone = merged(first.table)
    pd.testing.assert_frame_equal(alone.table.frame, first.table.frame)
    assert alone.edits.empty
    assert alone.merges.empty


def test_a_combined_list_names_records_by_file_and_row():
    table = people(CLIENTS[:3])
    origin = pd.DataFrame({"source": ["fr.csv", "ro.xlsx", "ro.xlsx"], "row": [7, 2, 9]}, index=table.frame.index)
    table = cc.Table(table.frame, table.roles, table.source, origin)
    result = merged(table, [1, 3], id_column=None)
    assert result.table.frame.loc[1, "merged_from"] == "fr.csv:7;ro.xlsx:9"
    assert result.merges[["row", "source_file", "source_row"]].values.tolist() == [[1, "fr.csv", 7], [3, "ro.xlsx", 9]]


# --- properties ---------------------------------------------------------------------------------

CELLS = st.sampled_from(["", "Ana", "ANA", "Ștefan", "Nguyễn Văn An", "Müller", "oui", "non", "x", "12 rue X",
                         "a@x.fr", "A@X.FR", "b@y.ro", "+33612345678", "06 12 34 56 78", "2021-03-01", "3 | 4"])
COLUMNS = ["ID", "Prénom", "Email", "Téléphone", "Désinscrit", "Inscrit le", "Notes"]


@st.composite
def tables_with_clusters(draw):
    n = draw(st.integers(1, 14))
    rows = [{c: draw(CELLS) for c in COLUMNS} for _ in range(n)]
    labels = draw(st.lists(st.integers(0, max(1, n // 2)), min_size=n, max_size=n))
    groups: dict[int, list[int]] = {}
    for key, label in enumerate(labels, start=1):
        groups.setdefault(label, []).append(key)
    return people(rows), [g for g in groups.values() if len(g) > 1]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables_with_clusters())
def test_rebuild_property(case):
    table, groups = case
    result = merged(table, *groups, id_column=None)
    pd.testing.assert_frame_equal(rebuild(result.table, result.merges), table.frame)
    assert len(result.table) == len(table) - sum(len(g) - 1 for g in groups)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables_with_clusters(), st.sets(st.sampled_from(["a@x.fr", "b@y.ro", "+33612345678"])),
       st.sampled_from([None, "email", "postal"]), st.sets(st.integers(1, 14)))
def test_every_record_lands_in_exactly_one_place(case, listed, mailing, held):
    """Conservation, as clean composes the steps: quarantined rows leave first and take no part in merging;
    then output singletons + merges + quarantine + suppressed singletons = the input, each record once."""
    table, groups = case
    quarantine = table.frame.index[table.frame.index.isin(held)]
    kept = table.with_frame(table.frame.drop(index=quarantine))
    groups = [[k for k in g if k not in held] for g in groups]
    golden = merged(kept, *[g for g in groups if len(g) > 1], id_column=None)
    optouts = SuppressionList("optouts.csv", frozenset(e for e in listed if "@" in e),
                              frozenset(p for p in listed if "@" not in p))
    done = suppress_rows(golden.table, [optouts], mailing, opt_out_words(RULES), "FR")
    absorbed = set(golden.merges["row"])
    places = (
        [k for k in done.table.frame.index if k not in absorbed]
        + list(golden.merges["row"])
        + list(quarantine)
        + [k for k in done.suppressed["row"] if k not in absorbed]
    )
    assert sorted(places) == list(table.frame.index)
    assert len(done.table) + len(done.suppressed) == len(golden.table)
