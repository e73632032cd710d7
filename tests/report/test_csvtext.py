"""write_frame(): the same bytes as the pandas writer with the per-cell formula guard, and an exact view.

The reference is what report/files.py did before: every str cell of an object column passed through
`neutralize`, then `DataFrame.to_csv`. The view must equal what reading the file back gives, since
report.html is built from it instead of the files.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custclean.io.safe_write import neutralize
from custclean.report.csvtext import CHUNK_ROWS, NumberTexts, write_frame

TRICKY = [
    "=HYPERLINK(\"http://evil.example\",\"clic\")", "@SUM(1)", "+cmd|' /C calc'!A0", "-2+3", "\t=1+1", "-A1",
    "+33 6 12 34 56 78", "+1 (617) 482-3310", "-12.5", "+", "-", "- ", "--", "'=1+2", "12 bd. Saint-Germain, Paris",
    'Société "Les Amis"', "Nguyễn Văn\nAn", "Ștefan", "Đỗ", "Müller, Jürgen", "", " ", "a\x00b",
    "+12015550123 ext. 123", "+33 1 23 45 67 89 poste 12\n", "＝1+1", "-٣٤", "C/ Mayor 7", "Hoa Kỳ", "\u2028=x",
]
TEXT = st.one_of(st.sampled_from(TRICKY), st.text(alphabet=st.sampled_from(list("=+-@\t\r\n,\" '0123x.()/aéĐ\x00")),
                                                   max_size=8))


def _reference(frame: pd.DataFrame) -> str:
    """The old writer: str cells of object and category columns neutralized one by one, then pandas."""
    safe = frame.copy()
    for i in range(safe.shape[1]):
        column = safe.iloc[:, i]
        if column.dtype == object:      # kept object: Series.map would turn [None, 0] into floats ("0.0")
            safe.isetitem(i, np.array([neutralize(v) if isinstance(v, str) else v for v in column], dtype=object))
        elif isinstance(column.dtype, pd.CategoricalDtype):
            safe.isetitem(i, column.cat.rename_categories(lambda v: neutralize(v) if isinstance(v, str) else v))
    return safe.to_csv(index=False, lineterminator="\n")


def _written(frame: pd.DataFrame) -> tuple[str, pd.DataFrame | None]:
    handle = io.StringIO()
    view = write_frame(frame, handle, numbers=NumberTexts())
    return handle.getvalue(), view


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(1, 12))
    floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), st.sampled_from([-0.0, 1e-05, 0.1]))
    kinds = {
        "text": st.lists(TEXT, min_size=rows, max_size=rows),
        "int": st.lists(st.integers(-5, 2**40), min_size=rows, max_size=rows).map(np.array),
        "row": st.lists(st.integers(1, 500), min_size=rows, max_size=rows).map(lambda v: np.array(v, dtype=object)),
        "float": st.lists(floats, min_size=rows, max_size=rows).map(np.array),
        "float32": st.lists(st.floats(width=32), min_size=rows, max_size=rows).map(
            lambda v: np.array(v, dtype=np.float32)),
        "bool": st.lists(st.booleans(), min_size=rows, max_size=rows).map(np.array),
        "category": st.lists(st.one_of(st.none(), TEXT), min_size=rows, max_size=rows).map(
            lambda v: pd.Categorical(v)),
        "mixed": st.lists(st.one_of(st.none(), st.just(np.nan), TEXT, st.integers(-9, 9), st.floats(-2, 2)),
                          min_size=rows, max_size=rows).map(lambda v: np.array(v, dtype=object)),
    }
    names = draw(st.lists(st.sampled_from(sorted(kinds)), min_size=2, max_size=6))
    headers = [f"{name},{i}" if i % 3 == 2 else f"{name}{i}" for i, name in enumerate(names)]
    return pd.DataFrame({h: draw(kinds[n]) for h, n in zip(headers, names, strict=True)})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_same_bytes_as_the_pandas_writer_with_the_cell_guard(frame: pd.DataFrame) -> None:
    text, _ = _written(frame)
    assert text == _reference(frame)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_view_is_what_reading_the_file_back_gives(frame: pd.DataFrame) -> None:
    text, view = _written(frame)
    assert view is not None
    if "\r" in text or "\x00" in text:   # a lone CR is left unquoted, and pandas' reader stops a cell at NUL
        return
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    assert list(view.columns) == list(back.columns)
    assert view.map(str).to_numpy().tolist() == back.to_numpy().tolist()


def test_chunks_join_up_and_guarded_cells_stay_in_place() -> None:
    """Several chunks: formula cells found in the second chunk land on their own rows in file and view."""
    n = CHUNK_ROWS + 7
    old = np.array(["Frnace"] * n, dtype=object)
    old[[3, CHUNK_ROWS + 2]] = ["=1+2", "@SUM(A1)"]
    frame = pd.DataFrame({"row": np.arange(1, n + 1), "column": "Pays", "old": old, "new": "FR"})
    text, view = _written(frame)
    assert text == _reference(frame)
    assert view is not None
    assert view.loc[CHUNK_ROWS + 2, "old"] == "'@SUM(A1)"
    assert view.loc[3, "old"] == "'=1+2"
    assert view.loc[4, "old"] == "Frnace"
    assert frame.loc[3, "old"] == "=1+2"                   # the caller's frame is not touched


def test_other_shapes_go_through_pandas() -> None:
    dates = pd.DataFrame({"when": pd.to_datetime(["2024-01-02", None]), "note": ["=1+2", "ok"]})
    one = pd.DataFrame({"note": ["", "=cmd"]})
    empty = pd.DataFrame({"a": pd.Series(dtype=object), "b": pd.Series(dtype=object)})
    for frame in (dates, one, empty):
        text, view = _written(frame)
        assert view is None
        assert text == _reference(frame)
    assert _written(dates)[0].splitlines()[1] == "2024-01-02,'=1+2"
