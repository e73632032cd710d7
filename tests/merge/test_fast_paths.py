"""The shortcuts merge and suppress take on big lists give what the plain cell-by-cell definitions give.

won/lost is decided once per cluster where the cluster agrees on a value, merges.csv shares the
selected rows instead of copying them, and suppression keys are worked out per distinct value and
only when a reason reads them.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.merge.conftest import RULES, merged, people

from custclean.merge.golden import rebuild
from custclean.merge.lineage import record_columns, record_keys
from custclean.merge.plan import opt_out_words
from custclean.merge.policies import JOIN, email_key
from custclean.merge.suppress import Reachability, SuppressionList, suppress_rows


def _outputs(column: str, golden: pd.Series) -> list[str]:
    """The golden columns a record's column can land in: itself, then Email_2 ... for keep_all."""
    return [column, *(c for c in golden.index if c.startswith(f"{column}_") and c[len(column) + 1:].isdigit())]


def _naively_won(value: str, column: str, golden: pd.Series) -> bool:
    held = [golden[c] for c in _outputs(column, golden)]
    if value in held:
        return True
    padded = JOIN + golden[column] + JOIN
    return column == "Notes" and all(JOIN + part.strip() + JOIN in padded for part in value.split(JOIN))


# Sparse name and address groups: a group's winner may lack a part the others agree on.
CELLS = {
    "Prénom": ["", "Ana", "ANA", "Ștefan", "Stefan", "Thị Lan"], "Nom": ["", "Popescu", "POPESCU", "Phạm"],
    "Email": ["", "a@x.fr", "A@X.FR", "b@y.ro"], "Téléphone": ["", "+33612345678", "06 12 34 56 78"],
    "Adresse": ["", "12 rue X", "3 Strada Mare"], "Ville": ["", "Paris", "București"], "Code postal": ["", "75001"],
    "Désinscrit": ["", "oui", "non"], "Inscrit le": ["", "2021-03-01", "01/02/2020"], "Notes": ["", "VIP", "a | b"],
}


@st.composite
def tables_with_clusters(draw):
    n = draw(st.integers(2, 14))
    rows = [{"ID": f"C{i}", **{c: draw(st.sampled_from(v)) for c, v in CELLS.items()}} for i in range(n)]
    labels = draw(st.lists(st.integers(0, max(1, n // 3)), min_size=n, max_size=n))
    groups: dict[int, list[int]] = {}
    for key, label in enumerate(labels, start=1):
        groups.setdefault(label, []).append(key)
    return people(rows), [g for g in groups.values() if len(g) > 1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables_with_clusters())
def test_won_and_lost_columns_match_the_cell_by_cell_definition(case):
    table, groups = case
    result = merged(table, *groups, id_column=None)
    out, merges = result.table.frame, result.merges
    for _, record in merges.iterrows():
        cluster = merges[merges["cluster_id"] == record["cluster_id"]]
        golden = out.loc[out.index.intersection(cluster["row"])].iloc[0]
        filled = [c for c in record_columns(merges) if record[c] != ""]
        won = [c for c in filled if _naively_won(record[c], c, golden)]
        assert record["won_columns"] == "; ".join(won)
        assert record["lost_columns"] == "; ".join(c for c in filled if c not in won)


def test_a_data_column_named_row_keeps_its_values_next_to_ours():
    rows = [
        {"ID": "C1", "row": "7", "Prénom": "Ștefan", "Email": "stefan@alfa.ro", "Ville": "București"},
        {"ID": "C2", "row": "8", "Prénom": "Stefan", "Email": "STEFAN@alfa.ro", "Ville": ""},
        {"ID": "C3", "row": "9", "Prénom": "Thị Lan", "Email": "lan.pham@gmail.com", "Ville": "Hà Nội"},
    ]
    table = people(rows)
    result = merged(table, [1, 2])
    merges = result.merges
    assert list(merges.columns[:2]) == ["cluster_id", "custclean_row"]
    assert merges["row"].tolist() == ["7", "8"]
    assert list(record_keys(merges)) == [1, 2]
    assert merges.index.tolist() == [0, 1]
    pd.testing.assert_frame_equal(rebuild(result.table, merges), table.frame)


EMAILS = st.sampled_from(["", " Ana@X.fr ", "ana@x.fr", "mailto:Bob@Y.ro", "bob@y.ro", "nguyễn@vn.vn",
                          "not an email", "ANA@X.FR"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(EMAILS, EMAILS), min_size=1, max_size=12), st.sets(EMAILS))
def test_suppression_keys_per_distinct_value_are_the_keys_of_each_cell(cells, listed):
    table = people([{"ID": str(i), "Email": a, "Mobile": "", "Pays": "FR", "Notes": b}
                    for i, (a, b) in enumerate(cells)])
    facts = Reachability(table, "FR", frozenset())
    assert facts.email_keys[0].tolist() == [email_key(a) for a, _ in cells]
    optouts = SuppressionList("optouts.csv", frozenset(email_key(e) for e in listed if e.strip()), frozenset())
    done = suppress_rows(table, [optouts], "email", opt_out_words(RULES), "FR")
    expected = {str(i) for i, (a, _) in enumerate(cells) if email_key(a) in optouts.emails and email_key(a)}
    listed_rows = done.suppressed[done.suppressed["reason"] == "suppression_list:optouts.csv"]
    assert set(listed_rows["ID"]) == expected
