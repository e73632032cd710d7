"""ChangeLog: edits kept compact between steps, given back exactly as they were recorded."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from custclean.changes import EDIT_COLUMNS, ChangeLog

TEXTS = ["Trần", "TRẦN", "Ștefan", "  Chloé ", "=1+2", "", "0721 234 567", "+40721234567", "Müller", "Nguyễn Thị Lan"]
COLUMNS = ["Prénom", "Nom", "Téléphone", "Email"]
RULES = ["name.case", "phone.e164", "text.trim", "email.lower"]


def _edits(rows: list[object], texts: st.DataObject) -> pd.DataFrame:
    n = len(rows)
    draw = texts.draw
    return pd.DataFrame({
        "row": np.array(rows, dtype=object), "column": draw(st.lists(st.sampled_from(COLUMNS), min_size=n, max_size=n)),
        "old": draw(st.lists(st.sampled_from(TEXTS), min_size=n, max_size=n)),
        "new": draw(st.lists(st.sampled_from(TEXTS), min_size=n, max_size=n)),
        "rule": draw(st.lists(st.sampled_from(RULES), min_size=n, max_size=n)),
    })


def _plain(steps: list[tuple[pd.DataFrame, str]]) -> pd.DataFrame:
    """What the log held before it was made compact: each step's edits with its name, concatenated."""
    frames = [e.assign(step=np.full(len(e), s, dtype=object))[list(EDIT_COLUMNS)] for e, s in steps if not e.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EDIT_COLUMNS})
    return pd.concat(frames, ignore_index=True)


keys = st.one_of(
    st.lists(st.integers(1, 2_000_000), max_size=30),                    # row numbers of a file
    st.lists(st.sampled_from(["a.csv:3", "b.csv:3", "ID-7"]), max_size=30),   # keys of another kind
    st.lists(st.integers(2**63, 2**64), min_size=1, max_size=3),          # too big for int64
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(keys, st.sampled_from(["text", "phone", "last_name", "merge"])), max_size=5), st.data())
def test_frame_gives_back_exactly_what_was_recorded(steps, data) -> None:
    recorded = [(_edits(rows, data), step) for rows, step in steps]
    log = ChangeLog()
    for edits, step in recorded:
        log.record(edits, step)
    expected = _plain(recorded)
    frame = log.frame()
    pd.testing.assert_frame_equal(frame, expected)
    assert [type(v) for v in frame["row"]] == [type(v) for v in expected["row"]]
    assert len(log) == len(expected)
    compact = log.frame(int_keys=True)         # what report files get: the same cells, whole-number keys as int64
    pd.testing.assert_frame_equal(compact.drop(columns="row"), expected.drop(columns="row"))
    assert compact["row"].tolist() == expected["row"].tolist()
    small_ints = all(isinstance(v, int) and v < 2**63 for v in expected["row"])
    assert (compact["row"].dtype == np.int64) == (len(expected) > 0 and small_ints)
    pairs = expected.groupby(["column", "rule"], sort=True).size()
    assert log.counts() == {f"{c} / {r}": int(n) for (c, r), n in pairs.items()}


def test_int64_keys_stay_int64_and_mixed_steps_become_objects() -> None:
    log = ChangeLog()
    log.record(pd.DataFrame({"row": np.array([3, 9], dtype=np.int64), "column": ["Nom", "Nom"],
                             "old": ["TRẦN", "popescu"], "new": ["Trần", "Popescu"], "rule": ["name.case"] * 2}),
               "last_name")
    assert log.frame()["row"].dtype == np.int64
    log.record(pd.DataFrame({"row": np.array(["a.csv:1"], dtype=object), "column": [None], "old": ["x"],
                             "new": ["y"], "rule": [None]}), "merge")
    frame = log.frame()
    assert frame["row"].tolist() == [3, 9, "a.csv:1"]
    assert frame["row"].dtype == object
    assert frame["column"].tolist() == ["Nom", "Nom", None]
    assert frame["rule"].tolist()[2] is None


def test_the_log_holds_no_python_ints_nor_the_steps_edits_frame() -> None:
    edits = pd.DataFrame({"row": np.arange(1, 50_001).astype(object), "column": ["Téléphone"] * 50_000,
                          "old": ["0721 234 567"] * 50_000, "new": ["+40721234567"] * 50_000,
                          "rule": ["phone.e164"] * 50_000})
    log = ChangeLog()
    log.record(edits, "phone")
    held = weakref.ref(edits._mgr.blocks[0].values)
    frame_before = log.frame()
    del edits
    gc.collect()
    assert held() is None           # the step's 2-D block of edits went with its frame
    chunk = log._chunks[0]
    assert chunk.row.values.dtype == np.int64
    assert chunk.column.values.itemsize == 1
    assert chunk.rule.values.itemsize == 1
    pd.testing.assert_frame_equal(log.frame(), frame_before)


def test_frame_is_a_copy_the_log_does_not_share() -> None:
    log = ChangeLog()
    log.record(pd.DataFrame({"row": [2], "column": ["Nom"], "old": ["TRẦN"], "new": ["Trần"], "rule": ["name.case"]}),
               "last_name")
    frame = log.frame()
    frame.loc[0, "old"] = "changed"
    assert log.frame().loc[0, "old"] == "TRẦN"
