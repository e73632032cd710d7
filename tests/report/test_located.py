"""_located(): report rows of a several-file run name the file and the row in it."""

from __future__ import annotations

import pandas as pd
import pytest

from custclean.report.files import _located
from custclean.results import RunResult
from tests.conftest import make_table


def _two_files() -> RunResult:
    table = make_table([{"Nom": n} for n in ["Trần", "Popescu", "Dupont", "García"]])
    origin = pd.DataFrame({"source": ["clients_vi.csv", "clienti_ro.xlsx", "clients_fr.csv", "clients_fr.csv"],
                           "row": [7, 2, 40, 41]}, index=table.frame.index)
    return RunResult(table=table.__class__(table.frame, table.roles, table.source, origin))


@pytest.mark.parametrize("dtype", [object, "int64"])
def test_each_row_names_its_file_and_row_and_unknown_keys_stay(dtype: object) -> None:
    frame = pd.DataFrame({"row": pd.Series([4, 1, 99, 2, 4], dtype=dtype), "column": "Nom",
                          "old": ["GARCÍA", "TRẦN", "x", "popescu", "=1+1"]})
    located = _located(_two_files(), frame)
    assert located.columns.tolist() == ["source", "row", "column", "old"]
    assert located["source"].tolist() == ["clients_fr.csv", "clients_vi.csv", "", "clienti_ro.xlsx", "clients_fr.csv"]
    assert located["row"].tolist() == [41, 7, 99, 2, 41]
    assert [type(v) for v in located["row"]] == [int] * 5
    assert located["old"].tolist() == frame["old"].tolist()
    assert frame["row"].tolist() == [4, 1, 99, 2, 4]                  # the run's own frame is left alone


def test_text_keys_are_looked_up_as_they_are() -> None:
    frame = pd.DataFrame({"row": ["2", 3], "column": ["Nom", "Nom"]})
    located = _located(_two_files(), frame)
    assert located["source"].tolist() == ["", "clients_fr.csv"]
    assert located["row"].tolist() == ["2", 40]
