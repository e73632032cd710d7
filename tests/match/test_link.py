"""link: each new record's best match in a master list, same engine as dedupe."""

from __future__ import annotations

from tests.conftest import make_table
from tests.match.test_find_duplicates import COLUMNS

import custclean as cc


def test_link_adds_best_match_columns(population: list[dict[str, str]], rules: cc.RuleSet) -> None:
    master_rows = [{**r, "id": f"C{i:04d}"} for i, r in enumerate(population, 1)]
    master = make_table([{c: r.get(c, "") for c in [*COLUMNS, "id"]} for r in master_rows])
    known = dict(population[41], first_name=population[41]["first_name"].upper(), email="")
    stranger = {"first_name": "Zoltán", "last_name": "Kovács", "email": "zk@example.hu", "phone": "+36 30 123 4567",
                "street": "Váci utca 1", "postal_code": "1052", "city": "Budapest", "country": "HU"}
    new = make_table([{c: r.get(c, "") for c in COLUMNS} for r in (known, stranger)])
    result = cc.link(master, new, cc.Config(), rules)
    frame = result.table.frame
    assert list(frame.columns[-3:]) == ["match_row", "match_id", "match_probability"]
    assert frame.loc[1, "match_row"] == "42"
    assert frame.loc[1, "match_id"] == "C0042"
    assert float(frame.loc[1, "match_probability"]) >= 0.9
    assert frame.loc[2, ["match_row", "match_id", "match_probability"]].tolist() == ["", "", ""]
    assert frame.iloc[:, : len(COLUMNS)].equals(new.frame)
